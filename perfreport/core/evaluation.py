"""Evaluate one indicator for one reporting period.

Each indicator shows its latest value at or before the reporting period (a
monthly figure for September in a quarter-2 report, last year's figure for
an annual survey), the value before that, the value a year earlier, the
target in force for the value's period, the RAG rating, the change in
performance and a sentence that explains the rating.

Ratings and changes are judged on the figures as published, rounded to the
indicator's decimals, so that every rating can be checked from the report.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from perfreport.core.change import Change, compare
from perfreport.core.i18n import _
from perfreport.core.indicator import IndicatorSpec, Point
from perfreport.core.periods import Period, period_containing
from perfreport.core.rating import (
    Rating,
    RatingBasis,
    RatingOutcome,
    describe_rating,
    rate_against_target,
    rating_meanings,
)
from perfreport.core.targets import (
    Reference,
    ResolvedTarget,
    TargetBasis,
    TargetEntry,
    TargetRule,
    resolve_target,
    rule_target,
)
from perfreport.core.units import format_value, round_to
from perfreport.core.withheld import Figure, Withheld

__all__ = ["Evaluation", "evaluate_indicator", "expected_period"]


@dataclass(frozen=True, slots=True)
class Evaluation:
    indicator: IndicatorSpec
    report_period: Period
    # A figure as published: a number (Point), or withheld ("c"), which is
    # shown as printed and never rated or compared.
    current: Figure | None
    previous: Figure | None
    last_year: Figure | None
    target: ResolvedTarget | None
    rating: Rating | None
    gap: Decimal | None
    change: Change | None
    change_on_year: Change | None
    stated_rating: Rating | None
    explanation: str
    expected: Period
    commentary: str = ""
    actions: str = ""
    # The figure came from a published report that prints ratings, so a
    # rating left blank there is a finding; never so for figures entered or
    # computed in perfreport.
    rating_printed: bool = False

    @property
    def is_stale(self) -> bool:
        return self.current is not None and self.current.period < self.expected

    @property
    def rating_label(self) -> str:
        """The rating as the indicator's Key names it ("On track", "Data only")."""
        return self.indicator.scheme.label(self.rating) if self.rating else ""

    @property
    def rating_symbol(self) -> str:
        return self.indicator.scheme.symbol(self.rating) if self.rating else ""

    @property
    def rating_differs(self) -> bool:
        return self.stated_rating is not None and self.stated_rating != self.rating

    def show(self, value: Decimal | None) -> str:
        """A value of this indicator as the report prints it."""
        if value is None:
            return ""
        spec = self.indicator
        return format_value(value, spec.unit_format, spec.decimals)

    @property
    def no_change(self) -> str:
        """What the report prints for the change in performance when there is
        none: a withheld figure is never compared, else there is no earlier value."""
        if isinstance(self.current, Withheld) or isinstance(self.previous, Withheld):
            return _("Not compared: withheld")
        return _("No earlier value")

    def shown(self, figure: Figure | None) -> str:
        """A figure as the report prints it: its value, or the text it was
        withheld as ("c"); "" when there is none."""
        if isinstance(figure, Withheld):
            return figure.printed
        return self.show(figure.value) if figure is not None else ""


def expected_period(spec: IndicatorSpec, report_period: Period) -> Period:
    """The latest period of the indicator's frequency, in its own kind of year,
    whose data should be in by ``report_period``: the last one that ends at
    least ``release_lag_months`` before the report period ends, less the data
    lag (in periods). A value older than this is stale (overdue).

    Calendar-year road casualties, published nine months after the year ends,
    are due for 2019 by the end of September 2020 (2020/21 Q2), not before:

    >>> from perfreport.core.periods import parse_period
    >>> from perfreport.core.rating import Polarity, RatingBasis
    >>> from perfreport.core.units import Unit
    >>> from perfreport.core.periods import Frequency
    >>> casualties = IndicatorSpec("RS1", "Casualties", Unit.NUMBER, Polarity.LOWER,
    ...     Frequency.ANNUAL, RatingBasis.TARGETED, year_start=1, release_lag_months=9)
    >>> expected_period(casualties, parse_period("2020/21 Q2")).long_label
    'calendar year 2019'
    >>> expected_period(casualties, parse_period("2020/21 Q1")).long_label
    'calendar year 2018'
    """
    start = spec.year_start or report_period.fy_start_month
    published_by = report_period.last_month - spec.release_lag_months
    candidate = period_containing(_month_start(published_by), spec.frequency, start)
    if candidate.last_month > published_by:
        candidate = candidate.previous()
    return candidate.shift(-spec.lag)


