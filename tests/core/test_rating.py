"""RAG ratings against a target, per the Corporate Performance Report's Key."""

from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from perfreport.core.rating import (
    Polarity,
    Rating,
    RatingOutcome,
    RatingRules,
    ToleranceMethod,
    describe_rating,
    rate_against_target,
    rating_meanings,
)
from perfreport.core.units import Unit

PROPERTY = settings(max_examples=200, deadline=None)

DEFAULT = RatingRules()
ABSOLUTE_2_1 = RatingRules(ToleranceMethod.ABSOLUTE, Decimal("2"), Decimal("1"))
NO_BLUE = RatingRules(blue_threshold=None)

# Worse to better, for monotonicity.
ORDER = {Rating.RED: 0, Rating.AMBER: 1, Rating.GREEN: 2, Rating.BLUE: 3}


def rate(value: str, target: str, polarity: Polarity, rules: RatingRules = DEFAULT) -> Rating:
    return rate_against_target(Decimal(value), Decimal(target), polarity, rules).rating


# -- default relative rules --------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target", "expected"),
    [
        pytest.param(Decimal("81"), Decimal("90"), Rating.AMBER, id="exactly_10pc_below_is_amber"),
        pytest.param(Decimal("80.99"), Decimal("90"), Rating.RED, id="just_over_10pc_below_is_red"),
        pytest.param(Decimal("50"), Decimal("90"), Rating.RED, id="far_below_is_red"),
        pytest.param(Decimal("89.99"), Decimal("90"), Rating.AMBER, id="just_below_is_amber"),
        pytest.param(Decimal("90"), Decimal("90"), Rating.GREEN, id="exactly_on_target_is_green"),
        pytest.param(Decimal("63"), Decimal("60"), Rating.GREEN, id="exactly_5pc_over_is_green"),
        pytest.param(Decimal("63.01"), Decimal("60"), Rating.BLUE, id="just_over_5pc_over_is_blue"),
        pytest.param(
            Decimal("89.1"), Decimal("99"), Rating.AMBER, id="89_1_vs_99_is_exactly_10pc_off"
        ),
        pytest.param(
            Decimal("89.09"), Decimal("99"), Rating.RED, id="89_09_vs_99_is_just_over_10pc_off"
        ),
        pytest.param(Decimal("97.83"), Decimal("98.50"), Rating.AMBER, id="seed_broadband_q2"),
    ],
)
def test_higher_is_better_bands(value: Decimal, target: Decimal, expected: Rating) -> None:
    assert rate_against_target(value, target, Polarity.HIGHER, DEFAULT).rating is expected


@pytest.mark.parametrize(
    ("value", "target", "expected"),
    [
        pytest.param(
            Decimal("16.5"), Decimal("15"), Rating.AMBER, id="exactly_10pc_above_is_amber"
        ),
        pytest.param(Decimal("16.51"), Decimal("15"), Rating.RED, id="just_over_10pc_above_is_red"),
        pytest.param(Decimal("15.01"), Decimal("15"), Rating.AMBER, id="just_above_is_amber"),
        pytest.param(Decimal("15"), Decimal("15"), Rating.GREEN, id="exactly_on_target_is_green"),
        pytest.param(
            Decimal("14.25"), Decimal("15"), Rating.GREEN, id="exactly_5pc_under_is_green"
        ),
        pytest.param(
            Decimal("14.24"), Decimal("15"), Rating.BLUE, id="just_over_5pc_under_is_blue"
        ),
        pytest.param(Decimal("10.4"), Decimal("15"), Rating.BLUE, id="10_4_vs_15_is_blue"),
        pytest.param(
            Decimal("108.9"), Decimal("99"), Rating.AMBER, id="108_9_vs_99_is_exactly_10pc"
        ),
    ],
)
def test_lower_is_better_bands(value: Decimal, target: Decimal, expected: Rating) -> None:
    assert rate_against_target(value, target, Polarity.LOWER, DEFAULT).rating is expected


