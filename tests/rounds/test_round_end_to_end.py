"""A whole quarterly round on the seed's data, in a real browser, by the four
roles: the BI administrator opens the round, a service lead enters a Red
value and is made to add actions, the approver returns it, the lead fixes
it, the approver approves, the administrator publishes, the public page
shows the figure, and a later restatement shows beside it."""

from __future__ import annotations

import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from round_helpers import PASSWORD

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from browser import axe_violations, browser_page

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ENTRY_TITLE = "Calls answered by Customer Services"


def _as(page, base_url, username):
    """Sign out whoever is signed in, and sign in as ``username`` through the form."""
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _open_entry(page, base_url):
    page.goto(f"{base_url}/work/")
    page.get_by_role("link", name=ENTRY_TITLE).last.click()  # December, after October and November
    page.wait_for_load_state()


def test_a_whole_round_in_the_browser(live_server, personas, tmp_path):
    from perfreport.audit.models import AuditEvent
    from perfreport.data.models import Entry, Observation, Round

    base = live_server.url
    deadline = timezone.localdate() + timedelta(days=10)
    # Playwright's sync API runs an event loop in this thread, where Django
    # refuses database queries: the database is read after the browser closes.
    with browser_page() as page:
        # 1. The BI administrator opens the round.
        _as(page, base, "bi.admin")
        page.goto(f"{base}/rounds/")
        page.get_by_label("Period").fill("2020/21 Q3")
        page.get_by_label("Deadline").fill(deadline.isoformat())
        page.get_by_role("button", name="Open the round").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == "Round for Quarter 3 2020/21"

        # 2. The lead enters a Red value: the page says Red as it is typed,
        #    and submitting without actions is refused with the value kept.
        _as(page, base, "cs.lead")
        _open_entry(page, base)
        page.get_by_label("Value for December 2020").fill("70")
        page.get_by_text(
            "70.0% is 15.0 percentage points (17.6%) below the 85.0% target: Red"
        ).wait_for()
        page.get_by_label("Commentary").fill("Fewer advisers over the holidays.")
        page.get_by_role("button", name="Submit for approval").click()
        page.wait_for_load_state()
        assert "Actions are required for a Red rating" in page.get_by_role("alert").inner_text()
        assert page.get_by_label("Value for December 2020").input_value() == "70"
        assert axe_violations(page) == []
        page.get_by_label("Actions").fill("Four advisers recruited, starting in January.")
        page.get_by_role("button", name="Submit for approval").click()
        page.wait_for_url(f"{base}/work/")
        assert "submitted" in page.get_by_role("status").first.inner_text().lower()

        # 3. The approver returns it with a reason.
        _as(page, base, "cs.director")
        _open_entry(page, base)
        page.get_by_label("Reason for returning it").fill("December's figure looks low: check it.")
        page.get_by_role("button", name="Return to the owner").click()
        page.wait_for_url(f"{base}/work/")

        # 4. The lead sees why, fixes the value and submits again.
        _as(page, base, "cs.lead")
        page.goto(f"{base}/work/")
        assert "December's figure looks low: check it." in page.locator("main").inner_text()
        _open_entry(page, base)
        page.get_by_label("Value for December 2020").fill("72.5")
        page.get_by_role("button", name="Submit for approval").click()
        page.wait_for_url(f"{base}/work/")

        # 5. The approver approves.
        _as(page, base, "cs.director")
        _open_entry(page, base)
        page.get_by_role("button", name="Approve").click()
        page.wait_for_url(f"{base}/work/")

        # 6. The administrator publishes the round.
        _as(page, base, "bi.admin")
        page.goto(f"{base}/rounds/")
        page.get_by_role("link", name="Quarter 3 2020/21").click()
        page.get_by_role("link", name="Publish round 2020/21 Q3").click()
        page.wait_for_load_state()  # the confirmation: the other figures are missing
        page.get_by_label("Why are you publishing with").fill("The other services report late")
        page.get_by_role("button", name="Publish round 2020/21 Q3").click()
        page.wait_for_load_state()
        assert "Published" in page.locator("main").inner_text()
        page.screenshot(path=str(tmp_path / "published-round.png"), full_page=True)

        # 7. The public page shows the published figure, signed out.
        page.context.clear_cookies()
        page.goto(f"{base}/public/indicators/191/?period=2020/21%20Q3")
        main = page.locator("main").inner_text()
        assert "72.5%" in main and "December 2020" in main
        assert "Four advisers recruited" in main

        # 8. A later correction by the lead is a restatement, with a reason,
        #    shown beside the published figure.
        #    The lead finds the entry through the published round.
        _as(page, base, "cs.lead")
        page.goto(f"{base}/rounds/")
        page.get_by_role("link", name="Quarter 3 2020/21").click()
        page.get_by_role("link", name=ENTRY_TITLE).last.click()  # December
        page.get_by_role("link", name="restate it, with a reason").click()
        page.get_by_label("New value for December 2020").fill("74")
        page.get_by_label("Reason for the restatement").fill("Calls logged late were counted.")
        page.get_by_role("button", name="Restate the value").click()
        page.wait_for_load_state()
        page.context.clear_cookies()
        page.goto(f"{base}/public/indicators/191/?period=2020/21%20Q3")
        main = page.locator("main").inner_text()
        assert "Restated: the figure published for December 2020 was 72.5%; it is now 74.0%" in main
        assert axe_violations(page) == []
        page.screenshot(path=str(tmp_path / "public-restated.png"), full_page=True)

    entry = Entry.objects.filter(indicator__ref="191").latest("first_month")
    assert entry.state == "published" and entry.value == Decimal(74)
    stored = Observation.objects.get(indicator__ref="191", period="2020-12")
    assert (stored.value, stored.first_value, stored.is_draft) == (
        Decimal(74),
        Decimal("72.5"),
        False,
    )
    assert Round.objects.get().snapshot["entries"][0]["value"] == "72.5"
    steps = list(
        AuditEvent.objects.filter(object_type="entry", object_id=str(entry.pk))
        .order_by("at", "pk")
        .values_list("actor", "action")
    )
    assert steps == [
        ("cs.lead", "submit"),
        ("cs.director", "return"),
        ("cs.lead", "submit"),
        ("cs.director", "approve"),
        ("cs.lead", "restate"),
    ]
