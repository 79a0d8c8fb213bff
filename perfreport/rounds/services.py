"""The quarterly round, as the web pages, the API and the command line all
run it: open a round, save and submit entries, approve or return them,
publish the round, restate a published value, revert a change.

Every function takes the :class:`Actor` doing it and checks their role
first (``NotAllowed``), runs in one transaction, and writes the audit trail
in it. Bad input raises ``Invalid`` with a message for each field; a save
made against an entry someone else has saved since raises ``Conflict`` with
what they changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from perfreport.accounts.permissions import Actor, NotAllowed
from perfreport.audit import trail as audit
from perfreport.core.errors import Invalid, Refused, Stale
from perfreport.core.evaluation import Evaluation, evaluate_indicator, expected_period
from perfreport.core.fraction import disagreement, fraction_multiplier, value_from_fraction
from perfreport.core.indicator import Point
from perfreport.core.periods import Frequency, Period
from perfreport.core.rating import Rating
from perfreport.core.targets import TargetEntry
from perfreport.core.text import COMMENTARY_LIMIT, TextError, checked_text
from perfreport.core.units import format_value, plain
from perfreport.core.withheld import Figure, Withheld, withheld_text
from perfreport.core.workflow import Action, EntryState, TransitionError, due_period, next_state
from perfreport.data.models import Commentary, Entry, Observation, Round, RoundState
from perfreport.data.selectors import home_organisation
from perfreport.data.services import publish_entries, write_draft, write_restatement
from perfreport.data.snapshots import EntrySnapshot, RoundSnapshot
from perfreport.data.values import FieldError, read_value
from perfreport.data.versions import bump_data_version, one_change, scheme_book
from perfreport.registry.models import Indicator, Organisation, Target
from perfreport.registry.periods import period_fields, stored_period
from perfreport.rounds import action_updates
from perfreport.rounds.notifications import send_soon
from perfreport.rounds.signals import announce_published
from perfreport.rounds.welsh import refuse_without_welsh

__all__ = [
    "Conflict",
    "EntryInput",
    "Invalid",
    "NotAllowed",
    "RoundError",
    "TransitionError",
    "approve_entry",
    "open_round",
    "preview",
    "previews",
    "publish_round",
    "restate_entry",
    "return_entry",
    "save_entry",
]

ENTRY_FIELDS = ("value", "numerator", "denominator", "commentary", "actions")
# The Welsh beside the English commentary and actions (issue 17), on the forms
# only in bilingual mode: a field not given (None) keeps what is saved.
WELSH_FIELDS = ("commentary_cy", "actions_cy")
LABELS = {
    "value": "Value",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "commentary": "Commentary",
    "actions": "Actions",
    "commentary_cy": "Commentary (Welsh)",
    "actions_cy": "Actions (Welsh)",
    "state": "State",
    "withheld_as": "Withheld as",
}


# A step the round is not ready for; the message says what stands in the way.
RoundError = Refused


@dataclass
class Conflict(Stale):
    """Someone saved the entry after this person opened it. ``changes`` are
    (field, label, theirs, yours) for every field where the saved entry and
    this person's input differ (for a step that types nothing, such as an
    approval, "yours" is empty and "theirs" is the entry as it now reads);
    nothing was written."""

    entry: Entry
    changes: list[tuple[str, str, str, str]]
    by: str
    at: Any

    def __str__(self) -> str:
        return (
            f"{self.by} saved indicator {self.entry.indicator.ref} at {self.at:%H:%M:%S} after you "
            "opened it: your changes were not saved"
        )


@dataclass
class EntryInput:
    """An entry as typed: numbers as text, read by the indicator's unit."""

    value: str = ""
    numerator: str = ""
    denominator: str = ""
    commentary: str = ""
    actions: str = ""
    commentary_cy: str | None = None  # None: not on the form, kept as saved
    actions_cy: str | None = None

    @classmethod
    def of(cls, entry: Entry) -> EntryInput:
        """The entry as a form or a template shows it: numbers exactly, no units."""

        def text(value: Decimal | None) -> str:
            return "" if value is None else plain(value)

        return cls(
            entry.withheld_as or text(entry.value),
            text(entry.numerator),
            text(entry.denominator),
            entry.commentary,
            entry.actions,
            entry.commentary_cy,
            entry.actions_cy,
        )


