"""Statistical process control (SPC) as NHS England's Making Data Count draws it.

An XmR chart plots each value against the process mean and the process
limits, mean ± 2.66 × the mean moving range (MRbar), where a moving range is
|x_i − x_(i−1)| and sigma is MRbar / 1.128. A point is a *special cause*
when one of Making Data Count's four rules fires:

* ``astronomical``: a single point beyond a process limit;
* ``shift``: 7 or more points in a row all above, or all below, the mean
  (a point exactly on the mean breaks the run);
* ``trend``: 7 or more points in a row each higher (or each lower) than the
  one before (an equal value breaks the trend);
* ``two_of_three``: two out of three points in a row beyond the 2-sigma line
  (mean ± ⅔ × 2.66 × MRbar) on the same side of the mean.

Every point of a run that satisfies a rule is flagged; for ``two_of_three``
the points beyond the 2-sigma line are. A special cause on the high side (for
a trend: rising) is an improvement when ``improvement="increase"``, a concern
when ``"decrease"``, and neutral when ``"neutral"``.

Sources: NHS England, *Making Data Count* (2017) and *Making Data Count:
strengthening your decisions* (2019), with its icon legend; NHS England and
NHS Improvement's Making Data Count SQL script (2019) for the order of the
rules and the target boundaries; NHS-R Community, NHSRplotthedots, vignette
"Deviations from Excel defaults" for outlier screening. Run charts follow the
NHS Institute for Innovation and Improvement's *A guide to creating and
interpreting run and control charts* and Perla, Provost & Murray, "The run
chart", BMJ Qual Saf 2011;20:46-51. docs/spc.md has the details.

>>> r = xmr([70, 72, 71, 73, 72, 70, 71, 72, 73, 71, 72, 70, 71, 72, 57.5], target=80)
>>> r.variation, r.assurance
(<Variation.CONCERN_LOW: 'concern_low'>, <Assurance.FAIL: 'fail'>)
>>> r.explanation.split(". ")[0]
'The latest value, 57.5, is a special cause of concern: it is below the lower process limit (64.3)'
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise
from math import fsum
from statistics import median

from perfreport.core.i18n import N_, _
from perfreport.core.units import Unit, UnitLike, format_value

__all__ = [
    "LIMIT_FACTOR",
    "MIN_POINTS",
    "Assurance",
    "Chart",
    "Improvement",
    "ProcessLimits",
    "Rule",
    "Side",
    "Signal",
    "SpcPhase",
    "SpcPoint",
    "SpcResult",
    "Variation",
    "assess_assurance",
    "control_limits",
    "moving_ranges",
    "xmr",
]

Number = Decimal | int | float
LIMIT_FACTOR = 2.66  # 3 / d2, d2 = 1.128 for moving ranges of two points
SIGMA_DIVISOR = 1.128
SCREEN_FACTOR = 3.267  # D4: the upper limit of the moving range chart
MIN_POINTS = 15  # fewer values in a phase: a run chart, without limits
XMR_RUN, RUN_CHART_SHIFT, RUN_CHART_TREND = 7, 6, 5


class Improvement(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"
    NEUTRAL = "neutral"


class Chart(StrEnum):
    XMR = "xmr"
    RUN = "run"


class Rule(StrEnum):
    """The rules, in the order that settles a point flagged both ways."""

    ASTRONOMICAL = "astronomical"
    TREND = "trend"
    SHIFT = "shift"
    TWO_OF_THREE = "two_of_three"


class Side(StrEnum):
    HIGH = "high"
    LOW = "low"


class Signal(StrEnum):
    IMPROVEMENT = "improvement"
    CONCERN = "concern"
    NEUTRAL = "neutral"


class Variation(StrEnum):
    """Making Data Count's variation icons."""

    COMMON_CAUSE = "common_cause"
    IMPROVEMENT_HIGH = "improvement_high"
    IMPROVEMENT_LOW = "improvement_low"
    CONCERN_HIGH = "concern_high"
    CONCERN_LOW = "concern_low"
    NEUTRAL_HIGH = "neutral_high"
    NEUTRAL_LOW = "neutral_low"

    @property
    def label(self) -> str:
        return _(_VARIATION_TEXT[self][0])

    @property
    def description(self) -> str:
        """The icon legend's words."""
        return _(_VARIATION_TEXT[self][1])


