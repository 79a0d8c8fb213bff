"""The entry page in a real browser, as its owner types: Enter in the value
field saves a draft, the drafted commentary fills the commentary field at a
click, and the page with its context meets WCAG 2.2 A/AA by axe-core at
1280 and 390 px."""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect
from round_helpers import entry_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from browser import axe_violations, browser_page, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_enter_in_the_value_field_saves_a_draft(live_server, personas, open_round):
    """GIVEN the service lead on 191's entry page, with nothing entered
    WHEN they type 870 of 1,000 (the preview works out 87.0%), then 80 (said
    to disagree), then clear the counts, type 88 in the value field and press Enter
    THEN the draft is saved (they are taken to My work, told so) and the
    entry holds 88 as a draft; it did not press the hidden "Check the rating"."""
    entry = entry_of(open_round, "191")
    with browser_page() as page:
        sign_in(page, live_server.url, "cs.lead")
        page.goto(f"{live_server.url}/work/entries/{entry.pk}/")
        value = page.get_by_label("Value for December 2020")
        page.get_by_label("Numerator").fill("870")
        page.get_by_label("Denominator").fill("1000")
        expect(page.locator("#entry-preview")).to_contain_text("87.0% for December 2020")
        value.fill("80")
        expect(page.locator("#value-error")).to_contain_text(
            "the numerator and denominator give 87.0%"
        )
        page.get_by_label("Numerator").fill("")
        page.get_by_label("Denominator").fill("")
        value.fill("88")
        value.press("Enter")
        page.wait_for_url(f"{live_server.url}/work/")
        assert "Saved indicator 191" in page.locator("main").inner_text()

    entry.refresh_from_db()
    assert entry.state == "draft"
    assert entry.value == Decimal("88")


def test_the_approver_ticks_two_entries_and_approves_them(
    live_server, personas, actors, open_round
):
    """GIVEN 190 and 191 submitted by their lead
    WHEN the approver, on My work, ticks both and presses Approve selected
    THEN both are approved; the list with its ratings meets axe at 1280 and 390 px."""
    from perfreport.rounds.services import EntryInput, save_entry

    entries = [entry_of(open_round, ref) for ref in ("190", "191")]
    for entry in entries:
        typed = EntryInput(value="70", actions="Recruiting advisers")
        save_entry(actors["lead"], entry.pk, typed, version=entry.version, submit=True)
    with browser_page() as page:
        sign_in(page, live_server.url, "cs.director")
        page.goto(f"{live_server.url}/work/")
        assert axe_violations(page) == []
        page.set_viewport_size({"width": 390, "height": 900})
        assert axe_violations(page) == []
        page.set_viewport_size({"width": 1280, "height": 900})
        page.get_by_label("Approve indicator 190 for December 2020").check()
        page.get_by_label("Approve indicator 191 for December 2020").check()
        page.get_by_role("button", name="Approve selected").click()
        page.wait_for_load_state()
        assert "Approved 2 entries" in page.get_by_role("status").first.inner_text()
        assert axe_violations(page) == []

    for entry in entries:
        entry.refresh_from_db()
        assert entry.state == "approved"


def test_the_drafted_commentary_fills_the_commentary_field(live_server, personas, open_round):
    """GIVEN the service lead on 191's entry page
    WHEN they type 70, a sentence of commentary, and press "Use the drafted commentary"
    THEN the field holds their sentence and then the draft for 70 (Red), and
    has the focus; nothing is saved; the page meets axe at 1280 and 390 px."""
    entry = entry_of(open_round, "191")
    with browser_page() as page:
        sign_in(page, live_server.url, "cs.lead")
        page.goto(f"{live_server.url}/work/entries/{entry.pk}/")
        assert axe_violations(page) == []
        page.get_by_label("Value for December 2020").fill("70")
        commentary = page.get_by_label("Commentary")
        commentary.fill("Staff were ill.")
        page.get_by_role("button", name="Use the drafted commentary").click()
        expect(commentary).to_have_value(re.compile("In December 2020"))
        text = commentary.input_value()
        assert text.startswith("Staff were ill.\n\nIn December 2020 the value was 70.0%")
        assert "Red" in text
        assert page.evaluate("document.activeElement.id") == "id_commentary"
        assert page.url == f"{live_server.url}/work/entries/{entry.pk}/"
        assert axe_violations(page) == []
        page.set_viewport_size({"width": 390, "height": 900})
        assert axe_violations(page) == []

    entry.refresh_from_db()
    assert entry.commentary == "" and entry.version == 1