@dataclass
class Parsed:
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    commentary: str
    actions: str
    errors: dict[str, str] = field(default_factory=dict)
    withheld_as: str = ""  # the value typed as a withheld mark ("c"), kept as printed
    commentary_cy: str | None = None  # None: not given, kept as saved
    actions_cy: str | None = None


def parse_entry(indicator: Indicator, typed: EntryInput) -> Parsed:
    """Every field read, every problem collected (not just the first)."""
    errors = text_errors(vars(typed))
    if errors:
        return Parsed(None, None, None, "", "", errors)
    typed = replace(
        typed,
        **{n: None if t is None else checked_text(t) for n, t in vars(typed).items()},  # type: ignore[arg-type]
    )
    numbers: dict[str, Decimal | None] = {"value": None}
    withheld = withheld_text(typed.value)
    for name, unit in (
        ("value", indicator.unit_format),
        ("numerator", None),
        ("denominator", None),
    ):
        if name == "value" and withheld:
            continue  # withheld as published: no number
        try:
            numbers[name] = read_value(getattr(typed, name).strip(), unit, name)
        except FieldError as error:
            numbers[name] = None
            errors[name] = _unit_message(error, getattr(typed, name).strip())
    if numbers["denominator"] == 0 and "denominator" not in errors:
        errors["denominator"] = "is 0: a fraction needs a denominator other than 0"
    if (numbers["numerator"] is None) != (numbers["denominator"] is None) and not errors:
        missing = "denominator" if numbers["denominator"] is None else "numerator"
        errors[missing] = f"give the {missing} too, or neither"
    if not errors and not withheld:
        _fraction_rule(indicator, numbers, errors)
    return Parsed(
        numbers["value"],
        numbers["numerator"],
        numbers["denominator"],
        typed.commentary.strip(),
        typed.actions.strip(),
        errors,
        withheld or "",
        None if typed.commentary_cy is None else typed.commentary_cy.strip(),
        None if typed.actions_cy is None else typed.actions_cy.strip(),
    )


def _fraction_rule(
    indicator: Indicator, numbers: dict[str, Decimal | None], errors: dict[str, str]
) -> None:
    """Numerator and denominator given: an empty value is worked out from
    them (:mod:`perfreport.core.fraction`); a value typed beside them must
    agree with them to the places the indicator prints."""
    value, top, bottom = numbers["value"], numbers["numerator"], numbers["denominator"]
    if top is None or bottom is None:
        return
    unit, places = indicator.unit_format, indicator.decimals
    worked = value_from_fraction(top, bottom, unit, places)
    if worked is None:
        return
    sum_ = f"{plain(top)} ÷ {plain(bottom)}"
    multiplier = fraction_multiplier(unit)
    sum_ += "" if multiplier == 1 else f" × {plain(multiplier or Decimal(1))}"
    if unit.unit.caps_at_100 and not 0 <= worked <= 100:
        shown = format_value(worked, unit, places)
        errors["numerator"] = (
            f"is {plain(top)} of {plain(bottom)}, which gives {shown} ({sum_}): outside 0 to "
            "100, the range of a percentage"
        )
    elif value is None:
        numbers["value"] = worked
    elif disagreement(value, top, bottom, unit, places) is not None:
        errors["value"] = (
            f"is {format_value(value, unit, places)}, but the numerator and denominator give "
            f"{format_value(worked, unit, places)} ({sum_}): correct the value, the numerator "
            "or the denominator, or leave the value empty to have it worked out"
        )


