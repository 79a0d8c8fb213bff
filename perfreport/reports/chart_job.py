"""The "charts" job: the report's charts drawn ahead, whenever the figures
change, so that a report asked for later finds them drawn.

Every counted change to the data (an import, a round's entry saved, a round
published, an edit in the admin) sends ``figures_changed``; once it commits,
``charts_soon`` queues one run of this job, unless one is queued already
(a run not yet started will see this change too): a hundred saves make one
run, not a hundred. The job builds the reports the Reports page and
``perfreport report`` offer first, the staff report of the latest quarter and
the public report of the latest published one, and draws their charts into
the disk cache through the same specs (``report_specs``) the report asks for,
so the report's lookups hit. Without a worker the run waits in the queue and
a report draws what it lacks, as it always has.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction

from perfreport.core.periods import Frequency, Period
from perfreport.data.models import Observation
from perfreport.data.selectors import home_organisation
from perfreport.jobs.models import Outcome, Run, Trigger
from perfreport.jobs.registry import JobContext
from perfreport.jobs.runs import enqueue
from perfreport.registry.periods import fy_start_month
from perfreport.reports.chart_specs import report_specs
from perfreport.reports.charts import ChartRenderer, default_cache_dir
from perfreport.reports.context import ReportSettings
from perfreport.reports.service import ReportError, report_context

JOB = "charts"
KIND = "svg"  # the PDF's and the web page's charts (Word's, PNG, are drawn when asked)


def charts_soon(sender: Any = None, **kwargs: Any) -> None:
    """``figures_changed``'s receiver: queue a charts run once the change
    commits (once a transaction, however many changes it holds)."""
    if default_cache_dir() is None:
        return  # no disk cache: charts drawn in the worker would reach no report
    if any(entry[1] is queue_charts for entry in connection.run_on_commit):
        return
    transaction.on_commit(queue_charts)


def queue_charts() -> Run | None:
    """One queued charts run at a time: a new one only when none is waiting.
    None when one was waiting already."""
    if Run.objects.filter(job=JOB, outcome=Outcome.QUEUED).exists():
        return None
    return enqueue(JOB, {}, trigger=Trigger.EVENT)


def latest_quarter(published_only: bool) -> Period | None:
    """The quarter of the home organisation's latest value (published, for
    the public report): the period the Reports page offers first."""
    values = Observation.objects.filter(organisation=home_organisation())
    if published_only:
        values = values.filter(is_draft=False)
    latest = values.order_by("-last_month").values_list("last_month", flat=True).first()
    if latest is None:
        return None
    month = Period(Frequency.MONTHLY, latest, fy_start_month())
    return month.containing(Frequency.QUARTERLY)


def draw_charts(context: JobContext) -> str:
    """The job: every chart of the latest reports, drawn into the disk cache."""
    cache_dir = default_cache_dir()
    if cache_dir is None:
        return "Nothing drawn: the chart cache is turned off (PERFREPORT_CACHE_DIR is empty)"
    charts = ChartRenderer(cache_dir)  # this run's own: nothing kept in memory after it
    reports = [(p, public) for public in (False, True) if (p := latest_quarter(public))]
    if not reports:
        return "Nothing drawn: there are no values yet"
    done = []
    for n, (period, published_only) in enumerate(reports):
        context.progress(100 * n // len(reports), f"Drawing the charts of {period.label}")
        try:
            report = report_context(period, ReportSettings(), published_only=published_only)
        except ReportError:
            continue  # nothing to report for the period: nothing to draw
        charts.prepare(report_specs(report), KIND)
        done.append(f"{period.label} ({'public' if published_only else 'staff'})")
    return f"Drew {charts.rendered} charts for the reports of {', '.join(done) or 'no period'}"
