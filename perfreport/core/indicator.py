"""What the core needs to know about an indicator to evaluate it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from perfreport.core.periods import Frequency, Period
from perfreport.core.rating import DEFAULT_SCHEME, Polarity, RatingBasis, Scheme
from perfreport.core.targets import TargetRule
from perfreport.core.units import NO_LABEL, Unit, UnitFormat, UnitLabel

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
    scheme: Scheme = DEFAULT_SCHEME
    target_rule: TargetRule | None = None  # a target by rule: "better than last year"
    lag: int = 0  # periods of its own frequency by which its data trails the report
    # The month its years start: None for the reporting period's (the body's
    # financial year); 1 for calendar years, 9 for academic years.
    year_start: int | None = None
    release_lag_months: int = 0  # months after a period ends until its figure is published
    unit_label: UnitLabel = NO_LABEL  # as the council prints the unit: "£m", "days"

    def __post_init__(self) -> None:
        if not 0 <= self.decimals <= 6:
            raise ValueError(f"decimals must be 0 to 6, not {self.decimals}")
        if self.lag < 0:
            raise ValueError(f"lag must be 0 or more, not {self.lag}")
        if self.year_start is not None and not 1 <= self.year_start <= 12:
            raise ValueError(f"year_start must be 1 to 12, not {self.year_start}")
        if self.release_lag_months < 0:
            raise ValueError(f"release_lag_months must be 0 or more, not {self.release_lag_months}")

    @property
    def cumulative(self) -> bool:
        return self.aggregation is Aggregation.CUMULATIVE

    @property
    def unit_format(self) -> UnitFormat:
        """The unit with its label: what every output prints a value with."""
        return UnitFormat(self.unit, self.unit_label)


@dataclass(frozen=True, slots=True)
class Point:
    """One value of an indicator for one period."""

    period: Period
    value: Decimal
