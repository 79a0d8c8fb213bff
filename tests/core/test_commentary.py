"""Drafted commentary: a plain-English paragraph from an indicator's facts."""

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfreport.core.benchmarking import (
    GroupComparison,
    GroupMeanBasis,
    NationalBasis,
    compare_with_group,
)
from perfreport.core.change import Change
from perfreport.core.commentary import CommentaryFacts, draft_commentary, ordinal, quartile_words
from perfreport.core.rating import Polarity, Rating

PROPERTY = settings(max_examples=300, deadline=None)

# Ten statistical neighbours with a figure and one without: 97.82% ranks 3rd of 11.
NEIGHBOURS = {
    f"N{i}": Decimal(v)
    for i, v in enumerate(
        ["98.1", "97.9", "97.5", "97.0", "96.6", "96.2", "95.9", "95.1", "94.8", "94.2"]
    )
}
NEIGHBOURS_WITH_A_GAP = {**NEIGHBOURS, "N10": None}


def bench(home: str = "97.82", group: dict[str, Decimal | None] | None = None) -> GroupComparison:
    members = NEIGHBOURS if group is None else group
    return compare_with_group(Decimal(home), members, Polarity.HIGHER, 2)


SEED_LIKE = CommentaryFacts(
    period_label="2020/21 Q2",
    value_text="97.82%",
    polarity=Polarity.HIGHER,
    change=Change.IMPROVING,
    previous_text="97.78%",
    previous_period_label="2020/21 Q1",
    target_text="97.50%",
    rating=Rating.GREEN,
    benchmark=bench(),
    neighbours_mean_text="96.33%",
    national_text="96.80%",
    national_basis=NationalBasis.PUBLISHED,
)


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s]


# -- the whole paragraph ---------------------------------------------------------------------


def test_the_seed_like_example_reads_as_a_paragraph() -> None:
    assert draft_commentary(SEED_LIKE) == (
        "In 2020/21 Q2 the value was 97.82%, up from 97.78% in 2020/21 Q1 (improving). "
        "This meets the target of 97.50% and is rated Green. "
        "Among itself and its 10 statistical neighbours, it ranks 3rd of 11 (top quartile); "
        "the statistical neighbours mean is 96.33% and the England figure is 96.80% "
        "(as published)."
    )


def test_the_worked_example_in_the_docs() -> None:
    facts = CommentaryFacts(
        period_label="2020/21 Q2", value_text="97.82%", polarity=Polarity.HIGHER,
        change=Change.IMPROVING, previous_text="97.78%", previous_period_label="2020/21 Q1",
        target_text="97.50%", rating=Rating.GREEN, benchmark=bench(group=NEIGHBOURS_WITH_A_GAP),
        neighbours_mean_text="96.33%", national_text="96.80%",
        national_basis=NationalBasis.PUBLISHED,
    )  # fmt: skip

    assert draft_commentary(facts) == (
        "In 2020/21 Q2 the value was 97.82%, up from 97.78% in 2020/21 Q1 (improving). "
        "This meets the target of 97.50% and is rated Green. "
        "Among itself and the 10 of its 11 statistical neighbours with a figure, it ranks "
        "3rd of 11 (top quartile); the statistical neighbours mean is 96.33% and the England "
        "figure is 96.80% (as published)."
    )


def test_the_seeds_broadband_indicator_with_its_england_mean_entered_by_hand() -> None:
    facts = CommentaryFacts(
        period_label="2020/21 Q2", value_text="97.83%", polarity=Polarity.HIGHER,
        change=Change.IMPROVING, previous_text="97.78%", previous_period_label="2020/21 Q1",
        target_text="98.50%", rating=Rating.AMBER, national_text="96.80%",
        national_basis=NationalBasis.ENTERED,
    )  # fmt: skip

    assert draft_commentary(facts) == (
        "In 2020/21 Q2 the value was 97.83%, up from 97.78% in 2020/21 Q1 (improving). "
        "This misses the target of 98.50% and is rated Amber. "
        "The England figure is 96.80% (entered by hand)."
    )


