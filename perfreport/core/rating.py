"""RAG ratings by a Key: a rating scheme of bands on the gap to the target.

A *scheme* is an ordered list of bands, best first. Each band names a rating
and the least *signed gap* it takes (how far the value is better than the
target, by the indicator's polarity: positive is better), inclusive or not;
the last band takes every value left. A value gets the first band whose bound
it meets. The gap is a percentage of the target (``relative``) or in the
indicator's units (``absolute``; points for percentages).

Three schemes are built in:

* ``seed``, the Corporate Performance Report's Key and the default:
  Blue gap > 5; Green gap >= 0; Amber gap >= -10; Red.
* ``tolerance``, "on, above or within 5% of target" is Green:
  Green gap >= -5; Amber gap >= -10; Red.
* ``met``, met or not met: Green gap >= 0; Red.

An organisation defines its own (``schemes.csv``); an indicator's own
thresholds (:class:`RatingRules`) make a scheme of the seed's shape.

All comparisons are exact: they cross-multiply Decimals instead of dividing,
so 89.1 against a target of 99 is exactly 10% off, and Amber under ``seed``.

>>> r = rate_against_target(Decimal("83.4"), Decimal("90"), Polarity.HIGHER, SEED)
>>> r.rating
<Rating.AMBER: 'amber'>
>>> describe_rating(r, Decimal("83.4"), Decimal("90"), Polarity.HIGHER, SEED, Unit.PERCENT, 1)
'83.4% is 6.6 percentage points (7.3%) below the 90.0% target: Amber (off target by 10% or less)'
>>> rating_meanings(TOLERANCE)[Rating.GREEN]
'on target or better, or up to 5% off it'
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from perfreport.core.i18n import N_, _
from perfreport.core.units import (
    Unit,
    UnitLike,
    as_format,
    format_difference,
    format_value,
    plain,
    round_to,
)

__all__ = [
    "BUILT_IN_SCHEMES",
    "DEFAULT_SCHEME",
    "MET",
    "OWN_THRESHOLDS",
    "SEED",
    "TOLERANCE",
    "Band",
    "GapMeasure",
    "Polarity",
    "Rating",
    "RatingBasis",
    "RatingOutcome",
    "RatingRules",
    "Scheme",
    "SchemeError",
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
        """The rating's name in the active language: "Red", "Coch"."""
        return _(_LABELS[self])

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
            raise ValueError(
                _("%(text)s is not a RAG rating: use one of %(choices)s")
                % {"text": repr(text), "choices": choices}
            ) from None


_LABELS = {
    Rating.RED: N_("Red"),
    Rating.AMBER: N_("Amber"),
    Rating.GREEN: N_("Green"),
    Rating.BLUE: N_("Blue"),
    Rating.BASELINE: N_("Baseline"),
    Rating.CONTEXTUAL: N_("Contextual"),
}
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
        return _("higher is better") if self is Polarity.HIGHER else _("lower is better")

    def better_by(self, value: Decimal, reference: Decimal) -> Decimal:
        """How far ``value`` is better than ``reference``: positive is better."""
        return value - reference if self is Polarity.HIGHER else reference - value


class RatingBasis(StrEnum):
    TARGETED = "targeted"
    BASELINE = "baseline"
    CONTEXTUAL = "contextual"


class GapMeasure(StrEnum):
    """How a scheme measures the gap: as a percentage of the target
    (``relative``) or in the indicator's own units (``absolute``; points for
    percentages)."""

    RELATIVE = "relative"
    ABSOLUTE = "absolute"


# The register's older name for the measure of an indicator's own thresholds.
ToleranceMethod = GapMeasure


class SchemeError(ValueError):
    """A rating scheme that cannot rate: bands out of order, a rating twice.

    ``band`` is the 0-based position of the band at fault, when one is, and
    ``field`` the part of it ("rating", "gap_from"), so that an importer can
    name the row and column it came from.
    """

    def __init__(self, message: str, band: int | None = None, field: str = "") -> None:
        super().__init__(message)
        self.band = band
        self.field = field


