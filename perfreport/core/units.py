"""Units of measure and how numbers are written in the report.

The seed prints each indicator in its own unit and decimals: ``97.83%``,
``432,584``, ``3`` stars, and so does every output of perfreport. A council
may print a unit with a label as well (:func:`parse_unit_label`): money in
millions (``£4.2m``), a rate (``12.3 per 10,000``), a duration (``4.2 days``).

>>> format_value(Decimal("97.83"), Unit.PERCENT, 2)
'97.83%'
>>> format_value(Decimal("432584"), Unit.COUNT, 0)
'432,584'
>>> format_difference(Decimal("6.6"), Unit.PERCENT, 1)
'6.6 percentage points'
>>> format_value(Decimal("4.2"), UnitFormat(Unit.CURRENCY, parse_unit_label("£m", Unit.CURRENCY)), 1)
'£4.2m'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import lru_cache

from perfreport.core.i18n import N_, _, pgettext

__all__ = [
    "NO_LABEL",
    "Scale",
    "Unit",
    "UnitFormat",
    "UnitLabel",
    "UnitLike",
    "affixes",
    "as_format",
    "describe_unit",
    "format_difference",
    "format_number",
    "format_value",
    "parse_unit_label",
    "plain",
    "round_to",
]


class Unit(StrEnum):
    PERCENT = "percent"
    NUMBER = "number"
    COUNT = "count"
    STARS = "stars"
    CURRENCY = "currency"

    @property
    def caps_at_100(self) -> bool:
        return self is Unit.PERCENT


class Scale(StrEnum):
    """What the stored number counts in: ``4.2`` in millions prints ``4.2m``."""

    NONE = ""
    THOUSANDS = "k"
    MILLIONS = "m"
    BILLIONS = "bn"

    @property
    def words(self) -> str:
        return {"": "", "k": "thousands", "m": "millions", "bn": "billions"}[self.value]


@dataclass(frozen=True, slots=True)
class UnitLabel:
    """How a council prints a unit around the number: the scale the value is
    kept in (``m``: 4.2 is 4.2 million) and words after it (``days``,
    ``per 10,000``). ``text`` is the label as the register gives it."""

    scale: Scale = Scale.NONE
    words: str = ""
    text: str = ""


NO_LABEL = UnitLabel()


@dataclass(frozen=True, slots=True)
class UnitFormat:
    """A unit with its label: everything needed to print a value of it."""

    unit: Unit
    label: UnitLabel = NO_LABEL


UnitLike = Unit | UnitFormat
_PLAIN_FORMATS = {unit: UnitFormat(unit) for unit in Unit}


def as_format(unit: UnitLike) -> UnitFormat:
    return unit if isinstance(unit, UnitFormat) else _PLAIN_FORMATS[unit]


_SCALE = re.compile(r"(k|m|bn)(?:\s+|$)")
_WORDS = re.compile(r"[^%£<>]*")
LABEL_LENGTH = 40


@lru_cache(maxsize=256)
def parse_unit_label(text: str, unit: Unit) -> UnitLabel:
    """A unit label as a council writes it, for an indicator in ``unit``.

    The grammar, in order, every part optional: ``£`` (money only: the unit's
    own sign, written for readability), a scale (``k``, ``m`` or ``bn``: the
    stored number counts thousands, millions or billions), then words printed
    after the number with a space. A scale is a scale only on its own or
    before a space: ``m`` is millions, ``km`` is the word km.

    * ``£m`` (currency): 4.2 prints ``£4.2m``
    * ``k visits`` (count): ``4.2k visits``
    * ``days`` (number): ``4.2 days``
    * ``per 10,000`` (number): ``4.2 per 10,000``

    Raises ValueError with the rule broken: a ``£`` on another unit, a scale
    on a percentage or stars, words on stars, ``%``, ``<`` or ``>`` in the
    words.

    >>> parse_unit_label("£m", Unit.CURRENCY)
    UnitLabel(scale=<Scale.MILLIONS: 'm'>, words='', text='£m')
    """
    cleaned = " ".join(text.split())
    if not cleaned:
        return NO_LABEL
    if len(cleaned) > LABEL_LENGTH:
        raise ValueError(f"is longer than {LABEL_LENGTH} characters")
    pound = cleaned.startswith("£")
    rest = cleaned.removeprefix("£").lstrip()
    found = _SCALE.match(rest)
    scale = Scale(found[1]) if found else Scale.NONE
    words = rest[found.end() :] if found else rest
    if not _WORDS.fullmatch(words):
        raise ValueError(
            "has a sign a label cannot carry (%, £, < or >): write a scale (k, m, bn) "
            "and words, such as £m, days or per 10,000"
        )
    if pound and unit is not Unit.CURRENCY:
        raise ValueError(f"starts with £, but the indicator's unit is {unit}: use currency")
    if scale and unit in (Unit.PERCENT, Unit.STARS):
        raise ValueError(f"has the scale {scale.value!r}, which {unit} cannot take")
    if words and unit is Unit.STARS:
        raise ValueError("has words, but stars print as stars")
    return UnitLabel(scale, words, cleaned)


_UNIT_WORDS = {
    Unit.PERCENT: N_("percentages (%)"),
    Unit.NUMBER: N_("numbers"),
    Unit.COUNT: N_("counts"),
    Unit.STARS: N_("stars"),
    Unit.CURRENCY: N_("pounds (£)"),
}
# A scale in words, as the unit's description says it: "millions of pounds".
_SCALE_WORDS = {
    Scale.THOUSANDS: N_("thousands"),
    Scale.MILLIONS: N_("millions"),
    Scale.BILLIONS: N_("billions"),
}


def describe_unit(unit: UnitLike) -> str:
    """What an indicator is measured in, in words, for messages and pages:
    ``percentages (%)``, ``days``, ``millions of pounds (£m)``."""
    fmt = as_format(unit)
    label = fmt.label
    if label is NO_LABEL:
        return _(_UNIT_WORDS[fmt.unit])
    shown = format_value(Decimal(1), fmt, 0).replace("1", "", 1).strip()
    given = {
        "scale": _(_SCALE_WORDS[label.scale]) if label.scale else "",
        "words": label.words,
        "shown": shown,
        "unit": _(_UNIT_WORDS[fmt.unit]),
    }
    if fmt.unit is Unit.CURRENCY:
        return _(_POUNDS[bool(label.scale), bool(label.words)]) % given
    if fmt.unit is Unit.PERCENT:
        if label.words:
            return _("percentages %(words)s (%(shown)s)") % given
        return _("percentages (%(shown)s)") % given
    if label.scale:
        if label.words:
            return _("%(scale)s of %(words)s (%(shown)s)") % given
        return _("%(scale)s (%(shown)s)") % given
    if label.words.startswith("per "):
        return _("%(unit)s %(words)s") % given
    return label.words


# Money, by (with a scale, with words): "millions of pounds (£m)".
_POUNDS = {
    (False, False): N_("pounds (%(shown)s)"),
    (True, False): N_("%(scale)s of pounds (%(shown)s)"),
    (False, True): N_("pounds %(words)s (%(shown)s)"),
    (True, True): N_("%(scale)s of pounds %(words)s (%(shown)s)"),
}


def round_to(value: Decimal, decimals: int) -> Decimal:
    """Round half up, as a reader and a spreadsheet do (not banker's rounding)."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(value: Decimal, decimals: int) -> str:
    """Thousands separators and a fixed number of decimals: ``1,234.50``."""
    rounded = round_to(value, decimals)
    text = f"{abs(rounded):,.{decimals}f}"
    return f"-{text}" if rounded < 0 else text


def format_value(value: Decimal, unit: UnitLike, decimals: int) -> str:
    """A value as the report prints it, with its unit and label: ``97.83%``,
    ``£4.2m``, ``12.3 per 10,000``."""
    fmt = as_format(unit)
    number = format_number(value, decimals) + fmt.label.scale.value
    if fmt.unit is Unit.PERCENT:
        number = f"{number}%"
    elif fmt.unit is Unit.CURRENCY:
        number = f"-£{number[1:]}" if number.startswith("-") else f"£{number}"
    elif fmt.unit is Unit.STARS:
        if round_to(value, decimals) == 1:
            return _("%(number)s star") % {"number": number}
        return _("%(number)s stars") % {"number": number}
    return f"{number} {fmt.label.words}" if fmt.label.words else number


def affixes(unit: UnitLike, *, words: bool = True) -> tuple[str, str]:
    """What a value prints before and after its number, for the ticks of a
    chart's axis: ``("£", "m")``, ``("", "%")``, ``("", " days")``; without
    the label's words when ``words`` is False (an axis title says them)."""
    fmt = as_format(unit)
    prefix = "£" if fmt.unit is Unit.CURRENCY else ""
    suffix = fmt.label.scale.value + {
        Unit.PERCENT: "%",
        Unit.STARS: " " + pgettext("after a number", "stars"),
    }.get(fmt.unit, "")
    if words and fmt.label.words:
        suffix += f" {fmt.label.words}"
    return prefix, suffix


def format_difference(value: Decimal, unit: UnitLike, decimals: int) -> str:
    """A gap between two values in the unit's own words: percentage points for %."""
    fmt = as_format(unit)
    if fmt.unit is Unit.PERCENT:
        words = {"number": format_number(value, decimals)}
        if round_to(value, decimals) == 1:
            return _("%(number)s percentage point") % words
        return _("%(number)s percentage points") % words
    return format_value(value, fmt, decimals)


def plain(value: Decimal) -> str:
    """The shortest exact text of a decimal, for files: ``97.83``, ``100``, never ``1E+2``."""
    normal = value.normalize()
    if normal == 0:
        return "0"
    return format(normal, "f")
