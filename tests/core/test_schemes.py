"""Rating schemes: bands on the signed gap, built in and defined by an organisation."""

import re
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfreport.core.rating import (
    MET,
    SEED,
    TOLERANCE,
    Band,
    GapMeasure,
    Polarity,
    Rating,
    RatingRules,
    Scheme,
    SchemeError,
    describe_rating,
    rating_meanings,
)
from perfreport.core.units import Unit

R, A, G, B = Rating.RED, Rating.AMBER, Rating.GREEN, Rating.BLUE
TARGET = Decimal("80.0")
ABSOLUTE = GapMeasure.ABSOLUTE

# For a higher-is-better indicator with a target of 80.0 printed to one
# decimal: each bound exactly, and one printed unit (0.1) better and worse.
# Relative bounds are % of 80 (5% is 4.0, 10% is 8.0); absolute ones are units.
BOUNDARIES = {
    ("seed", "relative"): [
        ("84.1", B), ("84.0", G), ("83.9", G),  # Blue: more than 5% over
        ("80.1", G), ("80.0", G), ("79.9", A),  # Green: on target or over
        ("72.1", A), ("72.0", A), ("71.9", R),  # Amber: 10% off or less
    ],
    ("seed", "absolute"): [
        ("85.1", B), ("85.0", G), ("84.9", G),
        ("80.1", G), ("80.0", G), ("79.9", A),
        ("70.1", A), ("70.0", A), ("69.9", R),
    ],
    ("tolerance", "relative"): [
        ("80.1", G), ("80.0", G), ("79.9", G),
        ("76.1", G), ("76.0", G), ("75.9", A),  # Green: up to 5% below
        ("72.1", A), ("72.0", A), ("71.9", R),  # Amber: up to 10% below
    ],
    ("tolerance", "absolute"): [
        ("75.1", G), ("75.0", G), ("74.9", A),
        ("70.1", A), ("70.0", A), ("69.9", R),
    ],
    ("met", "relative"): [("80.1", G), ("80.0", G), ("79.9", R), ("999", G), ("0", R)],
    ("met", "absolute"): [("80.1", G), ("80.0", G), ("79.9", R)],
}  # fmt: skip

SCHEMES = {"seed": SEED, "tolerance": TOLERANCE, "met": MET}


def scheme_for(name: str, measure: str) -> Scheme:
    return replace(SCHEMES[name], measure=GapMeasure(measure))


CASES = [
    pytest.param(name, measure, value, rating, id=f"{name}-{measure}-{value}")
    for (name, measure), rows in BOUNDARIES.items()
    for value, rating in rows
]


@pytest.mark.parametrize(("name", "measure", "value", "expected"), CASES)
def test_higher_is_better_on_and_either_side_of_each_bound(
    name: str, measure: str, value: str, expected: Rating
) -> None:
    scheme = scheme_for(name, measure)
    assert scheme.rate(Decimal(value), TARGET, Polarity.HIGHER).rating is expected


@pytest.mark.parametrize(("name", "measure", "value", "expected"), CASES)
def test_lower_is_better_mirrors_the_bounds_about_the_target(
    name: str, measure: str, value: str, expected: Rating
) -> None:
    # 84.0 higher-is-better is as good as 76.0 lower-is-better against 80.0.
    mirrored = 2 * TARGET - Decimal(value)
    scheme = scheme_for(name, measure)
    assert scheme.rate(mirrored, TARGET, Polarity.LOWER).rating is expected


def test_the_seed_scheme_is_todays_default_rules() -> None:
    assert RatingRules().scheme().same_bands(SEED)
    assert not RatingRules().scheme().same_bands(TOLERANCE)


def test_a_zero_red_threshold_leaves_no_amber_band_that_could_never_occur() -> None:
    scheme = RatingRules(red_threshold=Decimal(0), blue_threshold=None).scheme()
    assert scheme.same_bands(MET)
    assert Rating.AMBER not in rating_meanings(scheme)
    assert rating_meanings(scheme)[Rating.RED] == "off target"


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [
        pytest.param(
            SEED,
            {
                B: "exceeds target by more than 5%",
                G: "on target, up to 5% over",
                A: "off target by 10% or less",
                R: "off target by more than 10%",
            },
            id="seed",
        ),
        pytest.param(
            TOLERANCE,
            {
                G: "on target or better, or up to 5% off it",
                A: "off target by more than 5% and up to 10%",
                R: "off target by more than 10%",
            },
            id="tolerance",
        ),
        pytest.param(MET, {G: "on target or better", R: "off target"}, id="met"),
    ],
)
def test_the_keys_words_come_from_the_bands(scheme: Scheme, expected: dict[Rating, str]) -> None:
    meanings = rating_meanings(scheme)
    assert {r: meanings[r] for r in scheme.ratings} == expected
    assert not any(re.search(r"\b0%", text) for text in meanings.values())


def test_absolute_wording_uses_the_units() -> None:
    meanings = rating_meanings(replace(TOLERANCE, measure=ABSOLUTE), Unit.PERCENT)
    assert meanings[G] == "on target or better, or up to 5 percentage points off it"


