"""The scorecard pages in a real browser: filtering as a person does, WCAG 2.2
A/AA by axe-core at desktop and phone widths, and the keyboard."""

from __future__ import annotations

import pytest
from browser import axe_violations, browser_page, sign_in
from django.core.cache import cache

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = "/tmp/scorecard-{name}-{width}.png"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def test_a_person_filters_the_scorecard_by_rating(live_server, staff_user, imported_example):
    """GIVEN a member of staff signed in through the form
    WHEN they choose Red and apply the filters
    THEN only the Red indicators show, and the address carries the filter."""
    with browser_page() as page:
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/scorecard/")

        page.get_by_label("RAG rating").select_option("red")
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_load_state()

        assert "rag=red" in page.url
        assert "period=2020%2F21+Q2" in page.url
        assert page.locator("table.scorecard-table tbody tr").count() == 3
        assert page.get_by_label("RAG rating").input_value() == "red"


def test_a_count_links_to_its_rating(live_server, imported_example):
    with browser_page() as page:
        page.goto(f"{live_server.url}/public/")

        page.locator(".scorecard-counts a", has_text="Blue").click()
        page.wait_for_load_state()

        assert "rag=blue" in page.url
        assert page.locator("table.scorecard-table tbody tr").count() == 3


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", ["scorecard", "public"])
def test_the_scorecards_meet_wcag_2_2_aa(live_server, staff_user, imported_example, name, width):
    with browser_page(width) as page:
        if name == "scorecard":
            sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/{name}/")
        page.screenshot(path=SCREENSHOTS.format(name=name, width=width), full_page=True)

        assert page.locator("h1").inner_text() in ("Scorecard", "Published performance")
        assert axe_violations(page) == []


def test_the_scorecard_with_filters_and_a_notice_meets_wcag_2_2_aa(live_server, imported_example):
    with browser_page(390) as page:
        page.goto(f"{live_server.url}/public/?rag=purple&attention=yes&sort=change")
        page.screenshot(path=SCREENSHOTS.format(name="public-filtered", width=390), full_page=True)

        assert "rag “purple”" in page.locator(".notification").inner_text()
        assert axe_violations(page) == []


def test_the_keyboard_reaches_the_skip_link_first_and_every_control_has_a_visible_label(
    live_server, imported_example
):
    with browser_page() as page:
        page.goto(f"{live_server.url}/public/")

        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent")
        assert focused.strip() == "Skip to main content"
        assert page.get_by_text("Skip to main content").is_visible()

        unlabelled = page.evaluate(
            """() => [...document.querySelectorAll('form.filters input:not([type=hidden]), form.filters select')]
                .filter(c => {
                    const label = document.querySelector(`label[for="${c.id}"]`);
                    if (!label) return true;
                    const box = label.getBoundingClientRect();
                    return box.width < 2 || box.height < 2 || !label.innerText.trim();
                })
                .map(c => c.name)"""
        )
        assert unlabelled == []

        page.get_by_label("RAG rating").focus()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.name") == "change"
