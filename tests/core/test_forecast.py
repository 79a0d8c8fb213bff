"""Forecast to target: projections, their intervals, the chance of meeting a target, run rates."""

import csv
import math
import warnings
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from perfreport.core.forecast import (
    HOLT_MIN_POINTS,
    MIN_POINTS,
    Method,
    ProjectedPoint,
    Projection,
    RunRateStatus,
    damped_holt_forecasts,
    describe_forecast,
    describe_projection,
    describe_run_rate,
    forecast_to_target,
    linear_forecasts,
    run_rate_needed,
)
from perfreport.core.rating import Polarity
from perfreport.core.units import Unit

EXAMPLE = Path(__file__).parents[2] / "examples" / "cambridgeshire-2020-21-q2"
PROPERTY = settings(max_examples=100, deadline=None)

# The seed's broadband figures (ref 180) from 2019/20 Q4 to 2020/21 Q2, after three quarters
# made up for the worked example, as docs/forecast.md shows it.
BROADBAND = [97.30, 97.42, 97.55, 97.66, 97.78, 97.83]
BROADBAND_SENTENCE = (
    "On the linear trend, 97.97% is projected for December 2020 (80% interval 97.92% to "
    "98.03%): less than a 1% chance of reaching the 99.00% target."
)


def rows_for(path: Path, ref: str) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [row for row in csv.DictReader(lines) if row["ref"] == ref]


def test_the_seed_broadband_indicator_has_too_few_values_for_a_forecast() -> None:
    """GIVEN the seed's broadband values (ref 180: three quarters to 2020/21 Q2) and its
    milestone of 99% by December 2020, one quarter on
    WHEN a forecast to the milestone is asked for
    THEN there is none: fewer than 6 values."""
    values = [Decimal(row["value"]) for row in rows_for(EXAMPLE / "values.csv", "180")]
    milestones = {row["period"]: row["target"] for row in rows_for(EXAMPLE / "targets.csv", "180")}
    assert values == [Decimal("97.66"), Decimal("97.78"), Decimal("97.83")]
    assert milestones["2020-12"] == "99"
    forecast = forecast_to_target(values, steps=1, target=Decimal(99), polarity=Polarity.HIGHER)
    assert len(values) < MIN_POINTS
    assert forecast is None


def test_the_linear_trend_matches_a_hand_calculation() -> None:
    """GIVEN six quarters of broadband values ending at 2020/21 Q2
    WHEN they are projected one quarter on to the 99% milestone
    THEN the linear trend is the least-squares line worked by hand, with its t interval; there is
    no damped Holt trend (it needs 10 values)."""
    forecast = forecast_to_target(BROADBAND, steps=1, target=Decimal(99), polarity=Polarity.HIGHER)
    assert forecast is not None
    # By hand: x = 0..5, mean x = 2.5, Sxx = 17.5; the line at x = 6.
    n, x_mean = 6, 2.5
    y_mean = sum(BROADBAND) / n
    sxy = sum((x - x_mean) * (y - y_mean) for x, y in enumerate(BROADBAND))
    slope = sxy / 17.5
    mean = y_mean + slope * (6 - x_mean)
    sse = sum((y - y_mean - slope * (x - x_mean)) ** 2 for x, y in enumerate(BROADBAND))
    se = math.sqrt(sse / (n - 2) * (1 + 1 / n + (6 - x_mean) ** 2 / 17.5))
    t_90_4df = 1.533206  # Student's t table: 90th percentile, 4 degrees of freedom
    assert round(mean, 3) == 97.974
    assert [p.method for p in forecast.projections] == [Method.LINEAR]
    point = forecast.projections[0].at_target
    assert point == ProjectedPoint(
        1,
        pytest.approx(mean),
        pytest.approx(mean - t_90_4df * se),
        pytest.approx(mean + t_90_4df * se),
    )
    assert forecast.projections[0].probability < 1e-4
    assert not forecast.projections[0].likely
    assert forecast.projection(Method.DAMPED_HOLT) is None