def test_every_part_in_order_makes_five_sentences() -> None:
    facts = CommentaryFacts(
        period_label="2020/21 Q2",
        value_text="83.4%",
        polarity=Polarity.HIGHER,
        change=Change.DECLINING,
        previous_text="88.0%",
        previous_period_label="2020/21 Q1",
        same_period_last_year_text="85.1%",
        last_year_period_label="2019/20 Q2",
        target_text="90.0%",
        rating=Rating.AMBER,
        spc_sentence="The last six points are all below the mean, a shift",
        benchmark=bench("83.4", {"A": Decimal(90), "B": Decimal(80), "C": Decimal(85)}),
        neighbours_mean_text="85.0%",
        national_text="84.2%",
        national_basis=NationalBasis.RATIO_OF_SUMS,
        forecast_sentence="On current trends it will reach 82.0% by 2021/22 Q2.",
    )

    text = draft_commentary(facts)

    assert sentences(text) == [
        "In 2020/21 Q2 the value was 83.4%, down from 88.0% in 2020/21 Q1 (declining); "
        "a year earlier, in 2019/20 Q2, it was 85.1%.",
        "This misses the target of 90.0% and is rated Amber.",
        "The last six points are all below the mean, a shift.",
        "Among itself and its 3 statistical neighbours, it ranks 3rd of 4 (third quartile); "
        "the statistical neighbours mean is 85.0% and the England figure is 84.2% "
        "(sum of numerators over sum of denominators).",
        "On current trends it will reach 82.0% by 2021/22 Q2.",
    ]


def test_no_facts_make_an_empty_draft() -> None:
    assert draft_commentary(CommentaryFacts()) == ""


def test_the_same_facts_always_give_the_same_words() -> None:
    assert {draft_commentary(SEED_LIKE) for _ in range(5)} == {draft_commentary(SEED_LIKE)}


# -- the level and the change ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "polarity", "previous", "expected"),
    [
        pytest.param(
            Change.IMPROVING, Polarity.HIGHER, "9%", ", up from 9% in Q1 (improving)",
            id="improving_higher_is_up",
        ),
        pytest.param(
            Change.IMPROVING, Polarity.LOWER, "11%", ", down from 11% in Q1 (improving)",
            id="improving_lower_is_down",
        ),
        pytest.param(
            Change.DECLINING, Polarity.HIGHER, "11%", ", down from 11% in Q1 (declining)",
            id="declining_higher_is_down",
        ),
        pytest.param(
            Change.DECLINING, Polarity.LOWER, "9%", ", up from 9% in Q1 (declining)",
            id="declining_lower_is_up",
        ),
        pytest.param(
            Change.UNCHANGED, Polarity.HIGHER, "10%", ", the same as in Q1", id="unchanged"
        ),
        pytest.param(None, Polarity.HIGHER, "9%", ", compared with 9% in Q1", id="no_change"),
        pytest.param(
            Change.IMPROVING, None, "9%", ", compared with 9% in Q1 (improving)",
            id="no_polarity",
        ),
        pytest.param(
            Change.IMPROVING, Polarity.HIGHER, None, ", an improvement on Q1",
            id="change_without_the_previous_figure",
        ),
        pytest.param(None, Polarity.HIGHER, None, "", id="no_previous_at_all"),
    ],
)  # fmt: skip
def test_the_change_in_performance(
    change: Change | None, polarity: Polarity | None, previous: str | None, expected: str
) -> None:
    facts = CommentaryFacts(
        period_label="Q2",
        value_text="10%",
        change=change,
        polarity=polarity,
        previous_text=previous,
        previous_period_label="Q1",
    )

    assert draft_commentary(facts) == f"In Q2 the value was 10%{expected}."


def test_without_period_labels_it_says_latest_and_previous() -> None:
    facts = CommentaryFacts(
        value_text="432,584", previous_text="430,001", change=Change.IMPROVING,
        polarity=Polarity.HIGHER, same_period_last_year_text="420,000",
    )  # fmt: skip

    assert draft_commentary(facts) == (
        "The latest value was 432,584, up from 430,001 in the previous period (improving); "
        "a year earlier it was 420,000."
    )


def test_no_value_means_no_level_sentence() -> None:
    facts = CommentaryFacts(period_label="Q2", previous_text="5%", change=Change.IMPROVING)

    assert draft_commentary(facts) == ""


# -- the target and the rating --------------------------------------------------------------


@pytest.mark.parametrize(
    ("rating", "expected"),
    [
        pytest.param(Rating.RED, "This misses the target of 90.0% and is rated Red.", id="red"),
        pytest.param(
            Rating.AMBER, "This misses the target of 90.0% and is rated Amber.", id="amber"
        ),
        pytest.param(
            Rating.GREEN, "This meets the target of 90.0% and is rated Green.", id="green"
        ),
        pytest.param(Rating.BLUE, "This exceeds the target of 90.0% and is rated Blue.", id="blue"),
        pytest.param(
            Rating.BASELINE,
            "It is a baseline indicator: performance is tracked to inform the setting of a target.",
            id="baseline",
        ),
        pytest.param(
            Rating.CONTEXTUAL,
            "It is a contextual indicator: key activity is tracked without a target.",
            id="contextual",
        ),
    ],
)
def test_the_target_and_rating(rating: Rating, expected: str) -> None:
    assert draft_commentary(CommentaryFacts(target_text="90.0%", rating=rating)) == expected


