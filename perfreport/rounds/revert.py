"""Reverting a change: what it replaced is put back, as a new change in the
audit trail that names the one it undoes. Only a BI administrator may, and
only with a reason. A revert is a write like any other, through the one
write path (perfreport.data.services): a published round's entry is restated
instead; a submitted or approved entry goes back to draft, to be signed off
again; a published value put back is a restatement; a period an open round
collects is changed in the round. A revert made from a page that showed an
older state of the thing (someone changed it since) is refused (``Stale``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_noop

from perfreport.accounts.permissions import Actor
from perfreport.audit import trail as audit
from perfreport.audit.models import AuditEvent
from perfreport.core.errors import Stale
from perfreport.core.workflow import EntryState, TransitionError
from perfreport.data.models import Commentary, Entry, Observation
from perfreport.data.services import (
    RoundCollects,
    collecting_entry,
    update_observation,
    write_draft,
)
from perfreport.data.versions import one_change
from perfreport.registry.models import Indicator, Target
from perfreport.rounds.services import (
    ENTRY_FIELDS,
    Invalid,
    RoundError,
    entry_for_update,
    user_of,
)

__all__ = ["REVERTIBLE", "ChangedSince", "latest_event_id", "revert_event"]


class ChangedSince(Stale):
    """The thing was changed again after the page offering the revert was
    shown: ``changes`` are (field, label, now, what the revert would put
    back); nothing was reverted."""

    def __init__(self, event: AuditEvent, newer: list[AuditEvent]) -> None:
        by = ", ".join(dict.fromkeys(e.actor for e in newer))
        super().__init__(
            f"the {event.object_type} was changed again by {by} after you opened its history: "
            "nothing was reverted. Look at the change made since, then revert again if you still "
            "mean to"
        )
        self.event, self.newer = event, newer
        after: dict[str, Any] = {}
        for later in reversed(newer):
            after.update(later.after or {})
        self.changes = [(name, name, after[name], (event.before or {}).get(name)) for name in after]


def latest_event_id(object_type: str, object_id: object) -> int:
    """The newest event about one thing: what a revert form carries."""
    found = (
        AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id))
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return found or 0


REVERTIBLE = {
    audit.ENTRY: (*ENTRY_FIELDS, "commentary_cy", "actions_cy"),  # with the Welsh (issue 17)
    audit.OBSERVATION: ("value", "numerator", "denominator", "stated_rag", "is_draft"),
    audit.COMMENTARY: ("text", "actions", "text_cy", "actions_cy"),
    audit.TARGET: ("value", "kind", "note"),
    audit.INDICATOR: None,  # any field of the definition
}


@transaction.atomic
def revert_event(
    actor: Actor, event_id: int, reason: str, *, latest: int | None = None
) -> AuditEvent:
    """Put back what one change replaced, as a new change that names it.
    ``latest``: the newest event about the same thing that the person was
    shown; a newer one means it changed since (``ChangedSince``)."""
    actor.require_admin(gettext_noop("revert a change"))
    event = AuditEvent.objects.select_for_update().get(pk=event_id)
    if not reason.strip():
        raise Invalid.one("reason", "is required: say why the change is being undone")
    if latest is not None:
        newer = list(
            AuditEvent.objects.filter(
                object_type=event.object_type, object_id=event.object_id, pk__gt=latest
            ).order_by("pk")
        )
        if newer:
            raise ChangedSince(event, newer)
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
    if isinstance(target, Observation | Commentary):
        _refuse_in_open_round(target)
    tracked = [*names, "state"] if isinstance(target, Entry) else names
    before = audit.fields_of(target, tracked)
    with one_change():
        if isinstance(target, Entry):
            _revert_entry(actor, target, event, names)
        elif isinstance(target, Observation):
            kept = {name: _kept(target, name, event.before[name]) for name in names}
            update_observation(target, kept)
        else:
            for name in names:
                _set(target, name, event.before[name])
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


def _revert_entry(actor: Actor, entry: Entry, event: AuditEvent, names: list[str]) -> None:
    """An entry's figures put back; one already submitted or approved goes
    back to draft, to be submitted and signed off again."""
    for name in names:
        _set(entry, name, (event.before or {})[name])
    update = [*names, "version", "updated_by", "updated_at"]
    if entry.entry_state in (EntryState.SUBMITTED, EntryState.APPROVED):
        entry.state = EntryState.DRAFT.value
        entry.approved_by, entry.approved_at = None, None
        update += ["state", "approved_by", "approved_at"]
    entry.version += 1
    entry.updated_by = user_of(actor)
    entry.save(update_fields=list(dict.fromkeys(update)))
    write_draft(entry)


def _refuse_in_open_round(target: Observation | Commentary) -> None:
    entry = collecting_entry(target.indicator_id, target.get_period())
    if entry is not None:
        raise RoundCollects(entry)


def _kept(obj: Any, name: str, kept: Any) -> Any:
    field = obj._meta.get_field(name)
    return None if kept is None else field.to_python(kept)


def _exists(event: AuditEvent) -> bool:
    return Entry.objects.filter(pk=event.object_id).exists()


def _set(obj: Any, name: str, kept: Any) -> None:
    field = obj._meta.get_field(name)
    attname = getattr(field, "attname", name)
    setattr(obj, attname, None if kept is None else field.to_python(kept))
