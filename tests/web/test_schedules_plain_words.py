"""The Schedules and Runs pages in plain words: a job's target named as what
it is ("Which feed"); a schedule whose feed was removed pauses itself when
it is next due (saying why, in the audit trail as perfreport's) rather than
fail at every one of its times; custom timings put in words, the same in
the list, the confirmation and the delete page; the project's own wording
for a value too long and for a schedule or run that is not there."""

from __future__ import annotations

import io
import signal
from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from perfreport.accounts.permissions import COMMAND_LINE, Actor, grant
from perfreport.audit.models import AuditEvent
from perfreport.jobs import registry, schedules
from perfreport.jobs.models import Run, Schedule
from perfreport.jobs.registry import Job

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 6, 1, 11, 0, tzinfo=UTC)  # Monday 12:00 in London
FEEDS = {"1": "Finance ledger", "2": "Housing repairs"}  # a test removes one


@pytest.fixture(autouse=True)
def jobs():
    feeds = dict(FEEDS)
    made = [
        Job(
            "test-feed",
            "Test: load a feed",
            lambda context: "loaded",
            targets=lambda: list(feeds.items()),
            target_label="feed",
        ),
        Job("test-plain", "Test: no target", lambda context: "done"),
    ]
    for job in made:
        registry.register(job)
    yield feeds
    for job in made:
        registry.unregister(job.name)


@pytest.fixture
def admin_client(client):
    user = User.objects.create_user("bi-lead", "bi@example.org")
    grant(user, "admin")
    client.force_login(user)
    client.user = user
    return client


def test_the_form_asks_which_feed_and_says_so_when_none_is_chosen(admin_client):
    page = admin_client.get(reverse("web:schedule_add") + "?job=test-feed").content.decode()
    refused = admin_client.post(
        reverse("web:schedule_add"),
        {"job": "test-feed", "target": "", "kind": "daily", "time": "07:00"},
    )

    assert '<label class="label" for="id_target">Which feed</label>' in page
    text = refused.content.decode()
    assert refused.status_code == 400
    assert "Choose which feed this schedule is for" in text
    assert "which one" not in text.lower()


def test_a_job_that_does_not_name_its_target_is_still_registered_as_before():
    job = Job("test-other", "Test: other", lambda context: "", targets=lambda: [])

    assert job.target_label == "target"


# The worker closes its connections between looks, as a process of its own
# does: outside a test's transaction.
@pytest.mark.django_db(transaction=True)
def test_a_schedule_whose_feed_was_removed_pauses_itself_when_due_saying_why(admin_client, jobs):
    with time_machine.travel(NOON, tick=False):
        schedule = schedules.schedule_create(
            Actor.of(admin_client.user), job="test-feed", target="2", cron="30 6 * * *"
        )
    del jobs["2"]  # the feed is deleted

    listed = admin_client.get(reverse("web:schedules")).content.decode()
    assert "Its feed was removed" in listed
    assert "no longer there" not in listed and "— 2" not in listed

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        with time_machine.travel(datetime(2026, 6, 2, 6, 0, tzinfo=UTC), tick=False):
            call_command("run_worker", "--once", "--nice", "0", stdout=io.StringIO())
    finally:
        for sig, handler in handlers.items():  # the worker listens for them
            signal.signal(sig, handler)

    schedule.refresh_from_db()
    assert not schedule.enabled and schedule.next_run_at is None
    assert (
        schedule.paused_reason
        == "Its feed was removed: paused by perfreport on 2 Jun 2026 at 07:00"
    )
    assert not Run.objects.exists()
    event = AuditEvent.objects.get(object_type="schedule", action="pause")
    assert event.actor == COMMAND_LINE and event.user is None
    assert event.reason == schedule.paused_reason

    listed = admin_client.get(reverse("web:schedules")).content.decode()
    assert "Paused" in listed and schedule.paused_reason in listed
    assert "Choose another feed" in listed

    # Neither resumed nor run as it is: the page says to choose another feed.
    for name in ("schedule_resume", "schedule_run"):
        answer = admin_client.post(reverse(f"web:{name}", args=[schedule.pk]), follow=True)
        assert "Its feed was removed: change the schedule to choose another" in (
            answer.content.decode()
        ), name
    schedule.refresh_from_db()
    assert not schedule.enabled and not Run.objects.exists()

    # Another feed chosen, it can be resumed.
    changed = admin_client.post(
        reverse("web:schedule", args=[schedule.pk]),
        {"target": "1", "kind": "daily", "time": "06:30"},
    )
    assert changed.status_code == 303
    admin_client.post(reverse("web:schedule_resume", args=[schedule.pk]))
    schedule.refresh_from_db()
    assert schedule.enabled and schedule.paused_reason == ""


@time_machine.travel(NOON, tick=False)
def test_a_timing_reads_the_same_in_the_confirmation_the_list_and_the_delete_page(admin_client):
    added = admin_client.post(
        reverse("web:schedule_add"),
        {"job": "test-plain", "kind": "weekly", "weekday": "0", "time": "07:30"},
        follow=True,
    ).content.decode()
    assert "Added: Test: no target. When it runs: Weekly on Monday at 07:30." in added
    assert "weekly on monday" not in added

    custom = admin_client.post(
        reverse("web:schedule_add"),
        {"job": "test-plain", "kind": "cron", "cron": "0 8 * * mon-fri"},
        follow=True,
    ).content.decode()
    assert "When it runs: On Monday to Friday at 08:00." in custom
    assert "On Monday to Friday at 08:00" in custom.split("When it runs")[1]  # the list too
    schedule = Schedule.objects.get(cron="0 8 * * mon-fri")

    change = admin_client.get(reverse("web:schedule", args=[schedule.pk])).content.decode()
    delete = admin_client.get(reverse("web:schedule_delete", args=[schedule.pk])).content.decode()
    assert "On Monday to Friday at 08:00" in change
    assert "When it runs: On Monday to Friday at 08:00." in delete
    for text in (added, custom, change, delete):
        assert "the cron expression" not in text and "Custom:" not in text

    monthly = admin_client.post(
        reverse("web:schedule_add"),
        {"job": "test-plain", "kind": "monthly", "day": "31", "time": "06:00"},
        follow=True,
    ).content.decode()
    assert "On the 31st of each month at 06:00 (no run in a month without a 31st)" in monthly
    assert "day 31" not in monthly


def test_a_cron_expression_too_long_is_refused_in_the_projects_words(admin_client):
    response = admin_client.post(
        reverse("web:schedule_add"), {"job": "test-plain", "kind": "cron", "cron": "0" * 2000}
    )

    text = response.content.decode()
    assert response.status_code == 400
    assert "A cron expression must be 100 characters or fewer (this has 2,000)" in text
    assert "Ensure this value" not in text


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/runs/999999/", "There is no run number 999999"),
        ("/runs/999999.json", "There is no run number 999999"),
        ("/schedules/999999/", "There is no schedule number 999999"),
        ("/schedules/999999/delete", "There is no schedule number 999999"),
    ],
)
def test_a_run_or_schedule_that_is_not_there_gets_the_sites_not_found_page(
    admin_client, url, words
):
    response = admin_client.get(url)

    text = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in text and words in text
    assert "matches the given query" not in text
