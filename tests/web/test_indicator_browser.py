"""The indicator pages in a real browser: reached from the scorecard as a
person would, WCAG 2.2 A/AA by axe-core at desktop and phone widths, the
chart's points telling their values on hover, and the 404 page."""

from __future__ import annotations

import pytest
from browser import axe_violations, browser_page, sign_in
from django.core.cache import cache
from test_indicator_page import benchmarked_folder

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = "/tmp/indicator-{name}-{width}.png"
TITLE = "Pupils reaching the standard"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def benchmarked(transactional_db, tmp_path):
    from perfreport.imports.service import import_path

    import_path(benchmarked_folder(tmp_path / "data"))


def test_a_person_opens_an_indicator_from_the_scorecard(live_server, staff_user, benchmarked):
    """GIVEN a member of staff signed in through the form
    WHEN they follow an indicator's link on the scorecard
    THEN its page shows the latest value, the trend and every value."""
    with browser_page() as page:
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/scorecard/")
        page.get_by_role("link", name=TITLE).first.click()
        page.wait_for_load_state()

        assert page.url.startswith(f"{live_server.url}/indicators/P1/")
        assert "Indicator P1:" in page.locator("h1").inner_text()
        assert page.locator("table.history tbody tr").count() == 18
        assert page.get_by_role("img", name="Line chart of Pupils reaching the standard").count() == 1  # fmt: skip
        assert page.get_by_role("link", name="Scorecard").count() >= 1


def test_hovering_a_point_of_the_chart_shows_its_period_and_exact_value(
    live_server, staff_user, benchmarked
):
    with browser_page() as page:
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/indicators/P1/")

        titles = page.evaluate(
            """() => [...document.querySelectorAll('figure.chart')][0]
                .querySelectorAll('[aria-roledescription="point"] title')"""
            + ".length"
        )
        texts = page.evaluate(
            "() => [...document.querySelectorAll('figure.chart title')].map(t => t.textContent)"
        )
        assert titles >= 12
        assert "Q2 2020/21: 61.1%" in texts


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", ["staff", "public"])
def test_the_indicator_pages_meet_wcag_2_2_aa(live_server, staff_user, benchmarked, name, width):
    with browser_page(width) as page:
        if name == "staff":
            sign_in(page, live_server.url)
            page.goto(f"{live_server.url}/indicators/P1/")
        else:
            page.goto(f"{live_server.url}/public/indicators/P1/")
        page.screenshot(path=SCREENSHOTS.format(name=name, width=width), full_page=True)

        assert page.locator("h1").inner_text().endswith(TITLE)
        assert axe_violations(page) == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_example_s_indicator_with_findings_meets_wcag_2_2_aa(
    live_server, staff_user, imported_example, width
):
    with browser_page(width) as page:
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/indicators/188/")
        page.screenshot(path=SCREENSHOTS.format(name="188", width=width), full_page=True)

        assert page.get_by_text("Figures to check").is_visible()
        assert axe_violations(page) == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_404_page_helps_and_meets_wcag_2_2_aa(live_server, imported_example, width):
    with browser_page(width) as page:
        response = page.goto(f"{live_server.url}/public/indicators/18/")
        page.screenshot(path=SCREENSHOTS.format(name="404", width=width), full_page=True)

        assert response is not None and response.status == 404
        assert "There is no indicator with the reference “18”." in page.inner_text("main")
        page.get_by_role("link", name="Indicator 180").click()
        page.wait_for_load_state()
        assert page.url.endswith("/public/indicators/180/")
        page.go_back()
        assert axe_violations(page) == []
