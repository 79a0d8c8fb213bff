"""Read a folder of CSV files or one .xlsx workbook into plain tables of text.

A table is its header and its rows as dicts of stripped text (``""`` for an
empty cell), each with the row number a spreadsheet would show. Encoding:
UTF-8 (with or without a byte-order mark); a file that is not UTF-8 is read
as Windows-1252, the superset of Latin-1 that Excel writes, with a warning.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from perfreport.core.units import plain
from perfreport.imports.problems import Level, Problem

SHEETS = ("organisations", "schemes", "groups", "indicators", "targets", "values", "commentary")
# Read by the benchmark loader a row at a time (a national file may hold
# millions), never into a Table; a folder holding one is not a stranger.
STREAMED = ("benchmarks.csv", "benchmarks.parquet")


@dataclass
class Table:
    name: str  # the sheet name: "values"
    label: str  # what messages call it: "values.csv" or "data.xlsx, sheet values"
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def read_source(path: Path) -> tuple[dict[str, Table], list[Problem]]:
    """The tables found at ``path`` (a folder of CSV files or a workbook)."""
    if path.is_dir():
        return _read_folder(path)
    if path.suffix.lower() == ".xlsx":
        return _read_workbook(path)
    if path.suffix.lower() == ".csv":
        raise FileNotFoundError(f"{path}: give the folder that holds the CSV files, not one file")
    raise FileNotFoundError(f"{path}: expected a folder of CSV files or an .xlsx workbook")


def _read_folder(folder: Path) -> tuple[dict[str, Table], list[Problem]]:
    tables: dict[str, Table] = {}
    problems: list[Problem] = []
    names = {p.name.lower(): p for p in sorted(folder.iterdir())}
    files = {lower: p for lower, p in names.items() if p.suffix.lower() == ".csv"}
    for name in SHEETS:
        path = files.get(f"{name}.csv")
        if path is not None:
            table, found = _read_csv(path, name)
            problems.extend(found)
            if table is not None:
                tables[name] = table
    known = {f"{name}.csv" for name in SHEETS} | set(STREAMED)
    others = [p.name for lower, p in files.items() if lower not in known]
    problems.extend(_unknown(folder.name, "file", others, (*SHEETS, "benchmarks")))
    if not known & names.keys():
        problems.append(
            Problem(
                folder.name,
                "holds neither indicators.csv nor values.csv, nor any other file perfreport "
                "reads: nothing to import",
            )
        )
    return tables, problems


def _decode(path: Path) -> tuple[str, list[Problem]]:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        warning = Problem(
            path.name,
            f"is not UTF-8 (byte {error.start + 1} is 0x{raw[error.start]:02x}); read it as "
            "Windows-1252 (Latin-1). Save it as 'CSV UTF-8' to be sure of every character.",
            level=Level.WARNING,
        )
        return raw.decode("cp1252", errors="replace"), [warning]


def _read_csv(path: Path, name: str) -> tuple[Table | None, list[Problem]]:
    text, problems = _decode(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        problems.append(Problem(path.name, "is empty: expected a header row and then data rows"))
        return None, problems
    except csv.Error as error:
        problems.append(Problem(path.name, f"is not readable as CSV: {error}", row=1))
        return None, problems
    table = Table(name, path.name, [h.strip().lower() for h in header])
    # Rows are numbered as a spreadsheet shows them (one per record, the header
    # is row 1), not as lines: a cell may hold several lines of commentary.
    number = 1
    try:
        for number, cells in enumerate(reader, start=2):
            _add_row(table, number, cells, problems)
    except csv.Error as error:
        problems.append(Problem(path.name, f"is not readable as CSV: {error}", row=number + 1))
    return table, problems


def _add_row(table: Table, number: int, cells: list[str], problems: list[Problem]) -> None:
    if not any(cell.strip() for cell in cells):
        return  # blank lines, common at the end of exported sheets
    if len(cells) > len(table.header) and any(c.strip() for c in cells[len(table.header) :]):
        problems.append(
            Problem(
                table.label,
                f"has {len(cells)} cells but the header has {len(table.header)} columns",
                row=number,
            )
        )
        return
    padded = cells + [""] * (len(table.header) - len(cells))
    table.rows.append((number, {h: c.strip() for h, c in zip(table.header, padded, strict=False)}))


def _read_workbook(path: Path) -> tuple[dict[str, Table], list[Problem]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise FileNotFoundError(f"{path}: not a readable .xlsx workbook ({error})") from None
    tables: dict[str, Table] = {}
    problems: list[Problem] = []
    names = {sheet.strip().lower(): sheet for sheet in workbook.sheetnames}
    for name in SHEETS:
        if name not in names:
            continue
        label = f"{path.name}, sheet {names[name]}"
        rows = workbook[names[name]].iter_rows()
        header_cells = next(rows, None)
        if header_cells is None or not any(c.value is not None for c in header_cells):
            problems.append(Problem(label, "is empty: expected a header row and then data rows"))
            continue
        table = Table(name, label, [_cell_text(c).strip().lower() for c in header_cells])
        for number, cells in enumerate(rows, start=2):
            _add_row(table, number, [_cell_text(c) for c in cells], problems)
        tables[name] = table
    workbook.close()
    for required in ("indicators", "values"):
        if required not in names:
            problems.append(
                Problem(
                    path.name,
                    f"has no sheet named {required!r} (sheets found: "
                    f"{', '.join(workbook.sheetnames) or 'none'}); a workbook needs the sheets "
                    "indicators and values, either of which may hold only its header row",
                )
            )
    others = [names[n] for n in names if n not in SHEETS]
    problems.extend(_unknown(path.name, "sheet", others, SHEETS))
    return tables, problems


def _unknown(where: str, kind: str, names: list[str], read: tuple[str, ...]) -> list[Problem]:
    expected = ", ".join(read)
    return [
        Problem(
            where,
            f"{kind} {name!r} is not one perfreport reads (it reads {expected}); ignored",
            level=Level.WARNING,
        )
        for name in names
    ]


def _cell_text(cell: Any) -> str:
    """Text of a workbook cell as Excel shows it: a number exactly, a cell
    formatted as a percentage as the percentage (0.9783 shown as 97.83%)."""
    value = getattr(cell, "value", None)
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number and "%" in (getattr(cell, "number_format", "") or ""):
        return plain(Decimal(repr(value)) * 100)
    return _value_text(value)


def _value_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, float):
        return plain(Decimal(repr(cell)))
    if isinstance(cell, datetime):
        # Excel turns "2020-09" typed in a cell into 1 September 2020.
        return f"{cell.year:04d}-{cell.month:02d}"
    if isinstance(cell, date):
        return f"{cell.year:04d}-{cell.month:02d}"
    return str(cell)
