"""`perfreport worker` as a real process on the test database: it fires due
schedules, runs queued runs once each however many workers there are, says
what it does, stops cleanly on SIGTERM and SIGINT, and runs at a lower CPU
priority."""

from __future__ import annotations

import os
import signal
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from worker_helpers import EXE, JOBS_FOR_TESTS, start_worker

from perfreport.accounts.permissions import Actor
from perfreport.jobs import runs, schedules
from perfreport.jobs.models import Outcome, Run, Schedule, Trigger

pytestmark = pytest.mark.slow  # real processes, a few seconds each


def test_once_fires_the_due_schedules_runs_the_queue_and_exits_0(worker_database, test_jobs):
    queued = runs.enqueue("test-ok", trigger=Trigger.EVENT)
    schedule = schedules.schedule_create(Actor.command_line(), job="test-ok", cron="0 7 * * *")
    Schedule.objects.filter(pk=schedule.pk).update(
        next_run_at=timezone.now() - timedelta(minutes=1)
    )

    result = worker_database.run_once(job_modules=[JOBS_FOR_TESTS])

    assert result.returncode == 0, result.stdout + result.stderr
    fired = Run.objects.get(trigger=Trigger.SCHEDULE)
    assert f"Schedule {schedule.pk} is due: queued run {fired.pk} (Test: succeed)." in result.stdout
    for run in (queued, fired):
        run.refresh_from_db()
        assert run.outcome == Outcome.OK
        assert f"Run {run.pk} (Test: succeed): finished in" in result.stdout
        assert Path(runs.output_file(run)).read_text() == f"run {run.pk}\n"
    assert "Done: 2 runs finished, 0 failed." in result.stdout
    schedule.refresh_from_db()
    assert schedule.next_run_at > timezone.now() and schedule.last_run == fired


def test_once_exits_1_when_a_run_failed_saying_why(worker_database, test_jobs):
    failing = runs.enqueue("test-fail", trigger=Trigger.EVENT)
    crashing = runs.enqueue("test-crash", trigger=Trigger.EVENT)

    result = worker_database.run_once(job_modules=[JOBS_FOR_TESTS])

    assert result.returncode == 1
    assert f"Run {failing.pk} (Test: fail): failed after" in result.stdout
    assert "The source database refused the query" in result.stdout
    crashing.refresh_from_db()
    assert crashing.error == "ZeroDivisionError: division by zero"
    assert "Done: 2 runs finished, 2 failed." in result.stdout


def test_once_with_nothing_to_do_exits_0(worker_database):
    result = worker_database.run_once()

    assert result.returncode == 0, result.stderr
    assert "Done: 0 runs finished, 0 failed." in result.stdout


def test_a_running_worker_picks_up_a_run_queued_after_it_started(worker_database, test_jobs):
    worker = start_worker(worker_database, job_modules=[JOBS_FOR_TESTS])
    try:
        run = runs.enqueue("test-ok", {"target": "a"}, trigger=Trigger.ON_DEMAND)
        finished = worker.wait_for_run(run.pk)
    finally:
        assert worker.stop() == 0

    assert finished.outcome == Outcome.OK
    assert finished.worker.endswith(f"pid {worker.process.pid}")
    assert worker.output.splitlines()[-1] == "SIGTERM: stopping." or "Stopped." in worker.output


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_an_idle_worker_stops_at_once_on_sigterm_or_sigint(worker_database, signum):
    worker = start_worker(worker_database)

    code = worker.stop(signum, timeout=10)

    assert code == 0
    assert f"{signal.Signals(signum).name}: stopping." in worker.output
    assert worker.output.splitlines()[-1] == "Stopped."
    assert "Traceback" not in worker.output


def test_sigterm_during_a_run_lets_it_finish_first(worker_database, test_jobs, tmp_path):
    go = tmp_path / "go"
    worker = start_worker(worker_database, job_modules=[JOBS_FOR_TESTS])
    run = runs.enqueue("test-ok", {"wait_for": str(go)}, trigger=Trigger.ON_DEMAND)
    worker.wait_for(f"Run {run.pk} (Test: succeed, on demand): started.")
    _wait_for_progress(run)

    worker.send(signal.SIGTERM)
    worker.wait_for("stopping after the run under way finishes")
    go.touch()
    code = worker.wait(timeout=30)

    assert code == 0
    run.refresh_from_db()
    assert run.outcome == Outcome.OK
    assert worker.output.splitlines()[-1] == "Stopped."


