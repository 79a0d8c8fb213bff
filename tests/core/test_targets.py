"""Which target applies to a period, and why."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfreport.core.periods import Frequency, Period, parse_period
from perfreport.core.targets import (
    ResolvedTarget,
    TargetBasis,
    TargetEntry,
    TargetKind,
    resolve_target,
)

PROPERTY = settings(max_examples=200, deadline=None)


def p(text: str) -> Period:
    return parse_period(text)


def period_target(period: str, value: str) -> TargetEntry:
    return TargetEntry(p(period), Decimal(value))


def milestone(period: str, value: str) -> TargetEntry:
    return TargetEntry(p(period), Decimal(value), TargetKind.MILESTONE)


# The seed's broadband targets: 97% by the end of 2019, then 99% by the end of 2020.
BROADBAND = [milestone("2019-12", "97"), milestone("2020-12", "99")]


def resolve(
    period: str, entries: list[TargetEntry], *, cumulative: bool = False, decimals: int = 2
) -> ResolvedTarget | None:
    return resolve_target(p(period), entries, cumulative=cumulative, decimals=decimals)


# -- period targets ------------------------------------------------------------------------


def test_a_target_for_exactly_the_period_wins() -> None:
    entries = [period_target("2020/21", "100"), period_target("2020/21 Q2", "90")]
    resolved = resolve("2020/21 Q2", entries)
    assert resolved == ResolvedTarget(Decimal("90"), TargetBasis.SET, (entries[1],))
    assert not resolved.is_pro_rata


def test_an_exact_period_target_wins_over_milestones() -> None:
    own = period_target("2020/21 Q2", "95")
    resolved = resolve("2020/21 Q2", [*BROADBAND, own])
    assert resolved is not None
    assert (resolved.value, resolved.basis) == (Decimal("95"), TargetBasis.SET)


def test_a_years_target_applies_to_its_months_unchanged() -> None:
    year = period_target("2020/21", "95")
    resolved = resolve("2020-05", [year])
    assert resolved == ResolvedTarget(Decimal("95"), TargetBasis.CONTAINING, (year,))


def test_the_shortest_containing_target_applies() -> None:
    year, quarter = period_target("2020/21", "95"), period_target("2020/21 Q1", "90")
    resolved = resolve("2020-05", [year, quarter])
    assert resolved is not None
    assert (resolved.value, resolved.sources) == (Decimal("90"), (quarter,))


def test_a_containing_target_wins_over_milestones() -> None:
    year = period_target("2020/21", "95")
    resolved = resolve("2020/21 Q2", [*BROADBAND, year])
    assert resolved is not None
    assert (resolved.value, resolved.basis) == (Decimal("95"), TargetBasis.CONTAINING)


def test_a_target_for_another_year_does_not_contain_the_period() -> None:
    assert resolve("2021-05", [period_target("2021/22 Q2", "95")]) is None


# -- cumulative measures: pro rata -----------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "value", "share"),
    [
        pytest.param("2020/21 Q2", Decimal("600"), (6, 12), id="half_year_at_q2"),
        pytest.param("2020-05", Decimal("200"), (2, 12), id="two_months_at_may"),
        pytest.param("2020-04", Decimal("100"), (1, 12), id="first_month"),
        pytest.param("2020/21 Q4", Decimal("1200"), (12, 12), id="whole_year_at_q4"),
        pytest.param("2021-03", Decimal("1200"), (12, 12), id="whole_year_at_march"),
    ],
)
def test_a_cumulative_years_target_is_pro_rata(
    period: str, value: Decimal, share: tuple[int, int]
) -> None:
    year = period_target("2020/21", "1200")
    resolved = resolve(period, [year], cumulative=True, decimals=0)
    assert resolved == ResolvedTarget(value, TargetBasis.PRO_RATA, (year,), share)
    assert resolved.is_pro_rata


def test_a_cumulative_quarters_target_is_pro_rata_over_the_quarter() -> None:
    quarter = period_target("2020/21 Q2", "300")
    resolved = resolve("2020-08", [quarter], cumulative=True, decimals=0)
    assert resolved is not None
    assert (resolved.value, resolved.share) == (Decimal("200"), (2, 3))


@pytest.mark.parametrize(
    ("annual", "period", "decimals", "expected"),
    [
        pytest.param("1000", "2020-04", 1, "83.3", id="a_twelfth_rounded_to_one_place"),
        pytest.param("1000", "2020-05", 0, "167", id="a_sixth_rounded_up"),
        pytest.param("10", "2020/21 Q1", 0, "3", id="a_quarter_of_10_is_2_5_half_up_to_3"),
        pytest.param("10", "2020/21 Q1", 2, "2.50", id="kept_to_the_indicators_decimals"),
    ],
)
def test_a_pro_rata_target_is_rounded_half_up_to_the_indicators_decimals(
    annual: str, period: str, decimals: int, expected: str
) -> None:
    resolved = resolve(
        period, [period_target("2020/21", annual)], cumulative=True, decimals=decimals
    )
    assert resolved is not None
    assert str(resolved.value) == expected


def test_the_exact_period_target_of_a_cumulative_measure_is_not_pro_rata() -> None:
    entries = [period_target("2020/21", "1200"), period_target("2020/21 Q2", "650")]
    resolved = resolve("2020/21 Q2", entries, cumulative=True, decimals=0)
    assert resolved is not None
    assert (resolved.value, resolved.basis, resolved.share) == (
        Decimal("650"),
        TargetBasis.SET,
        None,
    )


# -- milestones -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "expected", "sources"),
    [
        pytest.param("2019/20 Q2", "97", 1, id="before_the_first_milestone_is_the_first"),
        pytest.param("2019/20 Q3", "97", 1, id="at_the_first_milestone"),
        pytest.param("2019/20 Q4", "97.50", 2, id="q4_2019_20_is_97_5_as_the_seed_says"),
        pytest.param("2020/21 Q1", "98.00", 2, id="q1_2020_21"),
        pytest.param("2020/21 Q2", "98.50", 2, id="q2_2020_21"),
        pytest.param("2020-10", "98.67", 2, id="october_2020_is_10_of_12_months"),
        pytest.param("2020/21 Q3", "99", 1, id="at_the_last_milestone"),
        pytest.param("2020/21 Q4", "99", 1, id="after_the_last_milestone_is_the_last"),
        pytest.param("2018/19", "97", 1, id="a_year_before_everything"),
    ],
)
def test_milestones_are_interpolated_by_month(period: str, expected: str, sources: int) -> None:
    resolved = resolve(period, BROADBAND)
    assert resolved is not None
    assert resolved.basis is TargetBasis.INTERPOLATED
    assert str(resolved.value) == expected
    assert len(resolved.sources) == sources


def test_interpolation_at_the_first_milestone_cites_only_it() -> None:
    resolved = resolve("2019-12", BROADBAND)
    assert resolved is not None
    assert resolved.sources == (BROADBAND[0],)
    after = resolve("2021-06", BROADBAND)
    assert after is not None
    assert after.sources == (BROADBAND[1],)


def test_interpolation_cites_the_two_milestones_around_the_period() -> None:
    resolved = resolve("2019/20 Q4", BROADBAND)
    assert resolved is not None
    assert resolved.sources == tuple(BROADBAND)


def test_milestones_are_used_in_date_order_whatever_order_they_are_given() -> None:
    entries = [milestone("2020-12", "99"), milestone("2020-06", "98.5"), milestone("2019-12", "97")]
    # 2019/20 Q4 ends March 2020: half way from Dec 2019 (97) to June 2020 (98.5).
    q4 = resolve("2019/20 Q4", entries)
    assert q4 is not None
    assert str(q4.value) == "97.75"
    assert [e.value for e in q4.sources] == [Decimal("97"), Decimal("98.5")]
    # At the middle milestone exactly, it is that milestone's value.
    q1 = resolve("2020/21 Q1", entries)
    assert q1 is not None
    assert q1.value == Decimal("98.5")
    # 2020/21 Q2 ends September: half way from June (98.5) to December (99).
    q2 = resolve("2020/21 Q2", entries)
    assert q2 is not None
    assert str(q2.value) == "98.75"


def test_an_interpolated_target_is_rounded_half_up() -> None:
    # One third of the way from 97 to 98 is 97.333...; a sixth of the way from 0 to 3 is 0.5.
    thirds = resolve(
        "2020-03", [milestone("2019-12", "97"), milestone("2020-09", "98")], decimals=1
    )
    assert thirds is not None
    assert str(thirds.value) == "97.3"
    half = resolve("2020-01", [milestone("2019-12", "0"), milestone("2020-06", "3")], decimals=0)
    assert half is not None
    assert str(half.value) == "1"


def test_falling_milestones_interpolate_downwards() -> None:
    entries = [milestone("2019-12", "20"), milestone("2020-12", "8")]
    resolved = resolve("2020/21 Q1", entries, decimals=1)
    assert resolved is not None
    assert str(resolved.value) == "14.0"


def test_milestones_also_apply_to_cumulative_measures() -> None:
    resolved = resolve("2019/20 Q4", BROADBAND, cumulative=True)
    assert resolved is not None
    assert str(resolved.value) == "97.50"


def test_milestones_given_as_a_one_shot_iterable_are_still_used() -> None:
    # resolve_target accepts any Iterable; a generator must give the same answer as a list.
    resolved = resolve_target(p("2019/20 Q4"), (e for e in BROADBAND), cumulative=False, decimals=2)
    assert resolved is not None
    assert str(resolved.value) == "97.50"


# -- carried forward ----------------------------------------------------------------------------


def test_an_earlier_target_is_carried_forward_for_a_snapshot_measure() -> None:
    last_year = period_target("2019/20", "90")
    resolved = resolve("2020/21 Q2", [last_year])
    assert resolved == ResolvedTarget(Decimal("90"), TargetBasis.CARRIED, (last_year,))


def test_the_latest_earlier_target_is_carried_forward() -> None:
    entries = [
        period_target("2020/21 Q1", "92"),
        period_target("2018/19", "85"),
        period_target("2019/20", "90"),
    ]
    resolved = resolve("2020/21 Q2", entries)
    assert resolved is not None
    assert (resolved.value, resolved.sources) == (Decimal("92"), (entries[0],))


def test_a_cumulative_target_is_not_carried_into_the_next_year() -> None:
    assert resolve("2020/21 Q2", [period_target("2019/20", "1200")], cumulative=True) is None


def test_a_later_target_is_not_carried_backwards() -> None:
    assert resolve("2020/21 Q2", [period_target("2020/21 Q3", "90")]) is None


def test_a_target_for_part_of_the_period_neither_contains_nor_precedes_it() -> None:
    assert resolve("2020/21 Q2", [period_target("2020-08", "90")]) is None


def test_nothing_applies_without_targets() -> None:
    assert resolve("2020/21 Q2", []) is None
    assert resolve("2020/21 Q2", [], cumulative=True) is None


# -- properties --------------------------------------------------------------------------------


@st.composite
def months_2019_to_2021(draw: st.DrawFn) -> Period:
    return Period.month(draw(st.integers(2019, 2021)), draw(st.integers(1, 12)))


@PROPERTY
@given(months_2019_to_2021())
def test_an_interpolated_target_stays_between_its_milestones(month: Period) -> None:
    resolved = resolve_target(month, BROADBAND, cumulative=False, decimals=2)
    assert resolved is not None
    assert Decimal("97") <= resolved.value <= Decimal("99")


@PROPERTY
@given(months_2019_to_2021(), months_2019_to_2021())
def test_rising_milestones_give_targets_that_never_fall(a: Period, b: Period) -> None:
    early, late = sorted((a, b))
    first = resolve_target(early, BROADBAND, cumulative=False, decimals=2)
    second = resolve_target(late, BROADBAND, cumulative=False, decimals=2)
    assert first is not None and second is not None
    assert first.value <= second.value


@PROPERTY
@given(
    st.integers(2015, 2030),
    st.integers(1, 12),
    st.decimals(min_value=Decimal("0"), max_value=Decimal("100000"), places=0),
)
def test_pro_rata_months_grow_to_the_whole_year(
    year: int, month_number: int, annual: Decimal
) -> None:
    month = Period.month(year, month_number)
    entry = TargetEntry(month.containing(Frequency.ANNUAL), annual)
    resolved = resolve_target(month, [entry], cumulative=True, decimals=6)
    assert resolved is not None
    assert resolved.share == month.elapsed_share_of_year()
    done, whole = month.elapsed_share_of_year()
    assert abs(resolved.value * whole - annual * done) <= Decimal("0.000001") * whole
