"""Runs: recorded before they run, queued after the transaction commits,
claimed once, finished with an outcome a person can read."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from perfreport.jobs import registry, runs
from perfreport.jobs.models import Outcome, Run, Trigger
from perfreport.jobs.registry import Job, JobContext, JobFailed
from perfreport.jobs.runs import StopNow

pytestmark = pytest.mark.django_db


def test_enqueue_records_a_queued_run_and_queues_it_after_commit(
    test_jobs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = runs.enqueue("test-ok", {"target": "x"}, trigger=Trigger.EVENT)
        assert DBTaskResult.objects.count() == 0  # nothing for a worker before commit

    assert run.outcome == Outcome.QUEUED
    assert (run.job, run.params, run.trigger) == ("test-ok", {"target": "x"}, "event")
    assert len(callbacks) == 1
    callbacks[0]()
    task = DBTaskResult.objects.get()
    assert task.task_path == "perfreport.jobs.tasks.execute_run"
    assert task.args_kwargs == {"args": [run.pk], "kwargs": {}}


def test_a_run_asked_for_in_a_transaction_that_rolls_back_is_never_queued(
    test_jobs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                runs.enqueue("test-ok", trigger=Trigger.EVENT)
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass

    assert callbacks == []
    assert not Run.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_an_unknown_job_or_trigger_is_refused_before_anything_is_recorded(test_jobs):
    with pytest.raises(registry.UnknownJob, match="no job called 'nothing'"):
        runs.enqueue("nothing", trigger=Trigger.EVENT)
    with pytest.raises(ValueError, match="trigger"):
        runs.run_now("test-ok", trigger="whenever")

    assert not Run.objects.exists()


def test_run_now_runs_it_here_with_its_summary_progress_and_output(test_jobs, settings, admin_user):
    run = runs.run_now("test-ok", trigger=Trigger.ON_DEMAND, requested_by=admin_user)

    assert run.outcome == Outcome.OK
    assert run.summary == f"Wrote result.txt for run {run.pk}"
    assert run.progress == 100
    assert run.requested_by == admin_user
    assert run.started_at is not None and run.finished_at >= run.started_at
    assert run.output == f"job-output/{run.pk}/result.txt"
    assert runs.output_file(run) == Path(settings.MEDIA_ROOT) / run.output
    assert runs.output_file(run).read_text() == f"run {run.pk}\n"


def test_a_job_failed_is_recorded_with_its_message_only(test_jobs):
    run = runs.run_now("test-fail", trigger=Trigger.ON_DEMAND)

    assert run.outcome == Outcome.FAILED
    assert run.error == "The source database refused the query: check its address"
    assert run.summary == ""
    assert run.finished_at is not None


def test_any_other_error_is_recorded_as_its_type_and_message_and_logged_in_full(test_jobs, caplog):
    run = runs.run_now("test-crash", trigger=Trigger.ON_DEMAND)

    assert run.outcome == Outcome.FAILED
    assert run.error == "ZeroDivisionError: division by zero"
    assert "Traceback" not in run.error
    assert "Traceback" in caplog.text and "1 / 0" in caplog.text


def test_a_job_that_exits_fails_its_run_and_not_the_process(test_jobs):
    def exits(context: JobContext) -> str:
        raise SystemExit(3)  # as a management command called by a job may

    registry.register(Job("test-exit", "Exits", exits))
    try:
        run = runs.run_now("test-exit", trigger=Trigger.ON_DEMAND)
    finally:
        registry.unregister("test-exit")

    assert run.outcome == Outcome.FAILED
    assert run.error == "The job stopped with exit status 3."


def test_a_failing_job_inside_a_callers_transaction_still_records_its_failure(test_jobs):
    """run_now from a page (inside the request's transaction): the job's
    failure rolls back to a savepoint, and the run is marked failed."""

    def breaks_the_database(context: JobContext) -> str:
        Run.objects.create(job="x", trigger=Trigger.EVENT)  # rolled back with the job
        raise JobFailed("half done")

    registry.register(Job("test-half", "Half", breaks_the_database))
    try:
        with transaction.atomic():
            run = runs.run_now("test-half", trigger=Trigger.ON_DEMAND)
    finally:
        registry.unregister("test-half")

    assert run.outcome == Outcome.FAILED
    assert not Run.objects.filter(job="x").exists()


def test_a_run_that_is_no_longer_queued_is_never_run_again(test_jobs):
    run = runs.run_now("test-ok", trigger=Trigger.ON_DEMAND)
    finished = run.finished_at

    assert runs.execute(run.pk, worker="another") is None

    run.refresh_from_db()
    assert (run.outcome, run.finished_at, run.worker) == (Outcome.OK, finished, run.worker)


def test_a_run_another_worker_has_claimed_is_left_to_it(test_jobs):
    run = runs.enqueue("test-ok", trigger=Trigger.EVENT)
    Run.objects.filter(pk=run.pk).update(outcome=Outcome.RUNNING, worker="the other worker")

    assert runs.execute(run.pk, worker="this worker") is None

    run.refresh_from_db()
    assert (run.outcome, run.worker, run.output) == (Outcome.RUNNING, "the other worker", "")


def test_a_stop_now_puts_the_run_back_in_the_queue(test_jobs):
    def interrupted(context: JobContext) -> str:
        context.progress(30, "part way")
        raise StopNow

    registry.register(Job("test-stopped", "Stopped", interrupted))
    try:
        run = runs.enqueue("test-stopped", trigger=Trigger.EVENT)
        with pytest.raises(StopNow):
            runs.execute(run.pk, worker="w")
    finally:
        registry.unregister("test-stopped")

    run.refresh_from_db()
    assert (run.outcome, run.started_at, run.worker, run.progress) == (Outcome.QUEUED, None, "", 0)


@pytest.mark.parametrize(("given", "saved"), [(-5, 0), (55, 55), (250, 100)])
def test_progress_is_saved_at_once_and_kept_between_0_and_100(test_jobs, given, saved):
    run = runs.enqueue("test-ok", trigger=Trigger.EVENT)
    Run.objects.filter(pk=run.pk).update(outcome=Outcome.RUNNING)

    JobContext(run).progress(given, "  drawing charts  ")

    run.refresh_from_db()
    assert (run.progress, run.progress_note) == (saved, "drawing charts")


def test_progress_is_not_written_on_a_finished_run(test_jobs):
    run = runs.run_now("test-fail", trigger=Trigger.ON_DEMAND)

    JobContext(run).progress(50, "late")

    run.refresh_from_db()
    assert (run.progress, run.progress_note) == (0, "")


@pytest.mark.parametrize("name", ["../../etc/passwd", "sub/report.pdf", "report.pdf"])
def test_an_output_file_stays_in_its_runs_folder(test_jobs, settings, name):
    run = runs.enqueue("test-ok", trigger=Trigger.EVENT)

    path = JobContext(run).output_path(name)

    folder = Path(settings.MEDIA_ROOT) / "job-output" / str(run.pk)
    assert path.parent == folder and folder.is_dir()
    assert path.name == Path(name).name
    run.refresh_from_db()
    assert run.output == f"job-output/{run.pk}/{path.name}"


@pytest.mark.parametrize("name", ["", ".", ".."])
def test_an_output_file_needs_a_name(test_jobs, name):
    run = runs.enqueue("test-ok", trigger=Trigger.EVENT)

    with pytest.raises(ValueError, match="needs a name"):
        JobContext(run).output_path(name)


def test_an_output_recorded_outside_the_folder_is_never_served(test_jobs, settings, tmp_path):
    run = runs.enqueue("test-ok", trigger=Trigger.EVENT)
    (Path(settings.MEDIA_ROOT) / "secret.txt").write_text("no")
    run.output = "job-output/../secret.txt"

    assert runs.output_file(run) is None


def test_registering_another_job_by_a_taken_name_is_refused(test_jobs):
    registry.register(registry.get("test-ok"))  # the same job again: harmless

    with pytest.raises(ValueError, match="already registered"):
        registry.register(Job("test-ok", "Another", lambda context: ""))
    with pytest.raises(ValueError, match="lower-case"):
        registry.register(Job("Bad Name", "Bad", lambda context: ""))


def test_the_reminders_are_a_registered_schedulable_job():
    job = registry.get("reminders")

    assert (job.label, job.schedulable) == ("Send reminders", True)


def test_a_run_a_person_asks_for_is_in_the_audit_trail_and_one_the_system_starts_is_not(
    test_jobs, admin_user
):
    from perfreport.audit.models import AuditEvent

    asked = runs.enqueue(
        "test-ok", {"target": "x"}, trigger=Trigger.ON_DEMAND, requested_by=admin_user
    )
    runs.enqueue("test-ok", {}, trigger=Trigger.EVENT)

    [event] = AuditEvent.objects.filter(object_type="run")
    assert (event.action, event.object_id, event.user) == ("queue", str(asked.pk), admin_user)
    assert event.after == {"job": "test-ok", "params": {"target": "x"}, "trigger": "on demand"}
