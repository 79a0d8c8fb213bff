"""Benchmarks: group mean and median, rank and quartile, the national value
and published cells."""

import time
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfreport.core.benchmarking import (
    MIN_FOR_QUARTILES,
    SUPPRESSION_MARKERS,
    GroupComparison,
    GroupMean,
    GroupMeanBasis,
    NationalBasis,
    NationalValue,
    compare_with_group,
    group_mean,
    national_value,
    parse_published_number,
    quartile_of,
)
from perfreport.core.rating import Polarity

PROPERTY = settings(max_examples=200, deadline=None)


def group(*values: str | None) -> dict[str, Decimal | None]:
    """A comparator group of organisations N1, N2, ... with these values."""
    return {f"N{i}": None if v is None else Decimal(v) for i, v in enumerate(values, start=1)}


def compare(
    home: str | None,
    members: dict[str, Decimal | None],
    polarity: Polarity | None = Polarity.HIGHER,
    decimals: int = 1,
) -> GroupComparison:
    return compare_with_group(None if home is None else Decimal(home), members, polarity, decimals)


def test_the_worked_example_in_the_docs() -> None:
    neighbours = group(
        "98.1", "97.9", "97.5", "97.0", "96.6", "96.2", "95.9", "95.1", "94.8", "94.2",
        None,  # suppressed: "c"
    )  # fmt: skip

    result = compare("97.82", neighbours, decimals=2)

    assert (result.missing, result.members_with_data) == (1, 10)
    assert (result.mean_as_shown, result.median_as_shown) == (Decimal("96.33"), Decimal("96.40"))
    assert (result.rank, result.group_size, result.quartile) == (3, 11, 1)


# -- mean and median ---------------------------------------------------------------------


def test_the_mean_and_median_are_of_the_neighbours_only() -> None:
    result = compare("100", group("10", "20", "60"))

    assert result.mean == Decimal(30)
    assert result.median == Decimal(20)


def test_the_median_of_an_even_number_is_the_mean_of_the_middle_two() -> None:
    assert compare("1", group("4", "1", "3", "10")).median == Decimal("3.5")


def test_the_mean_is_kept_exact_and_rounded_only_to_show() -> None:
    result = compare("1", group("1", "1", "2"), decimals=2)

    assert result.mean == Decimal(4) / Decimal(3)
    assert result.mean_as_shown == Decimal("1.33")
    assert result.median_as_shown == Decimal("1.00")


def test_a_group_with_no_values_has_no_mean_or_median() -> None:
    result = compare("5", group(None, None))

    assert (result.mean, result.median, result.mean_as_shown) == (None, None, None)
    assert (result.missing, result.members, result.members_with_data) == (2, 2, 0)


def test_an_empty_group_ranks_the_home_organisation_alone() -> None:
    result = compare("5", {})

    assert (result.rank, result.group_size, result.quartile) == (1, 1, None)
    assert result.quartile_note == "too few organisations (1) for quartiles"


# -- missing and suppressed values ----------------------------------------------------------


def test_missing_values_are_counted_not_ranked_and_not_averaged() -> None:
    result = compare("50", group("40", None, "60", None, "20"))

    assert result.missing == 2
    assert result.members == 5
    assert result.group_size == 4  # three neighbours with a value, and the home one
    assert result.mean == Decimal(40)


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(Decimal("NaN"), id="nan"),
        pytest.param(Decimal("sNaN"), id="signalling_nan"),
        pytest.param(Decimal("Infinity"), id="infinity"),
    ],
)
def test_a_value_that_is_not_a_finite_number_reads_as_missing(bad: Decimal) -> None:
    result = compare_with_group(Decimal(5), {"A": bad, "B": Decimal(4)}, Polarity.HIGHER, 0)

    assert (result.missing, result.mean, result.group_size) == (1, Decimal(4), 2)


def test_no_value_for_the_home_organisation_means_no_rank_but_still_a_mean() -> None:
    result = compare(None, group("1", "2", "3", "4"))

    assert result.rank is None
    assert result.quartile is None
    assert result.quartile_note == "no value for this organisation, so no rank or quartile"
    assert result.group_size == 4
    assert result.mean == Decimal("2.5")


def test_the_home_organisation_in_its_own_group_is_not_counted_twice() -> None:
    region = {"HOME": Decimal(70), "A": Decimal(80), "B": Decimal(60), "C": Decimal(50)}

    result = compare_with_group(Decimal(70), region, Polarity.HIGHER, 0, home_code="HOME")

    assert (result.members, result.group_size, result.rank) == (3, 4, 2)
    assert result.mean == Decimal(Decimal(190) / 3)


