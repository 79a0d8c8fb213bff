"""The "feed" job, as a schedule or Run now runs it (here with the jobs'
``run_now``, recorded as the worker records it): it offers each feed as a
schedule's target, runs the target or every feed, and fails, saying why,
when a feed fails or its target was deleted."""

from __future__ import annotations

import pytest
from feed_helpers import QUERY, fill_sqlite, make_feed

pytestmark = pytest.mark.django_db


def test_each_feed_is_a_target(sqlite_source, people):
    from perfreport.jobs import registry

    feed = make_feed(sqlite_source, ["182"])

    job = registry.get("feed")

    assert job.label == "Run a feed" and job.schedulable
    assert job.targets is not None
    assert job.targets() == [("all", "Every feed"), (str(feed.pk), "Case system")]


def test_every_feed_as_the_target_runs_them_all(sqlite_source, open_round):
    from perfreport.feeds.models import FeedRun
    from perfreport.jobs.runs import run_now

    fill_sqlite(sqlite_source, [("182", "2020-10", 74)])
    make_feed(sqlite_source, ["182"])
    make_feed(
        sqlite_source, ["180"], name="Finance ledger", query=QUERY + " WHERE indicator = '180'"
    )

    run = run_now("feed", {"target": "all"}, trigger="schedule")

    assert run.outcome == "ok", run.error
    assert run.summary.startswith("Case system: 1 new, 0 changed, 0 unchanged, 0 refused.")
    assert "Finance ledger: 0 new" in run.summary
    assert FeedRun.objects.filter(job_run_id=run.pk).count() == 2


def test_a_feed_that_refuses_rows_fails_its_run(sqlite_source, open_round):
    from perfreport.jobs.runs import run_now

    fill_sqlite(sqlite_source, [("182", "2020-10", 74), ("181", "2020/21 Q3", 70)])
    feed = make_feed(sqlite_source, ["182"])

    run = run_now("feed", {"target": str(feed.pk)}, trigger="on demand")

    assert run.outcome == "failed"
    assert run.error == "Case system: 1 new, 0 changed, 0 unchanged, 1 refused."


def test_a_deleted_target_fails_the_run_saying_so(people):
    from perfreport.jobs.runs import run_now

    run = run_now("feed", {"target": "999"}, trigger="schedule")

    assert run.outcome == "failed"
    assert run.error == "There is no feed 999: it was deleted. Edit the schedule."
