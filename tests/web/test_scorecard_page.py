"""The scorecard pages: staff (/scorecard/) and public (/public/), their
filters and sorting in the address, and their .json twins."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.core.cache import cache

from perfreport.core.indicator import Point
from perfreport.core.periods import parse_period
from perfreport.data.models import Observation
from perfreport.web.scorecard import sparkline
from perfreport.web.scorecard_filters import Choices, parse_filters, ref_key

pytestmark = pytest.mark.django_db
ALL = [str(ref) for ref in range(180, 197)]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # the data version starts again in each test's database


def page(client, url, **query):
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def refs(html, public=False):
    """The refs of the rows shown, in order, from their links."""
    prefix = "/public/indicators/" if public else "/indicators/"
    return re.findall(rf'<a href="{prefix}([^/"]+)/">', html)


def row(html, ref):
    """The table row of one indicator."""
    start = html.index(f'/indicators/{ref}/"')
    return html[html.rindex("<tr>", 0, start) : html.index("</tr>", start)]


def notices(html):
    return re.findall(r'<div class="notification" role="status">(.*?)</div>', html, re.S)


def records(client, url, **query):
    response = client.get(url, query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


# The staff scorecard


def test_it_shows_every_indicator_for_the_quarter_of_the_latest_value(
    staff_client, imported_example
):
    html = page(staff_client, "/scorecard/")

    assert "<title>Scorecard, Quarter 2 2020/21" in html
    assert "Cambridgeshire County Council · Quarter 2 2020/21" in html
    assert refs(html) == ALL
    assert 'aria-current="page">Scorecard</a>' in html


def test_an_anonymous_visitor_is_sent_to_sign_in(client, imported_example):
    for url in ("/scorecard/", "/scorecard.json"):
        response = client.get(url, {"rag": "red"})

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/scorecard")


def test_the_rows_are_grouped_by_directorate_then_service(staff_client, imported_example):
    html = page(staff_client, "/scorecard/")

    assert html.count('<h2 class="scorecard__directorate">Corporate Services</h2>') == 1
    captions = re.findall(r"<caption>([^<]+)<", html)
    assert captions[:3] == [
        "Digital Infrastructure",
        "Information Governance",
        "Business Intelligence",
    ]
    assert len(captions) == 9


def test_a_row_shows_the_value_target_rating_change_and_trend_as_printed(
    staff_client, imported_example
):
    html = row(page(staff_client, "/scorecard/"), "194")

    assert "IT incidents resolved on time</a>" in html
    assert "September 2020" in html  # the period in words
    assert '<td class="num">83.4%</td>' in html
    assert '<td class="num">90.0%</td>' in html
    assert '<span class="tag rag-amber"><span aria-hidden="true">▲</span> Amber</span>' in html
    assert "▼</span> Declining" in html
    assert re.search(r'<svg class="sparkline"[^>]*role="img" aria-label="Trend of \d+ values', html)
    assert "<title>Common cause variation: no significant change.</title>" in html


def test_it_marks_printed_ratings_that_differ_and_data_quality_findings(
    staff_client, imported_example
):
    html = page(staff_client, "/scorecard/")

    assert "printed Amber" in row(html, "187")
    assert "no rating printed" in row(html, "190")
    assert html.count("no rating printed") == 1
    assert "Rated Red with no actions" in row(html, "188")


def test_each_count_is_a_link_that_filters_by_its_rating(staff_client, imported_example):
    html = page(staff_client, "/scorecard/")

    counts = dict(
        re.findall(r'href="\?period=2020%2F21\+Q2&amp;rag=(\w+)"[^>]*><strong>(\d+)', html)
    )
    assert counts == {"red": "3", "amber": "2", "green": "5", "blue": "3"} | {
        "baseline": "1",
        "contextual": "3",
    }


# Filters and sorting, in the address


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param({"rag": "red"}, ["182", "183", "188"], id="rag"),
        pytest.param({"rag": "RED"}, ["182", "183", "188"], id="rag_in_capitals"),
        pytest.param({"change": "improving"}, ["180", "181", "183", "189", "193"], id="change"),
        pytest.param({"frequency": "annual"}, ["188"], id="frequency"),
        pytest.param({"service": "Customer Services"}, ["190", "191", "192"], id="service"),
        pytest.param({"directorate": "Corporate Services"}, ALL, id="directorate"),
        pytest.param({"attention": "yes"}, ["182", "183", "187", "188", "190"], id="attention"),
        pytest.param({"rag": "green", "change": "declining"}, ["191", "195"], id="two_at_once"),
        pytest.param({"rag": "red", "frequency": "quarterly"}, [], id="none_match"),
    ],
)
def test_the_filters_in_the_address_choose_the_rows(
    staff_client, imported_example, query, expected
):
    html = page(staff_client, "/scorecard/", **query)

    assert refs(html) == expected
    assert notices(html) == []


def test_the_form_shows_the_filters_chosen(staff_client, imported_example):
    html = page(staff_client, "/scorecard/", rag="red", sort="title", attention="yes")

    assert '<option value="red" selected>✖ Red</option>' in html
    assert '<option value="title" selected>Title</option>' in html
    assert 'name="attention" value="yes" checked' in html
    assert "Showing 3 of 17 indicators that match the filters." in html
    assert (
        'href="/scorecard.json?period=2020%2F21+Q2&amp;rag=red&amp;attention=yes&amp;sort=title"'
        in html
    )


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        pytest.param("ref", ["190", "191", "192"], id="ref"),
        pytest.param("rag", ["191", "190", "192"], id="rag_green_before_blue"),
        pytest.param("change", ["191", "192", "190"], id="change_declining_first"),
        pytest.param("title", ["192", "191", "190"], id="title"),
    ],
)
def test_rows_sort_within_their_service(staff_client, imported_example, sort, expected):
    html = page(staff_client, "/scorecard/", service="Customer Services", sort=sort)

    assert refs(html) == expected


def test_sorting_by_rating_puts_red_first_in_each_group(staff_client, imported_example):
    html = page(staff_client, "/scorecard/", service="Digital Infrastructure", sort="rag")

    assert refs(html) == ["180", "181"]  # Amber, then Contextual


def test_unknown_filter_values_are_ignored_with_a_notice(staff_client, imported_example):
    html = page(
        staff_client, "/scorecard/", rag="purple", sort="size", service="Nowhere", change="red"
    )

    assert refs(html) == ALL
    (notice,) = notices(html)
    assert "service “Nowhere”" in notice
    assert "rag “purple”" in notice
    assert "change “red”" in notice
    assert "sort “size”" in notice


def test_a_malformed_filter_is_a_notice_never_an_error(staff_client, imported_example):
    html = page(staff_client, "/scorecard/", rag="x" * 5000, attention="maybe", frequency="\x00")

    assert refs(html) == ALL
    assert "attention “maybe”" in notices(html)[0]


# Periods


def test_another_period_shows_its_values(staff_client, imported_example):
    html = page(staff_client, "/scorecard/", period="2020-08")

    assert "Cambridgeshire County Council · August 2020" in html
    assert "August 2020" in row(html, "194")
    assert notices(html) == []


def test_a_malformed_period_shows_the_default_with_a_notice(staff_client, imported_example):
    html = page(staff_client, "/scorecard/", period="2020/21 Q9")

    (notice,) = notices(html)
    assert "quarters run Q1 to Q4" in notice
    assert notice.endswith("Showing Quarter 2 2020/21 instead.")
    assert refs(html) == ALL


def test_a_period_before_any_value_shows_the_default_with_a_notice(staff_client, imported_example):
    html = page(staff_client, "/scorecard/", period="2001/02 Q1", rag="red")

    assert notices(html) == [
        "There are no figures for Quarter 1 2001/02. Showing Quarter 2 2020/21 instead."
    ]
    assert refs(html) == ["182", "183", "188"]  # the filters still apply


def test_with_no_data_it_says_how_to_import(staff_client, client):
    html = page(staff_client, "/scorecard/")
    assert "perfreport import" in html

    assert "No performance is published yet" in page(client, "/public/")
    assert records(client, "/public.json")["indicators"] == []


# The public scorecard


def test_the_public_scorecard_is_for_everyone(client, imported_example):
    html = page(client, "/public/")

    assert "<title>Published performance, Quarter 2 2020/21" in html
    assert refs(html, public=True) == ALL
    assert 'href="/public/reports/"' in html
    assert 'href="/open-data/"' in html


def test_the_public_scorecard_shows_no_printed_ratings_or_findings(client, imported_example):
    html = page(client, "/public/")

    assert "printed Amber" not in html
    assert "no rating printed" not in html
    assert "Rated Red with no actions" not in html
    assert "scorecard__finding" not in html


def test_needs_attention_means_red_for_the_public(client, imported_example):
    html = page(client, "/public/", attention="yes")

    assert refs(html, public=True) == ["182", "183", "188"]


def test_the_public_scorecard_hides_draft_values(client, staff_client, imported_example):
    """GIVEN the latest value of 191 is a draft
    WHEN the public and staff scorecards are asked for
    THEN only staff see it; the public see the value before it."""
    latest = Observation.objects.filter(indicator__ref="191").latest("last_month")
    latest.value, latest.is_draft = Decimal("12.3"), True
    latest.save()

    public = row(page(client, "/public/"), "191")
    assert "12.3%" not in public
    assert "August 2020" in public

    assert "12.3%" in row(page(staff_client, "/scorecard/"), "191")
    (record,) = records(client, "/public.json", service="Customer Services", rag="green")[
        "indicators"
    ]
    assert (record["ref"], record["period"]) == ("191", "2020-08")


# The .json twins


@pytest.mark.parametrize(
    "query",
    [
        pytest.param({}, id="everything"),
        pytest.param({"rag": "red"}, id="red"),
        pytest.param({"service": "Customer Services", "sort": "rag"}, id="sorted"),
        pytest.param({"attention": "yes", "period": "2020/21 Q1"}, id="attention_q1"),
    ],
)
def test_the_json_twins_hold_the_pages_rows(staff_client, client, imported_example, query):
    for user, url, public in ((staff_client, "/scorecard", False), (client, "/public", True)):
        html = page(user, f"{url}/", **query)
        data = records(user, f"{url}.json", **query)

        assert [r["ref"] for r in data["indicators"]] == refs(html, public)
        assert data["period"] == query.get("period", "2020/21 Q2")
        assert data["organisation"]["name"] == "Cambridgeshire County Council"


def test_a_json_record_is_the_evaluation_record(staff_client, imported_example):
    data = records(staff_client, "/scorecard.json", rag="amber")

    assert data["counts"]["red"] == 3
    assert data["counts"]["all"] == 17
    record = data["indicators"][1]
    assert record["ref"] == "194"
    assert record["display_value"] == "83.4%"
    assert record["explanation"].startswith(
        "83.4% is 6.6 percentage points (7.3%) below the 90.0% target"
    )
    assert record["stated_rag"] == "amber"


def test_the_json_twin_writes_text_as_it_is(staff_client, imported_example):
    response = staff_client.get("/scorecard.json", {"rag": "purple"})

    assert "rag “purple”".encode() in response.content  # not \u201c
    assert json.loads(response.content)["notices"]


# The parts


def test_a_sparkline_is_labelled_with_its_first_and_last_values():
    months = [parse_period(f"2020-{m:02d}") for m in (7, 8, 9)]
    points = [Point(p, Decimal(v)) for p, v in zip(months, ("57.5", "59", "61"), strict=True)]

    svg = sparkline(points, lambda v: f"{v:.1f}%")

    assert 'role="img" aria-label="Trend of 3 values from 57.5% to 61.0%"' in svg
    assert svg.count("<polyline") == 1
    assert sparkline(points[:1], str).count('aria-label="1 value: 57.5"') == 1
    assert sparkline([], str) == ""


def test_refs_sort_as_numbers_where_they_are_numbers():
    assert sorted(["PH 10", "PH 9", "10", "9", "A"], key=ref_key) == [
        "9",
        "10",
        "A",
        "PH 9",
        "PH 10",
    ]


def test_only_known_directorates_and_services_are_filters():
    choices = Choices(frozenset({"People"}), frozenset({"Libraries"}))

    filters, ignored = parse_filters({"directorate": "people", "service": "Libraries"}, choices)

    assert (filters.directorate, filters.service) == ("", "Libraries")
    assert ignored == ["directorate “people”"]