_VARIATION_TEXT = {
    Variation.COMMON_CAUSE: (
        N_("Common cause"),
        N_("Common cause variation: no significant change."),
    ),
    Variation.IMPROVEMENT_HIGH: (
        N_("Special cause: improvement, higher"),
        N_("Special cause variation of an improving nature: the measure is significantly higher."),
    ),
    Variation.IMPROVEMENT_LOW: (
        N_("Special cause: improvement, lower"),
        N_("Special cause variation of an improving nature: the measure is significantly lower."),
    ),
    Variation.CONCERN_HIGH: (
        N_("Special cause: concern, higher"),
        N_("Special cause variation of a concerning nature: the measure is significantly higher."),
    ),
    Variation.CONCERN_LOW: (
        N_("Special cause: concern, lower"),
        N_("Special cause variation of a concerning nature: the measure is significantly lower."),
    ),
    Variation.NEUTRAL_HIGH: (
        N_("Special cause: neutral, higher"),
        N_(
            "Special cause variation of a neutral nature (neither improving nor concerning): "
            "the measure is significantly higher."
        ),
    ),
    Variation.NEUTRAL_LOW: (
        N_("Special cause: neutral, lower"),
        N_(
            "Special cause variation of a neutral nature (neither improving nor concerning): "
            "the measure is significantly lower."
        ),
    ),
}


class Assurance(StrEnum):
    """Making Data Count's assurance icons: will the process meet the target?"""

    PASS = "pass"
    FAIL = "fail"
    HIT_OR_MISS = "hit_or_miss"

    @property
    def label(self) -> str:
        return _(_ASSURANCE_TEXT[self][0])

    @property
    def description(self) -> str:
        return _(_ASSURANCE_TEXT[self][1])


_ASSURANCE_TEXT = {
    Assurance.PASS: (
        N_("Consistently passing"),
        N_("Variation indicates consistently passing the target."),
    ),
    Assurance.FAIL: (
        N_("Consistently failing"),
        N_("Variation indicates consistently falling short of the target."),
    ),
    Assurance.HIT_OR_MISS: (
        N_("Hit and miss"),
        N_("Variation indicates inconsistently hitting, passing and falling short of the target."),
    ),
}


@dataclass(frozen=True, slots=True)
class ProcessLimits:
    """The XmR figures of one phase."""

    mean: float
    moving_range_mean: float
    lower_limit: float
    upper_limit: float
    sigma: float
    lower_two_sigma: float
    upper_two_sigma: float


@dataclass(frozen=True, slots=True)
class SpcPoint:
    """One period. ``value`` is None for a gap; ``centre`` is the centre line
    (the mean on an XmR chart, the median on a run chart); ``rules`` lists
    the rules that fired, the first of them decides ``side`` and ``signal``."""

    value: float | None
    mean: float | None
    centre: float | None
    lower_limit: float | None
    upper_limit: float | None
    signal: Signal | None
    rules: tuple[Rule, ...]
    side: Side | None
    phase: int

    @property
    def variation(self) -> Variation | None:
        if self.value is None:
            return None
        if self.signal is None or self.side is None:
            return Variation.COMMON_CAUSE
        return Variation(f"{self.signal.value}_{self.side.value}")


@dataclass(frozen=True, slots=True)
class SpcPhase:
    """The periods ``start`` to ``stop`` (exclusive), between rebases."""

    start: int
    stop: int
    chart: Chart
    count: int
    mean: float | None
    centre: float | None
    limits: ProcessLimits | None