# -- averages as published: with or without the home organisation --------------------------

FAMILY = group("10", "20", "60", None)  # three members with a figure, one suppressed


@pytest.mark.parametrize(
    ("home", "includes_home", "mean", "median", "averaged", "words"),
    [
        pytest.param(
            "30", False, Decimal(30), Decimal(20), 3, "this council not included, 3 councils",
            id="statistical_neighbours_leave_it_out",
        ),
        pytest.param(
            "30", True, Decimal(30), Decimal(25), 4, "this council included, 4 councils",
            id="a_family_group_counts_it",
        ),
        pytest.param(
            "2", True, Decimal(23), Decimal(15), 4, "this council included, 4 councils",
            id="a_low_home_value_pulls_the_mean_down",
        ),
        pytest.param(
            "2.5", True, Decimal("23.125"), Decimal(15), 4, "this council included, 4 councils",
            id="exact_quarters",
        ),
        pytest.param(
            "1.1", True, Decimal("22.775"), Decimal(15), 4,
            "this council included, 4 councils", id="kept_exact_not_rounded",
        ),
        pytest.param(
            None, True, Decimal(30), Decimal(20), 3, "this council has no figure, 3 councils",
            id="included_but_no_figure",
        ),
    ],
)  # fmt: skip
def test_the_mean_and_median_include_the_home_organisation_as_published(
    home: str | None,
    includes_home: bool,
    mean: Decimal,
    median: Decimal,
    averaged: int,
    words: str,
) -> None:
    value = None if home is None else Decimal(home)

    result = compare_with_group(value, FAMILY, Polarity.HIGHER, 1, includes_home=includes_home)

    assert (result.mean, result.median) == (mean, median)
    assert (result.averaged, result.average_words) == (averaged, words)
    assert (result.includes_home, result.members, result.missing) == (includes_home, 4, 1)


@pytest.mark.parametrize("includes_home", [False, True], ids=["excluded", "included"])
def test_rank_and_quartile_do_not_depend_on_whether_the_average_includes_it(
    includes_home: bool,
) -> None:
    """The rank always places the home organisation among the members: n
    members with it among them when the average includes it, the n members
    and it (n + 1) when the average leaves it out."""
    result = compare_with_group(
        Decimal(30), FAMILY, Polarity.HIGHER, 1, includes_home=includes_home
    )

    assert (result.rank, result.group_size, result.quartile) == (2, 4, 2)


def test_a_region_listing_the_home_organisation_counts_it_once_when_included() -> None:
    region = {"HOME": Decimal(70), "A": Decimal(80), "B": Decimal(60), "C": Decimal(50)}

    result = compare_with_group(
        Decimal(70), region, Polarity.HIGHER, 0, home_code="HOME", includes_home=True
    )

    assert (result.members, result.averaged, result.group_size) == (3, 4, 4)
    assert (result.mean, result.median) == (Decimal(65), Decimal(65))


def test_one_council_is_one_council() -> None:
    result = compare_with_group(None, group("5"), Polarity.HIGHER, 0)

    assert result.average_words == "this council not included, 1 council"


# -- rank --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("home", "polarity", "rank"),
    [
        pytest.param("95", Polarity.HIGHER, 1, id="higher_best"),
        pytest.param("65", Polarity.HIGHER, 4, id="higher_middle"),
        pytest.param("5", Polarity.HIGHER, 8, id="higher_worst"),
        pytest.param("5", Polarity.LOWER, 1, id="lower_best"),
        pytest.param("95", Polarity.LOWER, 8, id="lower_worst"),
        pytest.param("65", None, 4, id="no_polarity_is_position_from_the_highest"),
    ],
)
def test_rank_follows_polarity(home: str, polarity: Polarity | None, rank: int) -> None:
    members = group("90", "80", "70", "60", "50", "40", "30")

    assert compare(home, members, polarity).rank == rank


def test_ties_share_the_best_rank_competition_ranking() -> None:
    members = group("90", "80", "80", "70")

    assert compare("80", members).rank == 2
    assert compare("75", members).rank == 4  # after 90, 80, 80: ranks 1, 2, 2, 4


def test_rank_is_judged_on_the_figures_as_published() -> None:
    members = group("97.84")

    assert compare("97.82", members, decimals=1).rank == 1  # both 97.8: a tie
    assert compare("97.82", members, decimals=2).rank == 2


