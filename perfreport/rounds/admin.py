"""The admin site obeys the roles too, and leaves a trace.

It is the BI administrators' tool: every perfreport model in it needs the BI
administrator role (a Django superuser has it), whatever Django permissions
an account holds. A change made in it to the register, a value, a target or
commentary is recorded in the audit trail like any other (who, when, the
fields before and after), in the same transaction. The round's own records
(entries, the trail, reminders) are read-only here: entries change through
the round's pages, so that their versions, states and audit hold.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest

from perfreport.data.models import Commentary, Observation
from perfreport.registry.models import Indicator, Link, Target
from perfreport.rounds import audit
from perfreport.rounds.models import AuditEvent, Entry, ReminderSent, RoleGrant, Round
from perfreport.rounds.permissions import Actor

# What the trail calls a change to each model; any other is called by its name.
OBJECT_TYPES: dict[type[models.Model], str] = {
    Indicator: audit.INDICATOR,
    Target: audit.TARGET,
    Observation: audit.OBSERVATION,
    Commentary: audit.COMMENTARY,
    Round: audit.ROUND,
    Link: "link",
    RoleGrant: "grant",
}


def is_administrator(request: HttpRequest) -> bool:
    return Actor.of(getattr(request, "user", None)).is_admin


class AdministratorsOnly:
    """Permissions by role: a BI administrator may do everything, anyone else
    nothing (the Django permissions of an account are not consulted)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)


class ReadOnly(AdministratorsOnly):
    """Shown to BI administrators, changed by no one here."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def object_type(model: type[models.Model]) -> str:
    return OBJECT_TYPES.get(model, model._meta.model_name or model.__name__.lower())


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


class AuditedAdmin(AdministratorsOnly, admin.ModelAdmin):  # type: ignore[type-arg]
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


# The round's own records


@admin.register(RoleGrant)
class RoleGrantAdmin(AuditedAdmin):
    list_display = ("user", "role", "scope")
    list_filter = ("role", "directorate", "service")
    search_fields = ("user__username", "user__email", "indicator__ref", "service__name")
    list_select_related = ("user", "directorate", "service", "indicator")
    fields = ("user", "role", "directorate", "service", "indicator")

    @admin.display(description="scope")
    def scope(self, grant: RoleGrant) -> str:
        return grant.scope_label().removeprefix(" for ") or "everything"


@admin.register(Round)
class RoundAdmin(AuditedAdmin):
    """Rounds are opened and published on their pages (or with ``perfreport
    round``), which make their entries and snapshot; here only the deadline
    may change."""

    list_display = ("period", "state", "deadline", "opened_by", "published_at")
    list_filter = ("state",)
    fields = (
        "period",
        "state",
        "deadline",
        "opened_by",
        "opened_at",
        "published_by",
        "published_at",
        "snapshot",
    )
    readonly_fields = tuple(f for f in fields if f != "deadline")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Entry)
class EntryAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: an entry changes on the round's pages, where its version,
    state and audit hold."""

    list_display = ("indicator", "period", "round", "state", "version", "updated_by", "updated_at")
    list_filter = ("round", "state")
    search_fields = ("indicator__ref", "indicator__title")
    list_select_related = ("indicator", "round", "updated_by")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    """The trail, never edited: a revert is a new event, made on the history page."""

    list_display = ("at", "actor", "action", "object_type", "object_id", "indicator", "period")
    list_filter = ("action", "object_type")
    search_fields = ("actor", "indicator__ref", "object_id", "reason")
    list_select_related = ("indicator",)
    date_hierarchy = "at"


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("sent_at", "user", "kind", "entry", "occasion")
    list_filter = ("kind",)
    search_fields = ("user__username", "entry__indicator__ref")
    list_select_related = ("user", "entry", "entry__indicator")
