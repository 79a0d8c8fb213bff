"""The grid of an owner's due figures in a real browser, by keyboard only:
the service lead tabs to two rows, types their values, sees each row's
rating said as they type, and saves both with Enter; a refused save names
the row; every state of the page meets WCAG 2.2 A/AA by axe-core at 1280
and 390 pixels wide."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest
from round_helpers import entry_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from browser import axe_violations, browser_page, sign_in, tab_to

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SCREENSHOT = "/tmp/work_grid.png"


def test_the_lead_fills_two_rows_and_saves_them_with_the_keyboard(
    live_server, personas, open_round
):
    """GIVEN the service lead, with 191 and 192 due
    WHEN they tab to 191's value and type 140, then 70, tab on to 192's
    value, type 1, and press Enter
    THEN 140 is refused beside its field as typed, 70 is rated Red in the
    row's live region, and Enter saves both rows as drafts."""
    e191, e192 = entry_of(open_round, "191"), entry_of(open_round, "192")
    with browser_page() as page:
        sign_in(page, live_server.url, "cs.lead")
        page.goto(f"{live_server.url}/work/figures/")
        assert page.locator("h1").inner_text() == "Enter my figures"
        assert axe_violations(page) == []

        tab_to(page, f"id_e{e191.pk}-value")
        page.keyboard.type("140")
        page.locator(f"#e{e191.pk}-value-error").wait_for(state="visible")
        assert "percentage" in page.locator(f"#e{e191.pk}-value-error").inner_text()
        assert axe_violations(page) == []
        for _ in range(3):
            page.keyboard.press("Backspace")
        page.keyboard.type("70")
        rating = page.locator(f"#e{e191.pk}-rating")
        assert rating.get_attribute("aria-live") == "polite"
        rating.locator(".rag-red").wait_for()
        assert "Actions are required" in rating.inner_text()

        tab_to(page, f"id_e{e192.pk}-value")
        page.keyboard.type("1")
        page.screenshot(path=SCREENSHOT, full_page=True)
        page.keyboard.press("Enter")
        page.wait_for_load_state()
        assert page.url == f"{live_server.url}/work/figures/"
        assert "Saved 2 figures as drafts" in page.get_by_role("status").inner_text()
        assert axe_violations(page) == []

    e191.refresh_from_db()
    e192.refresh_from_db()
    assert (e191.value, e191.state) == (Decimal("70"), "draft")
    assert (e192.value, e192.state) == (Decimal("1"), "draft")


def test_a_refused_save_names_the_row_and_meets_wcag_at_both_widths(
    live_server, personas, open_round
):
    e191 = entry_of(open_round, "191")
    with browser_page() as page:
        sign_in(page, live_server.url, "cs.lead")
        page.goto(f"{live_server.url}/work/figures/")
        tab_to(page, f"id_e{e191.pk}-value")
        page.keyboard.type("lots")
        page.keyboard.press("Enter")
        page.wait_for_load_state()
        summary = page.get_by_role("alert")
        assert "nothing was saved" in summary.inner_text()
        assert page.evaluate("document.activeElement.className") == "error-summary"
        assert page.locator(f"#id_e{e191.pk}-value").input_value() == "lots"
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == f"id_e{e191.pk}-value"
        assert axe_violations(page) == []
        page.set_viewport_size({"width": 390, "height": 900})
        assert axe_violations(page) == []

    e191.refresh_from_db()
    assert e191.value is None


def test_the_upload_page_refuses_a_file_that_is_not_a_workbook_by_keyboard(
    live_server, personas, open_round, tmp_path
):
    """GIVEN the service lead on Upload my figures
    WHEN they choose a text file saved as .xlsx and press Enter on the button
    THEN the error summary says it is not a workbook, nothing is saved, and
    the page meets WCAG 2.2 AA at 1280 and 390 pixels wide."""
    wrong = tmp_path / "figures.xlsx"
    wrong.write_text("Entry id,Value\n1,70\n")
    with browser_page() as page:
        sign_in(page, live_server.url, "cs.lead")
        page.goto(f"{live_server.url}/work/")
        assert page.get_by_role("link", name="upload it back").count() == 1
        page.goto(f"{live_server.url}/work/figures/upload")
        assert page.locator("h1").inner_text() == "Upload my figures"
        assert axe_violations(page) == []
        page.set_input_files("#id_workbook", str(wrong))
        tab_to(page, "id_workbook")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_load_state()
        summary = page.get_by_role("alert")
        assert "nothing was saved" in summary.inner_text()
        assert "is not an Excel workbook" in page.locator("#upload-problems").inner_text()
        page.screenshot(path="/tmp/work_grid_upload.png", full_page=True)
        assert axe_violations(page) == []
        page.set_viewport_size({"width": 390, "height": 900})
        assert axe_violations(page) == []
        page.goto(f"{live_server.url}/work/figures/")
        page.screenshot(path="/tmp/work_grid_390.png", full_page=True)
        assert axe_violations(page) == []

    assert entry_of(open_round, "191").value is None
