"""The report with a unit label and a withheld figure: the HTML report prints
"£4.2m" and "c" as published, with no rating for "c" and a gap in its chart;
the workbook keeps numbers numeric, formatted with the label (issue 12,
items 5 and 7)."""

from __future__ import annotations

import io
import re
from datetime import date
from html import unescape

import pytest
from labelled import labelled_folder
from openpyxl import load_workbook

from perfreport.core.periods import parse_period
from perfreport.data.selectors import evaluate_period
from perfreport.reports.charts import ChartRenderer, trend_spec
from perfreport.reports.context import ReportContext, ReportSettings, build_context
from perfreport.reports.html import render_html
from perfreport.reports.xlsx import render_xlsx

pytestmark = pytest.mark.django_db
Q2 = parse_period("2020/21 Q2")


@pytest.fixture
def context(db, tmp_path) -> ReportContext:
    from perfreport.imports.service import import_path

    import_path(labelled_folder(tmp_path / "data"))
    settings = ReportSettings(organisation="Home Council", produced_on=date(2020, 12, 16))
    return build_context(evaluate_period(Q2), settings)


def section(context: ReportContext, ref: str):
    return next(s for s in context.sections if s.ref == ref)


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_the_html_report_prints_labelled_values_and_a_withheld_one(context):
    """GIVEN spend of £4.2m against £4.5m and adoptions withheld as "c"
    WHEN the report is rendered to HTML
    THEN both read as published, and "c" is explained, not rated."""
    text = text_of(render_html(context, ChartRenderer(cache_dir=None)))

    assert "£4.2m" in text and "£4.5m" in text and "£4.1m" in text
    assert "11.9 days" in text and "51.0 per 10,000" in text
    assert 'Withheld as published ("c"): not rated.' in text
    assert "Not compared: withheld" in text
    adoptions = section(context, "C1")
    assert (adoptions.current, adoptions.previous) == ("c", "12")
    assert adoptions.rating is None and adoptions.change is None
    assert [row.value for row in adoptions.history] == ["c", "12"]


def test_the_withheld_figure_is_a_gap_in_the_chart_never_a_number(context):
    chart = section(context, "C1").chart

    assert [(p.period, p.value) for p in chart.points] == [
        ("Q1 2020/21", 12.0),
        ("Q2 2020/21", None),
    ]
    amounts = [r["amount"] for r in trend_spec(chart)["data"]["values"] if r["series"] == "Value"]
    assert amounts == [12.0, None]
    assert "withheld as published, so not charted: Q2 2020/21" in chart.alt_text


def test_the_chart_of_a_labelled_indicator_carries_the_label(context):
    spend = trend_spec(section(context, "F1").chart)
    days = trend_spec(section(context, "D1").chart)

    assert spend["layer"][0]["encoding"]["y"]["axis"]["labelExpr"] == (
        "'£' + format(datum.value, ',') + 'm'"
    )
    assert days["layer"][0]["encoding"]["y"]["title"] == "days"


def test_the_workbook_keeps_numbers_with_the_label_as_their_format(context):
    workbook = load_workbook(io.BytesIO(render_xlsx(context)))
    sheet = workbook["Indicators"]
    header = [c.value for c in sheet[1]]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    value = header.index("value")

    assert rows["F1"][value].value == 4.2
    assert rows["F1"][value].number_format == '"£"#,##0.0"m"'
    assert rows["D1"][value].number_format == '#,##0.0" days"'
    assert rows["C1"][value].value is None
    assert rows["C1"][header.index("withheld")].value == "c"
    assert rows["C1"][header.index("display_value")].value == "c"
