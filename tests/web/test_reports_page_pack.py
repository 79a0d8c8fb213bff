"""The Reports pages' choice of report type: the full report or the
exception pack, for staff and for the public (published figures only)."""

from __future__ import annotations

import subprocess
from decimal import Decimal

import pytest
from pack_plan import PERIOD, build_plan

from perfreport.data.models import Observation
from perfreport.data.versions import bump_data_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()  # the data version starts again in each test's database


@pytest.fixture
def plan(imported_example):
    return build_plan()


def download(client, url="/reports/download", **params):
    return client.get(url, {"period": PERIOD, "format": "pdf", **params})


def pdf_text(content: bytes) -> str:
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(text.split())


@pytest.mark.parametrize("url", ["/reports/", "/public/reports/"])
def test_both_pages_offer_the_full_report_and_the_exception_pack(staff_client, plan, url):
    html = staff_client.get(url).content.decode()

    assert '<legend class="fieldset__legend">Report type</legend>' in html
    assert 'id="id_pack_0" name="pack" type="radio" value="" aria-describedby="pack-0-hint" checked' in html  # fmt: skip
    assert '<label class="radios__label" for="id_pack_1">Exception pack</label>' in html


def test_staff_download_the_pack_named_as_a_pack(staff_client, plan):
    response = download(staff_client, pack="exceptions")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="performance-report-exception-pack-2020-21-q2.pdf"'
    )
    text = pdf_text(response.content)
    assert "What needs attention" in text
    assert "Why it is here: Rated Red in Sep 2020: 63.0% against a target of 80.0%." in text


def test_the_full_report_stays_the_default(staff_client, plan):
    response = download(staff_client, format="html")

    assert "What needs attention" not in response.content.decode()


def test_the_public_pack_never_shows_a_draft_figure(client, staff_client, plan):
    Observation.objects.filter(indicator__ref="183", period="2020-09").update(
        is_draft=True, value=Decimal("11.1")
    )
    bump_data_version()

    response = download(client, "/public/reports/download", pack="exceptions", format="html")
    staff = download(staff_client, pack="exceptions", format="html").content.decode()

    html = response.content.decode()
    assert response.status_code == 200
    assert "11.1%" in staff
    assert "11.1%" not in html
    assert "Published figures only." in html


def test_an_unknown_report_type_shows_the_form_again_with_the_error_and_the_input_kept(
    staff_client, plan
):
    response = download(staff_client, pack="highlights", format="docx")

    html = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_pack_0">Choose a report type: full report or exception pack</a>' in html
    assert 'value="docx" aria-describedby="format-docx-hint" checked' in html
    assert f'name="period" type="text" value="{PERIOD}"' in html


def test_the_published_list_links_each_quarter_s_pack(client, plan):
    """The public list of published reports offers each quarter's exception
    pack beside its full report, and the link downloads the pack."""
    import re

    html = client.get("/public/reports/").content.decode()
    links = re.findall(
        r'<a href="([^"]*pack=exceptions[^"]*)" download>Exception pack \(PDF\)', html
    )
    assert (
        "/public/reports/download?period=2020%2F21+Q2&amp;format=pdf&amp;pack=exceptions" in links
    )
    response = client.get(links[0].replace("&amp;", "&"))
    assert response.status_code == 200
    assert "What needs attention" in pdf_text(response.content)
