"""The "report" job: a report made by the worker, for a big report asked for
on the Reports page, so that no web request spends a minute making it.

The run's parameters say what to make (``report_params``); the job writes the
file to the run's output and says how far it has got at each stage:
evaluating, drawing the charts (n of N), setting the pages, done.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from perfreport.core.periods import Period
from perfreport.jobs.registry import JobContext, JobFailed
from perfreport.registry.periods import read_period
from perfreport.reports.chart_specs import report_specs
from perfreport.reports.charts import ChartRenderer, default_cache_dir
from perfreport.reports.context import SECTIONS, ReportSettings
from perfreport.reports.language import ENGLISH, read_language
from perfreport.reports.service import (
    FORMATS,
    ReportError,
    chart_kind,
    render,
    report_contexts,
)

# What each format's last stage is called on the Reports page.
LAYING_OUT = {
    "pdf": "Setting the pages",
    "docx": "Setting the pages",
    "html": "Writing the web page",
    "xlsx": "Writing the spreadsheet",
}


@dataclass(frozen=True)
class ReportRequest:
    """What to make: a run's parameters, typed."""

    period: Period
    fmt: str
    filename: str
    directorate: str = ""
    service: str = ""
    pack: str = ""  # "exceptions": the exception pack
    sections: tuple[str, ...] = SECTIONS
    published_only: bool = False
    language: str = ENGLISH  # "en", "cy" or "both"


def report_params(request: ReportRequest) -> dict[str, Any]:
    """``request`` as a run's parameters (JSON)."""
    return {
        "period": request.period.label,
        "format": request.fmt,
        "filename": request.filename,
        "directorate": request.directorate,
        "service": request.service,
        "pack": request.pack,
        "sections": list(request.sections),
        "published_only": request.published_only,
        # English is the default, and what a run recorded before languages made.
        **({"language": request.language} if request.language != ENGLISH else {}),
    }


def read_params(params: dict[str, Any]) -> ReportRequest:
    """The run's parameters back as a request; a bad one fails the run in words."""
    try:
        period = read_period(str(params["period"]))
        fmt = str(params["format"])
        if fmt not in FORMATS:
            raise JobFailed(f"There is no report format called {fmt!r}.")
        return ReportRequest(
            period=period,
            fmt=fmt,
            filename=str(params.get("filename") or f"report.{fmt}"),
            directorate=str(params.get("directorate", "")),
            service=str(params.get("service", "")),
            pack=str(params.get("pack", "")),
            sections=tuple(s for s in SECTIONS if s in params.get("sections", SECTIONS)),
            published_only=bool(params.get("published_only", False)),
            # A run recorded before reports had a language was in English.
            language=read_language(str(params.get("language") or ENGLISH)),
        )
    except (KeyError, ValueError) as error:
        raise JobFailed(f"The report asked for cannot be read ({error}).") from None


class Stages:
    """Progress written to the run, at most about once a second while charts
    are drawn: each write is a statement of its own."""

    def __init__(self, context: JobContext) -> None:
        self.context = context
        self.last = 0.0

    def say(self, percent: int, note: str) -> None:
        self.context.progress(percent, note)
        self.last = time.monotonic()

    def charts(self, done: int, total: int) -> None:
        if done == total or time.monotonic() - self.last >= 1.0:
            # Drawing is the long stage: from 10% to 80%.
            self.say(10 + 70 * done // max(total, 1), f"Drawing charts: {done} of {total}")


def make_report(context: JobContext) -> str:
    """The job: the report as asked, written to the run's output."""
    request = read_params(context.params)
    stages = Stages(context)
    stages.say(2, "Evaluating the indicators")
    try:
        document = _pack(request, stages) if request.pack else _report(request, stages)
    except ReportError as error:
        raise JobFailed(_sentence(str(error))) from None
    path = context.output_path(request.filename)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(document)
    temporary.replace(path)  # the link never offers half a file
    stages.say(100, "Done")
    return f"{request.filename} ({_size(len(document))})"


def _report(request: ReportRequest, stages: Stages) -> bytes:
    report = report_contexts(
        request.period,
        ReportSettings(sections=request.sections),
        language=request.language,
        directorate=request.directorate or None,
        service=request.service or None,
        published_only=request.published_only,
    )
    # A renderer of this run's own, on the shared disk cache: the charts drawn
    # ahead after the figures changed are found there, and the worker keeps
    # no report's charts in memory once the run is over.
    charts = ChartRenderer(default_cache_dir())
    kind = chart_kind(request.fmt)
    if kind is not None:
        specs = [spec for part in report for spec in report_specs(part)]
        total = charts.missing(specs, kind)
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            stages.charts(done, total)

        if total:
            stages.say(10, f"Drawing charts: 0 of {total}")
        charts.prepare(specs, kind, advance)
    stages.say(85, LAYING_OUT[request.fmt])
    return render(report, request.fmt, charts)


def _pack(request: ReportRequest, stages: Stages) -> bytes:
    from perfreport.reports.pack import pack_contexts
    from perfreport.reports.pack_formats import render_pack

    pack = pack_contexts(
        request.period,
        ReportSettings(),
        language=request.language,
        directorate=request.directorate or None,
        service=request.service or None,
        published_only=request.published_only,
    )
    stages.say(60, LAYING_OUT[request.fmt])  # the pack draws no chart
    return render_pack(pack, request.fmt)


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _size(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} KB"
