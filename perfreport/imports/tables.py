"""Read a folder of CSV files or one .xlsx workbook into plain tables of text.

A table is its header and its rows as dicts of stripped text (``""`` for an
empty cell), each with the row number a spreadsheet would show. Encoding:
UTF-8 (with or without a byte-order mark); a file that is not UTF-8 is read
as Windows-1252, the superset of Latin-1 that Excel writes, with a warning.

Hostile and broken files are bounded (issue 13): a file over the size limit
is refused before it is read, and a workbook whose contents unpack to more
than it before openpyxl opens it; CSV is parsed strictly, so a quote left
open is an error naming its row instead of swallowing the rest of the file;
and a CSV file is decoded as it is read, never held whole as bytes and text.
The tables themselves are held in memory: the checks compare rows across
files (a target given twice, a value for an indicator new in the import).
"""

from __future__ import annotations

import codecs
import csv
import sys
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from perfreport.core.units import plain
from perfreport.imports.problems import Level, Problem

SHEETS = (
    "organisations", "schemes", "groups", "plan", "indicators", "targets", "values", "commentary",
    "actions", "milestones",
)  # fmt: skip
# Read by the benchmark loader a row at a time (a national file may hold
# millions), never into a Table; a folder holding one is not a stranger.
STREAMED = ("benchmarks.csv", "benchmarks.parquet")
# Read from the file each time the checks and the writes go through them
# (CsvRows), never held: the tables that grow with every period.
STREAMED_TABLES = ("values", "commentary")
DEFAULT_MAX_BYTES = 200_000_000
EXCEL_MAX_ROWS = 1_048_576  # the most rows a sheet can hold in Excel
CHUNK = 1 << 20  # bytes read at a time when checking a file's encoding
CELL_LIMIT = 131_072  # characters in a CSV cell: the csv module's own default
# Problem codes that callers (feeds) tell problems apart by, whatever the language.
NO_SHEET = "no_sheet_"  # and the sheet's name: no_sheet_indicators
UNKNOWN_SHEET = "unknown_sheet"
UNKNOWN_FILE = "unknown_file"


@dataclass(frozen=True, slots=True)
class Limits:
    """How big a file an import reads may be (``PERFREPORT_IMPORT_MAX_MB``)."""

    max_bytes: int = DEFAULT_MAX_BYTES  # a file's size, and a workbook's contents unpacked
    max_rows: int = EXCEL_MAX_ROWS  # rows of a workbook's sheet


Row = tuple[int, dict[str, str]]  # the row's number as a spreadsheet shows it, and its cells


@dataclass
class Table:
    name: str  # the sheet name: "values"
    label: str  # what messages call it: "values.csv" or "data.xlsx, sheet values"
    header: list[str]
    rows: list[Row] | CsvRows = field(default_factory=list)


class CsvRows:
    """The rows of a CSV file read afresh from the file each time they are
    gone through, never held: values.csv and commentary.csv may be big.
    ``clean`` (set by the text rule) is applied to each row's cells; the
    problems of the file were reported by the first reading
    (:func:`_read_csv`), so a later one passes over the rows they name."""

    def __init__(self, path: Path, encoding: str, header: list[str], count: int) -> None:
        self.path, self.encoding, self.header, self.count = path, encoding, header, count
        self.clean: Callable[[int, dict[str, str]], dict[str, str]] | None = None

    def __iter__(self) -> Iterator[Row]:
        with (
            self.path.open(encoding=self.encoding, errors="replace", newline="") as handle,
            _cells_up_to(sys.maxsize),
        ):
            reader = csv.reader(handle, strict=True)
            try:
                next(reader)  # the header
                for number, cells in enumerate(reader, start=2):
                    row = _row(self.header, "", number, cells, [])
                    if row is not None:
                        yield number, self.clean(number, row) if self.clean else row
            except (csv.Error, StopIteration):
                return  # reported by the first reading

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0