def test_binary_floats_would_rate_89_1_against_99_red() -> None:
    # In binary floating point 89.1 / 99 is not 0.9 and the gap exceeds 10%,
    # which would be Red; the core's exact Decimal comparison makes it Amber.
    float_gap = (99 - 89.1) / 99 * 100
    assert float_gap > 10
    outcome = rate_against_target(Decimal("89.1"), Decimal("99"), Polarity.HIGHER, DEFAULT)
    assert outcome.rating is Rating.AMBER
    assert outcome.gap == Decimal("-10")


def test_the_gap_is_signed_percent_of_target_better_is_positive() -> None:
    below = rate_against_target(Decimal("81"), Decimal("90"), Polarity.HIGHER, DEFAULT)
    assert below.gap == Decimal("-10")
    over = rate_against_target(Decimal("63"), Decimal("60"), Polarity.HIGHER, DEFAULT)
    assert over.gap == Decimal("5")
    lower_better = rate_against_target(Decimal("12"), Decimal("15"), Polarity.LOWER, DEFAULT)
    assert lower_better.gap == Decimal("20")


# -- absolute tolerances -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "polarity", "expected"),
    [
        pytest.param("88", Polarity.HIGHER, Rating.AMBER, id="exactly_2_points_below_is_amber"),
        pytest.param("87.9", Polarity.HIGHER, Rating.RED, id="over_2_points_below_is_red"),
        pytest.param("90", Polarity.HIGHER, Rating.GREEN, id="on_target_is_green"),
        pytest.param("91", Polarity.HIGHER, Rating.GREEN, id="exactly_1_point_over_is_green"),
        pytest.param("91.1", Polarity.HIGHER, Rating.BLUE, id="over_1_point_over_is_blue"),
        pytest.param("92", Polarity.LOWER, Rating.AMBER, id="lower_2_points_above_is_amber"),
        pytest.param("92.1", Polarity.LOWER, Rating.RED, id="lower_over_2_points_above_is_red"),
        pytest.param("89", Polarity.LOWER, Rating.GREEN, id="lower_1_point_under_is_green"),
        pytest.param("88.9", Polarity.LOWER, Rating.BLUE, id="lower_over_1_point_under_is_blue"),
    ],
)
def test_absolute_tolerances_are_in_the_indicators_units(
    value: str, polarity: Polarity, expected: Rating
) -> None:
    assert rate(value, "90", polarity, ABSOLUTE_2_1) is expected


def test_absolute_tolerances_do_not_scale_with_the_target() -> None:
    # 2 points off a target of 10 is 20% off: Red under relative rules, Amber here.
    assert rate("8", "10", Polarity.HIGHER, ABSOLUTE_2_1) is Rating.AMBER
    assert rate("8", "10", Polarity.HIGHER, DEFAULT) is Rating.RED


def test_an_absolute_gap_is_in_units() -> None:
    outcome = rate_against_target(Decimal("88.5"), Decimal("90"), Polarity.HIGHER, ABSOLUTE_2_1)
    assert outcome.gap == Decimal("-1.5")


def test_absolute_rules_rate_a_zero_target_by_the_bands() -> None:
    assert rate("-2", "0", Polarity.HIGHER, ABSOLUTE_2_1) is Rating.AMBER
    assert rate("-3", "0", Polarity.HIGHER, ABSOLUTE_2_1) is Rating.RED
    assert rate("2", "0", Polarity.HIGHER, ABSOLUTE_2_1) is Rating.BLUE


# -- three-band scheme, zero and negative targets ----------------------------------------


@pytest.mark.parametrize(
    ("value", "polarity", "expected"),
    [
        pytest.param("500", Polarity.HIGHER, Rating.GREEN, id="far_over_is_green"),
        pytest.param("63.01", Polarity.HIGHER, Rating.GREEN, id="just_over_5pc_is_green"),
        pytest.param("53.99", Polarity.HIGHER, Rating.RED, id="still_red_beyond_10pc"),
        pytest.param("54", Polarity.HIGHER, Rating.AMBER, id="still_amber_at_10pc"),
        pytest.param("1", Polarity.LOWER, Rating.GREEN, id="lower_far_under_is_green"),
    ],
)
def test_without_a_blue_threshold_there_is_no_blue(
    value: str, polarity: Polarity, expected: Rating
) -> None:
    assert rate(value, "60", polarity, NO_BLUE) is expected


