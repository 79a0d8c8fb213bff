"""Every chart of a report, as Vega-Lite specs: each indicator's trend chart
and, for a series long enough for process limits, its SPC chart. The renderers
ask for the same spec objects, so ``ChartRenderer.prepare`` can draw them all
at once, in parallel, before the document is laid out."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.utils.translation import get_language

from perfreport.reports.analysis import SpcBlock
from perfreport.reports.charts import trend_spec
from perfreport.reports.context import IndicatorSection, ReportContext
from perfreport.reports.spc_chart import spc_spec


def spc_chart_spec(block: SpcBlock) -> dict[str, Any]:
    """The SPC chart of ``block``; its ``description`` is the chart's alt text.

    Built once per block and language (the same dict is returned again):
    treat it as read-only.
    """
    return _spc_chart_spec(block, get_language() or "")


@lru_cache(maxsize=1024)
def _spc_chart_spec(block: SpcBlock, language: str) -> dict[str, Any]:
    return spc_spec(
        block.result,
        block.periods,
        block.title,
        block.unit_suffix,
        block.prefix,
        axis_title=block.axis_title,
    )


def section_spc_spec(section: IndicatorSection) -> dict[str, Any] | None:
    """The section's SPC chart, when it has one to draw (an XmR chart)."""
    if section.spc is None or not section.spc.has_chart:
        return None
    return spc_chart_spec(section.spc)


def report_specs(context: ReportContext) -> list[dict[str, Any]]:
    """The trend charts, then the SPC charts, of every indicator in ``context``."""
    specs = [trend_spec(section.chart) for section in context.sections]
    for section in context.sections:
        spc = section_spc_spec(section)
        if spc is not None:
            specs.append(spc)
    return specs
