"""Evaluating indicators whose years are not financial years in a report of
the financial year: the latest value at or before the report period, the
previous value, the same period last year, and when a value is overdue."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from perfreport.core.evaluation import evaluate_indicator, expected_period
from perfreport.core.indicator import IndicatorSpec, Point
from perfreport.core.periods import Frequency, Period, parse_period
from perfreport.core.quality import FindingCode, check_evaluations
from perfreport.core.rating import Polarity, Rating, RatingBasis
from perfreport.core.targets import TargetEntry, TargetKind
from perfreport.core.units import Unit
from perfreport.core.workflow import due_period

FY_Q1, FY_Q2, FY_Q3 = (parse_period(f"2020/21 Q{q}") for q in (1, 2, 3))

# Road casualties are counted by calendar year and published nine months after
# the year ends: 2019's figure appears in September 2020.
CASUALTIES = IndicatorSpec(
    ref="RS1",
    title="People killed or seriously injured on the roads",
    unit=Unit.COUNT,
    polarity=Polarity.LOWER,
    frequency=Frequency.ANNUAL,
    rating_basis=RatingBasis.TARGETED,
    decimals=0,
    year_start=1,
    release_lag_months=9,
)
# Key stage results, by academic year (September to August), out in December.
RESULTS = IndicatorSpec(
    ref="ED1",
    title="Pupils reaching the expected standard",
    unit=Unit.PERCENT,
    polarity=Polarity.HIGHER,
    frequency=Frequency.ANNUAL,
    rating_basis=RatingBasis.TARGETED,
    decimals=1,
    year_start=9,
    release_lag_months=4,
)


def calendar_years(*values: tuple[int, str]) -> list[Point]:
    return [Point(Period.year(year, 1), Decimal(value)) for year, value in values]


SERIES = calendar_years((2017, "410"), (2018, "395"), (2019, "380"), (2020, "350"))


def test_a_quarterly_report_takes_the_latest_calendar_year_ended_by_its_end() -> None:
    """GIVEN calendar years to 2020 WHEN the report is for July to September
    2020 THEN it shows 2019, the last year ended by then, against 2018."""
    e = evaluate_indicator(CASUALTIES, FY_Q2, SERIES)

    assert e.current is not None and e.previous is not None
    assert e.current.period.long_label == "calendar year 2019"
    assert (e.current.value, e.previous.period.label) == (Decimal("380"), "2018")
    assert e.last_year is not None and e.last_year.period.label == "2018"


def test_the_year_ending_in_december_is_shown_from_the_quarter_it_ends_in() -> None:
    e = evaluate_indicator(CASUALTIES, FY_Q3, SERIES)

    assert e.current is not None and e.current.period.label == "2020"


def test_a_calendar_year_target_rates_a_calendar_year_value() -> None:
    targets = [TargetEntry(Period.year(2019, 1), Decimal("420"), TargetKind.PERIOD)]

    e = evaluate_indicator(CASUALTIES, FY_Q2, SERIES, targets)

    assert e.rating is Rating.BLUE  # 380 is 9.5% under the 420 allowed: lower is better
    assert e.target is not None and e.target.sources[0].period.label == "2019"


@pytest.mark.parametrize(
    ("report", "expected"),
    [
        pytest.param("2020/21 Q1", "2018", id="june_2020_2019_not_yet_published"),
        pytest.param("2020/21 Q2", "2019", id="september_2020_2019_published"),
        pytest.param("2020/21 Q4", "2019", id="march_2021_2020_not_yet_published"),
        pytest.param("2021/22 Q2", "2020", id="september_2021"),
    ],
)
def test_a_calendar_year_is_due_release_lag_months_after_it_ends(
    report: str, expected: str
) -> None:
    assert expected_period(CASUALTIES, parse_period(report)).label == expected


def test_without_a_release_lag_a_calendar_year_is_due_when_it_ends() -> None:
    spec = replace(CASUALTIES, release_lag_months=0)

    assert expected_period(spec, FY_Q3).label == "2020"
    assert expected_period(spec, FY_Q2).label == "2019"


def test_the_lag_in_periods_still_counts_after_the_release_lag() -> None:
    spec = replace(CASUALTIES, lag=1)

    assert expected_period(spec, FY_Q2).label == "2018"


@pytest.mark.parametrize(
    ("latest", "report", "stale"),
    [
        pytest.param(2018, "2020/21 Q1", False, id="2018_in_june_2020_not_overdue"),
        pytest.param(2018, "2020/21 Q2", True, id="2018_in_september_2020_overdue"),
        pytest.param(2019, "2020/21 Q2", False, id="2019_in_september_2020_on_time"),
    ],
)
def test_a_value_is_stale_once_the_next_should_have_been_published(
    latest: int, report: str, stale: bool
) -> None:
    series = [p for p in SERIES if p.period.fy_start_year <= latest]

    e = evaluate_indicator(CASUALTIES, parse_period(report), series)

    assert e.is_stale is stale


def test_an_overdue_calendar_year_is_a_finding_that_names_the_years() -> None:
    series = [p for p in SERIES if p.period.fy_start_year <= 2018]
    e = evaluate_indicator(CASUALTIES, FY_Q2, series)

    stale = [f for f in check_evaluations([e]) if f.code is FindingCode.VALUE_STALE]

    assert len(stale) == 1
    assert "the latest value is for 2018; one for 2019 is expected" in stale[0].message


def test_an_academic_year_is_shown_and_due_in_its_own_year() -> None:
    """2019/20 (September 2019 to August 2020) is out in December 2020:
    shown from 2020/21 Q3, and named as an academic year."""
    series = [
        Point(Period.year(2018, 9), Decimal("64.5")),
        Point(Period.year(2019, 9), Decimal("66.0")),
    ]

    in_q2 = evaluate_indicator(RESULTS, FY_Q2, series)
    in_q3 = evaluate_indicator(RESULTS, FY_Q3, series)

    assert in_q2.current is not None and in_q2.current.period.name == "academic year 2019/20"
    assert in_q2.expected.name == "academic year 2018/19"
    assert not in_q2.is_stale
    assert in_q3.expected.name == "academic year 2019/20"
    assert in_q3.change_on_year is not None
    assert in_q3.last_year is not None and in_q3.last_year.value == Decimal("64.5")


def test_a_round_collects_a_calendar_year_once_when_it_is_published() -> None:
    due = [due_period(CASUALTIES, parse_period(f"2020/21 Q{q}")) for q in (1, 2, 3, 4)]

    assert [d.label if d else None for d in due] == [None, "2019", None, None]


def test_a_july_year_quarterly_indicator_is_due_in_its_own_quarters() -> None:
    spec = IndicatorSpec(
        "AW1", "Awards made", Unit.COUNT, Polarity.HIGHER, Frequency.QUARTERLY,
        RatingBasis.CONTEXTUAL, year_start=7,
    )  # fmt: skip

    expected = expected_period(spec, FY_Q2)

    assert expected == Period.quarter(2020, 1, 7)
    assert expected.name == "2020/21 Q1 (year to June 2021)"
