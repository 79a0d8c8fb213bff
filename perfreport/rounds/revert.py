"""Reverting a change: what it replaced is put back, as a new change in the
audit trail that names the one it undoes. Only a BI administrator may, and
only with a reason; a published round's entry is restated instead."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from perfreport.core.workflow import TransitionError
from perfreport.data.models import Commentary, Observation
from perfreport.registry.models import Indicator, Target
from perfreport.rounds import audit
from perfreport.rounds.models import AuditEvent, Entry
from perfreport.rounds.permissions import Actor
from perfreport.rounds.services import (
    ENTRY_FIELDS,
    Invalid,
    RoundError,
    entry_for_update,
    user_of,
    write_through,
)

__all__ = ["REVERTIBLE", "revert_event"]

REVERTIBLE = {
    audit.ENTRY: ENTRY_FIELDS,
    audit.OBSERVATION: ("value", "numerator", "denominator", "stated_rag", "is_draft"),
    audit.COMMENTARY: ("text", "actions"),
    audit.TARGET: ("value", "kind", "note"),
    audit.INDICATOR: None,  # any field of the definition
}


@transaction.atomic
def revert_event(actor: Actor, event_id: int, reason: str) -> AuditEvent:
    """Put back what one change replaced, as a new change that names it."""
    actor.require_admin("revert a change")
    event = AuditEvent.objects.select_for_update().get(pk=event_id)
    if not reason.strip():
        raise Invalid.one("reason", "is required: say why the change is being undone")
    if event.object_type not in REVERTIBLE or not event.before:
        raise RoundError(
            f"a {event.action} of {event.object_type} cannot be reverted here: only changes to "
            "an entry, value, commentary, target or indicator definition can"
        )
    allowed = REVERTIBLE[event.object_type]
    names = [n for n in event.before if allowed is None or n in allowed]
    if event.object_type == audit.ENTRY:
        entry = entry_for_update(int(event.object_id)) if _exists(event) else None
        if entry is None:
            raise RoundError("the entry this change was made to no longer exists")
        if entry.round.is_published:
            raise TransitionError(
                f"the round for {entry.round.period} has been published: restate the value "
                "instead, with a reason"
            )
        target: Any = entry
    else:
        model: Any = {
            audit.OBSERVATION: Observation,
            audit.COMMENTARY: Commentary,
            audit.TARGET: Target,
            audit.INDICATOR: Indicator,
        }[event.object_type]
        target = model.objects.select_for_update().filter(pk=event.object_id).first()
        if target is None:
            raise RoundError(f"the {event.object_type} this change was made to no longer exists")
    before = audit.fields_of(target, names)
    for name in names:
        _set(target, name, event.before[name])
    if isinstance(target, Entry):
        target.version += 1
        target.updated_by = user_of(actor)
        target.save(update_fields=[*names, "version", "updated_by", "updated_at"])
        write_through(target)
    else:
        target.full_clean(validate_unique=False, validate_constraints=False)
        target.save()
    indicator = event.indicator_id
    reverted = audit.record_change(
        actor,
        target,
        event.object_type,
        before,
        indicator=indicator,
        period=event.period,
        reason=reason.strip(),
        action="revert",
        reverts=event,
    )
    if reverted is None:
        raise RoundError("nothing to revert: the fields already hold what the change replaced")
    return reverted


def _exists(event: AuditEvent) -> bool:
    return Entry.objects.filter(pk=event.object_id).exists()


def _set(obj: Any, name: str, kept: Any) -> None:
    field = obj._meta.get_field(name)
    attname = getattr(field, "attname", name)
    setattr(obj, attname, None if kept is None else field.to_python(kept))
