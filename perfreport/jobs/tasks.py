"""The one task the queue holds: run a recorded ``Run`` by its id. What to
run, and the record of how it went, live on the ``Run``; the queue only says
"run this next"."""

from __future__ import annotations

from django_tasks import task

from perfreport.jobs import runs


@task()
def execute_run(run_id: int) -> str:
    """Run the run, unless it is no longer queued (run already, or running
    elsewhere): its outcome, or "skipped"."""
    run = runs.execute(run_id, worker=runs.worker_name())
    return "skipped" if run is None else run.outcome
