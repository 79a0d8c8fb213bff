"""The data behind the report as a workbook: one row per indicator, the history
of each, and the data-quality findings. Numbers are numbers (with the
indicator's decimals as their format), so the sheet can be filtered and charted."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from perfreport.core.text import printable
from perfreport.core.units import Unit, affixes
from perfreport.data.present import FIELDS
from perfreport.imports.spreadsheet import append_row
from perfreport.reports.context import IndicatorSection, ReportContext, as_parts
from perfreport.reports.language import in_language

NUMBER_FIELDS = {
    "value", "previous_value", "last_year_value", "target", "neighbours_mean",
    "neighbours_median", "national_value",
}  # fmt: skip


def render_xlsx(context: ReportContext | Sequence[ReportContext]) -> bytes:
    """The workbook; a bilingual one has the Welsh sheets, then the English.
    Sheet names, labels and notes are in the report's language; the column
    names are the data's own (as in the CSV exports), in every language."""
    parts = as_parts(context)
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    for part in parts:
        with in_language(part.language):
            _sheets(workbook, part, first)
        first = None
    workbook.properties.title = " / ".join(printable(p.document_title) for p in parts)
    workbook.properties.creator = printable(parts[0].cover.organisation) or "perfreport"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheets(workbook: Workbook, context: ReportContext, first: Worksheet | None) -> None:
    about = first or workbook.create_sheet()
    about.title = _("About")
    _about(about, context)
    _key(workbook.create_sheet(_("Key")), context)
    _indicators(workbook.create_sheet(_("Indicators")), context)
    _history(workbook.create_sheet(_("History")), context)
    _findings(workbook.create_sheet(_("Findings")), context)
    if context.plan is not None and "plan" in context.settings.sections:
        from perfreport.reports.xlsx_plan import plan_sheets  # it uses this module's _tidy

        plan_sheets(workbook, context.plan)


def _about(sheet: Worksheet, context: ReportContext) -> None:
    cover = context.cover
    rows = [
        (_("Report"), cover.title),
        (_("Organisation"), cover.organisation),
        (_("Period"), f"{cover.period_heading}, {cover.financial_year} ({context.period.label})"),
        (_("Directorate"), cover.directorate),
        (_("Produced on"), cover.produced_on),
        (_("Produced by"), cover.team),
        (_("Contact"), cover.contact),
        (_("Indicators"), str(len(context.sections))),
        (_("Sheets"), _("Key: what each rating means; Indicators: one row per indicator as "
                        "evaluated for the period; History: every value shown in the trend charts; "
                        "Findings: data-quality findings. With a plan: Plan, one row per outcome "
                        "and indicator and per outcome and action; Plan roll-up, each priority's "
                        "and outcome's status.")),
    ]  # fmt: skip
    for label, value in rows:
        append_row(sheet, [label, value])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 90
    for row in sheet.iter_rows():
        row[1].alignment = Alignment(wrap_text=True, vertical="top")


def _key(sheet: Worksheet, context: ReportContext) -> None:
    """The Key as the report prints it: the organisation's ratings, then the
    indicators rated by another scheme."""
    append_row(sheet, ["rating", "label", "symbol", "meaning"])
    for line in context.key.ratings:
        append_row(sheet, [line.rating.value, line.label, line.symbol, line.meaning])
    _tidy(sheet, {"meaning": 90})
    if context.key.variations:
        append_row(sheet, [])
        append_row(sheet, [_("Indicators rated by another scheme")])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        for text in context.key.variations:
            append_row(sheet, [text])


def _number_format(section: IndicatorSection) -> str:
    """The cell's format: the indicator's decimals and its unit as printed,
    around a number that stays a number (``"£"#,##0.0"m"``, ``#,##0" days"``)."""
    decimals = int(section.data.get("decimals", 1))
    body = "#,##0" + ("." + "0" * decimals if decimals else "")
    prefix, suffix = affixes(section.chart.unit_format)
    if section.chart.unit is Unit.STARS:
        suffix = ""  # stars are a plain number, as the report's "(Stars)" columns
    return _literal(prefix) + body + _literal(suffix)


def _literal(text: str) -> str:
    """Text shown as it is in a number format: quoted, with no quote inside."""
    return f'"{text.replace(chr(34), "")}"' if text else ""


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _indicators(sheet: Worksheet, context: ReportContext) -> None:
    append_row(sheet, list(FIELDS))
    for section in context.sections:
        append_row(sheet, [_cell(section.data.get(name)) for name in FIELDS])
        number_format = _number_format(section)
        for index, name in enumerate(FIELDS, start=1):
            if name in NUMBER_FIELDS:
                sheet.cell(sheet.max_row, index).number_format = number_format
    _tidy(sheet, {"title": 50, "explanation": 80, "display_value": 14, "display_target": 14})


def _history(sheet: Worksheet, context: ReportContext) -> None:
    append_row(
        sheet, ["ref", "title", "period", "value", "target", "display_value", "display_target"]
    )
    for section in context.sections:
        number_format = _number_format(section)
        for row in reversed(section.history):
            append_row(sheet, [section.ref, section.title, row.period_label, _cell(row.value_number),
                          _cell(row.target_number), row.value, row.target])  # fmt: skip
            sheet.cell(sheet.max_row, 4).number_format = number_format
            sheet.cell(sheet.max_row, 5).number_format = number_format
    _tidy(sheet, {"title": 50})


def _findings(sheet: Worksheet, context: ReportContext) -> None:
    append_row(sheet, ["ref", "code", "severity", "message"])
    for finding in context.findings:
        append_row(
            sheet, [finding.ref, finding.code.value, finding.severity.value, finding.message]
        )
    _tidy(sheet, {"message": 100})


def _tidy(sheet: Worksheet, widths: dict[str, int]) -> None:
    """Bold, frozen, filterable header; sensible widths."""
    header = [cell.value for cell in sheet[1]]
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(str(name), 14)
