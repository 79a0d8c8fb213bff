"""The one write path for figures: every change to a value (with its
numerator and denominator), commentary and actions goes through here,
whoever makes it: the round's pages, the API, an import, the admin site or a
revert. The rules are applied here and nowhere else:

1. **The round rule.** A period that an open reporting round collects is
   written to that round's entry, as a draft, and signed off there; a write
   straight to the values is refused (``RoundCollects``) unless a BI
   administrator forces it, which the audit trail records.
2. **Drafts never touch a published figure.** A draft is kept in the values
   and commentary only where nothing for its period has been published;
   otherwise it stays in the round's entry until the round publishes it.
   The public read path (``published()`` querysets) can therefore only ever
   see published figures.
3. **The restatement rule** (``Observation.value_changed``): a changed draft
   is a new first figure; a changed published figure is a restatement, dated,
   with the first figure kept.
4. **The audit record** of every change, in the same transaction.
5. **The data version**, bumped once per change, so that every kept page and
   evaluation is worked out again.

Optimistic concurrency (a write made against an older version is refused
with what changed) is checked by the callers that hold a version: the round's
steps (``perfreport.rounds.services``) and a revert.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from perfreport.accounts.permissions import Actor
from perfreport.audit import trail as audit
from perfreport.core.errors import Refused
from perfreport.core.periods import Period
from perfreport.core.units import UnitFormat
from perfreport.core.withheld import withheld_text
from perfreport.core.workflow import Action, next_state
from perfreport.data.models import Commentary, Entry, Observation, RoundState
from perfreport.data.values import FieldError, check_frequency, read_value
from perfreport.registry.models import Indicator, Organisation
from perfreport.registry.periods import period_fields

__all__ = [
    "NoHomeOrganisation",
    "RoundCollects",
    "collecting_entry",
    "commentary_record",
    "draft_into_entry",
    "drafts_into_entries",
    "home_organisation",
    "observation_record",
    "publish_entries",
    "write_draft",
    "write_restatement",
]

Amount = float | int | str | Decimal


class NoHomeOrganisation(Refused):
    """Values belong to the home organisation, and none is set."""

    def __init__(self) -> None:
        super().__init__(
            "no organisation is marked as home: import organisations.csv (or an "
            "indicators file, which makes one) first"
        )


class RoundCollects(Refused):
    """The period is collected by an open round: it is entered and signed off
    there, not written straight to the published values."""

    def __init__(self, entry: Entry) -> None:
        super().__init__(
            f"indicator {entry.indicator.ref} {entry.period} is collected by the open round for "
            f"{entry.round.period}: enter it there, where it is signed off (a BI administrator "
            "may force it past the round)"
        )
        self.entry = entry


def home_organisation() -> Organisation | None:
    return Organisation.objects.filter(is_home=True).first()


def _key(period: Period) -> dict[str, Any]:
    return {"frequency": period.frequency.value, "first_month": period.first_month}


# 1. The round rule


def collecting_entry(indicator: Indicator | int, period: Period) -> Entry | None:
    """The entry of an open round that collects ``indicator`` for ``period``."""
    indicator_id = indicator.pk if isinstance(indicator, Indicator) else indicator
    return (
        Entry.objects.select_related("round", "indicator", "indicator__service")
        .filter(indicator_id=indicator_id, round__state=RoundState.OPEN, **_key(period))
        .first()
    )


def round_collecting(indicator_id: int, frequency: str, first_month: int) -> Entry | None:
    """The open round's entry for a stored period (frequency and first month),
    as the admin's forms have it."""
    return (
        Entry.objects.select_related("round", "indicator")
        .filter(
            indicator_id=indicator_id,
            round__state=RoundState.OPEN,
            frequency=frequency,
            first_month=first_month,
        )
        .first()
    )


def open_round_keys() -> dict[tuple[int, str, int], Entry]:
    """Every entry of an open round, by (indicator id, frequency, first month)."""
    entries = Entry.objects.filter(round__state=RoundState.OPEN).select_related(
        "round", "indicator", "indicator__service"
    )
    return {(e.indicator_id, e.frequency, e.first_month): e for e in entries}


