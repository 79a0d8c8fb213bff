"""Unit labels as councils print them: "£4.2m", "4.2 days", "12.3 per 10,000";
and the unit rule when a value is read."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfreport.core.numbers import CellError, UnitRuleError, read_number
from perfreport.core.units import (
    NO_LABEL,
    Scale,
    Unit,
    UnitFormat,
    affixes,
    describe_unit,
    format_difference,
    format_value,
    parse_unit_label,
)


def shown(unit: Unit, label: str) -> UnitFormat:
    return UnitFormat(unit, parse_unit_label(label, unit))


@pytest.mark.parametrize(
    ("unit", "label", "value", "decimals", "expected"),
    [
        pytest.param(Unit.CURRENCY, "£m", "4.2", 1, "£4.2m", id="money_in_millions"),
        pytest.param(Unit.CURRENCY, "m", "4.2", 1, "£4.2m", id="money_in_millions_without_sign"),
        pytest.param(Unit.CURRENCY, "£m", "-4.25", 1, "-£4.3m", id="negative_millions_round_up"),
        pytest.param(Unit.CURRENCY, "£k", "350", 0, "£350k", id="money_in_thousands"),
        pytest.param(Unit.CURRENCY, "£bn", "1.2", 1, "£1.2bn", id="money_in_billions"),
        pytest.param(Unit.CURRENCY, "£ per head", "12.3", 2, "£12.30 per head", id="per_head"),
        pytest.param(Unit.NUMBER, "days", "4.2", 1, "4.2 days", id="days"),
        pytest.param(Unit.NUMBER, "per 10,000", "12.34", 1, "12.3 per 10,000", id="rate"),
        pytest.param(Unit.NUMBER, "km", "4", 0, "4 km", id="km_is_a_word_not_a_scale"),
        pytest.param(Unit.COUNT, "k visits", "1234.5", 1, "1,234.5k visits", id="scale_and_words"),
        pytest.param(Unit.COUNT, "m", "1.5", 1, "1.5m", id="count_in_millions"),
        pytest.param(Unit.PERCENT, "of pupils", "85", 0, "85% of pupils", id="percent_words"),
        pytest.param(Unit.PERCENT, "", "85", 0, "85%", id="no_label_as_before"),
    ],
)
def test_a_label_prints_around_the_number(
    unit: Unit, label: str, value: str, decimals: int, expected: str
) -> None:
    assert format_value(Decimal(value), shown(unit, label), decimals) == expected


@pytest.mark.parametrize(
    ("unit", "label", "expected"),
    [
        pytest.param(Unit.CURRENCY, "£m", "£0.5m", id="money_keeps_its_scale"),
        pytest.param(Unit.NUMBER, "days", "0.5 days", id="days"),
        pytest.param(Unit.PERCENT, "of pupils", "0.5 percentage points", id="percent_points"),
    ],
)
def test_a_difference_is_in_the_labelled_unit(unit: Unit, label: str, expected: str) -> None:
    assert format_difference(Decimal("0.5"), shown(unit, label), 1) == expected


@pytest.mark.parametrize(
    ("text", "unit", "scale", "words"),
    [
        pytest.param("£m", Unit.CURRENCY, Scale.MILLIONS, "", id="pound_millions"),
        pytest.param("  £   m ", Unit.CURRENCY, Scale.MILLIONS, "", id="spaces_are_trimmed"),
        pytest.param("bn", Unit.COUNT, Scale.BILLIONS, "", id="billions"),
        pytest.param("m visits", Unit.COUNT, Scale.MILLIONS, "visits", id="scale_then_words"),
        pytest.param("million", Unit.NUMBER, Scale.NONE, "million", id="a_word_starting_with_m"),
        pytest.param("per 10,000", Unit.NUMBER, Scale.NONE, "per 10,000", id="words"),
    ],
)
def test_the_label_grammar(text: str, unit: Unit, scale: Scale, words: str) -> None:
    label = parse_unit_label(text, unit)
    assert (label.scale, label.words) == (scale, words)


def test_an_empty_label_is_no_label() -> None:
    assert parse_unit_label("  ", Unit.NUMBER) is NO_LABEL


@pytest.mark.parametrize(
    ("text", "unit", "message"),
    [
        pytest.param("£m", Unit.NUMBER, "starts with £", id="pound_on_a_number"),
        pytest.param("m", Unit.PERCENT, "which percent cannot take", id="scale_on_percent"),
        pytest.param("k", Unit.STARS, "which stars cannot take", id="scale_on_stars"),
        pytest.param("gold", Unit.STARS, "stars print as stars", id="words_on_stars"),
        pytest.param("% of pupils", Unit.PERCENT, "a sign a label cannot carry", id="percent_sign"),
        pytest.param("<5", Unit.NUMBER, "a sign a label cannot carry", id="a_bound"),
        pytest.param("x" * 41, Unit.NUMBER, "longer than 40", id="too_long"),
    ],
)
def test_a_label_that_breaks_a_rule_is_refused(text: str, unit: Unit, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_unit_label(text, unit)


@pytest.mark.parametrize(
    ("unit", "label", "expected"),
    [
        pytest.param(Unit.PERCENT, "", "percentages (%)", id="percent"),
        pytest.param(Unit.CURRENCY, "£m", "millions of pounds (£m)", id="pound_millions"),
        pytest.param(Unit.NUMBER, "days", "days", id="days"),
        pytest.param(Unit.NUMBER, "per 10,000", "numbers per 10,000", id="rate"),
        pytest.param(Unit.COUNT, "k visits", "thousands of visits (k visits)", id="scaled"),
    ],
)
def test_describe_unit_names_the_unit_for_messages(unit: Unit, label: str, expected: str) -> None:
    assert describe_unit(shown(unit, label)) == expected


def test_affixes_are_what_a_chart_tick_carries() -> None:
    assert affixes(shown(Unit.CURRENCY, "£m")) == ("£", "m")
    assert affixes(shown(Unit.NUMBER, "days")) == ("", " days")
    assert affixes(shown(Unit.NUMBER, "days"), words=False) == ("", "")
    assert affixes(Unit.PERCENT) == ("", "%")


# -- reading a value in its unit ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "label", "expected"),
    [
        pytest.param("£4.2m", Unit.CURRENCY, "£m", "4.2", id="money_as_printed"),
        pytest.param("4.2m", Unit.CURRENCY, "£m", "4.2", id="scale_without_pound"),
        pytest.param("4.2 M", Unit.CURRENCY, "£m", "4.2", id="scale_in_capitals"),
        pytest.param("-£4.2m", Unit.CURRENCY, "£m", "-4.2", id="negative_money"),
        pytest.param("4.2", Unit.CURRENCY, "£m", "4.2", id="bare_number"),
        pytest.param("4.2 days", Unit.NUMBER, "days", "4.2", id="with_the_words"),
        pytest.param("4.2 Days", Unit.NUMBER, "days", "4.2", id="words_any_case"),
        pytest.param("85%", Unit.PERCENT, "", "85", id="percent_as_today"),
        pytest.param("£1,200", Unit.CURRENCY, "", "1200", id="pounds_as_today"),
    ],
)
def test_a_value_that_fits_its_unit_is_read(
    text: str, unit: Unit, label: str, expected: str
) -> None:
    assert read_number(text, shown(unit, label)) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "unit", "label", "sign", "measured_in"),
    [
        pytest.param("85%", Unit.NUMBER, "days", "%", "days", id="percent_on_days"),
        pytest.param("£85", Unit.PERCENT, "", "£", "percentages (%)", id="pound_on_percent"),
        pytest.param(
            "£4.2k", Unit.CURRENCY, "£m", "k", "millions of pounds (£m)", id="wrong_scale"
        ),
        pytest.param("4.2m", Unit.COUNT, "", "m", "counts", id="scale_on_unlabelled"),
        pytest.param("12%", Unit.CURRENCY, "", "%", "pounds (£)", id="percent_on_money"),
    ],
)
def test_a_sign_that_does_not_fit_names_the_unit_rule(
    text: str, unit: Unit, label: str, sign: str, measured_in: str
) -> None:
    with pytest.raises(UnitRuleError) as raised:
        read_number(text, shown(unit, label))
    assert raised.value.sign == sign
    assert str(raised.value) == f"is measured in {measured_in}: a value cannot carry {sign!r}"


def test_a_unit_given_by_name_reads_as_before() -> None:
    assert read_number("97.83%", "percent") == Decimal("97.83")
    with pytest.raises(CellError, match="is not a number"):
        read_number("c", "number")


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2),
    st.sampled_from([(Unit.CURRENCY, "£m"), (Unit.NUMBER, "days"), (Unit.COUNT, "k visits")]),
)
def test_what_is_printed_reads_back_as_the_same_number(
    value: Decimal, unit_and_label: tuple[Unit, str]
) -> None:
    fmt = shown(*unit_and_label)
    assert read_number(format_value(value, fmt, 2), fmt) == value