def text_errors(fields: Mapping[str, str | None]) -> dict[str, str]:
    """The text rule (:func:`~perfreport.core.text.checked_text`) on each typed
    field, commentary and actions at most 20,000 characters: a message by field
    (a field not given, None, has none)."""
    errors = {}
    for name, text in fields.items():
        if text is None:
            continue
        long = ("commentary", "actions", "reason", *WELSH_FIELDS)
        limit = COMMENTARY_LIMIT if name in long else 200
        try:
            checked_text(text, limit=limit)
        except TextError as error:
            errors[name] = str(error)
    return errors


def _unit_message(error: FieldError, typed: str) -> str:
    """The reader's message as the entry form says it, beside the field's
    name: "Value: 140 is outside 0 to 100, the range of a percentage"."""
    if error.field == "value" and "percentage outside" in error.message:
        return f"{typed} is outside 0 to 100, the range of a percentage"
    return error.message


# Reading


def previews(entries: Sequence[Entry]) -> dict[int, Evaluation]:
    """:func:`preview` of each entry with its own value, by entry id: the
    values and targets of all their indicators read in two queries, not two
    an entry (a round page, publishing)."""
    ids = {entry.indicator_id for entry in entries}
    starts = {entry.indicator_id: entry.indicator.year_start_month for entry in entries}
    series: dict[int, list[Figure]] = defaultdict(list)
    rows = Observation.objects.filter(
        indicator_id__in=ids, organisation=home_organisation()
    ).values_list("indicator_id", "frequency", "first_month", "value", "withheld_as")
    for indicator_id, frequency, first_month, value, withheld_as in rows:
        period = stored_period(frequency, first_month, starts[indicator_id])
        series[indicator_id].append(_figure(period, value, withheld_as))
    targets: dict[int, list[TargetEntry]] = defaultdict(list)
    for target in Target.objects.filter(indicator_id__in=ids).select_related("indicator"):
        targets[target.indicator_id].append(target.to_core())
    return {
        entry.pk: _evaluate(
            entry,
            entry.value,
            series[entry.indicator_id],
            targets[entry.indicator_id],
            entry.withheld_as,
        )
        for entry in entries
    }


def preview(entry: Entry, value: Decimal | None, withheld_as: str = "") -> Evaluation:
    """The evaluation the round's report would print if ``value`` (or a figure
    withheld as ``withheld_as``) were saved: its RAG, change and explanation,
    worked out by the domain core."""
    rows = Observation.objects.filter(
        indicator=entry.indicator, organisation=home_organisation()
    ).values_list("frequency", "first_month", "value", "withheld_as")
    start = entry.indicator.year_start_month
    series = [_figure(stored_period(f, first, start), v, w) for f, first, v, w in rows]
    found = Target.objects.filter(indicator=entry.indicator).select_related("indicator")
    targets = [t.to_core() for t in found]
    return _evaluate(entry, value, series, targets, withheld_as)


def _figure(period: Period, value: Decimal | None, withheld_as: str) -> Figure:
    return Withheld(period, withheld_as) if value is None else Point(period, value)


def _evaluate(
    entry: Entry,
    value: Decimal | None,
    held: list[Figure],
    targets: list[TargetEntry],
    withheld_as: str = "",
) -> Evaluation:
    """The entry's indicator rated for its round with ``value`` (or a figure
    withheld as ``withheld_as``) in place of whatever is held for its period."""
    period = entry.get_period()
    series = [p for p in held if isinstance(p, Point) and p.period != period]
    withheld = [w for w in held if isinstance(w, Withheld) and w.period != period]
    if value is not None:
        series.append(Point(period, value))
    elif withheld_as:
        withheld.append(Withheld(period, withheld_as))
    series.sort(key=lambda p: p.period)
    withheld.sort(key=lambda w: w.period)
    return evaluate_indicator(
        entry.indicator.to_core(scheme_book()),
        entry.round.get_period(),
        series,
        targets,
        withheld=withheld,
    )


def previous_commentary(entry: Entry) -> Commentary | None:
    """What the service said last time, for reference."""
    return (
        Commentary.objects.filter(indicator=entry.indicator, last_month__lt=entry.first_month)
        .exclude(text="", actions="")
        .order_by("-last_month")
        .first()
    )


