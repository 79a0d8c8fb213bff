"""GIVEN the seed's Q2 2020/21 report as data, THEN every indicator evaluates as
the report's own Key says, and the three printed ratings that disagree with
the Key are the ones found.

The expected ratings below were worked out by hand from the Key, not by the
code: e.g. staff engagement 63.0% against 60.0% is exactly 5% over, "on target
by up to 5% over", so Green, although the report printed Amber.
"""

from __future__ import annotations

import pytest

from perfreport.core.periods import parse_period
from perfreport.core.quality import FindingCode
from perfreport.data.selectors import evaluate_period

pytestmark = pytest.mark.django_db

# ref: (rating by the Key, change in performance as printed, rating as printed)
EXPECTED = {
    "180": ("amber", "improving", "amber"),  # 97.83% vs 99.00%: 1.2% off
    "181": ("contextual", "improving", "contextual"),
    "182": ("red", "declining", "red"),  # 71.0% vs 90.0%: 21.1% off
    "183": ("red", "improving", "red"),  # 63.0% vs 80.0%: 21.25% off
    "184": ("green", "unchanged", "green"),  # 100% vs 100%
    "185": ("green", "unchanged", "green"),
    "186": ("baseline", "unchanged", "baseline"),
    "187": ("green", "unchanged", "amber"),  # 63.0% vs 60.0%: exactly 5% over
    "188": ("red", "unchanged", "amber"),  # 3 stars vs 4: 25% off
    "189": ("contextual", "improving", "contextual"),
    "190": ("blue", "unchanged", None),  # 85.9% vs 80.0%: 7.4% over; printed blank
    "191": ("green", "declining", "green"),  # 87.0% vs 85.0%: 2.4% over
    "192": ("blue", "declining", "blue"),  # 10.4% vs 15.0%, lower is better
    "193": ("contextual", "improving", "contextual"),
    "194": ("amber", "declining", "amber"),  # 83.4% vs 90.0%: 7.3% off
    "195": ("green", "declining", "green"),  # 90.9% vs 90.0%: 1.0% over
    "196": ("blue", "declining", "blue"),  # 99.7% vs 90.0%: 10.8% over
}


@pytest.fixture
def q2(imported_example):
    return evaluate_period(parse_period("2020/21 Q2"))


def test_every_seed_indicator_is_rated_as_the_key_says(q2):
    found = {
        row.evaluation.indicator.ref: (
            row.evaluation.rating.value,
            row.evaluation.change.value,
            row.evaluation.stated_rating.value if row.evaluation.stated_rating else None,
        )
        for row in q2.rows
    }

    assert found == EXPECTED


def test_check_names_the_three_printed_ratings_the_key_contradicts_or_leaves_blank(q2):
    rating_findings = {
        (f.ref, f.code)
        for f in q2.findings
        if f.code in (FindingCode.RATING_DIFFERS, FindingCode.RATING_MISSING)
    }

    assert rating_findings == {
        ("187", FindingCode.RATING_DIFFERS),
        ("188", FindingCode.RATING_DIFFERS),
        ("190", FindingCode.RATING_MISSING),
    }


def test_the_staff_engagement_explanation_shows_the_boundary(q2):
    staff = next(r.evaluation for r in q2.rows if r.evaluation.indicator.ref == "187")

    assert staff.explanation.startswith(
        "63.0% is 3.0 percentage points (5.0%) above the 60.0% target: Green (on target, up to 5% over)"
    )


def test_the_broadband_target_for_2019_20_q4_is_interpolated_as_the_commentary_says(
    imported_example,
):
    # The seed's commentary: "97.66% ... at the end of quarter 4 in 2019/20 ... above the
    # target for the quarter (97.5%)"; Q4 ends in March 2020, a quarter of the way from
    # 97% (end of 2019) to 99% (end of 2020).
    q4 = evaluate_period(parse_period("2019/20 Q4"))
    broadband = next(r.evaluation for r in q4.rows if r.evaluation.indicator.ref == "180")

    assert str(broadband.current.period) == "2019/20 Q4"
    assert str(broadband.target.value) == "97.50"
    assert broadband.rating.value == "green"


def test_an_annual_indicator_shows_last_years_value_in_a_quarterly_report(q2):
    stars = next(r.evaluation for r in q2.rows if r.evaluation.indicator.ref == "188")

    assert str(stars.current.period) == "2019/20"
    assert str(stars.previous.period) == "2018/19"
    assert not stars.is_stale
