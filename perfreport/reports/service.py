"""``build_report``: one call from a period to a finished document, for the
CLI and the web application alike."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.db.models import prefetch_related_objects

from perfreport.core.periods import Period
from perfreport.data.evaluations import period_evaluation
from perfreport.data.plan import load_plan
from perfreport.data.selectors import evaluate_period, no_values_message
from perfreport.registry.models import Indicator
from perfreport.reports.chart_specs import report_specs
from perfreport.reports.charts import ChartRenderer, default_cache_dir
from perfreport.reports.context import ReportContext, ReportSettings, as_parts, build_context
from perfreport.reports.language import ENGLISH, in_language, parts
from perfreport.reports.plan_section import plan_section

FORMATS = ("pdf", "html", "docx", "xlsx")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ReportError(ValueError):
    """A report that cannot be made as asked; the message says why and what would work."""


@dataclass
class Progress:
    """Callbacks for a progress bar: ``start(total)`` then ``advance(n)``."""

    start: Callable[[int], None]
    advance: Callable[[int], None]


_renderer: ChartRenderer | None = None


def chart_renderer() -> ChartRenderer:
    """One renderer per process, so a warm process draws no chart twice."""
    global _renderer
    if _renderer is None:
        _renderer = ChartRenderer(default_cache_dir())
    return _renderer


def select_indicators(
    directorate: str | None = None, service: str | None = None
) -> list[Indicator]:
    indicators = Indicator.objects.select_related("directorate", "service").prefetch_related(
        "links"
    )
    if directorate:
        names = sorted(
            set(indicators.exclude(directorate=None).values_list("directorate__name", flat=True))
        )
        match = [n for n in names if n.casefold() == directorate.casefold()]
        if not match:
            raise ReportError(
                f"no directorate is called {directorate!r}; the directorates are: {_list(names)}"
            )
        indicators = indicators.filter(directorate__name=match[0])
    if service:
        names = sorted(
            set(indicators.exclude(service=None).values_list("service__name", flat=True))
        )
        match = [n for n in names if n.casefold() == service.casefold()]
        if not match:
            raise ReportError(f"no service is called {service!r}; the services are: {_list(names)}")
        indicators = indicators.filter(service__name=match[0])
    return list(indicators)


def _list(names: list[str]) -> str:
    return ", ".join(names) if names else "none yet"


def report_context(
    period: Period,
    settings: ReportSettings,
    *,
    directorate: str | None = None,
    service: str | None = None,
    today: date | None = None,
    published_only: bool = False,
    language: str = ENGLISH,
) -> ReportContext:
    """The report for ``period`` as data, in ``language`` (``en`` or ``cy``).
    ``published_only`` leaves out draft values, as the public reports must."""
    with in_language(language):
        context = _report_context(
            period, settings, directorate=directorate, service=service, today=today,
            published_only=published_only,
        )  # fmt: skip
    return replace(context, language=language)


def report_contexts(period: Period, settings: ReportSettings, *, language: str = ENGLISH,
                    **options: Any) -> list[ReportContext]:  # fmt: skip
    """The report's parts: one context, or the Welsh and the English for ``both``."""
    return [report_context(period, settings, language=part, **options) for part in parts(language)]


def _report_context(
    period: Period,
    settings: ReportSettings,
    *,
    directorate: str | None,
    service: str | None,
    today: date | None,
    published_only: bool,
) -> ReportContext:
    narrowed = bool(directorate or service)
    if narrowed:
        indicators = select_indicators(directorate, service)
        result = evaluate_period(period, indicators, published_only=published_only)
        if directorate and not settings.directorate:
            settings = _with_directorate(settings, indicators)
    else:
        # The evaluation kept for the period: the plan section's load_plan
        # reads the same one, so 500 indicators are evaluated once, not twice.
        result = period_evaluation(period, published_only)
        prefetch_related_objects([row.indicator for row in result.rows], "links")
    if not result.has_values:
        raise ReportError(no_values_message(period))
    result.analyse_all()
    context = build_context(result, settings, today)
    if narrowed or "plan" not in settings.sections:
        # The plan and its roll-ups are the whole organisation's: a report of
        # one directorate or service leaves them out.
        return context
    plan = load_plan(period, public=published_only)
    return replace(context, plan=plan_section(plan, (s.ref for s in context.sections)))


def _with_directorate(settings: ReportSettings, indicators: list[Indicator]) -> ReportSettings:
    names = {i.directorate.name for i in indicators if i.directorate}
    return replace(settings, directorate=names.pop()) if len(names) == 1 else settings


def chart_kind(fmt: str) -> str | None:
    """What ``fmt`` draws its charts as: SVG for the PDF and the web page, PNG
    for Word; the spreadsheet has none."""
    return None if fmt == "xlsx" else "png@2.0" if fmt == "docx" else "svg"


def render(
    context: ReportContext | Sequence[ReportContext],
    fmt: str,
    charts: ChartRenderer | None = None,
    progress: Progress | None = None,
) -> bytes:
    """``context`` as a document in ``fmt`` (one of FORMATS): one report, or
    a bilingual one from its parts (Welsh first), each in its own language."""
    if fmt not in FORMATS:
        raise ReportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    contexts = as_parts(context)
    if fmt == "xlsx":
        from perfreport.reports.xlsx import render_xlsx

        return render_xlsx(contexts)
    charts = charts or chart_renderer()
    kind = chart_kind(fmt) or "svg"
    specs = [spec for part in contexts for spec in report_specs(part)]
    if progress:
        progress.start(len(specs))
    charts.prepare(specs, kind, progress.advance if progress else None)
    if fmt == "pdf":
        from perfreport.reports.pdf import render_pdf

        return render_pdf(contexts, charts)
    if fmt == "html":
        from perfreport.reports.html import render_html

        return render_html(contexts, charts).encode("utf-8")
    from perfreport.reports.docx import render_docx

    return render_docx(contexts, charts)