@dataclass(frozen=True, slots=True)
class Band:
    """One rating of a scheme: the values whose signed gap (positive is
    better) is at least ``gap_from`` (more than it, if not ``inclusive``).
    The last band of a scheme has no bound and takes every other value."""

    rating: Rating
    gap_from: Decimal | None = None
    inclusive: bool = True
    label: str = ""
    symbol: str = ""
    colour: str = ""
    description: str = ""

    @property
    def name(self) -> str:
        """The band's label as a reader sees it: the organisation's or the rating's."""
        return self.label or self.rating.label

    @property
    def mark(self) -> str:
        return self.symbol or self.rating.symbol

    @property
    def hex_colour(self) -> str:
        return self.colour or RATING_COLOURS[self.rating]

    def admits(self, scaled_gap: Decimal, scale: Decimal) -> bool:
        """Whether a gap of ``scaled_gap / scale`` meets this band's bound,
        compared without dividing (so 89.1 against 99 is exactly 10% off)."""
        if self.gap_from is None:
            return True
        bound = self.gap_from * scale
        return scaled_gap >= bound if self.inclusive else scaled_gap > bound


RATING_COLOURS = {
    Rating.RED: "#b4261a",
    Rating.AMBER: "#a85a00",
    Rating.GREEN: "#00703c",
    Rating.BLUE: "#1d5fa8",
    Rating.BASELINE: "#505a5f",
    Rating.CONTEXTUAL: "#505a5f",
}


OWN_THRESHOLDS = "own thresholds"  # how the name of an indicator's own scheme ends


@dataclass(frozen=True, slots=True)
class Scheme:
    """A Key: bands best first, each with the least gap it takes.

    A value gets the first band whose bound it meets. ``baseline_label`` and
    ``contextual_label`` are what the organisation calls the two ratings that
    are not measured against a target.
    """

    name: str
    bands: tuple[Band, ...]
    measure: GapMeasure = GapMeasure.RELATIVE
    baseline_label: str = ""
    contextual_label: str = ""

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise SchemeError(_("a rating scheme needs a name"))
        words = {"scheme": repr(self.name)}
        if len(self.bands) < 2:
            raise SchemeError(_("scheme %(scheme)s needs at least two bands") % words)
        seen: set[Rating] = set()
        for index, band in enumerate(self.bands):
            if not band.rating.is_colour:
                raise SchemeError(
                    _(
                        "scheme %(scheme)s: %(rating)s is not measured against a target, so it "
                        "cannot be a band; use red, amber, green or blue"
                    )
                    % {**words, "rating": band.rating.label},
                    index,
                    "rating",
                )
            if band.rating in seen:
                raise SchemeError(
                    _("scheme %(scheme)s names %(rating)s twice")
                    % {**words, "rating": band.rating.label},
                    index,
                    "rating",
                )
            seen.add(band.rating)
            last = index == len(self.bands) - 1
            if last and band.gap_from is not None:
                raise SchemeError(
                    _(
                        "scheme %(scheme)s: the last band (%(band)s) takes every value left, so "
                        "its gap_from must be empty"
                    )
                    % {**words, "band": band.name},
                    index,
                    "gap_from",
                )
            if not last and band.gap_from is None:
                raise SchemeError(
                    _(
                        "scheme %(scheme)s: only the last band may leave gap_from empty, not %(band)s"
                    )
                    % {**words, "band": band.name},
                    index,
                    "gap_from",
                )
        for index, (better, worse) in enumerate(itertools.pairwise(self.bands[:-1]), start=1):
            assert better.gap_from is not None and worse.gap_from is not None
            ordered = better.gap_from > worse.gap_from or (
                better.gap_from == worse.gap_from and not better.inclusive and worse.inclusive
            )
            if not ordered:
                raise SchemeError(
                    _(
                        "scheme %(scheme)s: bands go best first, so %(worse)s's gap_from "
                        "(%(worse_from)s) must be below %(better)s's (%(better_from)s)"
                    )
                    % {
                        **words,
                        "worse": worse.name,
                        "worse_from": plain(worse.gap_from),
                        "better": better.name,
                        "better_from": plain(better.gap_from),
                    },
                    index,
                    "gap_from",
                )

    @property
    def ratings(self) -> tuple[Rating, ...]:
        return tuple(b.rating for b in self.bands)

    def band(self, rating: Rating) -> Band | None:
        for band in self.bands:
            if band.rating is rating:
                return band
        return None

    @property
    def is_own_thresholds(self) -> bool:
        """Made from one indicator's own thresholds (:meth:`RatingRules.scheme`)."""
        return self.name.endswith(OWN_THRESHOLDS)

    def symbol(self, rating: Rating) -> str:
        """The mark this scheme shows beside ``rating``."""
        band = self.band(rating)
        return band.mark if band else rating.symbol

    def label(self, rating: Rating) -> str:
        """What this scheme's organisation calls ``rating``."""
        if rating is Rating.BASELINE:
            return self.baseline_label or rating.label
        if rating is Rating.CONTEXTUAL:
            return self.contextual_label or rating.label
        band = self.band(rating)
        return band.name if band else rating.label

    def same_bands(self, other: Scheme) -> bool:
        """Whether ``other`` rates every value as this one does, whatever it is called."""
        return self.measure is other.measure and [
            (b.rating, b.gap_from, b.inclusive) for b in self.bands
        ] == [(b.rating, b.gap_from, b.inclusive) for b in other.bands]

    def rate(self, value: Decimal, target: Decimal, polarity: Polarity) -> RatingOutcome:
        """Rate ``value`` against ``target``: the first band whose bound the gap meets.

        A zero target under a relative scheme has no percentage: on it or
        better takes the band a zero gap takes, worse takes the last band.
        """
        better = polarity.better_by(value, target)
        if self.measure is GapMeasure.ABSOLUTE:
            return RatingOutcome(self._first(better, Decimal(1)), better)
        if target == 0:
            rating = self._first(Decimal(0), Decimal(1)) if better >= 0 else self.bands[-1].rating
            return RatingOutcome(rating, None)
        # gap% = better / |target| * 100; compare better * 100 with bound * |target|.
        scale = abs(target)
        return RatingOutcome(self._first(better * HUNDRED, scale), better * HUNDRED / scale)

    def _first(self, scaled_gap: Decimal, scale: Decimal) -> Rating:
        for band in self.bands:
            if band.admits(scaled_gap, scale):
                return band.rating
        raise AssertionError("the last band admits every gap")  # pragma: no cover


