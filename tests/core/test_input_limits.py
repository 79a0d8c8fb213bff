"""The limits of what the core reads: a period's year and a number's digits,
checked before any date or rounding is worked out from them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfreport.core.numbers import CellError, read_number
from perfreport.core.periods import YEARS, PeriodError, parse_period


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("9999/00 Q4", id="quarter_ending_in_year_10000"),
        pytest.param("9999/00", id="year_ending_in_year_10000"),
        pytest.param("9999-12", id="last_month_dates_can_hold"),
        pytest.param("3000-01", id="first_month_after_the_range"),
        pytest.param("1899/00", id="year_before_the_range"),
        pytest.param("0000-01", id="year_zero"),
    ],
)
def test_a_period_outside_the_years_is_refused_naming_them(text):
    with pytest.raises(PeriodError, match="a period's year must be 1900 to 2999"):
        parse_period(text)


@pytest.mark.parametrize("text", ["10000-01", "Q1 10000/01"])
def test_a_five_digit_year_is_not_a_period(text):
    with pytest.raises(PeriodError, match="is not a period"):
        parse_period(text)


@pytest.mark.parametrize("text", ["1900-01", "2999-12", "2999/00 Q3", "1900/01"])
def test_the_first_and_last_years_are_accepted(text):
    assert str(parse_period(text)) == text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789/-Q ", max_size=16), st.sampled_from([1, 4, 9]))
def test_any_period_read_has_dates(text, start_month):
    """Whatever text is read as a period, its start and end are dates."""
    try:
        period = parse_period(text, start_month)
    except PeriodError:
        return
    assert period.start.year in YEARS and period.end >= period.start
    assert period.next().end > period.end


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("1" * 23, id="23_digits"),
        pytest.param("9" * 40 + ".5", id="40_digits_and_a_fraction"),
        pytest.param("-" + "1" * 30, id="negative_30_digits"),
        pytest.param("1,000,000,000,000,000,000,000", id="23_digits_with_thousands"),
        pytest.param("99999999999999.9999999", id="rounds_up_to_15_digits"),
    ],
)
def test_a_number_over_the_digit_limit_is_refused_before_rounding(text):
    with pytest.raises(CellError, match="is too large: at most 14 digits"):
        read_number(text)


def test_a_number_of_14_digits_is_read():
    assert read_number("99999999999999") == Decimal("99999999999999")