def _obey_round(actor: Actor, indicator: Indicator, period: Period, force: bool) -> bool:
    """Refuse a write to a period an open round collects, unless forced by a
    BI administrator; True when the write was forced past a round."""
    entry = collecting_entry(indicator, period)
    if entry is None:
        return False
    if not force:
        raise RoundCollects(entry)
    actor.require_admin(gettext_noop("write past an open round"))
    return True


# 2. Values and commentary outside a round


def observation_record(
    *,
    actor: Actor,
    indicator: Indicator,
    period: Period,
    value: Amount | None,
    numerator: Amount | None = None,
    denominator: Amount | None = None,
    is_draft: bool = False,
    reason: str = "",
    force: bool = False,
) -> tuple[Observation, bool]:
    """Create or replace the home organisation's value for ``period``, a
    period no open round collects; True when created. A draft may not replace
    a published figure; a changed published figure is a restatement."""
    check_frequency(indicator, period)
    withheld = withheld_text(value) if isinstance(value, str) else None
    fields = {
        "value": None if withheld else _number(value, indicator.unit_format, "value"),
        "withheld_as": withheld or "",
        "numerator": _number(numerator, None, "numerator"),
        "denominator": _number(denominator, None, "denominator"),
        "is_draft": is_draft,
    }
    if fields["value"] is None and not withheld:
        raise FieldError("value", "is empty: give a number such as 97.83, or c if withheld")
    if fields["denominator"] == 0:
        raise FieldError("denominator", "is 0: a fraction needs a denominator other than 0")
    home = home_organisation()
    if home is None:
        raise NoHomeOrganisation
    with transaction.atomic():
        forced = _obey_round(actor, indicator, period, force)
        why = _forced_reason(reason, forced)
        stored = (
            Observation.objects.select_for_update()
            .filter(indicator=indicator, organisation=home, **_key(period))
            .first()
        )
        if stored is None:
            created = Observation.objects.create(
                indicator=indicator,
                organisation=home,
                first_value=fields["value"],
                **period_fields(period),
                **fields,
            )
            _record_created(actor, created, audit.OBSERVATION, fields, why)
            return created, True
        if is_draft and not stored.is_draft:
            raise Refused(_no_draft_over_published(indicator, period))
        before = audit.fields_of(stored, fields)
        update_observation(stored, fields)
        audit.record_change(
            actor, stored, audit.OBSERVATION, before, indicator=indicator,
            period=period.label, reason=why,
        )  # fmt: skip
        return stored, False


def _number(raw: Amount | None, unit: str | UnitFormat | None, name: str) -> Decimal | None:
    if isinstance(raw, Decimal):
        return raw
    return read_value(raw, unit, name)


def _no_draft_over_published(indicator: Indicator, period: Period) -> str:
    return (
        f"indicator {indicator.ref} {period.label} has a published value, which a draft may not "
        "replace: send it as published (a restatement, with a reason), or enter it in a round"
    )


def update_observation(stored: Observation, fields: Mapping[str, object]) -> list[str]:
    """Save the changed ``fields`` of a stored value, applying the restatement
    rule; returns the fields saved (none when nothing changed)."""
    changed = [name for name, value in fields.items() if getattr(stored, name) != value]
    if not changed:
        return []  # nothing to save: the data version stays, and so do the caches
    old_value, was_draft = stored.value, stored.is_draft
    for name in fields:
        setattr(stored, name, fields[name])
    if "value" in changed:
        changed += stored.value_changed(old_value, was_draft)
    stored.save(update_fields=[*changed, "updated_at"])
    return changed


