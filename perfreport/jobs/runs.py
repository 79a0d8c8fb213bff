"""Running a job: recorded first as a queued ``Run``, then claimed, run and
finished, each step one conditional update so that two workers can never run
the same run and a finished run is never run again."""

from __future__ import annotations

import logging
import os
import socket
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from perfreport.accounts.permissions import Actor
from perfreport.audit import trail as audit
from perfreport.jobs import registry
from perfreport.jobs.models import Outcome, Run, Schedule, Trigger
from perfreport.jobs.registry import JobContext, JobFailed

logger = logging.getLogger("perfreport.jobs")

OUTPUT_FOLDER = "job-output"


class StopNow(BaseException):
    """Raised in a worker by a second SIGTERM or SIGINT while a run is under
    way: the run is put back in the queue for another worker, not failed.
    A ``BaseException`` so that a job's own ``except Exception`` lets it by."""


RUN = "run"  # what the audit trail calls one


def worker_name() -> str:
    """Who runs a run, as the Runs page shows it: this machine and process."""
    return f"{socket.gethostname()} pid {os.getpid()}"


def enqueue(
    job_name: str,
    params: dict[str, Any] | None = None,
    *,
    trigger: str,
    requested_by: Any = None,
    schedule: Schedule | None = None,
) -> Run:
    """Record a run of ``job_name`` (queued) and hand it to the worker once
    the current transaction commits: a run asked for in a transaction that
    rolls back is never queued (its record goes with the rollback)."""
    run = _record(job_name, params, trigger, requested_by, schedule)
    transaction.on_commit(partial(_hand_to_worker, run.pk))
    return run


def run_now(
    job_name: str,
    params: dict[str, Any] | None = None,
    *,
    trigger: str,
    requested_by: Any = None,
    schedule: Schedule | None = None,
) -> Run:
    """Record a run of ``job_name`` and run it here, in this process, as the
    worker would: the returned run has finished, well or not."""
    run = _record(job_name, params, trigger, requested_by, schedule)
    execute(run.pk, worker=f"{worker_name()} (run at once, not by a worker)")
    run.refresh_from_db()
    return run


def _record(
    job_name: str,
    params: dict[str, Any] | None,
    trigger: str,
    requested_by: Any,
    schedule: Schedule | None,
) -> Run:
    registry.get(job_name)  # an unknown job is refused before anything is recorded
    if trigger not in Trigger.values:
        raise ValueError(f"A run's trigger is one of {', '.join(Trigger.values)}: {trigger!r}")
    user = requested_by if requested_by is not None and requested_by.pk else None
    with transaction.atomic():
        run = Run.objects.create(
            job=job_name,
            params=dict(params or {}),
            trigger=trigger,
            requested_by=user,
            schedule=schedule,
        )
        if user is not None:
            # A person asked for it (Run now, Send now, a background report):
            # in the trail like every other write of theirs.
            after = {"job": job_name, "params": run.params, "trigger": trigger}
            audit.record(Actor.of(user), "queue", RUN, run.pk, after=after)
    return run


def _hand_to_worker(run_id: int) -> None:
    from perfreport.jobs.tasks import execute_run

    execute_run.enqueue(run_id)


def execute(run_id: int, *, worker: str = "") -> Run | None:
    """Claim the run and run its job; None when it is no longer queued (run,
    running or released elsewhere). A ``JobFailed`` is recorded with its
    message; any other error with its type and message, and its traceback
    logged. A ``StopNow`` puts the run back in the queue and goes on up."""
    claimed = Run.objects.filter(pk=run_id, outcome=Outcome.QUEUED).update(
        outcome=Outcome.RUNNING,
        started_at=timezone.now(),
        worker=worker[:100],
        progress=0,
        progress_note="",
    )
    if not claimed:
        logger.info("Run %s is not queued: not run again", run_id)
        return None
    run = Run.objects.get(pk=run_id)
    try:
        summary = _call(run)
    except JobFailed as error:
        _finish(run, Outcome.FAILED, error=str(error) or "The job failed.")
    except StopNow:
        release(run)
        raise
    except SystemExit as error:  # a command called by the job gave up: not the worker's exit
        _finish(run, Outcome.FAILED, error=f"The job stopped with exit status {error.code}.")
    except Exception as error:
        logger.exception("Run %s of %s failed", run.pk, run.job)
        _finish(run, Outcome.FAILED, error=f"{type(error).__name__}: {error}")
    else:
        _finish(run, Outcome.OK, summary=summary)
    return run


def _call(run: Run) -> str:
    job = registry.get(run.job)
    context = JobContext(run)
    if transaction.get_connection().in_atomic_block:
        # Run inside a caller's transaction (run_now from a page): a failing
        # job rolls back to here, and its run can still be marked failed.
        with transaction.atomic():
            return str(job.run(context) or "")
    return str(job.run(context) or "")


def _finish(run: Run, outcome: str, *, summary: str = "", error: str = "") -> None:
    changes: dict[str, Any] = {
        "outcome": outcome,
        "finished_at": timezone.now(),
        "summary": summary.strip().splitlines()[0][:500] if summary.strip() else "",
        "error": error,
    }
    if outcome == Outcome.OK:
        changes["progress"] = 100
    Run.objects.filter(pk=run.pk, outcome=Outcome.RUNNING).update(**changes)
    for name, value in changes.items():
        setattr(run, name, value)
    if outcome == Outcome.FAILED:
        logger.warning("Run %s of %s failed: %s", run.pk, run.job, error)


def release(run: Run) -> None:
    """Put a running run back in the queue, as if it had never started."""
    Run.objects.filter(pk=run.pk, outcome=Outcome.RUNNING).update(
        outcome=Outcome.QUEUED, started_at=None, worker="", progress=0, progress_note=""
    )
    run.outcome = Outcome.QUEUED
    logger.info("Run %s of %s put back in the queue", run.pk, run.job)


def run_progress(run: Run, percent: int, note: str = "") -> None:
    """Save a running run's progress (clamped to 0..100) in its own statement."""
    percent = max(0, min(100, int(percent)))
    note = note.strip()[:200]
    Run.objects.filter(pk=run.pk, outcome=Outcome.RUNNING).update(
        progress=percent, progress_note=note
    )
    run.progress, run.progress_note = percent, note


def run_output_path(run: Run, filename: str) -> Path:
    """``MEDIA_ROOT/job-output/<run id>/<filename>``, its folder made and the
    file recorded as the run's output. Only the file's own name is kept, so a
    job cannot write outside its run's folder."""
    name = Path(str(filename)).name
    if name in ("", ".", ".."):
        raise ValueError(f"An output file needs a name: {filename!r}")
    folder = Path(settings.MEDIA_ROOT) / OUTPUT_FOLDER / str(run.pk)
    folder.mkdir(parents=True, exist_ok=True)
    relative = f"{OUTPUT_FOLDER}/{run.pk}/{name}"
    Run.objects.filter(pk=run.pk).update(output=relative)
    run.output = relative
    return folder / name


def output_file(run: Run) -> Path | None:
    """The run's output file on disk, when it has one that exists."""
    if not run.output:
        return None
    root = (Path(settings.MEDIA_ROOT) / OUTPUT_FOLDER).resolve()
    path = (Path(settings.MEDIA_ROOT) / run.output).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path