@pytest.mark.parametrize(
    ("value", "polarity", "expected"),
    [
        pytest.param("0", Polarity.HIGHER, Rating.GREEN, id="higher_on_zero_is_green"),
        pytest.param("5", Polarity.HIGHER, Rating.GREEN, id="higher_above_zero_is_green"),
        pytest.param("-0.01", Polarity.HIGHER, Rating.RED, id="higher_below_zero_is_red"),
        pytest.param("0", Polarity.LOWER, Rating.GREEN, id="lower_on_zero_is_green"),
        pytest.param("-5", Polarity.LOWER, Rating.GREEN, id="lower_below_zero_is_green"),
        pytest.param("0.01", Polarity.LOWER, Rating.RED, id="lower_above_zero_is_red"),
    ],
)
def test_a_zero_target_is_green_on_or_better_and_red_otherwise(
    value: str, polarity: Polarity, expected: Rating
) -> None:
    outcome = rate_against_target(Decimal(value), Decimal("0"), polarity, DEFAULT)
    assert outcome.rating is expected
    assert outcome.gap is None


@pytest.mark.parametrize(
    ("value", "polarity", "expected"),
    [
        pytest.param("-11", Polarity.HIGHER, Rating.AMBER, id="higher_10pc_below_minus_10"),
        pytest.param("-11.01", Polarity.HIGHER, Rating.RED, id="higher_over_10pc_below"),
        pytest.param("-10", Polarity.HIGHER, Rating.GREEN, id="higher_on_minus_10"),
        pytest.param("-9.5", Polarity.HIGHER, Rating.GREEN, id="higher_5pc_above_minus_10"),
        pytest.param("-9.49", Polarity.HIGHER, Rating.BLUE, id="higher_over_5pc_above"),
        pytest.param("-9", Polarity.LOWER, Rating.AMBER, id="lower_10pc_above_minus_10"),
        pytest.param("-8.99", Polarity.LOWER, Rating.RED, id="lower_over_10pc_above"),
        pytest.param("-10.51", Polarity.LOWER, Rating.BLUE, id="lower_over_5pc_below"),
    ],
)
def test_a_negative_target_measures_the_gap_against_its_size(
    value: str, polarity: Polarity, expected: Rating
) -> None:
    assert rate(value, "-10", polarity) is expected


def test_a_negative_target_gap_keeps_better_positive() -> None:
    outcome = rate_against_target(Decimal("-11"), Decimal("-10"), Polarity.HIGHER, DEFAULT)
    assert outcome.gap == Decimal("-10")


# -- custom thresholds ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("80", Rating.AMBER, id="exactly_20pc_below_is_amber"),
        pytest.param("79.9", Rating.RED, id="over_20pc_below_is_red"),
        pytest.param("102", Rating.GREEN, id="exactly_2pc_over_is_green"),
        pytest.param("102.1", Rating.BLUE, id="over_2pc_over_is_blue"),
    ],
)
def test_custom_relative_thresholds(value: str, expected: Rating) -> None:
    rules = RatingRules(red_threshold=Decimal("20"), blue_threshold=Decimal("2"))
    assert rate(value, "100", Polarity.HIGHER, rules) is expected


def test_zero_thresholds_make_any_miss_red_and_any_excess_blue() -> None:
    rules = RatingRules(red_threshold=Decimal("0"), blue_threshold=Decimal("0"))
    assert rate("99.99", "100", Polarity.HIGHER, rules) is Rating.RED
    assert rate("100", "100", Polarity.HIGHER, rules) is Rating.GREEN
    assert rate("100.01", "100", Polarity.HIGHER, rules) is Rating.BLUE


@pytest.mark.parametrize(
    ("red", "blue"),
    [
        pytest.param(Decimal("-1"), Decimal("5"), id="negative_red"),
        pytest.param(Decimal("10"), Decimal("-0.5"), id="negative_blue"),
    ],
)
def test_rules_refuse_negative_thresholds(red: Decimal, blue: Decimal) -> None:
    with pytest.raises(ValueError, match="must be 0 or more"):
        RatingRules(red_threshold=red, blue_threshold=blue)


