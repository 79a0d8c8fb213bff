"""Reporting periods: months, quarters and financial years.

UK public bodies report in financial years that start in April, so quarter 2 of
2020/21 is July to September 2020. The start month is a parameter of every
function here (``fy_start_month``, default 4) so that a body whose year starts
in another month gets the same arithmetic.

Text forms, as the report's readers write them:

==========  ==============  ==========================================
frequency   canonical form  also accepted
==========  ==============  ==========================================
monthly     ``2020-09``     ``2020-9``
quarterly   ``2020/21 Q2``  ``Q2 2020/21``, ``2020/2021 Q2``, ``2020-21 Q2``
annual      ``2020/21``     ``2020/2021``
==========  ==============  ==========================================

When the financial year is the calendar year (``fy_start_month=1``) a year is
written ``2020`` and a quarter ``2020 Q1``.

Years that are not financial years. ``fy_start_month`` is the month the
period's year starts, its *cycle*: the body's financial year by default, but
an indicator may count in calendar years (1), academic years (9) or years
starting in any month. A period carries its cycle, so that its label, the
year it belongs to and the same period last year follow it. A year starting
in any month but January is written like a financial year (``2022/23``); the
words say which kind of year it is where the label alone would be read as a
financial year (:attr:`Period.long_label`, :attr:`Period.name`):

>>> academic = parse_period("2022/23", fy_start_month=9)
>>> academic.start, academic.name
(datetime.date(2022, 9, 1), 'academic year 2022/23')
>>> parse_period("2023", fy_start_month=1).long_label
'calendar year 2023'
>>> parse_period("2022/23", fy_start_month=7).name
'year to June 2023'

>>> q = parse_period("2020/21 Q2")
>>> q.start, q.end
(datetime.date(2020, 7, 1), datetime.date(2020, 9, 30))
>>> str(q.previous()), str(q.same_period_last_year())
('2020/21 Q1', '2019/20 Q2')
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from perfreport.core.i18n import N_, _

__all__ = [
    "MONTH_NAMES",
    "YEARS",
    "YEAR_NAMES",
    "Frequency",
    "Period",
    "PeriodError",
    "holds_any",
    "in_words",
    "month_words",
    "parse_period",
    "parse_period_in",
    "parse_year_start",
    "period_containing",
    "period_neighbours",
    "periods_holding",
    "write_year_start",
    "year_name",
]


class PeriodError(ValueError):
    """Text that is not a period, or a period operation that makes no sense."""


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"

    @property
    def months(self) -> int:
        return _MONTHS[self]

    @property
    def noun(self) -> str:
        """The word the report uses in its headers: "Current Month", "Current Quarter"."""
        return _(_NOUNS[self])


_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUAL: 12}
_NOUNS = {
    Frequency.MONTHLY: N_("Month"),
    Frequency.QUARTERLY: N_("Quarter"),
    Frequency.ANNUAL: N_("Year"),
}

ACCEPTED_FORMS = (
    "a month such as 2020-09, a quarter such as 2020/21 Q2, or a financial year such as 2020/21"
)


# The kinds of year that have a name; a year starting in another month is
# named by its end ("year to June 2023"), as national statistics name them.
# The English names are the keys of the tables below; year_name() gives
# them in the active language.
YEAR_NAMES = {1: "calendar year", 4: "financial year", 9: "academic year"}
_YEAR_NAMES = {1: N_("calendar year"), 4: N_("financial year"), 9: N_("academic year")}
# A year of a kind, as a whole phrase, so that each language words it its own way.
_YEAR_WORDS = {
    1: N_("calendar year %(year)s"),
    4: N_("financial year %(year)s"),
    9: N_("academic year %(year)s"),
}
_QUARTER_OF_YEAR = {
    1: N_("Quarter %(number)s of calendar year %(year)s"),
    4: N_("Quarter %(number)s of financial year %(year)s"),
    9: N_("Quarter %(number)s of academic year %(year)s"),
}
# The months by name, in English in the code and translated where shown.
MONTH_NAMES = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)


def _check_start_month(fy_start_month: int) -> None:
    if not 1 <= fy_start_month <= 12:
        raise PeriodError(f"financial year start month must be 1 to 12, not {fy_start_month}")


def year_name(start_month: int) -> str:
    """What a year starting in ``start_month`` is called: "calendar year",
    "financial year", "academic year", or "year starting in July".

    >>> year_name(9), year_name(7)
    ('academic year', 'year starting in July')
    """
    _check_start_month(start_month)
    if start_month in _YEAR_NAMES:
        return _(_YEAR_NAMES[start_month])
    return _("year starting in %(month)s") % {"month": month_words(start_month)}


@dataclass(frozen=True, slots=True)
class Period:
    """A month, quarter or financial year.

    ``first_month`` counts months from year 0 (``year * 12 + month - 1``) so
    that period arithmetic is integer arithmetic. Periods sort by their end,
    and a longer period after a shorter one that ends on the same day.
    """

    frequency: Frequency
    first_month: int
    fy_start_month: int = 4

    def __post_init__(self) -> None:
        _check_start_month(self.fy_start_month)
        offset = (self.first_month - (self.fy_start_month - 1)) % self.frequency.months
        if offset:
            raise PeriodError(
                f"a {self.frequency} period cannot start in {_month_name(self.first_month)}"
            )

    # -- construction -----------------------------------------------------
    @classmethod
    def month(cls, year: int, month: int, fy_start_month: int = 4) -> Period:
        if not 1 <= month <= 12:
            raise PeriodError(f"month must be 1 to 12, not {month}")
        return cls(Frequency.MONTHLY, year * 12 + month - 1, fy_start_month)

    @classmethod
    def quarter(cls, fy_start_year: int, quarter: int, fy_start_month: int = 4) -> Period:
        if not 1 <= quarter <= 4:
            raise PeriodError(f"quarter must be 1 to 4, not {quarter}")
        first = fy_start_year * 12 + fy_start_month - 1 + (quarter - 1) * 3
        return cls(Frequency.QUARTERLY, first, fy_start_month)

    @classmethod
    def year(cls, fy_start_year: int, fy_start_month: int = 4) -> Period:
        return cls(Frequency.ANNUAL, fy_start_year * 12 + fy_start_month - 1, fy_start_month)

    # -- facts ------------------------------------------------------------
    @property
    def last_month(self) -> int:
        return self.first_month + self.frequency.months - 1

    @property
    def start(self) -> date:
        return date(self.first_month // 12, self.first_month % 12 + 1, 1)

    @property
    def end(self) -> date:
        year, month = divmod(self.last_month, 12)
        return date(year, month + 1, calendar.monthrange(year, month + 1)[1])

    @property
    def fy_start_year(self) -> int:
        """The calendar year in which this period's financial year starts."""
        return (self.first_month - (self.fy_start_month - 1)) // 12

    @property
    def quarter_number(self) -> int:
        """1 to 4: the quarter of the financial year this period starts in."""
        return (self.first_month - (self.fy_start_month - 1)) % 12 // 3 + 1

    @property
    def label(self) -> str:
        if self.frequency is Frequency.MONTHLY:
            return f"{self.first_month // 12:04d}-{self.first_month % 12 + 1:02d}"
        year = _year_label(self.fy_start_year, self.fy_start_month)
        if self.frequency is Frequency.QUARTERLY:
            return f"{year} Q{self.quarter_number}"
        return year

    @property
    def long_label(self) -> str:
        """Words for a reader: "September 2020", "Quarter 2 2020/21", "2020/21";
        a year of another kind says which: "calendar year 2023", "academic
        year 2022/23", "year to June 2023", "Quarter 1 of academic year 2022/23"."""
        if self.frequency is Frequency.MONTHLY:
            return _("%(month)s %(year)s") % {
                "month": month_words(self.first_month % 12 + 1),
                "year": self.first_month // 12,
            }
        year = _year_label(self.fy_start_year, self.fy_start_month)
        if self.frequency is Frequency.QUARTERLY:
            if self.fy_start_month in (1, 4):
                return _("Quarter %(number)s %(year)s") % {
                    "number": self.quarter_number,
                    "year": year,
                }
            return self._quarter_of_year_words
        return year if self.fy_start_month == 4 else self._year_words

    @property
    def name(self) -> str:
        """The label, with the kind of year where the label alone would be read
        as a financial year (April to March): "2020/21 Q2", "2023" and "2020-09"
        as written, but "academic year 2022/23", "year to June 2023" and
        "2022/23 Q1 (academic year)". For messages and tables that show the
        period a figure is for."""
        if self.frequency is Frequency.MONTHLY or self.fy_start_month in (1, 4):
            return self.label
        if self.frequency is Frequency.QUARTERLY:
            if self.fy_start_month in _YEAR_NAMES:
                kind = _(_YEAR_NAMES[self.fy_start_month])
            else:
                kind = self._year_words
            return f"{self.label} ({kind})"
        return self._year_words

    @property
    def _year_words(self) -> str:
        """The year this period belongs to, in words: "calendar year 2023",
        "academic year 2022/23", "year to June 2023"."""
        year = _year_label(self.fy_start_year, self.fy_start_month)
        if self.fy_start_month in _YEAR_WORDS:
            return _(_YEAR_WORDS[self.fy_start_month]) % {"year": year}
        end = self._year_end_month
        return _("year to %(month)s %(year)s") % {
            "month": month_words(end % 12 + 1),
            "year": end // 12,
        }

    @property
    def _quarter_of_year_words(self) -> str:
        """ "Quarter 1 of academic year 2022/23", "Quarter 1 of year to June 2023"."""
        if self.fy_start_month in _QUARTER_OF_YEAR:
            return _(_QUARTER_OF_YEAR[self.fy_start_month]) % {
                "number": self.quarter_number,
                "year": _year_label(self.fy_start_year, self.fy_start_month),
            }
        end = self._year_end_month
        return _("Quarter %(number)s of year to %(month)s %(year)s") % {
            "number": self.quarter_number,
            "month": month_words(end % 12 + 1),
            "year": end // 12,
        }

    @property
    def _year_end_month(self) -> int:
        return self.fy_start_year * 12 + self.fy_start_month - 1 + 11

    def __str__(self) -> str:
        return self.label

    def sort_key(self) -> tuple[int, int]:
        return (self.last_month, self.frequency.months)

    def __lt__(self, other: Period) -> bool:
        return self.sort_key() < other.sort_key()

    def __le__(self, other: Period) -> bool:
        return self.sort_key() <= other.sort_key()

    def __gt__(self, other: Period) -> bool:
        return self.sort_key() > other.sort_key()

    def __ge__(self, other: Period) -> bool:
        return self.sort_key() >= other.sort_key()

    # -- arithmetic -------------------------------------------------------
    def shift(self, steps: int) -> Period:
        """The period ``steps`` periods of the same frequency later (earlier if negative)."""
        return Period(
            self.frequency, self.first_month + steps * self.frequency.months, self.fy_start_month
        )

    def previous(self) -> Period:
        return self.shift(-1)

    def next(self) -> Period:
        return self.shift(1)

    def same_period_last_year(self) -> Period:
        return Period(self.frequency, self.first_month - 12, self.fy_start_month)

    def contains(self, other: Period) -> bool:
        return self.first_month <= other.first_month and other.last_month <= self.last_month

    def containing(self, frequency: Frequency) -> Period:
        """The period of ``frequency`` that contains this one (its quarter, its year)."""
        if frequency.months < self.frequency.months:
            raise PeriodError(f"a {frequency} period cannot contain the {self.frequency} {self}")
        return period_containing(self.start, frequency, self.fy_start_month)

    def periods(self, frequency: Frequency) -> list[Period]:
        """The periods of ``frequency`` inside this one, in order: the months of a quarter."""
        if frequency.months > self.frequency.months:
            raise PeriodError(
                f"a {frequency} period does not fit inside the {self.frequency} {self}"
            )
        step = frequency.months
        return [
            Period(frequency, first, self.fy_start_month)
            for first in range(self.first_month, self.last_month + 1, step)
        ]

    def elapsed_share_of_year(self) -> tuple[int, int]:
        """Months of the financial year elapsed at this period's end, and 12.

        Returned as a fraction (numerator, denominator) so that callers keep
        exact arithmetic: the pro-rata target at 2020/21 Q2 is 6/12 of the year's.
        """
        months_elapsed = (self.last_month - (self.fy_start_month - 1)) % 12 + 1
        return months_elapsed, 12


