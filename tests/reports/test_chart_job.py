"""The "charts" job: queued once a change to the figures commits (one queued
run at a time, however many changes), and drawing exactly the charts the
reports will ask for, so that a report made after it draws none.
tests/rounds/test_changes_queue_charts.py checks each page and command that
changes figures queues it; tests/web/test_report_runs_browser.py runs it in a
real worker."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from perfreport.data.versions import bump_data_version
from perfreport.jobs.models import Outcome, Run, Trigger
from perfreport.jobs.runs import run_now
from perfreport.registry.periods import read_period
from perfreport.reports.chart_job import queue_charts
from perfreport.reports.charts import ChartRenderer
from perfreport.reports.context import ReportSettings
from perfreport.reports.service import render, report_context

Q2 = read_period("2020/21 Q2")


@pytest.fixture
def chart_cache(tmp_path, monkeypatch):
    folder = tmp_path / "charts"
    monkeypatch.setenv("PERFREPORT_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def setup_committed(imported_example):
    """The seed's figures, as if their import had committed (its charts run
    queued and taken). In a test's transaction, which never commits, the
    import leaves its callback waiting, and a change after it would rightly
    add none (the one waiting covers it): dropped here, as a commit would."""
    from django.db import connection

    connection.run_on_commit.clear()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """``with commit():`` runs what would run when the block's change
    commits, and leaves nothing waiting, as a real commit does."""
    from django.db import connection

    @contextmanager
    def committing() -> Iterator[list[Callable[[], object]]]:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            yield callbacks
        connection.run_on_commit.clear()

    return committing


def charts_runs() -> list[Run]:
    return list(Run.objects.filter(job="charts"))


def charts_drawn_by_a_report(folder, fmt="pdf", **choice) -> int:
    """How many charts a report draws itself, with a fresh renderer on the cache."""
    renderer = ChartRenderer(folder)
    render(report_context(Q2, ReportSettings(), **choice), fmt, renderer)
    return renderer.rendered


# -- queued after a change ----------------------------------------------------


@pytest.mark.django_db
def test_a_change_queues_one_charts_run_once_it_commits(
    setup_committed, chart_cache, commit
) -> None:
    with commit(), transaction.atomic():
        bump_data_version()
        assert charts_runs() == []  # not before the change commits

    [run] = charts_runs()
    assert (run.outcome, run.trigger, run.params) == (Outcome.QUEUED, Trigger.EVENT, {})
    assert DBTaskResult.objects.filter(args_kwargs__args=[run.pk]).count() == 1


@pytest.mark.django_db
def test_many_changes_queue_one_run_until_it_starts(setup_committed, chart_cache, commit) -> None:
    with commit() as callbacks, transaction.atomic():
        for _ in range(5):
            bump_data_version()  # one transaction: one callback
    assert [c for c in callbacks if c is queue_charts] == [queue_charts]
    for _ in range(3):  # three more transactions while the first run waits
        with commit():
            bump_data_version()
    [waiting] = charts_runs()

    Run.objects.filter(pk=waiting.pk).update(outcome=Outcome.RUNNING)
    with commit():
        bump_data_version()

    # The running one may have read the figures before this change: one more.
    assert sorted(r.outcome for r in charts_runs()) == [Outcome.QUEUED, Outcome.RUNNING]


@pytest.mark.django_db
def test_a_change_rolled_back_queues_nothing(setup_committed, chart_cache, commit) -> None:
    with commit():
        try:
            with transaction.atomic():
                bump_data_version()
                raise RuntimeError("the import failed")
        except RuntimeError:
            pass

    assert charts_runs() == []


@pytest.mark.django_db
def test_with_the_chart_cache_off_nothing_is_queued(setup_committed, monkeypatch, commit) -> None:
    monkeypatch.setenv("PERFREPORT_CACHE_DIR", "")
    with commit():
        bump_data_version()

    assert charts_runs() == []
    run = run_now("charts", trigger=Trigger.EVENT)
    assert run.summary == (
        "Nothing drawn: the chart cache is turned off (PERFREPORT_CACHE_DIR is empty)"
    )


# -- what it draws --------------------------------------------------------------


@pytest.mark.django_db
def test_after_the_job_a_report_draws_no_chart_staff_public_or_a_directorate_s(
    imported_example, chart_cache
) -> None:
    """GIVEN the seed's figures and an empty chart cache
    WHEN the charts job runs
    THEN it draws each chart once, and the staff PDF, the public PDF, the web
    page and a directorate's report made afterwards, each with a fresh
    renderer as a new process has, draw none."""
    assert charts_drawn_by_a_report(chart_cache / "elsewhere") == 17  # what a report draws cold

    run = run_now("charts", trigger=Trigger.EVENT)

    assert run.outcome == Outcome.OK, run.error
    assert run.summary == (
        "Drew 17 charts for the reports of 2020/21 Q2 (staff), 2020/21 Q2 (public)"
    )
    assert charts_drawn_by_a_report(chart_cache) == 0
    assert charts_drawn_by_a_report(chart_cache, published_only=True) == 0
    assert charts_drawn_by_a_report(chart_cache, "html") == 0
    assert charts_drawn_by_a_report(chart_cache, directorate="Corporate Services") == 0
    again = run_now("charts", trigger=Trigger.EVENT)
    assert again.summary.startswith("Drew 0 charts")


@pytest.mark.django_db
def test_a_changed_figure_is_drawn_again_and_only_its_chart(imported_example, chart_cache) -> None:
    from perfreport.data.models import Observation

    run_now("charts", trigger=Trigger.EVENT)
    value = Observation.objects.filter(indicator__ref="180").order_by("-last_month").first()
    value.value += 1
    value.save()

    run = run_now("charts", trigger=Trigger.EVENT)

    assert run.summary.startswith("Drew 1 charts"), run.summary
    assert charts_drawn_by_a_report(chart_cache) == 0


@pytest.mark.django_db
def test_with_no_values_it_draws_nothing_and_says_so(chart_cache) -> None:
    run = run_now("charts", trigger=Trigger.EVENT)

    assert (run.outcome, run.summary) == (Outcome.OK, "Nothing drawn: there are no values yet")
