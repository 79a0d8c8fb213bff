"""The People page's form to map a single sign-on group to a role: what was
typed, read here; checked and written by perfreport.sso.grants."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from perfreport.accounts.forms import Scope, read_scope, scope_groups
from perfreport.accounts.models import Role
from perfreport.core.text import TextError, checked_text
from perfreport.sso.grants import GROUP_MOST

# The service's names for the fields, and the form's (the People page has
# the invite form's role and scope too: these must not share their ids).
FIELDS = {"group": "group", "role": "group_role", "scope": "group_scope"}


class GroupMappingForm(forms.Form):
    group = forms.CharField(
        max_length=GROUP_MOST,
        error_messages={
            "required": gettext_lazy("Enter the group's name or object id"),
            "max_length": format_lazy(
                gettext_lazy("The group must be {most} characters or fewer"), most=GROUP_MOST
            ),
        },
    )
    group_role = forms.ChoiceField(
        choices=[("", gettext_lazy("Choose a role")), *Role.choices],
        error_messages={
            "required": gettext_lazy("Choose a role"),
            "invalid_choice": gettext_lazy("Choose a role from the list"),
        },
    )
    group_scope = forms.CharField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope_groups = scope_groups()

    def clean_group(self) -> str:
        try:
            return checked_text(self.cleaned_data["group"].strip(), limit=GROUP_MOST)
        except TextError as error:
            raise ValidationError(gettext("The group %(problem)s") % {"problem": error}) from None

    def clean_group_scope(self) -> Scope:
        return read_scope(self.cleaned_data.get("group_scope", ""))

    def add_service_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            self.add_error(FIELDS.get(name, "group"), message)

    def errors_in_order(self) -> Iterator[tuple[str, str]]:
        """(field id, message) for the error summary, in the page's order."""
        for name in self.fields:
            for message in self.errors.get(name, []):
                yield f"id_{name}", str(message)