def test_the_worked_example_reads_as_in_the_docs() -> None:
    forecast = forecast_to_target(BROADBAND, steps=1, target=Decimal(99), polarity=Polarity.HIGHER)
    assert forecast is not None
    assert describe_forecast(forecast, Unit.PERCENT, 2, "December 2020") == BROADBAND_SENTENCE
    assert forecast.summary == (
        "On the linear trend, 98.0 is projected for the target date (80% interval 97.9 to 98.0): "
        "less than a 1% chance of reaching the 99.0 target."
    )
    docs = (EXAMPLE.parents[1] / "docs" / "forecast.md").read_text(encoding="utf-8")
    quoted = " ".join(line.removeprefix("> ") for line in docs.splitlines() if line.startswith(">"))
    assert BROADBAND_SENTENCE in quoted


def t4_cdf(t: float) -> float:
    """Student's t distribution function with 4 degrees of freedom, in closed form."""
    x = t / math.sqrt(4 + t * t)
    return 0.5 + 0.75 * x * (1 - x * x / 3)


@pytest.mark.parametrize(
    ("target", "polarity"),
    [
        pytest.param(12.5, Polarity.HIGHER, id="higher_target_just_above_the_trend"),
        pytest.param(11.5, Polarity.HIGHER, id="higher_target_just_below_the_trend"),
        pytest.param(12.5, Polarity.LOWER, id="lower_target_just_above_the_trend"),
    ],
)
def test_the_chance_of_meeting_the_target_is_from_the_t_distribution(
    target: float, polarity: Polarity
) -> None:
    values = [5.0, 6.5, 7.0, 8.6, 9.0, 10.2]  # rises about 1 a period, with noise
    forecast = forecast_to_target(
        values, steps=2, target=Decimal(str(target)), polarity=polarity, methods=["linear"]
    )
    assert forecast is not None
    projection = forecast.projections[0]
    slope = sum((x - 2.5) * (y - sum(values) / 6) for x, y in enumerate(values)) / 17.5
    mean = sum(values) / 6 + slope * (7 - 2.5)
    sse = sum((y - sum(values) / 6 - slope * (x - 2.5)) ** 2 for x, y in enumerate(values))
    se = math.sqrt(sse / 4 * (1 + 1 / 6 + 4.5**2 / 17.5))
    margin = mean - target if polarity is Polarity.HIGHER else target - mean
    assert [p.step for p in projection.path] == [1, 2]
    assert projection.at_target.mean == pytest.approx(mean)
    assert projection.probability == pytest.approx(t4_cdf(margin / se))
    assert 0.05 < projection.probability < 0.95


@pytest.mark.parametrize(
    ("values", "steps", "expected"),
    [
        pytest.param([1.0, 2, 3, 4, 5], 1, False, id="five_values"),
        pytest.param([1.0, 2, 3, 4, 5, 6], 1, True, id="six_values"),
        pytest.param([1.0, None, 3, 4, None, 6, 7, 8], 1, True, id="six_values_among_gaps"),
        pytest.param([1.0, None, 3, 4, None, 6, None, 8], 1, False, id="five_values_among_gaps"),
        pytest.param([1.0, 2, 3, 4, 5, 6], 0, False, id="target_date_already_reached"),
    ],
)
def test_a_forecast_needs_six_values_and_a_target_date_still_ahead(
    values: list[float | None], steps: int, expected: bool
) -> None:
    forecast = forecast_to_target(values, steps=steps, target=Decimal(10), polarity=Polarity.HIGHER)
    assert (forecast is not None) is expected


