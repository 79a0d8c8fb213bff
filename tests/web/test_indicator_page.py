"""The indicator pages: staff (/indicators/<ref>/) and public (/public/indicators/<ref>/),
their .json twins and the staff data downloads."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from builders import write_csv
from django.core.cache import cache
from openpyxl import load_workbook

from perfreport.core.periods import parse_period
from perfreport.data.evaluations import period_evaluation
from perfreport.data.models import Observation
from perfreport.data.present import evaluation_record

pytestmark = pytest.mark.django_db
Q2 = parse_period("2020/21 Q2")

QUARTERS = [f"{y}/{str(y + 1)[2:]} Q{q}" for y in range(2016, 2021) for q in range(1, 5)][:18]
# 18 quarterly values (enough for an XmR chart), rising with a wobble; the last is 61.1.
VALUES = [round(50 + i * 0.7 + (1.5 if i % 3 == 0 else -0.8), 1) for i in range(18)]


def benchmarked_folder(folder: Path) -> Path:
    """One quarterly indicator with 18 values, targets, a milestone, commentary,
    a link, and published benchmarks for its comparator group and England."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(
        folder / "organisations.csv",
        ["code", "name", "kind", "home"],
        [["H1", "Home Council", "county", "yes"], ["N1", "Neighbour One", "county", "no"],
         ["N2", "Neighbour Two", "county", "no"], ["N3", "Neighbour Three", "county", "no"],
         ["N4", "Neighbour Four", "county", "no"], ["E92000001", "England", "england", "no"]],
    )  # fmt: skip
    write_csv(
        folder / "groups.csv",
        ["group", "organisation", "kind"],
        [["My neighbours", code, "statistical_neighbours"] for code in ("N1", "N2", "N3", "N4")],
    )
    write_csv(
        folder / "indicators.csv",
        ["ref", "title", "unit", "polarity", "frequency", "rating_basis", "decimals",
         "national_code", "comparator_group", "directorate", "service", "owner", "source",
         "description", "links"],
        [["P1", "Pupils reaching the standard", "percent", "higher", "quarterly", "targeted",
          "1", "NAT1", "My neighbours", "Children's Services", "Education",
          "Head of Education", "Department for Education",
          "The share of pupils reaching the expected standard.\n\nCounted each term.",
          "[School statistics](https://explore-education-statistics.service.gov.uk/)"]],
    )  # fmt: skip
    values = []
    for i, (period, value) in enumerate(zip(QUARTERS, VALUES, strict=True)):
        commentary = f"Commentary for {period}." if i >= 15 else ""
        actions = f"Actions for {period}." if i == 17 else ""
        values.append(["P1", period, str(value), commentary, actions])
    write_csv(folder / "values.csv", ["ref", "period", "value", "commentary", "actions"], values)
    write_csv(
        folder / "targets.csv",
        ["ref", "kind", "period", "target"],
        [["P1", "period", p, "60"] for p in QUARTERS] + [["P1", "milestone", "2022-03", "66"]],
    )
    write_csv(
        folder / "benchmarks.csv",
        ["organisation", "indicator", "period", "value"],
        [["H1", "NAT1", "2019/20", "61.0"], ["N1", "NAT1", "2019/20", "70"],
         ["N2", "NAT1", "2019/20", "50"], ["N3", "NAT1", "2019/20", "55.5"],
         ["N4", "NAT1", "2019/20", "c"], ["E92000001", "NAT1", "2019/20", "58.2"]],
    )  # fmt: skip
    return folder


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test's database starts again at data version 1: so must the cache."""
    cache.clear()


@pytest.fixture
def benchmarked(db, tmp_path):
    from perfreport.imports.service import import_path

    import_path(benchmarked_folder(tmp_path / "data"))


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


# -- the staff page --------------------------------------------------------------------


