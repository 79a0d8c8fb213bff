"""The worker: one process that fires due schedules and works the queue.

The queue is django-tasks-db's table; a task is claimed as that package's own
worker claims it (a locked read and an update, in an exclusive transaction
on SQLite), and each task runs one recorded ``Run``, claimed again there.
Stopping: the first SIGTERM or SIGINT lets the run under way finish, a second
puts it back in the queue for another worker, and either way the process
exits cleanly."""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from django.db import close_old_connections
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from perfreport.jobs import registry, runs, schedules
from perfreport.jobs.models import Outcome, Run, Schedule
from perfreport.jobs.runs import StopNow

logger = logging.getLogger("perfreport.jobs")

Say = Callable[[str], None]


@dataclass
class Worker:
    say: Say
    interval: float = 2.0
    once: bool = False
    exit_with_parent: bool = False
    name: str = field(default_factory=runs.worker_name)
    stopping: bool = False
    busy: bool = False
    failed: int = 0
    done: int = 0
    parent: int = field(default_factory=os.getppid)

    # Signals

    def listen(self) -> None:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if self.busy and self.stopping:
            self.say(f"{name} again: putting the run under way back in the queue and stopping.")
            raise StopNow
        self.stopping = True
        if self.busy:
            self.say(
                f"{name}: stopping after the run under way finishes "
                "(send it again to put the run back in the queue and stop now)."
            )
        else:
            self.say(f"{name}: stopping.")

    # The loop

    def run(self) -> int:
        """Work until stopped (or, with ``once``, until nothing is due or
        queued): exit status 0, or 1 when ``once`` saw a run fail."""
        self._recover_abandoned()
        while not self.stopping:
            close_old_connections()
            self._fire_schedules()
            try:
                worked = self._work_one() if not self.stopping else False
            except StopNow:
                break  # the run was put back in the queue
            if self.once and not worked:
                break
            if not worked:
                self._sleep()
            if self.exit_with_parent and os.getppid() != self.parent:
                self.say("The process that started this worker has gone: stopping.")
                break
        close_old_connections()
        if self.once:
            self.say(f"Done: {_runs(self.done)} finished, {self.failed} failed.")
        else:
            self.say("Stopped.")
        return 1 if self.once and self.failed else 0

    def _sleep(self) -> None:
        end = time.monotonic() + self.interval
        while not self.stopping and time.monotonic() < end:
            time.sleep(min(0.1, self.interval))

    def _fire_schedules(self) -> None:
        try:
            fired = schedules.fire_due()
        except OperationalError as error:
            if not is_locked_database_exception(error):
                raise
            return  # another process holds the database: try again next time round
        for run in fired:
            self.say(f"Schedule {run.schedule_id} is due: queued run {run.pk} ({run.job_label}).")

    def _claim(self) -> DBTaskResult[Any, Any] | None:
        ready = DBTaskResult.objects.ready().filter(backend_name=DEFAULT_TASK_BACKEND_ALIAS)
        try:
            with exclusive_transaction(ready.db):
                task = ready.get_locked()
                if task is not None:
                    task.claim(self.name[:64])
                return task
        except OperationalError as error:
            if is_locked_database_exception(error):
                return None
            raise

    def _work_one(self) -> bool:
        task = self._claim()
        if task is None:
            return False
        run = self._run_of(task)
        started = time.monotonic()
        if run is not None and run.outcome == Outcome.QUEUED:
            self.say(
                f"Run {run.pk} ({run.job_label}, {run.get_trigger_display().lower()}): started."
            )
        self.busy = True
        value: object = None
        try:
            value = task.task.call(*task.args_kwargs["args"], **task.args_kwargs["kwargs"])
            task.set_successful(value)
        except StopNow:
            DBTaskResult.objects.filter(pk=task.pk).update(
                status=TaskResultStatus.READY, started_at=None
            )
            raise
        except Exception as error:
            logger.exception("Task %s failed", task.pk)
            task.set_failed(error)
        finally:
            self.busy = False
        if value == "skipped" and run is not None:
            self.say(f"Run {run.pk} ({run.job_label}): not run here: it was already {run.outcome}.")
        else:
            self._report(run, time.monotonic() - started)
        return True

    def _run_of(self, task: DBTaskResult[Any, Any]) -> Run | None:
        args = task.args_kwargs.get("args") or []
        if task.task_path != "perfreport.jobs.tasks.execute_run" or not args:
            return None
        return Run.objects.filter(pk=args[0]).first()

    def _report(self, run: Run | None, seconds: float) -> None:
        if run is None:
            self.done += 1
            return
        run.refresh_from_db()
        took = f"{seconds:.1f} s"
        if run.outcome == Outcome.OK:
            self.done += 1
            self.say(f"Run {run.pk} ({run.job_label}): finished in {took}: {run.summary}")
        elif run.outcome == Outcome.FAILED:
            self.done += 1
            self.failed += 1
            self.say(f"Run {run.pk} ({run.job_label}): failed after {took}: {run.error}")
        else:
            self.say(f"Run {run.pk} ({run.job_label}): not run here, it was {run.outcome}.")

    def _recover_abandoned(self) -> None:
        """Runs left running by a worker on this machine that is no longer
        there (killed, or the machine restarted): failed, saying so."""
        host = self.name.split(" pid ")[0]
        for run in Run.objects.filter(outcome=Outcome.RUNNING, worker__startswith=f"{host} pid "):
            pid = run.worker.split(" pid ")[1].split(" ")[0]
            if pid.isdigit() and not _alive(int(pid)):
                Run.objects.filter(pk=run.pk, outcome=Outcome.RUNNING).update(
                    outcome=Outcome.FAILED,
                    finished_at=timezone.now(),
                    error="The worker running it stopped before it finished "
                    "(it was killed, or the machine restarted). Run it again.",
                )
                self.say(
                    f"Run {run.pk} ({run.job_label}) was left running by a worker that has gone: marked failed."
                )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _runs(n: int) -> str:
    return f"{n} run{'' if n == 1 else 's'}"


def lower_priority(step: int) -> int:
    """Run at a lower CPU priority (``nice``), so that pages stay quick while
    a big job runs; the priority reached, or the current one if not allowed."""
    try:
        return os.nice(step) if step else os.nice(0)
    except OSError:  # pragma: no cover - a system that refuses
        return os.nice(0)


def describe_start(worker: Worker, niceness: int) -> str:
    jobs = ", ".join(job.name for job in registry.all_jobs()) or "none"
    enabled = Schedule.objects.filter(enabled=True).count()
    mode = "until nothing is due or queued" if worker.once else "until stopped (Ctrl-C or SIGTERM)"
    return (
        f"perfreport worker ({worker.name}) working the queue and {enabled} "
        f"schedule{'' if enabled == 1 else 's'} {mode}; jobs: {jobs}; CPU priority nice {niceness}."
    )
