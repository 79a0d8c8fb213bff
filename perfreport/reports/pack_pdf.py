"""The exception pack as a tagged A4 PDF (PDF/UA-1), typeset by Typst with
``typst/pack.typ``: the same cover, tags and compiler as the report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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
        "description": f"Exception pack for {period}"
        + (f" by {cover.organisation}." if cover.organisation else "."),
        "keywords": ["performance", "exception pack", cover.period_heading, report.period.label],
        "date": pdf._document_date(report),
        "lang": "cy" if report.language == WELSH else "en",
        "region": None if report.language == WELSH else "gb",
        "labels": pdf.labels(),
        "prefix": "",
        "sections": [],
        "indicators": [],
        "plan": None,
        "header": {
            "title": f"Exception pack: {cover.title}",
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
        "cover": {**pdf._cover(report), "title": f"{cover.title}: exception pack"},
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


def _entry(e: PackEntry) -> dict[str, Any]:
    return {
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
