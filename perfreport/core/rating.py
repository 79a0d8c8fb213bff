"""RAG ratings exactly as the Corporate Performance Report's Key defines them.

The Key (seed report, 2020/21 Q2):

* Red – current performance is off target by more than 10%
* Amber – current performance is off target by 10% or less
* Green – current performance is on target by up to 5% over target
* Blue – current performance exceeds target by more than 5%
* Baseline – performance is being tracked to inform the target setting process
* Contextual – key activity is tracked, but a target has not been deemed pertinent

"Off" and "over" follow the indicator's polarity. The 10 and 5 are the
defaults of :class:`RatingRules`; an indicator may set its own, measure them
in its own units instead of as a percentage of the target (``absolute``), or
drop Blue altogether (``blue_threshold=None``).

All comparisons are exact: they cross-multiply Decimals instead of dividing,
so 89.1 against a target of 99 is exactly 10% off, and Amber.

>>> r = rate_against_target(Decimal("83.4"), Decimal("90"), Polarity.HIGHER, RatingRules())
>>> r.rating
<Rating.AMBER: 'amber'>
>>> describe_rating(r, Decimal("83.4"), Decimal("90"), Polarity.HIGHER, RatingRules(),
...                 Unit.PERCENT, 1)
'83.4% is 7.3% below the 90.0% target: Amber (off target by 10% or less)'
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from perfreport.core.units import Unit, format_difference, format_value, plain, round_to

__all__ = [
    "Polarity",
    "Rating",
    "RatingBasis",
    "RatingOutcome",
    "RatingRules",
    "ToleranceMethod",
    "describe_rating",
    "rate_against_target",
    "rating_meanings",
]

HUNDRED = Decimal(100)


class Rating(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    BLUE = "blue"
    BASELINE = "baseline"
    CONTEXTUAL = "contextual"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def symbol(self) -> str:
        """A shape for each rating, so that colour is never the only cue."""
        return _SYMBOLS[self]

    @property
    def is_colour(self) -> bool:
        return self not in (Rating.BASELINE, Rating.CONTEXTUAL)

    @classmethod
    def parse(cls, text: str) -> Rating:
        try:
            return cls(text.strip().lower())
        except ValueError:
            choices = ", ".join(r.value for r in cls)
            raise ValueError(f"{text!r} is not a RAG rating: use one of {choices}") from None


_SYMBOLS = {
    Rating.RED: "✖",
    Rating.AMBER: "▲",
    Rating.GREEN: "✔",
    Rating.BLUE: "★",
    Rating.BASELINE: "◇",
    Rating.CONTEXTUAL: "○",
}


class Polarity(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"

    @property
    def arrow(self) -> str:
        """The seed's Direction for Improvement column."""
        return "↑" if self is Polarity.HIGHER else "↓"

    @property
    def words(self) -> str:
        return "higher is better" if self is Polarity.HIGHER else "lower is better"

    def better_by(self, value: Decimal, reference: Decimal) -> Decimal:
        """How far ``value`` is better than ``reference``: positive is better."""
        return value - reference if self is Polarity.HIGHER else reference - value


class RatingBasis(StrEnum):
    TARGETED = "targeted"
    BASELINE = "baseline"
    CONTEXTUAL = "contextual"


class ToleranceMethod(StrEnum):
    RELATIVE = "relative"
    ABSOLUTE = "absolute"


@dataclass(frozen=True, slots=True)
class RatingRules:
    """Thresholds of the Key. ``relative`` thresholds are % of the target;
    ``absolute`` ones are in the indicator's units (percentage points for %)."""

    method: ToleranceMethod = ToleranceMethod.RELATIVE
    red_threshold: Decimal = Decimal(10)
    blue_threshold: Decimal | None = Decimal(5)

    def __post_init__(self) -> None:
        if self.red_threshold < 0:
            raise ValueError(f"red threshold must be 0 or more, not {self.red_threshold}")
        if self.blue_threshold is not None and self.blue_threshold < 0:
            raise ValueError(f"blue threshold must be 0 or more, not {self.blue_threshold}")

    @property
    def is_default(self) -> bool:
        return self == RatingRules()


@dataclass(frozen=True, slots=True)
class RatingOutcome:
    """A rating against a target and the signed gap behind it.

    ``gap`` is how much better than the target the value is (negative: off
    target), in % of the target for ``relative`` rules, in units for
    ``absolute``; ``None`` for a zero target under relative rules.
    """

    rating: Rating
    gap: Decimal | None


