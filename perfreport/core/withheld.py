"""Figures withheld as published: a value a council or a national body printed
as ``c``, ``x``, ``*`` or "fewer than 10" instead of a number, to protect
people in small counts or because it is not reliable.

A withheld figure keeps its printed text and is shown as printed. It is never
a number: it is not rated, charted, averaged or compared, and the figure
before it is not shown in its place.

One reader serves every file: the values of ``values.csv`` and the cells of
national data (``benchmarking.parse_published_number``, which reads these
marks, and the marks for "not available", as missing).

>>> withheld_text("[c]"), withheld_text("fewer than 10"), withheld_text("<5"), withheld_text("12")
('[c]', 'fewer than 10', '<5', None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from perfreport.core.i18n import _
from perfreport.core.indicator import Point
from perfreport.core.periods import Period

__all__ = ["WITHHELD_MARKERS", "Figure", "Withheld", "value_of", "withheld_text"]

# Compared case-insensitively, spaces trimmed. GSS shorthand: c confidential,
# x not published, low/[low] a figure too small to show; "*" and ".." as older
# tables and ONS print a suppressed figure; "supp" and "suppressed" in words.
WITHHELD_MARKERS: frozenset[str] = frozenset(
    {
        "c", "[c]", "x", "[x]", "*", "**", "***", "..", "low", "[low]", "supp", "suppressed",
    }
)  # fmt: skip

# "fewer than 10", "less than 5", "<5", "< 0.5": a small count printed as a bound.
_BOUND = re.compile(r"(?:(?:fewer|less)\s+than\s+|<\s*)\d{1,3}(?:,?\d{3})*(?:\.\d+)?", re.I)
MAX_LENGTH = 40  # what is kept of the printed text


@dataclass(frozen=True, slots=True)
class Withheld:
    """A figure of an indicator for one period, withheld as published."""

    period: Period
    printed: str  # as published: "c", "fewer than 10"

    @property
    def explanation(self) -> str:
        return _('Withheld as published ("%(printed)s"): not rated.') % {"printed": self.printed}


Figure = Point | Withheld  # a value as published: a number, or withheld


def value_of(figure: Figure | None) -> Decimal | None:
    """The number of a figure: None when there is none, or it is withheld."""
    return figure.value if isinstance(figure, Point) else None


def withheld_text(text: str) -> str | None:
    """The printed text of a withheld figure (spaces trimmed), or None when
    ``text`` is not one of :data:`WITHHELD_MARKERS` or a bound such as
    "fewer than 10" or "<5"."""
    if text[:1].isdigit():
        return None  # a number: the usual case, and quick (national files have millions)
    cleaned = " ".join(text.split())
    if len(cleaned) > MAX_LENGTH:
        return None
    if cleaned.casefold() in WITHHELD_MARKERS or _BOUND.fullmatch(cleaned):
        return cleaned
    return None
