"""Evaluating one indicator for one reporting period."""

from dataclasses import replace
from decimal import Decimal

import pytest

from perfreport.core.change import Change
from perfreport.core.evaluation import Evaluation, evaluate_indicator, expected_period
from perfreport.core.indicator import Aggregation, IndicatorSpec, Point
from perfreport.core.periods import Frequency, Period, parse_period
from perfreport.core.rating import Polarity, Rating, RatingBasis
from perfreport.core.targets import TargetBasis, TargetEntry, TargetKind
from perfreport.core.units import Unit

Q2 = parse_period("2020/21 Q2")

BROADBAND = IndicatorSpec(
    ref="180",
    title="Premises with access to superfast broadband",
    unit=Unit.PERCENT,
    polarity=Polarity.HIGHER,
    frequency=Frequency.QUARTERLY,
    rating_basis=RatingBasis.TARGETED,
    decimals=2,
)
BROADBAND_MILESTONES = [
    TargetEntry(parse_period("2019-12"), Decimal("97"), TargetKind.MILESTONE),
    TargetEntry(parse_period("2020-12"), Decimal("99"), TargetKind.MILESTONE),
]
MONTHLY = IndicatorSpec(
    ref="190",
    title="Calls answered within 60 seconds",
    unit=Unit.PERCENT,
    polarity=Polarity.HIGHER,
    frequency=Frequency.MONTHLY,
    rating_basis=RatingBasis.TARGETED,
    decimals=1,
)
ANNUAL = IndicatorSpec(
    ref="196",
    title="Better Connected rating",
    unit=Unit.STARS,
    polarity=Polarity.HIGHER,
    frequency=Frequency.ANNUAL,
    rating_basis=RatingBasis.CONTEXTUAL,
    decimals=0,
)
CUMULATIVE = IndicatorSpec(
    ref="200",
    title="Residents helped",
    unit=Unit.COUNT,
    polarity=Polarity.HIGHER,
    frequency=Frequency.MONTHLY,
    rating_basis=RatingBasis.TARGETED,
    decimals=0,
    aggregation=Aggregation.CUMULATIVE,
)


def points(*pairs: tuple[str, str]) -> list[Point]:
    return [Point(parse_period(period), Decimal(value)) for period, value in pairs]


def target(period: str, value: str) -> TargetEntry:
    return TargetEntry(parse_period(period), Decimal(value))


def label(point: Point | None) -> str | None:
    return None if point is None else point.period.label


# -- which values ----------------------------------------------------------------------------


def test_it_uses_the_latest_value_at_or_before_the_report_period() -> None:
    history = points(
        ("2019-09", "71.0"),
        ("2020-07", "80.0"),
        ("2020-08", "81.0"),
        ("2020-09", "82.0"),
        ("2020-10", "99.0"),
    )
    e = evaluate_indicator(MONTHLY, Q2, history, [target("2020/21", "80")])
    assert label(e.current) == "2020-09"
    assert label(e.previous) == "2020-08"
    assert label(e.last_year) == "2019-09"
    assert e.current is not None
    assert e.current.value == Decimal("82.0")


def test_a_value_after_the_report_period_is_ignored() -> None:
    e = evaluate_indicator(MONTHLY, Q2, points(("2020-08", "81"), ("2020-10", "99")))
    assert label(e.current) == "2020-08"


def test_an_annual_value_is_used_until_a_year_that_has_ended() -> None:
    history = points(("2018/19", "2"), ("2019/20", "3"), ("2020/21", "4"))
    e = evaluate_indicator(ANNUAL, Q2, history)
    # 2020/21 ends in March 2021, after 2020/21 Q2: last year's survey is current.
    assert label(e.current) == "2019/20"
    assert label(e.previous) == "2018/19"
    assert label(e.last_year) == "2018/19"
    at_year_end = evaluate_indicator(ANNUAL, parse_period("2020/21"), history)
    assert label(at_year_end.current) == "2020/21"


