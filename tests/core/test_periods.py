"""Reporting periods: parsing, formatting, ordering and arithmetic."""

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfreport.core.periods import (
    Frequency,
    Period,
    PeriodError,
    iter_periods,
    parse_period,
    period_containing,
)

PROPERTY = settings(max_examples=200, deadline=None)

ACCEPTED_HINT = "a quarter such as 2020/21 Q2"


# -- strategies -------------------------------------------------------------

fy_start_months = st.sampled_from([1, 4, 7, 10]) | st.integers(min_value=1, max_value=12)
years = st.integers(min_value=1900, max_value=2200)


@st.composite
def periods(draw: st.DrawFn, fy_start_month: int | None = None) -> Period:
    start = draw(fy_start_months) if fy_start_month is None else fy_start_month
    frequency = draw(st.sampled_from(list(Frequency)))
    year = draw(years)
    if frequency is Frequency.MONTHLY:
        return Period.month(year, draw(st.integers(1, 12)), start)
    if frequency is Frequency.QUARTERLY:
        return Period.quarter(year, draw(st.integers(1, 4)), start)
    return Period.year(year, start)


@st.composite
def quarters(draw: st.DrawFn) -> Period:
    return Period.quarter(draw(years), draw(st.integers(1, 4)), draw(fy_start_months))


# -- parsing and formatting ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2020-09", Period.month(2020, 9), id="month_canonical"),
        pytest.param("2020-9", Period.month(2020, 9), id="month_single_digit"),
        pytest.param("2021-01", Period.month(2021, 1), id="january"),
        pytest.param("2020/21 Q2", Period.quarter(2020, 2), id="quarter_canonical"),
        pytest.param("Q2 2020/21", Period.quarter(2020, 2), id="quarter_first"),
        pytest.param("2020/2021 Q2", Period.quarter(2020, 2), id="quarter_four_digit_second_year"),
        pytest.param("2020-21 Q2", Period.quarter(2020, 2), id="quarter_hyphenated_year"),
        pytest.param("2020/21 q2", Period.quarter(2020, 2), id="quarter_lower_case_q"),
        pytest.param("  2020/21   Q2 ", Period.quarter(2020, 2), id="quarter_extra_whitespace"),
        pytest.param("2020/21", Period.year(2020), id="year_canonical"),
        pytest.param("2020/2021", Period.year(2020), id="year_four_digit_second_year"),
        pytest.param("1999/00", Period.year(1999), id="year_across_the_century"),
        pytest.param("1999/2000", Period.year(1999), id="year_across_the_century_long"),
    ],
)
def test_it_parses_every_accepted_form(text: str, expected: Period) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    ("period", "label", "long_label"),
    [
        pytest.param(Period.month(2020, 9), "2020-09", "September 2020", id="month"),
        pytest.param(Period.quarter(2020, 2), "2020/21 Q2", "Quarter 2 2020/21", id="quarter"),
        pytest.param(Period.year(2020), "2020/21", "2020/21", id="year"),
        pytest.param(Period.year(2009), "2009/10", "2009/10", id="year_with_leading_zero"),
    ],
)
def test_it_writes_the_canonical_and_long_labels(
    period: Period, label: str, long_label: str
) -> None:
    assert period.label == label
    assert str(period) == label
    assert period.long_label == long_label


def test_quarter_2_of_2020_21_runs_from_july_to_september_2020() -> None:
    q = parse_period("2020/21 Q2")
    assert (q.start, q.end) == (date(2020, 7, 1), date(2020, 9, 30))
    assert q.quarter_number == 2
    assert q.fy_start_year == 2020


def test_quarter_4_of_a_financial_year_falls_in_the_next_calendar_year() -> None:
    q = parse_period("2020/21 Q4")
    assert (q.start, q.end) == (date(2021, 1, 1), date(2021, 3, 31))
    assert q.fy_start_year == 2020


def test_a_financial_year_runs_from_april_to_march() -> None:
    y = parse_period("2020/21")
    assert (y.start, y.end) == (date(2020, 4, 1), date(2021, 3, 31))


