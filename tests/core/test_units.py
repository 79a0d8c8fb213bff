"""How numbers are rounded and written in the report."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfreport.core.units import (
    Unit,
    format_difference,
    format_number,
    format_value,
    plain,
    round_to,
)

PROPERTY = settings(max_examples=200, deadline=None)


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "expected"),
    [
        pytest.param(Decimal("97.83"), Unit.PERCENT, 2, "97.83%", id="percent"),
        pytest.param(Decimal("97.8"), Unit.PERCENT, 2, "97.80%", id="percent_padded"),
        pytest.param(Decimal("100"), Unit.PERCENT, 1, "100.0%", id="percent_hundred"),
        pytest.param(Decimal("432584"), Unit.COUNT, 0, "432,584", id="count"),
        pytest.param(Decimal("1234567"), Unit.COUNT, 0, "1,234,567", id="count_millions"),
        pytest.param(Decimal("999"), Unit.COUNT, 0, "999", id="count_no_separator"),
        pytest.param(Decimal("1"), Unit.STARS, 0, "1 star", id="one_star"),
        pytest.param(Decimal("3"), Unit.STARS, 0, "3 stars", id="three_stars"),
        pytest.param(Decimal("0"), Unit.STARS, 0, "0 stars", id="no_stars"),
        pytest.param(Decimal("0.6"), Unit.STARS, 0, "1 star", id="rounds_to_one_star"),
        pytest.param(Decimal("1.5"), Unit.STARS, 1, "1.5 stars", id="one_and_a_half_stars"),
        pytest.param(Decimal("1234"), Unit.CURRENCY, 0, "£1,234", id="currency"),
        pytest.param(Decimal("-1234"), Unit.CURRENCY, 0, "-£1,234", id="negative_currency"),
        pytest.param(Decimal("1234.5"), Unit.CURRENCY, 2, "£1,234.50", id="currency_pence"),
        pytest.param(Decimal("-0.4"), Unit.CURRENCY, 0, "£0", id="rounds_to_zero_unsigned"),
        pytest.param(Decimal("12.345"), Unit.NUMBER, 2, "12.35", id="number"),
        pytest.param(Decimal("-1234.5"), Unit.NUMBER, 1, "-1,234.5", id="negative_number"),
        pytest.param(Decimal("7"), Unit.NUMBER, 3, "7.000", id="number_padded"),
    ],
)
def test_format_value_writes_each_unit_as_the_report_does(
    value: Decimal, unit: Unit, decimals: int, expected: str
) -> None:
    assert format_value(value, unit, decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        pytest.param(Decimal("0.05"), 1, Decimal("0.1"), id="a_half_at_one_decimal_goes_up"),
        pytest.param(Decimal("2.675"), 2, Decimal("2.68"), id="2_675_goes_up_unlike_floats"),
        pytest.param(Decimal("2.5"), 0, Decimal("3"), id="two_and_a_half_goes_up_not_to_even"),
        pytest.param(Decimal("3.5"), 0, Decimal("4"), id="three_and_a_half_goes_up"),
        pytest.param(Decimal("0.125"), 2, Decimal("0.13"), id="eighth_goes_up_not_to_even"),
        pytest.param(Decimal("2.674999"), 2, Decimal("2.67"), id="just_under_half_goes_down"),
        pytest.param(Decimal("-0.05"), 1, Decimal("-0.1"), id="negative_half_goes_away_from_0"),
        pytest.param(Decimal("97.83"), 0, Decimal("98"), id="to_whole_number"),
    ],
)
def test_round_to_rounds_half_up(value: Decimal, decimals: int, expected: Decimal) -> None:
    rounded = round_to(value, decimals)
    assert rounded == expected
    assert rounded.as_tuple().exponent == -decimals


def test_binary_floats_would_round_2_675_down() -> None:
    # The reason the core never uses floats: 2.675 is stored as 2.67499999...
    assert round(2.675, 2) == 2.67
    assert round_to(Decimal("2.675"), 2) == Decimal("2.68")


def test_format_number_keeps_trailing_zeros_and_separators() -> None:
    assert format_number(Decimal("1234.5"), 2) == "1,234.50"
    assert format_number(Decimal("0.05"), 1) == "0.1"
    assert format_number(Decimal("-0.05"), 1) == "-0.1"


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "expected"),
    [
        pytest.param(
            Decimal("6.6"), Unit.PERCENT, 1, "6.6 percentage points", id="percentage_points"
        ),
        pytest.param(Decimal("1"), Unit.PERCENT, 0, "1 percentage point", id="one_point"),
        pytest.param(Decimal("2"), Unit.PERCENT, 0, "2 percentage points", id="two_points"),
        pytest.param(Decimal("120"), Unit.COUNT, 0, "120", id="count_in_its_units"),
        pytest.param(Decimal("50"), Unit.CURRENCY, 0, "£50", id="currency_in_pounds"),
        pytest.param(Decimal("1"), Unit.STARS, 0, "1 star", id="one_star"),
    ],
)
def test_format_difference_uses_the_units_own_words(
    value: Decimal, unit: Unit, decimals: int, expected: str
) -> None:
    assert format_difference(value, unit, decimals) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(Decimal("97.83"), "97.83", id="two_decimals"),
        pytest.param(Decimal("97.830"), "97.83", id="trailing_zero_dropped"),
        pytest.param(Decimal("100"), "100", id="hundred_not_1E2"),
        pytest.param(Decimal("100.00"), "100", id="hundred_with_zeros"),
        pytest.param(Decimal("1E+3"), "1000", id="exponent_input"),
        pytest.param(Decimal("0"), "0", id="zero"),
        pytest.param(Decimal("0.000"), "0", id="zero_with_decimals"),
        pytest.param(Decimal("-0"), "0", id="negative_zero"),
        pytest.param(Decimal("0.0000001"), "0.0000001", id="tiny_not_1E-7"),
        pytest.param(Decimal("-1.50"), "-1.5", id="negative"),
    ],
)
def test_plain_gives_the_shortest_exact_text(value: Decimal, expected: str) -> None:
    assert plain(value) == expected


def test_only_percent_caps_at_100() -> None:
    assert [u for u in Unit if u.caps_at_100] == [Unit.PERCENT]


@PROPERTY
@given(
    st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, places=6)
)
def test_plain_is_exact_and_never_uses_exponents(value: Decimal) -> None:
    text = plain(value)
    assert "E" not in text.upper()
    assert Decimal(text) == value


@PROPERTY
@given(
    st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), allow_nan=False, places=4),
    st.integers(min_value=0, max_value=3),
)
def test_round_to_is_within_half_a_step_and_ties_go_away_from_zero(
    value: Decimal, decimals: int
) -> None:
    rounded = round_to(value, decimals)
    half_step = Decimal(1).scaleb(-decimals) / 2
    assert abs(rounded - value) <= half_step
    if abs(rounded - value) == half_step:
        assert abs(rounded) > abs(value)


@PROPERTY
@given(st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), allow_nan=False, places=2))
def test_format_number_reads_back_as_the_rounded_value(value: Decimal) -> None:
    text = format_number(value, 2)
    assert Decimal(text.replace(",", "")) == round_to(value, 2)
