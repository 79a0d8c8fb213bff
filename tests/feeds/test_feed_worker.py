"""The feed run by a real ``perfreport worker`` process, as a schedule or
Run now has it: the figures land as drafts and the run is recorded on both
the Runs page's record and the feed's; a feed that fails fails its run,
with the feed's summary as the error, and the BI team is emailed through a
real SMTP server by the worker itself."""

from __future__ import annotations

from decimal import Decimal

import pytest
from feed_helpers import entry, fill_sqlite, make_feed
from smtp_helpers import smtp_server

pytestmark = pytest.mark.slow


def test_the_worker_runs_a_queued_feed(worker_database, open_round, sqlite_source):
    from perfreport.feeds.models import FeedRun
    from perfreport.jobs.models import Outcome, Run
    from perfreport.jobs.runs import enqueue

    fill_sqlite(sqlite_source, [("182", "2020-10", 74), ("182", "2020-11", 75)])
    feed = make_feed(sqlite_source, ["182"])
    queued = enqueue("feed", {"target": str(feed.pk)}, trigger="on demand")

    result = worker_database.run_once()

    assert result.returncode == 0, result.stdout + result.stderr
    run = Run.objects.get(pk=queued.pk)
    assert run.outcome == Outcome.OK
    assert run.summary == "Case system: 2 new, 0 changed, 0 unchanged, 0 refused."
    assert entry(open_round, "182", "2020-10").value == Decimal("74")
    assert FeedRun.objects.get(feed=feed).job_run_id == run.pk


def test_a_failing_feed_fails_its_run_and_the_worker_emails_the_bi_team(
    worker_database, open_round, tmp_path, settings
):
    from perfreport.jobs.models import Outcome, Run
    from perfreport.jobs.runs import enqueue

    feed = make_feed(tmp_path / "gone.sqlite3", ["182"])
    queued = enqueue("feed", {"target": str(feed.pk)}, trigger="on demand")
    server, collector = smtp_server(settings)
    try:
        result = worker_database.run_once(
            env={"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(settings.EMAIL_PORT)}
        )
    finally:
        server.stop()

    assert result.returncode == 1
    run = Run.objects.get(pk=queued.pk)
    assert run.outcome == Outcome.FAILED
    assert "Case system: Failed: nothing written. Could not connect to or read the database" in (
        run.error
    )
    [message] = collector.parsed()
    assert message["Subject"] == "Feed Case system: failed"
    assert message["To"] == "bi.admin@example.org"


def test_a_due_schedule_runs_its_feed(worker_database, open_round, sqlite_source):
    """GIVEN a daily schedule of the feed, due now
    WHEN `perfreport worker --once` runs
    THEN it fires the schedule and the feed's figures land."""
    from datetime import timedelta

    from django.utils import timezone

    from perfreport.accounts.permissions import Actor
    from perfreport.jobs import schedules
    from perfreport.jobs.models import Outcome, Run, Schedule

    fill_sqlite(sqlite_source, [("180", "2020/21 Q3", 98)])
    feed = make_feed(sqlite_source, ["180"])
    schedule = schedules.schedule_create(
        Actor.command_line(), job="feed", cron="0 7 * * *", target=str(feed.pk)
    )
    Schedule.objects.filter(pk=schedule.pk).update(
        next_run_at=timezone.now() - timedelta(minutes=1)
    )

    result = worker_database.run_once()

    assert result.returncode == 0, result.stdout + result.stderr
    run = Run.objects.get(job="feed")
    assert (run.trigger, run.outcome) == ("schedule", Outcome.OK)
    assert entry(open_round, "180", "2020/21 Q3").value == Decimal("98")