def test_there_is_no_previous_or_last_year_value_without_history() -> None:
    e = evaluate_indicator(MONTHLY, Q2, points(("2020-09", "82")), [target("2020/21", "80")])
    assert e.previous is None
    assert e.last_year is None
    assert e.change is None
    assert e.change_on_year is None


def test_last_year_is_the_same_period_a_year_earlier_not_just_an_older_value() -> None:
    e = evaluate_indicator(MONTHLY, Q2, points(("2019-08", "70"), ("2020-09", "82")))
    assert label(e.previous) == "2019-08"
    assert e.last_year is None


def test_change_compares_with_the_previous_value_and_with_last_year() -> None:
    history = points(("2019/20 Q2", "98.00"), ("2020/21 Q1", "97.70"), ("2020/21 Q2", "97.83"))
    e = evaluate_indicator(BROADBAND, Q2, history, BROADBAND_MILESTONES)
    assert e.change is Change.IMPROVING
    assert e.change_on_year is Change.DECLINING


# -- ratings and explanations ----------------------------------------------------------------


def test_the_seeds_broadband_figure_is_amber_against_the_interpolated_target() -> None:
    history = points(("2019/20 Q4", "97.66"), ("2020/21 Q1", "97.70"), ("2020/21 Q2", "97.83"))
    e = evaluate_indicator(BROADBAND, Q2, history, BROADBAND_MILESTONES, stated_rating=Rating.AMBER)
    assert e.target is not None
    assert e.target.value == Decimal("98.50")
    assert e.target.basis is TargetBasis.INTERPOLATED
    assert e.rating is Rating.AMBER
    assert not e.rating_differs
    assert e.gap is not None
    assert Decimal("-0.69") < e.gap < Decimal("-0.68")  # -0.67 / 98.5 * 100
    assert e.explanation == (
        "97.83% is 0.67 percentage points (0.7%) below the 98.50% target: Amber (off target by 10% or less). "
        "The target is interpolated between the milestones 97.00% by the end of "
        "December 2019 and 99.00% by the end of December 2020."
    )


def test_the_explanation_names_a_single_milestone() -> None:
    e = evaluate_indicator(
        BROADBAND, parse_period("2021/22 Q1"), points(("2021/22 Q1", "99.10")), BROADBAND_MILESTONES
    )
    assert e.rating is Rating.GREEN
    assert e.explanation.endswith(
        ": Green (on target, up to 5% over). "
        "The target is the milestone 99.00% by the end of December 2020."
    )


def test_the_explanation_shows_a_pro_rata_target() -> None:
    e = evaluate_indicator(CUMULATIVE, Q2, points(("2020-09", "650")), [target("2020/21", "1200")])
    assert e.target is not None
    assert e.target.value == Decimal("600")
    assert e.rating is Rating.BLUE
    assert e.explanation == (
        "650 is 8.3% above the 600 target: Blue (exceeds target by more than 5%). "
        "The target is pro rata: 6/12 of the 2020/21 target of 1,200."
    )


def test_the_explanation_names_the_containing_period_of_the_target() -> None:
    e = evaluate_indicator(MONTHLY, Q2, points(("2020-09", "85.0")), [target("2020/21", "90")])
    assert e.explanation == (
        "85.0% is 5.0 percentage points (5.6%) below the 90.0% target: Amber (off target by 10% or less). "
        "The target is the one set for 2020/21."
    )


def test_the_explanation_says_when_an_earlier_target_still_applies() -> None:
    e = evaluate_indicator(MONTHLY, Q2, points(("2020-09", "95.0")), [target("2019/20", "90")])
    assert e.target is not None
    assert e.target.basis is TargetBasis.CARRIED
    assert e.explanation.endswith("The target set for 2019/20 still applies.")


def test_a_target_set_for_the_period_needs_no_note() -> None:
    e = evaluate_indicator(MONTHLY, Q2, points(("2020-09", "70.0")), [target("2020-09", "90")])
    assert e.rating is Rating.RED
    assert e.explanation == (
        "70.0% is 20.0 percentage points (22.2%) below the 90.0% target: Red (off target by more than 10%)."
    )