@dataclass(frozen=True, slots=True)
class SpcResult:
    """An SPC chart. ``mean``, ``centre`` and the limits are the latest
    phase's; ``variation`` is the latest value's icon."""

    points: tuple[SpcPoint, ...]
    phases: tuple[SpcPhase, ...]
    improvement: Improvement
    chart: Chart
    mean: float | None
    centre: float | None
    lower_limit: float | None
    upper_limit: float | None
    target: float | None
    variation: Variation | None
    assurance: Assurance | None
    decimals: int  # of the values as given; means and limits get at least one
    unit: UnitLike = Unit.NUMBER  # what the explanation writes beside each figure

    @property
    def latest(self) -> SpcPoint | None:
        """The latest point with a value (a gap at the end is passed over)."""
        return next((p for p in reversed(self.points) if p.value is not None), None)

    @property
    def explanation(self) -> str:
        """One or two sentences for a councillor."""
        latest = self.latest
        if latest is None:
            return _("There are no values to chart.")
        phase = self.phases[latest.phase]
        sentences = []
        if phase.chart is Chart.RUN:
            sentences.append(
                _(
                    "With %(count)s values, too few for process limits (%(needed)s are "
                    "needed), this is a run chart around the median (%(median)s)."
                )
                % {"count": phase.count, "needed": MIN_POINTS, "median": self.shown(phase.centre)}
            )
        sentences.append(self._variation_sentence(latest, phase))
        if self.assurance is not None and self.target is not None:
            sentences.append(self._assurance_sentence(self.assurance, self.target))
        return " ".join(sentences)

    def shown(self, number: float | None, decimals: int | None = None) -> str:
        """A figure as the explanation prints it, with its unit (means and limits:
        one decimal or more)."""
        if number is None:
            return _("none")
        places = max(1, self.decimals) if decimals is None else decimals
        return format_value(Decimal(repr(round(number, places) + 0.0)), self.unit, places)

    def _variation_sentence(self, point: SpcPoint, phase: SpcPhase) -> str:
        if point.signal is None or point.side is None:
            return _("Variation is common cause: no signal of change.")
        high, xmr_chart = point.side is Side.HIGH, phase.chart is Chart.XMR
        rule = point.rules[0]
        words: dict[str, object] = {}
        if rule is Rule.ASTRONOMICAL:
            words["limit"] = self.shown(point.upper_limit if high else point.lower_limit)
            reason = _REASONS["limit", high]
        elif rule is Rule.SHIFT:
            words["run"] = XMR_RUN if xmr_chart else RUN_CHART_SHIFT
            words["centre"] = self.shown(point.centre)
            reason = _REASONS["mean" if xmr_chart else "median", high]
        elif rule is Rule.TREND:
            words["run"] = XMR_RUN if xmr_chart else RUN_CHART_TREND
            reason = _REASONS["trend", high]
        else:
            assert phase.limits is not None
            line = phase.limits.upper_two_sigma if high else phase.limits.lower_two_sigma
            words["line"] = self.shown(line)
            reason = _REASONS["two sigma", high]
        return _("The latest value, %(value)s, is %(kind)s: it is %(reason)s.") % {
            "value": self.shown(point.value, self.decimals),
            "kind": _(_KINDS[point.signal]),
            "reason": _(reason) % words,
        }

    def _assurance_sentence(self, assurance: Assurance, target: float) -> str:
        written = f"{target:.4f}".rstrip("0").rstrip(".")  # as given, to 4 places at most
        shown_target = self.shown(target, len(written.partition(".")[2]))
        if assurance is Assurance.HIT_OR_MISS:
            return _(
                "The target of %(target)s lies within the process limits, so the process will "
                "hit and miss it at random."
            ) % {"target": shown_target}
        assert self.lower_limit is not None and self.upper_limit is not None
        above = target > self.upper_limit
        limit = self.shown(self.upper_limit if above else self.lower_limit)
        sentence = _ASSURED[above, assurance is Assurance.PASS]
        return _(sentence) % {"target": shown_target, "limit": limit}


