"""What a published round froze: the figures its report and public pages show.

The round keeps them as JSON (``Round.snapshot``); :class:`RoundSnapshot`
is the one place that writes that JSON and reads it back, so that every
reader gets the same typed figures from every snapshot ever stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.dateparse import parse_datetime

from perfreport.audit.trail import plain
from perfreport.core.periods import Period
from perfreport.core.rating import Rating
from perfreport.data.models import Entry, Round, RoundState


@dataclass(frozen=True)
class EntrySnapshot:
    """One entry as its round published it: the figure, its rating against
    the target then, and the commentary beside it."""

    indicator_id: int
    ref: str
    period: str  # the period's stored label, "2020-12"
    frequency: str
    first_month: int
    value: Decimal | None  # None: published as missing
    numerator: Decimal | None
    denominator: Decimal | None
    commentary: str
    actions: str
    rating: Rating | None
    target: Decimal | None
    explanation: str
    withheld_as: str = ""  # the text published instead of a number ("c"), or ""
    commentary_cy: str = ""  # the Welsh beside the English (issue 17), or ""
    actions_cy: str = ""

    @property
    def key(self) -> tuple[int, str, int]:
        """Which figure it is: (indicator id, frequency, first month)."""
        return (self.indicator_id, self.frequency, self.first_month)

    def to_json(self) -> dict[str, Any]:
        """As the round keeps it: numbers as exact text ("72.5"), the rating by
        its value; ``withheld_as`` only for a figure withheld as published."""
        withheld = {"withheld_as": self.withheld_as} if self.withheld_as else {}
        welsh = {
            name: getattr(self, name)
            for name in ("commentary_cy", "actions_cy")
            if getattr(self, name)
        }
        return {
            "indicator_id": self.indicator_id,
            "ref": self.ref,
            "period": self.period,
            "frequency": self.frequency,
            "first_month": self.first_month,
            "value": _text(self.value),
            "numerator": _text(self.numerator),
            "denominator": _text(self.denominator),
            "commentary": self.commentary,
            "actions": self.actions,
            "rating": self.rating.value if self.rating else None,
            "target": _text(self.target),
            "explanation": self.explanation,
            **withheld,
            **welsh,
        }

    @classmethod
    def from_json(cls, kept: Mapping[str, Any]) -> EntrySnapshot:
        """An entry as a round kept it. Which indicator and period it is for
        must be there; anything else missing reads as empty, as the pages
        always read it."""
        rating = kept.get("rating")
        return cls(
            indicator_id=kept["indicator_id"],
            ref=kept.get("ref", ""),
            period=kept.get("period", ""),
            frequency=kept["frequency"],
            first_month=kept["first_month"],
            value=_number(kept.get("value")),
            numerator=_number(kept.get("numerator")),
            denominator=_number(kept.get("denominator")),
            commentary=kept.get("commentary", ""),
            actions=kept.get("actions", ""),
            rating=Rating(rating) if rating else None,
            target=_number(kept.get("target")),
            explanation=kept.get("explanation", ""),
            withheld_as=kept.get("withheld_as", ""),
            commentary_cy=kept.get("commentary_cy", ""),
            actions_cy=kept.get("actions_cy", ""),
        )


@dataclass(frozen=True)
class RoundSnapshot:
    """Every entry a round published, with when and by whom (the name kept
    even if the account is deleted since)."""

    published_at: datetime | None
    published_by: str
    entries: tuple[EntrySnapshot, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """As the round keeps it; the time as Django's JSON encoder writes it
        (to the millisecond, "Z" for UTC), which is how it was always kept."""
        return {
            "published_at": None
            if self.published_at is None
            else DjangoJSONEncoder().default(self.published_at),
            "published_by": self.published_by,
            "entries": [entry.to_json() for entry in self.entries],
        }

    @classmethod
    def from_json(cls, kept: Mapping[str, Any] | None) -> RoundSnapshot:
        """A round's snapshot as stored; an empty one for a round not published."""
        kept = kept or {}
        published_at = kept.get("published_at")
        return cls(
            published_at=parse_datetime(published_at) if published_at else None,
            published_by=str(kept.get("published_by", "")),
            entries=tuple(EntrySnapshot.from_json(entry) for entry in kept.get("entries", [])),
        )

    def entry_for(
        self, indicator_id: int, frequency: str, first_month: int
    ) -> EntrySnapshot | None:
        """The indicator's entry for a period (a round may collect several
        months of a monthly indicator) as published; None when it was not
        approved."""
        key = (indicator_id, frequency, first_month)
        return next((e for e in self.entries if e.key == key), None)


def snapshot_of(found: Round) -> RoundSnapshot:
    """The round's snapshot; empty until it is published."""
    return RoundSnapshot.from_json(found.snapshot)


def frozen_for(period: Period) -> dict[tuple[int, str, int], EntrySnapshot]:
    """The published round's entries for ``period``, by (indicator id,
    frequency, first month): a round may collect several months of a monthly
    indicator. Empty when no round for it has been published."""
    snapshot = (
        Round.objects.filter(
            frequency=period.frequency.value,
            first_month=period.first_month,
            state=RoundState.PUBLISHED,
        )
        .values_list("snapshot", flat=True)
        .first()
    )
    return {entry.key: entry for entry in RoundSnapshot.from_json(snapshot).entries}


def open_drafts(
    period: Period,
) -> list[tuple[int, str, int, Decimal | None, str, str, str, str, str]]:
    """The figures entered in open rounds for periods up to ``period``, as
    (indicator id, frequency, first month, value, commentary, actions,
    withheld as, Welsh commentary, Welsh actions): the drafts staff see,
    published figures or not."""
    return list(
        Entry.objects.filter(round__state=RoundState.OPEN, last_month__lte=period.last_month)
        .exclude(state__in=["not_started", "published"])
        .values_list(
            "indicator_id",
            "frequency",
            "first_month",
            "value",
            "commentary",
            "actions",
            "withheld_as",
            "commentary_cy",
            "actions_cy",
        )
    )


def _text(number: Decimal | None) -> str | None:
    return None if number is None else plain(number)


def _number(kept: object) -> Decimal | None:
    """A number as kept: exact text, or a JSON number in a snapshot written by hand."""
    return None if kept is None or kept == "" else Decimal(str(kept))
