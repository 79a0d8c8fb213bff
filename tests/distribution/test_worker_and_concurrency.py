"""The distribution job in the background: a real ``perfreport worker``
process sends what a round's publication queued and what the distribution
schedule fires, each subscriber once; and two runs at once, both sending
through a real SMTP server that holds their emails until both are in flight,
send each email once."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from distribution_helpers import PERIOD_WORDS, SITE, publish_round_with_a_draft, received
from django.utils import timezone
from smtp_helpers import smtp_server

from perfreport.accounts.permissions import Actor
from perfreport.distribution.job import distribute
from perfreport.distribution.models import Sending, Subscription
from perfreport.distribution.services import SubscriptionInput, subscription_create
from perfreport.jobs import schedules
from perfreport.jobs.models import Outcome, Run, Schedule

pytestmark = pytest.mark.slow
WAIT = 20  # seconds a thread waits for the other


def subscribe(people: Any, **fields: Any) -> Subscription:
    values = {"report": "full", "delivery": "link", "on_publish": True, **fields}
    return subscription_create(Actor.of(people.admin), SubscriptionInput(**values))


def test_the_worker_sends_on_publication_and_by_the_schedule_each_subscriber_once(
    worker_database, people, settings
):
    """GIVEN a councillor sent the full report as a PDF on publication and a
    committee clerk sent a link by the schedule only, and a distribution
    schedule that is due
    WHEN the round is published (queueing its run) and `perfreport worker
    --once` runs, against a real SMTP server
    THEN the worker sends the councillor the PDF (the publication's run) and
    the clerk the link (the schedule's run: the latest published period),
    one email each; both runs finish well."""
    server, collector = smtp_server(settings)
    try:
        subscribe(people, recipient_kind="person", user=people.viewer, delivery="pdf")
        subscribe(
            people,
            recipient_kind="address",
            name="Committee clerk",
            email="clerk@committee.example.org",
            on_publish=False,
        )
        publish_round_with_a_draft(people)  # commits: its run is queued
        schedule = schedules.schedule_create(
            Actor.command_line(), job="distribution", cron="0 7 * * 1", target="all"
        )
        Schedule.objects.filter(pk=schedule.pk).update(
            next_run_at=timezone.now() - timedelta(minutes=1)
        )
        result = worker_database.run_once(
            env={
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(settings.EMAIL_PORT),
                "PERFREPORT_SITE_URL": SITE,
                "DEFAULT_FROM_EMAIL": "perfreport@example.org",
            }
        )
    finally:
        server.stop()

    assert result.returncode == 0, result.stdout + result.stderr
    runs = {run.trigger: run for run in Run.objects.filter(job="distribution")}
    assert sorted(runs) == ["event", "schedule"]
    assert all(run.outcome == Outcome.OK for run in runs.values()), result.stdout
    mail = received(collector)
    assert {to: len(messages) for to, messages in mail.items()} == {
        "clerk@committee.example.org": 1,
        "councillor@example.org": 1,
    }
    [pdf] = list(mail["councillor@example.org"][0].iter_attachments())
    assert pdf.get_content_type() == "application/pdf"
    assert PERIOD_WORDS in str(mail["clerk@committee.example.org"][0]["Subject"])
    assert Sending.objects.filter(state="sent").count() == 2


def test_two_runs_at_once_send_each_email_once(worker_database, people, settings):
    """GIVEN three subscribers, none sent the latest period yet
    WHEN two runs of the job start at once, in two threads with their own
    database connections, and the SMTP server holds the first two emails
    until both have arrived (so the runs are sending at the same time)
    THEN each subscriber gets one email; each sending is recorded once, and
    between them the runs skipped what the other had claimed."""
    for name in ("a", "b", "c"):
        subscribe(
            people, recipient_kind="address", name=f"Clerk {name}", email=f"{name}@example.org"
        )
    server, collector = smtp_server(settings, hold=threading.Barrier(2, timeout=WAIT))
    results: list[Any] = [None, None]

    def run(n: int) -> None:
        from django.db import connection

        try:
            results[n] = distribute({"target": "all"}, run_id=None, actor=Actor.command_line())
        except BaseException as error:
            results[n] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT * 3)
    finally:
        server.stop()

    assert not any(thread.is_alive() for thread in threads), "a run never finished"
    assert not any(isinstance(r, BaseException) for r in results), results
    to = sorted(rcpt for envelope in collector.messages for rcpt in envelope.rcpt_tos)
    assert to == ["a@example.org", "b@example.org", "c@example.org"]
    assert not collector.hold_broken, "the two runs were never sending at once"
    assert sum(len(r.sent) for r in results) == 3
    assert sum(r.skipped for r in results) == 3
    assert all(r.sent for r in results), "one run sent everything"
    assert Sending.objects.filter(state="sent").count() == 3
