"""A value worked out from its numerator and denominator, and one that
disagrees with them (perfreport.core.fraction)."""

from decimal import Decimal

import pytest

from perfreport.core.fraction import disagreement, fraction_multiplier, value_from_fraction
from perfreport.core.units import Unit, UnitFormat, parse_unit_label


def unit(kind: Unit, label: str = "") -> UnitFormat:
    return UnitFormat(kind, parse_unit_label(label, kind))


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        pytest.param(unit(Unit.PERCENT), Decimal(100), id="a_percentage_is_times_100"),
        pytest.param(unit(Unit.NUMBER, "per 10,000"), Decimal(10000), id="per_10000"),
        pytest.param(unit(Unit.COUNT, "per 1,000 population"), Decimal(1000), id="per_1000_words"),
        pytest.param(unit(Unit.NUMBER), Decimal(1), id="a_plain_number_is_the_quotient"),
        pytest.param(unit(Unit.NUMBER, "days"), None, id="days_are_not_made_from_counts"),
        pytest.param(unit(Unit.COUNT), None, id="a_count_is_not_a_fraction"),
        pytest.param(unit(Unit.STARS), None, id="stars_are_not_a_fraction"),
        pytest.param(unit(Unit.CURRENCY, "£m"), None, id="scaled_money_is_not_a_fraction"),
        pytest.param(unit(Unit.NUMBER, "per resident"), None, id="per_words_without_a_number"),
    ],
)
def test_the_multiplier_follows_the_unit(fmt, expected):
    assert fraction_multiplier(fmt) == expected


@pytest.mark.parametrize(
    ("numerator", "denominator", "fmt", "decimals", "expected"),
    [
        pytest.param("870", "1000", unit(Unit.PERCENT), 1, "87.0", id="870_of_1000_is_87pc"),
        pytest.param("2", "3", unit(Unit.PERCENT), 2, "66.67", id="rounded_as_printed"),
        pytest.param("1", "8", unit(Unit.PERCENT), 1, "12.5", id="half_up_not_bankers"),
        pytest.param(
            "37", "120000", unit(Unit.NUMBER, "per 10,000"), 1, "3.1", id="rate_per_10000"
        ),
        pytest.param("45", "9", unit(Unit.NUMBER), 0, "5", id="an_average"),
        pytest.param("5", "0", unit(Unit.PERCENT), 1, None, id="no_value_over_0"),
        pytest.param("5", "10", unit(Unit.COUNT), 0, None, id="no_value_for_a_count"),
    ],
)
def test_the_value_is_worked_out_from_the_counts(numerator, denominator, fmt, decimals, expected):
    worked = value_from_fraction(Decimal(numerator), Decimal(denominator), fmt, decimals)
    assert worked == (None if expected is None else Decimal(expected))
    if expected is not None:
        assert str(worked) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("80", "87.0", id="80_beside_870_of_1000_disagrees"),
        pytest.param("87", None, id="the_same_value_agrees"),
        pytest.param("87.04", None, id="within_the_printed_place_agrees"),
        pytest.param("87.05", None, id="exactly_half_a_place_agrees"),
        pytest.param("87.06", "87.0", id="beyond_half_a_place_disagrees"),
        pytest.param("8.7", "87.0", id="a_tenth_of_it_disagrees"),
    ],
)
def test_a_value_that_disagrees_with_its_counts_is_found(value, expected):
    found = disagreement(Decimal(value), Decimal(870), Decimal(1000), unit(Unit.PERCENT), 1)
    assert found == (None if expected is None else Decimal(expected))


def test_counts_that_make_no_value_never_disagree():
    assert disagreement(Decimal(3), Decimal(870), Decimal(1000), unit(Unit.COUNT), 0) is None
