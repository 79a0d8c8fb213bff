"""The indicator page's charts on a phone: every text drawn at least 12 pixels
high at 390 pixels wide, measured in Chromium (the chart is laid out for a
narrow screen rather than shrunk), and the wide chart unchanged on a desktop."""

from __future__ import annotations

import pytest
from browser import axe_violations, browser_page

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Every visible chart text's drawn font size: its font size in the SVG's units
# times the scale the page draws the SVG at (its screen transform).
MEASURE = """() => [...document.querySelectorAll('figure.chart svg text')]
    .filter(t => t.getClientRects().length && t.textContent.trim())
    .map(t => [t.textContent.trim(),
               parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a])"""


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.mark.parametrize("ref", ["180", "191"])
def test_chart_text_is_at_least_12_pixels_on_a_390_pixel_phone(
    live_server, imported_example, ref: str
) -> None:
    with browser_page(390) as page:
        page.goto(f"{live_server.url}/public/indicators/{ref}/")
        sizes = page.evaluate(MEASURE)

        assert len(sizes) > 5, "the chart's axis labels are measured"
        small = [(text, round(size, 1)) for text, size in sizes if size < 12]
        assert small == []
        wide = page.locator(".chart__wide svg").first
        assert not wide.is_visible()  # only the phone's drawing is shown
        fits = "f => f.scrollWidth <= f.clientWidth && f.getBoundingClientRect().right <= 390"
        assert page.locator("figure.chart").first.evaluate(fits)  # not cut off, no scrolling
        assert axe_violations(page) == []


def test_the_desktop_shows_the_wide_chart_only(live_server, imported_example) -> None:
    with browser_page(1280) as page:
        page.goto(f"{live_server.url}/public/indicators/180/")

        assert page.locator(".chart__wide svg").first.is_visible()
        assert not page.locator(".chart__phone svg").first.is_visible()
        assert page.locator("figure.chart").first.evaluate("f => f.scrollWidth <= f.clientWidth")