# -- quartile ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "quartiles"),
    [
        pytest.param(4, [1, 2, 3, 4], id="4_one_each"),
        pytest.param(5, [1, 1, 2, 3, 4], id="5"),
        pytest.param(8, [1, 1, 2, 2, 3, 3, 4, 4], id="8_two_each"),
        pytest.param(11, [1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4], id="11_neighbours_and_home"),
    ],
)
def test_quartile_by_rank(size: int, quartiles: list[int]) -> None:
    assert [quartile_of(rank, size) for rank in range(1, size + 1)] == quartiles


def test_quartile_is_where_the_value_falls_against_percentile_inc_thresholds() -> None:
    # 9 organisations (positions 0..8): PERCENTILE.INC puts the 75th percentile
    # exactly on the 3rd best, who takes the better band.
    assert [quartile_of(rank, 9) for rank in range(1, 10)] == [1, 1, 1, 2, 2, 3, 3, 4, 4]


@pytest.mark.parametrize(
    ("rank", "size"),
    [
        pytest.param(1, 3, id="too_few"),
        pytest.param(0, 10, id="rank_0"),
        pytest.param(11, 10, id="rank_beyond_size"),
    ],
)
def test_quartile_of_refuses_impossible_input(rank: int, size: int) -> None:
    with pytest.raises(ValueError, match=r"quartile|rank"):
        quartile_of(rank, size)


def test_a_group_too_small_for_quartiles_says_so() -> None:
    result = compare("50", group("40", "60"))

    assert (result.rank, result.group_size, result.quartile) == (2, 3, None)
    assert result.quartile_note == "too few organisations (3) for quartiles"


def test_four_organisations_are_enough_for_quartiles() -> None:
    assert MIN_FOR_QUARTILES == 4
    result = compare("50", group("40", "60", "70"))

    assert (result.rank, result.quartile, result.quartile_note) == (3, 3, None)


def test_no_polarity_gives_a_position_but_no_quartile() -> None:
    result = compare("50", group("40", "60", "70", "10"), polarity=None)

    assert (result.rank, result.quartile) == (3, None)
    assert result.quartile_note == "no direction for improvement, so no quartile"
    assert not result.has_direction


def test_ties_share_a_quartile() -> None:
    members = group("80", "80", "80", "80", "10", "10", "10")

    assert compare("80", members).quartile == 1


# -- properties ----------------------------------------------------------------------------

values = st.decimals(min_value=Decimal("-1000"), max_value=Decimal("1000"), places=2)
maybe_values = st.one_of(st.none(), values)


@PROPERTY
@given(values, st.lists(maybe_values, max_size=30))
def test_reversing_polarity_reverses_the_rank(home: Decimal, raw: list[Decimal | None]) -> None:
    members = {f"N{i}": v for i, v in enumerate(raw)}
    higher = compare_with_group(home, members, Polarity.HIGHER, 2)
    lower = compare_with_group(home, members, Polarity.LOWER, 2)
    assert higher.rank is not None and lower.rank is not None
    ties = sum(1 for v in raw if v is not None and v == home)

    assert higher.rank + lower.rank == higher.group_size + 1 - ties
    assert higher.mean == lower.mean
    assert higher.missing == lower.missing == raw.count(None)


@PROPERTY
@given(values, st.lists(values, max_size=30))
def test_rank_and_quartile_stay_in_range(home: Decimal, raw: list[Decimal]) -> None:
    result = compare_with_group(home, {str(i): v for i, v in enumerate(raw)}, Polarity.HIGHER, 2)

    assert result.rank is not None and 1 <= result.rank <= result.group_size
    if result.group_size >= MIN_FOR_QUARTILES:
        assert result.quartile in (1, 2, 3, 4)
        assert result.quartile_note is None
    else:
        assert result.quartile is None and result.quartile_note


@PROPERTY
@given(st.integers(min_value=4, max_value=200), st.data())
def test_a_better_rank_never_has_a_worse_quartile(size: int, data: st.DataObject) -> None:
    rank = data.draw(st.integers(min_value=1, max_value=size - 1))

    assert quartile_of(rank, size) <= quartile_of(rank + 1, size)
    assert quartile_of(1, size) == 1
    assert quartile_of(size, size) == 4


