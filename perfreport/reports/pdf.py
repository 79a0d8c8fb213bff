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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
    as_parts,
)
from perfreport.reports.language import WELSH, in_language
from perfreport.reports.plan_section import plan_data
from perfreport.reports.spc_icons import assurance_icon, variation_icon
from perfreport.reports.style import TAG_COLOURS

TEMPLATE = Path(__file__).resolve().parent / "typst" / "report.typ"
PDF_STANDARDS = ["ua-1"]  # PDF/UA-1: tagged, with a title, language and alt text throughout
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")

ACCENT = "#1d3f6e"  # headings and links: 11:1 on white


class PdfError(RuntimeError):
    """Typst could not typeset the report; the message carries Typst's diagnostic."""


def render_pdf(context: ReportContext | Sequence[ReportContext], charts: ChartRenderer) -> bytes:
    """``context`` as one PDF document (bytes), with the trend charts from
    ``charts``: one report, or a bilingual one from its parts (Welsh first),
    each part set and tagged in its own language."""
    parts = as_parts(context)
    datas = []
    for part in parts:
        with in_language(part.language):
            data = report_data(part, charts)
        if len(parts) > 1:
            # Each part's anchors its own: an indicator has a page in each.
            data = _prefixed(data, f"{part.language}-")
            data["prefix"] = f"{part.language}-"
        datas.append(_printable(data))
    payload = json.dumps(
        {"document": _document(datas), "parts": datas},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return _compile(payload)


def _document(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """The PDF's own title and description: both parts', Welsh first."""
    first = parts[0]
    return {
        "title": " / ".join(p["title"] for p in parts),
        "author": first["author"],
        "description": " / ".join(p["description"] for p in parts),
        "keywords": [word for p in parts for word in p["keywords"]],
        "date": first["date"],
    }


def _prefixed(data: Any, prefix: str) -> Any:
    """``data`` with every anchor (and the labels the template makes) starting ``prefix``."""
    if isinstance(data, dict):
        found = {k: _prefixed(v, prefix) for k, v in data.items()}
        if isinstance(found.get("anchor"), str):
            found["anchor"] = prefix + found["anchor"]
        return found
    if isinstance(data, list):
        return [_prefixed(v, prefix) for v in data]
    return data


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
    period = context.period_words
    welsh = context.language == WELSH
    return {
        "title": context.document_title,
        "author": cover.organisation or cover.team or "perfreport",
        "description": _description(context),
        "keywords": [_("performance"), "RAG", cover.period_heading, context.period.label],
        "date": _document_date(context),
        "lang": "cy" if welsh else "en",
        "region": None if welsh else "gb",  # the tags "cy" and "en-GB", as on the web pages
        "prefix": "",
        "labels": labels(),
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
        "plan": _plan(plan_data(context.plan)) if context.plan is not None else None,
    }


def _description(context: ReportContext) -> str:
    cover = context.cover
    words = {"title": cover.title, "period": context.period_words,
             "directorate": cover.directorate, "organisation": cover.organisation}  # fmt: skip
    if cover.directorate and cover.organisation:
        return _("%(title)s for %(period)s (%(directorate)s) by %(organisation)s.") % words
    if cover.directorate:
        return _("%(title)s for %(period)s (%(directorate)s)") % words
    if cover.organisation:
        return _("%(title)s for %(period)s by %(organisation)s.") % words
    return _("%(title)s for %(period)s") % words


def labels() -> dict[str, str]:
    """Every word the template prints of its own, in the active language."""
    return {
        "not_rated": _("Not rated"),
        "page_of": _("Page {page} of {total}"),
        "produced_on": _("Produced on:"),
        "contents": _("Contents"),
        "indicators": _("Indicators"),
        "summary": _("Summary"),
        "by_rating": _("By RAG rating"),
        "rag_rating": _("RAG rating"),
        "by_change": _("By change in performance"),
        "change_in_performance": _("Change in performance"),
        "exceptions": _("Exceptions"),
        "no_exceptions": _("No indicator is rated Red, and the checks found nothing to report."),
        "exceptions_order": _("Red indicators first, then anything the data checks found."),
        "indicator": _("Indicator"),
        "why_listed": _("Why it is listed"),
        "all_indicators": _("All indicators"),
        "ref": _("Ref"),
        "period": _("Period"),
        "current": _("Current"),
        "target": _("Target"),
        "change": _("Change"),
        "see_exceptions": _("See the exceptions above"),
        "key": _("Key"),
        "data_item": _("Data Item"),
        "explanation": _("Explanation"),
        "rag_ratings": _("RAG ratings"),
        "rating": _("Rating"),
        "meaning": _("Meaning"),
        "other_schemes": _("Indicators rated by another scheme"),
        "plan_status": _("Plan status"),
        "action_status": _("Action status"),
        "value": _("Value"),
        "action_or_project": _("Action or project"),
        "owner": _("Owner"),
        "due": _("Due"),
        "complete": _("Complete"),
        "status": _("Status"),
        "priorities": _("Priorities"),
        "priority": _("Priority"),
        "indicators_and_actions": _("Indicators and actions"),
        "other_actions": _("Actions serving no outcome"),
        "spc": _("Statistical process control"),
        "direction": _("Direction for Improvement"),
        "change_heading": _("Change in Performance"),
        "rag_rating_heading": _("RAG Rating"),
        "trend": _("Trend"),
        "no_values": _("No values recorded yet."),
        "forecast": _("Forecast"),
        "description": _("Indicator Description"),
        "no_description": _("No description has been recorded for this indicator."),
        "source": _("Source:"),
        "commentary": _("Commentary"),
        "no_commentary": _("No commentary has been given for this period."),
        "actions": _("Actions"),
        "actions_missing": _("Actions missing: the Key expects actions for every Red indicator"),
        "actions_missing_detail": _(
            "This indicator is rated Red, but no actions were given for this period."
        ),
        "no_actions": _("None recorded."),
        "links": _("Useful Links"),
        "no_links": _("None."),
        "data_quality": _("Data quality"),
        "checks_found": _("The data checks found:"),
    }


def indicator_heading(ref: str, title: str) -> str:
    return _("Indicator %(ref)s: %(title)s") % {"ref": ref, "title": title}


def _plan(plan: dict[str, Any]) -> dict[str, Any]:
    """The plan's data with the sentences the template prints, whole."""
    for item in plan["priorities"]:
        item["link_words"] = item["heading"]
        item["indicators_line"] = _("Indicators: %(words)s") % {"words": item["indicator_words"]}
        item["actions_line"] = _("Actions: %(words)s") % {"words": item["action_words"]}
        _plan_item(item)
    for action in plan["other_actions"]:
        _plan_action(action)
    return plan


def _plan_item(item: dict[str, Any]) -> None:
    item["lead_words"] = _("Lead: %(lead)s") % {"lead": item["lead"]}
    item["counts_words"] = _("Indicators: %(indicators)s. Actions: %(actions)s.") % {
        "indicators": item["indicator_words"], "actions": item["action_words"],
    }  # fmt: skip
    for action in item["actions"]:
        _plan_action(action)
    for child in item["children"]:
        _plan_item(child)


def _plan_action(action: dict[str, Any]) -> None:
    if "heading" in action:
        return  # an action under two outcomes: the same dict, done once
    action["heading"] = _("%(kind)s %(ref)s: %(title)s") % action
    action["note_words"] = _("Progress (%(period)s): %(note)s") % {
        "period": action["note_period"], "note": action["note"],
    }  # fmt: skip
    for milestone in action["milestones"]:
        milestone["words"] = _("Milestone: %(title)s, due %(due)s: %(state)s") % milestone


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
        produced = context.cover.produced
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
        "logo_alt": (
            _("%(organisation)s logo") % {"organisation": cover.organisation}
            if cover.organisation
            else _("Logo")
        ),
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
        "intro": ngettext(
            "%(count)s indicators are reported for %(period)s.",
            "%(count)s indicators are reported for %(period)s.",
            summary.total,
        )
        % {"count": summary.total, "period": context.period_words},
        "rating_counts": counts(summary.rating_counts),
        "change_counts": counts(summary.change_counts),
        "exceptions": [
            {
                "ref": e.ref,
                "title": e.title,
                "anchor": e.anchor,
                "reasons": list(e.reasons),
                "heading": indicator_heading(e.ref, e.title),
            }
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
    note = (
        _("The latest %(shown)s of %(count)s values.")
        % {"shown": len(shown), "count": len(history)}
        if len(history) > len(shown)
        else ""
    )
    return _History(
        [{"period": h.period, "value": h.value, "target": h.target} for h in shown], note
    )


def _indicator(section: IndicatorSection, charts: ChartRenderer) -> dict[str, Any]:
    history = _history(section)
    printed = section.stated_rating.label if section.stated_rating else _("no rating")
    chart = charts.svg(trend_spec(section.chart)) if section.chart.points else None
    return {
        "ref": section.ref,
        "title": section.title,
        "heading": indicator_heading(section.ref, section.title),
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
        "printed": printed,
        "printed_words": _("Printed: %(rating)s") % {"rating": printed},
        "key_gives": (
            _(" (the Key gives %(rating)s)")
            % {"rating": section.rating_label or section.rating.label}
            if section.rating is not None
            else ""
        ),
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
        return {"caption": "", "group_heading": _("Statistical Neighbours Mean"),
                "national_heading": _("England Mean"), "mean_notes": [], "national_notes": []}  # fmt: skip
    mean_notes = [
        f"({b.mean_basis})" if b.mean_basis else "",
        _("Median %(median)s") % {"median": b.median} if b.median else "",
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
         "term": _("Variation"), "label": block.variation_label}
        if block.variation else None,
        {"svg": assurance_icon(block.assurance), "alt": block.assurance.description,
         "term": _("Assurance"), "label": block.assurance_label}
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