def test_the_staff_page_shows_the_headline_the_explanation_and_every_value(
    staff_client, imported_example
):
    html = page(staff_client, "/indicators/180/")

    assert "Indicator 180:</span> Premises with access to superfast broadband" in html
    assert "As at Quarter 2 2020/21" in html
    row = next(r for r in period_evaluation(Q2, False).rows if r.indicator.ref == "180")
    assert row.evaluation.explanation in html
    for period, value in (("Quarter 2 2020/21", "97.83%"), ("Quarter 1 2020/21", "97.78%"), ("Quarter 4 2019/20", "97.66%")):  # fmt: skip
        assert f'<th scope="row">{period}</th>\n          <td class="num">{value}</td>' in html
    assert row.analytics.spc.explanation in html  # a run chart: told in words
    assert 'role="img" aria-labelledby="trend-chart-caption"' in html
    assert "England (entered by hand)" not in html
    assert "96.8% (entered by hand)" in html  # the England mean typed into the register


def test_breadcrumbs_lead_back_to_the_scorecard_for_the_same_period(staff_client, imported_example):
    html = page(staff_client, "/indicators/182/?period=2020-08")

    assert '<a href="/scorecard/?period=2020-08">Scorecard</a>' in html
    assert "As at August 2020" in html


def test_it_shows_the_spc_chart_benchmarks_and_the_groups_values(staff_client, benchmarked):
    html = page(staff_client, "/indicators/P1/")

    assert 'aria-labelledby="spc-chart-caption"' in html  # 18 values: an XmR chart
    assert "XmR chart of Pupils reaching the standard: 18 values" in html
    assert "mean 55.9%, process limits" in html
    assert "Special cause: improvement, higher" in html
    assert "Benchmarks for 2019/20 (latest published); comparator group: My neighbours" in html
    assert "<dt>Home Council</dt>" not in html
    for fact in (
        "<dt>This council (2019/20)</dt><dd>61.0%</dd>",
        "<dt>My neighbours mean (2019/20)</dt><dd>58.5% (this council not included, 3 councils)</dd>",
        "<dt>My neighbours median (2019/20)</dt><dd>55.5%</dd>",
        "<dt>Rank (2019/20)</dt><dd>2nd of 4 (1st is the best)</dd>",
        "<dt>Quartile (2019/20)</dt><dd>Second quartile</dd>",
        "<dt>England (2019/20)</dt><dd>58.2% (as published)</dd>",
    ):
        assert fact in html
    members = html[html.index("Values of My neighbours in 2019/20, best first") :]
    order = [members.index(name) for name in ("Neighbour One", "Home Council", "Neighbour Three", "Neighbour Two", "Neighbour Four")]  # fmt: skip
    assert order == sorted(order)  # best first, the suppressed value last
    assert "Not available" in members


def test_a_family_groups_mean_and_median_include_this_council_and_say_so(
    staff_client, db, tmp_path
):
    """GIVEN the neighbours made a family group, whose published average includes the
    council itself WHEN the indicator page is shown THEN its mean and median count this
    council's 61.0 and the page says so; the rank is the same."""
    from perfreport.imports.service import import_path

    folder = benchmarked_folder(tmp_path / "data")
    write_csv(
        folder / "groups.csv",
        ["group", "organisation", "kind"],
        [["My neighbours", code, "family"] for code in ("N1", "N2", "N3", "N4")],
    )
    import_path(folder)

    html = page(staff_client, "/indicators/P1/")

    for fact in (
        "<dt>My neighbours mean (2019/20)</dt><dd>59.1% (this council included, 4 councils)</dd>",
        "<dt>My neighbours median (2019/20)</dt><dd>58.3%</dd>",
        "<dt>Rank (2019/20)</dt><dd>2nd of 4 (1st is the best)</dd>",
    ):
        assert fact in html


def test_it_shows_the_forecast_commentary_newest_first_and_links(staff_client, benchmarked):
    html = page(staff_client, "/indicators/P1/")

    row = period_evaluation(Q2, False).rows[0]
    assert row.analytics.forecast_sentence
    assert row.analytics.forecast_sentence.replace("'", "&#x27;") in html
    first, second = (
        html.index("Commentary for 2020/21 Q2."),
        html.index("Commentary for 2020/21 Q1."),
    )
    assert first < second
    assert "<h4>Actions</h4>" in html and "Actions for 2020/21 Q2." in html
    assert (
        '<a href="https://explore-education-statistics.service.gov.uk/">School statistics</a>'
        in html
    )


