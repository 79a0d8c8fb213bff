"""Jobs for the tests of the worker: ``register_jobs()`` offers them (the
``test_jobs`` fixture of tests/worker_helpers.py in this process, tests/worker_entry.py in a worker
process) and ``unregister_jobs()`` takes them away.

* ``test-ok``: writes a file as its output and says so; with params
  ``{"wait_for": PATH}`` (or TEST_JOB_WAIT_FOR=PATH in the worker's
  environment) it first reports progress and waits (up to 30 s) until PATH
  exists, so that a test can act while it runs.
* ``test-fail``: fails with a message for the BI team.
* ``test-crash``: fails with an unexpected error.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from perfreport.jobs.registry import Job, JobContext, JobFailed, register, unregister


def succeed(context: JobContext) -> str:
    wait_for = context.params.get("wait_for") or os.environ.get("TEST_JOB_WAIT_FOR")
    if wait_for:
        context.progress(40, "waiting for the test")
        end = time.monotonic() + 30
        while not Path(wait_for).exists() and time.monotonic() < end:
            time.sleep(0.05)
    path = context.output_path("result.txt")
    path.write_text(f"run {context.run.pk}\n", encoding="utf-8")
    context.progress(90, "written")
    return f"Wrote {path.name} for run {context.run.pk}"


def fail(context: JobContext) -> str:
    raise JobFailed("The source database refused the query: check its address")


def crash(context: JobContext) -> str:
    return str(1 / 0)


JOBS = [
    Job(name="test-ok", label="Test: succeed", run=succeed),
    Job(name="test-fail", label="Test: fail", run=fail),
    Job(name="test-crash", label="Test: crash", run=crash, schedulable=False),
]


def register_jobs() -> None:
    for job in JOBS:
        register(job)


def unregister_jobs() -> None:
    for job in JOBS:
        unregister(job.name)
