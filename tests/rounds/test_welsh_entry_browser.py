"""Entering Welsh beside the English in a real browser (issue 17): on the
Welsh entry page in bilingual mode the lead types the value and both
commentaries, the RAG rating is said in Welsh as the value is typed, the two
commentaries sit side by side at 1280 px and one above the other at 390 px,
and the page meets WCAG 2.2 A/AA by axe-core at both widths."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect
from round_helpers import entry_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from browser import axe_violations, browser_page, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ENGLISH = "Calls rose after the new phone line opened."
WELSH = "Cododd y galwadau ar ôl i'r llinell ffôn newydd agor."


def test_the_lead_writes_both_languages_on_the_welsh_entry_page(live_server, personas, open_round):
    """GIVEN bilingual mode on, the lead on 191's Welsh entry page
    WHEN they type 88 and the commentary in English and in Welsh, and save
    THEN the preview says the value in Welsh, the two fields sit side by side
    (then stacked on a phone), axe finds nothing, and both are saved."""
    from perfreport.registry.models import Organisation

    Organisation.objects.filter(is_home=True).update(bilingual=True)
    entry = entry_of(open_round, "191")
    with browser_page() as page:
        sign_in(page, live_server.url, "cs.lead")
        page.goto(f"{live_server.url}/cy/work/entries/{entry.pk}/")
        assert page.locator("html").get_attribute("lang") == "cy"
        page.get_by_label("Gwerth ar gyfer Rhagfyr 2020").fill("88")
        expect(page.locator("#entry-preview")).to_contain_text("88.0% ar gyfer Rhagfyr 2020")
        english = page.get_by_label("Sylwebaeth (Saesneg)")
        welsh = page.get_by_label("Sylwebaeth (Cymraeg)")
        assert english.get_attribute("lang") == "en-GB" and welsh.get_attribute("lang") == "cy"
        english.fill(ENGLISH)
        welsh.fill(WELSH)
        left, right = english.bounding_box(), welsh.bounding_box()
        assert left and right and right["x"] > left["x"] + left["width"]  # side by side
        assert axe_violations(page) == []
        page.set_viewport_size({"width": 390, "height": 900})
        left, right = english.bounding_box(), welsh.bounding_box()
        assert left and right and right["y"] > left["y"] + left["height"]  # stacked
        assert axe_violations(page) == []
        page.get_by_role("button", name="Cadw drafft").last.click()
        page.wait_for_url(f"{live_server.url}/cy/work/")
        assert "Cadwyd dangosydd 191" in page.locator("main").inner_text()

    entry.refresh_from_db()
    assert (entry.commentary, entry.commentary_cy, entry.state) == (ENGLISH, WELSH, "draft")
