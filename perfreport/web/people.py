"""The People page, for BI administrators: everyone with an account, their
roles and whether they can sign in; inviting someone by email; each person's
page to give and take away roles and to deactivate or reactivate them.

The pages read and lay out; the writes are the people service's
(``perfreport.rounds.people``), which checks the role again and records each
change in the audit trail, as ``perfreport grant`` does."""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from perfreport.accounts.emails import expiry_words
from perfreport.accounts.forms import InviteForm, LanguageForm, RoleForm
from perfreport.accounts.languages import language_of
from perfreport.accounts.models import RoleGrant
from perfreport.accounts.permissions import Actor
from perfreport.core.errors import Invalid, Refused
from perfreport.rounds import people as service
from perfreport.sso import provider
from perfreport.sso.forms import GroupMappingForm
from perfreport.sso.models import GroupMapping
from perfreport.web.access import actor_of, staff_required

log = logging.getLogger(__name__)


def _administrator(request: HttpRequest) -> Actor:
    actor = actor_of(request)
    actor.require_admin(gettext_noop("see and change people's accounts and roles"))  # 403
    return actor


def _see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def everyone() -> QuerySet[Any]:
    grants = RoleGrant.objects.select_related("directorate", "service", "indicator")
    return (
        get_user_model()
        .objects.prefetch_related(Prefetch("role_grants", queryset=grants))
        .order_by("-is_active", "first_name", "username")
    )


def status(user: Any) -> str:
    """ "Deactivated", "Invited" (no password chosen yet, never signed in:
    someone who signs in with single sign-on has no password) or "Active"."""
    if not user.is_active:
        return "Deactivated"
    return "Active" if user.has_usable_password() or user.last_login else "Invited"


def _people_page(
    request: HttpRequest,
    form: InviteForm,
    code: int = 200,
    group_form: GroupMappingForm | None = None,
) -> HttpResponse:
    rows = [(user, status(user)) for user in everyone()]
    group_form = group_form or GroupMappingForm()
    context = {
        "nav": "people",
        "rows": rows,
        "form": form,
        "errors": list(form.errors_in_order()),
        "invite_expires": expiry_words(int(settings.PASSWORD_RESET_TIMEOUT)),
        "languages": settings.LANGUAGES,
        # Single sign-on groups and the roles they give.
        "group_form": group_form,
        "group_errors": list(group_form.errors_in_order()),
        "mappings": GroupMapping.objects.select_related("directorate", "service", "indicator"),
        "sso": provider.enabled(),
        "sso_name": settings.PERFREPORT_OIDC_PROVIDER_NAME,
    }
    return render(request, "web/people.html", context, status=code)


def _send_invitation(request: HttpRequest, actor: Actor, user: Any) -> None:
    try:
        service.invitation_send(actor, user)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("Could not send the invitation to %s: %s", user.email, error)
        messages.error(
            request,
            _(
                "The invitation to %(email)s could not be sent (%(error)s). "
                "Check the email settings, then send it again from this page."
            )
            % {"email": user.email, "error": error},
        )
    else:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": user.email})


@staff_required
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest) -> HttpResponse:
    """Everyone, and the form to invite someone."""
    actor = _administrator(request)
    if request.method != "POST":
        return _people_page(request, InviteForm())
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _people_page(request, form, 400)
    data = form.cleaned_data
    try:
        user = service.person_invite(
            actor, name=data["name"], email=data["email"], role=data["role"], scope=data["scope"]
        )
    except Invalid as invalid:
        for name, message in invalid.errors.items():
            form.add_error(name, message)
        return _people_page(request, form, 400)
    if data.get("language"):  # their emails' language, the invitation's first
        service.person_set_language(actor, user=user, language=data["language"])
    _send_invitation(request, actor, user)
    return _see_other(reverse("web:person", args=[user.pk]))


def _person_page(
    request: HttpRequest, user: Any, form: RoleForm | None = None, code: int = 200
) -> HttpResponse:
    form = form or RoleForm()
    context = {
        "nav": "people",
        "person": user,
        "status": status(user),
        "grants": list(user.role_grants.select_related("directorate", "service", "indicator")),
        "form": form,
        "errors": list(form.errors_in_order()),
        "is_self": user.pk == request.user.pk,
        "language_form": LanguageForm(initial={"language": language_of(user)}),
    }
    return render(request, "web/people_person.html", context, status=code)


@staff_required
@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """One person: their roles, the form to give another, and their account."""
    actor = _administrator(request)
    user = get_object_or_404(get_user_model(), pk=pk)
    if request.method != "POST":
        return _person_page(request, user)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _person_page(request, user, form, 400)
    try:
        grant, created = service.role_grant(
            actor, user=user, role=form.cleaned_data["role"], scope=form.cleaned_data["scope"]
        )
    except ValidationError as error:
        form.add_error("scope", "; ".join(error.messages))
        return _person_page(request, user, form, 400)
    said = (
        _("%(name)s now has the role %(role)s.")
        if created
        else _("%(name)s already has the role %(role)s.")
    )
    messages.success(request, said % {"name": _name(user), "role": _role_words(grant)})
    return _see_other(reverse("web:person", args=[pk]))


@staff_required
@require_POST
def role_remove(request: HttpRequest, pk: int, grant_pk: int) -> HttpResponse:
    actor = _administrator(request)
    grant = get_object_or_404(RoleGrant.objects.select_related("user"), pk=grant_pk, user_id=pk)
    try:
        service.role_revoke(actor, user=grant.user, role=grant.role, scope=service.Scope.of(grant))
    except Refused as refused:
        messages.error(request, _sentence(str(refused)) + ".")
    else:
        messages.success(
            request,
            _("%(name)s no longer has the role %(role)s.")
            % {"name": _name(grant.user), "role": _role_words(grant)},
        )
    return _see_other(reverse("web:person", args=[pk]))


@staff_required
@require_POST
def person_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate (``active=no``) or reactivate (``active=yes``) a person."""
    actor = _administrator(request)
    user = get_object_or_404(get_user_model(), pk=pk)
    active = request.POST.get("active") == "yes"
    try:
        service.person_set_active(actor, user=user, active=active)
    except Refused as refused:
        messages.error(request, _sentence(str(refused)) + ".")
    else:
        done = (
            _("%(name)s is reactivated: they can sign in again.")
            if active
            else _(
                "%(name)s is deactivated: they cannot sign in and their API tokens no longer work."
            )
        )
        messages.success(request, done % {"name": _name(user)})
    return _see_other(reverse("web:person", args=[pk]))


@staff_required
@require_POST
def person_language(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the language of a person's emails (recorded in the audit trail)."""
    actor = _administrator(request)
    user = get_object_or_404(get_user_model(), pk=pk)
    form = LanguageForm(request.POST)
    if form.is_valid():
        service.person_set_language(actor, user=user, language=form.cleaned_data["language"])
        language = dict(settings.LANGUAGES)[form.cleaned_data["language"]]
        messages.success(
            request,
            _("%(name)s's emails will be in %(language)s.")
            % {"name": _name(user), "language": language},
        )
    else:
        messages.error(request, _("Choose English or Cymraeg"))
    return _see_other(reverse("web:person", args=[pk]))


@staff_required
@require_POST
def person_invite_again(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _administrator(request)
    user = get_object_or_404(get_user_model(), pk=pk)
    try:
        _send_invitation(request, actor, user)
    except Refused as refused:
        messages.error(request, _sentence(str(refused)) + ".")
    return _see_other(reverse("web:person", args=[pk]))


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def _role_words(grant: RoleGrant) -> str:
    return f"{grant.get_role_display()}{grant.scope_label()}"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