def test_a_later_period_s_commentary_is_not_shown_on_an_earlier_page(staff_client, benchmarked):
    html = page(staff_client, "/indicators/P1/?period=2020/21 Q1")

    assert "Commentary for 2020/21 Q1." in html
    assert "Commentary for 2020/21 Q2." not in html
    assert "60.4%" in html and "As at Quarter 1 2020/21" in html


def test_a_period_before_any_value_shows_the_indicator_without_values(
    staff_client, imported_example
):
    html = page(staff_client, "/indicators/180/?period=2010/11 Q1")

    assert "No value at or before 2010/11 Q1, so no rating." in html
    assert "No values up to Quarter 1 2010/11." in html
    assert "<figure" not in html and "Statistical process control" not in html


def test_staff_see_the_data_quality_findings(staff_client, imported_example):
    html = page(staff_client, "/indicators/188/")

    assert "Figures to check" in html
    assert "Printed Amber, but the Key (the seed scheme) gives Red" in html


def test_the_page_takes_a_few_queries_however_long_the_history(
    staff_client, benchmarked, django_assert_max_num_queries
):
    staff_client.get("/indicators/P1/")  # the evaluation, now cached
    with django_assert_max_num_queries(12):
        staff_client.get("/indicators/P1/")


# -- the public page -------------------------------------------------------------------


def test_the_public_page_never_shows_a_draft_value_nor_findings(client, benchmarked):
    latest = Observation.objects.get(indicator__ref="P1", period="2020/21 Q2")
    latest.is_draft = True
    latest.save()

    html = page(client, "/public/indicators/P1/")

    assert "61.1%" not in html  # the draft
    assert "Value for Quarter 1 2020/21" in html and "60.4%" in html
    assert "Commentary for 2020/21 Q2." not in html  # about the draft value
    assert "Commentary for 2020/21 Q1." in html
    assert "Download the data" not in html and "data.csv" not in html
    assert "Figures to check" not in html
    # The only Quarter 2 figure is a draft: the page is as at the latest
    # published quarter, as the published scorecard is.
    assert '<a href="/public/?period=2020%2F21+Q1">Published performance</a>' in html


def test_the_public_page_shows_no_findings_nor_the_printed_rating(client, imported_example):
    html = page(client, "/public/indicators/188/")

    assert "Figures to check" not in html
    assert "Printed Amber" not in html
    assert "3 stars" in html


def test_the_public_json_leaves_out_draft_values(client, benchmarked):
    latest = Observation.objects.get(indicator__ref="P1", period="2020/21 Q2")
    latest.is_draft = True
    latest.save()

    record = client.get("/public/indicators/P1.json").json()

    assert (record["period"], record["value"]) == ("2020/21 Q1", 60.4)
    assert record["history"][-1] == {
        "period": "2020/21 Q1",
        "value": 60.4,
        "withheld": None,
        "target": 60,
    }
    assert client.get("/indicators/P1.json").status_code == 302  # staff only


# -- the .json twins -------------------------------------------------------------------


def test_the_json_twin_is_the_evaluation_record_and_the_history(staff_client, benchmarked):
    record = staff_client.get("/indicators/P1.json").json()

    history = record.pop("history")
    row = period_evaluation(Q2, False).rows[0]
    assert record == json.loads(json.dumps(evaluation_record(row)))
    assert len(history) == 18
    assert history[0] == {
        "period": "2016/17 Q1",
        "value": VALUES[0],
        "withheld": None,
        "target": 60,
    }
    assert history[-1] == {"period": "2020/21 Q2", "value": 61.1, "withheld": None, "target": 60}


def test_the_json_twin_of_an_unknown_indicator_is_a_json_404(client, imported_example):
    response = client.get("/public/indicators/999.json")

    assert response.status_code == 404
    assert response.json() == {"error": "There is no indicator with the reference “999”."}


# -- what is not there -----------------------------------------------------------------


