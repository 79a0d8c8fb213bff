"""The exception pack as a workbook: one row per item, with why it is there,
the plan's roll-up and the appendix, to sort and filter."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from perfreport.core.text import printable
from perfreport.imports.spreadsheet import append_row
from perfreport.reports.pack import PackContext, PackEntry
from perfreport.reports.xlsx import _tidy

ITEM_COLUMNS = [
    "section", "kind", "ref", "title", "why", "reasons", "rating", "period", "current", "target",
    "commentary", "commentary_drafted", "actions",
]  # fmt: skip


def render_pack_xlsx(context: PackContext) -> bytes:
    workbook = Workbook()
    items = workbook.active
    assert items is not None
    items.title = _("Pack")
    _items(items, context)
    _plan(workbook.create_sheet(_("Plan")), context)
    _appendix(workbook.create_sheet(_("Appendix")), context)
    workbook.properties.title = printable(context.document_title)
    workbook.properties.creator = printable(context.report.cover.organisation) or "perfreport"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _items(sheet: Worksheet, context: PackContext) -> None:
    append_row(sheet, ITEM_COLUMNS)
    for section, entries in ((_("What needs attention"), context.attention),
                             (_("What went well"), context.went_well)):  # fmt: skip
        for e in entries:
            append_row(sheet, _item_row(section, e))
    _tidy(sheet, {"title": 40, "why": 80, "commentary": 80, "actions": 60})


def _item_row(section: str, e: PackEntry) -> list[str]:
    actions = "; ".join(f"{a.ref} {a.title}: {a.reason}" for a in e.actions)
    return [
        section, "action" if e.is_action else "indicator", e.ref, e.title, e.sentence,
        ", ".join(e.reasons), e.rating_label, e.current_period, e.current, e.target,
        "\n\n".join(e.commentary), "yes" if e.commentary_drafted else "no", actions,
    ]  # fmt: skip


def _plan(sheet: Worksheet, context: PackContext) -> None:
    append_row(sheet, ["level", "ref", "title", "status", "why", "indicators", "actions"])
    for r in context.plan:
        append_row(sheet, [r.level, r.ref, r.title, r.status_label, r.sentence, r.indicators,
                           r.actions])  # fmt: skip
    _tidy(sheet, {"title": 40, "why": 70})


def _appendix(sheet: Worksheet, context: PackContext) -> None:
    append_row(sheet, ["ref", "title", "period", "current", "target", "rating"])
    for r in context.appendix:
        append_row(sheet, [r.ref, r.title, r.period, r.current, r.target,
                           r.rating_label or (r.rating.label if r.rating else _("Not rated"))])  # fmt: skip
    _tidy(sheet, {"title": 50})
