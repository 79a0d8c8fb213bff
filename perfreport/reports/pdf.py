"""The report as a tagged, accessible A4 PDF (PDF/UA-1), typeset by Typst.

The layout lives in one static Typst template, ``typst/report.typ``; this
module turns the :class:`ReportContext` into plain JSON and hands it to the
template as ``sys.inputs.data``. The template reads it with
``json(bytes(sys.inputs.data))`` and inserts every text as a string, so no
character in a title or a commentary is ever read as Typst markup: there is
nothing to escape, and nothing to get wrong by escaping.

The whole document is one compile. The compiler is kept for the life of the
process (Typst caches fonts, parsed SVGs and layout between compiles), so a
warm report of the seed's 17 indicators takes a few tens of milliseconds.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from perfreport.core.change import Change
from perfreport.core.rating import Rating
from perfreport.core.text import printable
from perfreport.reports.chart_specs import section_spc_spec
from perfreport.reports.charts import FONTS_DIR, ChartRenderer, chart_key, trend_spec
from perfreport.reports.context import (
    HISTORY_PERIODS,
    SECTIONS,
    IndicatorSection,
    ReportContext,
)
from perfreport.reports.plan_section import plan_data
from perfreport.reports.spc_icons import assurance_icon, variation_icon
from perfreport.reports.style import TAG_COLOURS

TEMPLATE = Path(__file__).resolve().parent / "typst" / "report.typ"
PDF_STANDARDS = ["ua-1"]  # PDF/UA-1: tagged, with a title, language and alt text throughout
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")

ACCENT = "#1d3f6e"  # headings and links: 11:1 on white


class PdfError(RuntimeError):
    """Typst could not typeset the report; the message carries Typst's diagnostic."""


def render_pdf(context: ReportContext, charts: ChartRenderer) -> bytes:
    """``context`` as one PDF document (bytes), with the trend charts from ``charts``."""
    data = _printable(report_data(context, charts))
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _compile(payload)


