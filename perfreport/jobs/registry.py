"""The jobs the worker can run, registered by the apps that offer them.

An app above ``jobs`` (rounds, reports, distribution, feeds) registers its
jobs in its ``AppConfig.ready()``; this app, lower down, calls them through
here without importing them. A job is a function given a ``JobContext`` that
returns a one-line outcome, or raises ``JobFailed`` with a message fit for
the BI team (any other error is recorded as its type and message, the
traceback only in the log)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext

if TYPE_CHECKING:
    from perfreport.jobs.models import Run

NAME = re.compile(r"^[a-z][a-z0-9_-]{0,49}$")


class JobFailed(Exception):
    """A job's failure with a message for the BI team: recorded on the run as
    it is, with no traceback."""


class UnknownJob(LookupError):
    """No job is registered by that name (an app that offered it was removed)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"There is no job called {name!r}.")
        self.name = name


@dataclass(frozen=True)
class Job:
    name: str  # "reminders", "distribution", "feed", "charts", "report"...
    label: str  # "Send reminders" (marked with gettext_noop): `title()` is what pages show
    run: Callable[[JobContext], str]  # -> one-line outcome
    # Choices for params["target"] (which feed, which subscription), read when
    # a schedule is edited: [(value, label), ...].
    targets: Callable[[], list[tuple[str, str]]] | None = None
    # False for jobs only ever enqueued by code ("report", "charts").
    schedulable: bool = True
    # What one of its targets is called, in words, for the schedule form and
    # its errors ("Which feed", "Choose which feed this schedule is for") and
    # for a schedule whose target was removed ("the feed it ran was removed").
    target_label: str = "target"

    def title(self) -> str:
        """The label in the active language."""
        return gettext(self.label)


class JobContext:
    """What a running job is given: its parameters, its run's record, and a
    way to report progress and to write an output file."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.params: dict[str, Any] = dict(run.params or {})

    def progress(self, percent: int, note: str = "") -> None:
        """Save how far the job has got (0 to 100) and what it is doing, for
        the run's page. Written at once in its own short statement: call it
        outside your own ``transaction.atomic()`` blocks to have it seen while
        the job runs."""
        from perfreport.jobs.runs import run_progress

        run_progress(self.run, percent, note)

    def output_path(self, filename: str) -> Path:
        """A file to write the job's output to, under
        ``MEDIA_ROOT/job-output/<run id>/``, recorded as the run's output (the
        Runs page links to it once the run has finished well)."""
        from perfreport.jobs.runs import run_output_path

        return run_output_path(self.run, filename)


_JOBS: dict[str, Job] = {}


def register(job: Job) -> None:
    """Offer ``job`` to the worker and the Schedules page. Registering the same
    job again (a second ``ready()``) is harmless; another job by the same name
    is a mistake and refused."""
    if not NAME.match(job.name):
        raise ValueError(
            f"A job's name is lower-case letters, digits, - and _ (at most 50): {job.name!r}"
        )
    existing = _JOBS.get(job.name)
    if existing is not None and existing != job:
        raise ValueError(f"Another job is already registered as {job.name!r}: {existing.label}")
    _JOBS[job.name] = job


def unregister(name: str) -> None:
    """Take a job away (for tests that register their own)."""
    _JOBS.pop(name, None)


def get(name: str) -> Job:
    try:
        return _JOBS[name]
    except KeyError:
        raise UnknownJob(name) from None


def all_jobs() -> list[Job]:
    """Every registered job, by label."""
    return sorted(_JOBS.values(), key=lambda job: job.title().lower())


def label_of(name: str) -> str:
    """The job's label, or its name when no app offers it any more."""
    job = _JOBS.get(name)
    return job.title() if job is not None else name
