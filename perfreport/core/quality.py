"""Data-quality findings over a period's evaluations: what ``perfreport check``
reports and the report lists first.

Each finding names the indicator and says what is wrong in a sentence a BI
analyst can act on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from perfreport.core.evaluation import Evaluation
from perfreport.core.i18n import N_, _
from perfreport.core.indicator import Point
from perfreport.core.rating import Rating, RatingBasis
from perfreport.core.spc import MIN_POINTS, Chart, xmr
from perfreport.core.targets import TargetEntry, TargetKind
from perfreport.core.units import Unit, format_value, plain, round_to
from perfreport.core.withheld import Figure, Withheld

__all__ = [
    "Finding",
    "FindingCode",
    "SeriesFacts",
    "Severity",
    "check_evaluations",
    "check_published_series",
]

SUSPECT_ZERO_HISTORY = 4  # earlier values, none of them zero


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class FindingCode(StrEnum):
    RATING_DIFFERS = "rating-differs"
    RATING_MISSING = "rating-missing"
    RED_WITHOUT_ACTIONS = "red-without-actions"
    VALUE_MISSING = "value-missing"
    VALUE_STALE = "value-stale"
    TARGET_MISSING = "target-missing"
    SUSPECT_ZERO = "suspect-zero"
    SUSPECT_JUMP = "suspect-jump"
    PERCENT_OUT_OF_RANGE = "percent-out-of-range"
    NUMERATOR_ABOVE_DENOMINATOR = "numerator-above-denominator"
    TARGET_CHANGED_WITHOUT_REASON = "target-changed-without-reason"
    RESTATED = "restated"


@dataclass(frozen=True, slots=True)
class Finding:
    ref: str
    code: FindingCode
    severity: Severity
    message: str


@dataclass(frozen=True, slots=True)
class SeriesFacts:
    """What the checks of suspect values need beyond the evaluation, as plain data.

    ``history`` is the indicator's values up to and including the one shown;
    ``fraction`` the numerator and denominator stored beside the value shown;
    ``target_notes`` the note of each target set for a period, by period label;
    ``first_values`` the value first imported for each period whose value has
    since been changed (restated), by period label; ``first_targets`` the
    target first set for each period whose target has since been changed, by
    period label.
    """

    history: Sequence[Point] = ()
    targets: Sequence[TargetEntry] = ()
    fraction: tuple[Decimal | None, Decimal | None] = (None, None)
    target_notes: Mapping[str, str] = field(default_factory=dict)
    first_values: Mapping[str, Decimal] = field(default_factory=dict)
    first_targets: Mapping[str, Decimal] = field(default_factory=dict)


NO_FACTS = SeriesFacts()


def check_evaluations(
    evaluations: Sequence[Evaluation], facts: Mapping[str, SeriesFacts] | None = None
) -> list[Finding]:
    """Findings for one reporting period, in the order of ``evaluations``.

    A Red, Amber, Green or Blue indicator with no printed rating is reported
    only for a figure that came from a published report that prints ratings
    (``rating_printed``), and only where the period's data carries printed
    ratings at all: figures entered or computed in perfreport, and a register
    whose ratings are all computed, are not asked to type them in.

    ``facts``, by indicator ref, feed the checks of suspect values (a zero
    after non-zero values, a jump beyond the process limits, a numerator above
    its denominator, a changed target with no note); without them only the
    checks that need the evaluation alone run.
    """
    printed_in_use = any(e.stated_rating is not None for e in evaluations)
    facts = facts or {}
    findings: list[Finding] = []
    for evaluation in evaluations:
        findings.extend(_check_one(evaluation, printed_in_use))
        if isinstance(evaluation.current, Point):  # a withheld figure is never suspect
            more = facts.get(evaluation.indicator.ref, NO_FACTS)
            findings.extend(_check_suspect(evaluation, more))
    return findings


def _check_one(e: Evaluation, printed_in_use: bool) -> list[Finding]:
    ref = e.indicator.ref
    found: list[Finding] = []

    def add(code: FindingCode, severity: Severity, message: str) -> None:
        found.append(Finding(ref, code, severity, message))

    if e.current is None:
        add(
            FindingCode.VALUE_MISSING,
            Severity.ERROR,
            _("no value at or before %(period)s") % {"period": e.report_period},
        )
        return found
    if e.is_stale:
        add(
            FindingCode.VALUE_STALE,
            Severity.WARNING,
            _("the latest value is for %(latest)s; one for %(expected)s is expected by %(period)s")
            % {
                "latest": e.current.period.name,
                "expected": e.expected.name,
                "period": e.report_period,
            },
        )
    withheld = isinstance(e.current, Withheld)  # not missing, and never rated
    if e.indicator.rating_basis is RatingBasis.TARGETED and e.target is None and not withheld:
        add(
            FindingCode.TARGET_MISSING,
            Severity.ERROR,
            _("no target applies to %(period)s, so it cannot be rated")
            % {"period": e.current.period.name},
        )
    if e.rating_differs and e.stated_rating is not None:
        words = {
            "printed": e.stated_rating.label,
            "computed": e.rating_label,
            "explanation": e.explanation,
        }
        if e.indicator.scheme.is_own_thresholds:
            message = _(
                "printed %(printed)s, but the indicator's own Key gives %(computed)s: "
                "%(explanation)s"
            )
            if not e.rating_label:
                message = _(
                    "printed %(printed)s, but the indicator's own Key gives no rating: "
                    "%(explanation)s"
                )
        else:
            words["scheme"] = e.indicator.scheme.name
            message = _(
                "printed %(printed)s, but the Key (the %(scheme)s scheme) gives %(computed)s: "
                "%(explanation)s"
            )
            if not e.rating_label:
                message = _(
                    "printed %(printed)s, but the Key (the %(scheme)s scheme) gives no rating: "
                    "%(explanation)s"
                )
        add(FindingCode.RATING_DIFFERS, Severity.ERROR, message % words)
    elif (
        e.stated_rating is None
        and e.rating_printed
        and printed_in_use
        and e.rating is not None
        and e.rating.is_colour
    ):
        words = {"computed": e.rating_label, "explanation": e.explanation}
        if e.indicator.scheme.is_own_thresholds:
            message = _(
                "no rating printed; the indicator's own Key gives %(computed)s: %(explanation)s"
            )
        else:
            words["scheme"] = e.indicator.scheme.name
            message = _(
                "no rating printed; the Key (the %(scheme)s scheme) gives %(computed)s: "
                "%(explanation)s"
            )
        add(FindingCode.RATING_MISSING, Severity.ERROR, message % words)
    if e.rating is Rating.RED and not e.actions.strip():
        add(
            FindingCode.RED_WITHOUT_ACTIONS,
            Severity.ERROR,
            _("rated Red with no actions: the Key expects actions for every Red indicator"),
        )
    return found


def _check_suspect(e: Evaluation, facts: SeriesFacts) -> list[Finding]:
    checks = (
        _suspect_zero(e, facts.history),
        _suspect_jump(e, facts.history),
        _percent_out_of_range(e),
        _numerator_above_denominator(e, facts.fraction),
        _target_changed(e, e.current, facts),
        _target_changed(e, e.previous, facts),
        _restated(e, e.current, facts.first_values),
        _restated(e, e.previous, facts.first_values),
    )
    return [
        Finding(e.indicator.ref, code, Severity.WARNING, message)
        for code, message in (c for c in checks if c is not None)
    ]


_Check = tuple[FindingCode, str] | None


def _restated(e: Evaluation, point: Figure | None, first_values: Mapping[str, Decimal]) -> _Check:
    """A value the report shows (the latest or the one before it) that differs
    from the value first imported for its period: a restatement, which a
    committee should be told of. A change too small to show in the figures
    as printed is not reported.
    """
    if not isinstance(point, Point) or point.period.label not in first_values:
        return None
    spec = e.indicator
    before = format_value(first_values[point.period.label], spec.unit_format, spec.decimals)
    now = format_value(point.value, spec.unit_format, spec.decimals)
    if before == now:
        return None  # a change below the figures shown is not a restatement a reader sees
    return (
        FindingCode.RESTATED,
        _("the value for %(period)s was restated: first published as %(before)s, now %(now)s")
        % {"period": point.period.name, "before": before, "now": now},
    )


def _earlier(e: Evaluation, history: Sequence[Point]) -> list[Point]:
    assert e.current is not None
    if history and history[-1].period == e.current.period:
        return list(history[:-1])  # the usual case: the history ends with the value shown
    shown = e.current.period.last_month
    return [p for p in history if p.period.last_month < shown]


def _suspect_zero(e: Evaluation, history: Sequence[Point]) -> _Check:
    """A zero after at least four earlier values, none of them zero: more often
    a missing figure typed as 0 than a real zero. After 12, 14, 11, 13 a 0 is
    suspect; after 12, 0, 11, 13 it is not (this indicator has been zero before).
    """
    assert isinstance(e.current, Point)
    if e.current.value != 0:
        return None
    earlier = _earlier(e, history)
    if len(earlier) < SUSPECT_ZERO_HISTORY or any(p.value == 0 for p in earlier):
        return None
    last = earlier[-1]
    return (
        FindingCode.SUSPECT_ZERO,
        _(
            "the value for %(period)s is %(value)s after %(count)s earlier values with no zero "
            "(the last %(last)s for %(last_period)s): check it is a real zero, not a missing "
            "figure"
        )
        % {
            "period": e.current.period.name,
            "value": e.show(e.current.value),
            "count": len(earlier),
            "last": e.show(last.value),
            "last_period": last.period.name,
        },
    )


def _suspect_jump(e: Evaluation, history: Sequence[Point]) -> _Check:
    """A value beyond the process limits (mean ± 2.66 × the mean moving range,
    Making Data Count) of the earlier values, where those are at least 15 and
    show no special cause: a jump after a stable history."""
    assert isinstance(e.current, Point)
    earlier = _earlier(e, history)
    if len(earlier) < MIN_POINTS:
        return None
    value = e.current.value
    # Earlier values with no special cause lie within the limits, so a value
    # within their range cannot be beyond them: skip the chart (the common case).
    if min(p.value for p in earlier) <= value <= max(p.value for p in earlier):
        return None
    chart = xmr([p.value for p in earlier], "neutral")
    lower, upper = chart.lower_limit, chart.upper_limit
    if chart.chart is not Chart.XMR or lower is None or upper is None:
        return None
    if any(p.signal is not None for p in chart.points) or lower <= float(value) <= upper:
        return None
    above = float(value) > upper
    limit = upper if above else lower
    spec = e.indicator
    shown_limit = format_value(Decimal(repr(limit)), spec.unit_format, spec.decimals + 1)
    return (
        FindingCode.SUSPECT_JUMP,
        _(_JUMP[above])
        % {
            "value": e.show(value),
            "period": e.current.period.name,
            "limit": shown_limit,
            "count": len(earlier),
        },
    )


# A value beyond the process limits, above or below: whole sentences.
_JUMP = {
    True: N_(
        "%(value)s for %(period)s is above the upper process limit (%(limit)s) of the "
        "%(count)s earlier values, which show no special cause: check it is right"
    ),
    False: N_(
        "%(value)s for %(period)s is below the lower process limit (%(limit)s) of the "
        "%(count)s earlier values, which show no special cause: check it is right"
    ),
}


def _percent_out_of_range(e: Evaluation) -> _Check:
    """A percentage, as published (rounded to the indicator's decimals), below 0 or above 100."""
    assert isinstance(e.current, Point)
    if e.indicator.unit is not Unit.PERCENT:
        return None
    if 0 <= round_to(e.current.value, e.indicator.decimals) <= 100:
        return None
    return (
        FindingCode.PERCENT_OUT_OF_RANGE,
        _("%(value)s for %(period)s is outside 0%% to 100%%, the range of a percentage")
        % {"value": e.show(e.current.value), "period": e.current.period.name},
    )


def _numerator_above_denominator(
    e: Evaluation, fraction: tuple[Decimal | None, Decimal | None]
) -> _Check:
    assert isinstance(e.current, Point)
    numerator, denominator = fraction
    if numerator is None or denominator is None or numerator <= denominator:
        return None
    return (
        FindingCode.NUMERATOR_ABOVE_DENOMINATOR,
        _(
            "the value for %(period)s (%(value)s) has a numerator of %(numerator)s, larger "
            "than its denominator of %(denominator)s"
        )
        % {
            "period": e.current.period.name,
            "value": e.show(e.current.value),
            "numerator": plain(numerator),
            "denominator": plain(denominator),
        },
    )


def _target_changed(e: Evaluation, point: Figure | None, facts: SeriesFacts) -> _Check:
    """The target set for a period the report shows (the latest value's or
    the one before it) changed since it was first set, with no note on the
    target to say why.

    A target set for a period that had none before is never a finding: each
    quarter's own target, a new financial year's, differ from the last period's
    by design. Only a period's target that was already set, and so already
    reported against, and is then set again to another figure is reported,
    with what it was and what it is now, as the report shows them (a change
    below the indicator's decimals is not one a reader sees). Targets worked
    out from a year's target, from milestones or carried forward are not
    stored, so never changed.
    """
    if point is None or point.period.label not in facts.first_targets:
        return None
    period = point.period
    now = next(
        (t for t in facts.targets if t.kind is TargetKind.PERIOD and t.period == period), None
    )
    if now is None:
        return None
    before, after = e.show(facts.first_targets[period.label]), e.show(now.value)
    if before == after or facts.target_notes.get(period.label, "").strip():
        return None
    return (
        FindingCode.TARGET_CHANGED_WITHOUT_REASON,
        _(
            "the target for %(period)s changed from %(before)s to %(after)s without a reason: "
            "say why in the target's note"
        )
        % {"period": period.name, "before": before, "after": after},
    )


def check_published_series(
    points: Sequence[tuple[str, Decimal | None]], *, percent: bool
) -> list[tuple[FindingCode, str]]:
    """Suspect values in one organisation's published series of one national
    measure (period label and value, oldest first; None is suppressed or
    missing): a latest value of 0 after at least four non-zero values; a
    latest value beyond the process limits of at least 15 earlier values that
    show no special cause; and, for a percentage, any value outside 0 to 100.

    >>> check_published_series([("2019", Decimal(5))] * 4 + [("2020", Decimal(0))], percent=False)[0][0]
    <FindingCode.SUSPECT_ZERO: 'suspect-zero'>
    """
    present = [(label, value) for label, value in points if value is not None]
    found: list[tuple[FindingCode, str]] = []
    if not present:
        return found
    (label, latest), earlier = present[-1], [v for _, v in present[:-1]]
    if latest == 0 and len(earlier) >= SUSPECT_ZERO_HISTORY and all(v != 0 for v in earlier):
        found.append(
            (
                FindingCode.SUSPECT_ZERO,
                _(
                    "the value for %(period)s is 0 after %(count)s earlier values with no zero "
                    "(the last %(last)s): check it is a real zero, not a missing figure"
                )
                % {"period": label, "count": len(earlier), "last": plain(earlier[-1])},
            )
        )
    jump = _published_jump(label, latest, earlier)
    if jump is not None:
        found.append(jump)
    outside = [(lb, v) for lb, v in present if not 0 <= v <= 100] if percent else []
    if outside:
        first_label, first_value = outside[0]
        words = {"value": plain(first_value), "period": first_label, "more": len(outside) - 1}
        if len(outside) > 1:
            message = _(
                "%(value)s for %(period)s and %(more)s more outside 0 to 100, the range of a "
                "percentage: check the figures, or the measure's unit"
            )
        else:
            message = _(
                "%(value)s for %(period)s outside 0 to 100, the range of a percentage: check "
                "the figures, or the measure's unit"
            )
        found.append((FindingCode.PERCENT_OUT_OF_RANGE, message % words))
    return found


def _published_jump(
    label: str, latest: Decimal, earlier: list[Decimal]
) -> tuple[FindingCode, str] | None:
    if len(earlier) < MIN_POINTS or min(earlier) <= latest <= max(earlier):
        return None
    chart = xmr(earlier, "neutral")
    lower, upper = chart.lower_limit, chart.upper_limit
    if chart.chart is not Chart.XMR or lower is None or upper is None:
        return None
    if any(p.signal is not None for p in chart.points) or lower <= float(latest) <= upper:
        return None
    above = float(latest) > upper
    limit = upper if above else lower
    return (
        FindingCode.SUSPECT_JUMP,
        _(_JUMP[above])
        % {"value": plain(latest), "period": label, "limit": f"{limit:.4g}", "count": len(earlier)},
    )