# Opening a round


@transaction.atomic
def open_round(actor: Actor, period: Period, deadline: date, *, today: date | None = None) -> Round:
    """Open the round for ``period``: an entry for every indicator due in it,
    filled with any value and commentary already held for its period. A
    monthly indicator also gets an entry for each earlier month since the
    one the round before collected (the quarter's other months) that has no
    published value, so that its series has no gap."""
    actor.require_admin(gettext_noop("open a round"))
    today = today or timezone.localdate()
    if deadline < today:
        raise Invalid.one(
            "deadline",
            f"{deadline.day} {deadline:%B %Y} is in the past: give a date from {today.day} {today:%B %Y}",
        )
    if Round.objects.filter(frequency=period.frequency.value, first_month=period.first_month):
        raise Invalid.one("period", f"a round for {period.label} is already open or published")
    opened = Round.objects.create(
        **period_fields(period), deadline=deadline, opened_by=user_of(actor)
    )
    home = home_organisation()
    entries = []
    for indicator in Indicator.objects.select_related("service"):
        entries += [
            _new_entry(opened, indicator, due, home) for due in periods_due(indicator, period, home)
        ]
    Entry.objects.bulk_create(entries)
    updates = action_updates.open_action_updates(opened, period)
    after = {"deadline": deadline, "entries": len(entries), "state": opened.state}
    if updates:
        after["action updates"] = updates
    audit.record(actor, "open", audit.ROUND, opened.pk, period=period.label, after=after)
    return opened


def periods_due(indicator: Indicator, period: Period, home: Organisation | None) -> list[Period]:
    """The indicator's periods a round for ``period`` collects, oldest first:
    the one due (:func:`~perfreport.core.workflow.due_period`) and, for a
    monthly indicator, each month after the one the round before collected
    that has no published value and that no open round collects already."""
    spec = indicator.to_core(scheme_book())
    due = due_period(spec, period)
    if due is None:
        return []
    if due.frequency is not Frequency.MONTHLY:
        return [due]
    before = expected_period(spec, period.previous())
    months = range(before.first_month + 1, due.first_month)
    key = {"indicator": indicator, "frequency": due.frequency.value, "first_month__in": months}
    taken = set(
        Observation.objects.filter(organisation=home, is_draft=False, **key).values_list(
            "first_month", flat=True
        )
    )
    taken |= set(
        Entry.objects.filter(round__state=RoundState.OPEN, **key).values_list(
            "first_month", flat=True
        )
    )
    start = indicator.year_start_month
    earlier = [stored_period(due.frequency.value, m, start) for m in months if m not in taken]
    return [*earlier, due]


def _new_entry(
    opened: Round, indicator: Indicator, due: Period, home: Organisation | None
) -> Entry:
    """The round's entry for ``indicator`` in ``due``, filled with the value
    and commentary already held for that period (then a draft)."""
    key = {"frequency": due.frequency.value, "first_month": due.first_month}
    held = Observation.objects.filter(indicator=indicator, organisation=home, **key).first()
    notes = Commentary.objects.filter(indicator=indicator, **key).first()
    entry = Entry(round=opened, indicator=indicator, **period_fields(due))
    if held is not None:
        entry.value, entry.numerator, entry.denominator = (
            held.value,
            held.numerator,
            held.denominator,
        )
        entry.withheld_as = held.withheld_as
    if notes is not None:
        entry.commentary, entry.actions = notes.text, notes.actions
        entry.commentary_cy, entry.actions_cy = notes.text_cy, notes.actions_cy
    if held is not None or notes is not None:
        entry.state = EntryState.DRAFT.value
    return entry


# Entering values


def entry_for_update(entry_id: int) -> Entry:
    return (
        Entry.objects.select_for_update(of=("self",))
        .select_related("round", "indicator", "indicator__service")
        .get(pk=entry_id)
    )


