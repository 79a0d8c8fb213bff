"""Figures withheld as published ("c", "fewer than 10"): read by one reader,
shown as printed, never rated, compared, or replaced by the figure before."""

from dataclasses import replace
from decimal import Decimal

import pytest

from perfreport.core.benchmarking import parse_published_number
from perfreport.core.evaluation import evaluate_indicator
from perfreport.core.indicator import IndicatorSpec, Point
from perfreport.core.periods import Frequency, parse_period
from perfreport.core.quality import FindingCode, SeriesFacts, check_evaluations
from perfreport.core.rating import Polarity, RatingBasis
from perfreport.core.targets import TargetEntry
from perfreport.core.units import Unit, UnitFormat, parse_unit_label
from perfreport.core.withheld import Withheld, value_of, withheld_text

Q2 = parse_period("2020/21 Q2")
CHILDREN = IndicatorSpec(
    ref="CS1",
    title="Children adopted within 12 months",
    unit=Unit.COUNT,
    polarity=Polarity.HIGHER,
    frequency=Frequency.QUARTERLY,
    rating_basis=RatingBasis.TARGETED,
    decimals=0,
)
TARGET = [TargetEntry(parse_period("2020/21"), Decimal("20"))]


def values(*pairs: tuple[str, str]) -> list[Point]:
    return [Point(parse_period(p), Decimal(v)) for p, v in pairs]


def withheld(period: str, printed: str = "c") -> Withheld:
    return Withheld(parse_period(period), printed)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("c", id="c"),
        pytest.param("C", id="capital_c"),
        pytest.param("[c]", id="bracketed_c"),
        pytest.param("x", id="x"),
        pytest.param("*", id="star"),
        pytest.param("..", id="two_dots"),
        pytest.param("suppressed", id="in_words"),
        pytest.param("fewer than 10", id="fewer_than"),
        pytest.param("Less than 5", id="less_than"),
        pytest.param("<5", id="bound"),
        pytest.param("< 1,000", id="bound_with_separator"),
    ],
)
def test_a_withheld_mark_is_kept_as_printed(text: str) -> None:
    assert withheld_text(f"  {text} ") == text


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("12", id="a_number"),
        pytest.param("", id="empty"),
        pytest.param("-", id="a_dash_is_not_withheld"),
        pytest.param("n/a", id="not_available_is_not_withheld"),
        pytest.param("fewer than", id="no_bound"),
        pytest.param("<5%", id="bound_with_a_sign"),
    ],
)
def test_other_text_is_not_withheld(text: str) -> None:
    assert withheld_text(text) is None


@pytest.mark.parametrize("text", ["c", "[c]", "fewer than 10", "<5", "*"])
def test_national_data_reads_the_same_marks_as_missing(text: str) -> None:
    assert parse_published_number(text) is None


def test_a_withheld_current_figure_is_shown_as_printed_and_not_rated() -> None:
    """GIVEN 12 adoptions in Q1 and "c" published for Q2
    WHEN Q2 is evaluated
    THEN the current figure is the withheld one, with no rating and no change,
    and Q1's 12 is the previous figure, not shown in Q2's place."""
    e = evaluate_indicator(
        CHILDREN, Q2, values(("2020/21 Q1", "12")), TARGET, withheld=[withheld("2020/21 Q2")]
    )
    assert e.current == withheld("2020/21 Q2")
    assert e.shown(e.current) == "c"
    assert value_of(e.current) is None
    assert e.rating is None
    assert e.gap is None
    assert e.change is None
    assert e.no_change == "Not compared: withheld"
    assert e.explanation == 'Withheld as published ("c"): not rated.'
    assert e.shown(e.previous) == "12"
    assert e.target is not None  # the target still applies to the period, and is shown


def test_a_withheld_figure_is_not_rated_even_when_contextual() -> None:
    spec = replace(CHILDREN, rating_basis=RatingBasis.CONTEXTUAL)
    e = evaluate_indicator(spec, Q2, [], withheld=[withheld("2020/21 Q2", "fewer than 10")])
    assert e.rating is None
    assert e.explanation == 'Withheld as published ("fewer than 10"): not rated.'


def test_a_withheld_previous_figure_gives_no_change() -> None:
    e = evaluate_indicator(
        CHILDREN,
        Q2,
        values(("2019/20 Q2", "9"), ("2020/21 Q2", "14")),
        TARGET,
        withheld=[withheld("2020/21 Q1", "x")],
    )
    assert e.shown(e.previous) == "x"
    assert e.change is None
    assert e.change_on_year is not None  # against last year's 9, a number
    assert e.rating is not None


def test_a_withheld_figure_last_year_gives_no_change_on_the_year() -> None:
    e = evaluate_indicator(
        CHILDREN,
        Q2,
        values(("2020/21 Q1", "12"), ("2020/21 Q2", "14")),
        TARGET,
        withheld=[withheld("2019/20 Q2")],
    )
    assert e.shown(e.last_year) == "c"
    assert e.change_on_year is None


def test_a_withheld_figure_after_the_report_period_is_not_current() -> None:
    e = evaluate_indicator(
        CHILDREN, Q2, values(("2020/21 Q2", "14")), TARGET, withheld=[withheld("2020/21 Q3")]
    )
    assert value_of(e.current) == Decimal("14")


def test_check_does_not_report_a_withheld_figure_as_missing_or_unrated() -> None:
    e = evaluate_indicator(CHILDREN, Q2, [], [], withheld=[withheld("2020/21 Q2")])
    facts = {"CS1": SeriesFacts()}
    codes = [f.code for f in check_evaluations([e], facts)]
    assert FindingCode.VALUE_MISSING not in codes
    assert FindingCode.TARGET_MISSING not in codes
    assert codes == []


def test_a_stale_withheld_figure_is_still_reported_as_stale() -> None:
    e = evaluate_indicator(CHILDREN, Q2, [], TARGET, withheld=[withheld("2019/20 Q4")])
    assert [f.code for f in check_evaluations([e])] == [FindingCode.VALUE_STALE]


def test_the_explanation_and_the_figures_carry_the_unit_label() -> None:
    spend = replace(
        CHILDREN,
        ref="F1",
        unit=Unit.CURRENCY,
        decimals=1,
        unit_label=parse_unit_label("£m", Unit.CURRENCY),
        rating_basis=RatingBasis.CONTEXTUAL,
    )
    e = evaluate_indicator(spend, Q2, values(("2020/21 Q1", "4.1"), ("2020/21 Q2", "4.2")))
    assert spend.unit_format == UnitFormat(Unit.CURRENCY, spend.unit_label)
    assert e.shown(e.current) == "£4.2m"
    assert e.show(Decimal("4.1")) == "£4.1m"
