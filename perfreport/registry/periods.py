"""Periods in the database: stored as frequency and first month (the truth,
sortable and indexable) beside the canonical label (for people and for SQL
readers such as Power BI)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from perfreport.core.periods import (
    YEAR_NAMES,
    Frequency,
    Period,
    PeriodError,
    month_words,
    parse_period,
    parse_period_in,
    year_name,
)

FREQUENCY_CHOICES = [
    (Frequency.MONTHLY.value, _("Monthly")),
    (Frequency.QUARTERLY.value, _("Quarterly")),
    (Frequency.ANNUAL.value, _("Annual")),
]


def _year_start_words(month: int) -> str:
    """ "September (academic year)", "July", in the active language."""
    if month in YEAR_NAMES:
        return f"{month_words(month)} ({year_name(month)})"
    return month_words(month)


YEAR_START_CHOICES = [(month, lazy(_year_start_words, str)(month)) for month in range(1, 13)]


def fy_start_month() -> int:
    return int(settings.PERFREPORT_FY_START_MONTH)


def stored_period(frequency: str, first_month: int, fy: int | None = None) -> Period:
    """A period read back from the database, in this installation's financial year."""
    fy = fy_start_month() if fy is None else fy
    try:
        return Period(Frequency(frequency), first_month, fy)
    except PeriodError:
        raise ImproperlyConfigured(
            f"the database holds {frequency} periods that do not fit a financial year starting "
            f"in month {fy}: PERFREPORT_FY_START_MONTH must stay as it was when the data were "
            "imported"
        ) from None


def read_period(text: str, year_start: int | None = None) -> Period:
    """Parse a period in the financial year this installation uses, or one of
    an indicator whose years start in ``year_start`` (see ``parse_period_in``)."""
    if year_start is None:
        return parse_period(text, fy_start_month())
    return parse_period_in(text, year_start, fy_start_month())


class PeriodFields(models.Model):
    frequency = models.CharField(max_length=10, choices=FREQUENCY_CHOICES)
    first_month = models.IntegerField(help_text="Months since year 0 of the period's first month.")
    last_month = models.IntegerField(help_text="Months since year 0 of the period's last month.")
    period = models.CharField(
        max_length=16, help_text="The period as written: 2020-09, 2020/21 Q2, 2020/21."
    )

    class Meta:
        abstract = True

    def get_period(self) -> Period:
        """The period, in its indicator's kind of year where it has an indicator
        (a calendar-year indicator's 2023), else in the financial year."""
        indicator = getattr(self, "indicator", None) if hasattr(self, "indicator_id") else None
        year_start = indicator.year_start_month if indicator is not None else None
        return stored_period(self.frequency, self.first_month, year_start)

    def set_period(self, period: Period) -> None:
        self.frequency = period.frequency.value
        self.first_month = period.first_month
        self.last_month = period.last_month
        self.period = period.label


def period_fields(period: Period) -> dict[str, object]:
    """The stored columns of ``period``, for bulk writes and lookups."""
    return {
        "frequency": period.frequency.value,
        "first_month": period.first_month,
        "last_month": period.last_month,
        "period": period.label,
    }
