"""The audit trail: one row for every change to a value, target, commentary,
action, indicator definition or state, written in the same transaction as
the change itself (a change that rolls back leaves no trace, and no change
goes unrecorded)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from perfreport.accounts.permissions import Actor
from perfreport.audit.models import AuditEvent
from perfreport.registry.models import Indicator

# What the trail calls each kind of thing changed.
ENTRY, OBSERVATION, COMMENTARY, TARGET, INDICATOR, ROUND, IMPORT = (
    "entry",
    "observation",
    "commentary",
    "target",
    "indicator",
    "round",
    "import",
)


def plain(value: Any) -> Any:
    """A field's value as the trail keeps it (JSON): numbers as exact text."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 72.500000 as 72.5, 1E+2 as 100
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def fields_of(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The named fields of ``obj``, as the trail keeps them; a foreign key by its id."""
    found = {}
    for name in names:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        found[name] = plain(getattr(obj, attname))
    return found


def changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict, dict]:  # type: ignore[type-arg]
    """Only the fields whose value differs, before and after."""
    names = [n for n in after if plain(before.get(n)) != plain(after[n])]
    return {n: plain(before.get(n)) for n in names}, {n: plain(after[n]) for n in names}


def event(
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object = "",
    *,
    indicator: Indicator | int | None = None,
    period: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
    reverts: AuditEvent | None = None,
) -> AuditEvent:
    """An event of the trail, not saved yet: :func:`record` saves one, and a
    writer that saves many changes at once hands them to :func:`record_all`."""
    return AuditEvent(
        user=actor.user if actor.user is not None and actor.user.pk else None,
        actor=actor.name,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        indicator_id=indicator.pk if isinstance(indicator, Indicator) else indicator,
        period=period,
        before=None if before is None else {k: plain(v) for k, v in before.items()},
        after=None if after is None else {k: plain(v) for k, v in after.items()},
        reason=reason,
        reverts=reverts,
    )


def record(
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object = "",
    *,
    indicator: Indicator | int | None = None,
    period: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
    reverts: AuditEvent | None = None,
) -> AuditEvent:
    made = event(
        actor,
        action,
        object_type,
        object_id,
        indicator=indicator,
        period=period,
        before=before,
        after=after,
        reason=reason,
        reverts=reverts,
    )
    made.save()
    return made


def change_event(
    actor: Actor,
    obj: models.Model,
    object_type: str,
    before: Mapping[str, Any],
    *,
    indicator: Indicator | int | None = None,
    period: str = "",
    reason: str = "",
    action: str = "update",
    reverts: AuditEvent | None = None,
) -> AuditEvent | None:
    """The event of the fields of ``obj`` that differ from ``before``, unsaved
    (for :func:`record_all`); None when none do."""
    old, new = changed(before, fields_of(obj, before.keys()))
    if not new:
        return None
    return event(
        actor,
        action,
        object_type,
        obj.pk,
        indicator=indicator,
        period=period,
        before=old,
        after=new,
        reason=reason,
        reverts=reverts,
    )


def record_change(
    actor: Actor,
    obj: models.Model,
    object_type: str,
    before: Mapping[str, Any],
    *,
    indicator: Indicator | int | None = None,
    period: str = "",
    reason: str = "",
    action: str = "update",
    reverts: AuditEvent | None = None,
) -> AuditEvent | None:
    """Record the fields of ``obj`` that differ from ``before``; nothing when
    none do."""
    made = change_event(
        actor,
        obj,
        object_type,
        before,
        indicator=indicator,
        period=period,
        reason=reason,
        action=action,
        reverts=reverts,
    )
    if made is not None:
        made.save()
    return made


def record_all(events: Iterable[AuditEvent]) -> None:
    """Write events made by :func:`change_event`, in the caller's transaction."""
    AuditEvent.objects.bulk_create(list(events), batch_size=500)
