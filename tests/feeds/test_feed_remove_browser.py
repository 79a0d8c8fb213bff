"""Removing a feed in a real browser: the feed's page links to a page that
asks first and names the schedule that runs the feed; removing it deletes
that schedule too. The page meets WCAG 2.2 A/AA by axe-core at 1280 and 390 px."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from feed_helpers import make_feed
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from browser import axe_violations, browser_page, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_removing_a_feed_asks_first_and_takes_its_schedule(live_server, people, tmp_path):
    from perfreport.accounts.permissions import Actor
    from perfreport.feeds.models import Feed
    from perfreport.jobs.models import Schedule
    from perfreport.jobs.schedules import schedule_create

    feed = make_feed(tmp_path / "cases.sqlite3", ["182"])
    schedule_create(Actor.of(people["admin"]), job="feed", target=str(feed.pk), cron="0 7 * * *")
    with browser_page() as page:
        sign_in(page, live_server.url, "bi.admin")
        page.goto(f"{live_server.url}/feeds/{feed.pk}/")
        page.get_by_role("link", name="Remove the feed").click()
        expect(page.get_by_role("heading", name="Remove the feed Case system?")).to_be_visible()
        expect(
            page.get_by_role("listitem").filter(has_text="Run a feed: Daily at 07:00")
        ).to_be_visible()
        assert axe_violations(page) == []
        page.set_viewport_size({"width": 390, "height": 900})
        assert axe_violations(page) == []
        page.get_by_role("button", name="Remove the feed").click()
        expect(page.get_by_role("heading", name="Feeds", level=1)).to_be_visible()
        expect(
            page.get_by_text("Its 1 schedule on the Schedules page is deleted too.")
        ).to_be_visible()

    assert not Feed.objects.filter(pk=feed.pk).exists()
    assert not Schedule.objects.exists()
