"""The Key of a report: what each rating means, from the schemes in force.

The organisation's scheme is explained once, in words made from its bands;
indicators rated by another scheme are listed under that scheme's own words.
A band that cannot occur is never printed, because a scheme has no such band
(see :meth:`perfreport.core.rating.RatingRules.scheme`).

>>> from perfreport.core.rating import SEED, TOLERANCE
>>> [line.text for line in key_lines(TOLERANCE)][:2]
['Red – off target by more than 10%', 'Amber – off target by more than 5% and up to 10%']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from perfreport.core.i18n import _, ngettext
from perfreport.core.indicator import IndicatorSpec
from perfreport.core.rating import GapMeasure, Rating, RatingBasis, Scheme, rating_meanings
from perfreport.core.units import Unit, UnitLike

__all__ = ["KeyLine", "KeyVariation", "key_lines", "key_variations"]


@dataclass(frozen=True, slots=True)
class KeyLine:
    """One rating of a Key: its name, mark and colour as the scheme sets them."""

    rating: Rating
    label: str
    symbol: str
    colour: str
    meaning: str

    @property
    def text(self) -> str:
        return f"{self.label} – {self.meaning}"


@dataclass(frozen=True, slots=True)
class KeyVariation:
    """Indicators rated by a scheme other than the organisation's."""

    scheme: str
    lines: tuple[KeyLine, ...]
    indicators: tuple[tuple[str, str], ...]  # (ref, title)

    @property
    def text(self) -> str:
        names = ", ".join(f"{ref} ({title})" for ref, title in self.indicators)
        bands = "; ".join(line.text for line in self.lines)
        return ngettext(
            "Indicator %(names)s: rated by %(scheme)s: %(bands)s.",
            "Indicators %(names)s: rated by %(scheme)s: %(bands)s.",
            len(self.indicators),
        ) % {"names": names, "scheme": self.scheme, "bands": bands}


def key_lines(
    scheme: Scheme, unit: UnitLike = Unit.PERCENT, *, untargeted: bool = True
) -> list[KeyLine]:
    """The scheme's bands, worst first as the seed's Key prints them (Red,
    Amber, Green, Blue), then Baseline and Contextual."""
    meanings = rating_meanings(scheme, unit)
    lines = [
        KeyLine(b.rating, b.name, b.mark, b.hex_colour, meanings[b.rating])
        for b in reversed(scheme.bands)
    ]
    if untargeted:
        for rating in (Rating.BASELINE, Rating.CONTEXTUAL):
            lines.append(KeyLine(rating, scheme.label(rating), rating.symbol, "", meanings[rating]))
    return lines


def key_variations(default: Scheme, specs: Iterable[IndicatorSpec]) -> list[KeyVariation]:
    """Targeted indicators rated by a scheme that rates differently from
    ``default``, one group a scheme (and unit, where the scheme's bounds are
    in units), in the order the indicators come."""
    groups: dict[tuple[str, UnitLike | None], list[IndicatorSpec]] = {}
    for spec in specs:
        if spec.rating_basis is not RatingBasis.TARGETED or _same_key(spec.scheme, default):
            continue
        in_units = spec.unit_format if spec.scheme.measure is GapMeasure.ABSOLUTE else None
        groups.setdefault((spec.scheme.name, in_units), []).append(spec)
    variations = []
    for (_name, unit), members in groups.items():
        scheme = members[0].scheme
        variations.append(
            KeyVariation(
                _scheme_words(scheme),
                tuple(key_lines(scheme, unit or Unit.PERCENT, untargeted=False)),
                tuple((s.ref, s.title) for s in members),
            )
        )
    return variations


def _same_key(scheme: Scheme, default: Scheme) -> bool:
    return scheme.same_bands(default) and [b.name for b in scheme.bands] == [
        b.name for b in default.bands
    ]


def _scheme_words(scheme: Scheme) -> str:
    if scheme.is_own_thresholds:
        return _("its own thresholds")
    return _("the %(name)s scheme") % {"name": scheme.name}