def _month_start(month: int) -> date:
    return date(month // 12, month % 12 + 1, 1)


def evaluate_indicator(
    spec: IndicatorSpec,
    report_period: Period,
    points: Sequence[Point],
    targets: Iterable[TargetEntry] = (),
    *,
    stated_rating: Rating | None = None,
    rating_printed: bool | None = None,
    commentary: str = "",
    actions: str = "",
    withheld: Sequence[Withheld] = (),
    references: Mapping[TargetRule, Reference] | None = None,
) -> Evaluation:
    """Evaluate ``spec`` for ``report_period`` from its values (sorted by period).

    ``stated_rating`` is the rating as published, kept beside the computed one
    so that a disagreement can be reported, never silently replaced.

    ``withheld`` are the periods whose figure was withheld as published ("c",
    "fewer than 10"). A withheld figure takes its place in the series: when it
    is the latest, it is the current figure, shown as printed and not rated
    (the number before it is not shown in its place), and no change is
    worked out to or from it.

    An indicator whose target is set by rule (``spec.target_rule``) is rated
    against the figure the rule gives: last year's or the previous period's
    value from ``points``, or the benchmark in ``references`` (the England
    average, the comparator group's average or top-quartile threshold).
    """
    figures: Sequence[Figure] = points
    if withheld:
        figures = sorted([*points, *withheld], key=lambda f: f.period)
    ends = [p.period.last_month for p in figures]
    index = bisect.bisect_right(ends, report_period.last_month) - 1
    current = figures[index] if index >= 0 else None
    previous = figures[index - 1] if index >= 1 else None
    last_year = _find(figures, current.period.same_period_last_year()) if current else None
    target = None
    if current is not None and spec.rating_basis is RatingBasis.TARGETED:
        if spec.target_rule is not None:
            found = _reference(spec.target_rule, previous, last_year, references or {})
            target = rule_target(spec.target_rule, found, spec.decimals)
        else:
            target = resolve_target(
                current.period, list(targets), cumulative=spec.cumulative, decimals=spec.decimals
            )
    rating, gap, explanation = _rate(spec, report_period, current, target)
    return Evaluation(
        indicator=spec,
        report_period=report_period,
        current=current,
        previous=previous,
        last_year=last_year,
        target=target,
        rating=rating,
        gap=gap,
        change=_change(spec, current, previous),
        change_on_year=_change(spec, current, last_year),
        stated_rating=stated_rating,
        rating_printed=stated_rating is not None if rating_printed is None else rating_printed,
        explanation=explanation,
        expected=expected_period(spec, report_period),
        commentary=commentary,
        actions=actions,
    )


def _reference(
    rule: TargetRule,
    previous: Figure | None,
    last_year: Figure | None,
    references: Mapping[TargetRule, Reference],
) -> Reference | None:
    """The figure ``rule`` measures against (a withheld one is no figure)."""
    if rule is TargetRule.LAST_YEAR:
        if isinstance(last_year, Point):
            return Reference(_("last year's"), last_year.value, last_year.period.long_label)
        return None
    if rule is TargetRule.PREVIOUS:
        if isinstance(previous, Point):
            name = _("the previous period's")
            return Reference(name, previous.value, previous.period.long_label)
        return None
    return references.get(rule)


def _find(figures: Sequence[Figure], period: Period) -> Figure | None:
    for figure in figures:
        if figure.period == period:
            return figure
    return None


def _change(spec: IndicatorSpec, current: Figure | None, earlier: Figure | None) -> Change | None:
    if not isinstance(current, Point) or not isinstance(earlier, Point):
        return None  # none, or withheld: a withheld figure is never compared
    return compare(current.value, earlier.value, spec.polarity, spec.decimals)


def _rate(
    spec: IndicatorSpec,
    report_period: Period,
    current: Figure | None,
    target: ResolvedTarget | None,
) -> tuple[Rating | None, Decimal | None, str]:
    if current is None:
        return (
            None,
            None,
            _("No value at or before %(period)s, so no rating.") % {"period": report_period},
        )
    if isinstance(current, Withheld):
        return None, None, current.explanation
    if spec.rating_basis is RatingBasis.BASELINE:
        return Rating.BASELINE, None, _untargeted(Rating.BASELINE, spec)
    if spec.rating_basis is RatingBasis.CONTEXTUAL:
        return Rating.CONTEXTUAL, None, _untargeted(Rating.CONTEXTUAL, spec)
    if target is None:
        if spec.target_rule is not None:
            return (
                None,
                None,
                _(
                    "The target is %(rule)s, and there is no such figure for %(period)s, so no "
                    "rating."
                )
                % {"rule": spec.target_rule.words, "period": current.period.name},
            )
        return (
            None,
            None,
            _("No target applies to %(period)s, so no rating.") % {"period": current.period.name},
        )
    # Rate the figures as published, so that a reader can check every rating
    # from the report itself: 80.996 shown as 81.00 against 90.00 is Amber.
    value = round_to(current.value, spec.decimals)
    goal = round_to(target.value, spec.decimals)
    outcome: RatingOutcome = rate_against_target(value, goal, spec.polarity, spec.scheme)
    sentence = describe_rating(
        outcome,
        value,
        goal,
        spec.polarity,
        spec.scheme,
        spec.unit_format,
        spec.decimals,
        reference=_reference_words(spec, target),
    )
    note = _target_note(spec, target)
    return outcome.rating, outcome.gap, f"{sentence}. {note}" if note else f"{sentence}."


def _untargeted(rating: Rating, spec: IndicatorSpec) -> str:
    label = spec.scheme.label(rating)
    return _("%(label)s: %(meaning)s; no target applies.") % {
        "label": label,
        "meaning": rating_meanings(spec.scheme, spec.unit)[rating],
    }


def _reference_words(spec: IndicatorSpec, target: ResolvedTarget) -> str:
    """What a rule's target is called in the sentence: "last year's 78.9%
    (Quarter 2 2019/20)"; "" for a target set by number."""
    found = target.reference
    if found is None:
        return ""
    shown = format_value(target.value, spec.unit_format, spec.decimals)
    if found.period:
        return _("%(name)s %(value)s (%(period)s)") % {
            "name": found.name,
            "value": shown,
            "period": found.period,
        }
    return _("%(name)s %(value)s") % {"name": found.name, "value": shown}


def _target_note(spec: IndicatorSpec, target: ResolvedTarget) -> str:
    def show(value: Decimal) -> str:
        return format_value(value, spec.unit_format, spec.decimals)

    if target.rule is not None:
        return _("The target is %(rule)s.") % {"rule": target.rule.words}
    source = target.sources[0]
    if target.basis is TargetBasis.PRO_RATA and target.share is not None:
        done, whole = target.share
        return _(
            "The target is pro rata: %(done)s/%(whole)s of the %(period)s target of %(value)s."
        ) % {
            "done": done,
            "whole": whole,
            "period": source.period.name,
            "value": show(source.value),
        }
    if target.basis is TargetBasis.CONTAINING:
        return _("The target is the one set for %(period)s.") % {"period": source.period.name}
    if target.basis is TargetBasis.CARRIED:
        return _("The target set for %(period)s still applies.") % {"period": source.period.name}
    if target.basis is TargetBasis.INTERPOLATED:
        steps = [
            _("%(value)s by the end of %(period)s")
            % {"value": show(s.value), "period": s.period.long_label}
            for s in target.sources
        ]
        if len(steps) == 2:
            return _(
                "The target is interpolated between the milestones %(first)s and %(second)s."
            ) % {"first": steps[0], "second": steps[1]}
        return _("The target is the milestone %(milestone)s.") % {
            "milestone": " and ".join(steps)  # one milestone: a target has one or two
        }
    return ""
