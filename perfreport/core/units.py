"""Units of measure and how numbers are written in the report.

The seed prints each indicator in its own unit and decimals: ``97.83%``,
``432,584``, ``3`` stars, and so does every output of perfreport.

>>> format_value(Decimal("97.83"), Unit.PERCENT, 2)
'97.83%'
>>> format_value(Decimal("432584"), Unit.COUNT, 0)
'432,584'
>>> format_difference(Decimal("6.6"), Unit.PERCENT, 1)
'6.6 percentage points'
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

__all__ = ["Unit", "format_difference", "format_number", "format_value", "plain", "round_to"]


class Unit(StrEnum):
    PERCENT = "percent"
    NUMBER = "number"
    COUNT = "count"
    STARS = "stars"
    CURRENCY = "currency"

    @property
    def caps_at_100(self) -> bool:
        return self is Unit.PERCENT


def round_to(value: Decimal, decimals: int) -> Decimal:
    """Round half up, as a reader and a spreadsheet do (not banker's rounding)."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(value: Decimal, decimals: int) -> str:
    """Thousands separators and a fixed number of decimals: ``1,234.50``."""
    rounded = round_to(value, decimals)
    text = f"{abs(rounded):,.{decimals}f}"
    return f"-{text}" if rounded < 0 else text


def format_value(value: Decimal, unit: Unit, decimals: int) -> str:
    """A value as the report prints it, with its unit."""
    number = format_number(value, decimals)
    if unit is Unit.PERCENT:
        return f"{number}%"
    if unit is Unit.CURRENCY:
        return f"-£{number[1:]}" if number.startswith("-") else f"£{number}"
    if unit is Unit.STARS:
        return f"{number} star" if round_to(value, decimals) == 1 else f"{number} stars"
    return number


def format_difference(value: Decimal, unit: Unit, decimals: int) -> str:
    """A gap between two values in the unit's own words: percentage points for %."""
    if unit is Unit.PERCENT:
        number = format_number(value, decimals)
        return f"{number} percentage point" + ("" if round_to(value, decimals) == 1 else "s")
    return format_value(value, unit, decimals)


def plain(value: Decimal) -> str:
    """The shortest exact text of a decimal, for files: ``97.83``, ``100``, never ``1E+2``."""
    normal = value.normalize()
    if normal == 0:
        return "0"
    return format(normal, "f")