def test_only_the_keys_own_rules_are_the_default() -> None:
    assert RatingRules().is_default
    assert RatingRules(red_threshold=Decimal("10.0")).is_default
    assert not NO_BLUE.is_default
    assert not ABSOLUTE_2_1.is_default


# -- rating, polarity facts --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("amber", Rating.AMBER, id="lower_case"),
        pytest.param("  Green ", Rating.GREEN, id="capitalised_padded"),
        pytest.param("BASELINE", Rating.BASELINE, id="upper_case"),
    ],
)
def test_rating_parse_reads_any_case(text: str, expected: Rating) -> None:
    assert Rating.parse(text) is expected


def test_rating_parse_lists_the_choices_for_bad_text() -> None:
    with pytest.raises(ValueError, match="not a RAG rating: use one of red, amber") as raised:
        Rating.parse("purple")
    assert "contextual" in str(raised.value)


def test_every_rating_has_its_own_symbol_and_a_label() -> None:
    assert len({r.symbol for r in Rating}) == len(Rating)
    assert Rating.AMBER.label == "Amber"
    assert [r for r in Rating if not r.is_colour] == [Rating.BASELINE, Rating.CONTEXTUAL]


def test_polarity_words_arrows_and_better_by() -> None:
    assert (Polarity.HIGHER.arrow, Polarity.LOWER.arrow) == ("↑", "↓")
    assert Polarity.LOWER.words == "lower is better"
    assert Polarity.HIGHER.better_by(Decimal("5"), Decimal("3")) == Decimal("2")
    assert Polarity.LOWER.better_by(Decimal("5"), Decimal("3")) == Decimal("-2")


# -- describing a rating ------------------------------------------------------------------


def describe(
    value: str,
    target: str,
    polarity: Polarity = Polarity.HIGHER,
    rules: RatingRules = DEFAULT,
    unit: Unit = Unit.PERCENT,
    decimals: int = 1,
) -> str:
    v, t = Decimal(value), Decimal(target)
    outcome = rate_against_target(v, t, polarity, rules)
    return describe_rating(outcome, v, t, polarity, rules, unit, decimals)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(
            ("83.4", "90"),
            "83.4% is 6.6 percentage points (7.3%) below the 90.0% target: Amber (off target by 10% or less)",
            id="the_seed_example",
        ),
        pytest.param(
            ("90", "90"),
            "90.0% meets the 90.0% target exactly: Green (on target, up to 5% over)",
            id="exactly_on_target",
        ),
        pytest.param(
            ("81", "90", Polarity.HIGHER, DEFAULT, Unit.PERCENT, 0),
            "81% is 9 percentage points (10.0%) below the 90% target: Amber (off target by 10% or less)",
            id="exactly_10pc_shows_10_0",
        ),
        pytest.param(
            ("89.96", "100", Polarity.HIGHER, DEFAULT, Unit.PERCENT, 2),
            "89.96% is 10.04 percentage points (10.04%) below the 100.00% target: Red (off target by more than 10%)",
            id="a_10_04pc_gap_is_not_shown_as_10_0",
        ),
        pytest.param(
            ("90.04", "100", Polarity.HIGHER, DEFAULT, Unit.PERCENT, 2),
            "90.04% is 9.96 percentage points (9.96%) below the 100.00% target: Amber (off target by 10% or less)",
            id="a_9_96pc_gap_is_not_shown_as_10_0",
        ),
        pytest.param(
            ("104.96", "100", Polarity.HIGHER, DEFAULT, Unit.PERCENT, 2),
            "104.96% is 4.96 percentage points (4.96%) above the 100.00% target: Green (on target, up to 5% over)",
            id="a_4_96pc_gap_is_not_shown_as_5_0",
        ),
        pytest.param(
            ("120", "100", Polarity.HIGHER, DEFAULT, Unit.COUNT, 0),
            "120 is 20.0% above the 100 target: Blue (exceeds target by more than 5%)",
            id="count_blue",
        ),
        pytest.param(
            ("10.4", "15", Polarity.LOWER, DEFAULT, Unit.NUMBER, 1),
            "10.4 is 30.7% below the 15.0 target, and lower is better: "
            "Blue (exceeds target by more than 5%)",
            id="lower_polarity_says_so",
        ),
        pytest.param(
            ("88", "90", Polarity.HIGHER, ABSOLUTE_2_1, Unit.PERCENT, 1),
            "88.0% is 2.0 percentage points below the 90.0% target: "
            "Amber (off target by 2 percentage points or less)",
            id="absolute_in_percentage_points",
        ),
        pytest.param(
            ("3", "0", Polarity.HIGHER, DEFAULT, Unit.COUNT, 0),
            "3 is above the target of 0: Green (on or better than a zero target)",
            id="zero_target_has_no_percentage",
        ),
        pytest.param(
            ("2", "0", Polarity.LOWER, DEFAULT, Unit.COUNT, 0),
            "2 is above the target of 0, and lower is better: Red (worse than a zero target)",
            id="zero_target_lower_polarity",
        ),
        pytest.param(
            ("200", "90", Polarity.HIGHER, NO_BLUE, Unit.PERCENT, 0),
            "200% is 110 percentage points (122.2%) above the 90% target: Green (on target or better)",
            id="three_band_scheme",
        ),
    ],
)
def test_describe_rating_explains_with_the_numbers(args: tuple[object, ...], expected: str) -> None:
    assert describe(*args) == expected  # type: ignore[arg-type]