def test_a_rating_without_a_target_text() -> None:
    assert draft_commentary(CommentaryFacts(rating=Rating.RED)) == "It is rated Red."


def test_a_target_without_a_rating() -> None:
    assert draft_commentary(CommentaryFacts(target_text="4 stars")) == "The target is 4 stars."


def test_the_rating_explanation_is_used_when_there_is_no_rating() -> None:
    facts = CommentaryFacts(rating_explanation="No target applies to 2020/21 Q2, so no rating.")

    assert draft_commentary(facts) == "No target applies to 2020/21 Q2, so no rating."


def test_the_rating_explanation_gives_way_to_the_rating() -> None:
    facts = CommentaryFacts(
        target_text="90.0%", rating=Rating.AMBER, rating_explanation="83.4% is 7.3% below"
    )

    assert "7.3%" not in draft_commentary(facts)


# -- SPC and forecast ------------------------------------------------------------------------


def test_spc_and_forecast_sentences_are_kept_as_written_and_end_with_a_full_stop() -> None:
    facts = CommentaryFacts(
        spc_sentence="  Common cause variation only ", forecast_sentence="Forecast: 98.0%!"
    )

    assert draft_commentary(facts) == "Common cause variation only. Forecast: 98.0%!"


# -- benchmarks ------------------------------------------------------------------------------


def test_neighbours_with_no_figure_are_mentioned() -> None:
    facts = CommentaryFacts(benchmark=bench(group=NEIGHBOURS_WITH_A_GAP))

    assert draft_commentary(facts) == (
        "Among itself and the 10 of its 11 statistical neighbours with a figure, "
        "it ranks 3rd of 11 (top quartile)."
    )


def test_a_group_too_small_for_quartiles_gives_only_the_rank() -> None:
    facts = CommentaryFacts(benchmark=bench("5", {"A": Decimal(4), "B": Decimal(6)}))

    assert draft_commentary(facts) == (
        "Among itself and its 2 statistical neighbours, it ranks 2nd of 3."
    )


def test_one_neighbour_is_singular() -> None:
    facts = CommentaryFacts(benchmark=bench("5", {"A": Decimal(4)}))

    assert (
        draft_commentary(facts)
        == "Among itself and its 1 statistical neighbour, it ranks 1st of 2."
    )


def test_no_polarity_gives_a_position_from_the_highest() -> None:
    members = {"A": Decimal(4), "B": Decimal(6), "C": Decimal(1), "D": Decimal(9)}
    top = compare_with_group(Decimal(10), members, None, 0)
    third = compare_with_group(Decimal(5), members, None, 0)

    assert draft_commentary(CommentaryFacts(benchmark=top)) == (
        "Among itself and its 4 statistical neighbours, it has the highest value of 5."
    )
    assert "it has the 3rd highest value of 5" in draft_commentary(CommentaryFacts(benchmark=third))


def test_no_rank_without_a_home_value_or_anyone_to_rank_against() -> None:
    no_home = compare_with_group(None, NEIGHBOURS, Polarity.HIGHER, 2)
    alone = compare_with_group(Decimal(5), {}, Polarity.HIGHER, 2)

    assert draft_commentary(CommentaryFacts(benchmark=no_home)) == ""
    assert draft_commentary(CommentaryFacts(benchmark=alone)) == ""


def test_an_entered_mean_and_national_figure_say_so_as_in_the_seed() -> None:
    facts = CommentaryFacts(
        neighbours_mean_text="96.10%",
        neighbours_mean_basis=GroupMeanBasis.ENTERED,
        national_text="96.8%",
        national_basis=NationalBasis.ENTERED,
    )

    assert draft_commentary(facts) == (
        "The statistical neighbours mean is 96.10% (entered by hand) and the England figure "
        "is 96.8% (entered by hand)."
    )


@pytest.mark.parametrize(
    ("includes_home", "mean", "words"),
    [
        pytest.param(True, "30.0", "this council included, 4 councils", id="family_group"),
        pytest.param(False, "30.0", "this council not included, 3 councils", id="neighbours"),
    ],
)
def test_a_computed_mean_says_whether_this_council_is_in_it(
    includes_home: bool, mean: str, words: str
) -> None:
    members = {"A": Decimal(10), "B": Decimal(20), "C": Decimal(60)}
    comparison = compare_with_group(
        Decimal(30), members, Polarity.HIGHER, 1, includes_home=includes_home
    )
    facts = CommentaryFacts(
        benchmark=comparison,
        group_name="family group",
        neighbours_mean_text=f"{mean}%",
        neighbours_mean_basis=GroupMeanBasis.COMPUTED,
    )

    assert draft_commentary(facts).endswith(f"; the family group mean is {mean}% ({words}).")


