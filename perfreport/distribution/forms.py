"""The subscription form of the Distribution page: what was typed, read and
checked here, each error naming its field; the writes are
:mod:`perfreport.distribution.services`'."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perfreport.accounts.models import Role
from perfreport.core.text import TextError, checked_text
from perfreport.distribution.models import Delivery, RecipientKind, ReportKind, Subscription
from perfreport.distribution.services import SubscriptionInput
from perfreport.registry.models import Directorate

NAME_MOST = 200  # Subscription.name's length

# The radio groups' first option, for the error summary's links.
RADIO_IDS = {
    "recipient_kind": "id_recipient_kind_0",
    "report": "id_report_0",
    "delivery": "id_delivery_0",
}


def people_choices() -> list[tuple[str, str]]:
    """Active accounts with an email address, by name."""
    people = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .order_by("first_name", "username")
    )
    return [(str(p.pk), f"{p.get_full_name() or p.get_username()} ({p.email})") for p in people]


def directorate_choices() -> list[tuple[str, str]]:
    return [(str(d.pk), d.name) for d in Directorate.objects.order_by("name")]


class SubscriptionForm(forms.Form):
    recipient_kind = forms.ChoiceField(
        choices=RecipientKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy(
                "Choose who gets the report: a person, a role or an outside address"
            ),
            "invalid_choice": gettext_lazy(
                "Choose who gets the report: a person, a role or an outside address"
            ),
        },
    )
    user = forms.ChoiceField(required=False)
    role = forms.ChoiceField(
        required=False, choices=[("", gettext_lazy("Choose a role")), *Role.choices]
    )
    role_directorate = forms.ChoiceField(required=False)
    # Its length is checked in clean_name, in the project's words (a field's
    # max_length would answer in Django's).
    name = forms.CharField(required=False)
    email = forms.EmailField(
        required=False,
        max_length=254,
        error_messages={
            "invalid": gettext_lazy(
                "Enter an email address in the correct format, like clerk@example.org"
            ),
            "max_length": gettext_lazy("The email address must be 254 characters or fewer"),
        },
    )
    report = forms.ChoiceField(
        choices=ReportKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose which report to send"),
            "invalid_choice": gettext_lazy("Choose which report to send"),
        },
    )
    directorate = forms.ChoiceField(required=False)
    delivery = forms.ChoiceField(
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose how to send it: PDF, Word or a link"),
            "invalid_choice": gettext_lazy("Choose how to send it: PDF, Word or a link"),
        },
    )
    on_publish = forms.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_choices("user", [("", _("Choose a person")), *people_choices()])
        directorates = directorate_choices()
        self._set_choices("role_directorate", [("", _("Every directorate")), *directorates])
        self._set_choices("directorate", [("", _("Choose a directorate")), *directorates])
        for name in ("user", "role", "role_directorate", "directorate"):
            self.fields[name].error_messages["invalid_choice"] = _("Choose one from the list")

    def _set_choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    @classmethod
    def of(cls, subscription: Subscription) -> SubscriptionForm:
        """The form filled in with a subscription, to edit it."""
        initial = {
            "recipient_kind": subscription.recipient_kind,
            "user": str(subscription.user_id or ""),
            "role": subscription.role,
            "role_directorate": str(subscription.role_directorate_id or ""),
            "name": subscription.name,
            "email": subscription.email,
            "report": subscription.report,
            "directorate": str(subscription.directorate_id or ""),
            "delivery": subscription.delivery,
            "on_publish": subscription.on_publish,
        }
        return cls(initial=initial)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if len(name) > NAME_MOST:
            raise forms.ValidationError(
                _("The name must be %(most)s characters or fewer (this has %(length)s)")
                % {"most": NAME_MOST, "length": f"{len(name):,}"}
            )
        try:
            return checked_text(name, limit=NAME_MOST)
        except TextError as error:
            raise forms.ValidationError(_("The name %(problem)s") % {"problem": error}) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("recipient_kind")
        if kind == RecipientKind.PERSON and not data.get("user"):
            self.add_error("user", _("Choose the person who gets the report"))
        if kind == RecipientKind.ROLE and not data.get("role"):
            self.add_error("role", _("Choose the role whose holders get the report"))
        unscoped = data.get("role") in (Role.ADMIN, Role.VIEWER)
        if kind == RecipientKind.ROLE and unscoped and data.get("role_directorate"):
            self.add_error(
                "role_directorate",
                _("BI administrators and viewers have no directorate: choose every directorate"),
            )
        if kind == RecipientKind.ADDRESS and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Enter the email address the report goes to"))
        if data.get("report") == ReportKind.DIRECTORATE and not data.get("directorate"):
            self.add_error("directorate", _("Choose the directorate whose report is sent"))
        return data

    def to_input(self) -> SubscriptionInput:
        data = self.cleaned_data
        directorates = Directorate.objects.in_bulk(
            [int(v) for v in (data["role_directorate"], data["directorate"]) if v]
        )
        user = get_user_model().objects.filter(pk=data["user"]).first() if data["user"] else None
        return SubscriptionInput(
            recipient_kind=data["recipient_kind"],
            report=data["report"],
            delivery=data["delivery"],
            on_publish=bool(data["on_publish"]),
            user=user,
            role=data["role"],
            role_directorate=directorates.get(int(data["role_directorate"] or 0)),
            name=data["name"],
            email=data["email"] or "",
            directorate=directorates.get(int(data["directorate"] or 0)),
        )

    def errors_in_order(self) -> Iterator[tuple[str, str]]:
        """(field id, message) for the error summary, in the page's order."""
        for name in self.fields:
            for message in self.errors.get(name, []):
                yield RADIO_IDS.get(name, f"id_{name}"), str(message)
