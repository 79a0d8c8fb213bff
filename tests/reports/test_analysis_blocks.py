"""The analysis on each indicator's page: benchmarks, statistical process
control and the forecast, in the PDF, the HTML and the Word report.

GIVEN the seed (means entered by hand), a small import with published
benchmarks, or an indicator with 18 monthly values, WHEN the report is
rendered, THEN each format shows the figures with their basis and period, the
SPC block (with its chart and alt text when there are 15 or more values) and
the forecast, or the line that says why there is none.
"""

from __future__ import annotations

import re
import subprocess
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from builders import benchmarked_folder, write_csv
from docx import Document

from perfreport.core.periods import parse_period
from perfreport.data.selectors import evaluate_period
from perfreport.imports.service import import_path
from perfreport.reports.analysis import ordinal
from perfreport.reports.chart_specs import report_specs, section_spc_spec
from perfreport.reports.charts import ChartRenderer
from perfreport.reports.context import ReportContext, ReportSettings, build_context
from perfreport.reports.docx import render_docx
from perfreport.reports.html import render_html
from perfreport.reports.pdf import render_pdf

pytestmark = pytest.mark.django_db

CHARTS = ChartRenderer(cache_dir=None)  # shared, so each chart is drawn once per run
SETTINGS = ReportSettings(produced_on=date(2020, 12, 16))


def context_for(period: str) -> ReportContext:
    return build_context(evaluate_period(parse_period(period)), SETTINGS)


def pdf_text(context: ReportContext) -> str:
    """The PDF's text as poppler reads it, with its line breaks made spaces."""
    pdf = render_pdf(context, CHARTS)
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return re.sub(r"\s+", " ", text)


def section(context: ReportContext, ref: str):
    return next(s for s in context.sections if s.ref == ref)


# -- the seed: benchmarks entered by hand, a milestone too far for a forecast -------------


@pytest.fixture
def seed(imported_example) -> ReportContext:
    return context_for("2020/21 Q2")


def test_the_seed_england_mean_reads_as_before_and_says_it_was_entered_by_hand(seed):
    broadband = section(seed, "180")
    assert broadband.england == "96.8%"
    assert broadband.benchmarks is not None
    assert broadband.benchmarks.national_text == "96.8% (entered by hand)"
    assert broadband.benchmarks.national_heading == "England Mean"
    assert broadband.benchmarks.caption == ""  # no published period to name

    html = render_html(seed, CHARTS)
    page = html[html.index('id="indicator-180"') :]
    assert re.search(r"96\.8%<span class=\"secondary\">\(entered by hand\)</span>", page)
    assert "England Mean" in page

    # pdftotext reads the table a line at a time: the figures, then the basis under one.
    assert re.search(
        r"England Mean RAG Rating N/A 96\.8% .{0,12}\(entered by hand\)", pdf_text(seed)
    )

    document = Document(BytesIO(render_docx(seed, CHARTS)))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "96.8%\n(entered by hand)" in cells


def test_the_broadband_indicator_says_it_has_too_few_values_for_a_forecast(seed):
    broadband = section(seed, "180")
    assert broadband.forecast is not None
    assert broadband.forecast.missing == "No forecast: 3 values, 6 are needed."
    assert "No forecast: 3 values, 6 are needed." in render_html(seed, CHARTS)
    assert "Forecast No forecast: 3 values, 6 are needed." in pdf_text(seed)


def test_a_seed_indicator_without_a_milestone_ahead_shows_no_forecast(seed):
    assert section(seed, "182").forecast is None


def test_the_seed_spc_is_told_in_words_without_an_spc_chart(seed):
    broadband = section(seed, "180")
    assert broadband.spc is not None and not broadband.spc.has_chart
    assert broadband.spc.variation_label == "Common cause"
    assert section_spc_spec(broadband) is None
    assert len(report_specs(seed)) == len(seed.sections)  # trend charts only
    html = render_html(seed, CHARTS)
    assert "Statistical process control" in html
    assert "<title>Common cause variation: no significant change.</title>" in html


def test_the_draft_commentary_is_not_in_the_committee_report(seed):
    row = next(
        r for r in evaluate_period(parse_period("2020/21 Q2")).rows if r.indicator.ref == "180"
    )
    draft = row.analytics.draft
    assert draft
    assert draft not in render_html(seed, CHARTS)


# -- published benchmarks ----------------------------------------------------------


def benchmark_folder(tmp_path: Path) -> Path:
    return benchmarked_folder(tmp_path / "benchmarks")


def test_published_benchmarks_show_median_rank_quartile_and_basis_with_their_period(tmp_path):
    import_path(benchmark_folder(tmp_path))
    context = context_for("2019/20")
    found = section(context, "P1").benchmarks
    assert found is not None
    # The neighbours N1..N3 have 70, 50 and 55.5; N4 is suppressed; this council is left out.
    assert (found.mean, found.median) == ("58.5%", "55.5%")
    assert found.mean_basis == "this council not included, 3 councils"
    assert found.group_heading == "Statistical Neighbours Mean"
    assert found.standing == "Ranked 2nd of 4, second quartile"
    assert (found.national, found.national_basis) == ("58.2%", "as published")
    caption = "Benchmarks for 2019/20 (latest published); comparator group: My neighbours"
    assert found.caption == caption

    html = render_html(context, CHARTS)
    for text in (caption, "Median 55.5%", "Ranked 2nd of 4, second quartile", "(as published)"):
        assert text in html
    text = pdf_text(context)
    for words in (caption, "Median 55.5%", "Ranked 2nd of 4, second quartile", "(as published)"):
        assert words in text


