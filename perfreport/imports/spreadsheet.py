"""Cells of every CSV and XLSX perfreport writes, safe to open in a spreadsheet.

OWASP's guidance on CSV injection, one rule for both formats
(:func:`perfreport.core.text.needs_guard`): text is made printable (a control
character stored before the text rule cannot stop a download) and is never a
formula. In a workbook such text is a string cell; in a CSV it gets one
leading ``'`` (:func:`perfreport.core.text.csv_row`), which the import takes off
again. Numbers stay numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from perfreport.core.text import printable

__all__ = ["append_row"]


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """``sheet.append(values)`` (a worksheet, write-only or not) with every
    text printable and a string cell: openpyxl would make text starting with
    ``=`` a formula and ``#N/A`` an error."""
    sheet.append([_xlsx_cell(sheet, value) for value in values])


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = printable(value)
    if text[:1] not in ("=", "#"):
        return text  # openpyxl keeps any other text a string
    from openpyxl.cell import WriteOnlyCell  # only for such text: the CLI starts fast

    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    return cell
