"""The feeds in a real browser: a BI administrator adds a feed from the staff
navigation, tests its connection, saves it and tries it; the feed runs; the
indicator's owner finds the figure on their entry marked "Automated from"
the feed, writes the commentary and submits it. Every page meets WCAG 2.2
A/AA by axe-core at 1280 and 390 px."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest
from feed_helpers import QUERY, entry, fill_sqlite
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from browser import axe_violations, browser_page, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _accessible(page) -> None:
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 390, "height": 900})
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_administrator_sets_up_a_feed_and_the_owner_submits_its_figure(
    live_server, people, open_round, sqlite_source
):
    from perfreport.feeds.models import Feed
    from perfreport.feeds.runs import feed_run

    fill_sqlite(sqlite_source, [("191", "2020-12", "88"), ("180", "2020/21 Q3", "98")])
    with browser_page() as page:
        sign_in(page, live_server.url, "bi.admin")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Feeds").click()
        expect(page.get_by_role("heading", name="Feeds", level=1)).to_be_visible()
        _accessible(page)
        page.get_by_role("link", name="Add a feed").click()
        page.get_by_label("Name", exact=True).fill("Case system")
        page.get_by_label("Database URL", exact=True).fill(f"sqlite:///{sqlite_source}")
        page.get_by_label("Query", exact=True).fill(QUERY)
        page.get_by_role("button", name="Save the feed").click()
        # Refused: no indicator chosen. The error names the field; what was typed stays.
        expect(page.get_by_role("alert")).to_contain_text(
            "Choose the indicators this feed may fill"
        )
        expect(page.get_by_label("Query", exact=True)).to_have_value(QUERY)
        _accessible(page)
        page.get_by_label("191 ").check()
        page.get_by_role("button", name="Test the connection").click()
        expect(page.get_by_role("status")).to_contain_text(
            "Connected: the query returned 2 rows with the columns ref, period, value."
        )
        _accessible(page)
        page.get_by_role("button", name="Save the feed").click()
        expect(page.get_by_role("heading", name="Feed Case system")).to_be_visible()
        _accessible(page)
        page.get_by_role("button", name="Try it").click()
        expect(page.get_by_role("heading", name="Dry run of Case system")).to_be_visible()
        table = page.get_by_role("table")
        expect(table.get_by_role("row", name="191 2020-12 New")).to_be_visible()
        expect(table.get_by_role("row", name="180 2020/21 Q3 Refused")).to_be_visible()
        _accessible(page)

    assert entry(open_round, "191", "2020-12").value is None  # tried only
    feed_run(Feed.objects.get(name="Case system"))  # as the worker or `perfreport feed` runs it

    december = entry(open_round, "191", "2020-12")
    with browser_page(390) as page:
        sign_in(page, live_server.url, "cs.lead")
        page.goto(f"{live_server.url}/work/entries/{december.pk}/")
        expect(page.locator("main")).to_contain_text("Automated from Case system")
        expect(page.get_by_label("Value for December 2020")).to_have_value("88")
        page.set_viewport_size({"width": 1280, "height": 900})
        _accessible(page)
        page.get_by_label("Commentary").fill("Calls answered held up over the Christmas period.")
        page.get_by_label("Actions").fill("Keep the extra staff on the lines until March.")
        page.get_by_role("button", name="Submit for approval").click()
        page.wait_for_url(f"{live_server.url}/work/")

    december.refresh_from_db()
    assert (december.state, december.value) == ("submitted", Decimal("88"))
    assert december.commentary == "Calls answered held up over the Christmas period."
    assert december.submitted_by == people["lead"]


def test_the_grid_marks_the_feeds_figures(live_server, people, open_round, sqlite_source):
    from feed_helpers import make_feed

    from perfreport.feeds.runs import feed_run

    fill_sqlite(sqlite_source, [("191", "2020-12", "88")])
    feed_run(make_feed(sqlite_source, ["191"]))
    with browser_page() as page:
        sign_in(page, live_server.url, "cs.lead")
        page.goto(f"{live_server.url}/work/figures/")
        row = page.get_by_role("row").filter(has_text="December 2020").filter(has_text="191")
        expect(row).to_contain_text("Automated from Case system")
        _accessible(page)