def user_of(actor: Actor) -> Any:
    return actor.user if actor.user is not None and actor.user.pk else None


def _shown(entry: Entry, name: str, value: object) -> str:
    if value is None or value == "":
        return "(empty)"
    if name == "value" and isinstance(value, Decimal):
        return format_value(value, entry.indicator.unit_format, entry.indicator.decimals)
    return str(value)


@transaction.atomic
def save_entry(
    actor: Actor, entry_id: int, typed: EntryInput, *, version: int, submit: bool = False
) -> Entry:
    """Save an entry as a draft, or submit it for approval. A Red value must
    come with actions to submit. Refused (``Conflict``) if the entry has been
    saved since ``version``, the version the person opened."""
    entry = entry_for_update(entry_id)
    actor.require_edit(entry.indicator)
    if entry.round.is_published:
        raise TransitionError(
            f"the round for {entry.round.period} has been published: restate the value instead, "
            "with a reason"
        )
    parsed = parse_entry(entry.indicator, typed)
    if entry.version != version:
        raise _conflict(entry, parsed)
    state = next_state(entry.entry_state, Action.SUBMIT if submit else Action.SAVE)
    if parsed.errors:
        raise Invalid(parsed.errors)
    if submit:
        _check_submission(entry, parsed)
    welsh = _welsh_given(parsed)
    before = audit.fields_of(entry, (*ENTRY_FIELDS, *welsh, "withheld_as", "state"))
    for name in (*ENTRY_FIELDS, *welsh, "withheld_as"):
        setattr(entry, name, getattr(parsed, name))
    entry.state = state.value
    entry.version += 1
    entry.updated_by = user_of(actor)
    update = [*ENTRY_FIELDS, *welsh, "withheld_as", "state", "version", "updated_by", "updated_at"]
    if submit:
        entry.submitted_by, entry.submitted_at = user_of(actor), timezone.now()
        update += ["submitted_by", "submitted_at"]
    entry.save(update_fields=update)
    with one_change():
        write_draft(entry)
    audit.record_change(
        actor,
        entry,
        audit.ENTRY,
        before,
        indicator=entry.indicator,
        period=entry.period,
        action="submit" if submit else "save",
    )
    return entry


def _welsh_given(parsed: Parsed | None) -> list[str]:
    """The Welsh fields the form gave (bilingual mode): the others keep what is saved."""
    return [n for n in WELSH_FIELDS if parsed is not None and getattr(parsed, n) is not None]


def _check_submission(entry: Entry, parsed: Parsed) -> None:
    if parsed.value is None and not parsed.withheld_as and not parsed.commentary:
        raise Invalid.one(
            "value",
            "is needed to submit; if there is none this period, say why in the commentary",
        )
    evaluation = preview(entry, parsed.value, parsed.withheld_as)
    if evaluation.rating is Rating.RED and not parsed.actions:
        raise Invalid.one(
            "actions",
            f"are required for a Red rating: {evaluation.explanation}. Say what is being done "
            "to bring it back on target",
        )


def _conflict(entry: Entry, parsed: Parsed | None) -> Conflict:
    """What the saved entry holds that differs from this person's input; with
    no input (an approval, a return), the entry as it now reads."""
    changes = []
    for name in (*ENTRY_FIELDS, *_welsh_given(parsed), "withheld_as"):
        theirs = getattr(entry, name)
        if parsed is None:
            if theirs not in (None, ""):
                changes.append((name, LABELS[name], _shown(entry, name, theirs), ""))
            continue
        yours = getattr(parsed, name)
        if audit.plain(theirs) != audit.plain(yours):
            changes.append(
                (name, LABELS[name], _shown(entry, name, theirs), _shown(entry, name, yours))
            )
    if parsed is None:
        changes.append(("state", LABELS["state"], entry.get_state_display(), ""))
    by = entry.updated_by.get_username() if entry.updated_by else "someone"
    return Conflict(entry, changes, by, timezone.localtime(entry.updated_at))


# Signing off


