"""My work and an entry's page in a real browser: the service lead sees the
rating change as they type, a percentage over 100 is refused beside the
field, a Red value asks for actions; every state of the pages meets WCAG 2.2
A/AA by axe-core."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from round_helpers import entry_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from browser import axe_violations, browser_page, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SCREENSHOT = "/tmp/work_entry.png"


def test_the_lead_sees_red_as_they_type_and_is_asked_for_actions(live_server, personas, open_round):
    """GIVEN the service lead signed in through the form, with 191 due
    WHEN they open it from My work and type 70 (the target is 85%)
    THEN the live region says Red and the Actions hint shows; 140 is refused
    beside the field as it is typed; submitting Red without actions is
    refused with an error summary, keeping what was typed."""
    # Playwright's sync API runs an event loop in this thread, where Django
    # refuses database queries: the database is read before and after.
    entry = entry_of(open_round, "191")
    with browser_page() as page:
        sign_in(page, live_server.url, "cs.lead")
        page.goto(f"{live_server.url}/work/")
        assert page.locator("h1").inner_text() == "My work"
        assert axe_violations(page) == []

        # October, November and December are due: December is the last.
        page.get_by_role(
            "link", name=re.compile("Calls answered by Customer Services")
        ).last.click()
        page.wait_for_load_state()
        assert page.url == f"{live_server.url}/work/entries/{entry.pk}/"
        assert axe_violations(page) == []

        value = page.get_by_label("Value for December 2020")
        region = page.locator("#entry-preview")
        assert region.get_attribute("aria-live") == "polite"
        value.fill("70")
        region.locator(".rag-red").wait_for()
        assert "Red" in region.inner_text()
        assert "70.0% for December 2020, against a target of 85.0%" in region.inner_text()
        assert page.locator("#actions-red-hint").is_visible()
        assert "actions-red-hint" in page.get_by_label("Actions").get_attribute("aria-describedby")
        assert not page.get_by_role("button", name="Check the rating").is_visible()

        value.fill("140")
        page.locator("#value-error").wait_for(state="visible")
        assert (
            "140 is outside 0 to 100, the range of a percentage"
            in page.locator("#value-error").inner_text()
        )
        assert value.get_attribute("aria-invalid") == "true"
        assert axe_violations(page) == []

        value.fill("70")
        page.locator("#value-error").wait_for(state="hidden")
        region.locator(".rag-red").wait_for()
        page.get_by_label("Commentary").fill("Fewer advisers over the holidays.")
        page.screenshot(path=SCREENSHOT, full_page=True)

        page.get_by_role("button", name="Submit for approval").click()
        page.wait_for_load_state()
        summary = page.get_by_role("alert")
        assert summary.inner_text().startswith("There is a problem")
        assert "Actions are required for a Red rating" in summary.inner_text()
        assert page.evaluate("document.activeElement.className") == "error-summary"
        assert page.get_by_label("Value for December 2020").input_value() == "70"
        assert page.get_by_label("Commentary").input_value() == "Fewer advisers over the holidays."
        summary.get_by_role("link").first.click()
        assert page.evaluate("document.activeElement.id") == "id_actions"
        assert axe_violations(page) == []

        page.set_viewport_size({"width": 390, "height": 900})
        assert axe_violations(page) == []

    entry.refresh_from_db()
    assert entry.state == "not_started" and entry.value is None