SEED = Scheme(
    "seed",
    (
        Band(Rating.BLUE, Decimal(5), inclusive=False),
        Band(Rating.GREEN, Decimal(0)),
        Band(Rating.AMBER, Decimal(-10)),
        Band(Rating.RED),
    ),
)
TOLERANCE = Scheme(
    "tolerance",
    (Band(Rating.GREEN, Decimal(-5)), Band(Rating.AMBER, Decimal(-10)), Band(Rating.RED)),
)
MET = Scheme("met", (Band(Rating.GREEN, Decimal(0)), Band(Rating.RED)))
BUILT_IN_SCHEMES = {s.name: s for s in (SEED, TOLERANCE, MET)}
DEFAULT_SCHEME = SEED


@dataclass(frozen=True, slots=True)
class RatingRules:
    """An indicator's own thresholds, the register's older way to set a Key
    of the seed's shape. ``relative`` thresholds are % of the target;
    ``absolute`` ones are in the indicator's units (percentage points for %)."""

    method: GapMeasure = GapMeasure.RELATIVE
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

    def scheme(self, name: str = OWN_THRESHOLDS) -> Scheme:
        """The seed's bands with these thresholds. A zero red threshold leaves
        no room for Amber, so the scheme has none (it could never occur)."""
        bands = []
        if self.blue_threshold is not None:
            bands.append(Band(Rating.BLUE, self.blue_threshold, inclusive=False))
        bands.append(Band(Rating.GREEN, Decimal(0)))
        if self.red_threshold > 0:
            bands.append(Band(Rating.AMBER, -self.red_threshold))
        bands.append(Band(Rating.RED))
        return Scheme(name, tuple(bands), self.method)


@dataclass(frozen=True, slots=True)
class RatingOutcome:
    """A rating against a target and the signed gap behind it.

    ``gap`` is how much better than the target the value is (negative: off
    target), in % of the target for ``relative`` schemes, in units for
    ``absolute``; ``None`` for a zero target under a relative scheme.
    """

    rating: Rating
    gap: Decimal | None


def rate_against_target(
    value: Decimal, target: Decimal, polarity: Polarity, scheme: Scheme | RatingRules
) -> RatingOutcome:
    """Rate ``value`` against ``target`` by ``scheme`` (or by thresholds of
    the seed's shape)."""
    if isinstance(scheme, RatingRules):
        scheme = scheme.scheme()
    return scheme.rate(value, target, polarity)


UNTARGETED_MEANINGS = {
    Rating.BASELINE: N_(
        "performance is being tracked in order to inform the target setting process"
    ),
    Rating.CONTEXTUAL: N_(
        "tracks key activity where a target has not been deemed pertinent by the service lead"
    ),
}


