"""What each of a feed's rows would do, decided before anything is written:
the same decisions make the dry run's answer and the run's writes.

A row lands as a draft in the open round's entry for its indicator and
period, and only there:

- **new**: the entry holds no figure yet;
- **changed**: the entry holds the figure this feed wrote last time, and the
  source now gives another;
- **unchanged**: the entry, or the published figure, already says the same;
- **refused**: the indicator is not one the feed may fill; the period has a
  published figure that differs (a published figure changes only by a
  restatement, with a reason); the entry is submitted or approved; the entry
  holds its owner's own draft (or another feed's) with a different figure,
  which a feed never replaces; a row for another organisation; a percentage
  outside 0 to 100, which the round does not accept;
- **not collected**: no open round collects the period, and nothing is
  published for it: nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from perfreport.core.units import Unit, plain
from perfreport.data.models import Entry, Observation, Round, RoundState
from perfreport.feeds.models import Feed, FeedFigure
from perfreport.imports.plan import ValueRecord
from perfreport.registry.models import Indicator

Key = tuple[str, str, int]  # indicator ref, frequency, first month


class Outcome(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    REFUSED = "refused"
    NOT_COLLECTED = "not collected"


OUTCOMES = tuple(Outcome)
WRITES = (Outcome.NEW, Outcome.CHANGED)


@dataclass
class Decision:
    """One row's fate. ``before`` and ``after`` are the figures as held and
    as the source gives them; ``changes`` what goes into ``entry``."""

    ref: str
    period: str
    where: str  # "the query's results, row 3"
    outcome: Outcome
    after: str
    before: str = ""
    message: str = ""
    suspect: list[str] = field(default_factory=list)
    record: ValueRecord | None = None
    entry: Entry | None = None
    changes: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "period": self.period,
            "where": self.where,
            "outcome": self.outcome.value,
            "before": self.before,
            "after": self.after,
            "message": self.message,
            "suspect": self.suspect,
        }


def shown(value: Decimal | None, withheld_as: str = "") -> str:
    if withheld_as:
        return withheld_as
    return "" if value is None else plain(value)


@dataclass
class Held:
    """What is stored for the rows' indicators and periods, read in four queries."""

    chosen: set[str]
    indicators: dict[str, Indicator]
    entries: dict[Key, Entry]
    published: dict[Key, tuple[Decimal | None, str]]
    marks: dict[int, FeedFigure]


def held_for(feed: Feed, records: Sequence[ValueRecord], *, lock: bool = False) -> Held:
    """The stored figures the rows meet; ``lock``: the open round's entries
    locked until the transaction ends, so no save slips between the decision
    and the write. Each entry is given its indicator and round from one read
    of each (not a join a row: a feed may meet thousands of entries)."""
    refs = {r.ref for r in records}
    indicators = {i.pk: i for i in Indicator.objects.filter(ref__in=refs)}
    rounds = {r.pk: r for r in Round.objects.filter(state=RoundState.OPEN)}
    entries = Entry.objects.filter(round_id__in=rounds, indicator_id__in=indicators)
    if lock:
        entries = entries.select_for_update()
    found = {}
    for entry in entries:
        entry.indicator, entry.round = indicators[entry.indicator_id], rounds[entry.round_id]
        found[(entry.indicator.ref, entry.frequency, entry.first_month)] = entry
    published = (
        Observation.objects.home()
        .published()
        .filter(indicator_id__in=indicators)
        .values_list("indicator_id", "frequency", "first_month", "value", "withheld_as")
    )
    return Held(
        chosen=set(feed.indicators.values_list("ref", flat=True)),
        indicators={i.ref: i for i in indicators.values()},
        entries=found,
        published={(indicators[i].ref, f, m): (v, w) for i, f, m, v, w in published},
        marks={
            m.entry_id: m
            for m in FeedFigure.objects.filter(
                entry__round_id__in=rounds, entry__indicator_id__in=indicators
            ).select_related("feed")
        },
    )


def decide(feed: Feed, records: Sequence[ValueRecord], label: str, held: Held) -> list[Decision]:
    """A decision for every row, in the rows' order."""
    return [_decide(feed, record, label, held) for record in records]