_KINDS = {
    Signal.IMPROVEMENT: N_("a special cause of improvement"),
    Signal.CONCERN: N_("a special cause of concern"),
    Signal.NEUTRAL: N_("a special cause of neutral variation (neither better nor worse)"),
}
# Why the latest value is a signal, by rule and by side (True: high).
_REASONS = {
    ("limit", True): N_("above the upper process limit (%(limit)s)"),
    ("limit", False): N_("below the lower process limit (%(limit)s)"),
    ("mean", True): N_("one of %(run)s or more values in a row above the mean (%(centre)s)"),
    ("mean", False): N_("one of %(run)s or more values in a row below the mean (%(centre)s)"),
    ("median", True): N_("one of %(run)s or more values in a row above the median (%(centre)s)"),
    ("median", False): N_("one of %(run)s or more values in a row below the median (%(centre)s)"),
    ("trend", True): N_("one of %(run)s or more values in a row, each higher than the one before"),
    ("trend", False): N_("one of %(run)s or more values in a row, each lower than the one before"),
    ("two sigma", True): N_(
        "one of two in three values in a row beyond two sigma above the mean (beyond %(line)s)"
    ),
    ("two sigma", False): N_(
        "one of two in three values in a row beyond two sigma below the mean (beyond %(line)s)"
    ),
}
# Where the target lies and what the process will do, by (above the upper
# limit, passing).
_ASSURED = {
    (True, True): N_(
        "The target of %(target)s lies above the upper process limit (%(limit)s), so the "
        "process will consistently pass it."
    ),
    (True, False): N_(
        "The target of %(target)s lies above the upper process limit (%(limit)s), so the "
        "process will consistently fall short of it."
    ),
    (False, True): N_(
        "The target of %(target)s lies below the lower process limit (%(limit)s), so the "
        "process will consistently pass it."
    ),
    (False, False): N_(
        "The target of %(target)s lies below the lower process limit (%(limit)s), so the "
        "process will consistently fall short of it."
    ),
}


def moving_ranges(values: Sequence[Number | None]) -> list[float]:
    """|x_i − x_(i−1)| for each pair of neighbouring values; none across a gap.

    >>> moving_ranges([3, 5, None, 4, 1])
    [2.0, 3.0]
    """
    ranges = []
    previous: float | None = None
    for value in values:
        current = None if value is None else float(value)
        if current is not None and previous is not None:
            ranges.append(abs(current - previous))
        previous = current
    return ranges


def control_limits(
    values: Sequence[Number | None], screen_outliers: bool = False
) -> ProcessLimits | None:
    """Mean ± 2.66 × MRbar (Making Data Count); None without a moving range.

    With ``screen_outliers`` the moving ranges above 3.267 × MRbar are left
    out and MRbar is computed again, once (off by default, as in the MDC tools).

    >>> control_limits([10, 12, 10, 12]).upper_limit
    16.32
    """
    present = [float(v) for v in values if v is not None]
    ranges = moving_ranges(values)
    if not ranges:
        return None
    mr_mean = fsum(ranges) / len(ranges)
    if screen_outliers:
        kept = [r for r in ranges if r <= SCREEN_FACTOR * mr_mean]
        mr_mean = fsum(kept) / len(kept)
    mean = fsum(present) / len(present)
    width = LIMIT_FACTOR * mr_mean
    return ProcessLimits(
        mean=mean,
        moving_range_mean=mr_mean,
        lower_limit=mean - width,
        upper_limit=mean + width,
        sigma=mr_mean / SIGMA_DIVISOR,
        lower_two_sigma=mean - width * 2 / 3,
        upper_two_sigma=mean + width * 2 / 3,
    )


def assess_assurance(
    target: float | None,
    lower_limit: float | None,
    upper_limit: float | None,
    improvement: Improvement,
) -> Assurance | None:
    """Pass when the target lies beyond the worse process limit, fail when it
    lies beyond the better one, hit or miss when it lies within the limits,
    both limits included (as the MDC SQL script and NHSRplotthedots have it).
    None without a target or limits, or for a neutral indicator.

    >>> assess_assurance(80, 82.1, 95.0, Improvement.INCREASE)
    <Assurance.PASS: 'pass'>
    """
    if target is None or lower_limit is None or upper_limit is None:
        return None  # no target, or a run chart
    if improvement is Improvement.NEUTRAL:
        return None
    if lower_limit <= target <= upper_limit:
        return Assurance.HIT_OR_MISS
    if improvement is Improvement.INCREASE:
        return Assurance.PASS if target < lower_limit else Assurance.FAIL
    return Assurance.PASS if target > upper_limit else Assurance.FAIL