def test_a_thousand_comparisons_take_well_under_a_fifth_of_a_second() -> None:
    members: dict[str, Decimal | None] = {f"E{i:08}": Decimal(i) / 7 for i in range(11)}
    members["E00000011"] = None

    def run() -> float:
        start = time.perf_counter()
        for i in range(1000):
            compare_with_group(Decimal(i % 13), members, Polarity.HIGHER, 1)
        return time.perf_counter() - start

    assert min(run() for _ in range(3)) < 0.2


# -- group mean: computed or entered ----------------------------------------------------------


def test_a_computed_group_mean_beats_one_entered_by_hand_and_keeps_it() -> None:
    comparison = compare("5", group("4", "6"))

    assert group_mean(comparison, Decimal("9.9")) == GroupMean(
        Decimal(5), GroupMeanBasis.COMPUTED, entered=Decimal("9.9")
    )


def test_the_seeds_typed_in_neighbours_mean_is_labelled_entered() -> None:
    result = group_mean(None, Decimal("96.1"))

    assert result is not None
    assert result.basis is GroupMeanBasis.ENTERED
    assert result.basis.label == "entered by hand"


def test_an_entered_mean_is_used_when_no_neighbour_has_a_value() -> None:
    result = group_mean(compare("5", group(None, None)), Decimal("7"))

    assert result is not None and result.basis is GroupMeanBasis.ENTERED


def test_no_group_mean_without_values_or_an_entered_one() -> None:
    assert group_mean(compare("5", group(None)), None) is None


# -- national value ----------------------------------------------------------------------------


def d(*values: str | None) -> list[Decimal | None]:
    return [None if v is None else Decimal(v) for v in values]


def test_a_published_national_figure_is_used_as_published() -> None:
    result = national_value(Decimal("96.8"), d("1"), d("10"), d("10"), Decimal("95"))

    assert result == NationalValue(Decimal("96.8"), NationalBasis.PUBLISHED, entered=Decimal(95))
    assert result.basis.label == "as published"


def test_the_national_rate_is_the_sum_of_numerators_over_the_sum_of_denominators() -> None:
    result = national_value(None, d("1", "90"), d("10", "100"), d("10", "90"))

    assert result is not None
    assert result.basis is NationalBasis.RATIO_OF_SUMS
    assert result.value == Decimal(91) / Decimal(110) * 100  # 82.7%, not the mean 50%
    assert (result.counted, result.missing) == (2, 0)


def test_the_ratio_of_sums_is_scaled_for_rates_per_thousand() -> None:
    result = national_value(None, d("3", "5"), d("1000", "3000"), scale=Decimal(1000))

    assert result is not None and result.value == Decimal(2)


def test_organisations_with_no_figure_at_all_do_not_stop_the_ratio() -> None:
    result = national_value(None, d("1", None, "9"), d("10", None, "90"), d("10", None, "10"))

    assert result is not None
    assert result.basis is NationalBasis.RATIO_OF_SUMS
    assert (result.value, result.counted, result.missing) == (Decimal(10), 2, 1)


def test_where_only_rates_exist_it_is_a_mean_of_councils_and_says_so() -> None:
    result = national_value(None, rates=d("10", "90", None))

    assert result is not None
    assert result.basis is NationalBasis.MEAN_OF_COUNCILS
    assert result.basis.label == "mean of councils' rates — not a national rate"
    assert (result.value, result.counted, result.missing) == (Decimal(50), 2, 1)


def test_a_rate_without_its_numerator_makes_it_a_mean_of_councils() -> None:
    result = national_value(None, d("1", None), d("10", None), d("10", "90"))

    assert result is not None
    assert result.basis is NationalBasis.MEAN_OF_COUNCILS
    assert result.value == Decimal(50)


def test_a_missing_rate_is_worked_out_from_its_numerator_and_denominator() -> None:
    result = national_value(None, d("1", None), d("10", None), d(None, "90"))

    assert result is not None and result.value == Decimal(50)


def test_a_figure_entered_by_hand_still_works_and_is_labelled_entered() -> None:
    result = national_value(entered=Decimal("96.8"))

    assert result == NationalValue(Decimal("96.8"), NationalBasis.ENTERED, entered=Decimal("96.8"))
    assert result.basis.label == "entered by hand"


def test_a_ratio_of_sums_beats_a_figure_entered_by_hand_and_keeps_it() -> None:
    result = national_value(None, d("1"), d("4"), entered=Decimal("30"))

    assert result is not None
    assert (result.basis, result.value, result.entered) == (
        NationalBasis.RATIO_OF_SUMS,
        Decimal(25),
        Decimal(30),
    )