def check_version(entry: Entry, version: int | None) -> None:
    """Refuse (``Conflict``) a step taken on a page or through the API that
    showed an older version of the entry: the approver, the restater or the
    owner must look at it again. ``version`` None: the command line, which
    acts on the entry as it is."""
    if version is not None and entry.version != version:
        raise _conflict(entry, None)


@transaction.atomic
def approve_entry(actor: Actor, entry_id: int, *, version: int | None = None) -> Entry:
    """Sign off a submitted entry, as seen at ``version``."""
    entry = entry_for_update(entry_id)
    actor.require_approve(entry.indicator)
    check_version(entry, version)
    state = next_state(entry.entry_state, Action.APPROVE)
    _refuse_own_submission(actor, entry)
    before = audit.fields_of(entry, ("state",))
    entry.state = state.value
    entry.approved_by, entry.approved_at = user_of(actor), timezone.now()
    entry.return_reason = ""
    entry.version += 1
    entry.save(
        update_fields=[
            "state",
            "approved_by",
            "approved_at",
            "return_reason",
            "version",
            "updated_at",
        ]
    )
    audit.record_change(
        actor, entry, audit.ENTRY, before, indicator=entry.indicator, period=entry.period,
        action="approve",
    )  # fmt: skip
    return entry


@transaction.atomic
def return_entry(actor: Actor, entry_id: int, reason: str, *, version: int | None = None) -> Entry:
    """Send a submitted entry, as seen at ``version``, back to its owner with a reason."""
    entry = entry_for_update(entry_id)
    actor.require_approve(entry.indicator)
    check_version(entry, version)
    state = next_state(entry.entry_state, Action.RETURN)
    reason = reason.strip()
    if not reason:
        raise Invalid.one("reason", "is required: tell the owner what to put right")
    if errors := text_errors({"reason": reason}):
        raise Invalid(errors)
    before = audit.fields_of(entry, ("state", "return_reason"))
    entry.state, entry.return_reason = state.value, reason
    entry.approved_by, entry.approved_at = None, None
    entry.version += 1
    entry.save(
        update_fields=[
            "state",
            "return_reason",
            "approved_by",
            "approved_at",
            "version",
            "updated_at",
        ]
    )
    audit.record_change(
        actor, entry, audit.ENTRY, before, indicator=entry.indicator, period=entry.period,
        action="return", reason=reason,
    )  # fmt: skip
    _notify_owners()
    return entry


def _refuse_own_submission(actor: Actor, entry: Entry) -> None:
    if settings.PERFREPORT_ALLOW_SELF_APPROVAL or actor.is_system:
        return
    if actor.user is not None and entry.submitted_by_id == actor.user.pk:
        raise NotAllowed(
            f"you submitted indicator {entry.indicator.ref} yourself: another approver must sign "
            "it off (PERFREPORT_ALLOW_SELF_APPROVAL is off)"
        )


# Publishing


BLOCKING = (EntryState.DRAFT, EntryState.SUBMITTED, EntryState.RETURNED)


class RoundChanged(Stale):
    """Entries changed after the person publishing opened the round's page:
    ``changes`` are (ref, state now, who saved it) for each; nothing was
    published."""

    def __init__(self, found: Round, changes: list[tuple[str, str, str]]) -> None:
        listed = ", ".join(f"{ref} ({state.lower()}, by {by})" for ref, state, by in changes)
        super().__init__(
            f"{len(changes)} entries of the round for {found.period} changed after you opened "
            f"it: {listed}. Nothing was published; check them and publish again"
        )
        self.round, self.changes = found, changes


def entry_versions(found: Round) -> dict[int, int]:
    """Every entry's version, by entry id: what a publish form carries."""
    return dict(found.entries.values_list("pk", "version"))