def xmr(
    values: Sequence[Number | None],
    improvement: Improvement | str = Improvement.INCREASE,
    target: Number | None = None,
    screen_outliers: bool = False,
    rebase: Sequence[int] = (),
    unit: UnitLike = Unit.NUMBER,
) -> SpcResult:
    """The XmR chart of ``values`` (oldest first), with its signals and icons.
    ``unit`` is only for the figures the explanation writes.

    Gaps: ``None`` is a missing period. It stays in the result (with no
    signal), is left out of the mean, and no moving range is taken across it;
    the rules run over the values that are present, in order.

    ``rebase`` lists the positions where a new phase starts (after a change to
    the process): each phase has its own mean and limits, and the rules look
    only within a phase. A phase with fewer than 15 values is a run chart:
    the median is its centre line, it has no limits (so no astronomical or
    two-of-three rule and no assurance), a shift is 6 or more values on one
    side of the median (values on the median are skipped) and a trend is 5 or
    more values each higher (or lower) than the last (repeated values are
    skipped).

    A point flagged both ways takes the side of its first rule in the order
    astronomical, trend, shift, two of three (the MDC SQL script's order).
    """
    direction = _improvement(improvement)
    numbers = [None if v is None else float(v) for v in values]
    starts = _phase_starts(len(numbers), rebase)
    points: list[SpcPoint] = []
    phases: list[SpcPhase] = []
    for start, stop in pairwise([*starts, len(numbers)]):
        phase = _phase(numbers[start:stop], start, screen_outliers)
        points.extend(_points(numbers[start:stop], phase, len(phases), direction))
        phases.append(phase)
    last = phases[-1] if phases else None
    limits = last.limits if last else None
    lower = limits.lower_limit if limits else None
    upper = limits.upper_limit if limits else None
    goal = None if target is None else float(target)
    latest = next((p for p in reversed(points) if p.value is not None), None)
    return SpcResult(
        points=tuple(points),
        phases=tuple(phases),
        improvement=direction,
        chart=last.chart if last else Chart.RUN,
        mean=last.mean if last else None,
        centre=last.centre if last else None,
        lower_limit=lower,
        upper_limit=upper,
        target=goal,
        variation=latest.variation if latest else None,
        assurance=assess_assurance(goal, lower, upper, direction),
        decimals=_decimals(values),
        unit=unit,
    )


def _improvement(improvement: Improvement | str) -> Improvement:
    try:
        return Improvement(improvement)
    except ValueError:
        choices = ", ".join(i.value for i in Improvement)
        raise ValueError(f"improvement must be one of {choices}, not {improvement!r}") from None


def _phase_starts(length: int, rebase: Sequence[int]) -> list[int]:
    for index in rebase:
        if not 0 <= index < length:
            raise ValueError(f"rebase position {index} is outside the {length} values")
    return sorted({0, *rebase}) if length else []


def _decimals(values: Sequence[Number | None]) -> int:
    """The most decimal places among the values as given, at most four."""
    most = 0
    for value in values:
        if isinstance(value, Decimal):
            exponent = value.as_tuple().exponent
            places = -exponent if isinstance(exponent, int) else 0
        elif isinstance(value, float):
            text = repr(value)
            places = 4 if "e" in text else len(text.split(".")[1].rstrip("0"))
        else:
            continue
        most = max(most, places)
        if most >= 4:
            return 4
    return most


def _phase(numbers: list[float | None], start: int, screen_outliers: bool) -> SpcPhase:
    present = [x for x in numbers if x is not None]
    mean = fsum(present) / len(present) if present else None
    limits = control_limits(numbers, screen_outliers) if len(present) >= MIN_POINTS else None
    if limits is not None:
        return SpcPhase(start, start + len(numbers), Chart.XMR, len(present), mean, mean, limits)
    centre = median(present) if present else None
    return SpcPhase(start, start + len(numbers), Chart.RUN, len(present), mean, centre, None)