def test_a_mean_of_councils_is_labelled_as_not_a_national_rate() -> None:
    facts = CommentaryFacts(
        national_text="61.2%",
        national_label="England",
        national_basis=NationalBasis.MEAN_OF_COUNCILS,
    )

    assert draft_commentary(facts) == (
        "The England figure is 61.2% (mean of councils' rates — not a national rate)."
    )


def test_the_group_and_the_nation_can_be_named() -> None:
    facts = CommentaryFacts(
        group_name="family group councils", neighbours_mean_text="5", national_text="6",
        national_label="Wales",
    )  # fmt: skip

    assert (
        draft_commentary(facts) == "The family group councils mean is 5 and the Wales figure is 6."
    )


# -- words ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        pytest.param(1, "1st", id="1"),
        pytest.param(2, "2nd", id="2"),
        pytest.param(3, "3rd", id="3"),
        pytest.param(4, "4th", id="4"),
        pytest.param(11, "11th", id="11"),
        pytest.param(12, "12th", id="12"),
        pytest.param(13, "13th", id="13"),
        pytest.param(21, "21st", id="21"),
        pytest.param(22, "22nd", id="22"),
        pytest.param(23, "23rd", id="23"),
        pytest.param(101, "101st", id="101"),
        pytest.param(111, "111th", id="111"),
        pytest.param(112, "112th", id="112"),
        pytest.param(152, "152nd", id="152_all_english_councils"),
    ],
)
def test_ordinals(number: int, expected: str) -> None:
    assert ordinal(number) == expected


def test_an_ordinal_needs_a_number_of_zero_or_more() -> None:
    with pytest.raises(ValueError, match="-1"):
        ordinal(-1)


def test_quartile_words() -> None:
    assert [quartile_words(q) for q in (1, 2, 3, 4)] == [
        "top quartile",
        "second quartile",
        "third quartile",
        "bottom quartile",
    ]
    with pytest.raises(ValueError, match="1 to 4"):
        quartile_words(5)


# -- properties ------------------------------------------------------------------------------

figures = st.decimals(min_value=Decimal("-1e6"), max_value=Decimal("1e6"), places=2)
texts = st.one_of(st.none(), st.just(""), st.just("  "), figures.map(lambda d: f"{d:,.2f}%"))
labels = st.one_of(st.none(), st.just(""), st.sampled_from(["2020/21 Q1", "2020/21 Q2", "2019/20"]))
sentence_texts = st.one_of(
    st.none(), st.just(""), st.sampled_from(["Common cause variation only", "It may reach 5%."])
)
benchmarks = st.one_of(
    st.none(),
    st.builds(
        compare_with_group,
        st.one_of(st.none(), figures),
        st.dictionaries(
            st.text(min_size=1, max_size=3), st.one_of(st.none(), figures), max_size=12
        ),
        st.one_of(st.none(), st.sampled_from(Polarity)),
        st.integers(min_value=0, max_value=3),
    ),
)
facts_strategy = st.builds(
    CommentaryFacts,
    period_label=labels,
    value_text=texts,
    polarity=st.one_of(st.none(), st.sampled_from(Polarity)),
    change=st.one_of(st.none(), st.sampled_from(Change)),
    previous_text=texts,
    previous_period_label=labels,
    same_period_last_year_text=texts,
    last_year_period_label=labels,
    target_text=texts,
    rating=st.one_of(st.none(), st.sampled_from(Rating)),
    rating_explanation=sentence_texts,
    spc_sentence=sentence_texts,
    benchmark=benchmarks,
    neighbours_mean_text=texts,
    neighbours_mean_basis=st.one_of(st.none(), st.sampled_from(GroupMeanBasis)),
    national_text=texts,
    national_basis=st.one_of(st.none(), st.sampled_from(NationalBasis)),
    forecast_sentence=sentence_texts,
)


@PROPERTY
@given(facts_strategy)
def test_a_draft_never_shows_none_or_nan_and_is_tidy(facts: CommentaryFacts) -> None:
    text = draft_commentary(facts)

    assert "None" not in text
    assert "nan" not in text.lower()
    assert "  " not in text
    assert text == text.strip()
    if text:
        assert text.endswith((".", "!", "?"))
        assert text[0].isupper()
        assert len(sentences(text)) <= 5


@PROPERTY
@given(facts_strategy)
def test_a_draft_is_deterministic(facts: CommentaryFacts) -> None:
    assert draft_commentary(facts) == draft_commentary(facts)
