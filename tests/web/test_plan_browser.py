"""The plan's pages in a real browser: WCAG 2.2 A/AA by axe-core at desktop
and phone widths for the staff and public plan, an action's page and the
scorecard grouped by plan; nothing wider than a phone's screen; and the
keyboard reaching the skip link first. Screenshots in /tmp/plan-pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import axe_violations, browser_page, sign_in
from django.core.cache import cache
from plan_builders import build_plan

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/plan-pages")

PAGES = {
    "plan": ("/plan/", True, "The plan"),
    "public-plan": ("/public/plan/", False, "The plan: published progress"),
    "action": ("/plan/actions/A1/", True, "Roll out gigabit vouchers"),
    "public-action": ("/public/plan/actions/A2/", False, "Replace the phone system"),
    "scorecard-by-plan": ("/scorecard/?group=plan", True, "Scorecard"),
    "public-by-plan": ("/public/?group=plan", False, "Published performance"),
}


@pytest.fixture
def plan(imported_example):
    cache.clear()
    return build_plan()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", list(PAGES))
def test_the_plan_pages_meet_wcag_2_2_aa(live_server, staff_user, plan, name, width):
    path, staff, heading = PAGES[name]
    with browser_page(width) as page:
        if staff:
            sign_in(page, live_server.url)
        page.goto(f"{live_server.url}{path}")
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)

        assert page.locator("h1").inner_text() == heading
        assert page.locator("main#main").count() == 1
        # nothing runs off a phone's screen: the page scrolls only down
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{overflow} px wider than the window"
        assert axe_violations(page) == []


def test_a_person_groups_the_scorecard_by_plan_and_follows_an_outcome(live_server, plan):
    with browser_page() as page:
        page.goto(f"{live_server.url}/public/")

        page.get_by_label("Group by").select_option("plan")
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_load_state()

        assert "group=plan" in page.url
        assert page.get_by_role("heading", name="Not in the plan").is_visible()
        page.goto(f"{live_server.url}/public/plan/")
        page.get_by_role("link", name="P2: A well-run council").click()
        assert page.url.endswith("#item-P2")


def test_the_keyboard_reaches_the_skip_link_first_on_the_plan(live_server, plan):
    with browser_page(390) as page:
        page.goto(f"{live_server.url}/public/plan/")

        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent").strip() == (
            "Skip to main content"
        )