def _points(
    numbers: list[float | None], phase: SpcPhase, index: int, improvement: Improvement
) -> Iterator[SpcPoint]:
    present = [x for x in numbers if x is not None]
    flags = _xmr_flags(present, phase.limits) if phase.limits else _run_flags(present, phase.centre)
    lower = phase.limits.lower_limit if phase.limits else None
    upper = phase.limits.upper_limit if phase.limits else None
    found = iter(flags)
    for value in numbers:
        if value is None:
            yield SpcPoint(None, phase.mean, phase.centre, lower, upper, None, (), None, index)
            continue
        fired = next(found)
        rules = tuple(rule for rule in _RULES if rule in fired) if fired else ()
        side = fired[rules[0]] if rules else None
        signal = _signal(side, improvement)
        yield SpcPoint(value, phase.mean, phase.centre, lower, upper, signal, rules, side, index)


_RULES = tuple(Rule)  # in the order of precedence


def _signal(side: Side | None, improvement: Improvement) -> Signal | None:
    if side is None:
        return None
    if improvement is Improvement.NEUTRAL:
        return Signal.NEUTRAL
    good = Side.HIGH if improvement is Improvement.INCREASE else Side.LOW
    return Signal.IMPROVEMENT if side is good else Signal.CONCERN


def _side(difference: float) -> Side | None:
    return Side.HIGH if difference > 0 else Side.LOW if difference < 0 else None


def _beyond(value: float, lower: float, upper: float) -> Side | None:
    return Side.HIGH if value > upper else Side.LOW if value < lower else None


def _runs(labels: Sequence[Side | None], minimum: int) -> Iterator[tuple[int, int, Side]]:
    """(first, last, side) of each run of one side, ``minimum`` long or longer."""
    first = 0
    for k in range(1, len(labels) + 1):
        if k == len(labels) or labels[k] is not labels[first]:
            side = labels[first]
            if side is not None and k - first >= minimum:
                yield first, k - 1, side
            first = k


def _xmr_flags(values: list[float], limits: ProcessLimits) -> list[dict[Rule, Side]]:
    flags: list[dict[Rule, Side]] = [{} for _ in values]
    for k, x in enumerate(values):
        if outside := _beyond(x, limits.lower_limit, limits.upper_limit):
            flags[k][Rule.ASTRONOMICAL] = outside
    for first, last, side in _runs([_side(x - limits.mean) for x in values], XMR_RUN):
        for k in range(first, last + 1):
            flags[k][Rule.SHIFT] = side
    steps = [_side(b - a) for a, b in pairwise(values)]
    for first, last, side in _runs(steps, XMR_RUN - 1):
        for k in range(first, last + 2):  # a later trend overrides at a turning point
            flags[k][Rule.TREND] = side
    beyond = [_beyond(x, limits.lower_two_sigma, limits.upper_two_sigma) for x in values]
    for k in range(len(values) - 2):
        window = beyond[k : k + 3]
        for side in (Side.HIGH, Side.LOW):
            if window.count(side) >= 2:
                for j in range(k, k + 3):
                    if beyond[j] is side:
                        flags[j][Rule.TWO_OF_THREE] = side
    return flags


def _run_flags(values: list[float], centre: float | None) -> list[dict[Rule, Side]]:
    """Run chart rules: values on the median and repeated values are skipped."""
    flags: list[dict[Rule, Side]] = [{} for _ in values]
    if centre is None:
        return flags
    off = [k for k, x in enumerate(values) if x != centre]
    for first, last, side in _runs([_side(values[k] - centre) for k in off], RUN_CHART_SHIFT):
        for k in off[first : last + 1]:
            flags[k][Rule.SHIFT] = side
    groups: list[tuple[int, int]] = []  # (first, last) positions of each repeated value
    for k, x in enumerate(values):
        if groups and values[groups[-1][0]] == x:
            groups[-1] = (groups[-1][0], k)
        else:
            groups.append((k, k))
    steps = [_side(values[b[0]] - values[a[0]]) for a, b in pairwise(groups)]
    for first, last, side in _runs(steps, RUN_CHART_TREND - 1):
        for k in range(groups[first][0], groups[last + 1][1] + 1):
            flags[k][Rule.TREND] = side
    return flags
