"""Change in performance, as the Key defines it.

"Indicates whether performance is 'improving' or 'declining' by comparing the
latest performance figure with that of the previous reporting period." The
comparison is made on the figures as published (rounded to the indicator's
decimals), so a reader never sees two equal figures labelled Improving.

>>> compare(Decimal("10.4"), Decimal("8.2"), Polarity.LOWER, 1)
<Change.DECLINING: 'declining'>
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from perfreport.core.i18n import N_, _
from perfreport.core.rating import Polarity
from perfreport.core.units import round_to

__all__ = ["Change", "compare"]


class Change(StrEnum):
    IMPROVING = "improving"
    DECLINING = "declining"
    UNCHANGED = "unchanged"

    @property
    def label(self) -> str:
        """ "Improving", "Declining", "Unchanged", in the active language."""
        return _(_LABELS[self])

    @property
    def arrow(self) -> str:
        return _ARROWS[self]


_LABELS = {
    Change.IMPROVING: N_("Improving"),
    Change.DECLINING: N_("Declining"),
    Change.UNCHANGED: N_("Unchanged"),
}
_ARROWS = {Change.IMPROVING: "▲", Change.DECLINING: "▼", Change.UNCHANGED: "▶"}


def compare(current: Decimal, previous: Decimal, polarity: Polarity, decimals: int) -> Change:
    """Improving, Declining or Unchanged, judged by ``polarity``."""
    better = polarity.better_by(round_to(current, decimals), round_to(previous, decimals))
    if better > 0:
        return Change.IMPROVING
    if better < 0:
        return Change.DECLINING
    return Change.UNCHANGED
