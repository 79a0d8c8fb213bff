"""Every public page in Welsh, in Chromium, on a phone and on a desktop.

GIVEN the example imported
WHEN a member of the public opens each public page at /cy/... (the home page,
the published scorecard, an indicator, the plan, an action, open data, the
published reports, and a page that is not there) 390 and 1280 pixels wide
THEN each says it is Welsh (<html lang="cy">), meets WCAG 2.2 AA as axe-core
checks it, shows no English interface (tests/web/welsh_pages.py: content
still in English is said to be English with lang="en-GB", and is not counted),
and carries the language switch, which leads to the same page in English and
back; and, having read a Welsh page, a reader who opens the site's address
from elsewhere lands on the Welsh home page.

Screenshots of each page are saved in /tmp/perfreport-welsh-screens/ to be
looked at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import axe_violations, browser_page
from welsh_pages import data_strings, english_in, forget_data, visible_text

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SCREENS = Path("/tmp/perfreport-welsh-screens")
# (name, the Welsh address, where it lands)
PAGES = [
    ("home", "/cy/", "/cy/public/"),
    ("scorecard", "/cy/public/", "/cy/public/"),
    ("indicator", "/cy/public/indicators/180/", "/cy/public/indicators/180/"),
    ("plan", "/cy/public/plan/", "/cy/public/plan/"),
    ("action", "/cy/public/plan/actions/A1/", "/cy/public/plan/actions/A1/"),
    ("open-data", "/cy/open-data/", "/cy/open-data/"),
    ("reports", "/cy/public/reports/", "/cy/public/reports/"),
    ("not-found", "/cy/public/indicators/NOPE/", "/cy/public/indicators/NOPE/"),
]


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()
    forget_data()


# The open data page's column meanings quote the files' values, which are
# data and English on every page ("On track (ar y trywydd iawn)"): plain text
# in a table cell, so their language cannot be marked apart. A known gap,
# listed in docs/welsh.md; nothing else on that page is let through.
DATA_VALUES = {
    "open-data": {
        "academic year", "sub-outcome", "not started", "on track", "at risk",
        "september", "quarter", "outcome", "priority", "complete", "overdue",
    },
}  # fmt: skip


def _word(found: str) -> str:
    """The English the detector found: '"on track"' or 'september (in “…”)'."""
    return found.split(" (in ")[0].strip('"').lower()


def _check(page, base: str, name: str, lands: str, width: int, data) -> list[str]:
    """What is wrong with the Welsh page open in ``page``."""
    problems = []
    if page.url != base + lands:
        problems.append(f"landed on {page.url}, not {lands}")
    if page.locator("html").get_attribute("lang") != "cy":
        problems.append(f"<html lang={page.locator('html').get_attribute('lang')!r}>")
    english = [
        found
        for found in english_in(visible_text(page.content()), data=data)
        if _word(found) not in DATA_VALUES.get(name, ())
    ]
    if english:
        problems.append(f"English: {'; '.join(english[:15])}")
    problems += [f"axe: {v}" for v in axe_violations(page)]
    switch = page.locator("a[hreflang='en-gb']")
    if switch.count() != 1 or not switch.is_visible():
        problems.append("no visible switch to English")
    SCREENS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENS / f"{name}-{width}.png", full_page=True)
    return [f"{name} at {width}px: {p}" for p in problems]


@pytest.mark.parametrize("width", [390, 1280])
def test_every_public_page_in_welsh_is_welsh_accessible_and_switchable(
    live_server, imported_example, width: int
) -> None:
    data = data_strings()
    problems: list[str] = []
    with browser_page(width) as page:
        for name, url, lands in PAGES:
            page.goto(f"{live_server.url}{url}")
            problems += _check(page, live_server.url, name, lands, width, data)

    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_switch_leads_to_the_same_page_in_english_and_back(
    live_server, imported_example, width: int
) -> None:
    welsh = "/cy/public/indicators/180/?period=2020%2F21+Q2"
    english = "/public/indicators/180/?period=2020%2F21+Q2"
    with browser_page(width) as page:
        page.goto(f"{live_server.url}{welsh}")

        page.locator("a[hreflang='en-gb']").click()
        page.wait_for_load_state()
        assert page.url == live_server.url + english
        assert page.locator("html").get_attribute("lang") == "en-GB"
        assert (
            page.locator("a[hreflang='cy']").get_attribute("lang") == "cy"
        )  # "Cymraeg", read as Welsh

        page.locator("a[hreflang='cy']").click()
        page.wait_for_load_state()
        assert page.url == live_server.url + welsh
        assert page.locator("html").get_attribute("lang") == "cy"


def test_a_welsh_reader_coming_back_lands_on_the_welsh_home(live_server, imported_example) -> None:
    with browser_page(1280) as page:
        page.goto(f"{live_server.url}/cy/public/plan/")

        page.goto(f"{live_server.url}/")  # typed in, or a bookmark: no referrer

        assert page.url == f"{live_server.url}/cy/public/"
        assert page.locator("html").get_attribute("lang") == "cy"


def test_an_english_reader_coming_back_lands_on_the_english_home(
    live_server, imported_example
) -> None:
    with browser_page(1280) as page:
        page.goto(f"{live_server.url}/cy/public/plan/")
        page.goto(f"{live_server.url}/public/plan/")  # read in English last

        page.goto(f"{live_server.url}/")

        assert page.url == f"{live_server.url}/public/"
