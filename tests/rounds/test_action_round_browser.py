"""Issue 15's must-show for actions in the round, in Chromium: an owner
updates an action's progress and percentage in the same grid as their
figures and submits both; the approver sees the figure and the action update
on My work and approves them together; the administrator publishes; the
public side shows the published percentage only after publishing, never
the draft. axe-core finds nothing on the pages at 1280 and 390 pixels wide."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from action_helpers import make_actions, update_of
from round_helpers import DEADLINE, ROUND_PERIOD, TODAY, entry_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from browser import axe_violations, browser_page, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
NOTE = "Adverts placed in three papers; interviews in January."


def public_a1():
    """A1 as the public side reads it for the round's period: the plan's one selector."""
    from perfreport.data.plan import load_plan
    from perfreport.registry.periods import read_period

    return load_plan(read_period(ROUND_PERIOD), public=True).actions["A1"]


def test_an_owner_updates_an_action_beside_their_figures_and_it_is_public_once_published(
    live_server, personas, actors
):
    """GIVEN the round for 2020/21 Q3, with indicator 191 and action A1 due from the service lead
    WHEN the lead types 191's value and A1's percentage and progress in the grid, saves both,
    submits both, the approver approves both from My work and the administrator publishes
    THEN the public plan shows A1 at 40% with its note after publishing, and no percentage before."""
    from perfreport.rounds import services

    make_actions(personas.it_lead)
    opened = services.open_round(actors["admin"], _period(), DEADLINE, today=TODAY)
    e191, a1 = entry_of(opened, "191"), update_of(opened, "A1")
    advert = a1.action.milestones.get(title="Adverts placed").pk
    public_page = f"{live_server.url}/public/plan/actions/A1/?period={quote(ROUND_PERIOD)}"

    with browser_page() as page:
        sign_in(page, live_server.url, "cs.lead")
        page.goto(f"{live_server.url}/work/figures/")
        assert page.get_by_role("heading", name="Actions and projects").count() == 1
        page.locator(f"#id_e{e191.pk}-value").fill("82")
        page.locator(f"#id_a{a1.pk}-percent").fill("40")
        page.locator(f"#id_a{a1.pk}-note").fill(NOTE)
        page.get_by_text("Completion and milestones").click()
        page.locator(f"#id_a{a1.pk}-m{advert}").fill("20/11/2020")
        assert axe_violations(page) == []
        page.screenshot(path="/tmp/work_grid_actions.png", full_page=True)
        page.get_by_role("button", name="Save all as drafts").click()
        page.wait_for_load_state()
        assert (
            "Saved 1 figure and 1 action update as drafts"
            in page.get_by_role("status").inner_text()
        )

        page.goto(f"{live_server.url}/work/entries/{e191.pk}/")
        page.get_by_role("button", name="Submit for approval").click()
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/work/actions/{a1.pk}/")
        assert page.locator("#id_percent").input_value() == "40"
        assert "On track" in page.locator("#action-status").inner_text()
        page.screenshot(path="/tmp/work_action.png", full_page=True)
        assert axe_violations(page) == []
        page.set_viewport_size({"width": 390, "height": 900})
        assert axe_violations(page) == []
        page.set_viewport_size({"width": 1280, "height": 900})
        page.get_by_role("button", name="Submit for approval").click()
        page.wait_for_load_state()
        assert "submitted and awaits approval" in page.get_by_role("status").inner_text()
        page.goto(public_page)
        assert NOTE not in page.content()

    assert public_a1().percent is None  # submitted, not published: the public sees no draft

    with browser_page() as page:
        sign_in(page, live_server.url, "cs.director")
        page.goto(f"{live_server.url}/work/")
        approvals = page.locator("#approvals-heading").locator("xpath=..")
        assert "Calls answered by Customer Services" in approvals.inner_text()
        assert (
            "Recruit more call handlers" in approvals.inner_text()
            and "40%" in approvals.inner_text()
        )
        assert axe_violations(page) == []
        page.screenshot(path="/tmp/work_approvals_actions.png", full_page=True)
        page.locator(f"#approve-{e191.pk}").check()
        page.locator(f"#approve-action-{a1.pk}").check()
        page.get_by_role("button", name="Approve selected").click()
        page.wait_for_load_state()
        status = " ".join(page.get_by_role("status").all_inner_texts())
        assert "Approved 1 entry" in status and "Approved 1 action update" in status

    assert public_a1().percent is None  # approved, still not published

    with browser_page() as page:
        sign_in(page, live_server.url, "bi.admin")
        page.goto(f"{live_server.url}/rounds/{opened.pk}/")
        assert (
            "Recruit more call handlers"
            in page.locator("#action-updates").locator("xpath=..").inner_text()
        )
        assert axe_violations(page) == []
        page.goto(f"{live_server.url}/rounds/{opened.pk}/publish")
        assert axe_violations(page) == []
        page.get_by_label("Why are you publishing with").fill("The other services report late")
        page.get_by_role("button", name=f"Publish round {ROUND_PERIOD}").click()
        page.wait_for_load_state()
        assert "is published" in page.get_by_role("status").inner_text()
        page.goto(public_page)
        assert NOTE in page.content() and "40%" in page.content()
        assert axe_violations(page) == []

    shown = public_a1()
    assert (shown.percent, shown.note) == (Decimal(40), NOTE)
    a1 = update_of(opened, "A1")
    assert a1.state == "published" and a1.action.percent_complete == Decimal(40)


def _period():
    from perfreport.registry.periods import read_period

    return read_period(ROUND_PERIOD)