@pytest.mark.parametrize(
    ("text", "end"),
    [
        pytest.param("2020-02", date(2020, 2, 29), id="leap_february"),
        pytest.param("2021-02", date(2021, 2, 28), id="common_february"),
        pytest.param("2020-04", date(2020, 4, 30), id="thirty_day_month"),
        pytest.param("2020-12", date(2020, 12, 31), id="december"),
    ],
)
def test_a_month_ends_on_its_last_calendar_day(text: str, end: date) -> None:
    assert parse_period(text).end == end


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        pytest.param("2020/21 Q5", ["quarter 5", "Q1 to Q4"], id="fifth_quarter"),
        pytest.param("2020/21 Q0", ["quarter 0", "Q1 to Q4"], id="quarter_zero"),
        pytest.param("2020-13", ["month 13", "01 to 12"], id="thirteenth_month"),
        pytest.param("2020-00", ["month 0", "01 to 12"], id="month_zero"),
        pytest.param("2020/22", ["second year must follow", "2020/21"], id="years_not_adjacent"),
        pytest.param("2020/2022", ["second year must follow", "2020/21"], id="long_not_adjacent"),
        pytest.param("2020/23 Q2", ["2020/21"], id="quarter_years_apart"),
        pytest.param("2020", ["two calendar years", "2020/21"], id="single_year_in_april_fy"),
        pytest.param("2020 Q2", ["two calendar years", "2020/21"], id="single_year_quarter"),
        pytest.param("", ["required", ACCEPTED_HINT], id="empty"),
        pytest.param("   ", ["required", ACCEPTED_HINT], id="only_whitespace"),
        pytest.param("last quarter", ["'last quarter'", ACCEPTED_HINT], id="words"),
        pytest.param("2020/21 Q2 extra", [ACCEPTED_HINT], id="trailing_garbage"),
        pytest.param("20/21", [ACCEPTED_HINT], id="two_digit_first_year"),
    ],
)
def test_it_rejects_bad_text_and_says_what_is_wrong(text: str, fragments: list[str]) -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period(text)
    for fragment in fragments:
        assert fragment in str(raised.value)


def test_it_rejects_a_fifth_quarter() -> None:
    with pytest.raises(PeriodError, match="quarters run Q1 to Q4"):
        parse_period("2020/21 Q5")


def test_period_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_period("garbage")


@pytest.mark.parametrize(
    "start_month", [pytest.param(0, id="zero"), pytest.param(13, id="thirteen")]
)
def test_it_rejects_a_financial_year_start_month_outside_1_to_12(start_month: int) -> None:
    with pytest.raises(PeriodError, match="1 to 12"):
        parse_period("2020-09", fy_start_month=start_month)
    with pytest.raises(PeriodError, match="1 to 12"):
        Period.month(2020, 9, start_month)
    with pytest.raises(PeriodError, match="1 to 12"):
        period_containing(date(2020, 9, 1), Frequency.MONTHLY, start_month)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(lambda: Period.month(2020, 13), "month must be 1 to 12", id="month_13"),
        pytest.param(lambda: Period.quarter(2020, 5), "quarter must be 1 to 4", id="quarter_5"),
        pytest.param(
            lambda: Period(Frequency.QUARTERLY, 2020 * 12 + 4),
            "cannot start in May",
            id="quarter_starting_in_may",
        ),
        pytest.param(
            lambda: Period(Frequency.ANNUAL, 2020 * 12 + 0),
            "cannot start in January",
            id="april_year_starting_in_january",
        ),
    ],
)
def test_it_refuses_to_construct_a_misaligned_period(
    make: Callable[[], Period], message: str
) -> None:
    with pytest.raises(PeriodError, match=message):
        make()


# -- calendar years and other start months ---------------------------------------


def test_a_calendar_year_is_written_as_one_year() -> None:
    year = parse_period("2020", fy_start_month=1)
    assert (year.start, year.end) == (date(2020, 1, 1), date(2020, 12, 31))
    assert year.label == "2020"