def _month_name(first_month: int) -> str:
    return calendar.month_name[first_month % 12 + 1]


def month_words(month: int) -> str:
    """The name of ``month`` (1 to 12) in the active language: "September", "Medi"."""
    return _(MONTH_NAMES[month - 1])


def _year_label(fy_start_year: int, fy_start_month: int) -> str:
    if fy_start_month == 1:
        return f"{fy_start_year:04d}"
    return f"{fy_start_year:04d}/{(fy_start_year + 1) % 100:02d}"


def period_containing(day: date, frequency: Frequency, fy_start_month: int = 4) -> Period:
    """The period of ``frequency`` that contains ``day``.

    >>> str(period_containing(date(2020, 12, 16), Frequency.QUARTERLY))
    '2020/21 Q3'
    """
    _check_start_month(fy_start_month)
    month = day.year * 12 + day.month - 1
    offset = (month - (fy_start_month - 1)) % frequency.months
    return Period(frequency, month - offset, fy_start_month)


_MONTH_RE = re.compile(r"(\d{4})-(\d{1,2})")
_YEAR_RE = r"(\d{4})(?:[/-](\d{2}|\d{4}))?"
_QUARTER_RES = (
    re.compile(_YEAR_RE + r"\s*Q(\d)", re.IGNORECASE),
    re.compile(r"Q(\d)\s*" + _YEAR_RE, re.IGNORECASE),
)
# A year alone takes only "/": "2011-12" is December 2011, never 2011/12.
_FY_RE = re.compile(r"(\d{4})(?:/(\d{2}|\d{4}))?")
# The years a period may be written in: wide enough for any history or plan,
# narrow enough that no arithmetic on a period (its end, the next year) can
# leave the calendar that dates can hold (year 9999).
YEARS = range(1900, 3000)