def rating_meanings(
    scheme: Scheme | RatingRules, unit: UnitLike = Unit.PERCENT
) -> dict[Rating, str]:
    """What each rating means under ``scheme``, in words made from its bands
    (or the band's own description, where the organisation wrote one); and
    the two ratings without a target."""
    if isinstance(scheme, RatingRules):
        scheme = scheme.scheme()
    meanings = {}
    for index, band in enumerate(scheme.bands):
        above = scheme.bands[index - 1] if index else None
        meanings[band.rating] = band.description or _band_words(band, above, scheme, unit)
    meanings.update({rating: _(words) for rating, words in UNTARGETED_MEANINGS.items()})
    return meanings


def _band_words(band: Band, above: Band | None, scheme: Scheme, unit: UnitLike) -> str:
    """The band's range of gaps in the Key's words: "off target by 10% or less".

    The band takes gaps from its own bound (``lo``) up to the bound of the
    band above it (``hi``), which it takes only if the band above does not.
    Each case is one whole sentence, so that a language can word it its own way.
    """
    lo, lo_in = band.gap_from, band.inclusive
    hi = above.gap_from if above else None
    hi_in = above is not None and not above.inclusive  # this band takes the gap of hi itself

    def amount(x: Decimal) -> str:
        return _threshold_text(abs(x), scheme.measure, unit)

    if hi is None and lo is None:  # pragma: no cover - a scheme has two bands at least
        return _("any value")
    if hi is None:
        assert lo is not None
        return _best_band_words(lo, lo_in, amount(lo))
    if lo is None:
        return _worst_band_words(hi, hi_in, amount(hi))
    words = {"low": amount(lo), "high": amount(hi)}
    if lo == hi:
        if lo == 0:
            return _("exactly on target")
        if lo > 0:
            return _("exactly %(low)s over target") % words
        return _("exactly %(low)s off target") % words
    if lo == 0:
        table = _ON_TARGET_UP_TO
    elif lo > 0:
        table = _BAND_OVER
    elif hi > 0:
        table = _BAND_ACROSS
    elif hi == 0:
        table = _BAND_OFF_TO_ZERO
    else:
        table = _BAND_OFF
    return _(table[lo_in, hi_in]) % words


def _best_band_words(lo: Decimal, lo_in: bool, amount: str) -> str:
    words = {"amount": amount}
    if lo > 0:
        if lo_in:
            return _("exceeds target by at least %(amount)s") % words
        return _("exceeds target by more than %(amount)s") % words
    if lo == 0:
        return _("on target or better") if lo_in else _("better than target")
    if lo_in:
        return _("on target or better, or up to %(amount)s off it") % words
    return _("on target or better, or less than %(amount)s off it") % words


def _worst_band_words(hi: Decimal, hi_in: bool, amount: str) -> str:
    words = {"amount": amount}
    if hi > 0:
        if hi_in:
            return _("off target, or up to %(amount)s over it") % words
        return _("off target, or less than %(amount)s over it") % words
    if hi == 0:
        return _("on target or off it") if hi_in else _("off target")
    if hi_in:
        return _("off target by %(amount)s or more") % words
    return _("off target by more than %(amount)s") % words


# The range of a band that has a band above it, by (lo_in, hi_in): whole
# sentences, marked for translation and translated where used.
_ON_TARGET_UP_TO = {
    (True, True): N_("on target, up to %(high)s over"),
    (True, False): N_("on target, less than %(high)s over"),
    (False, True): N_("over target by up to %(high)s"),
    (False, False): N_("over target by less than %(high)s"),
}
_BAND_OVER = {
    (True, True): N_("over target by at least %(low)s and up to %(high)s"),
    (True, False): N_("over target by at least %(low)s and less than %(high)s"),
    (False, True): N_("over target by more than %(low)s and up to %(high)s"),
    (False, False): N_("over target by more than %(low)s and less than %(high)s"),
}
_BAND_ACROSS = {
    (True, True): N_("from %(low)s off target to %(high)s over it"),
    (True, False): N_("from %(low)s off target to less than %(high)s over it"),
    (False, True): N_("from less than %(low)s off target to %(high)s over it"),
    (False, False): N_("from less than %(low)s off target to less than %(high)s over it"),
}
_BAND_OFF_TO_ZERO = {
    (True, False): N_("off target by %(low)s or less"),
    (False, False): N_("off target by less than %(low)s"),
    (True, True): N_("on target, or off it by %(low)s or less"),
    (False, True): N_("on target, or off it by less than %(low)s"),
}
_BAND_OFF = {
    (True, True): N_("off target by %(high)s or more and up to %(low)s"),
    (False, True): N_("off target by %(high)s or more and less than %(low)s"),
    (True, False): N_("off target by more than %(high)s and up to %(low)s"),
    (False, False): N_("off target by more than %(high)s and less than %(low)s"),
}