def test_a_calendar_quarter_1_runs_from_january_to_march() -> None:
    q = parse_period("2020 Q1", fy_start_month=1)
    assert (q.start, q.end) == (date(2020, 1, 1), date(2020, 3, 31))
    assert q.label == "2020 Q1"
    assert q.long_label == "Quarter 1 2020"


@pytest.mark.parametrize(
    "text",
    [pytest.param("2020/21", id="year"), pytest.param("2020/21 Q1", id="quarter")],
)
def test_a_calendar_year_refuses_a_two_year_form(text: str) -> None:
    with pytest.raises(PeriodError, match="calendar year, written 2020"):
        parse_period(text, fy_start_month=1)


def test_the_error_for_calendar_years_shows_calendar_forms() -> None:
    with pytest.raises(PeriodError, match="a year such as 2020") as raised:
        parse_period("nonsense", fy_start_month=1)
    assert "2020 Q2" in str(raised.value)


def test_a_july_financial_year_runs_from_july_to_june() -> None:
    year = parse_period("2020/21", fy_start_month=7)
    assert (year.start, year.end) == (date(2020, 7, 1), date(2021, 6, 30))
    q1 = parse_period("2020/21 Q1", fy_start_month=7)
    assert (q1.start, q1.end) == (date(2020, 7, 1), date(2020, 9, 30))
    q3 = parse_period("2020/21 Q3", fy_start_month=7)
    assert (q3.start, q3.end) == (date(2021, 1, 1), date(2021, 3, 31))


def test_a_month_in_a_july_year_belongs_to_the_year_that_started_in_july() -> None:
    june = Period.month(2021, 6, fy_start_month=7)
    assert june.fy_start_year == 2020
    assert june.containing(Frequency.ANNUAL).label == "2020/21"
    assert june.containing(Frequency.QUARTERLY).label == "2020/21 Q4"


# -- ordering --------------------------------------------------------------------


def test_periods_sort_by_end_with_longer_after_shorter_on_the_same_end() -> None:
    texts = ["2020/21", "2020-10", "2020/21 Q2", "2020-09", "2020/21 Q3", "2020-08", "2021-03"]
    ordered = sorted(parse_period(t) for t in texts)
    assert [p.label for p in ordered] == [
        "2020-08",
        "2020-09",
        "2020/21 Q2",
        "2020-10",
        "2020/21 Q3",
        "2021-03",
        "2020/21",
    ]


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        pytest.param("2020-09", "2020/21 Q2", id="month_before_its_quarter_on_same_end"),
        pytest.param("2020/21 Q4", "2020/21", id="quarter_before_its_year_on_same_end"),
        pytest.param("2020/21 Q2", "2020-10", id="quarter_before_a_later_month"),
        pytest.param("2019/20", "2020-04", id="year_before_the_next_month"),
    ],
)
def test_comparisons_put_the_earlier_period_first(earlier: str, later: str) -> None:
    a, b = parse_period(earlier), parse_period(later)
    assert a < b
    assert a <= b
    assert b > a
    assert b >= a
    assert not b < a
    assert not a >= b


# -- arithmetic ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "previous", "following"),
    [
        pytest.param("2020/21 Q1", "2019/20 Q4", "2020/21 Q2", id="quarter_across_fy_start"),
        pytest.param("2020/21 Q4", "2020/21 Q3", "2021/22 Q1", id="quarter_across_fy_end"),
        pytest.param("2021-01", "2020-12", "2021-02", id="month_across_new_year"),
        pytest.param("2020-12", "2020-11", "2021-01", id="december"),
        pytest.param("2020/21", "2019/20", "2021/22", id="year"),
    ],
)
def test_previous_and_next_cross_year_boundaries(text: str, previous: str, following: str) -> None:
    period = parse_period(text)
    assert period.previous().label == previous
    assert period.next().label == following