@transaction.atomic
def publish_round(
    actor: Actor,
    round_id: int,
    *,
    seen: Mapping[int, int] | None = None,
    reason: str | None = None,
    seen_actions: Mapping[int, int] | None = None,
) -> Round:
    """Publish every approved entry: their values stop being drafts, and the
    round's figures are frozen in its snapshot. Entries never started are
    published as missing. Entries still being worked on (draft, submitted,
    returned) are left out: their figures stay drafts, never public, and the
    entries keep their state; this needs a reason (the confirmation page),
    and the command line, which gives none, is refused while any is left.
    ``seen``, the entry versions the person publishing was shown, must be
    the current ones (``RoundChanged``); None from the command line.
    ``reason``, why the round is published with figures missing, is kept in
    the audit trail: when given (the confirmation page asks for it), it may
    be empty only if no figure is missing (``Invalid`` on "reason"); None
    (the command line) asks for none. The round's action updates are
    published alike: the approved ones, their progress written to their
    actions; those still being worked on are left out with the figures
    (``seen_actions``: the update versions the person was shown)."""
    actor.require_admin(gettext_noop("publish a round"))
    found = Round.objects.select_for_update().get(pk=round_id)
    if found.is_published:
        raise RoundError(f"the round for {found.period} is already published")
    entries = list(
        found.entries.select_related(
            "indicator", "indicator__service", "round", "updated_by"
        ).order_by("indicator__position", "indicator__ref", "first_month")
    )
    if seen is not None:
        changed = [e for e in entries if seen.get(e.pk) != e.version]
        if changed:
            raise RoundChanged(found, [_changed_entry(e) for e in changed])
    if seen_actions is not None:
        moved = action_updates.changed_since(found, seen_actions)
        if moved:
            raise RoundChanged(found, [_changed_update(u) for u in moved])
    waiting = [e for e in entries if e.entry_state in BLOCKING]
    waiting_actions = action_updates.waiting_updates(found)
    if waiting and reason is None:
        listed = ", ".join(f"{e.indicator.ref} ({e.get_state_display().lower()})" for e in waiting)
        raise RoundError(
            f"{len(waiting)} of {len(entries)} entries are not approved yet: {listed}. Approve "
            "them, or publish on the round's page, which asks why they are left out"
        )
    if waiting_actions and reason is None:
        raise RoundError(
            f"{len(waiting_actions)} action updates are not approved yet: "
            f"{action_updates.labels(waiting_actions)}. Approve them, or publish on the "
            "round's page, which asks why they are left out"
        )
    refuse_without_welsh(found)  # bilingual mode: nothing public without its Welsh
    missing = [e for e in entries if e.entry_state is EntryState.NOT_STARTED]
    reason = _publish_reason(reason, [*missing, *waiting], entries, waiting_actions)
    approved = [e for e in entries if e.entry_state is EntryState.APPROVED]
    evaluations = previews(approved)
    now = timezone.now()
    with one_change():
        publish_entries(approved, now)
    frozen = [_frozen(entry, evaluations[entry.pk]) for entry in approved]
    found.entries.filter(state=EntryState.APPROVED.value).update(
        state=EntryState.PUBLISHED.value, updated_at=now
    )
    published_actions = action_updates.publish_action_updates(found, now)
    found.state = RoundState.PUBLISHED
    found.published_by, found.published_at = user_of(actor), now
    found.snapshot = RoundSnapshot(now, actor.name, tuple(frozen)).to_json()
    found.save(update_fields=["state", "published_by", "published_at", "snapshot"])
    bump_data_version()  # the public pages now show these values
    audit.record(
        actor,
        "publish",
        audit.ROUND,
        found.pk,
        period=found.period,
        before={"state": RoundState.OPEN.value},
        after={
            "state": found.state,
            "published": len(frozen),
            "missing": len(missing),
            "not approved": len(waiting),
            **(
                {
                    "action updates published": len(published_actions),
                    "action updates not approved": len(waiting_actions),
                }
                if published_actions or waiting_actions
                else {}
            ),
        },
        reason=reason,
    )
    _notify_owners()
    announce_published(found)
    return found


