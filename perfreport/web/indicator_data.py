"""An indicator's data as a download: its definition and its full history,
as CSV or an Excel workbook (staff only; the public have the open data)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from perfreport.core.text import csv_row, printable
from perfreport.core.units import plain
from perfreport.data.models import Commentary, Observation
from perfreport.data.selectors import IndicatorEvaluation
from perfreport.imports.spreadsheet import append_row
from perfreport.web.indicator_page import history_lines

DEFINITION_COLUMNS = (
    "ref", "title", "unit", "unit_label", "decimals", "polarity", "frequency", "rating_basis",
    "directorate", "service", "owner", "source", "description",
)  # fmt: skip
HISTORY_COLUMNS = (
    "period", "value", "numerator", "denominator", "target", "rating", "commentary",
    "actions", "draft", "withheld",
)  # fmt: skip


def definition_record(row: IndicatorEvaluation) -> dict[str, Any]:
    ind, spec = row.indicator, row.evaluation.indicator
    return {
        "ref": spec.ref,
        "title": spec.title,
        "unit": spec.unit.value,
        "unit_label": spec.unit_label.text,
        "decimals": spec.decimals,
        "polarity": spec.polarity.value,
        "frequency": spec.frequency.value,
        "rating_basis": spec.rating_basis.value,
        "directorate": row.directorate,
        "service": row.service,
        "owner": ind.owner,
        "source": ind.source,
        "description": ind.description,
    }


def history_table(row: IndicatorEvaluation) -> list[dict[str, Any]]:
    """Every value up to the one shown, with its numerator and denominator,
    target, rating, commentary and actions, and whether it is a draft."""
    stored = {
        (frequency, first): (numerator, denominator, draft)
        for frequency, first, numerator, denominator, draft in Observation.objects.filter(
            indicator=row.indicator, organisation__is_home=True
        ).values_list("frequency", "first_month", "numerator", "denominator", "is_draft")
    }
    notes = {
        (frequency, first): (text, actions)
        for frequency, first, text, actions in Commentary.objects.filter(
            indicator=row.indicator
        ).values_list("frequency", "first_month", "text", "actions")
    }
    table = []
    for line in history_lines(row):
        key = (line.period.frequency.value, line.period.first_month)
        numerator, denominator, draft = stored.get(key, (None, None, False))
        rating = row.evaluation.indicator.scheme.label(line.rating) if line.rating else ""
        values = (line.period.label, line.value, numerator, denominator, line.target, rating)
        notes_and_draft = (*notes.get(key, ("", "")), "yes" if draft else "no")
        cells = (*values, *notes_and_draft, line.withheld)  # "c": printed instead of the value
        table.append(dict(zip(HISTORY_COLUMNS, cells, strict=True)))
    return table


def data_csv(row: IndicatorEvaluation) -> str:
    """The definition and the history in one tidy table: one row per value,
    the definition repeated on each, numbers exact and without units."""
    definition = definition_record(row)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(csv_row([*DEFINITION_COLUMNS[:2], *HISTORY_COLUMNS, *DEFINITION_COLUMNS[2:]]))
    for line in history_table(row):
        numbers = {k: _plain(line[k]) for k in ("value", "numerator", "denominator", "target")}
        history = [numbers.get(k, line[k]) for k in HISTORY_COLUMNS]
        writer.writerow(
            csv_row(
                [definition["ref"], definition["title"], *history]
                + [definition[k] for k in DEFINITION_COLUMNS[2:]]
            )
        )
    return buffer.getvalue()


def _plain(value: Decimal | None) -> str:
    return "" if value is None else plain(value)


def data_xlsx(row: IndicatorEvaluation) -> bytes:
    """A workbook: the definition on one sheet, the history (numbers as numbers,
    with the indicator's decimals) on another."""
    workbook = Workbook()
    about = workbook.active
    assert about is not None
    about.title = "Indicator"
    for field, value in definition_record(row).items():
        append_row(about, [field, value])
        about.cell(about.max_row, 1).font = Font(bold=True)
    about.column_dimensions["A"].width = 14
    about.column_dimensions["B"].width = 90
    for cells in about.iter_rows(min_col=2, max_col=2):
        cells[0].alignment = Alignment(wrap_text=True, vertical="top")
    history = workbook.create_sheet("History")
    append_row(history, list(HISTORY_COLUMNS))
    for cell in history[1]:
        cell.font = Font(bold=True)
    decimals = row.evaluation.indicator.decimals
    places = "#,##0" + ("." + "0" * decimals if decimals else "")  # as the indicator shows it
    for line in history_table(row):
        append_row(history, [line[k] for k in HISTORY_COLUMNS])
        for column in (2, 5):  # the value and the target
            history.cell(history.max_row, column).number_format = places
    history.freeze_panes = "A2"
    widths = (12, 10, 11, 12, 10, 10, 60, 60, 7, 10)
    for letter, width in zip("ABCDEFGHIJ", widths, strict=True):
        history.column_dimensions[letter].width = width
    workbook.properties.title = printable(f"Indicator {row.indicator.ref}: {row.indicator.title}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