def _printable(data: Any) -> Any:
    """Every text in ``data`` as Typst can hold it: text stored before the
    text rule may carry control characters, which would stop the report."""
    if isinstance(data, str):
        return printable(data)
    if isinstance(data, dict):
        return {key: _printable(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_printable(value) for value in data]
    return data


# -- the report as JSON ---------------------------------------------------------


def report_data(context: ReportContext, charts: ChartRenderer) -> dict[str, Any]:
    """Everything the template prints, as plain JSON-able data.

    Pure layout decisions only: every figure is the context's text, as is.
    """
    cover = context.cover
    sections = [
        name
        for name in context.settings.sections
        if name in SECTIONS and (name != "plan" or context.plan is not None)
    ]
    period = f"{cover.period_heading} {context.period.label.split()[0]}"
    return {
        "title": context.document_title,
        "author": cover.organisation or cover.team or "perfreport",
        "description": " ".join(
            part
            for part in (
                f"{cover.title} for {period}",
                f"({cover.directorate})" if cover.directorate else "",
                f"by {cover.organisation}." if cover.organisation else "",
            )
            if part
        ),
        "keywords": ["performance", "RAG", cover.period_heading, context.period.label],
        "date": _document_date(context),
        "sections": sections,
        "header": {
            "title": cover.title,
            "period": period,
            "organisation": cover.organisation,
        },
        "style": {
            "accent": ACCENT,
            "rag": {
                key: {"text": text, "background": background}
                for key, (text, background) in TAG_COLOURS.items()
            },
        },
        "cover": _cover(context),
        "summary": _summary(context),
        "key": _key(context),
        "indicators": (
            [_indicator(s, charts) for s in context.sections] if "indicators" in sections else []
        ),
        "plan": plan_data(context.plan) if context.plan is not None else None,
    }


def _rating(rating: Rating | None, label: str = "", symbol: str = "") -> dict[str, str] | None:
    """A rating as the report shows it, named as its Key names it."""
    if rating is None:
        return None
    return {"key": rating.value, "label": label or rating.label, "symbol": symbol or rating.symbol}


def _change(change: Change | None) -> dict[str, str] | None:
    if change is None:
        return None
    return {"key": change.value, "label": change.label, "arrow": change.arrow}


def _document_date(context: ReportContext) -> list[int] | None:
    produced: date | None = context.settings.produced_on
    if produced is None:
        try:
            produced = datetime.strptime(context.cover.produced_on, "%d %B %Y").date()
        except ValueError:
            return None
    return [produced.year, produced.month, produced.day]


def _cover(context: ReportContext) -> dict[str, Any]:
    cover = context.cover
    return {
        "organisation": cover.organisation,
        "title": cover.title,
        "period_heading": cover.period_heading,
        "financial_year": cover.financial_year,
        "directorate": cover.directorate,
        "produced_on": cover.produced_on,
        "team": cover.team,
        "contact": cover.contact,
        "contact_link": _contact_link(cover.contact),
        "logo": _logo(cover.logo),
        "logo_alt": f"{cover.organisation} logo" if cover.organisation else "Logo",
    }


def _contact_link(contact: str) -> str | None:
    """mailto: for an e-mail address, the address itself for a web page, else no link."""
    text = contact.strip()
    if not text or " " in text:
        return None
    if text.startswith(("http://", "https://")):
        return text
    if "@" in text:
        return f"mailto:{text}"
    return None


def _href(url: str) -> str | None:
    """Where a useful link goes: web, mail and ftp addresses only; others are printed, not linked."""
    text = url.strip()
    if text.lower().startswith(("http://", "https://", "mailto:", "ftp://")) and " " not in text:
        return text
    if text.lower().startswith("www.") and " " not in text:
        return f"https://{text}"
    return None


def _logo(logo: Path | None) -> str | None:
    """The logo's path as Typst reads it (from the file system's root), if it is there."""
    if logo is None:
        return None
    path = Path(logo).resolve()
    if not path.is_file() or path.suffix.lower() not in LOGO_SUFFIXES:
        return None
    return "/" + path.relative_to(path.anchor).as_posix()


def _summary(context: ReportContext) -> dict[str, Any]:
    summary = context.summary

    def counts(items: Any) -> list[dict[str, Any]]:
        return [
            {"label": c.label, "symbol": c.symbol, "count": c.count, "key": c.key} for c in items
        ]

    return {
        "total": summary.total,
        "rating_counts": counts(summary.rating_counts),
        "change_counts": counts(summary.change_counts),
        "exceptions": [
            {"ref": e.ref, "title": e.title, "anchor": e.anchor, "reasons": list(e.reasons)}
            for e in summary.exceptions
        ],
        "groups": [
            {
                "heading": g.heading,
                "rows": [
                    {
                        "ref": r.ref,
                        "title": r.title,
                        "anchor": r.anchor,
                        "period": r.period,
                        "current": r.current,
                        "target": r.target,
                        "rating": _rating(r.rating, r.rating_label, r.rating_symbol),
                        "change": _change(r.change),
                        "no_change": r.no_change,
                        "flagged": r.flagged,
                    }
                    for r in g.rows
                ],
            }
            for g in summary.groups
        ],
    }


def _key(context: ReportContext) -> dict[str, Any]:
    key = context.key
    return {
        "items": [{"term": i.term, "meaning": i.meaning} for i in key.items],
        "ratings": [
            {
                "rating": {"key": line.rating.value, "label": line.label, "symbol": line.symbol},
                "meaning": line.meaning,
            }
            for line in key.ratings
        ],
        "variations": list(key.variations),
    }


@dataclass(frozen=True)
class _History:
    rows: list[dict[str, str]]
    note: str


def _history(section: IndicatorSection) -> _History:
    """The latest values, as many as the chart shows: the table stays compact."""
    history = section.history
    shown = history[:HISTORY_PERIODS]
    note = f"The latest {len(shown)} of {len(history)} values." if len(history) > len(shown) else ""
    return _History(
        [{"period": h.period, "value": h.value, "target": h.target} for h in shown], note
    )


def _indicator(section: IndicatorSection, charts: ChartRenderer) -> dict[str, Any]:
    history = _history(section)
    chart = charts.svg(trend_spec(section.chart)) if section.chart.points else None
    return {
        "ref": section.ref,
        "title": section.title,
        "anchor": section.anchor,
        "group": " – ".join(p for p in (section.directorate, section.service) if p),
        "target_label": section.target_label,
        "current_label": section.current_label,
        "previous_label": section.previous_label,
        "target": section.target,
        "target_note": section.target_note,
        "direction_arrow": section.direction_arrow,
        "direction_words": section.direction_words,
        "current": section.current,
        "current_period": section.current_period,
        "previous": section.previous,
        "previous_period": section.previous_period,
        "change": _change(section.change),
        "no_change": section.no_change,
        "neighbours": section.neighbours,
        "england": section.england,
        "rating": _rating(section.rating, section.rating_label, section.rating_symbol),
        "rating_differs": section.rating_differs,
        "printed": section.stated_rating.label if section.stated_rating else "no rating",
        "explanation": section.explanation,
        "chart": chart,
        "chart_alt": section.chart.alt_text,
        "chart_key": chart_key(section.chart),
        "history": history.rows,
        "history_note": history.note,
        "description": list(section.description),
        "source": section.source,
        "commentary": list(section.commentary),
        "actions": list(section.actions),
        "actions_missing": section.actions_missing,
        "links": [
            {"title": title or url, "url": url, "href": _href(url)} for title, url in section.links
        ],
        "findings": list(section.findings),
        "benchmarks": _benchmarks(section),
        "spc": _spc(section, charts),
        "forecast": _forecast(section),
    }


def _benchmarks(section: IndicatorSection) -> dict[str, Any]:
    b = section.benchmarks
    if b is None:
        return {"caption": "", "group_heading": "Statistical Neighbours Mean",
                "national_heading": "England Mean", "mean_notes": [], "national_notes": []}  # fmt: skip
    mean_notes = [
        f"({b.mean_basis})" if b.mean_basis else "",
        f"Median {b.median}" if b.median else "",
        b.standing,
    ]
    return {
        "caption": b.caption,
        "group_heading": b.group_heading,
        "national_heading": b.national_heading,
        "mean_notes": [n for n in mean_notes if n],
        "national_notes": [f"({b.national_basis})"] if b.national_basis else [],
    }


def _spc(section: IndicatorSection, charts: ChartRenderer) -> dict[str, Any] | None:
    block = section.spc
    if block is None:
        return None
    spec = section_spc_spec(section)
    icons = [
        {"svg": variation_icon(block.variation), "alt": block.variation.description,
         "term": "Variation", "label": block.variation_label}
        if block.variation else None,
        {"svg": assurance_icon(block.assurance), "alt": block.assurance.description,
         "term": "Assurance", "label": block.assurance_label}
        if block.assurance else None,
    ]  # fmt: skip
    return {
        "icons": [icon for icon in icons if icon is not None],
        "explanation": block.explanation,
        "chart": charts.svg(spec) if spec is not None else None,
        "chart_alt": spec["description"] if spec is not None else "",
    }


def _forecast(section: IndicatorSection) -> dict[str, str] | None:
    block = section.forecast
    if block is None:
        return None
    return {"sentence": block.sentence, "missing": block.missing}


# -- compiling ------------------------------------------------------------------

_lock = threading.Lock()
_compiler: Any = None


def _compile(payload: str, template: Path = TEMPLATE) -> bytes:
    """One Typst compile of ``template`` (the report's, unless another is
    given) with ``payload`` as ``sys.inputs.data``.

    The compiler is made once per process and reused under a lock: Typst keeps
    its fonts and caches between compiles, which is what makes a warm report fast.
    The root is the file system's root so that a logo can be read from anywhere;
    the template reads no other file.
    """
    import typst

    global _compiler
    with _lock:
        if _compiler is None:
            _compiler = typst.Compiler(root=TEMPLATE.anchor, font_paths=[FONTS_DIR])
        try:
            document = _compiler.compile(
                input=str(template),
                format="pdf",
                sys_inputs={"data": payload},
                pdf_standards=PDF_STANDARDS,
            )
        except typst.TypstError as error:
            raise PdfError(f"Typst could not typeset the report: {error}") from error
    if not isinstance(document, bytes):
        raise PdfError("Typst returned no PDF")
    return document
