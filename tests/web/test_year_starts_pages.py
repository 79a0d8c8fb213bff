"""Every figure shows the period it is for, with its kind of year where the
label alone would be read as a financial year: the scorecard, the indicator
page and the report of a financial quarter, for an academic-year and a
calendar-year indicator."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import write_csv
from django.core.cache import cache

from perfreport.core.periods import parse_period
from perfreport.data.selectors import evaluate_period
from perfreport.imports.service import import_path
from perfreport.reports.config import ReportSettings
from perfreport.reports.context import build_context

pytestmark = pytest.mark.django_db

Q3 = "2020/21 Q3"


@pytest.fixture
def imported(tmp_path: Path) -> None:
    cache.clear()  # the data version starts again in each test's database
    header = ["ref", "title", "unit", "polarity", "frequency", "rating_basis", "year_start"]
    write_csv(
        tmp_path / "indicators.csv",
        header,
        [
            ["ED1", "Expected standard at KS2", "percent", "higher", "annual", "contextual",
             "academic"],
            ["RS1", "Killed or seriously injured", "count", "lower", "annual", "contextual",
             "calendar"],
        ],
    )  # fmt: skip
    write_csv(
        tmp_path / "values.csv",
        ["ref", "period", "value"],
        [
            ["ED1", "2018/19", "64.5"],
            ["ED1", "2019/20", "66.0"],
            ["RS1", "2019", "380"],
        ],
    )
    import_path(tmp_path)


def test_the_scorecard_names_the_academic_year_of_a_figure(staff_client, imported):
    response = staff_client.get("/scorecard/", {"period": Q3})
    html = response.content.decode()

    assert response.status_code == 200
    start = html.index('/indicators/ED1/"')
    row = html[html.rindex("<tr>", 0, start) : html.index("</tr>", start)]
    assert "Academic year 2019/20" in row
    start = html.index('/indicators/RS1/"')
    row = html[html.rindex("<tr>", 0, start) : html.index("</tr>", start)]
    assert ">Calendar year 2019<" in row


def test_the_scorecard_json_keeps_the_label_as_written(staff_client, imported):
    records = staff_client.get("/scorecard.json", {"period": Q3}).json()

    shown = {r["ref"]: r["period"] for r in records["indicators"]}
    assert shown == {"ED1": "2019/20", "RS1": "2019"}


def test_the_indicator_page_names_the_academic_years_of_its_values(staff_client, imported):
    html = staff_client.get("/indicators/ED1/", {"period": Q3}).content.decode()

    assert "As at Quarter 3 2020/21" in html
    assert '<th scope="row">Academic year 2019/20</th>' in html
    assert '<th scope="row">Academic year 2018/19</th>' in html


def test_the_report_prints_the_academic_year_beside_the_figure(imported):
    context = build_context(evaluate_period(parse_period(Q3)), ReportSettings())

    sections = {s.ref: s for s in context.sections}
    assert sections["ED1"].current_period == "Academic year 2019/20"
    assert sections["ED1"].previous_period == "Academic year 2018/19"
    assert sections["RS1"].current_period == "2019"
