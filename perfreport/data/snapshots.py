"""What a published round froze: the figures its report and public pages show."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from perfreport.core.periods import Period
from perfreport.data.models import Entry, Round, RoundState


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


def open_drafts(period: Period) -> list[tuple[int, str, int, Decimal | None, str, str]]:
    """The figures entered in open rounds for periods up to ``period``, as
    (indicator id, frequency, first month, value, commentary, actions): the
    drafts staff see, published figures or not."""
    return list(
        Entry.objects.filter(round__state=RoundState.OPEN, last_month__lte=period.last_month)
        .exclude(state__in=["not_started", "published"])
        .values_list("indicator_id", "frequency", "first_month", "value", "commentary", "actions")
    )
