"""The forms of the People page and of password reset: what was typed, read
and checked here (the text rule, a role's scope by RoleGrant.clean()); the
writes are the people service's (perfreport.rounds.people)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from perfreport.accounts.emails import AccountEmail, account_context, site_url
from perfreport.accounts.languages import in_language, language_of
from perfreport.accounts.models import Role, RoleGrant
from perfreport.accounts.signin import password_signin_allowed
from perfreport.core.text import TextError, checked_text
from perfreport.registry.models import Directorate, Indicator, Service

log = logging.getLogger(__name__)

SCOPE_KINDS: dict[str, Any] = {
    "directorate": Directorate,
    "service": Service,
    "indicator": Indicator,
}


@dataclass(frozen=True)
class Scope:
    """What a role covers: one directorate, service or indicator, or nothing."""

    directorate: Directorate | None = None
    service: Service | None = None
    indicator: Indicator | None = None

    @classmethod
    def of(cls, grant: RoleGrant) -> Scope:
        return cls(grant.directorate, grant.service, grant.indicator)

    def fields(self) -> dict[str, Any]:
        return {
            "directorate": self.directorate,
            "service": self.service,
            "indicator": self.indicator,
        }


def scope_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The scopes a role may name, grouped: every directorate, service and
    indicator, as (group, [(value, label)]); empty groups left out."""
    services = Service.objects.select_related("directorate")
    groups = [
        (
            gettext("Directorates"),
            [(f"directorate:{d.pk}", d.name) for d in Directorate.objects.all()],
        ),
        (
            gettext("Services"),
            [
                (f"service:{s.pk}", f"{s.name} ({s.directorate})" if s.directorate else s.name)
                for s in services
            ],
        ),
        (
            gettext("Indicators"),
            [
                (f"indicator:{i.pk}", f"{i.ref} {i.title}")
                for i in Indicator.objects.order_by("ref")
            ],
        ),
    ]
    return [(label, options) for label, options in groups if options]


def read_scope(value: str) -> Scope:
    """``directorate:3`` as that directorate's Scope; empty as no scope."""
    if not value:
        return Scope()
    kind, _, pk = value.partition(":")
    model = SCOPE_KINDS.get(kind)
    found = model.objects.filter(pk=pk).first() if model and pk.isdigit() else None
    if found is None:
        raise ValidationError(gettext("Choose a directorate, service or indicator from the list"))
    return Scope(**{kind: found})


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


class RoleForm(forms.Form):
    """A role and its scope, checked by RoleGrant.clean()."""

    role = forms.ChoiceField(
        choices=Role.choices,
        error_messages={
            "required": gettext_lazy("Choose a role"),
            "invalid_choice": gettext_lazy("Choose a role from the list"),
        },
    )
    scope = forms.CharField(required=False)
    role_required = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.required = self.role_required
        # No role is chosen for you: an administrator's is the first in the list.
        role.choices = [
            ("", gettext("Choose a role") if self.role_required else gettext("No role yet")),
            *Role.choices,
        ]
        self.scope_groups = scope_groups()

    def clean_scope(self) -> Scope:
        return read_scope(self.cleaned_data.get("scope", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role, scope = cleaned.get("role"), cleaned.get("scope")
        if not role and isinstance(scope, Scope) and scope != Scope() and "role" not in self.errors:
            self.add_error("role", gettext("Choose a role for the scope, or set the scope to none"))
        if role and isinstance(scope, Scope):
            try:
                RoleGrant(
                    role=role, **{f"{k}_id": v.pk if v else None for k, v in scope.fields().items()}
                ).clean()
            except ValidationError as error:
                self.add_error("scope", _sentence("; ".join(error.messages)))
        return cleaned

    def errors_in_order(self) -> Iterator[tuple[str, str]]:
        """(field id, message) for the error summary, in the page's order."""
        for name in self.fields:
            for message in self.errors.get(name, []):
                yield f"id_{name}", str(message)


class InviteForm(RoleForm):
    """A new person: their name, email address and, if chosen, a first role."""

    name = forms.CharField(
        max_length=150,
        error_messages={
            "required": gettext_lazy("Enter the person's name"),
            "max_length": gettext_lazy("The name must be 150 characters or fewer"),
        },
    )
    email = forms.EmailField(
        max_length=150,  # it is their username too
        error_messages={
            "required": gettext_lazy("Enter the person's email address"),
            "max_length": gettext_lazy("The email address must be 150 characters or fewer"),
            "invalid": gettext_lazy(
                "Enter an email address in the correct format, like name@example.org"
            ),
        },
    )
    language = forms.ChoiceField(choices=settings.LANGUAGES, required=False)
    role_required = False
    field_order = ["name", "email", "language", "role", "scope"]

    def clean_name(self) -> str:
        try:
            return checked_text(self.cleaned_data["name"].strip(), limit=150)
        except TextError as error:
            raise ValidationError(gettext("The name %(problem)s") % {"problem": error}) from None

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip().lower()
        if (
            get_user_model().objects.filter(email__iexact=email).exists()
            or get_user_model().objects.filter(username__iexact=email).exists()
        ):
            raise ValidationError(
                gettext("There is already an account for %(email)s: find it in the list below")
                % {"email": email}
            )
        return email


# At most one reset email an account in this many seconds: asking again and
# again fills nobody's inbox. Kept in Django's cache (each process's own
# memory unless CACHES names a shared one).
RESET_EMAIL_GAP = 300


def _may_send(user: Any) -> bool:
    """Whether ``user`` may be sent a reset email now, noting it if so."""
    key = f"perfreport:password-reset:{user.pk}:{user.date_joined.timestamp()}"
    return bool(cache.add(key, True, timeout=RESET_EMAIL_GAP))


class ResetForm(PasswordResetForm):
    """Django's password reset, with perfreport's email; also for a person
    who was invited and never chose a password. Whether the address has an
    account is never shown: the page after it reads the same either way.
    Nobody who may not sign in with a password (single sign-on only) is sent
    a link to set one: it could not be used."""

    def get_users(self, email: str) -> Iterator[Any]:
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return (
            user
            for user in users
            if user.email.lower() == email.lower()
            and password_signin_allowed(user)
            and _may_send(user)
        )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context["user"]
        language = language_of(user)
        with in_language(language):  # the links lead to the pages in it
            link = site_url(
                reverse("web:password_reset_confirm", args=[context["uid"], context["token"]])
            )
            email = AccountEmail(
                "password_reset",
                to_email,
                {
                    **account_context(),
                    "name": user.get_full_name() or user.get_username(),
                    "username": user.get_username(),
                    "link": link,
                },
                language,
            )
        try:
            email.message().send()
        except Exception:  # as Django's own: the page must not tell whether it was sent
            log.exception("Could not send the password reset email to %s", to_email)


class LanguageForm(forms.Form):
    """The language a person's emails are written in."""

    language = forms.ChoiceField(
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        label=gettext_lazy("Language of your emails"),
        error_messages={"required": gettext_lazy("Choose English or Cymraeg")},
    )
