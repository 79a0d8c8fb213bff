"""Targets by rule: rated by the scheme against the figure the rule gives."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfreport.core.evaluation import evaluate_indicator
from perfreport.core.indicator import IndicatorSpec, Point
from perfreport.core.periods import Frequency, parse_period
from perfreport.core.rating import MET, SEED, Polarity, Rating, RatingBasis
from perfreport.core.targets import Reference, TargetBasis, TargetEntry, TargetRule
from perfreport.core.units import Unit

Q2 = parse_period("2020/21 Q2")


def spec(rule: TargetRule, polarity: Polarity = Polarity.HIGHER, scheme=SEED) -> IndicatorSpec:
    return IndicatorSpec(
        "R1", "By rule", Unit.PERCENT, polarity, Frequency.QUARTERLY, RatingBasis.TARGETED,
        target_rule=rule, scheme=scheme,
    )  # fmt: skip


def points(*pairs: tuple[str, str]) -> list[Point]:
    return [Point(parse_period(p), Decimal(v)) for p, v in pairs]


SERIES = points(("2019/20 Q2", "78.9"), ("2020/21 Q1", "82.0"), ("2020/21 Q2", "81.0"))


@pytest.mark.parametrize(
    ("rule", "polarity", "scheme", "rating", "target"),
    [
        pytest.param(TargetRule.LAST_YEAR, Polarity.HIGHER, SEED, Rating.GREEN, "78.9",
                     id="better_than_last_year_green"),
        pytest.param(TargetRule.LAST_YEAR, Polarity.LOWER, MET, Rating.RED, "78.9",
                     id="lower_is_better_worse_than_last_year_red"),
        pytest.param(TargetRule.PREVIOUS, Polarity.HIGHER, SEED, Rating.AMBER, "82.0",
                     id="worse_than_the_previous_quarter_amber"),
        pytest.param(TargetRule.PREVIOUS, Polarity.HIGHER, MET, Rating.RED, "82.0",
                     id="met_or_not_against_the_previous_quarter"),
    ],
)  # fmt: skip
def test_a_rule_rates_against_the_figure_it_gives(
    rule: TargetRule, polarity: Polarity, scheme, rating: Rating, target: str
) -> None:
    e = evaluate_indicator(spec(rule, polarity, scheme), Q2, SERIES)
    assert e.rating is rating
    assert e.target is not None and e.target.value == Decimal(target)
    assert e.target.basis is TargetBasis.RULE and e.target.rule is rule


def test_the_explanation_names_last_years_figure() -> None:
    e = evaluate_indicator(spec(TargetRule.LAST_YEAR), Q2, SERIES)
    assert e.explanation == (
        "81.0% is 2.1 percentage points (2.7%) above last year's 78.9% (Quarter 2 2019/20): "
        "Green (on target, up to 5% over). The target is better than the same period last year."
    )


def test_a_rule_ignores_targets_set_by_number() -> None:
    targets = [TargetEntry(parse_period("2020/21"), Decimal(99))]
    e = evaluate_indicator(spec(TargetRule.LAST_YEAR), Q2, SERIES, targets)
    assert e.target is not None and e.target.value == Decimal("78.9")


def test_no_figure_for_the_rule_means_no_rating_and_says_why() -> None:
    e = evaluate_indicator(spec(TargetRule.LAST_YEAR), Q2, SERIES[1:])
    assert e.rating is None and e.target is None
    assert e.explanation == (
        "The target is better than the same period last year, and there is no such figure "
        "for 2020/21 Q2, so no rating."
    )


@pytest.mark.parametrize(
    ("rule", "name"),
    [
        pytest.param(TargetRule.NATIONAL, "the England average of", id="national"),
        pytest.param(TargetRule.COMPARATOR, "the family group average of", id="comparator"),
        pytest.param(
            TargetRule.TOP_QUARTILE, "the family group top-quartile threshold of", id="quartile"
        ),
    ],
)
def test_a_benchmark_rule_takes_the_reference_it_is_given(rule: TargetRule, name: str) -> None:
    reference = Reference(name, Decimal("80.96"), "2019/20")
    e = evaluate_indicator(spec(rule), Q2, SERIES, references={rule: reference})
    # The reference is rounded as printed (81.0), and 81.0% meets it exactly.
    assert e.target is not None and e.target.value == Decimal("81.0")
    assert e.rating is Rating.GREEN
    assert e.explanation.startswith(f"81.0% equals {name} 81.0% (2019/20) exactly: Green")


def test_a_benchmark_rule_without_its_benchmark_is_not_rated() -> None:
    e = evaluate_indicator(spec(TargetRule.NATIONAL), Q2, SERIES, references={})
    assert e.rating is None
    assert "at least the national (England) average" in e.explanation