@PROPERTY
@given(
    st.decimals(min_value=Decimal("1"), max_value=Decimal("10000"), places=2),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10000"), places=2),
)
def test_a_described_gap_never_rounds_onto_a_threshold_it_does_not_equal(
    value: Decimal, target: Decimal
) -> None:
    outcome = rate_against_target(value, target, Polarity.HIGHER, DEFAULT)
    assume(outcome.gap is not None and value != target)
    sentence = describe_rating(outcome, value, target, Polarity.HIGHER, DEFAULT, Unit.NUMBER, 2)
    assert outcome.gap is not None
    shown = Decimal(sentence.split(" is ", 1)[1].split("%", 1)[0])
    if shown in (Decimal(10), Decimal(5)):
        assert shown == abs(outcome.gap)


def test_a_tiny_gap_against_a_zero_threshold_is_not_written_in_exponent_form() -> None:
    # A £250m target missed by £1 under "any miss is Red" rules: the gap is
    # 0.0000004%, which must not print as "4E-7%".
    rules = RatingRules(red_threshold=Decimal("0"), blue_threshold=Decimal("0"))
    value, target = Decimal("249999999"), Decimal("250000000")
    outcome = rate_against_target(value, target, Polarity.HIGHER, rules)
    assert outcome.rating is Rating.RED
    sentence = describe_rating(outcome, value, target, Polarity.HIGHER, rules, Unit.CURRENCY, 0)
    assert "E-" not in sentence
    assert sentence.startswith("£249,999,999 is 0.0000004% below the £250,000,000 target")


# -- meanings ----------------------------------------------------------------------------


def test_the_default_meanings_are_the_keys_words() -> None:
    assert rating_meanings(DEFAULT) == {
        Rating.RED: "off target by more than 10%",
        Rating.AMBER: "off target by 10% or less",
        Rating.GREEN: "on target, up to 5% over",
        Rating.BLUE: "exceeds target by more than 5%",
        Rating.BASELINE: (
            "performance is being tracked in order to inform the target setting process"
        ),
        Rating.CONTEXTUAL: (
            "tracks key activity where a target has not been deemed pertinent by the service lead"
        ),
    }


def test_custom_relative_meanings_show_the_thresholds_plainly() -> None:
    meanings = rating_meanings(RatingRules(red_threshold=Decimal("7.50"), blue_threshold=None))
    assert meanings[Rating.RED] == "off target by more than 7.5%"
    assert meanings[Rating.AMBER] == "off target by 7.5% or less"
    assert meanings[Rating.GREEN] == "on target or better"
    assert Rating.BLUE not in meanings