def test_gaps_keep_their_period_numbers_on_the_linear_trend() -> None:
    """GIVEN y = 2x + 1 for periods 0 to 7 with period 3 missing
    WHEN projected 2 periods on (period 9)
    THEN the line is exact: 19, with no spread, which meets a target of 19 and misses 19.5."""
    values = [2.0 * x + 1 if x != 3 else None for x in range(8)]
    meets = forecast_to_target(values, steps=2, target=Decimal(19), polarity=Polarity.HIGHER)
    misses = forecast_to_target(values, steps=2, target=Decimal("19.5"), polarity=Polarity.HIGHER)
    assert meets is not None and misses is not None
    point = meets.projections[0].at_target
    assert (point.mean, point.lower, point.upper) == pytest.approx((19, 19, 19))
    assert meets.projections[0].probability == 1.0
    assert misses.projections[0].probability == 0.0


def test_the_damped_holt_trend_needs_ten_consecutive_values() -> None:
    rng = np.random.default_rng(1)
    values: list[float | None] = list(50 + np.cumsum(rng.normal(0.5, 1, 12)))
    complete = forecast_to_target(values, steps=3, target=Decimal(60), polarity=Polarity.HIGHER)
    values[3] = None  # the latest unbroken run is now 8 values
    broken = forecast_to_target(values, steps=3, target=Decimal(60), polarity=Polarity.HIGHER)
    assert complete is not None and broken is not None
    assert [p.method for p in complete.projections] == [Method.LINEAR, Method.DAMPED_HOLT]
    assert complete.projections[1].points == 12
    assert [p.method for p in broken.projections] == [Method.LINEAR]
    assert HOLT_MIN_POINTS == 10


def test_a_missing_latest_value_lengthens_the_damped_holt_horizon() -> None:
    """GIVEN a series whose latest period has no value
    WHEN projected 2 periods on
    THEN the damped Holt trend is fitted to the values it has and projected 3 periods on."""
    rng = np.random.default_rng(2)
    values = 20 + np.cumsum(rng.normal(0.3, 1, 30))
    gap = damped_holt_forecasts(np.append(values, np.nan)[None, :], 2, 25.0, Polarity.HIGHER)
    whole = damped_holt_forecasts(values[None, :], 3, 25.0, Polarity.HIGHER)
    np.testing.assert_allclose(gap.mean[0], whole.mean[0, 1:])
    np.testing.assert_allclose(gap.upper[0], whole.upper[0, 1:])
    assert gap.probability[0] == pytest.approx(whole.probability[0])