def read_source(path: Path, limits: Limits = Limits()) -> tuple[dict[str, Table], list[Problem]]:
    """The tables found at ``path`` (a folder of CSV files or a workbook)."""
    if path.is_dir():
        return _read_folder(path, limits)
    if path.suffix.lower() == ".xlsx":
        return _read_workbook(path, limits)
    if path.suffix.lower() == ".csv":
        said = _("%(path)s: give the folder that holds the CSV files, not one file")
        raise FileNotFoundError(said % {"path": path})
    said = _("%(path)s: expected a folder of CSV files or an .xlsx workbook")
    raise FileNotFoundError(said % {"path": path})


def _read_folder(folder: Path, limits: Limits) -> tuple[dict[str, Table], list[Problem]]:
    tables: dict[str, Table] = {}
    problems: list[Problem] = []
    names = {p.name.lower(): p for p in sorted(folder.iterdir())}
    files = {lower: p for lower, p in names.items() if p.suffix.lower() == ".csv"}
    too_big = [
        _too_big(path.name, False, size, limits)
        for name in SHEETS
        if (path := files.get(f"{name}.csv")) is not None
        and (size := path.stat().st_size) > limits.max_bytes
    ]
    if too_big:
        return tables, too_big
    for name in SHEETS:
        path = files.get(f"{name}.csv")
        if path is not None:
            table, found = _read_csv(path, name)
            problems.extend(found)
            if table is not None:
                tables[name] = table
    known = {f"{name}.csv" for name in SHEETS} | set(STREAMED)
    others = [p.name for lower, p in files.items() if lower not in known]
    problems.extend(_unknown(folder.name, UNKNOWN_FILE, others, (*SHEETS, "benchmarks")))
    if not known & names.keys():
        problems.append(
            Problem(
                folder.name,
                _(
                    "holds neither indicators.csv nor values.csv, nor any other file perfreport "
                    "reads: nothing to import"
                ),
            )
        )
    return tables, problems


def _too_big(label: str, unpacked: bool, size: int, limits: Limits) -> Problem:
    said = (
        _(
            "unpacks to %(size)s, over the limit of %(limit)s for a file to import (the "
            "setting PERFREPORT_IMPORT_MAX_MB); refused without reading it"
        )
        if unpacked
        else _(
            "is %(size)s, over the limit of %(limit)s for a file to import (the setting "
            "PERFREPORT_IMPORT_MAX_MB); refused without reading it"
        )
    )
    return Problem(label, said % {"size": _size(size), "limit": _size(limits.max_bytes)})


def _size(count: int) -> str:
    if count >= 100_000:
        return _("%(size)s MB") % {"size": f"{count / 1_000_000:,.1f}"}
    return _("%(size)s bytes") % {"size": f"{count:,}"}