@pytest.mark.parametrize(
    ("rules", "unit", "red_meaning", "green_meaning"),
    [
        pytest.param(
            ABSOLUTE_2_1,
            Unit.PERCENT,
            "off target by more than 2 percentage points",
            "on target, up to 1 percentage point over",
            id="percentage_points",
        ),
        pytest.param(
            RatingRules(ToleranceMethod.ABSOLUTE, Decimal("2.50"), Decimal("10")),
            Unit.PERCENT,
            "off target by more than 2.5 percentage points",
            "on target, up to 10 percentage points over",
            id="decimal_and_round_thresholds",
        ),
        pytest.param(
            RatingRules(ToleranceMethod.ABSOLUTE, Decimal("1"), Decimal("2")),
            Unit.STARS,
            "off target by more than 1 star",
            "on target, up to 2 stars over",
            id="stars",
        ),
        pytest.param(
            RatingRules(ToleranceMethod.ABSOLUTE, Decimal("1500"), Decimal("500")),
            Unit.CURRENCY,
            "off target by more than £1,500",
            "on target, up to £500 over",
            id="currency",
        ),
    ],
)
def test_absolute_meanings_use_the_units_words(
    rules: RatingRules, unit: Unit, red_meaning: str, green_meaning: str
) -> None:
    meanings = rating_meanings(rules, unit)
    assert meanings[Rating.RED] == red_meaning
    assert meanings[Rating.GREEN] == green_meaning


# -- properties ---------------------------------------------------------------------------

values = st.decimals(min_value=Decimal("-1000"), max_value=Decimal("1000"), places=2)
positive_targets = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000"), places=2)
nonzero_targets = values.filter(lambda t: t != 0)
thresholds = st.decimals(min_value=Decimal("0"), max_value=Decimal("50"), places=1)
rules_strategy = st.builds(
    RatingRules,
    method=st.sampled_from(list(ToleranceMethod)),
    red_threshold=thresholds,
    blue_threshold=st.none() | thresholds,
)


@PROPERTY
@given(values, positive_targets, rules_strategy)
def test_mirroring_a_value_about_its_target_swaps_the_polarity(
    value: Decimal, target: Decimal, rules: RatingRules
) -> None:
    higher = rate_against_target(value, target, Polarity.HIGHER, rules)
    lower = rate_against_target(2 * target - value, target, Polarity.LOWER, rules)
    assert higher == lower


@PROPERTY
@given(values, values, nonzero_targets, rules_strategy)
def test_a_better_value_never_gets_a_worse_rating(
    a: Decimal, b: Decimal, target: Decimal, rules: RatingRules
) -> None:
    low, high = sorted((a, b))
    higher_low = rate_against_target(low, target, Polarity.HIGHER, rules).rating
    higher_high = rate_against_target(high, target, Polarity.HIGHER, rules).rating
    assert ORDER[higher_low] <= ORDER[higher_high]
    lower_low = rate_against_target(low, target, Polarity.LOWER, rules).rating
    lower_high = rate_against_target(high, target, Polarity.LOWER, rules).rating
    assert ORDER[lower_low] >= ORDER[lower_high]


@PROPERTY
@given(values, nonzero_targets, st.sampled_from(list(Polarity)))
def test_off_target_is_red_or_amber_and_on_target_green_or_blue(
    value: Decimal, target: Decimal, polarity: Polarity
) -> None:
    outcome: RatingOutcome = rate_against_target(value, target, polarity, DEFAULT)
    assert outcome.gap is not None
    off_target = polarity.better_by(value, target) < 0
    assert (outcome.rating in (Rating.RED, Rating.AMBER)) is off_target
    assert (outcome.gap < 0) is off_target


@PROPERTY
@given(
    values,
    positive_targets,
    st.integers(min_value=1, max_value=1000),
    st.sampled_from(list(Polarity)),
)
def test_relative_ratings_do_not_depend_on_scale(
    value: Decimal, target: Decimal, factor: int, polarity: Polarity
) -> None:
    plain_rating = rate_against_target(value, target, polarity, DEFAULT).rating
    scaled = rate_against_target(value * factor, target * factor, polarity, DEFAULT).rating
    assert plain_rating is scaled


def test_exactly_meeting_a_zero_target_quotes_no_percentage_band() -> None:
    outcome = rate_against_target(Decimal("0"), Decimal("0"), Polarity.LOWER, RatingRules())

    sentence = describe_rating(
        outcome, Decimal("0"), Decimal("0"), Polarity.LOWER, RatingRules(), Unit.COUNT, 0
    )

    assert sentence == "0 meets the 0 target exactly: Green (on or better than a zero target)"
