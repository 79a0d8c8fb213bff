"""Reading a number as a person types it, for the import's cells and for the
values the pages and the API take: one rule, so the two cannot disagree."""

from __future__ import annotations

import re
from decimal import Decimal

from perfreport.core.units import Unit


class CellError(ValueError):
    """A cell whose text cannot be read; the message says what was expected."""


_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
_PLAIN = re.compile(r"-?(\d+\.?\d*|\.\d+)")
PLACES = Decimal("0.000001")
SIGNIFICANT = 15  # what SQLite keeps exactly, so the same on every database
LIMIT = Decimal(10) ** 14  # the database keeps 20 digits, 6 of them after the point


def read_number(text: str, unit: str | None = None) -> Decimal:
    """A number as a person types it: ``97.83``, ``432,584``, ``97.83%`` for a
    percentage, ``£1,200`` for money. Words, suppression marks, exponents and
    underscores are refused. Kept to 6 decimal places (a spreadsheet's
    0.30000000000000004 is 0.3) and 15 significant digits."""
    cleaned = text.strip()
    if unit == Unit.PERCENT and cleaned.endswith("%"):
        cleaned = cleaned[:-1].strip()
    if unit == Unit.CURRENCY and cleaned.lstrip("-").startswith("£"):
        cleaned = cleaned.replace("£", "", 1)
    if _THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    if not _PLAIN.fullmatch(cleaned):
        raise CellError("is not a number: expected digits such as 97.83 or 432584")
    number = Decimal(cleaned).quantize(PLACES).normalize()
    if abs(number) >= LIMIT:
        raise CellError("is too large: at most 14 digits before the decimal point are kept")
    if len(number.as_tuple().digits) > SIGNIFICANT:
        raise CellError(
            f"has more than {SIGNIFICANT} significant digits, more than is kept exactly"
        )
    return number + 0  # no negative zero