def test_a_band_may_carry_the_organisations_words_label_and_symbol() -> None:
    scheme = Scheme(
        "rag3",
        (
            Band(G, Decimal(0), label="On track", symbol="●", description="met or beaten"),
            Band(R, label="Off track"),
        ),
    )
    assert rating_meanings(scheme)[G] == "met or beaten"
    assert scheme.label(G) == "On track"
    outcome = scheme.rate(Decimal(70), Decimal(80), Polarity.HIGHER)
    sentence = describe_rating(
        outcome, Decimal(70), Decimal(80), Polarity.HIGHER, scheme, Unit.COUNT, 0
    )
    assert sentence == "70 is 12.5% below the 80 target: Off track (off target)"


def test_explanations_under_the_tolerance_scheme_say_points_and_percent() -> None:
    value, target = Decimal("82.5"), Decimal("85.0")
    outcome = TOLERANCE.rate(value, target, Polarity.HIGHER)
    sentence = describe_rating(outcome, value, target, Polarity.HIGHER, TOLERANCE, Unit.PERCENT, 1)
    assert sentence == (
        "82.5% is 2.5 percentage points (2.9%) below the 85.0% target: "
        "Green (on target or better, or up to 5% off it)"
    )


@pytest.mark.parametrize(
    ("bands", "message", "band"),
    [
        pytest.param(
            (Band(G, Decimal(0)), Band(A, Decimal(5)), Band(R)),
            "Amber's gap_from \\(5\\) must be below Green's \\(0\\)",
            1,
            id="out_of_order",
        ),
        pytest.param(
            (Band(G, Decimal(0)), Band(G, Decimal(-5)), Band(R)),
            "names Green twice",
            1,
            id="a_rating_twice",
        ),
        pytest.param(
            (Band(G, Decimal(0)), Band(R, Decimal(-5))),
            "the last band \\(Red\\) takes every value left",
            1,
            id="last_band_bounded",
        ),
        pytest.param(
            (Band(G), Band(R)), "only the last band may leave gap_from empty", 0, id="open_middle"
        ),
        pytest.param((Band(G),), "at least two bands", None, id="one_band"),
        pytest.param(
            (Band(Rating.BASELINE, Decimal(0)), Band(R)),
            "Baseline is not measured against a target",
            0,
            id="baseline_band",
        ),
        pytest.param(
            (Band(G, Decimal(0)), Band(A, Decimal(0)), Band(R)),
            "must be below Green's",
            1,
            id="equal_bounds_both_inclusive",
        ),
    ],
)
def test_a_scheme_that_cannot_rate_is_refused_naming_the_band(
    bands: tuple[Band, ...], message: str, band: int | None
) -> None:
    with pytest.raises(SchemeError, match=message) as raised:
        Scheme("ours", bands)
    assert raised.value.band == band


def test_equal_bounds_are_fine_when_the_better_band_is_exclusive() -> None:
    scheme = Scheme("edge", (Band(B, Decimal(0), inclusive=False), Band(G, Decimal(0)), Band(R)))
    assert scheme.rate(Decimal(80), TARGET, Polarity.HIGHER).rating is G
    assert scheme.rate(Decimal("80.1"), TARGET, Polarity.HIGHER).rating is B
    assert rating_meanings(scheme)[G] == "exactly on target"


def test_a_zero_target_under_a_relative_scheme_is_met_or_not() -> None:
    assert TOLERANCE.rate(Decimal(0), Decimal(0), Polarity.HIGHER).rating is G
    assert TOLERANCE.rate(Decimal("-0.1"), Decimal(0), Polarity.HIGHER).rating is R
    assert SEED.rate(Decimal(3), Decimal(0), Polarity.HIGHER).rating is G


# -- property: better values never get a worse band --------------------------------------------


@st.composite
def schemes(draw: st.DrawFn) -> Scheme:
    ratings = draw(st.permutations([R, A, G, B]))
    count = draw(st.integers(min_value=2, max_value=4))
    bounds = sorted(
        draw(
            st.lists(
                st.decimals(min_value=-50, max_value=50, places=1),
                min_size=count - 1,
                max_size=count - 1,
                unique=True,
            )
        ),
        reverse=True,
    )
    bands = [
        Band(ratings[i], bound, inclusive=draw(st.booleans())) for i, bound in enumerate(bounds)
    ]
    bands.append(Band(ratings[count - 1]))
    measure = draw(st.sampled_from(list(GapMeasure)))
    return Scheme("drawn", tuple(bands), measure)


numbers = st.decimals(min_value=-500, max_value=500, places=2)


@settings(max_examples=300, deadline=None)
@given(
    schemes(),
    numbers,
    numbers,
    st.decimals(min_value=Decimal("0.01"), max_value=500, places=2),
    st.sampled_from(list(Polarity)),
)
def test_ratings_are_monotonic_in_the_value(
    scheme: Scheme, a: Decimal, b: Decimal, target: Decimal, polarity: Polarity
) -> None:
    worse, better = sorted((a, b), key=lambda v: polarity.better_by(v, target))
    position = {rating: i for i, rating in enumerate(scheme.ratings)}
    rated_worse = scheme.rate(worse, target, polarity).rating
    rated_better = scheme.rate(better, target, polarity).rating
    assert position[rated_better] <= position[rated_worse]