def test_the_target_is_the_one_for_the_values_period_not_the_reports() -> None:
    # An annual figure for 2019/20 shown in a 2020/21 Q2 report is rated against 2019/20's target.
    spec = replace(ANNUAL, rating_basis=RatingBasis.TARGETED)
    entries = [target("2019/20", "3"), target("2020/21", "4")]
    e = evaluate_indicator(spec, Q2, points(("2019/20", "3")), entries)
    assert e.target is not None
    assert e.target.value == Decimal("3")
    assert e.rating is Rating.GREEN


@pytest.mark.parametrize(
    ("basis", "rating", "meaning"),
    [
        pytest.param(
            RatingBasis.BASELINE,
            Rating.BASELINE,
            "performance is being tracked in order to inform the target setting process",
            id="baseline",
        ),
        pytest.param(
            RatingBasis.CONTEXTUAL,
            Rating.CONTEXTUAL,
            "tracks key activity where a target has not been deemed pertinent by the service lead",
            id="contextual",
        ),
    ],
)
def test_untargeted_indicators_take_their_basis_as_rating(
    basis: RatingBasis, rating: Rating, meaning: str
) -> None:
    spec = replace(MONTHLY, rating_basis=basis)
    e = evaluate_indicator(spec, Q2, points(("2020-09", "50")), [target("2020/21", "90")])
    assert e.rating is rating
    assert e.gap is None
    assert e.target is None
    assert e.explanation == f"{rating.label}: {meaning}; no target applies."


def test_no_value_means_no_rating() -> None:
    e = evaluate_indicator(MONTHLY, Q2, points(("2020-10", "82")), [target("2020/21", "80")])
    assert e.current is None
    assert e.rating is None
    assert e.gap is None
    assert e.target is None
    assert e.change is None
    assert e.explanation == "No value at or before 2020/21 Q2, so no rating."


def test_a_targeted_indicator_without_a_target_has_no_rating() -> None:
    e = evaluate_indicator(MONTHLY, Q2, points(("2020-09", "82")))
    assert e.target is None
    assert e.rating is None
    assert e.explanation == "No target applies to 2020-09, so no rating."


def test_a_stated_rating_is_kept_beside_the_computed_one() -> None:
    e = evaluate_indicator(
        MONTHLY,
        Q2,
        points(("2020-09", "85.0")),
        [target("2020/21", "90")],
        stated_rating=Rating.GREEN,
        commentary="Improving steadily.",
        actions="Recruit two advisers.",
    )
    assert e.rating is Rating.AMBER
    assert e.stated_rating is Rating.GREEN
    assert e.rating_differs
    assert (e.commentary, e.actions) == ("Improving steadily.", "Recruit two advisers.")


def test_targets_may_be_a_one_shot_iterable() -> None:
    e = evaluate_indicator(
        BROADBAND, Q2, points(("2020/21 Q2", "97.83")), (t for t in BROADBAND_MILESTONES)
    )
    assert e.target is not None
    assert e.target.value == Decimal("98.50")


def test_show_prints_a_value_in_the_indicators_unit() -> None:
    e = evaluate_indicator(BROADBAND, Q2, [], BROADBAND_MILESTONES)
    assert e.show(Decimal("97.8")) == "97.80%"
    assert e.show(None) == ""


# -- expected period and staleness --------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "report", "expected"),
    [
        pytest.param(MONTHLY, "2020/21 Q2", "2020-09", id="monthly_in_a_quarter"),
        pytest.param(replace(MONTHLY, lag=1), "2020/21 Q2", "2020-08", id="monthly_lag_1"),
        pytest.param(replace(MONTHLY, lag=3), "2020/21 Q2", "2020-06", id="monthly_lag_3"),
        pytest.param(BROADBAND, "2020/21 Q2", "2020/21 Q2", id="quarterly_in_its_quarter"),
        pytest.param(BROADBAND, "2020-08", "2020/21 Q1", id="quarterly_mid_quarter"),
        pytest.param(BROADBAND, "2020-09", "2020/21 Q2", id="quarterly_at_quarter_end"),
        pytest.param(ANNUAL, "2020/21 Q2", "2019/20", id="annual_mid_year"),
        pytest.param(ANNUAL, "2020/21 Q4", "2020/21", id="annual_at_year_end"),
        pytest.param(MONTHLY, "2020/21", "2021-03", id="monthly_in_a_year"),
    ],
)
def test_expected_period(spec: IndicatorSpec, report: str, expected: str) -> None:
    assert expected_period(spec, parse_period(report)).label == expected


