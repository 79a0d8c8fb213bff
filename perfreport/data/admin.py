"""Values and commentary in the admin: for corrections by a BI administrator;
imports and the round do the bulk. Every change is recorded in the audit
trail (perfreport.audit.admin.AuditedAdmin)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from perfreport.audit.admin import AuditedAdmin
from perfreport.data.models import Commentary, Observation
from perfreport.data.services import RoundCollects, round_collecting


class OutsideOpenRounds(forms.ModelForm):  # type: ignore[type-arg]
    """The round rule in the admin, as in every other write: the home
    organisation's value or commentary for a period an open round collects
    is entered and signed off in the round, not changed here."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        indicator, organisation = data.get("indicator"), data.get("organisation")
        frequency, first_month = data.get("frequency"), data.get("first_month")
        theirs = organisation is not None and not organisation.is_home
        if indicator is None or frequency is None or first_month is None or theirs:
            return data
        if not self.has_changed():
            return data
        entry = round_collecting(indicator.pk, frequency, first_month)
        if entry is not None:
            raise ValidationError(str(RoundCollects(entry)))
        return data


@admin.register(Observation)
class ObservationAdmin(AuditedAdmin):
    form = OutsideOpenRounds
    list_display = (
        "indicator",
        "organisation",
        "period",
        "value",
        "withheld_as",
        "stated_rag",
        "is_draft",
        "updated_at",
    )
    list_filter = ("is_draft", "frequency", "organisation__is_home")
    search_fields = ("indicator__ref", "indicator__title", "period")
    list_select_related = ("indicator", "organisation")
    readonly_fields = ("first_value", "restated_at", "updated_at")
    autocomplete_fields = ("indicator",)

    def save_model(self, request: HttpRequest, obj: Observation, form: Any, change: bool) -> None:
        """Keep the first value, and date a change to a published one: a restatement
        (and, through AuditedAdmin, record the change)."""
        if not change:
            obj.first_value = obj.value
        elif "value" in form.changed_data:
            obj.value_changed(form.initial.get("value"), bool(form.initial.get("is_draft")))
        super().save_model(request, obj, form, change)


@admin.register(Commentary)
class CommentaryAdmin(AuditedAdmin):
    form = OutsideOpenRounds
    list_display = ("indicator", "period", "updated_at")
    search_fields = ("indicator__ref", "text", "actions")
    list_select_related = ("indicator",)
