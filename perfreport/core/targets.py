"""Targets: which target applies to a period, and why.

An indicator's targets are a set of :class:`TargetEntry`: a *period* target
applies to one period (a month, a quarter, a year); a *milestone* is a value
to reach by the end of a period, such as the seed's broadband "97% by end of
2019 and then 99% by 2020". :func:`resolve_target` picks, in this order:

1. a period target for exactly this period;
2. a period target for a longer period that contains it: for a cumulative
   measure pro rata (the year's target × the elapsed share of the year), for
   any other the same value;
3. the milestones, interpolated linearly by month between the two around the
   period's end; before the first, the first; after the last, the last;
4. the latest earlier period target, carried forward (not for cumulative
   measures, whose targets restart each year).

Derived targets (pro rata, interpolated) are rounded, half up, to the
indicator's decimals: the target a reader sees is the one the value is rated
against.

>>> from perfreport.core.periods import parse_period as p
>>> entries = [TargetEntry(p("2019-12"), Decimal(97), TargetKind.MILESTONE),
...            TargetEntry(p("2020-12"), Decimal(99), TargetKind.MILESTONE)]
>>> resolve_target(p("2019/20 Q4"), entries, cumulative=False, decimals=2).value
Decimal('97.50')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise

from perfreport.core.i18n import N_, _
from perfreport.core.periods import Period
from perfreport.core.units import round_to

__all__ = [
    "Reference",
    "ResolvedTarget",
    "TargetBasis",
    "TargetEntry",
    "TargetKind",
    "TargetRule",
    "resolve_target",
    "rule_target",
]


class TargetKind(StrEnum):
    PERIOD = "period"
    MILESTONE = "milestone"


class TargetBasis(StrEnum):
    SET = "set"  # set for this very period
    CONTAINING = "containing"  # set for the quarter or year that contains it
    PRO_RATA = "pro_rata"
    INTERPOLATED = "interpolated"  # between milestones (or at one)
    CARRIED = "carried"  # an earlier period's target, still in force
    RULE = "rule"  # the figure a target rule gives: last year's, the England average


class TargetRule(StrEnum):
    """A target set by rule rather than by number, as councils set them."""

    LAST_YEAR = "last_year"  # better than the same period last year
    PREVIOUS = "previous"  # better than the previous period
    NATIONAL = "national"  # at least the England (national) average
    COMPARATOR = "comparator"  # at least the comparator group's average
    TOP_QUARTILE = "top_quartile"  # in the top quartile of the comparator group

    @property
    def words(self) -> str:
        """The rule as the register and the Key say it."""
        return _(_RULE_WORDS[self])


_RULE_WORDS = {
    TargetRule.LAST_YEAR: N_("better than the same period last year"),
    TargetRule.PREVIOUS: N_("better than the previous period"),
    TargetRule.NATIONAL: N_("at least the national (England) average"),
    TargetRule.COMPARATOR: N_("at least the comparator group's average"),
    TargetRule.TOP_QUARTILE: N_("in the top quartile of the comparator group"),
}


@dataclass(frozen=True, slots=True)
class Reference:
    """The figure a target rule measures against, with what to call it and
    the period it is for: ("last year's", 78.9, "Quarter 2 2019/20"),
    ("the England average of", 81.2, "2019/20")."""

    name: str
    value: Decimal
    period: str


@dataclass(frozen=True, slots=True)
class TargetEntry:
    period: Period
    value: Decimal
    kind: TargetKind = TargetKind.PERIOD


@dataclass(frozen=True, slots=True)
class ResolvedTarget:
    """The target in force for a period, with where it came from.

    ``sources`` are the entries it was derived from (none for a rule's
    target, whose ``reference`` is the figure it came from); ``share`` is the
    elapsed fraction (months, months in the containing period) for a
    pro-rata target.
    """

    value: Decimal
    basis: TargetBasis
    sources: tuple[TargetEntry, ...]
    share: tuple[int, int] | None = None
    rule: TargetRule | None = None
    reference: Reference | None = None  # what a rule's target is: last year's figure

    @property
    def is_pro_rata(self) -> bool:
        return self.basis is TargetBasis.PRO_RATA


def resolve_target(
    period: Period, entries: Iterable[TargetEntry], *, cumulative: bool, decimals: int
) -> ResolvedTarget | None:
    """The target that applies to ``period``, or ``None`` if none does (rules above)."""
    entries = list(entries)
    period_targets = [e for e in entries if e.kind is TargetKind.PERIOD]
    milestones = sorted(
        (e for e in entries if e.kind is TargetKind.MILESTONE), key=lambda e: e.period.sort_key()
    )
    for entry in period_targets:
        if entry.period == period:
            return ResolvedTarget(entry.value, TargetBasis.SET, (entry,))
    containing = _containing(period, period_targets)
    if containing is not None:
        return _from_containing(period, containing, cumulative, decimals)
    if milestones:
        return _interpolate(period, milestones, decimals)
    if not cumulative:
        earlier = [e for e in period_targets if e.period.last_month < period.first_month]
        if earlier:
            latest = max(earlier, key=lambda e: e.period.sort_key())
            return ResolvedTarget(latest.value, TargetBasis.CARRIED, (latest,))
    return None


def _containing(period: Period, entries: list[TargetEntry]) -> TargetEntry | None:
    """The shortest period target whose period contains ``period``."""
    candidates = [e for e in entries if e.period != period and e.period.contains(period)]
    return min(candidates, key=lambda e: e.period.frequency.months, default=None)


def _from_containing(
    period: Period, entry: TargetEntry, cumulative: bool, decimals: int
) -> ResolvedTarget:
    if not cumulative:
        return ResolvedTarget(entry.value, TargetBasis.CONTAINING, (entry,))
    elapsed = period.last_month - entry.period.first_month + 1
    share = (elapsed, entry.period.frequency.months)
    value = round_to(entry.value * elapsed / share[1], decimals)
    return ResolvedTarget(value, TargetBasis.PRO_RATA, (entry,), share)


def _interpolate(period: Period, milestones: list[TargetEntry], decimals: int) -> ResolvedTarget:
    end = period.last_month
    first, last = milestones[0], milestones[-1]
    if end <= first.period.last_month:
        return ResolvedTarget(first.value, TargetBasis.INTERPOLATED, (first,))
    if end >= last.period.last_month:
        return ResolvedTarget(last.value, TargetBasis.INTERPOLATED, (last,))
    for before, after in pairwise(milestones):
        start_month, end_month = before.period.last_month, after.period.last_month
        if start_month <= end <= end_month:
            if end == start_month:
                return ResolvedTarget(before.value, TargetBasis.INTERPOLATED, (before,))
            step = (after.value - before.value) * (end - start_month) / (end_month - start_month)
            value = round_to(before.value + step, decimals)
            return ResolvedTarget(value, TargetBasis.INTERPOLATED, (before, after))
    raise AssertionError(
        "milestones are sorted, so one interval contains the period"
    )  # pragma: no cover


def rule_target(
    rule: TargetRule, reference: Reference | None, decimals: int
) -> ResolvedTarget | None:
    """The target a rule gives: its reference figure, rounded as printed;
    None when there is no such figure (no value a year earlier)."""
    if reference is None:
        return None
    value = round_to(reference.value, decimals)
    return ResolvedTarget(value, TargetBasis.RULE, (), rule=rule, reference=reference)
