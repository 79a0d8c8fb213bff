"""SPC in the Making Data Count style: limits, the four rules, icons and assurance.

Every expected figure is worked out by hand in a comment beside it, so a
change to the arithmetic fails here rather than passing silently.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfreport.core.spc import (
    Assurance,
    Chart,
    Improvement,
    Rule,
    Side,
    Signal,
    Variation,
    assess_assurance,
    control_limits,
    moving_ranges,
    xmr,
)

PROPERTY = settings(max_examples=200, deadline=None)
Number = int | float | Decimal

# Published data: NHS-R Community, NHSRplotthedots, vignette "Deviations from
# Excel defaults" (https://nhsrplotthedots.nhsrcommunity.com/articles/deviations.html),
# the example used to show outlier screening. The vignette prints its figures
# only in a chart caption, so they are worked out here by hand.
PLOT_THE_DOTS = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
# 16 values alternating 87.5 and 112.5: mean 100, every moving range 25, so
# MRbar = 25 and the limits are 100 ± 2.66 × 25 = 100 ± 66.5 = 33.5 and 166.5.
ALTERNATING = [87.5, 112.5] * 8
BASE = [10, 12] * 10  # mean 11, every moving range 2


def flagged(
    values: list[float | None], rebase: list[int] | None = None
) -> dict[int, tuple[Rule, ...]]:
    """Position → rules fired, for the points with a special cause."""
    result = xmr(values, rebase=rebase or [])
    return {i: p.rules for i, p in enumerate(result.points) if p.rules}


# --- limits -----------------------------------------------------------------


def test_the_published_example_without_screening_as_the_mdc_excel_tools_draw_it() -> None:
    result = xmr(PLOT_THE_DOTS)

    # mean = 35 / 18 = 1.9444; the 17 moving ranges are 1, 1, 1, 8, 9 and
    # twelve 1s, so MRbar = 32 / 17 = 1.8824 and 2.66 × MRbar = 5.0071.
    assert result.chart is Chart.XMR
    assert result.mean == pytest.approx(35 / 18)
    assert result.phases[0].limits is not None
    assert result.phases[0].limits.moving_range_mean == pytest.approx(32 / 17)
    assert result.upper_limit == pytest.approx(6.9515, abs=1e-4)
    assert result.lower_limit == pytest.approx(-3.0626, abs=1e-4)
    # 10 is the only value beyond a limit (or beyond 2 sigma, 1.9444 + 3.3381).
    assert flagged(PLOT_THE_DOTS) == {4: (Rule.ASTRONOMICAL,)}


def test_the_published_example_with_screening_leaves_out_the_two_large_moving_ranges() -> None:
    result = xmr(PLOT_THE_DOTS, screen_outliers=True)

    # 3.267 × 32/17 = 6.1496, so 8 and 9 are left out: MRbar = 15 / 15 = 1,
    # and the limits are 1.9444 ± 2.66 = -0.7156 and 4.6044.
    assert result.phases[0].limits is not None
    assert result.phases[0].limits.moving_range_mean == pytest.approx(1.0)
    assert result.upper_limit == pytest.approx(4.6044, abs=1e-4)
    assert result.lower_limit == pytest.approx(-0.7156, abs=1e-4)
    assert result.points[4].signal is Signal.IMPROVEMENT


def test_screening_recomputes_the_mean_moving_range_only_once() -> None:
    # Ten moving ranges of 1, then 5, then 20: MRbar = 35 / 12 = 2.9167 and
    # 3.267 × 2.9167 = 9.53 leaves out 20. The new MRbar is 15 / 11 = 1.3636;
    # 5 is above 3.267 × 1.3636 = 4.45 but a second pass is not made.
    values = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 5, 25]
    unscreened = control_limits(values)
    screened = control_limits(values, screen_outliers=True)

    assert unscreened is not None and screened is not None
    assert unscreened.moving_range_mean == pytest.approx(35 / 12)
    assert screened.moving_range_mean == pytest.approx(15 / 11)


def test_limits_sigma_and_the_two_sigma_lines_of_a_hand_worked_example() -> None:
    limits = control_limits(ALTERNATING)

    assert limits is not None
    assert (limits.mean, limits.moving_range_mean) == (100.0, 25.0)
    assert (limits.lower_limit, limits.upper_limit) == (33.5, 166.5)
    assert limits.sigma == pytest.approx(25 / 1.128)  # 22.163
    # 2-sigma lines at two thirds of the way to the limits: 100 ± 44.333.
    assert limits.upper_two_sigma == pytest.approx(100 + 2 / 3 * 66.5)
    assert limits.lower_two_sigma == pytest.approx(100 - 2 / 3 * 66.5)


def test_there_are_no_limits_without_a_moving_range() -> None:
    assert control_limits([5]) is None
    assert control_limits([5, None, 6]) is None


def test_decimals_are_accepted_and_their_places_are_kept_for_the_explanation() -> None:
    values = [Decimal("57.50")] * 1 + [Decimal(v) for v in ALTERNATING]
    result = xmr(values)

    assert result.decimals == 2
    assert result.points[0].value == 57.5


# --- the four rules -----------------------------------------------------------


def test_a_single_point_above_the_upper_limit_is_astronomical() -> None:
    # mean = 245 / 21 = 11.667; MRbar = (19 × 2 + 13) / 20 = 2.55;
    # upper limit = 11.667 + 6.783 = 18.45 < 25.
    assert flagged([*BASE, 25]) == {20: (Rule.ASTRONOMICAL,)}


def test_a_single_point_below_the_lower_limit_is_astronomical_and_low() -> None:
    # mean = 220 / 21 = 10.476; MRbar = (38 + 12) / 20 = 2.5; lower limit = 3.826.
    result = xmr([*BASE, 0])

    assert result.points[-1].rules == (Rule.ASTRONOMICAL,)
    assert result.variation is Variation.CONCERN_LOW
    assert result.explanation == (
        "The latest value, 0, is a special cause of concern: "
        "it is below the lower process limit (3.8)."
    )


def test_seven_in_a_row_on_each_side_of_the_mean_are_shifts_and_all_are_flagged() -> None:
    # mean = 163 / 15 = 10.867: the first 7 are below it, the last 8 above it.
    values = [8, 10, 8, 10, 8, 10, 8, 12, 14, 12, 14, 12, 14, 12, 11]
    result = xmr(values)

    assert flagged(values) == dict.fromkeys(range(15), (Rule.SHIFT,))
    assert {p.side for p in result.points[:7]} == {Side.LOW}
    assert {p.side for p in result.points[7:]} == {Side.HIGH}


def test_six_in_a_row_are_not_a_shift() -> None:
    # mean = 161 / 15 = 10.733: six below, six above, then 9 breaks the run.
    assert flagged([8, 10, 8, 10, 8, 10, 12, 14, 12, 14, 12, 14, 9, 11, 9]) == {}


@pytest.mark.parametrize(
    ("fourth", "expected"),
    [
        # sum 165 / 15 = 11 exactly: the 11 sits on the mean and splits 8 high values 3 + 4.
        pytest.param(11, {}, id="a_value_on_the_mean_breaks_the_run"),
        # sum 167 / 15 = 11.133: 13 is above it, so the first 8 are one run.
        pytest.param(13, dict.fromkeys(range(8), (Rule.SHIFT,)), id="just_above_continues_it"),
    ],
)
def test_a_point_exactly_on_the_mean_breaks_a_shift(
    fourth: float, expected: dict[int, tuple[Rule, ...]]
) -> None:
    values = [12, 14, 12, fourth, 14, 12, 14, 12, 10, 8, 12, 10, 8, 10, 6]

    assert flagged(values) == expected


def test_seven_rising_points_are_a_trend_and_all_seven_are_flagged() -> None:
    values = [10, 12] * 4 + [9, 9.5, 10, 10.5, 11, 11.5, 12]

    assert flagged(values) == dict.fromkeys(range(8, 15), (Rule.TREND,))
    assert {p.side for p in xmr(values).points[8:]} == {Side.HIGH}


@pytest.mark.parametrize(
    "values",
    [
        pytest.param([10, 12] * 4 + [9, 9.5, 10, 10, 10.5, 11, 11.5, 12], id="a_tie_breaks_it"),
        pytest.param([10, 12] * 4 + [9.5, 10, 10.5, 11, 11.5, 12, 10], id="six_rising_is_not"),
    ],
)
def test_what_is_not_a_trend(values: list[float]) -> None:
    assert flagged(values) == {}


def test_seven_falling_points_are_a_trend_on_the_low_side() -> None:
    values = [10, 8] * 4 + [11, 10.5, 10, 9.5, 9, 8.5, 8]
    result = xmr(values, improvement="decrease")

    assert [p.rules for p in result.points[8:]] == [(Rule.TREND,)] * 7
    assert result.variation is Variation.IMPROVEMENT_LOW


def test_two_of_three_beyond_two_sigma_flags_the_two_not_the_one_between() -> None:
    # mean = 264 / 23 = 11.478; MRbar = (19 × 2 + 3 × 4) / 22 = 2.2727; the
    # upper 2-sigma line is 11.478 + ⅔ × 2.66 × 2.2727 = 15.509 and the upper
    # limit 17.524: both 16s lie between them, the 12 does not.
    result = xmr([*BASE, 16, 12, 16])

    assert flagged([*BASE, 16, 12, 16]) == {20: (Rule.TWO_OF_THREE,), 22: (Rule.TWO_OF_THREE,)}
    assert result.explanation == (
        "The latest value, 16, is a special cause of improvement: it is one of two in "
        "three values in a row beyond two sigma above the mean (beyond 15.5)."
    )


def test_two_of_three_on_opposite_sides_is_not_a_signal() -> None:
    assert flagged([*BASE, 16, 12, 6.5]) == {}


# --- polarity and conflicts ----------------------------------------------------


@pytest.mark.parametrize(
    ("improvement", "high", "low"),
    [
        pytest.param("increase", Variation.IMPROVEMENT_HIGH, Variation.CONCERN_LOW, id="increase"),
        pytest.param("decrease", Variation.CONCERN_HIGH, Variation.IMPROVEMENT_LOW, id="decrease"),
        pytest.param("neutral", Variation.NEUTRAL_HIGH, Variation.NEUTRAL_LOW, id="neutral"),
    ],
)
def test_the_side_and_the_direction_of_improvement_give_the_icon(
    improvement: str, high: Variation, low: Variation
) -> None:
    assert xmr([*BASE, 25], improvement=improvement).variation is high
    assert xmr([*BASE, 0], improvement=improvement).variation is low


def test_neutral_special_causes_are_neither_improvement_nor_concern() -> None:
    result = xmr([*BASE, 25], improvement=Improvement.NEUTRAL)

    assert result.points[-1].signal is Signal.NEUTRAL
    assert result.explanation.startswith(
        "The latest value, 25, is a special cause of neutral variation (neither better nor worse)"
    )


def test_a_rising_trend_below_the_mean_is_high_because_the_trend_rule_comes_first() -> None:
    # mean = 189.5 / 17 = 11.147: the seven rising values are also seven below
    # the mean (a low shift) and the first three are beyond the lower 2-sigma line.
    result = xmr([14, 12] * 5 + [7, 7.5, 8, 8.5, 9, 9.5, 10])

    rising = result.points[10:]
    assert [p.rules[0] for p in rising] == [Rule.TREND] * 7
    assert all(Rule.SHIFT in p.rules for p in rising)
    assert {p.variation for p in rising} == {Variation.IMPROVEMENT_HIGH}


def test_a_point_beyond_a_limit_takes_the_side_of_the_limit_over_a_trend() -> None:
    # mean = 185.5 / 17 = 10.912; lower limit 5.841 > 5: the first rising value
    # is astronomical (low), the rest of the trend stays high.
    result = xmr([14, 12] * 5 + [5, 6, 7, 8, 9, 10, 10.5])

    assert result.points[10].rules[:2] == (Rule.ASTRONOMICAL, Rule.TREND)
    assert result.points[10].variation is Variation.CONCERN_LOW
    assert result.points[11].variation is Variation.IMPROVEMENT_HIGH


# --- gaps and rebasing ----------------------------------------------------------


def test_a_moving_range_is_never_taken_across_a_gap() -> None:
    assert moving_ranges([3, 5, None, 4, 1]) == [2.0, 3.0]


def test_a_gap_stays_in_the_result_and_is_left_out_of_the_mean_and_moving_ranges() -> None:
    values: list[float | None] = [*ALTERNATING[:8], None, *ALTERNATING[8:]]
    result = xmr(values)

    assert len(result.points) == 17
    gap = result.points[8]
    assert (gap.value, gap.signal, gap.rules, gap.variation) == (None, None, (), None)
    assert gap.mean == 100.0  # the phase's lines carry on through the gap
    # Without a range across the gap there are 14 ranges, all 25: the limits hold.
    assert (result.lower_limit, result.upper_limit) == (33.5, 166.5)


def test_the_rules_run_over_the_values_present_in_order() -> None:
    values: list[float | None] = [8, 10, 8, 10, None, 8, 10, 8, 12, 14, 12, 14, 12, 14, 12, 11]

    assert flagged(values) == {
        i: (Rule.SHIFT,) for i in range(16) if i != 4
    }  # the gap does not break either run


def test_a_gap_at_the_end_leaves_the_latest_value_in_charge() -> None:
    result = xmr([*BASE, 0, None])

    assert result.latest is not None and result.latest.value == 0
    assert result.variation is Variation.CONCERN_LOW


def test_each_phase_has_its_own_mean_and_limits() -> None:
    values = [10, 12] * 8 + [20, 22] * 8
    rebased = xmr(values, rebase=[16])

    assert [p.mean for p in rebased.phases] == [11.0, 21.0]
    assert rebased.points[0].upper_limit == pytest.approx(16.32)  # 11 + 2.66 × 2
    assert (rebased.mean, rebased.lower_limit) == (21.0, pytest.approx(15.68))
    assert flagged(values, rebase=[16]) == {}
    assert flagged(values) != {}  # one phase: a shift below, then a shift above


def test_the_rules_look_only_within_a_phase() -> None:
    # 8, 9, 10, 11 end the first phase and 12, 13, 14 start the second: seven
    # rising values in all, but four and three within each phase.
    first = [10, 12] * 6 + [8, 9, 10, 11]
    second = [12, 13, 14] + [12, 10] * 6 + [11]
    together = [rules for rules in flagged(first + second).values() if Rule.TREND in rules]

    assert together  # the same values with no rebase make a trend
    assert all(Rule.TREND not in r for r in flagged(first + second, rebase=[16]).values())


@pytest.mark.parametrize("position", [-1, 20, 99], ids=["negative", "past_the_end", "far_past"])
def test_a_rebase_outside_the_values_is_refused(position: int) -> None:
    with pytest.raises(ValueError, match=f"rebase position {position} is outside the 20 values"):
        xmr(BASE, rebase=[position])


def test_an_unknown_direction_of_improvement_is_refused() -> None:
    with pytest.raises(ValueError, match="increase, decrease, neutral, not 'up'"):
        xmr(BASE, improvement="up")


# --- run charts -----------------------------------------------------------------


def test_fewer_than_fifteen_values_make_a_run_chart_around_the_median() -> None:
    values = [1, 3, 1, 3, 1, 3, 6, 7, 6, 7, 6, 7]
    result = xmr(values, target=2)

    assert result.chart is Chart.RUN
    assert (result.lower_limit, result.upper_limit, result.assurance) == (None, None, None)
    assert result.centre == 4.5  # the median of 1,1,1,3,3,3,6,6,6,7,7,7
    assert result.mean == pytest.approx(51 / 12)
    assert flagged(values) == dict.fromkeys(range(12), (Rule.SHIFT,))  # six a side
    assert result.explanation == (
        "With 12 values, too few for process limits (15 are needed), this is a run chart "
        "around the median (4.5). The latest value, 7, is a special cause of improvement: "
        "it is one of 6 or more values in a row above the median (4.5)."
    )


def test_a_run_chart_has_no_astronomical_rule() -> None:
    assert flagged([10, 12, 10, 12, 500]) == {}


def test_on_a_run_chart_values_on_the_median_neither_add_to_nor_break_a_shift() -> None:
    # The median of the 13 values is 5; the 5 sits inside six values above it.
    flags = flagged([1, 3, 1, 3, 1, 3, 6, 7, 5, 6, 7, 6, 7])

    assert sorted(flags) == [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param([6, 1, 2, 2, 3, 4, 5, 1], [1, 2, 3, 4, 5, 6], id="repeat_skipped_five_rising"),
        pytest.param([6, 1, 2, 2, 3, 4, 1, 6], [], id="four_rising_is_not_a_trend"),
    ],
)
def test_a_run_chart_trend_is_five_values_going_one_way(
    values: list[float], expected: list[int]
) -> None:
    assert sorted(flagged(values)) == expected


def test_a_short_phase_is_a_run_chart_while_the_latest_phase_is_xmr() -> None:
    result = xmr([1, 2, 3, *ALTERNATING], rebase=[3])

    assert [p.chart for p in result.phases] == [Chart.RUN, Chart.XMR]
    assert result.points[0].centre == 2  # the median of the first phase
    assert result.chart is Chart.XMR


def test_no_values_make_an_empty_run_chart() -> None:
    result = xmr([])

    assert (result.chart, result.mean, result.variation, result.points) == (
        Chart.RUN,
        None,
        None,
        (),
    )
    assert result.explanation == "There are no values to chart."


# --- assurance ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("improvement", "target", "expected"),
    [
        pytest.param("increase", 33.4, Assurance.PASS, id="up_below_the_lower_limit_passes"),
        pytest.param("increase", 33.5, Assurance.HIT_OR_MISS, id="up_on_the_lower_limit"),
        pytest.param("increase", 100, Assurance.HIT_OR_MISS, id="up_inside_the_limits"),
        pytest.param("increase", 166.5, Assurance.HIT_OR_MISS, id="up_on_the_upper_limit"),
        pytest.param("increase", 166.6, Assurance.FAIL, id="up_above_the_upper_limit_fails"),
        pytest.param("decrease", 166.6, Assurance.PASS, id="down_above_the_upper_limit_passes"),
        pytest.param("decrease", 166.5, Assurance.HIT_OR_MISS, id="down_on_the_upper_limit"),
        pytest.param("decrease", 33.5, Assurance.HIT_OR_MISS, id="down_on_the_lower_limit"),
        pytest.param("decrease", 33.4, Assurance.FAIL, id="down_below_the_lower_limit_fails"),
        pytest.param("neutral", 10, None, id="neutral_has_no_assurance"),
        pytest.param("increase", None, None, id="no_target_no_assurance"),
    ],
)
def test_assurance_against_the_limits_33_5_and_166_5(
    improvement: str, target: float | None, expected: Assurance | None
) -> None:
    assert xmr(ALTERNATING, improvement=improvement, target=target).assurance is expected


def test_assurance_needs_limits() -> None:
    assert assess_assurance(50, None, None, Improvement.INCREASE) is None


@pytest.mark.parametrize(
    ("improvement", "target", "sentence"),
    [
        pytest.param(
            "increase",
            Decimal("100"),
            "The target of 100 lies within the process limits, so the process will hit and miss it at random.",
            id="hit_or_miss",
        ),
        pytest.param(
            "increase",
            30,
            "The target of 30 lies below the lower process limit (33.5), so the process will consistently pass it.",
            id="pass_up",
        ),
        pytest.param(
            "increase",
            170.25,
            "The target of 170.25 lies above the upper process limit (166.5), so the process will consistently fall short of it.",
            id="fail_up",
        ),
        pytest.param(
            "decrease",
            170,
            "The target of 170 lies above the upper process limit (166.5), so the process will consistently pass it.",
            id="pass_down",
        ),
    ],
)
def test_the_explanation_gives_the_assurance_in_words(
    improvement: str, target: Number, sentence: str
) -> None:
    assert xmr(ALTERNATING, improvement=improvement, target=target).explanation == (
        f"Variation is common cause: no signal of change. {sentence}"
    )


# --- the icons' words -----------------------------------------------------------


def test_each_icon_has_a_label_and_the_legends_description() -> None:
    assert Variation.COMMON_CAUSE.description == "Common cause variation: no significant change."
    assert Variation.CONCERN_LOW.description == (
        "Special cause variation of a concerning nature: the measure is significantly lower."
    )
    assert Variation.IMPROVEMENT_HIGH.label == "Special cause: improvement, higher"
    assert Assurance.HIT_OR_MISS.description == (
        "Variation indicates inconsistently hitting, passing and falling short of the target."
    )
    assert len({v.description for v in Variation}) == len(Variation)
    assert len({a.label for a in Assurance}) == len(Assurance)


# --- properties -----------------------------------------------------------------

series = st.lists(st.one_of(st.none(), st.integers(-50, 50)), max_size=40)


@PROPERTY
@given(values=series)
def test_swapping_the_direction_of_improvement_swaps_improvement_and_concern(
    values: list[int | None],
) -> None:
    up, down = xmr(values, "increase"), xmr(values, "decrease")
    swap = {Signal.IMPROVEMENT: Signal.CONCERN, Signal.CONCERN: Signal.IMPROVEMENT, None: None}

    assert [p.rules for p in up.points] == [p.rules for p in down.points]
    assert [swap[p.signal] for p in up.points] == [p.signal for p in down.points]


@PROPERTY
@given(values=series)
def test_turning_the_values_upside_down_swaps_high_and_low(values: list[int | None]) -> None:
    upright = xmr(values, "neutral")
    flipped = xmr([None if v is None else -v for v in values], "neutral")
    swap = {Side.HIGH: Side.LOW, Side.LOW: Side.HIGH, None: None}

    assert [p.rules for p in upright.points] == [p.rules for p in flipped.points]
    assert [swap[p.side] for p in upright.points] == [p.side for p in flipped.points]


@PROPERTY
@given(values=series, rebase=st.lists(st.integers(0, 39), max_size=3))
def test_every_value_has_one_point_and_only_values_have_signals(
    values: list[int | None], rebase: list[int]
) -> None:
    result = xmr(values, rebase=[r for r in rebase if r < len(values)])

    assert len(result.points) == len(values)
    assert all(p.signal is None for p in result.points if p.value is None)
    assert all((p.signal is None) == (not p.rules) for p in result.points)


def test_the_explanation_writes_each_figure_with_its_unit():
    from perfreport.core.units import Unit

    result = xmr([97.66, 97.78, 97.83], target=99, unit=Unit.PERCENT)

    assert "around the median (97.78%)" in result.explanation
    assert xmr([1.0, 2.0, 3.0]).explanation.count("%") == 0