def _decide(feed: Feed, record: ValueRecord, label: str, held: Held) -> Decision:
    period = record.period
    key = (record.ref, period.frequency.value, period.first_month)
    decision = Decision(
        ref=record.ref,
        period=period.label,
        where=_("%(file)s, row %(row)s") % {"file": label, "row": record.row},
        outcome=Outcome.REFUSED,
        after=shown(record.value, record.withheld_as),
        record=record,
    )
    refusal = _refused_outright(record, held)
    if refusal:
        decision.message = refusal
        return decision
    published = held.published.get(key)
    entry = held.entries.get(key)
    if published is not None:
        decision.before = shown(*published)
        if published == (record.value, record.withheld_as):
            if entry is None or _same(entry, record):
                decision.outcome = Outcome.UNCHANGED
                return decision
        else:
            decision.message = _(
                "%(period)s is published as %(figure)s; a published figure is "
                "changed only by a restatement, with a reason, on its entry's page"
            ) % {"period": period.label, "figure": decision.before}
            return decision
    if entry is None:
        decision.outcome = Outcome.NOT_COLLECTED
        said = _("no open round collects %(period)s: nothing written")
        decision.message = said % {"period": period.label}
        return decision
    return _into_entry(feed, record, entry, held, decision)


def _refused_outright(record: ValueRecord, held: Held) -> str:
    if record.organisation:
        return _(
            "the row is for another organisation (%(code)s): a feed fills the home "
            "organisation's figures only"
        ) % {"code": record.organisation}
    if record.ref not in held.chosen:
        return _(
            "indicator %(ref)s is not one this feed may fill: choose it on the feed's page, "
            "or leave it out of the source"
        ) % {"ref": record.ref}
    unit = held.indicators[record.ref].unit
    if unit == Unit.PERCENT and record.value is not None and not 0 <= record.value <= 100:
        return _(
            "%(figure)s is a percentage outside 0 to 100, which the round does not "
            "accept: check the source"
        ) % {"figure": plain(record.value)}
    return ""


def _into_entry(
    feed: Feed, record: ValueRecord, entry: Entry, held: Held, decision: Decision
) -> Decision:
    decision.before = shown(entry.value, entry.withheld_as)
    decision.entry = entry
    if _same(entry, record):
        decision.outcome = Outcome.UNCHANGED
        return decision
    if not entry.entry_state.is_open:
        decision.message = _(
            "the entry is %(state)s in the round for %(round)s, so a feed may not change it: "
            "ask its approver to return it"
        ) % {"state": entry.get_state_display().lower(), "round": entry.round.period}
        return decision
    mark = held.marks.get(entry.pk)
    ours = mark is not None and mark.feed_id == feed.pk and mark.holds(entry)
    if entry.value is not None or entry.withheld_as:
        if not ours:
            said = (
                _(
                    "the entry holds the figure feed %(feed)s wrote (%(figure)s), which a feed "
                    "never replaces: skipped. Ask the owner to clear it for the feed to fill, or "
                    "to correct it"
                )
                if mark is not None and mark.holds(entry)
                else _(
                    "the entry holds its owner's draft (%(figure)s), which a feed never "
                    "replaces: skipped. Ask the owner to clear it for the feed to fill, or to "
                    "correct it"
                )
            )
            decision.message = said % {
                "feed": mark.feed.name if mark is not None else "",
                "figure": decision.before,
            }
            return decision
        decision.outcome = Outcome.CHANGED
    else:
        decision.outcome = Outcome.NEW
    decision.changes = record.given("value", "withheld_as", "numerator", "denominator")
    return decision


def _same(entry: Entry, record: ValueRecord) -> bool:
    """Whether the entry holds the row's figure (and its numerator and
    denominator, where the row gives them)."""
    if (entry.value, entry.withheld_as) != (record.value, record.withheld_as):
        return False
    given = record.given("numerator", "denominator")
    return all(getattr(entry, name) == number for name, number in given.items())


def counts(decisions: Sequence[Decision]) -> dict[str, int]:
    """How many rows had each outcome, and how many were suspect."""
    found = {outcome.value: 0 for outcome in OUTCOMES}
    for decision in decisions:
        found[decision.outcome.value] += 1
    found["suspect"] = sum(1 for d in decisions if d.suspect)
    return found