def test_an_unknown_indicator_is_a_404_that_names_it_and_links_to_the_scorecard(
    staff_client, imported_example
):
    response = staff_client.get("/indicators/18/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "There is no indicator with the reference “18”." in html
    assert '<a href="/indicators/180/">Indicator 180: Premises with access' in html  # did you mean
    assert '<a href="/scorecard/">See every indicator on the scorecard</a>' in html


def test_the_public_404_links_to_the_published_scorecard(client, imported_example):
    response = client.get("/public/indicators/nope/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<a href="/public/">See every indicator&#x27;s published performance</a>' in html


def test_a_period_that_cannot_be_read_is_a_404_that_says_why(staff_client, imported_example):
    response = staff_client.get("/indicators/180/", {"period": "2020/21 Q9"})

    html = response.content.decode()
    assert response.status_code == 404
    assert "quarters run Q1 to Q4" in html
    assert '<a href="/indicators/180/">Indicator 180 as at the latest period</a>' in html


def test_an_unknown_download_format_is_a_404(staff_client, imported_example):
    response = staff_client.get("/indicators/180/data.pdf")

    assert response.status_code == 404
    assert "choose CSV or XLSX" in response.content.decode()


def test_any_unknown_address_gets_the_project_404_page(client, db):
    response = client.get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html and "/no-such-page/" in html
    assert "Resolver404" not in html


@pytest.mark.parametrize(
    "url", ["/indicators/180/", "/indicators/180.json", "/indicators/180/data.csv"]
)
def test_the_staff_addresses_send_a_visitor_to_sign_in(client, imported_example, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


# -- the data downloads ----------------------------------------------------------------


def test_the_csv_download_holds_the_definition_and_the_whole_history(staff_client, benchmarked):
    latest = Observation.objects.get(indicator__ref="P1", period="2020/21 Q2")
    latest.is_draft, latest.numerator, latest.denominator = True, 611, 1000
    latest.save()

    response = staff_client.get("/indicators/P1/data.csv")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="indicator-P1-2020-21-Q2.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["period"] for r in rows] == QUARTERS
    assert [float(r["value"]) for r in rows] == VALUES
    last = rows[-1]
    assert (last["numerator"], last["denominator"], last["target"]) == ("611", "1000", "60")
    assert (last["rating"], last["draft"]) == ("Green", "yes")
    assert (last["commentary"], last["actions"]) == ("Commentary for 2020/21 Q2.", "Actions for 2020/21 Q2.")  # fmt: skip
    assert rows[0]["rating"] == "Red" and rows[0]["draft"] == "no"
    assert {r["ref"] for r in rows} == {"P1"}
    assert last["description"].startswith("The share of pupils")
    assert (last["unit"], last["polarity"], last["owner"]) == ("percent", "higher", "Head of Education")  # fmt: skip


def test_the_xlsx_download_has_the_definition_and_the_history_as_numbers(staff_client, benchmarked):
    response = staff_client.get("/indicators/P1/data.xlsx")

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Indicator", "History"]
    definition = {r[0]: r[1] for r in workbook["Indicator"].iter_rows(values_only=True)}
    assert definition["ref"] == "P1" and definition["title"] == "Pupils reaching the standard"
    history = list(workbook["History"].iter_rows(values_only=True))
    assert history[0][:6] == ("period", "value", "numerator", "denominator", "target", "rating")
    assert [r[0] for r in history[1:]] == QUARTERS
    assert [float(r[1]) for r in history[1:]] == VALUES
    assert history[-1][4] == 60 and history[-1][5] == "Green"


def test_the_public_page_starts_from_the_latest_published_quarter_not_a_drafts(
    client, imported_example
):
    """A quarter holding only drafts is no quarter of the public's: the page
    opens, as the published scorecard does, at the latest published one."""
    from perfreport.data.versions import bump_data_version
    from perfreport.registry.periods import read_period

    quarter = read_period("2020/21 Q2")
    Observation.objects.filter(last_month__gte=quarter.first_month).update(is_draft=True)
    bump_data_version()
    cache.clear()

    html = client.get("/public/indicators/180/").content.decode()

    assert "Quarter 1 2020/21" in html and "Quarter 2 2020/21" not in html
    assert "No figure is published" not in html
