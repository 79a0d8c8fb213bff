from django.apps import AppConfig
from django.utils.translation import gettext_noop


class ReportsConfig(AppConfig):
    name = "perfreport.reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from perfreport.data.signals import figures_changed
        from perfreport.jobs.registry import Job, register
        from perfreport.reports.chart_job import JOB, charts_soon, draw_charts
        from perfreport.reports.report_job import make_report

        # Neither is scheduled: a report is asked for on the Reports page, the
        # charts are drawn whenever the figures change.
        register(Job("report", gettext_noop("Make a report"), make_report, schedulable=False))
        register(Job(JOB, gettext_noop("Draw the report's charts"), draw_charts, schedulable=False))
        figures_changed.connect(charts_soon, dispatch_uid="reports-charts-after-a-change")