def test_expected_period_follows_the_reports_financial_year() -> None:
    report = parse_period("2020 Q3", fy_start_month=1)
    assert expected_period(ANNUAL, report) == Period.year(2019, fy_start_month=1)


@pytest.mark.parametrize(
    ("spec", "latest", "stale"),
    [
        pytest.param(MONTHLY, "2020-06", True, id="june_is_stale_in_q2"),
        pytest.param(MONTHLY, "2020-08", True, id="august_is_stale_without_lag"),
        pytest.param(MONTHLY, "2020-09", False, id="september_is_fresh"),
        pytest.param(replace(MONTHLY, lag=1), "2020-08", False, id="lag_1_makes_august_fresh"),
        pytest.param(replace(MONTHLY, lag=1), "2020-07", True, id="lag_1_july_is_stale"),
        pytest.param(ANNUAL, "2019/20", False, id="last_years_survey_is_fresh"),
        pytest.param(ANNUAL, "2018/19", True, id="two_years_ago_is_stale"),
    ],
)
def test_is_stale(spec: IndicatorSpec, latest: str, stale: bool) -> None:
    e = evaluate_indicator(spec, Q2, points((latest, "1")))
    assert e.is_stale is stale


def test_a_missing_value_is_not_also_stale() -> None:
    e: Evaluation = evaluate_indicator(MONTHLY, Q2, [])
    assert e.expected.label == "2020-09"
    assert not e.is_stale


# -- indicator spec --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decimals", "lag", "message"),
    [
        pytest.param(7, 0, "decimals must be 0 to 6", id="too_many_decimals"),
        pytest.param(-1, 0, "decimals must be 0 to 6", id="negative_decimals"),
        pytest.param(1, -1, "lag must be 0 or more", id="negative_lag"),
    ],
)
def test_an_indicator_spec_refuses_bad_settings(decimals: int, lag: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        replace(MONTHLY, decimals=decimals, lag=lag)


def test_only_a_cumulative_aggregation_is_cumulative() -> None:
    assert CUMULATIVE.cumulative
    assert not MONTHLY.cumulative
    assert not replace(MONTHLY, aggregation=Aggregation.AVERAGE).cumulative


def test_a_value_is_rated_as_published_at_the_indicators_decimals() -> None:
    # 80.996 is 10.004% below 90, but the report shows 81.00, exactly 10% below: Amber,
    # so that a reader can check the rating from the printed figures.
    spec = IndicatorSpec(
        "R1", "Rounded", Unit.PERCENT, Polarity.HIGHER, Frequency.MONTHLY,
        RatingBasis.TARGETED, decimals=2,
    )  # fmt: skip
    month = parse_period("2020-09")
    points = [Point(month, Decimal("80.996"))]

    result = evaluate_indicator(spec, month, points, [TargetEntry(month, Decimal("90"))])

    assert result.rating is Rating.AMBER
    assert result.explanation.startswith(
        "81.00% is 9.00 percentage points (10.0%) below the 90.00% target: Amber"
    )


@pytest.mark.parametrize("basis", [RatingBasis.BASELINE, RatingBasis.CONTEXTUAL])
def test_a_baseline_or_contextual_indicator_with_no_value_has_no_rating(basis: RatingBasis) -> None:
    spec = IndicatorSpec("C1", "No data yet", Unit.COUNT, Polarity.HIGHER, Frequency.MONTHLY, basis)

    result = evaluate_indicator(spec, parse_period("2020-09"), [])

    assert result.rating is None
    assert result.explanation == "No value at or before 2020-09, so no rating."
