"""What the core needs to know about an indicator to evaluate it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from perfreport.core.periods import Frequency, Period
from perfreport.core.rating import Polarity, RatingBasis, RatingRules
from perfreport.core.units import Unit

__all__ = ["Aggregation", "IndicatorSpec", "Point"]


class Aggregation(StrEnum):
    """How an indicator's periods add up: a level at a moment (snapshot), a
    running total through the year (cumulative), or an average."""

    SNAPSHOT = "snapshot"
    CUMULATIVE = "cumulative"
    AVERAGE = "average"


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    ref: str
    title: str
    unit: Unit
    polarity: Polarity
    frequency: Frequency
    rating_basis: RatingBasis
    decimals: int = 1
    aggregation: Aggregation = Aggregation.SNAPSHOT
    rules: RatingRules = field(default_factory=RatingRules)
    lag: int = 0  # periods of its own frequency by which its data trails the report

    def __post_init__(self) -> None:
        if not 0 <= self.decimals <= 6:
            raise ValueError(f"decimals must be 0 to 6, not {self.decimals}")
        if self.lag < 0:
            raise ValueError(f"lag must be 0 or more, not {self.lag}")

    @property
    def cumulative(self) -> bool:
        return self.aggregation is Aggregation.CUMULATIVE


@dataclass(frozen=True, slots=True)
class Point:
    """One value of an indicator for one period."""

    period: Period
    value: Decimal
