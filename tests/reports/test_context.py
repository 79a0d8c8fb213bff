"""The report context: built once from the evaluation, every number already as printed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from perfreport.core.periods import parse_period
from perfreport.core.rating import Rating
from perfreport.data.selectors import evaluate_period
from perfreport.reports.context import ReportSettings, build_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def context(imported_example):
    result = evaluate_period(parse_period("2020/21 Q2"))
    return build_context(result, ReportSettings(), today=date(2020, 12, 16))


def section(context, ref):
    return next(s for s in context.sections if s.ref == ref)


def test_the_cover_reads_as_the_seeds(context):
    cover = context.cover

    assert (cover.period_heading, cover.financial_year) == ("Quarter 2", "2020/21 financial year")
    assert cover.produced_on == "16 December 2020"
    assert cover.organisation == "Cambridgeshire County Council"
    assert cover.directorate == "Corporate Services"


def test_numbers_are_printed_as_the_seed_prints_them(context):
    broadband, sessions, stars = (
        section(context, "180"),
        section(context, "189"),
        section(context, "188"),
    )

    assert (broadband.target, broadband.current, broadband.previous) == (
        "99.00%",
        "97.83%",
        "97.78%",
    )
    assert (broadband.neighbours, broadband.england) == ("N/A", "96.8%")
    assert sessions.current == "432,584"
    assert (stars.target_label, stars.current_label, stars.target, stars.current) == (
        "Target (Stars)", "Current Year (Stars)", "4", "3",
    )  # fmt: skip


def test_header_labels_follow_the_indicators_frequency(context):
    assert section(context, "180").current_label == "Current Quarter"
    assert section(context, "194").previous_label == "Previous Month"


def test_untargeted_indicators_show_their_basis_as_target(context):
    assert section(context, "181").target == "Contextual"
    assert section(context, "186").target == "Baseline"


def test_the_summary_counts_ratings_and_lists_exceptions_red_first(context):
    counts = {c.label: c.count for c in context.summary.rating_counts}
    refs = [item.ref for item in context.summary.exceptions]

    assert counts == {"Red": 3, "Amber": 2, "Green": 5, "Blue": 3, "Baseline": 1, "Contextual": 3}
    assert refs[:3] == ["182", "183", "188"]
    assert set(refs[3:]) == {"187", "190"}


def test_a_red_without_actions_is_marked_missing(context):
    assert section(context, "188").rating is Rating.RED
    assert section(context, "188").actions_missing
    assert not section(context, "182").actions_missing


def test_the_key_lists_every_rating_with_its_meaning(context):
    meanings = {line.rating: line.meaning for line in context.key.ratings}

    assert meanings[Rating.RED] == "off target by more than 10%"
    assert meanings[Rating.GREEN] == "on target, up to 5% over"
    assert context.key.variations == ()


def test_the_chart_has_the_history_and_interpolated_targets(context):
    chart = section(context, "180").chart

    assert [p.period for p in chart.points] == ["Q4 2019/20", "Q1 2020/21", "Q2 2020/21"]
    assert [p.target for p in chart.points] == [97.5, 98.0, 99.0]


def test_the_history_keeps_exact_numbers_for_the_workbook(context):
    latest = section(context, "180").history[0]

    assert (latest.period_label, latest.value_number) == ("2020/21 Q2", Decimal("97.83"))
