"""In Chromium, at 1280 and 390 px, with axe-core's WCAG 2.2 AA checks on
every page: a BI administrator opens Distribution from the navigation, is
told what is missing (keeping what was typed), adds a committee clerk's
subscription, sends it now and reads the history; the clerk's unsubscribe
link shows a page, a fetch of it (as a mail client's scanner makes) ends
nothing, and the page's button ends the subscription."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from distribution_helpers import publish_round_with_a_draft

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from browser import axe_violations, browser_page, sign_in

from perfreport.accounts.permissions import Actor
from perfreport.distribution.emails import unsubscribe_url
from perfreport.distribution.models import Sending, Subscription
from perfreport.distribution.services import (
    SubscriptionInput,
    subscription_create,
)
from perfreport.jobs.models import Run
from perfreport.jobs.runs import execute

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def clean(page: Any) -> None:
    assert axe_violations(page) == [], page.url


def fits(page: Any) -> None:
    """Nothing runs off a phone's screen: the page scrolls only down (a wide
    table scrolls inside its own region)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow} px wider than the window"


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_an_administrator_adds_a_subscription_sends_it_and_reads_the_history(
    live_server, settings, smtp, people, width
):
    settings.PERFREPORT_SITE_URL = live_server.url
    publish_round_with_a_draft(people)
    with browser_page(width) as page:
        sign_in(page, live_server.url, "bi.admin")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Distribution").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == "Distribution"
        clean(page)

        page.get_by_role("link", name="Add a subscription").click()
        page.wait_for_load_state()
        clean(page)
        page.get_by_role("radio", name="An outside address").check()
        page.get_by_label("Name (if sent to an outside address)").fill("Committee clerk")
        page.get_by_role("button", name="Add the subscription").click()
        page.wait_for_load_state()
        summary = page.get_by_role("alert").inner_text()
        assert "Enter the email address the report goes to" in summary
        assert page.get_by_label("Name (if sent to an outside address)").input_value() == (
            "Committee clerk"
        )
        clean(page)

        page.get_by_role("link", name="Enter the email address the report goes to").click()
        assert page.evaluate("document.activeElement.id") == "id_email"
        page.get_by_label("Email address (if sent to an outside address)").fill(
            "clerk@committee.example.org"
        )
        page.get_by_role("radio", name="Exception pack").check()
        page.get_by_role("radio", name="A link to the published report").check()
        page.get_by_role("button", name="Add the subscription").click()
        page.wait_for_load_state()
        assert "Added: Exception pack to Committee clerk" in page.get_by_role("status").inner_text()
        clean(page)
        fits(page)

        page.get_by_role("link", name="Committee clerk").click()  # to change it
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == "Change a subscription"
        assert page.get_by_role("radio", name="Exception pack").is_checked()
        clean(page)
        page.get_by_role("link", name="Distribution", exact=True).last.click()
        page.wait_for_load_state()

        page.get_by_role("button", name="Send now").click()
        page.wait_for_load_state()
        assert "Sending the exception pack" in page.get_by_role("status").inner_text()
        clean(page)
    # Outside the browser's block, which runs an event loop: the database.
    [run] = Run.objects.filter(job="distribution")
    execute(run.pk)  # as the worker does

    with browser_page(width) as page:
        sign_in(page, live_server.url, "bi.admin")
        page.goto(f"{live_server.url}/distribution/")
        page.get_by_role("link", name="History of sendings").click()
        page.wait_for_load_state()
        row = page.get_by_role("row", name="clerk@committee.example.org")
        assert "Sent" in row.inner_text() and "Sent as a link" in row.inner_text()
        clean(page)
        fits(page)

    [_] = [e for e in smtp.messages if "clerk@committee.example.org" in e.rcpt_tos]
    assert Sending.objects.get().state == "sent"


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_unsubscribe_link_asks_first_and_a_prefetch_ends_nothing(
    live_server, settings, people, width
):
    settings.PERFREPORT_SITE_URL = live_server.url
    subscription = subscription_create(
        Actor.of(people.admin),
        SubscriptionInput(
            recipient_kind="address", email="clerk@committee.example.org", report="full",
            delivery="pdf", on_publish=True,
        ),
    )  # fmt: skip
    link = unsubscribe_url(subscription.pk, "clerk@committee.example.org")
    with browser_page(width) as page:
        fetched = page.request.get(link)  # a mail client's or scanner's fetch
        assert fetched.status == 200
        page.goto(link)
        assert page.get_by_role("heading", level=1).inner_text() == (
            "Unsubscribe from the full report"
        )
        clean(page)
    subscription.refresh_from_db()
    assert subscription.ended_at is None

    with browser_page(width) as page:
        page.goto(link)
        page.get_by_role("button", name="Unsubscribe").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == "You are unsubscribed"
        clean(page)
    subscription = Subscription.objects.get(pk=subscription.pk)
    assert subscription.ended_by == "clerk@committee.example.org"


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_person_stops_a_report_on_their_own_subscriptions_page(live_server, people, width):
    subscription_create(
        Actor.of(people.admin),
        SubscriptionInput(
            recipient_kind="role", role="viewer", report="exceptions", delivery="link",
            on_publish=True,
        ),
    )  # fmt: skip
    with browser_page(width) as page:
        sign_in(page, live_server.url, "councillor")
        page.goto(f"{live_server.url}/distribution/mine/")
        assert page.get_by_role("heading", level=1).inner_text() == "Reports emailed to you"
        clean(page)
        page.get_by_role("button", name="Stop sending it").click()
        page.wait_for_load_state()
        assert "no longer emailed to you" in page.get_by_role("status").inner_text()
        assert "No report is emailed to you." in page.content()
        clean(page)
