"""The Distribution pages (BI administrators only) and the unsubscribe page
(anyone with an email's link): each write audited, each error naming its
field with what was typed kept, "Send now" queued, and unsubscribing only
by POST (a mail client fetching the link ends nothing)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from distribution_helpers import DIRECTORATE

from perfreport.accounts.permissions import Actor
from perfreport.audit.models import AuditEvent
from perfreport.distribution.emails import unsubscribe_token
from perfreport.distribution.models import OptOut, Sending, Subscription
from perfreport.distribution.services import SubscriptionInput, subscription_create
from perfreport.jobs.models import Run, Schedule
from perfreport.jobs.schedules import fire_due
from perfreport.registry.models import Directorate

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Any, people: Any) -> Any:
    client.force_login(people.admin)
    return client


def subscribe(people: Any, **fields: Any) -> Subscription:
    values = {"report": "full", "delivery": "pdf", "on_publish": True, **fields}
    return subscription_create(Actor.of(people.admin), SubscriptionInput(**values))


def test_only_bi_administrators_see_the_pages(client, people):
    assert client.get("/distribution/").status_code == 302  # to sign in
    client.force_login(people.viewer)
    assert client.get("/distribution/").status_code == 403
    assert client.post("/distribution/new", {"recipient_kind": "address"}).status_code == 403
    assert Subscription.objects.count() == 0


def test_the_staff_navigation_links_the_page_for_administrators_only(client, people):
    client.force_login(people.admin)
    assert 'href="/distribution/"' in client.get("/scorecard/").content.decode()
    client.force_login(people.viewer)
    assert 'href="/distribution/"' not in client.get("/scorecard/").content.decode()


def test_a_subscription_with_nothing_chosen_names_each_field(admin_client):
    response = admin_client.post("/distribution/new", {})
    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_recipient_kind_0">Choose who gets the report' in page
    assert '<a href="#id_report_0">Choose which report to send</a>' in page
    assert '<a href="#id_delivery_0">Choose how to send it: PDF, Word or a link</a>' in page
    assert Subscription.objects.count() == 0


def test_a_name_too_long_is_refused_in_the_projects_words(admin_client):
    form = {
        "recipient_kind": "address",
        "name": "N" * 2000,
        "email": "clerk@example.org",
        "report": "full",
        "delivery": "link",
    }
    response = admin_client.post("/distribution/new", form)
    page = response.content.decode()
    assert response.status_code == 400
    assert "The name must be 200 characters or fewer (this has 2,000)" in page
    assert "Ensure this value" not in page
    assert Subscription.objects.count() == 0


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_subscription_that_is_not_there_gets_the_sites_not_found_page(admin_client, method):
    for url in (
        "/distribution/999999/",
        "/distribution/999999/send",
        "/distribution/999999/delete",
    ):
        if method == "get" and not url.endswith("/"):
            continue
        response = getattr(admin_client, method)(url)
        page = response.content.decode()
        assert response.status_code == 404, url
        assert "There is no subscription number 999999" in page, url
        assert "matches the given query" not in page, url


def test_an_outside_address_without_an_email_is_refused_keeping_what_was_typed(admin_client):
    form = {
        "recipient_kind": "address",
        "name": "Clerk to the Scrutiny Committee",
        "email": "not an address",
        "report": "directorate",
        "delivery": "link",
    }
    response = admin_client.post("/distribution/new", form)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter an email address in the correct format, like clerk@example.org" in page
    assert "Choose the directorate whose report is sent" in page
    assert 'value="Clerk to the Scrutiny Committee"' in page
    assert 'value="not an address"' in page
    assert 'value="link" checked' in page and 'value="directorate" checked' in page
    assert Subscription.objects.count() == 0


def test_adding_changing_and_deleting_a_subscription_is_audited(admin_client, people):
    corporate = Directorate.objects.get(name=DIRECTORATE)
    form = {
        "recipient_kind": "role",
        "role": "approver",
        "role_directorate": str(corporate.pk),
        "report": "exceptions",
        "delivery": "docx",
        "on_publish": "on",
        "email": "ignored@example.org",  # an address is for outside addresses only
    }
    response = admin_client.post("/distribution/new", form)
    assert response.status_code == 303 and response["Location"] == "/distribution/"
    subscription = Subscription.objects.get()
    assert (subscription.role, subscription.role_directorate, subscription.email) == (
        "approver",
        corporate,
        "",
    )
    listed = admin_client.get("/distribution/").content.decode()
    assert "Everyone with the role Approver in Corporate Services" in listed
    assert "Exception pack" in listed and "Word document attached" in listed

    form.update(delivery="link", on_publish="")
    response = admin_client.post(f"/distribution/{subscription.pk}/", form)
    assert response.status_code == 303
    subscription.refresh_from_db()
    assert (subscription.delivery, subscription.on_publish) == ("link", False)

    Sending.objects.create(
        subscription=subscription, occasion="period 2020/21 Q3", email="a@example.org",
        what="Exception pack", state="sent", claimed_at=subscription.created_at,
    )  # fmt: skip
    response = admin_client.post(f"/distribution/{subscription.pk}/delete")
    assert response.status_code == 303
    assert not Subscription.objects.exists()
    assert Sending.objects.get().subscription is None  # the history stays
    events = AuditEvent.objects.filter(object_type="subscription").order_by("pk")
    assert [(e.action, e.actor) for e in events] == [
        ("create", "bi.admin"),
        ("update", "bi.admin"),
        ("delete", "bi.admin"),
    ]
    assert events[1].after == {"delivery": "link", "on_publish": False}


def test_send_now_queues_a_run_for_that_subscription(admin_client, people):
    subscription = subscribe(people, recipient_kind="person", user=people.viewer)
    response = admin_client.post(f"/distribution/{subscription.pk}/send")
    assert response.status_code == 303
    run = Run.objects.get(job="distribution")
    assert run.params == {"target": str(subscription.pk), "again": True}
    assert (run.trigger, run.requested_by) == ("on demand", people.admin)
    assert admin_client.get(f"/distribution/{subscription.pk}/send").status_code == 405


def test_the_history_lists_each_sending_with_its_outcome(admin_client, people):
    subscription = subscribe(people, recipient_kind="person", user=people.viewer)
    Sending.objects.create(
        subscription=subscription, occasion="period 2020/21 Q3", email="councillor@example.org",
        recipient="Val Viewer", what="Full report for Quarter 3 2020/21", state="failed",
        error="SMTPRecipientsRefused: no such mailbox", claimed_at=subscription.created_at,
    )  # fmt: skip
    page = admin_client.get("/distribution/sendings/").content.decode()
    assert "Full report for Quarter 3 2020/21" in page
    assert "Failed" in page and "SMTPRecipientsRefused: no such mailbox" in page


# -- unsubscribing --------------------------------------------------------


def test_the_unsubscribe_link_asks_and_only_a_post_ends_the_subscription(client, people):
    subscription = subscribe(people, recipient_kind="address", email="clerk@example.org")
    url = f"/unsubscribe/{unsubscribe_token(subscription.pk, 'clerk@example.org')}/"

    asked = client.get(url)
    assert asked.status_code == 200
    assert "Stop sending the full report to clerk@example.org?" in asked.content.decode()
    subscription.refresh_from_db()
    assert subscription.ended_at is None  # a fetch of the link ends nothing

    done = client.post(url)
    assert done.status_code == 200 and "You are unsubscribed" in done.content.decode()
    subscription.refresh_from_db()
    assert subscription.ended_at is not None and subscription.ended_by == "clerk@example.org"
    [event] = AuditEvent.objects.filter(object_type="subscription", action="unsubscribe")
    assert event.actor == "the public" and "clerk@example.org" in event.reason
    assert client.post(url).status_code == 200  # again: still unsubscribed, nothing new
    assert AuditEvent.objects.filter(action="unsubscribe").count() == 1


def test_a_mail_clients_one_click_post_unsubscribes_without_a_cookie(people):
    from django.test import Client

    subscription = subscribe(people, recipient_kind="person", user=people.viewer)
    url = f"/unsubscribe/{unsubscribe_token(subscription.pk, 'councillor@example.org')}/"
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.ended_at is not None


def test_a_role_holder_leaves_the_roles_subscription_and_the_others_keep_it(
    client, people, published_round, smtp
):
    from distribution_helpers import received

    from perfreport.accounts.permissions import grant
    from perfreport.jobs.runs import run_now

    grant(people.viewer, "approver", directorate=Directorate.objects.get(name=DIRECTORATE))
    subscription = subscribe(people, recipient_kind="role", role="approver", delivery="link")
    client.post(f"/unsubscribe/{unsubscribe_token(subscription.pk, 'cs.director@example.org')}/")

    assert OptOut.objects.filter(subscription=subscription).count() == 1
    subscription.refresh_from_db()
    assert subscription.ended_at is None
    run_now("distribution", {"target": "all"}, trigger="schedule")
    assert sorted(received(smtp)) == ["councillor@example.org"]


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("not-a-token", id="not_a_token"),
        pytest.param("eyJzIjoxfQ:1xa9f7:forged", id="forged_signature"),
        pytest.param(None, id="signed_but_no_such_subscription"),
    ],
)
def test_a_link_that_is_not_ours_says_so(client, people, token):
    token = token or unsubscribe_token(999, "a@b.org")
    response = client.get(f"/unsubscribe/{token}/")
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert client.post(f"/unsubscribe/{token}/").status_code == 404


def test_a_tampered_address_is_refused(client, people):
    subscription = subscribe(people, recipient_kind="address", email="clerk@example.org")
    token = unsubscribe_token(subscription.pk, "clerk@example.org")
    signature = token.partition(":")[2]
    other = unsubscribe_token(subscription.pk, "someone.else@example.org").partition(":")[0]
    assert client.post(f"/unsubscribe/{other}:{signature}/").status_code == 404
    subscription.refresh_from_db()
    assert subscription.ended_at is None


# -- a person's own subscriptions ----------------------------------------------


def test_a_person_sees_the_reports_emailed_to_them_and_stops_one(client, people):
    """GIVEN the councillor subscribed to the full report, everyone with the
    viewer role to the exception pack, and an outside address to the plan
    WHEN the councillor opens their subscriptions and stops the full report
    THEN they see the two that reach them (not the outside address's); the
    full report's subscription ends, audited as theirs."""
    own = subscribe(people, recipient_kind="person", user=people.viewer)
    subscribe(people, recipient_kind="role", role="viewer", report="exceptions")
    other = subscribe(people, recipient_kind="address", email="clerk@example.org", report="plan")
    client.force_login(people.viewer)
    assert 'href="/distribution/mine/">Reports emailed to you</a>' in (
        client.get("/work/").content.decode()
    )

    page = client.get("/distribution/mine/").content.decode()
    assert "Full report" in page and "Exception pack" in page
    assert "Everyone with the role Viewer" in page and "Plan section" not in page

    response = client.post(f"/distribution/mine/{own.pk}/stop")
    assert response.status_code == 303
    own.refresh_from_db()
    assert own.ended_by == "councillor@example.org"
    [event] = AuditEvent.objects.filter(action="unsubscribe")
    assert event.actor == "councillor" and event.reason == "their subscriptions page"
    followed = client.get("/distribution/mine/").content.decode()
    assert "The full report is no longer emailed to you." in followed

    client.post(f"/distribution/mine/{other.pk}/stop")  # not theirs
    other.refresh_from_db()
    assert other.ended_at is None
    assert "That report is not emailed to you" in client.get("/distribution/mine/").content.decode()


def test_a_role_without_a_scope_cannot_be_narrowed_to_a_directorate(admin_client):
    form = {
        "recipient_kind": "role",
        "role": "viewer",
        "role_directorate": str(Directorate.objects.get(name=DIRECTORATE).pk),
        "report": "full",
        "delivery": "pdf",
    }
    response = admin_client.post("/distribution/new", form)
    assert response.status_code == 400
    assert '<a href="#id_role_directorate">BI administrators and viewers have no directorate' in (
        response.content.decode()
    )
    assert Subscription.objects.count() == 0


def test_the_list_shows_what_was_last_sent_and_who_left_a_role(admin_client, people):
    subscription = subscribe(people, recipient_kind="role", role="approver")
    for day, state in ((1, "sent"), (2, "failed")):
        Sending.objects.create(
            subscription=subscription, occasion=f"run {day}", email="a@example.org",
            what="Full report", period="2020/21 Q3", state=state,
            claimed_at=subscription.created_at.replace(day=day),
        )  # fmt: skip
    OptOut.objects.create(subscription=subscription, email="cs.director@example.org")
    page = admin_client.get("/distribution/").content.decode()
    assert ": Failed (2020/21 Q3)" in page
    assert "1 unsubscribed" in page


def test_a_schedule_sending_one_subscription_says_so_and_pauses_once_it_is_deleted(
    admin_client, people
):
    subscription = subscribe(people, recipient_kind="address", email="clerk@example.org")
    asked = admin_client.post(
        "/schedules/add", {"job": "distribution", "target": "", "kind": "daily", "time": "07:00"}
    )
    assert "Choose which subscription this schedule is for" in asked.content.decode()
    assert "Which subscription</label>" in asked.content.decode()
    added = admin_client.post(
        "/schedules/add",
        {"job": "distribution", "target": str(subscription.pk), "kind": "daily", "time": "07:00"},
    )
    assert added.status_code == 303
    schedule = Schedule.objects.get()

    admin_client.post(f"/distribution/{subscription.pk}/delete")
    listed = admin_client.get("/schedules/").content.decode()
    assert "Its subscription was removed" in listed

    with time_machine.travel(schedule.next_run_at + timedelta(minutes=1), tick=False):
        assert fire_due() == []
    schedule.refresh_from_db()
    assert not schedule.enabled
    assert schedule.paused_reason.startswith("Its subscription was removed: paused by perfreport")
    assert schedule.paused_reason in admin_client.get("/schedules/").content.decode()
    assert not Run.objects.exists()