def test_shift_moves_by_whole_periods() -> None:
    assert parse_period("2020/21 Q2").shift(5).label == "2021/22 Q3"
    assert parse_period("2020-09").shift(-21).label == "2018-12"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2020/21 Q2", "2019/20 Q2", id="quarter"),
        pytest.param("2021-01", "2020-01", id="month"),
        pytest.param("2020/21", "2019/20", id="year"),
    ],
)
def test_same_period_last_year(text: str, expected: str) -> None:
    assert parse_period(text).same_period_last_year().label == expected


@pytest.mark.parametrize(
    ("day", "frequency", "expected"),
    [
        pytest.param(date(2020, 12, 16), Frequency.QUARTERLY, "2020/21 Q3", id="report_date"),
        pytest.param(date(2021, 3, 31), Frequency.ANNUAL, "2020/21", id="last_day_of_fy"),
        pytest.param(date(2021, 4, 1), Frequency.ANNUAL, "2021/22", id="first_day_of_fy"),
        pytest.param(date(2021, 3, 31), Frequency.QUARTERLY, "2020/21 Q4", id="last_day_q4"),
        pytest.param(date(2020, 4, 1), Frequency.QUARTERLY, "2020/21 Q1", id="first_day_q1"),
        pytest.param(date(2020, 2, 29), Frequency.MONTHLY, "2020-02", id="leap_day"),
        pytest.param(date(2020, 1, 15), Frequency.ANNUAL, "2019/20", id="january_in_prior_fy"),
    ],
)
def test_period_containing_a_date(day: date, frequency: Frequency, expected: str) -> None:
    assert period_containing(day, frequency).label == expected


def test_period_containing_a_date_in_a_calendar_year() -> None:
    assert period_containing(date(2020, 12, 16), Frequency.QUARTERLY, 1).label == "2020 Q4"
    assert period_containing(date(2020, 1, 1), Frequency.ANNUAL, 1).label == "2020"


def test_a_quarter_holds_its_three_months_in_order() -> None:
    months = parse_period("2020/21 Q4").periods(Frequency.MONTHLY)
    assert [m.label for m in months] == ["2021-01", "2021-02", "2021-03"]


def test_a_year_holds_its_four_quarters_in_order() -> None:
    quarters_ = parse_period("2020/21").periods(Frequency.QUARTERLY)
    assert [q.label for q in quarters_] == ["2020/21 Q1", "2020/21 Q2", "2020/21 Q3", "2020/21 Q4"]


def test_a_month_cannot_hold_quarters() -> None:
    with pytest.raises(PeriodError, match="does not fit inside"):
        parse_period("2020-09").periods(Frequency.QUARTERLY)


@pytest.mark.parametrize(
    ("text", "frequency", "expected"),
    [
        pytest.param("2020-09", Frequency.QUARTERLY, "2020/21 Q2", id="month_to_quarter"),
        pytest.param("2021-02", Frequency.ANNUAL, "2020/21", id="month_to_year"),
        pytest.param("2020/21 Q4", Frequency.ANNUAL, "2020/21", id="quarter_to_year"),
        pytest.param("2020/21 Q3", Frequency.QUARTERLY, "2020/21 Q3", id="quarter_to_itself"),
    ],
)
def test_containing_finds_the_enclosing_period(
    text: str, frequency: Frequency, expected: str
) -> None:
    assert parse_period(text).containing(frequency).label == expected


def test_a_quarter_has_no_containing_month() -> None:
    with pytest.raises(PeriodError, match="cannot contain"):
        parse_period("2020/21 Q2").containing(Frequency.MONTHLY)


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        pytest.param("2020/21 Q2", "2020-07", True, id="first_month"),
        pytest.param("2020/21 Q2", "2020-09", True, id="last_month"),
        pytest.param("2020/21 Q2", "2020-10", False, id="month_after"),
        pytest.param("2020/21 Q2", "2020-06", False, id="month_before"),
        pytest.param("2020/21", "2021-03", True, id="year_last_month"),
        pytest.param("2020/21", "2020/21 Q2", True, id="year_and_quarter"),
        pytest.param("2020/21 Q2", "2020/21", False, id="quarter_does_not_contain_year"),
        pytest.param("2020/21 Q2", "2020/21 Q2", True, id="itself"),
    ],
)
def test_contains(outer: str, inner: str, expected: bool) -> None:
    assert parse_period(outer).contains(parse_period(inner)) is expected


