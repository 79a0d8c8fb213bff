"""The round pages in a real browser: the BI administrator opens a round
through the form, lands on its page, and reverts a change from an
indicator's history; each page meets WCAG 2.2 A/AA by axe-core."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from round_helpers import ROUND_PERIOD, entry_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from browser import axe_violations, browser_page, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SCREENSHOT = "/tmp/round_page.png"


def test_the_bi_administrator_opens_a_round_and_reverts_a_change(live_server, personas, actors):
    """GIVEN the BI administrator signed in through the form
    WHEN they open the round for 2020/21 Q3 with a deadline two weeks away,
    after a mistyped period the form sends back with the deadline kept,
    THEN they land on its page with its 44 entries (16 indicators, 14 of them
    monthly with October and November too); and when a lead's save
    is reverted from the indicator's history, the history shows the revert."""
    from perfreport.audit.models import AuditEvent
    from perfreport.data.models import Round
    from perfreport.rounds.services import EntryInput, save_entry

    deadline = timezone.localdate() + timedelta(days=14)
    # Playwright's sync API runs an event loop in this thread, where Django
    # refuses database queries: the database is read between browser sessions.
    with browser_page() as page:
        sign_in(page, live_server.url, "bi.admin")
        page.goto(f"{live_server.url}/rounds/")
        assert axe_violations(page) == []

        page.get_by_label("Period").fill("2020/21 Q5")
        page.get_by_label("Deadline").fill(deadline.isoformat())
        page.get_by_role("button", name="Open the round").click()
        page.wait_for_load_state()
        assert "quarters run Q1 to Q4" in page.get_by_role("alert").inner_text()
        assert page.get_by_label("Deadline").input_value() == deadline.isoformat()
        assert axe_violations(page) == []

        page.get_by_label("Period").fill(ROUND_PERIOD)
        page.get_by_role("button", name="Open the round").click()
        page.wait_for_load_state()

        landed = page.url
        assert page.locator("h1").inner_text() == "Round for Quarter 3 2020/21"
        assert "44 entries are due" in page.get_by_role("status").first.inner_text()
        assert page.locator("table.round-entries tbody tr").count() == 44
        assert page.get_by_role("link", name="Publish round 2020/21 Q3").count() == 1
        assert axe_violations(page) == []
        page.screenshot(path=SCREENSHOT, full_page=True)

    opened = Round.objects.get(period=ROUND_PERIOD)
    assert landed == f"{live_server.url}/rounds/{opened.pk}/"
    assert opened.deadline == deadline
    entry = entry_of(opened, "191")
    save_entry(actors["lead"], entry.pk, EntryInput(value="70"), version=entry.version)

    with browser_page() as page:
        sign_in(page, live_server.url, "bi.admin")
        page.goto(f"{live_server.url}/indicators/191/history/")
        assert axe_violations(page) == []
        page.get_by_label("Reason for reverting").fill("Entered before the month closed")
        page.get_by_role("button", name="Revert this change").click()
        page.wait_for_load_state()

        status = page.get_by_role("status").first.inner_text()
        assert "Reverted the change made by cs.lead" in status
        assert axe_violations(page) == []
        page.screenshot(path="/tmp/round_history.png", full_page=True)

    revert = AuditEvent.objects.get(action="revert")
    assert (revert.actor, revert.reason) == ("bi.admin", "Entered before the month closed")