def test_a_flat_series_is_projected_flat_and_quietly() -> None:
    """GIVEN twelve equal values, on which statsmodels' optimiser stops early and warns
    WHEN projected
    THEN no warning escapes, and a flat projection meets a target equal to it for certain."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        forecast = forecast_to_target(
            [5.0] * 12, steps=2, target=Decimal(5), polarity=Polarity.HIGHER
        )
    assert forecast is not None
    for projection in forecast.projections:
        assert projection.at_target.mean == pytest.approx(5)
        assert projection.at_target.upper - projection.at_target.lower == pytest.approx(0, abs=1e-6)
        assert projection.probability == 1.0
    batch = damped_holt_forecasts(np.full((1, 12), 5.0), 2, 5.0, Polarity.HIGHER)
    assert (batch.mean[0, 1], batch.probability[0]) == (5.0, 1.0)


def test_the_batch_linear_trend_is_the_one_at_a_time_trend() -> None:
    rng = np.random.default_rng(3)
    matrix = 100 + np.cumsum(rng.normal(0, 1, (40, 24)), axis=1)
    matrix[rng.random(matrix.shape) < 0.2] = np.nan
    steps = rng.integers(1, 6, 40)
    targets = matrix[:, 0] + rng.normal(0, 3, 40)
    targets[::7] = np.nan  # no target: no probability
    polarities = [Polarity.HIGHER if i % 3 else Polarity.LOWER for i in range(40)]
    batch = linear_forecasts(matrix, steps, targets, polarities)
    for row in range(40):
        one = forecast_to_target(
            [None if np.isnan(v) else float(v) for v in matrix[row]],
            steps=int(steps[row]),
            target=Decimal(0 if np.isnan(targets[row]) else repr(float(targets[row]))),
            polarity=polarities[row],
            methods=[Method.LINEAR],
        )
        projection = batch.projection(row)
        if one is None:
            assert projection is None and batch.points[row] == 0
            continue
        assert projection is not None
        assert projection.path == pytest.approx(one.projections[0].path)
        if np.isnan(targets[row]):
            assert projection.probability is None
        else:
            assert projection.probability == pytest.approx(one.projections[0].probability)


def series_for_comparison() -> list[np.ndarray]:
    """Random walks with drift, percentages creeping to a ceiling, and counts, 12 to 60 long."""
    rng = np.random.default_rng(2020)
    series = []
    for i in range(24):
        n = (12, 16, 24, 36, 60)[i % 5]
        if i % 3 == 0:
            noise = rng.normal(0, 2, n) * rng.uniform()
            series.append(50 + np.cumsum(rng.normal(rng.normal(0, 0.3), 1, n)) + noise)
        elif i % 3 == 1:
            ceiling = 99 - 5 * np.exp(-np.arange(n) / rng.uniform(5, 30))
            series.append(ceiling + rng.normal(0, 0.1, n))
        else:
            series.append(rng.poisson(np.maximum(200 + 3 * np.arange(n) * rng.normal(), 5)) * 1.0)
    return series


def statsmodels_sse(run: np.ndarray, fixed: dict[str, float] | None = None) -> float:
    model = ETSModel(pd.Series(run), error="add", trend="add", damped_trend=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if fixed is None:
            return float(model.fit(disp=False).sse)
        with model.fix_params(fixed):
            return float(model.fit(disp=False).sse)


def test_the_batch_damped_holt_fits_as_well_as_statsmodels_and_agrees_with_it() -> None:
    """GIVEN 24 series of 12 to 60 values of three kinds
    WHEN forecast by statsmodels one at a time (the reference) and by the batch all at once
    THEN at the batch's parameters statsmodels' own fit of the starting level and trend is never
    more than 1% worse (squared error) than its free fit; and where both
    reach the same fit (within 0.01%), the projections agree to 1% of the interval's width."""
    series = series_for_comparison()
    matrix = np.full((len(series), 60), np.nan)
    for row, values in enumerate(series):
        matrix[row, -len(values) :] = values
    targets = matrix[:, -1] + 1.0
    batch = damped_holt_forecasts(matrix, 4, targets, Polarity.HIGHER)
    agreeing = 0
    for row, values in enumerate(series):
        alpha, beta, phi = batch.parameters[row]
        fixed = {"smoothing_level": alpha, "smoothing_trend": beta, "damping_trend": phi}
        ratio = statsmodels_sse(values, fixed) / statsmodels_sse(values)
        assert ratio <= 1.01, f"series {row}: {ratio:.4f}"
        if abs(ratio - 1) > 1e-4:
            continue
        agreeing += 1
        reference = forecast_to_target(
            list(values),
            steps=4,
            target=Decimal(repr(float(targets[row]))),
            polarity=Polarity.HIGHER,
            methods=[Method.DAMPED_HOLT],
        )
        assert reference is not None
        ours, theirs = batch.projection(row), reference.projections[0]
        assert ours is not None and ours.points == theirs.points == len(values)
        width = theirs.at_target.upper - theirs.at_target.lower
        assert abs(ours.at_target.mean - theirs.at_target.mean) <= 0.01 * width
        assert abs(ours.at_target.upper - ours.at_target.lower - width) <= 0.01 * width
    assert agreeing >= 16


values_strategy = st.lists(
    st.floats(min_value=-1000, max_value=1000, allow_nan=False), min_size=6, max_size=15
)


@PROPERTY
@given(values_strategy, st.integers(min_value=1, max_value=8))
def test_the_interval_contains_the_projection(values: list[float], steps: int) -> None:
    forecast = forecast_to_target(
        values, steps=steps, target=Decimal(0), polarity=Polarity.HIGHER, methods=["linear"]
    )
    assert forecast is not None
    for point in forecast.projections[0].path:
        assert point.lower <= point.mean <= point.upper