def test_a_second_sigterm_puts_the_run_back_in_the_queue_for_another_worker(
    worker_database, test_jobs, tmp_path
):
    go = tmp_path / "go"
    worker = start_worker(worker_database, job_modules=[JOBS_FOR_TESTS])
    run = runs.enqueue("test-ok", {"wait_for": str(go)}, trigger=Trigger.ON_DEMAND)
    worker.wait_for("started.")
    _wait_for_progress(run)

    worker.send(signal.SIGTERM)
    worker.wait_for("stopping after the run under way finishes")
    worker.send(signal.SIGTERM)
    code = worker.wait(timeout=30)

    assert code == 0, worker.output
    assert "putting the run under way back in the queue" in worker.output
    run.refresh_from_db()
    assert (run.outcome, run.started_at, run.progress) == (Outcome.QUEUED, None, 0)
    assert DBTaskResult.objects.get().status == "READY"

    go.touch()
    result = worker_database.run_once(job_modules=[JOBS_FOR_TESTS])

    assert result.returncode == 0, result.stdout
    run.refresh_from_db()
    assert run.outcome == Outcome.OK


def test_two_workers_run_each_run_exactly_once(worker_database, test_jobs):
    first = start_worker(worker_database, job_modules=[JOBS_FOR_TESTS])
    second = start_worker(worker_database, job_modules=[JOBS_FOR_TESTS])
    try:
        queued = [runs.enqueue("test-ok", trigger=Trigger.EVENT) for _ in range(12)]
        finished = [first.wait_for_run(run.pk) for run in queued]
    finally:
        assert first.stop() == 0
        assert second.stop() == 0

    assert {run.outcome for run in finished} == {Outcome.OK}
    started = [
        line
        for line in first.output.splitlines() + second.output.splitlines()
        if line.endswith("started.")
    ]
    assert sorted(started) == sorted(set(started)) and len(started) == 12


def test_it_runs_at_a_lower_cpu_priority(worker_database):
    worker = start_worker(worker_database, "--nice", "7")
    try:
        stat = Path(f"/proc/{worker.process.pid}/stat").read_text()
        niceness = int(stat.rsplit(")", 1)[1].split()[16])
    finally:
        worker.stop()

    assert niceness == os.nice(0) + 7
    assert "CPU priority nice" in worker.output


def test_a_run_left_running_by_a_killed_worker_is_marked_failed_by_the_next(
    worker_database, test_jobs, tmp_path
):
    worker = start_worker(worker_database, job_modules=[JOBS_FOR_TESTS])
    run = runs.enqueue("test-ok", {"wait_for": str(tmp_path / "never")}, trigger=Trigger.EVENT)
    _wait_for_progress(run)
    worker.stop(signal.SIGKILL)

    result = worker_database.run_once(job_modules=[JOBS_FOR_TESTS])

    run.refresh_from_db()
    assert run.outcome == Outcome.FAILED
    assert "stopped before it finished" in run.error
    assert (
        f"Run {run.pk} (Test: succeed) was left running by a worker that has gone" in result.stdout
    )


def test_the_help_says_what_it_does_and_how_it_stops():
    result = subprocess.run(
        [str(EXE), "worker", "--help"], capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    for words in (
        "schedules kept in the database",
        "SIGTERM",
        "--once",
        "status 0, or 1",
        "--nice",
    ):
        assert words in text


def test_a_bad_option_is_a_usage_error(tmp_path):
    result = subprocess.run(
        [str(EXE), "worker", "--interval", "0"], capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 2
    assert "'0' is not a number of seconds from 0.1 to 3600" in result.stderr


def _wait_for_progress(run: Run, timeout: float = 30) -> None:
    """Until the run is under way (its job has said how far it has got)."""
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        run.refresh_from_db()
        if run.outcome == Outcome.RUNNING and run.progress == 40:
            return
        time.sleep(0.05)
    raise AssertionError(f"run {run.pk} never got under way: {run.outcome}")
