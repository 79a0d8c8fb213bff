"""The exception pack as a tagged A4 PDF (PDF/UA-1), typeset by Typst with
``typst/pack.typ``: the same cover, tags and compiler as the report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from perfreport.reports import pdf
from perfreport.reports.language import WELSH
from perfreport.reports.pack import PackAction, PackContext, PackEntry, PlanRow
from perfreport.reports.style import TAG_COLOURS

TEMPLATE = Path(__file__).resolve().parent / "typst" / "pack.typ"


def render_pack_pdf(context: PackContext) -> bytes:
    data = pdf._printable(pack_data(context))
    return pdf._compile(json.dumps(data, ensure_ascii=False, separators=(",", ":")), TEMPLATE)


def pack_data(context: PackContext) -> dict[str, Any]:
    """Everything the template prints, as JSON-able data; report.typ's own
    keys are there for the cover and tags it lends (its sections: none)."""
    report = context.report
    cover = report.cover
    period = f"{cover.period_heading} {report.period.label.split()[0]}"
    return {
        "title": context.document_title,
        "author": cover.organisation or cover.team or "perfreport",
        "description": (
            _("Exception pack for %(period)s by %(organisation)s.")
            % {"period": period, "organisation": cover.organisation}
            if cover.organisation
            else _("Exception pack for %(period)s.") % {"period": period}
        ),
        "keywords": [
            _("performance"),
            _("exception pack"),
            cover.period_heading,
            report.period.label,
        ],
        "date": pdf._document_date(report),
        "lang": "cy" if report.language == WELSH else "en",
        "region": None if report.language == WELSH else "gb",
        "labels": pdf.labels(),
        "pack_labels": pack_labels(),
        "prefix": "",
        "sections": [],
        "indicators": [],
        "plan": None,
        "header": {
            "title": _("Exception pack: %(title)s") % {"title": cover.title},
            "period": period,
            "organisation": cover.organisation,
        },
        "style": {
            "accent": pdf.ACCENT,
            "rag": {
                key: {"text": text, "background": background}
                for key, (text, background) in TAG_COLOURS.items()
            },
        },
        "cover": {
            **pdf._cover(report),
            "title": _("%(title)s: exception pack") % {"title": cover.title},
        },
        "key": pdf._key(report),
        "summary": {},
        "pack": {
            "public": context.public,
            "summary": {
                "sentence": context.summary.sentence,
                "attention": context.summary.attention,
                "went_well": context.summary.went_well,
                "appendix": context.summary.appendix,
                "rating_counts": [
                    {"label": c.label, "symbol": c.symbol, "count": c.count, "key": c.key}
                    for c in context.summary.rating_counts
                ],
            },
            "attention": [_entry(e) for e in context.attention],
            "went_well": [_entry(e) for e in context.went_well],
            "plan": [_plan_row(r) for r in context.plan],
            "plan_rule": context.plan_rule,
            "appendix": [
                {
                    "ref": r.ref,
                    "title": r.title,
                    "period": r.period,
                    "current": r.current,
                    "target": r.target,
                    "rating": pdf._rating(r.rating, r.rating_label, r.rating_symbol),
                }
                for r in context.appendix
            ],
        },
    }


def pack_labels() -> dict[str, str]:
    """Every word pack.typ prints of its own, in the active language."""
    return {
        "latest": _("Latest:"),
        "target": _("Target:"),
        "ref": _("Ref"),
        "action_or_project": _("Action or project"),
        "status": _("Status"),
        "progress": _("Progress"),
        "why": _("Why it is here:"),
        "drafted": _(
            "Drafted commentary: none was written; perfreport drafted this from the figures"
        ),
        "commentary": _("Commentary."),
        "no_commentary": _("None was written for this period."),
        "actions_given": _("Actions given this period."),
        "summary": _("Summary"),
        "by_rating": _("By RAG rating"),
        "rag_rating": _("RAG rating"),
        "indicators": _("Indicators"),
        "in_this_pack": _("In this pack"),
        "section": _("Section"),
        "items": _("Items"),
        "attention": _("What needs attention"),
        "went_well": _("What went well"),
        "appendix": _("Appendix: every other indicator"),
        "published_only": _("Published figures only."),
        "ratings_mean": _("What the RAG ratings mean"),
        "rating": _("Rating"),
        "meaning": _("Meaning"),
        "plan_status": _("The plan’s status"),
        "no_plan": _("No council plan is recorded: there are no priorities or outcomes to report."),
        "priority_or_outcome": _("Priority or outcome"),
        "actions": _("Actions"),
        "all_in_pack": _("Every indicator is in the pack above."),
        "appendix_intro": _(
            "The indicators with nothing unusual to report: not Red or Blue, no unusual change "
            "in their trend, on course for their target where it is forecast, and no overdue "
            "action."
        ),
        "indicator": _("Indicator"),
        "period": _("Period"),
        "current": _("Current"),
        "target_heading": _("Target"),
        "attention_intro": _(
            "Red indicators first, then those with the most reasons. Each says why it is here."
        ),
        "no_attention": _(
            "Nothing needs attention: no indicator is Red, a special cause of concern, failing "
            "its assurance or forecast to miss, and no action is overdue."
        ),
        "none_went_well": _("No indicator is Blue or a special cause of improvement this period."),
    }


def _entry(e: PackEntry) -> dict[str, Any]:
    words = {"ref": e.ref, "title": e.title}
    return {
        "heading": (
            _("Action %(ref)s: %(title)s") % words
            if e.is_action
            else _("Indicator %(ref)s: %(title)s") % words
        ),
        "ref": e.ref,
        "title": e.title,
        "anchor": e.anchor,
        "is_action": e.is_action,
        "reasons": list(e.reasons),
        "sentence": e.sentence,
        "group": e.group,
        "rating": pdf._rating(e.rating, e.rating_label, e.rating_symbol),
        "current": e.current,
        "current_period": e.current_period,
        "target": e.target,
        "commentary": list(e.commentary),
        "commentary_drafted": e.commentary_drafted,
        "written_actions": list(e.written_actions),
        "actions": [_action(a) for a in e.actions],
    }


def _action(a: PackAction) -> dict[str, Any]:
    return {
        "ref": a.ref,
        "title": a.title,
        "kind": a.kind,
        "owner": a.owner,
        "status": a.status,
        "status_symbol": a.status_symbol,
        "tag": a.tag,
        "reason": a.reason,
        "note": a.note,
        "note_period": a.note_period,
    }


def _plan_row(r: PlanRow) -> dict[str, Any]:
    return {
        "level": r.level,
        "depth": r.depth,
        "ref": r.ref,
        "title": r.title,
        "status": r.status.value if r.status else None,
        "status_label": r.status_label,
        "status_symbol": r.status_symbol,
        "sentence": r.sentence,
        "indicators": r.indicators,
        "actions": r.actions,
    }