@PROPERTY
@given(values_strategy, st.floats(-2000, 2000), st.floats(0, 500))
def test_a_higher_target_is_no_likelier_to_be_met(
    values: list[float], low: float, rise: float
) -> None:
    def chance(target: float, polarity: Polarity) -> float:
        forecast = forecast_to_target(
            values, steps=2, target=Decimal(repr(target)), polarity=polarity, methods=["linear"]
        )
        assert forecast is not None and forecast.projections[0].probability is not None
        return forecast.projections[0].probability

    high = low + rise
    assert chance(high, Polarity.HIGHER) <= chance(low, Polarity.HIGHER) + 1e-12
    assert chance(high, Polarity.LOWER) >= chance(low, Polarity.LOWER) - 1e-12


@PROPERTY
@given(values_strategy, st.floats(-2000, 2000), st.integers(min_value=1, max_value=8))
def test_lower_is_better_mirrors_higher_is_better(
    values: list[float], target: float, steps: int
) -> None:
    up = forecast_to_target(
        values,
        steps=steps,
        target=Decimal(repr(target)),
        polarity=Polarity.HIGHER,
        methods=["linear"],
    )
    down = forecast_to_target(
        [-v for v in values],
        steps=steps,
        target=Decimal(repr(-target)),
        polarity=Polarity.LOWER,
        methods=["linear"],
    )
    assert up is not None and down is not None
    a, b = up.projections[0], down.projections[0]
    assert a.probability == pytest.approx(b.probability, abs=1e-9)
    for p, q in zip(a.path, b.path, strict=True):
        assert (p.mean, p.lower, p.upper) == pytest.approx((-q.mean, -q.upper, -q.lower), abs=1e-6)


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_the_batch_damped_holt_contains_its_projection_and_mirrors_too(seed: int) -> None:
    rng = np.random.default_rng(seed)
    matrix = np.cumsum(rng.normal(0.2, 1, (3, 20)), axis=1)
    targets = matrix[:, -1] + rng.normal(0, 2, 3)
    up = damped_holt_forecasts(matrix, 3, targets, Polarity.HIGHER)
    down = damped_holt_forecasts(-matrix, 3, -targets, Polarity.LOWER)
    np.testing.assert_allclose(up.probability, down.probability, atol=1e-9)
    np.testing.assert_allclose(up.mean, -down.mean, atol=1e-9)
    np.testing.assert_allclose(up.parameters, down.parameters, atol=1e-12)
    assert (up.lower <= up.mean).all() and (up.mean <= up.upper).all()


def projection_with(probability: float | None) -> Projection:
    return Projection(
        Method.DAMPED_HOLT, (ProjectedPoint(1, 1200.0, 1100.0, 1300.0),), probability, 12
    )


@pytest.mark.parametrize(
    ("probability", "words"),
    [
        pytest.param(0.004, "less than a 1% chance", id="below_half_a_percent"),
        pytest.param(0.38, "a 38% chance", id="thirty_eight"),
        pytest.param(0.08, "an 8% chance", id="an_eight"),
        pytest.param(0.11, "an 11% chance", id="an_eleven"),
        pytest.param(0.18, "an 18% chance", id="an_eighteen"),
        pytest.param(0.805, "an 81% chance", id="eighty_one_rounded_half_up"),
        pytest.param(0.996, "more than a 99% chance", id="above_99_and_a_half"),
    ],
)
def test_the_chance_is_written_as_a_reader_says_it(probability: float, words: str) -> None:
    sentence = describe_projection(
        projection_with(probability), Decimal(1250), 0.8, Unit.COUNT, 0, "2020/21 Q4"
    )
    assert sentence == (
        "On the damped Holt trend, 1,200 is projected for 2020/21 Q4 (80% interval 1,100 to "
        f"1,300): {words} of reaching the 1,250 target."
    )