@pytest.mark.parametrize(
    ("text", "fy_start_month", "share"),
    [
        pytest.param("2020-04", 4, (1, 12), id="first_month"),
        pytest.param("2020-05", 4, (2, 12), id="second_month"),
        pytest.param("2020/21 Q2", 4, (6, 12), id="half_year_at_q2"),
        pytest.param("2020/21 Q4", 4, (12, 12), id="whole_year_at_q4"),
        pytest.param("2021-03", 4, (12, 12), id="march"),
        pytest.param("2020/21", 4, (12, 12), id="the_year_itself"),
        pytest.param("2020-09", 7, (3, 12), id="september_in_a_july_year"),
        pytest.param("2020-09", 1, (9, 12), id="september_in_a_calendar_year"),
    ],
)
def test_elapsed_share_of_year(text: str, fy_start_month: int, share: tuple[int, int]) -> None:
    assert parse_period(text, fy_start_month).elapsed_share_of_year() == share


def test_iter_periods_runs_inclusive_from_first_to_last() -> None:
    run = iter_periods(parse_period("2020-11"), parse_period("2021-02"))
    assert [p.label for p in run] == ["2020-11", "2020-12", "2021-01", "2021-02"]


def test_iter_periods_refuses_mixed_frequencies() -> None:
    with pytest.raises(PeriodError, match="different frequencies"):
        list(iter_periods(parse_period("2020-09"), parse_period("2020/21 Q3")))


@pytest.mark.parametrize(
    ("frequency", "months", "noun"),
    [
        pytest.param(Frequency.MONTHLY, 1, "Month", id="monthly"),
        pytest.param(Frequency.QUARTERLY, 3, "Quarter", id="quarterly"),
        pytest.param(Frequency.ANNUAL, 12, "Year", id="annual"),
    ],
)
def test_frequency_facts(frequency: Frequency, months: int, noun: str) -> None:
    assert frequency.months == months
    assert frequency.noun == noun


# -- properties ------------------------------------------------------------------


@PROPERTY
@given(periods())
def test_parsing_a_label_gives_back_the_period(period: Period) -> None:
    assert parse_period(period.label, period.fy_start_month) == period


@PROPERTY
@given(periods(), st.integers(min_value=-400, max_value=400))
def test_shifting_there_and_back_is_the_identity(period: Period, steps: int) -> None:
    assert period.shift(steps).shift(-steps) == period


@PROPERTY
@given(periods())
def test_previous_sorts_before_and_next_after(period: Period) -> None:
    assert period.previous() < period < period.next()
    assert period.previous().next() == period


@PROPERTY
@given(periods())
def test_a_period_spans_its_frequency_in_months(period: Period) -> None:
    span = (period.end.year * 12 + period.end.month) - (period.start.year * 12 + period.start.month)
    assert span + 1 == period.frequency.months
    assert period.start.day == 1
    assert period_containing(period.start, period.frequency, period.fy_start_month) == period
    assert period_containing(period.end, period.frequency, period.fy_start_month) == period


@PROPERTY
@given(quarters())
def test_same_period_last_year_of_a_quarter_keeps_its_quarter_number(quarter: Period) -> None:
    last_year = quarter.same_period_last_year()
    assert last_year.quarter_number == quarter.quarter_number
    assert last_year.fy_start_year == quarter.fy_start_year - 1
    assert last_year.start == quarter.start.replace(year=quarter.start.year - 1)


@PROPERTY
@given(quarters())
def test_every_month_of_a_quarter_is_contained_by_it(quarter: Period) -> None:
    months = quarter.periods(Frequency.MONTHLY)
    assert len(months) == 3
    for m in months:
        assert quarter.contains(m)
        assert m.containing(Frequency.QUARTERLY) == quarter
    assert not quarter.contains(months[0].previous())
    assert not quarter.contains(months[-1].next())
