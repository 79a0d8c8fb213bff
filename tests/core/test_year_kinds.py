"""Years that are not financial years: calendar years (January), academic
years (September) and years starting in any other month (July here), each an
indicator's own kind of year beside the body's financial year."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfreport.core.periods import (
    Frequency,
    Period,
    PeriodError,
    parse_period,
    parse_period_in,
    parse_year_start,
    period_containing,
    write_year_start,
    year_name,
)

PROPERTY = settings(max_examples=200, deadline=None)

CALENDAR, ACADEMIC, JULY = 1, 9, 7
START_MONTHS = [
    pytest.param(CALENDAR, id="calendar"),
    pytest.param(ACADEMIC, id="academic"),
    pytest.param(JULY, id="july"),
]


# -- reading and writing a year ---------------------------------------------------


@pytest.mark.parametrize(
    ("start", "text", "first", "last", "label", "long_label", "name"),
    [
        pytest.param(
            CALENDAR, "2023", date(2023, 1, 1), date(2023, 12, 31),
            "2023", "calendar year 2023", "2023", id="calendar_year",
        ),
        pytest.param(
            ACADEMIC, "2022/23", date(2022, 9, 1), date(2023, 8, 31),
            "2022/23", "academic year 2022/23", "academic year 2022/23", id="academic_year",
        ),
        pytest.param(
            JULY, "2022/23", date(2022, 7, 1), date(2023, 6, 30),
            "2022/23", "year to June 2023", "year to June 2023", id="july_year",
        ),
        pytest.param(
            CALENDAR, "2023 Q1", date(2023, 1, 1), date(2023, 3, 31),
            "2023 Q1", "Quarter 1 2023", "2023 Q1", id="calendar_quarter",
        ),
        pytest.param(
            ACADEMIC, "2022/23 Q1", date(2022, 9, 1), date(2022, 11, 30),
            "2022/23 Q1", "Quarter 1 of academic year 2022/23",
            "2022/23 Q1 (academic year)", id="academic_quarter",
        ),
        pytest.param(
            JULY, "2022/23 Q4", date(2023, 4, 1), date(2023, 6, 30),
            "2022/23 Q4", "Quarter 4 of year to June 2023",
            "2022/23 Q4 (year to June 2023)", id="july_quarter",
        ),
    ],
)  # fmt: skip
def test_each_kind_of_year_is_read_and_named(
    start: int, text: str, first: date, last: date, label: str, long_label: str, name: str
) -> None:
    period = parse_period(text, start)

    assert (period.start, period.end) == (first, last)
    assert (period.label, period.long_label, period.name) == (label, long_label, name)


def test_a_financial_year_is_named_as_before() -> None:
    year = parse_period("2020/21")

    assert (year.label, year.long_label, year.name) == ("2020/21", "2020/21", "2020/21")
    assert parse_period("2020/21 Q2").long_label == "Quarter 2 2020/21"


@pytest.mark.parametrize(
    ("start", "text", "fragment"),
    [
        pytest.param(CALENDAR, "2022/23", "calendar year, written 2022", id="calendar_split"),
        pytest.param(ACADEMIC, "2023", "an academic year spans two calendar years", id="academic"),
        pytest.param(JULY, "2023", "a year starting in July spans two", id="july"),
        pytest.param(ACADEMIC, "nonsense", "an academic year such as 2020/21", id="words"),
    ],
)
def test_a_year_of_the_wrong_form_is_refused_in_the_words_of_its_kind(
    start: int, text: str, fragment: str
) -> None:
    with pytest.raises(PeriodError, match=fragment):
        parse_period(text, start)


# -- arithmetic in each kind of year ------------------------------------------------


@pytest.mark.parametrize("start", START_MONTHS)
def test_previous_and_same_period_last_year_stay_in_the_kind_of_year(start: int) -> None:
    year = Period.year(2022, start)
    quarter = Period.quarter(2022, 2, start)

    assert year.previous() == Period.year(2021, start)
    assert year.same_period_last_year() == year.previous()
    assert quarter.previous() == Period.quarter(2022, 1, start)
    assert quarter.same_period_last_year() == Period.quarter(2021, 2, start)
    assert quarter.same_period_last_year().fy_start_month == start


@pytest.mark.parametrize(
    ("start", "year_label", "quarter_label"),
    [
        pytest.param(CALENDAR, "2020", "2020 Q4", id="calendar"),
        pytest.param(ACADEMIC, "2020/21", "2020/21 Q2", id="academic"),
        pytest.param(JULY, "2020/21", "2020/21 Q2", id="july"),
    ],
)
def test_a_month_is_contained_by_the_year_of_its_kind(
    start: int, year_label: str, quarter_label: str
) -> None:
    december = Period.month(2020, 12, start)

    assert december.containing(Frequency.ANNUAL).label == year_label
    assert december.containing(Frequency.QUARTERLY).label == quarter_label
    assert december.containing(Frequency.ANNUAL).fy_start_month == start


@pytest.mark.parametrize(
    ("start", "share"),
    [
        pytest.param(CALENDAR, (12, 12), id="calendar_year_over"),
        pytest.param(ACADEMIC, (4, 12), id="academic_september_to_december"),
        pytest.param(JULY, (6, 12), id="july_to_december"),
    ],
)
def test_the_pro_rata_share_counts_from_the_start_of_the_kind_of_year(
    start: int, share: tuple[int, int]
) -> None:
    assert Period.month(2020, 12, start).elapsed_share_of_year() == share


def test_a_calendar_year_sorts_among_financial_quarters_by_its_end() -> None:
    calendar_2019 = parse_period("2019", CALENDAR)
    fy_q3 = parse_period("2019/20 Q3")  # October to December 2019: the same end
    fy_q4 = parse_period("2019/20 Q4")

    assert parse_period("2019/20 Q2") < fy_q3 < calendar_2019 < fy_q4


# -- a period given in the financial year, for an indicator of another kind -------------


def test_a_financial_quarter_is_read_as_the_same_months_of_a_calendar_year() -> None:
    period = parse_period_in("2020/21 Q2", CALENDAR)

    assert period == parse_period("2020 Q3", CALENDAR)
    assert (period.start, period.end) == (date(2020, 7, 1), date(2020, 9, 30))


def test_a_financial_year_is_refused_for_a_calendar_year_indicator() -> None:
    with pytest.raises(PeriodError, match="calendar year, written 2020"):
        parse_period_in("2020/21", CALENDAR)


def test_a_quarter_is_read_in_the_indicators_own_year_first() -> None:
    """2020/21 Q2 of an academic year is December to February, not July to September."""
    period = parse_period_in("2020/21 Q2", ACADEMIC)

    assert (period.start, period.end) == (date(2020, 12, 1), date(2021, 2, 28))


def test_a_financial_year_does_not_fit_a_july_year() -> None:
    with pytest.raises(PeriodError, match="a year starting in July spans two calendar years"):
        parse_period_in("2020", JULY, fy_start_month=1)


# -- the register's words for a year start --------------------------------------------


@pytest.mark.parametrize(
    ("text", "start"),
    [
        pytest.param("calendar", 1, id="calendar"),
        pytest.param("Calendar year", 1, id="calendar_year"),
        pytest.param("academic", 9, id="academic"),
        pytest.param("financial", None, id="financial_is_the_organisations"),
        pytest.param("", None, id="empty_is_the_organisations"),
        pytest.param("september", 9, id="month_name"),
        pytest.param("Jul", 7, id="month_abbreviation"),
        pytest.param("7", 7, id="month_number"),
        pytest.param(" 12 ", 12, id="month_number_spaced"),
    ],
)
def test_a_year_start_is_read_in_the_registers_words(text: str, start: int | None) -> None:
    assert parse_year_start(text) == start


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("13", id="thirteen"),
        pytest.param("0", id="zero"),
        pytest.param("semester", id="unknown_word"),
        pytest.param("1.5", id="decimal"),
    ],
)
def test_a_year_start_that_is_no_month_is_refused(text: str) -> None:
    with pytest.raises(PeriodError, match="is not a year start"):
        parse_year_start(text)


@pytest.mark.parametrize(
    ("start", "text"),
    [
        pytest.param(None, "", id="organisations"),
        pytest.param(1, "calendar", id="calendar"),
        pytest.param(9, "academic", id="academic"),
        pytest.param(7, "july", id="july"),
        pytest.param(4, "april", id="april_explicitly"),
    ],
)
def test_a_year_start_is_written_as_it_is_read_back(start: int | None, text: str) -> None:
    assert write_year_start(start) == text
    assert parse_year_start(text) == start


def test_the_kinds_of_year_have_their_names() -> None:
    assert [year_name(m) for m in (1, 4, 9, 7)] == [
        "calendar year",
        "financial year",
        "academic year",
        "year starting in July",
    ]


# -- properties ------------------------------------------------------------------------

starts = st.integers(min_value=1, max_value=12)
years = st.integers(min_value=1900, max_value=2200)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    start = draw(starts)
    frequency = draw(st.sampled_from(list(Frequency)))
    year = draw(years)
    if frequency is Frequency.MONTHLY:
        return Period.month(year, draw(st.integers(1, 12)), start)
    if frequency is Frequency.QUARTERLY:
        return Period.quarter(year, draw(st.integers(1, 4)), start)
    return Period.year(year, start)


@PROPERTY
@given(periods())
def test_previous_of_next_is_the_period_in_every_kind_of_year(period: Period) -> None:
    assert period.next().previous() == period
    assert period.previous().next() == period
    assert period.next().fy_start_month == period.fy_start_month


@PROPERTY
@given(periods(), st.integers(-50, 50), st.integers(-50, 50))
def test_shifts_add_up(period: Period, a: int, b: int) -> None:
    assert period.shift(a).shift(b) == period.shift(a + b)
    assert period.shift(a).first_month - period.first_month == a * period.frequency.months


@PROPERTY
@given(periods())
def test_same_period_last_year_is_twelve_months_earlier(period: Period) -> None:
    last_year = period.same_period_last_year()
    steps = 12 // period.frequency.months
    assert last_year == period.shift(-steps)
    assert last_year.start == period.start.replace(year=period.start.year - 1)


@PROPERTY
@given(periods())
def test_a_label_reads_back_in_its_kind_of_year(period: Period) -> None:
    assert parse_period(period.label, period.fy_start_month) == period
    assert parse_period_in(period.label, period.fy_start_month) == period


@PROPERTY
@given(periods())
def test_a_period_is_contained_by_its_year_of_the_same_kind(period: Period) -> None:
    year = period.containing(Frequency.ANNUAL)
    assert year.contains(period)
    assert year.fy_start_month == period.fy_start_month
    assert year.start.month == period.fy_start_month
    assert period_containing(period.end, period.frequency, period.fy_start_month) == period


@PROPERTY
@given(periods())
def test_a_quarter_given_in_the_financial_year_fits_a_calendar_year(period: Period) -> None:
    """Quarters of April and January years are the same months, named apart."""
    if period.frequency is not Frequency.QUARTERLY or period.fy_start_month != 4:
        return
    calendar = parse_period_in(period.label, CALENDAR)
    assert (calendar.first_month, calendar.last_month) == (period.first_month, period.last_month)
    assert calendar.fy_start_month == CALENDAR