def parse_period(text: str, fy_start_month: int = 4) -> Period:
    """Read a period written in one of the forms in this module's docstring.

    Raises :class:`PeriodError` naming the accepted forms, or the years
    accepted (:data:`YEARS`, 1900 to 2999) for a period outside them.

    >>> try:
    ...     parse_period("9999/00 Q4")
    ... except PeriodError as error:
    ...     print(error)
    '9999/00 Q4' is out of range: a period's year must be 1900 to 2999
    """
    _check_start_month(fy_start_month)
    cleaned = " ".join(str(text).split())
    if not cleaned:
        raise PeriodError(
            _("a period is required: %(forms)s") % {"forms": _accepted(fy_start_month)}
        )
    period = _read_period(cleaned, fy_start_month)
    if period.first_month // 12 not in YEARS:  # before .start, which may not be a date
        raise PeriodError(
            _("%(text)s is out of range: a period's year must be %(first)s to %(last)s")
            % {"text": repr(cleaned), "first": YEARS[0], "last": YEARS[-1]}
        )
    return period


def _read_period(cleaned: str, fy_start_month: int) -> Period:
    if m := _MONTH_RE.fullmatch(cleaned):
        month = int(m.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(
                _("%(text)s has month %(month)s; months run 01 to 12")
                % {"text": repr(cleaned), "month": month}
            )
        return Period.month(int(m.group(1)), month, fy_start_month)
    for index, pattern in enumerate(_QUARTER_RES):
        if m := pattern.fullmatch(cleaned):
            groups = m.groups()
            quarter_text, first, second = (
                (groups[2], groups[0], groups[1]) if index == 0 else groups
            )
            quarter = int(quarter_text)
            if not 1 <= quarter <= 4:
                raise PeriodError(
                    _("%(text)s has quarter %(quarter)s; quarters run Q1 to Q4")
                    % {"text": repr(cleaned), "quarter": quarter}
                )
            year = _financial_year(cleaned, first, second, fy_start_month)
            return Period.quarter(year, quarter, fy_start_month)
    if m := _FY_RE.fullmatch(cleaned):
        year = _financial_year(cleaned, m.group(1), m.group(2), fy_start_month)
        return Period.year(year, fy_start_month)
    raise PeriodError(
        _("%(text)s is not a period: %(forms)s")
        % {"text": repr(cleaned), "forms": _accepted(fy_start_month)}
    )


def parse_period_in(text: str, year_start: int, fy_start_month: int = 4) -> Period:
    """A period of an indicator whose years start in ``year_start``: written
    in its own kind of year, or as the same months written in the body's
    financial year, which is how a round's quarter is often given. Raises the
    error of its own kind of year when neither fits.

    >>> parse_period_in("2020/21 Q2", year_start=1).label   # July to September 2020
    '2020 Q3'
    """
    try:
        return parse_period(text, year_start)
    except PeriodError as error:
        if year_start == fy_start_month:
            raise
        own = error
    try:
        found = parse_period(text, fy_start_month)
        return Period(found.frequency, found.first_month, year_start)
    except PeriodError:
        raise own from None


def _financial_year(text: str, first: str, second: str | None, fy_start_month: int) -> int:
    start = int(first)
    words = {"text": repr(text), "year": _year_label(start, fy_start_month)}
    if fy_start_month == 1:
        if second is not None:
            raise PeriodError(
                _("%(text)s: a year here is the calendar year, written %(year)s") % words
            )
        return start
    if second is None:
        if fy_start_month in _SPANS_TWO_YEARS:
            message = _(_SPANS_TWO_YEARS[fy_start_month]) % words
        else:
            message = _(
                "%(text)s: a year starting in %(month)s spans two calendar years, written %(year)s"
            ) % {**words, "month": month_words(fy_start_month)}
        raise PeriodError(message)
    expected = start + 1 if len(second) == 4 else (start + 1) % 100
    if int(second) != expected:
        raise PeriodError(
            _("%(text)s: the second year must follow the first, as in %(year)s") % words
        )
    return start


_SPANS_TWO_YEARS = {
    4: N_("%(text)s: a financial year spans two calendar years, written %(year)s"),
    9: N_("%(text)s: an academic year spans two calendar years, written %(year)s"),
}


def _accepted(fy_start_month: int) -> str:
    if fy_start_month == 1:
        return _("use a month such as 2020-09, a quarter such as 2020 Q2, or a year such as 2020")
    if fy_start_month == 4:
        return _(
            "use a month such as 2020-09, a quarter such as 2020/21 Q2, or a financial year "
            "such as 2020/21"
        )
    if fy_start_month == 9:
        return _(
            "use a month such as 2020-09, a quarter such as 2020/21 Q2, or an academic year "
            "such as 2020/21"
        )
    return _(
        "use a month such as 2020-09, a quarter such as 2020/21 Q2, or a year starting in "
        "%(month)s such as 2020/21"
    ) % {"month": month_words(fy_start_month)}


_MONTH_NUMBERS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_START_WORDS: dict[str, int | None] = {"calendar": 1, "academic": 9, "financial": None}
YEAR_START_FORMS = (
    "a month from 1 to 12, a month's name such as july, or calendar, academic or financial"
)


def parse_year_start(text: str) -> int | None:
    """The month an indicator's year starts in, as written in a register:
    ``1`` to ``12``, a month's name (``september``, ``Sep``), ``calendar``
    (January), ``academic`` (September), or ``financial``, and empty, for the
    body's own financial year (None).

    >>> parse_year_start("academic"), parse_year_start("July"), parse_year_start("financial")
    (9, 7, None)
    """
    word = " ".join(text.split()).lower().removesuffix(" year")
    if not word:
        return None
    if word in _START_WORDS:
        return _START_WORDS[word]
    if word in _MONTH_NUMBERS:
        return _MONTH_NUMBERS[word]
    if word.isdigit() and 1 <= int(word) <= 12:
        return int(word)
    raise PeriodError(
        _(
            "%(text)s is not a year start: use a month from 1 to 12, a month's name such as "
            "july, or calendar, academic or financial"
        )
        % {"text": repr(text.strip())}
    )


def write_year_start(start_month: int | None) -> str:
    """A year start as :func:`parse_year_start` reads it back: ``calendar``,
    ``academic``, a month's name in lower case (``july``), or "" for the body's
    financial year.

    >>> write_year_start(1), write_year_start(7), write_year_start(None)
    ('calendar', 'july', '')
    """
    if start_month is None:
        return ""
    _check_start_month(start_month)
    words = {1: "calendar", 9: "academic"}
    return words.get(start_month, calendar.month_name[start_month].lower())


def iter_periods(first: Period, last: Period) -> Iterator[Period]:
    """Every period from ``first`` to ``last`` inclusive, both of one frequency."""
    if first.frequency is not last.frequency:
        raise PeriodError(f"{first} and {last} are of different frequencies")
    current = first
    while current.first_month <= last.first_month:
        yield current
        current = current.next()


def periods_holding(
    last_months: Iterable[int], frequency: Frequency, fy_start_month: int = 4
) -> list[Period]:
    """The periods of ``frequency`` that hold a value ending in one of
    ``last_months`` (months counted as :attr:`Period.first_month` counts them),
    latest first: the quarters a period picker offers.

    >>> [p.long_label for p in periods_holding([24251, 24248, 24247], Frequency.QUARTERLY)]
    ['Quarter 3 2020/21', 'Quarter 2 2020/21']
    """
    _check_start_month(fy_start_month)
    found = {
        Period(Frequency.MONTHLY, month, fy_start_month).containing(frequency)
        for month in last_months
    }
    return sorted(found, reverse=True)


def holds_any(period: Period, last_months: Iterable[int]) -> bool:
    """Whether a value ending in one of ``last_months`` falls inside ``period``.

    >>> holds_any(parse_period("2020/21 Q3"), [24251]), holds_any(parse_period("2020-11"), [24251])
    (True, False)
    """
    return any(period.first_month <= month <= period.last_month for month in last_months)


def period_neighbours(
    periods: Iterable[Period], current: Period
) -> tuple[Period | None, Period | None]:
    """The latest of ``periods`` that ends before ``current`` ends, and the
    earliest that ends after it: the previous and next links of a page.

    >>> quarters = [parse_period(t) for t in ("2020/21 Q1", "2020/21 Q3", "2021/22 Q1")]
    >>> [str(p) for p in period_neighbours(quarters, parse_period("2020/21 Q3"))]
    ['2020/21 Q1', '2021/22 Q1']
    >>> period_neighbours(quarters, parse_period("2021/22 Q1"))[1] is None
    True
    """
    earlier = [p for p in periods if p.last_month < current.last_month]
    later = [p for p in periods if p.last_month > current.last_month]
    return (max(earlier) if earlier else None, min(later) if later else None)


def in_words(period: Period) -> str:
    """The period as a resident reads it in a table cell or a list: its
    :attr:`Period.long_label`, starting with a capital.

    >>> [in_words(parse_period(t)) for t in ("2020-12", "2020/21 Q3")]
    ['December 2020', 'Quarter 3 2020/21']
    >>> in_words(parse_period("2020 Q3", 1)), in_words(parse_period("2019/20", 9))
    ('Quarter 3 2020', 'Academic year 2019/20')
    """
    words = period.long_label
    return words[:1].upper() + words[1:]
