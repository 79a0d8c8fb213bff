"""Tidy old runs: the runs finished before the age chosen go, with their
files and the queue's records of them; newer and unfinished runs stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from perfreport.accounts.permissions import Actor
from perfreport.jobs import runs, schedules
from perfreport.jobs.models import Outcome, Run, Trigger

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 11, 0, tzinfo=UTC)


def finished_run(days_ago: int, settings) -> Run:
    when = NOW - timedelta(days=days_ago)
    run = Run.objects.create(
        job="reminders", trigger=Trigger.SCHEDULE, outcome=Outcome.OK, queued_at=when,
        started_at=when, finished_at=when, output="",
    )  # fmt: skip
    folder = Path(settings.MEDIA_ROOT) / "job-output" / str(run.pk)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.pdf").write_bytes(b"%PDF")
    return run


@time_machine.travel(NOW, tick=False)
def test_runs_finished_before_the_age_go_with_their_files(
    settings, django_capture_on_commit_callbacks
):
    old, recent = finished_run(100, settings), finished_run(10, settings)
    waiting = runs.enqueue("reminders", trigger=Trigger.EVENT)
    Run.objects.filter(pk=waiting.pk).update(queued_at=NOW - timedelta(days=200))
    with django_capture_on_commit_callbacks(execute=True):
        runs.enqueue("reminders", trigger=Trigger.EVENT)
    DBTaskResult.objects.update(status="SUCCESSFUL", finished_at=NOW - timedelta(days=95))

    run = runs.run_now("tidy-runs", {"target": "90"}, trigger=Trigger.ON_DEMAND)

    assert run.outcome == Outcome.OK, run.error
    assert run.summary == (
        "Deleted 1 run finished before 3 March 2026 and their files, and 1 finished task from the queue."
    )
    assert set(Run.objects.values_list("pk", flat=True)) >= {recent.pk, waiting.pk, run.pk}
    assert not Run.objects.filter(pk=old.pk).exists()
    assert not (Path(settings.MEDIA_ROOT) / "job-output" / str(old.pk)).exists()
    assert (Path(settings.MEDIA_ROOT) / "job-output" / str(recent.pk) / "report.pdf").exists()
    assert not DBTaskResult.objects.exists()


def test_it_is_offered_on_the_schedules_page_by_age():
    schedule = schedules.schedule_create(
        Actor.command_line(), job="tidy-runs", target="365", cron="0 3 * * sun"
    )

    assert schedule.params == {"target": "365"}
    assert schedule.next_run_at > timezone.now()


def test_an_age_not_offered_fails_the_run_saying_so():
    run = runs.run_now("tidy-runs", {"target": "7"}, trigger=Trigger.SCHEDULE)

    assert run.outcome == Outcome.FAILED
    assert run.error == "Runs are kept 30, 90 or 365 days, not '7': edit the schedule."
