"""Periods in words for a resident, and the periods a page can move between:
the quarters that hold values, and the ones before and after the period shown."""

from __future__ import annotations

import pytest

from perfreport.core.periods import (
    Frequency,
    Period,
    holds_any,
    parse_period,
    period_neighbours,
    periods_holding,
)


@pytest.mark.parametrize(
    ("period", "words"),
    [
        pytest.param(Period.month(2020, 12), "December 2020", id="month"),
        pytest.param(Period.quarter(2020, 3), "Quarter 3 2020/21", id="financial_quarter"),
        pytest.param(Period.quarter(2020, 3, 1), "Quarter 3 2020", id="calendar_quarter"),
        pytest.param(
            Period.quarter(2022, 1, 9), "Quarter 1 of academic year 2022/23", id="academic_quarter"
        ),
        pytest.param(Period.year(2023, 1), "calendar year 2023", id="calendar_year"),
        pytest.param(Period.month(2022, 9, 9), "September 2022", id="academic_month"),
    ],
)
def test_a_period_reads_in_words(period: Period, words: str) -> None:
    assert period.long_label == words


def months(*labels: str) -> list[int]:
    return [parse_period(label).last_month for label in labels]


def test_the_quarters_holding_values_are_listed_latest_first_once_each() -> None:
    found = periods_holding(
        months("2020-08", "2020/21 Q2", "2020-12", "2019/20"), Frequency.QUARTERLY
    )

    assert [str(p) for p in found] == ["2020/21 Q3", "2020/21 Q2", "2019/20 Q4"]


def test_a_calendar_year_body_lists_calendar_quarters() -> None:
    found = periods_holding([2020 * 12 + 11], Frequency.QUARTERLY, fy_start_month=1)

    assert [p.long_label for p in found] == ["Quarter 4 2020"]


def test_no_values_list_no_periods() -> None:
    assert periods_holding([], Frequency.QUARTERLY) == []


def test_a_period_holds_a_value_only_when_the_value_ends_inside_it() -> None:
    ends = months("2020-12")

    assert holds_any(parse_period("2020/21 Q3"), ends)
    assert holds_any(parse_period("2020/21"), ends)
    assert not holds_any(parse_period("2020/21 Q4"), ends)
    assert not holds_any(parse_period("2020-11"), ends)


def test_the_neighbours_skip_quarters_without_values() -> None:
    quarters = [parse_period(t) for t in ("2019/20 Q4", "2020/21 Q2", "2020/21 Q3")]

    before, after = period_neighbours(quarters, parse_period("2020/21 Q2"))

    assert (str(before), str(after)) == ("2019/20 Q4", "2020/21 Q3")


def test_the_first_and_last_periods_have_one_neighbour_each() -> None:
    quarters = [parse_period(t) for t in ("2020/21 Q2", "2020/21 Q3")]

    assert period_neighbours(quarters, quarters[0])[0] is None
    assert period_neighbours(quarters, quarters[1])[1] is None


def test_a_month_between_quarters_has_the_quarters_around_it_as_neighbours() -> None:
    quarters = [parse_period(t) for t in ("2020/21 Q2", "2020/21 Q3")]

    before, after = period_neighbours(quarters, parse_period("2020-11"))

    assert (str(before), str(after)) == ("2020/21 Q2", "2020/21 Q3")