def family_group_folder(tmp_path: Path, includes_home: str) -> Path:
    """The benchmarked folder, its group a family group, includes_home as given."""
    folder = benchmark_folder(tmp_path)
    write_csv(
        folder / "groups.csv",
        ["group", "organisation", "kind", "includes_home"],
        [["My family", code, "family", includes_home] for code in ("N1", "N2", "N3", "N4")],
    )
    indicators = (folder / "indicators.csv").read_text(encoding="utf-8")
    (folder / "indicators.csv").write_text(indicators.replace("My neighbours", "My family"))
    return folder


@pytest.mark.parametrize(
    ("includes_home", "mean", "median", "basis"),
    [
        # 70, 50 and 55.5, and this council's 61.0: 236.5 / 4 = 59.125; (55.5 + 61) / 2.
        pytest.param("", "59.1%", "58.3%", "this council included, 4 councils", id="by_kind"),
        pytest.param("no", "58.5%", "55.5%", "this council not included, 3 councils", id="no"),
    ],
)
def test_a_family_groups_mean_includes_this_council_as_published(
    tmp_path, includes_home, mean, median, basis
):
    """GIVEN a family group, whose published average includes the council itself
    WHEN the report is made THEN its mean and median count this council, the
    column is the family group's and the words say so, in every format; set to
    no, they leave it out and say that."""
    import_path(family_group_folder(tmp_path, includes_home))
    context = context_for("2019/20")
    found = section(context, "P1").benchmarks
    assert found is not None

    assert (found.group_heading, found.mean, found.median) == ("Family Group Mean", mean, median)
    assert found.mean_basis == basis
    assert found.standing == "Ranked 2nd of 4, second quartile"  # the same either way
    html = render_html(context, CHARTS)
    assert f"({basis})" in html and "Family Group Mean" in html
    text = pdf_text(context)  # the table's cells side by side: the mean, then its note
    assert re.search(rf"Family Group Mean .*{re.escape(mean)} .*\({basis}\) Median {median}", text)
    cells = [
        c.text
        for t in Document(BytesIO(render_docx(context, CHARTS))).tables
        for row in t.rows
        for c in row.cells
    ]
    assert any(cell.startswith(f"{mean}\n({basis})") for cell in cells)


@pytest.mark.parametrize(
    ("number", "words"),
    [
        pytest.param(1, "1st", id="first"),
        pytest.param(2, "2nd", id="second"),
        pytest.param(3, "3rd", id="third"),
        pytest.param(11, "11th", id="eleventh_not_eleventy_first"),
        pytest.param(12, "12th", id="twelfth"),
        pytest.param(22, "22nd", id="twenty_second"),
    ],
)
def test_a_rank_is_written_as_an_ordinal(number, words):
    assert ordinal(number) == words


# -- a long series: an XmR chart ----------------------------------------------------

MONTHLY = [
    "50", "52", "51", "53", "50", "49", "52", "51", "50", "53",
    "52", "51", "50", "52", "51", "49", "53", "70",
]  # fmt: skip


def long_series_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "long"
    folder.mkdir()
    write_csv(
        folder / "indicators.csv",
        ["ref", "title", "unit", "polarity", "frequency", "rating_basis", "decimals"],
        [["M1", "Calls answered", "percent", "higher", "monthly", "targeted", "1"]],
    )
    months = [f"{2019 + (3 + i) // 12}-{(3 + i) % 12 + 1:02d}" for i in range(len(MONTHLY))]
    write_csv(
        folder / "values.csv",
        ["ref", "period", "value", "target"],
        [["M1", month, value, "60"] for month, value in zip(months, MONTHLY, strict=True)],
    )
    return folder


def test_an_indicator_with_18_values_gets_an_spc_chart_with_alt_text(tmp_path):
    import_path(long_series_folder(tmp_path))
    context = context_for("2020-09")
    calls = section(context, "M1")
    assert calls.spc is not None and calls.spc.has_chart
    spec = section_spc_spec(calls)
    assert spec is not None and spec in report_specs(context)
    alt = spec["description"]
    assert alt.startswith("XmR chart of Calls answered: 18 values from Apr 2019 to Sep 2020")

    html = render_html(context, CHARTS)
    caption_id = "indicator-m1-spc-caption"
    assert f'<svg role="img" aria-labelledby="{caption_id}"' in html
    assert f'<figcaption id="{caption_id}">{alt}</figcaption>' in html.replace("&#x27;", "'")
    assert calls.spc.variation_label in html

    explanation = re.sub(r"\s+", " ", calls.spc.explanation)
    assert explanation in pdf_text(context)

    document = Document(BytesIO(render_docx(context, CHARTS)))
    descriptions = [
        el.get("descr") for el in document.element.body.iter() if el.tag.endswith("}docPr")
    ]
    assert alt in descriptions


def test_a_series_long_enough_for_a_forecast_has_one_when_a_milestone_lies_ahead(tmp_path):
    folder = long_series_folder(tmp_path)
    write_csv(
        folder / "targets.csv",
        ["ref", "period", "target", "kind"],
        [["M1", "2021-03", "75", "milestone"]],
    )
    import_path(folder)
    context = context_for("2020-09")
    calls = section(context, "M1")
    assert calls.forecast is not None
    assert calls.forecast.sentence and not calls.forecast.missing
    html = render_html(context, CHARTS)
    assert calls.forecast.sentence.replace("'", "&#x27;") in html