def _publish_reason(
    reason: str | None,
    left_out: list[Entry],
    entries: list[Entry],
    actions_left_out: Sequence[object] = (),
) -> str:
    """The reason for publishing with figures left out (never started, or
    not approved) or action updates not approved, checked: required when
    the page asked for one and anything is left out."""
    if reason is None:
        return ""
    reason = reason.strip()
    if (left_out or actions_left_out) and not reason:
        actions = len(actions_left_out)
        also = f" and {actions} action update{'s' if actions != 1 else ''} not approved"
        raise Invalid.one(
            "reason",
            f"is required: {len(left_out)} of {len(entries)} figures are missing or not "
            f"approved{also if actions else ''}. Say why the round is published without them",
        )
    if errors := text_errors({"reason": reason}):
        raise Invalid(errors)
    return reason


def _changed_update(update: Any) -> tuple[str, str, str]:
    by = update.updated_by.get_username() if update.updated_by else "someone"
    return (update.action.ref, update.get_state_display(), by)


def _changed_entry(entry: Entry) -> tuple[str, str, str]:
    by = entry.updated_by.get_username() if entry.updated_by else "someone"
    return (entry.indicator.ref, entry.get_state_display(), by)


def _frozen(entry: Entry, evaluation: Evaluation) -> EntrySnapshot:
    return EntrySnapshot(
        indicator_id=entry.indicator_id,
        ref=entry.indicator.ref,
        period=entry.period,
        frequency=entry.frequency,
        first_month=entry.first_month,
        value=entry.value,
        numerator=entry.numerator,
        denominator=entry.denominator,
        commentary=entry.commentary,
        actions=entry.actions,
        commentary_cy=entry.commentary_cy,
        actions_cy=entry.actions_cy,
        rating=evaluation.rating,
        target=evaluation.target.value if evaluation.target else None,
        explanation=evaluation.explanation,
        withheld_as=entry.withheld_as,
    )


# After publication


@transaction.atomic
def restate_entry(
    actor: Actor,
    entry_id: int,
    typed: EntryInput,
    *,
    reason: str,
    version: int | None = None,
) -> Entry:
    """Change a published value, with a reason: the published figure stays in
    the round's snapshot, the new one is flagged as a restatement in the
    next report and in ``perfreport check``. Refused (``Conflict``) if the
    entry was restated since ``version``, the one the person saw."""
    entry = entry_for_update(entry_id)
    actor.require_edit(entry.indicator)
    if not entry.round.is_published:
        raise TransitionError(
            f"the round for {entry.round.period} is not published yet: edit the entry instead"
        )
    parsed = parse_entry(entry.indicator, typed)
    if version is not None and entry.version != version:
        raise _conflict(entry, parsed)
    errors = dict(parsed.errors)
    if parsed.value is None and not parsed.withheld_as and "value" not in errors:
        errors["value"] = "is needed: a restatement replaces the published value with another"
    if not reason.strip():
        errors["reason"] = "is required: say why the published figure was wrong"
    if errors:
        raise Invalid(errors)
    before = audit.fields_of(entry, ("value", "withheld_as", "numerator", "denominator"))
    entry.value, entry.numerator, entry.denominator = (
        parsed.value,
        parsed.numerator,
        parsed.denominator,
    )
    entry.withheld_as = parsed.withheld_as
    if not audit.changed(before, audit.fields_of(entry, before.keys()))[1]:
        raise Invalid.one("value", "is the published value: a restatement changes it")
    entry.restated_at = timezone.now()
    entry.version += 1
    entry.updated_by = user_of(actor)
    entry.save(
        update_fields=[
            "value",
            "withheld_as",
            "numerator",
            "denominator",
            "restated_at",
            "version",
            "updated_by",
            "updated_at",
        ]
    )
    with one_change():
        write_restatement(entry)
    audit.record_change(
        actor, entry, audit.ENTRY, before, indicator=entry.indicator, period=entry.period,
        action="restate", reason=reason.strip(),
    )  # fmt: skip
    return entry


def _notify_owners() -> None:
    """Owners hear of a returned or published figure when the change commits."""
    send_soon()