def test_a_figure_entered_by_hand_beats_a_mean_of_councils() -> None:
    result = national_value(None, rates=d("10", "90"), entered=Decimal("82.7"))

    assert result is not None and result.basis is NationalBasis.ENTERED


def test_zero_denominators_give_no_ratio() -> None:
    result = national_value(None, d("0", "0"), d("0", "0"))

    assert result is None


def test_nothing_to_go_on_gives_no_national_value() -> None:
    assert national_value(None, d(None), d(None), d(None), None) is None


def test_sequences_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match=r"lengths differ \(2, 1, 0\)"):
        national_value(None, d("1", "2"), d("3"))


def test_every_national_basis_has_a_label() -> None:
    assert {b: b.label for b in NationalBasis} == {
        NationalBasis.PUBLISHED: "as published",
        NationalBasis.RATIO_OF_SUMS: "sum of numerators over sum of denominators",
        NationalBasis.MEAN_OF_COUNCILS: "mean of councils' rates — not a national rate",
        NationalBasis.ENTERED: "entered by hand",
    }


# -- published cells ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("-", id="hyphen"),
        pytest.param("x", id="x_not_available"),
        pytest.param("X", id="capital_x"),
        pytest.param("c", id="c_confidential"),
        pytest.param("..", id="two_dots"),
        pytest.param(":", id="colon"),
        pytest.param("z", id="z_not_applicable"),
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
        pytest.param("NA", id="na"),
        pytest.param("n/a", id="n_slash_a"),
        pytest.param("#N/A", id="excel_na"),
        pytest.param("[c]", id="gss_c"),
        pytest.param("[x]", id="gss_x"),
        pytest.param("[z]", id="gss_z"),
        pytest.param(" [C] ", id="gss_c_spaced_capital"),
        pytest.param("*", id="asterisk"),
        pytest.param("low", id="low"),
        pytest.param("–", id="en_dash"),
        pytest.param("NaN", id="nan"),
    ],
)
def test_suppression_markers_read_as_missing(text: str) -> None:
    assert parse_published_number(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("97.82", "97.82", id="plain"),
        pytest.param("1,234", "1234", id="thousands"),
        pytest.param("1,234,567.5", "1234567.5", id="millions"),
        pytest.param("12.5%", "12.5", id="percent_sign_kept_in_percent"),
        pytest.param(" 42 ", "42", id="spaces"),
        pytest.param("-3.5", "-3.5", id="negative"),
        pytest.param("−3.5", "-3.5", id="unicode_minus"),
        pytest.param("£1,250.00", "1250.00", id="pounds"),
        pytest.param("7.0000000000000007E-2", "0.07", id="dfe_float_noise"),
        pytest.param("0.30000000000000004", "0.3", id="float_noise_without_exponent"),
        pytest.param("7E-2", "0.07", id="scientific"),
        pytest.param("1.5e3", "1500", id="scientific_positive_exponent"),
        pytest.param("12.3 [p]", "12.3", id="provisional_flag"),
        pytest.param("45[r]", "45", id="revised_flag"),
        pytest.param(".5", "0.5", id="leading_point"),
        pytest.param("0", "0", id="zero"),
    ],
)
def test_published_numbers_are_read(text: str, expected: str) -> None:
    assert parse_published_number(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("abc", id="word"),
        pytest.param("1,23", id="bad_grouping"),
        pytest.param("1.2.3", id="two_points"),
        pytest.param("inf", id="infinity"),
        pytest.param("12 apples", id="trailing_word"),
        pytest.param("[q]", id="unknown_marker"),
        pytest.param("5 [c]", id="value_with_a_suppression_flag"),
    ],
)
def test_anything_else_is_refused_with_the_text_named(text: str) -> None:
    with pytest.raises(ValueError, match="is not a number") as error:
        parse_published_number(text)
    assert repr(text) in str(error.value)
    assert "suppression marker" in str(error.value)


def test_the_markers_are_all_lower_case_and_trimmed() -> None:
    assert all(m == m.strip().casefold() for m in SUPPRESSION_MARKERS)


@PROPERTY
@given(st.decimals(min_value=-(10**10), max_value=10**10, places=4))
def test_a_number_written_plainly_reads_back_as_itself(number: Decimal) -> None:
    assert parse_published_number(f"{number:f}") == number


@PROPERTY
@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2))
def test_a_number_with_thousands_separators_reads_back_as_itself(number: Decimal) -> None:
    assert parse_published_number(f"{number:,.2f}") == number