def test_a_projection_without_a_target_has_no_chance_to_state() -> None:
    sentence = describe_projection(projection_with(None), Decimal(0), 0.9, Unit.COUNT, 0)
    assert sentence == (
        "On the damped Holt trend, 1,200 is projected for the target date (90% interval 1,100 "
        "to 1,300)."
    )


@pytest.mark.parametrize("interval", [0, 1, 80, -0.2])
def test_an_interval_must_be_a_fraction(interval: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        forecast_to_target(
            BROADBAND, steps=1, target=Decimal(99), polarity=Polarity.HIGHER, interval=interval
        )


def test_each_series_needs_its_own_polarity() -> None:
    with pytest.raises(ValueError, match="2 polarities for 3 series"):
        linear_forecasts(np.zeros((3, 8)), 1, 0.0, [Polarity.HIGHER, Polarity.LOWER])


def test_the_run_rate_needed_for_a_year_end_total() -> None:
    """GIVEN 500 achieved in the first two quarters against 1,200 for the year
    WHEN the run rate is asked for
    THEN 350 a quarter are needed over the last two, above the 250 a quarter so far."""
    rate = run_rate_needed(Decimal(500), Decimal(1200), 2, 2)
    assert rate is not None
    assert rate.status is RunRateStatus.NEEDED
    assert (rate.needed_per_period, rate.achieved_per_period, rate.above_achieved) == (
        Decimal(350),
        Decimal(250),
        True,
    )
    assert describe_run_rate(
        rate, Unit.COUNT, 0, period_word="quarter", target_label="2020/21 Q4"
    ) == (
        "To reach 1,200 by 2020/21 Q4, 350 a quarter are needed over the 2 remaining quarters; "
        "250 a quarter have been achieved so far."
    )


@pytest.mark.parametrize(
    ("to_date", "total", "remaining", "elapsed", "polarity", "sentence"),
    [
        pytest.param(
            "200", "1200", 3, 9, Polarity.HIGHER,
            "To reach 1,200, 334 a month are needed over the 3 remaining months; "
            "22 a month have been achieved so far.",
            id="needed_rounds_up_so_that_it_is_enough",
        ),
        pytest.param(
            "0", "100", 3, 0, Polarity.LOWER,
            "To stay within 100, at most 33 a month can be added over the 3 remaining months.",
            id="allowance_rounds_down_and_nothing_so_far",
        ),
        pytest.param(
            "900", "1200", 1, 11, Polarity.HIGHER,
            "To reach 1,200, 300 a month are needed over the remaining month; "
            "82 a month have been achieved so far.",
            id="one_month_left",
        ),
        pytest.param(
            "1250", "1200", 3, 9, Polarity.HIGHER,
            "The 1,250 achieved so far already meets the 1,200 target.",
            id="already_met",
        ),
        pytest.param(
            "130", "100", 3, 9, Polarity.LOWER,
            "The 130 recorded so far is already over the 100 limit.",
            id="limit_already_passed",
        ),
    ],
)  # fmt: skip
def test_the_run_rate_sentence(
    to_date: str, total: str, remaining: int, elapsed: int, polarity: Polarity, sentence: str
) -> None:
    rate = run_rate_needed(Decimal(to_date), Decimal(total), remaining, elapsed, polarity=polarity)
    assert rate is not None
    assert describe_run_rate(rate, period_word="month") == sentence


def test_a_met_target_needs_nothing_more_and_a_finished_year_has_no_run_rate() -> None:
    met = run_rate_needed(Decimal(1250), Decimal(1200), 3, 9)
    assert met is not None
    assert (met.status, met.needed_per_period, met.above_achieved) == (
        RunRateStatus.MET,
        Decimal(0),
        False,
    )
    assert run_rate_needed(Decimal(1100), Decimal(1200), 0, 12) is None
    fresh = run_rate_needed(Decimal(0), Decimal(1200), 12, 0)
    assert fresh is not None and (fresh.achieved_per_period, fresh.above_achieved) == (None, None)
    with pytest.raises(ValueError, match="periods elapsed"):
        run_rate_needed(Decimal(0), Decimal(1200), 12, -1)
