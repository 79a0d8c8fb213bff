"""A value worked out from its numerator and denominator, and a value that
disagrees with them.

An indicator that is a rate is kept with the counts it comes from: 870 calls
answered of 1,000 is 87.0%. How the counts make the value depends on the
indicator's unit:

* a percentage: numerator ÷ denominator × 100;
* a label "per N" (``per 10,000``, ``per 1,000 population``): numerator ÷
  denominator × N;
* a plain number (an average, such as days per case): numerator ÷ denominator;
* anything else (counts, stars, money, a scaled or worded label): the counts
  do not make the value, so nothing is worked out and nothing is checked.

The value is rounded as the indicator prints it, half up. A value typed with
the counts agrees with them when it is within half of the last printed place
of the exact quotient: shown to 1 decimal place, 87.04 and 87.05 agree with
870/1,000 (87), 87.1 and 80 do not.

>>> from perfreport.core.units import Unit
>>> value_from_fraction(Decimal(870), Decimal(1000), Unit.PERCENT, 1)
Decimal('87.0')
>>> disagreement(Decimal(80), Decimal(870), Decimal(1000), Unit.PERCENT, 1)
Decimal('87.0')
>>> disagreement(Decimal("87.04"), Decimal(870), Decimal(1000), Unit.PERCENT, 1) is None
True
"""

from __future__ import annotations

import re
from decimal import Decimal

from perfreport.core.units import Scale, Unit, UnitLike, as_format, round_to

__all__ = ["disagreement", "fraction_multiplier", "value_from_fraction"]

_PER = re.compile(r"per\s+([0-9][0-9,]*)(?:\s|$)")


def fraction_multiplier(unit: UnitLike) -> Decimal | None:
    """What numerator ÷ denominator is multiplied by to make the value, or
    None when the unit's value is not made from its counts.

    >>> fraction_multiplier(Unit.PERCENT)
    Decimal('100')
    """
    fmt = as_format(unit)
    if fmt.label.scale is not Scale.NONE or fmt.unit is Unit.STARS:
        return None
    if fmt.unit is Unit.PERCENT:
        return Decimal(100)
    per = _PER.match(fmt.label.words)
    if per:
        number = Decimal(per[1].replace(",", ""))
        return number if number > 0 else None
    if fmt.unit is Unit.NUMBER and not fmt.label.words:
        return Decimal(1)
    return None


def value_from_fraction(
    numerator: Decimal, denominator: Decimal, unit: UnitLike, decimals: int
) -> Decimal | None:
    """numerator ÷ denominator × the unit's multiplier, rounded half up to
    ``decimals`` places; None if the unit's value is not made from its
    counts or the denominator is 0."""
    multiplier = fraction_multiplier(unit)
    if multiplier is None or denominator == 0:
        return None
    return round_to(numerator / denominator * multiplier, decimals)


def disagreement(
    value: Decimal, numerator: Decimal, denominator: Decimal, unit: UnitLike, decimals: int
) -> Decimal | None:
    """The value the counts give, when ``value`` is further from it than half
    of the last printed place; None when they agree (or give no value)."""
    multiplier = fraction_multiplier(unit)
    if multiplier is None or denominator == 0:
        return None
    exact = numerator / denominator * multiplier
    half = Decimal(5).scaleb(-decimals - 1)
    return round_to(exact, decimals) if abs(value - exact) > half else None