def rate_against_target(
    value: Decimal, target: Decimal, polarity: Polarity, rules: RatingRules
) -> RatingOutcome:
    """Rate ``value`` against ``target`` per the Key.

    Off target by more than ``red_threshold``: Red; off by that or less: Amber;
    on target up to ``blue_threshold`` over: Green; over by more: Blue. A zero
    target under relative rules has no percentage: on or better is Green,
    worse is Red.
    """
    better = polarity.better_by(value, target)
    if rules.method is ToleranceMethod.ABSOLUTE:
        return RatingOutcome(_band(better, Decimal(1), rules), better)
    if target == 0:
        return RatingOutcome(Rating.GREEN if better >= 0 else Rating.RED, None)
    # gap% = better / |target| * 100; compare better * 100 with threshold * |target|.
    scale = abs(target)
    return RatingOutcome(_band(better * HUNDRED, scale, rules), better * HUNDRED / scale)


def _band(scaled_gap: Decimal, scale: Decimal, rules: RatingRules) -> Rating:
    if scaled_gap < 0:
        return Rating.RED if -scaled_gap > rules.red_threshold * scale else Rating.AMBER
    if rules.blue_threshold is not None and scaled_gap > rules.blue_threshold * scale:
        return Rating.BLUE
    return Rating.GREEN


def rating_meanings(rules: RatingRules, unit: Unit = Unit.PERCENT) -> dict[Rating, str]:
    """What each rating means under ``rules``, in the Key's own words."""
    red = _threshold_text(rules.red_threshold, rules, unit)
    meanings = {
        Rating.RED: f"off target by more than {red}",
        Rating.AMBER: f"off target by {red} or less",
    }
    if rules.blue_threshold is None:
        meanings[Rating.GREEN] = "on target or better"
    else:
        blue = _threshold_text(rules.blue_threshold, rules, unit)
        meanings[Rating.GREEN] = f"on target, up to {blue} over"
        meanings[Rating.BLUE] = f"exceeds target by more than {blue}"
    meanings[Rating.BASELINE] = (
        "performance is being tracked in order to inform the target setting process"
    )
    meanings[Rating.CONTEXTUAL] = (
        "tracks key activity where a target has not been deemed pertinent by the service lead"
    )
    return meanings


def _threshold_text(threshold: Decimal, rules: RatingRules, unit: Unit) -> str:
    if rules.method is ToleranceMethod.RELATIVE:
        return f"{plain(threshold)}%"
    decimals = max(0, -threshold.normalize().as_tuple().exponent)  # type: ignore[operator]
    return format_difference(threshold, unit, decimals)


def describe_rating(
    outcome: RatingOutcome,
    value: Decimal,
    target: Decimal,
    polarity: Polarity,
    rules: RatingRules,
    unit: Unit,
    decimals: int,
) -> str:
    """One sentence that explains a rating, with the numbers behind it.

    "83.4% is 7.3% below the 90.0% target: Amber (off target by 10% or less)"
    """
    shown_value = format_value(value, unit, decimals)
    shown_target = format_value(target, unit, decimals)
    meaning = rating_meanings(rules, unit)[outcome.rating]
    if outcome.gap is None and rules.method is ToleranceMethod.RELATIVE:
        # A zero target: no percentage bands, only better or worse.
        meaning = _ZERO_TARGET[outcome.rating is Rating.GREEN]
    verdict = f"{outcome.rating.label} ({meaning})"
    if value == target:
        return f"{shown_value} meets the {shown_target} target exactly: {verdict}"
    direction = "above" if value > target else "below"
    suffix = f", and {polarity.words}" if polarity is Polarity.LOWER else ""
    if outcome.gap is None:
        return f"{shown_value} is {direction} the target of {shown_target}{suffix}: {verdict}"
    if rules.method is ToleranceMethod.ABSOLUTE:
        size = format_difference(abs(value - target), unit, decimals)
    else:
        size = _percent_text(abs(outcome.gap), rules)
    return f"{shown_value} is {size} {direction} the {shown_target} target{suffix}: {verdict}"


_ZERO_TARGET = {True: "on or better than a zero target", False: "worse than a zero target"}


def _percent_text(gap: Decimal, rules: RatingRules) -> str:
    """The gap to one decimal place, or more where one place would land on a
    threshold it does not equal (10.04% must not read as "10.0%" and Red)."""
    thresholds = {rules.red_threshold, rules.blue_threshold} - {None}
    for places in range(1, 7):
        shown = round_to(gap, places)
        if shown not in thresholds or shown == gap:
            return f"{shown}%"
    return f"{plain(gap)}%"
