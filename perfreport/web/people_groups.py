"""The People page's single sign-on groups, for BI administrators: map a
group to a role and scope, or remove a mapping. The writes are
perfreport.sso.grants' (checked, audited); the roles follow at each person's
next sign-in."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from perfreport.accounts.forms import InviteForm
from perfreport.core.errors import Invalid
from perfreport.sso import grants
from perfreport.sso.forms import GroupMappingForm
from perfreport.sso.models import GroupMapping
from perfreport.web import people
from perfreport.web.access import staff_required

SECTION = "#groups-heading"


@staff_required
@require_POST
def group_add(request: HttpRequest) -> HttpResponse:
    actor = people._administrator(request)
    form = GroupMappingForm(request.POST)
    if not form.is_valid():
        return people._people_page(request, InviteForm(), 400, group_form=form)
    data = form.cleaned_data
    try:
        mapping = grants.mapping_add(
            actor, group=data["group"], role=data["group_role"], scope=data["group_scope"]
        )
    except Invalid as invalid:
        form.add_service_errors(invalid.errors)
        return people._people_page(request, InviteForm(), 400, group_form=form)
    messages.success(
        request,
        _("Members of %(group)s get the role %(role)s from their next sign-in.")
        % {"group": mapping.group, "role": _words(mapping)},
    )
    return people._see_other(reverse("web:people") + SECTION)


@staff_required
@require_POST
def group_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = people._administrator(request)
    mapping = get_object_or_404(GroupMapping, pk=pk)
    words = _words(mapping)
    taken = grants.mapping_remove(actor, mapping)
    said = (
        ngettext(
            "The group %(group)s no longer gives the role %(role)s: taken away from %(n)s person.",
            "The group %(group)s no longer gives the role %(role)s: taken away from %(n)s people.",
            taken,
        )
        if taken
        else _("The group %(group)s no longer gives the role %(role)s.")
    )
    messages.success(request, said % {"group": mapping.group, "role": words, "n": taken})
    return people._see_other(reverse("web:people") + SECTION)


def _words(mapping: GroupMapping) -> str:
    grant = mapping.grant()
    return f"{grant.get_role_display()}{grant.scope_label()}"
