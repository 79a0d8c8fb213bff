"""The reports pages' sections: the staff and public forms offer each section
of the full report, the plan only when there is a plan; the report holds the
sections ticked, in the report's order; none ticked is an error that keeps
what was typed; a link with no sections (the published list's) gives them all."""

from __future__ import annotations

import io
import subprocess

import pytest
from docx import Document
from report_plan_builders import PERIOD, build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def get(client, url, fmt="pdf", **more):
    return client.get(url, {"period": PERIOD, "format": fmt, **more})


@pytest.mark.parametrize("url", ["/reports/", "/public/reports/"])
def test_the_form_offers_the_plan_section_when_there_is_a_plan(client, staff_client, imported_example, url):  # fmt: skip
    from perfreport.registry.models import PlanItem

    who = staff_client if url == "/reports/" else client
    build_plan()
    with_plan = who.get(url).content.decode()
    PlanItem.objects.all().delete()
    without = who.get(url).content.decode()

    box = 'name="sections" type="checkbox" value="plan" checked'
    assert box in with_plan and ">Plan: priorities and outcomes</label>" in with_plan
    assert 'value="plan"' not in without
    assert 'name="sections" type="checkbox" value="indicators" checked' in without


def test_the_public_report_of_the_plan_alone_holds_the_plan_and_no_indicator_pages(
    client, imported_example
):
    build_plan()
    response = get(client, "/public/reports/download", sections=["plan"], sections_shown="1")

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Plan: priorities and outcomes" in text
    assert "Priority P1: A connected county" in text
    assert "Indicator 180:" not in text  # no indicator pages
    assert "Summary" not in text.split("Plan: priorities")[0].replace("Contents", "")


def test_leaving_the_plan_out_gives_a_report_without_it(staff_client, imported_example):
    build_plan()
    ticked = ["cover", "summary", "key", "indicators"]
    response = get(staff_client, "/reports/download", fmt="docx", sections=ticked,
                   sections_shown="1")  # fmt: skip

    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Plan: priorities and outcomes" not in headings
    assert "Plan status" not in headings
    assert "Summary" in headings


def test_a_link_without_sections_gives_every_section_with_the_plan(client, imported_example):
    build_plan()
    response = get(client, "/public/reports/download", fmt="html")

    html = response.content.decode()
    assert response.status_code == 200
    for heading in ("Summary", "Key", "Plan: priorities and outcomes"):
        assert f">{heading}</h2>" in html
    key, plan = html.index('id="key-heading"'), html.index('id="plan-heading"')
    assert key < plan < html.index('id="indicator-180-heading"')


def test_no_section_ticked_is_refused_keeping_what_was_typed(staff_client, imported_example):
    build_plan()
    response = get(staff_client, "/reports/download", fmt="xlsx", sections_shown="1",
                   directorate="Corporate Services")  # fmt: skip

    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_sections_0">Choose at least one section for the report</a>' in html
    assert f'value="{PERIOD}"' in html
    assert 'value="xlsx" aria-describedby="format-xlsx-hint" checked' in html
    assert "<option selected>Corporate Services</option>" in html
    assert 'name="sections" type="checkbox" value="plan">' in html  # unticked, as sent


def test_an_unknown_section_is_refused(staff_client, imported_example):
    response = get(staff_client, "/reports/download", sections=["appendix"], sections_shown="1")

    assert response.status_code == 400
    assert "Choose sections from the list" in response.content.decode()