def _encoding(path: Path) -> tuple[str, list[Problem]]:
    """UTF-16 when the file starts with its byte-order mark (as some
    spreadsheets save "Unicode" text); UTF-8, or else Windows-1252 with a
    warning naming the first byte that is not UTF-8; found a chunk at a time,
    so the file is never held whole."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as handle:
        if handle.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            return "utf-16", []
        handle.seek(0)
        while True:
            chunk = handle.read(CHUNK)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                # error.object is the bytes the decoder held back, then chunk.
                at = offset - (len(error.object) - len(chunk)) + error.start
                warning = Problem(
                    path.name,
                    _(
                        "is not UTF-8 (byte %(at)s is 0x%(byte)s); read it as Windows-1252 "
                        "(Latin-1). Save it as 'CSV UTF-8' to be sure of every character."
                    )
                    % {"at": at + 1, "byte": f"{error.object[error.start]:02x}"},
                    level=Level.WARNING,
                )
                return "cp1252", [warning]
            if not chunk:
                return "utf-8-sig", []
            offset += len(chunk)


def _read_csv(path: Path, name: str) -> tuple[Table | None, list[Problem]]:
    """The file's table and problems. values.csv and commentary.csv are read
    through here once for their problems and then streamed (:class:`CsvRows`);
    the other files, the register, are kept."""
    encoding, problems = _encoding(path)
    keep = name not in STREAMED_TABLES
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        table = _parse_csv(handle, Table(name, path.name, []), problems, keep=keep)
    return table, problems


def _parse_csv(
    handle: IO[str], table: Table, problems: list[Problem], *, keep: bool = True
) -> Table | None:
    """The table, its header filled in; None if even the header cannot be read.
    Strict: a quote must close, and a closing quote end its cell. Unless
    ``keep``, each row is checked and counted but not kept: ``table.rows``
    reads them from the file again when they are gone through."""
    with _cells_up_to(sys.maxsize):
        found, counted = _parse_rows(csv.reader(handle, strict=True), table, problems, keep)
    if found is not None and not keep:
        found.rows = CsvRows(
            Path(handle.name), getattr(handle, "encoding", ""), found.header, counted
        )
    return found


@contextmanager
def _cells_up_to(size: int) -> Iterator[None]:
    """The csv module's own cap on a cell (131,072 characters) raised while a
    file is read: the file's size is already bounded, and a long cell is then
    an error of :func:`_row`, which can name its column."""
    before = csv.field_size_limit(size)
    try:
        yield
    finally:
        csv.field_size_limit(before)


def _parse_rows(
    reader: Any, table: Table, problems: list[Problem], keep: bool
) -> tuple[Table | None, int]:
    # Rows are numbered as a spreadsheet shows them (one per record, the header
    # is row 1), not as lines: a cell may hold several lines of commentary.
    number = line = 0  # the last record read, and the line of the file it ended on
    counted = 0  # the rows with no problem
    try:
        for number, cells in enumerate(reader, start=1):
            if number == 1:
                table.header = [h.strip().lower() for h in cells]
            elif (row := _row(table.header, table.label, number, cells, problems)) is not None:
                counted += 1
                if keep:
                    assert isinstance(table.rows, list)
                    table.rows.append((number, row))
            line = reader.line_num
    except csv.Error as error:
        problems.append(_unreadable(table.label, number + 1, line + 1, error))
        return (table if number >= 1 else None), counted
    if number == 0:
        problems.append(
            Problem(table.label, _("is empty: expected a header row and then data rows"))
        )
        return None, 0
    return table, counted


def _unreadable(label: str, row: int, line: int, error: csv.Error) -> Problem:
    said = str(error)
    if "end of data" in said:
        message = _(
            'a quote (") opens a cell in this row (line %(line)s of the file) and is never '
            "closed, so the rest of the file would be one cell: close it, and write a quote "
            'inside a cell as two ("")'
        ) % {"line": line}
    else:
        message = _("is not readable as CSV from line %(line)s of the file: %(error)s") % {
            "line": line,
            "error": said,
        }
    return Problem(label, message, row=row)


def _row(
    header: list[str], label: str, number: int, cells: list[str], problems: list[Problem]
) -> dict[str, str] | None:
    """A row's cells by column, stripped; None for a blank row and for one
    with a problem (added to ``problems``)."""
    if not any(cell.strip() for cell in cells):
        return None  # blank lines, common at the end of exported sheets
    if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
        problems.append(
            Problem(
                label,
                _("has %(cells)s cells but the header has %(columns)s columns")
                % {"cells": len(cells), "columns": len(header)},
                row=number,
            )
        )
        return None
    for column, cell in zip(header, cells, strict=False):
        if len(cell) > CELL_LIMIT:
            problems.append(
                Problem(
                    label,
                    _(
                        "a cell of %(length)s characters, more than the %(limit)s a cell "
                        'may hold: is a quote (") that opens it never closed?'
                    )
                    % {"length": f"{len(cell):,}", "limit": f"{CELL_LIMIT:,}"},
                    row=number,
                    column=column or None,
                )
            )
            return None
    padded = cells + [""] * (len(header) - len(cells))
    return {h: c.strip() for h, c in zip(header, padded, strict=False)}


def _read_workbook(path: Path, limits: Limits) -> tuple[dict[str, Table], list[Problem]]:
    if (size := path.stat().st_size) > limits.max_bytes:
        return {}, [_too_big(path.name, False, size, limits)]
    try:
        unpacked = _unpacked_size(path)
    except (zipfile.BadZipFile, OSError) as error:
        said = _("%(path)s: not a readable .xlsx workbook (%(error)s)")
        raise FileNotFoundError(said % {"path": path, "error": error}) from None
    if unpacked > limits.max_bytes:
        return {}, [_too_big(path.name, True, unpacked, limits)]
    # Imported only now: a refusal need not wait for openpyxl to load.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        said = _("%(path)s: not a readable .xlsx workbook (%(error)s)")
        raise FileNotFoundError(said % {"path": path, "error": error}) from None
    tables: dict[str, Table] = {}
    problems: list[Problem] = []
    names = {sheet.strip().lower(): sheet for sheet in workbook.sheetnames}
    for name in SHEETS:
        if name not in names:
            continue
        label = _("%(file)s, sheet %(sheet)s") % {"file": path.name, "sheet": names[name]}
        rows = workbook[names[name]].iter_rows()
        header_cells = next(rows, None)
        if header_cells is None or not any(c.value is not None for c in header_cells):
            problems.append(Problem(label, _("is empty: expected a header row and then data rows")))
            continue
        table = Table(name, label, [_cell_text(c).strip().lower() for c in header_cells])
        for number, cells in enumerate(rows, start=2):
            if number > limits.max_rows:
                problems.append(_too_many_rows(label, limits))
                break
            row = _row(table.header, label, number, [_cell_text(c) for c in cells], problems)
            if row is not None:
                assert isinstance(table.rows, list)
                table.rows.append((number, row))
        tables[name] = table
    workbook.close()
    for required in ("indicators", "values"):
        if required not in names:
            problems.append(
                Problem(
                    path.name,
                    (
                        _(
                            "has no sheet named %(sheet)s (sheets found: %(found)s); a workbook "
                            "needs the sheets indicators and values, either of which may hold "
                            "only its header row"
                        )
                        if workbook.sheetnames
                        else _(
                            "has no sheet named %(sheet)s (sheets found: none); a workbook "
                            "needs the sheets indicators and values, either of which may hold "
                            "only its header row"
                        )
                    )
                    % {"sheet": repr(required), "found": ", ".join(workbook.sheetnames)},
                    code=NO_SHEET + required,
                )
            )
    others = [names[n] for n in names if n not in SHEETS]
    problems.extend(_unknown(path.name, UNKNOWN_SHEET, others, SHEETS))
    return tables, problems


def _unpacked_size(path: Path) -> int:
    """What a workbook's parts add up to unpacked, as its zip directory says:
    zipfile stops reading a part at the size given there, so a part cannot
    unpack to more than this."""
    with zipfile.ZipFile(path) as archive:
        return sum(member.file_size for member in archive.infolist())


def _too_many_rows(label: str, limits: Limits) -> Problem:
    return Problem(
        label,
        _(
            "has more than %(rows)s rows, the most a sheet may have; "
            "the rows after that were not read"
        )
        % {"rows": f"{limits.max_rows:,}"},
        row=limits.max_rows + 1,
    )


def _unknown(where: str, kind: str, names: list[str], read: tuple[str, ...]) -> list[Problem]:
    said = (
        _("sheet %(name)s is not one perfreport reads (it reads %(expected)s); ignored")
        if kind == UNKNOWN_SHEET
        else _("file %(name)s is not one perfreport reads (it reads %(expected)s); ignored")
    )
    expected = ", ".join(read)
    return [
        Problem(
            where,
            said % {"name": repr(name), "expected": expected},
            level=Level.WARNING,
            code=kind,
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
