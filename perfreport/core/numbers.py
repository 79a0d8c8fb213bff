"""Reading a number as a person types it, for the import's cells and for the
values the pages and the API take: one rule, so the two cannot disagree."""

from __future__ import annotations

import re
from decimal import Decimal

from perfreport.core.i18n import N_, _
from perfreport.core.units import Unit, UnitFormat, as_format, describe_unit


class CellError(ValueError):
    """A cell whose text cannot be read; the message says what was expected."""


class UnitRuleError(CellError):
    """A value that carries a sign its indicator's unit does not take: ``%``
    on a number of days, ``£`` on a percentage, ``k`` on money in millions.
    The message names the rule; a caller that knows the indicator puts its
    reference first: "indicator 12 is measured in days: …"."""

    def __init__(self, unit: UnitFormat, sign: str) -> None:
        said = _("is measured in %(unit)s: a value cannot carry %(sign)s")
        super().__init__(said % {"unit": describe_unit(unit), "sign": repr(sign)})
        self.unit = unit
        self.sign = sign


_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
_PLAIN = re.compile(r"-?(\d+\.?\d*|\.\d+)")
PLACES = Decimal("0.000001")
SIGNIFICANT = 15  # what SQLite keeps exactly, so the same on every database
LIMIT = Decimal(10) ** 14  # the database keeps 20 digits, 6 of them after the point
TOO_LARGE = N_("is too large: at most 14 digits before the decimal point are kept")


def read_number(text: str, unit: str | UnitFormat | None = None) -> Decimal:
    """A number as a person types it: ``97.83``, ``432,584``, ``97.83%`` for a
    percentage, ``£1,200`` for money, and the indicator's label where it has
    one (``£4.2m`` for money in millions, ``4.2 days``). A sign the unit does
    not take is refused naming the unit (:class:`UnitRuleError`). Words,
    suppression marks, exponents and underscores are refused. Kept to 6
    decimal places (a spreadsheet's 0.30000000000000004 is 0.3) and 15
    significant digits."""
    cleaned = text.strip()
    if unit is not None:
        shown = unit if isinstance(unit, UnitFormat) else as_format(Unit(unit))
        cleaned = _without_unit(cleaned, shown)
    if _THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    if not _PLAIN.fullmatch(cleaned):
        raise CellError(_("is not a number: expected digits such as 97.83 or 432584"))
    # The limit is checked before rounding too: rounding a number of 23 or
    # more digits to 6 places overflows the decimal context.
    if abs(Decimal(cleaned)) >= LIMIT:
        raise CellError(_(TOO_LARGE))
    number = Decimal(cleaned).quantize(PLACES).normalize()
    if abs(number) >= LIMIT:
        raise CellError(_(TOO_LARGE))
    if len(number.as_tuple().digits) > SIGNIFICANT:
        raise CellError(
            _("has more than %(most)s significant digits, more than is kept exactly")
            % {"most": SIGNIFICANT}
        )
    return number + 0  # no negative zero


_SCALED = re.compile(r"(?<=[\d.])\s*(k|m|bn)$", re.IGNORECASE)


def _without_unit(text: str, unit: UnitFormat) -> str:
    """``text`` without the signs of its unit: its label's words, ``%``, a
    scale letter, ``£``; a sign of another unit raises :class:`UnitRuleError`."""
    words = unit.label.words
    if words and text.casefold().endswith(words.casefold()):
        text = text[: -len(words)].rstrip()
    if text.endswith("%"):
        if unit.unit is not Unit.PERCENT:
            raise UnitRuleError(unit, "%")
        text = text[:-1].rstrip()
    if text[-1:].isalpha() and (scaled := _SCALED.search(text)):
        if scaled[1].lower() != unit.label.scale.value:
            raise UnitRuleError(unit, scaled[1])
        text = text[: scaled.start()]
    if text.lstrip("-").startswith("£"):
        if unit.unit is not Unit.CURRENCY:
            raise UnitRuleError(unit, "£")
        text = text.replace("£", "", 1).lstrip()
    return text