def _threshold_text(threshold: Decimal, measure: GapMeasure, unit: UnitLike) -> str:
    if measure is GapMeasure.RELATIVE:
        return f"{plain(threshold)}%"
    decimals = max(0, -threshold.normalize().as_tuple().exponent)  # type: ignore[operator]
    return format_difference(threshold, unit, decimals)


def describe_rating(
    outcome: RatingOutcome,
    value: Decimal,
    target: Decimal,
    polarity: Polarity,
    scheme: Scheme | RatingRules,
    unit: UnitLike,
    decimals: int,
    *,
    reference: str = "",
) -> str:
    """One sentence that explains a rating, with the numbers behind it.

    "83.4% is 6.6 percentage points (7.3%) below the 90.0% target: Amber (off
    target by 10% or less)". A percentage's gap is in points, with the
    relative figure beside it where the scheme measures relative gaps.
    ``reference`` names a target set by rule instead ("last year's 78.9%
    (Quarter 2 2019/20)").
    """
    if isinstance(scheme, RatingRules):
        scheme = scheme.scheme()
    shown_value = format_value(value, unit, decimals)
    shown_target = format_value(target, unit, decimals)
    meaning = rating_meanings(scheme, unit)[outcome.rating]
    if outcome.gap is None and scheme.measure is GapMeasure.RELATIVE:
        # A zero target: no percentage bands, only better or worse.
        meaning = _(_ZERO_TARGET[outcome.rating is not scheme.bands[-1].rating])
    verdict = f"{scheme.label(outcome.rating)} ({meaning})"
    words = {"value": shown_value, "target": shown_target, "reference": reference}
    words["verdict"] = verdict
    if value == target:
        if reference:
            return _("%(value)s equals %(reference)s exactly: %(verdict)s") % words
        return _("%(value)s meets the %(target)s target exactly: %(verdict)s") % words
    # Lower is better is said, since "above" the target is then the worse side.
    words["suffix"] = _(", and lower is better") if polarity is Polarity.LOWER else ""
    if outcome.gap is None:
        size = ""
    else:
        difference = format_difference(abs(value - target), unit, decimals)
        if scheme.measure is GapMeasure.ABSOLUTE:
            size = difference
        elif as_format(unit).unit is Unit.PERCENT:
            size = f"{difference} ({_percent_text(abs(outcome.gap), scheme)})"
        else:
            size = _percent_text(abs(outcome.gap), scheme)
    words["size"] = size
    sentence = _DESCRIPTIONS[value > target, bool(reference), bool(size)]
    return _(sentence) % words


# Why a value has its rating, by (above the target, against a reference, with
# the size of the gap): whole sentences, translated where used.
_DESCRIPTIONS = {
    (True, False, False): N_("%(value)s is above the target of %(target)s%(suffix)s: %(verdict)s"),
    (False, False, False): N_("%(value)s is below the target of %(target)s%(suffix)s: %(verdict)s"),
    (True, True, False): N_("%(value)s is above %(reference)s%(suffix)s: %(verdict)s"),
    (False, True, False): N_("%(value)s is below %(reference)s%(suffix)s: %(verdict)s"),
    (True, False, True): N_(
        "%(value)s is %(size)s above the %(target)s target%(suffix)s: %(verdict)s"
    ),
    (False, False, True): N_(
        "%(value)s is %(size)s below the %(target)s target%(suffix)s: %(verdict)s"
    ),
    (True, True, True): N_("%(value)s is %(size)s above %(reference)s%(suffix)s: %(verdict)s"),
    (False, True, True): N_("%(value)s is %(size)s below %(reference)s%(suffix)s: %(verdict)s"),
}
_ZERO_TARGET = {
    True: N_("on or better than a zero target"),
    False: N_("worse than a zero target"),
}


def _percent_text(gap: Decimal, scheme: Scheme) -> str:
    """The gap to one decimal place, or more where one place would land on a
    bound it does not equal (10.04% must not read as "10.0%" and Red)."""
    bounds = {abs(b.gap_from) for b in scheme.bands if b.gap_from is not None}
    for places in range(1, 7):
        shown = round_to(gap, places)
        if shown not in bounds or shown == gap:
            return f"{shown}%"
    return f"{plain(gap)}%"
