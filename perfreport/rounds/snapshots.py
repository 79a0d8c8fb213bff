"""What a published round froze: the figures its report and public pages show."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from perfreport.core.periods import Period
from perfreport.rounds.models import Round, RoundState


def frozen_for(period: Period) -> dict[int, dict[str, Any]]:
    """The published round's entries for ``period``, by indicator id; empty
    when no round for it has been published."""
    snapshot = (
        Round.objects.filter(
            frequency=period.frequency.value,
            first_month=period.first_month,
            state=RoundState.PUBLISHED,
        )
        .values_list("snapshot", flat=True)
        .first()
    )
    if not snapshot:
        return {}
    return {entry["indicator_id"]: entry for entry in snapshot.get("entries", [])}


def frozen_value(entry: dict[str, Any]) -> Decimal | None:
    value = entry.get("value")
    return None if value is None else Decimal(str(value))
