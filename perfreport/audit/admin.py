"""A change made in the admin leaves a trace.

A change made there to the register, a value, a target, commentary, a round
or a person's roles is recorded in the audit trail like any other (who, when,
the fields before and after), in the same transaction. ``AuditedAdmin`` does
it for every app's ModelAdmin that builds on it; the trail itself is here,
read-only: a revert is a new event, made on the history page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest

from perfreport.accounts.admin import AdministratorsOnly, ReadOnly
from perfreport.accounts.permissions import Actor
from perfreport.audit import trail as audit
from perfreport.audit.models import AuditEvent
from perfreport.core.text import COMMENTARY_LIMIT, TextError, checked_text
from perfreport.registry.models import Indicator

# What the trail calls a change to each model, by its label (the apps above
# this one are named, not imported); any other is called by its model name.
OBJECT_TYPES: dict[str, str] = {
    "registry.indicator": audit.INDICATOR,
    "registry.target": audit.TARGET,
    "data.observation": audit.OBSERVATION,
    "data.commentary": audit.COMMENTARY,
    "data.round": audit.ROUND,
    "registry.link": "link",
    "accounts.rolegrant": "grant",
}


def object_type(model: type[models.Model]) -> str:
    return OBJECT_TYPES.get(
        model._meta.label_lower, model._meta.model_name or model.__name__.lower()
    )


def _stored_fields(model: type[models.Model], names: list[str]) -> list[str]:
    """The names that are the model's own columns (not many-to-many, not form-only)."""
    concrete = {f.name for f in model._meta.concrete_fields}
    return [name for name in names if name in concrete]


def _where(obj: models.Model) -> dict[str, Any]:
    """The indicator and period an event about ``obj`` is filed under."""
    indicator = obj.pk if isinstance(obj, Indicator) else getattr(obj, "indicator_id", None)
    return {"indicator": indicator, "period": getattr(obj, "period", "") or ""}


def _record_created(actor: Actor, obj: models.Model, names: list[str]) -> None:
    fields = audit.fields_of(obj, _stored_fields(type(obj), names))
    audit.record(actor, "create", object_type(type(obj)), obj.pk, after=fields, **_where(obj))


def _record_deleted(actor: Actor, obj: models.Model, pk: Any) -> None:
    names = [f.name for f in obj._meta.concrete_fields if not f.primary_key]
    before = audit.fields_of(obj, names)
    where = _where(obj)
    if isinstance(obj, Indicator):
        where["indicator"] = None  # it is going: the event keeps its ref in ``before``
    audit.record(actor, "delete", object_type(type(obj)), pk, before=before, **where)


class TextRule:
    """Every text field of an admin form (and of its inlines) under the one
    text rule: no control character but tab and new line; a text without a
    length of its own (commentary, actions) at most 20,000 characters."""

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: Any, **kwargs: Any
    ) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if isinstance(field, forms.CharField):
            field.validators.append(_text_rule(db_field.max_length or COMMENTARY_LIMIT))
        return field


def _text_rule(limit: int) -> Any:
    def validate(text: str) -> None:
        try:
            checked_text(text, limit=limit)
        except TextError as error:
            raise ValidationError(f"This text {error}.", code="text_rule") from None

    return validate


class AuditedAdmin(TextRule, AdministratorsOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    """Every add, change and delete made here, and in its inlines, recorded in
    the audit trail by the person signed in."""

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        actor = Actor.of(request.user)
        names = _stored_fields(type(obj), list(form.changed_data))
        if not change:
            super().save_model(request, obj, form, change)
            _record_created(actor, obj, list(form.fields))
            return
        stored = type(obj)._default_manager.get(pk=obj.pk)
        before = audit.fields_of(stored, names)
        super().save_model(request, obj, form, change)
        audit.record_change(actor, obj, object_type(type(obj)), before, **_where(obj))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        _record_deleted(Actor.of(request.user), obj, obj.pk)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        actor = Actor.of(request.user)
        with transaction.atomic():
            for obj in queryset:
                _record_deleted(actor, obj, obj.pk)
            super().delete_queryset(request, queryset)

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm,  # type: ignore[type-arg]
        formset: BaseModelFormSet,  # type: ignore[type-arg]
        change: bool,
    ) -> None:
        model = formset.model
        stored = {
            obj.pk: obj
            for obj in model._default_manager.filter(
                pk__in=[f.instance.pk for f in formset.initial_forms if f.instance.pk]
            )
        }
        deleted = [f.instance.pk for f in formset.deleted_forms if f.instance.pk]
        super().save_formset(request, form, formset, change)
        actor = Actor.of(request.user)
        for obj in formset.new_objects:
            _record_created(actor, obj, list(formset.form.base_fields))
        for obj, names in formset.changed_objects:
            before = audit.fields_of(stored[obj.pk], _stored_fields(model, list(names)))
            audit.record_change(actor, obj, object_type(model), before, **_where(obj))
        for pk in deleted:
            _record_deleted(actor, stored[pk], pk)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    """The trail, never edited: a revert is a new event, made on the history page."""

    list_display = ("at", "actor", "action", "object_type", "object_id", "indicator", "period")
    list_filter = ("action", "object_type")
    search_fields = ("actor", "indicator__ref", "object_id", "reason")
    list_select_related = ("indicator",)
    date_hierarchy = "at"