def commentary_record(
    *,
    actor: Actor,
    indicator: Indicator,
    period: Period,
    text: str,
    actions: str,
    force: bool = False,
) -> tuple[Commentary, bool]:
    """Create or replace the published commentary and actions for ``period``,
    a period no open round collects; True when created."""
    with transaction.atomic():
        forced = _obey_round(actor, indicator, period, force)
        why = _forced_reason("", forced)
        stored = (
            Commentary.objects.select_for_update()
            .filter(indicator=indicator, **_key(period))
            .first()
        )
        if stored is None:
            created = Commentary.objects.create(
                indicator=indicator, text=text, actions=actions, **period_fields(period)
            )
            fields = {"text": text, "actions": actions}
            _record_created(actor, created, audit.COMMENTARY, fields, why)
            return created, True
        wanted = {"text": text, "actions": actions, "is_draft": False}
        before = audit.fields_of(stored, wanted)
        if any(getattr(stored, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(stored, name, value)
            stored.save(update_fields=[*wanted, "updated_at"])
            audit.record_change(
                actor, stored, audit.COMMENTARY, before, indicator=indicator,
                period=period.label, reason=why,
            )  # fmt: skip
        return stored, False


def _forced_reason(reason: str, forced: bool) -> str:
    reason = reason.strip()
    if not forced:
        return reason
    return f"{reason} (forced past the open round)" if reason else "forced past the open round"


def _record_created(
    actor: Actor, stored: Any, object_type: str, fields: Mapping[str, Any], reason: str
) -> None:
    audit.record(
        actor,
        "create",
        object_type,
        stored.pk,
        indicator=stored.indicator_id,
        period=stored.period,
        after=fields,
        reason=reason,
    )


# 3. A round's figures: drafts, then published


def write_draft(entry: Entry) -> None:
    """Keep the values and commentary staff read in step with the entry, as
    drafts, where nothing for its period is published. A published value or
    commentary is left as it is: the draft stays in the entry until the round
    publishes it (``publish_entries``)."""
    home = home_organisation()
    key = {"frequency": entry.frequency, "first_month": entry.first_month}
    stored = Observation.objects.filter(indicator=entry.indicator, organisation=home, **key).first()
    if stored is None:
        if has_figure(entry):
            if home is None:
                raise NoHomeOrganisation
            Observation.objects.create(
                indicator=entry.indicator,
                organisation=home,
                **_figures(entry),
                first_value=entry.value,
                is_draft=True,
                **period_fields(entry.get_period()),
            )
    elif stored.is_draft:
        if not has_figure(entry):
            stored.delete()
        else:
            update_observation(stored, _figures(entry))
    notes = Commentary.objects.filter(indicator=entry.indicator, **key).first()
    if notes is None:
        if has_notes(entry):
            Commentary.objects.create(
                indicator=entry.indicator,
                **notes_of(entry),
                is_draft=True,
                **period_fields(entry.get_period()),
            )
    elif notes.is_draft and _renoted(notes, entry):
        notes.save(update_fields=[*NOTE_FIELDS.values(), "updated_at"])


def write_restatement(entry: Entry) -> None:
    """A published round's entry restated: its figures replace the published
    value, which the restatement rule keeps as the first figure."""
    home = home_organisation()
    if home is None:
        raise NoHomeOrganisation
    key = {"frequency": entry.frequency, "first_month": entry.first_month}
    stored = Observation.objects.filter(indicator=entry.indicator, organisation=home, **key).first()
    if stored is None:
        Observation.objects.create(
            indicator=entry.indicator,
            organisation=home,
            first_value=entry.value,
            **_figures(entry),
            **period_fields(entry.get_period()),
        )
    else:
        update_observation(stored, {**_figures(entry), "is_draft": False})


def draft_into_entry(
    actor: Actor, entry: Entry, changes: Mapping[str, Any], *, reason: str
) -> bool:
    """The round rule for a write that does not come through the entry's
    page (an import): ``changes`` (value, numerator, denominator, commentary,
    actions) go into the open round's entry as a draft, to be submitted and
    signed off there. Refused unless the entry is still its owner's to work
    on (not started, draft or returned). True when anything changed."""
    actor.require_edit(entry.indicator)
    state = next_state(entry.entry_state, Action.SAVE)
    names = list(changes)
    before = audit.fields_of(entry, [*names, "state"])
    if all(audit.plain(getattr(entry, n)) == audit.plain(v) for n, v in changes.items()):
        return False
    for name, value in changes.items():
        setattr(entry, name, value)
    entry.state = state.value
    entry.version += 1
    entry.updated_by = actor.user if actor.user is not None and actor.user.pk else None
    entry.save(update_fields=[*names, "state", "version", "updated_by", "updated_at"])
    write_draft(entry)
    audit.record_change(
        actor, entry, audit.ENTRY, before, indicator=entry.indicator, period=entry.period,
        action="save", reason=reason,
    )  # fmt: skip
    return True


def drafts_into_entries(
    actor: Actor, changes: Iterable[tuple[Entry, Mapping[str, Any]]], *, reason: str
) -> list[Entry]:
    """:func:`draft_into_entry` for many entries at once (an automated feed's
    thousands), with the same rules and records, written in batches: each
    entry saved as a draft with its version up by one, the values and
    commentary staff read kept in step as :func:`write_draft` keeps them
    (never over a published figure), and one audit event an entry. Returns
    the entries that changed. Call it inside the caller's transaction."""
    saved: list[Entry] = []
    events = []
    for entry, wanted in changes:
        actor.require_edit(entry.indicator)
        state = next_state(entry.entry_state, Action.SAVE)
        if all(audit.plain(getattr(entry, n)) == audit.plain(v) for n, v in wanted.items()):
            continue
        before = audit.fields_of(entry, [*wanted, "state"])
        for name, value in wanted.items():
            setattr(entry, name, value)
        entry.state, entry.version = state.value, entry.version + 1
        entry.updated_by = actor.user if actor.user is not None and actor.user.pk else None
        events.append(
            audit.change_event(
                actor, entry, audit.ENTRY, before, indicator=entry.indicator_id,
                period=entry.period, action="save", reason=reason,
            )
        )  # fmt: skip
        saved.append(entry)
    if not saved:
        return saved
    now = timezone.now()
    for entry in saved:
        entry.updated_at = now
    fields = [*ENTRY_FIGURES, *NOTE_FIELDS, "state", "version", "updated_by"]
    _save_fields(Entry, saved, [*fields, "updated_at"])
    _write_drafts(saved, now)
    audit.record_all(e for e in events if e is not None)
    return saved


ENTRY_FIGURES = ("value", "withheld_as", "numerator", "denominator")
# An entry's words and the commentary's fields they become, English and Welsh.
NOTE_FIELDS = {
    "commentary": "text",
    "actions": "actions",
    "commentary_cy": "text_cy",
    "actions_cy": "actions_cy",
}


def notes_of(entry: Entry) -> dict[str, str]:
    """The entry's commentary and actions, English and Welsh, as a
    :class:`Commentary`'s fields."""
    return {note: getattr(entry, name) for name, note in NOTE_FIELDS.items()}


def has_notes(entry: Entry) -> bool:
    return any(notes_of(entry).values())


def _write_drafts(entries: list[Entry], now: datetime) -> None:
    """:func:`write_draft` for many entries: the stored values and commentary
    of their periods read in one query each, written in batches."""
    home = home_organisation()
    indicators = {e.indicator_id for e in entries}
    months = {e.first_month for e in entries}
    key = {"indicator_id__in": indicators, "first_month__in": months}
    stored = {
        (o.indicator_id, o.frequency, o.first_month): o
        for o in Observation.objects.filter(organisation=home, **key)
    }
    notes = {
        (c.indicator_id, c.frequency, c.first_month): c for c in Commentary.objects.filter(**key)
    }
    new_values, changed_values, gone = [], [], []
    new_notes, changed_notes = [], []
    for entry in entries:
        at = (entry.indicator_id, entry.frequency, entry.first_month)
        held = stored.get(at)
        if held is None and has_figure(entry):
            if home is None:
                raise NoHomeOrganisation
            new_values.append(_draft_observation(entry, home))
        elif held is not None and held.is_draft:
            if not has_figure(entry):
                gone.append(held.pk)
            elif _refigured(held, entry):
                held.updated_at = now
                changed_values.append(held)
        note = notes.get(at)
        if note is None and has_notes(entry):
            new_notes.append(_draft_commentary(entry))
        elif note is not None and note.is_draft and _renoted(note, entry):
            note.updated_at = now
            changed_notes.append(note)
    Observation.objects.filter(pk__in=gone).delete()
    Observation.objects.bulk_create(new_values, batch_size=500)
    _save_fields(Observation, changed_values, [*ENTRY_FIGURES, "first_value", "updated_at"])
    Commentary.objects.bulk_create(new_notes, batch_size=500)
    _save_fields(Commentary, changed_notes, [*NOTE_FIELDS.values(), "updated_at"])


def _save_fields(model: type[models.Model], objects: list[Any], names: list[str]) -> None:
    """Save the named fields of many rows with one UPDATE run for each
    (``executemany``): Django's ``bulk_update`` builds a CASE for every
    field and row, which took 25 s for 6,000 entries of ten fields."""
    if not objects:
        return
    fields = [model._meta.get_field(name) for name in names]
    concrete = [f for f in fields if isinstance(f, models.Field)]
    assert len(concrete) == len(fields) and model._meta.pk is not None
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(str(f.column))} = %s" for f in concrete)
    where = quote(str(model._meta.pk.column))
    sql = f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE {where} = %s"
    rows = [
        [f.get_db_prep_save(getattr(o, f.attname), connection) for f in concrete] + [o.pk]
        for o in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _draft_observation(entry: Entry, home: Organisation) -> Observation:
    return Observation(
        indicator_id=entry.indicator_id,
        organisation=home,
        **_figures(entry),
        first_value=entry.value,
        is_draft=True,
        **period_fields(entry.get_period()),
    )


def _draft_commentary(entry: Entry) -> Commentary:
    return Commentary(
        indicator_id=entry.indicator_id,
        **notes_of(entry),
        is_draft=True,
        **period_fields(entry.get_period()),
    )


def _renoted(note: Commentary, entry: Entry) -> bool:
    """The commentary given the entry's words; True when they differ."""
    wanted = notes_of(entry)
    if all(getattr(note, name) == value for name, value in wanted.items()):
        return False
    for name, value in wanted.items():
        setattr(note, name, value)
    return True


def _refigured(held: Observation, entry: Entry) -> bool:
    """A stored draft given the entry's figures; True when they differ. A
    draft was never published: its new figure is its first (the restatement rule)."""
    figures = _figures(entry)
    if all(getattr(held, name) == value for name, value in figures.items()):
        return False
    old_value = held.value
    for name, value in figures.items():
        setattr(held, name, value)
    if held.value != old_value:
        held.value_changed(old_value, was_draft=True)
    return True


def _figures(entry: Entry) -> dict[str, object]:
    return {
        "value": entry.value,
        "withheld_as": entry.withheld_as,
        "numerator": entry.numerator,
        "denominator": entry.denominator,
    }


def has_figure(entry: Entry) -> bool:
    """Whether the entry holds a figure: a value, or one withheld as published."""
    return entry.value is not None or bool(entry.withheld_as)


def publish_entries(entries: Iterable[Entry], now: datetime) -> None:
    """The approved entries' figures become the published values and
    commentary. A draft is published as it stands (one update for all); a
    published figure that the round changed is a restatement."""
    home = home_organisation()
    drafts, notes = Q(), Q()
    for entry in entries:
        key = Q(indicator_id=entry.indicator_id, frequency=entry.frequency)
        key &= Q(first_month=entry.first_month)
        drafts |= key
        notes |= key
        _publish_over(entry, home, now)
    if drafts:
        Observation.objects.filter(drafts, organisation=home, is_draft=True).update(
            is_draft=False, updated_at=now
        )
        Commentary.objects.filter(notes, is_draft=True).update(is_draft=False, updated_at=now)


def _publish_over(entry: Entry, home: Organisation | None, now: datetime) -> None:
    """Where the entry's period already has published figures that the round
    changed, put the entry's in their place (a restatement of the value)."""
    key = {"frequency": entry.frequency, "first_month": entry.first_month}
    stored = Observation.objects.filter(
        indicator_id=entry.indicator_id, organisation=home, is_draft=False, **key
    ).first()
    if stored is not None and has_figure(entry):
        figures = _figures(entry)
        if any(getattr(stored, name) != value for name, value in figures.items()):
            old_value = stored.value
            for name, value in figures.items():
                setattr(stored, name, value)
            update = [*figures, "updated_at"]
            if stored.value != old_value:
                update += stored.value_changed(old_value, was_draft=False, now=now)
            stored.save(update_fields=update)
    # The commentary as the entry has it, published or still the draft (its
    # Welsh may have been added since the draft was written).
    notes = Commentary.objects.filter(indicator_id=entry.indicator_id, **key).first()
    if notes is not None and _renoted(notes, entry):
        notes.save(update_fields=[*NOTE_FIELDS.values(), "updated_at"])
