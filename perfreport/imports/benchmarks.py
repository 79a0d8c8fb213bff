"""Benchmark values at national scale, streamed.

A national file can hold millions of rows, so it is never held in memory:
rows are read one at a time, checked, and written in batches to a staging
table (``executemany`` on SQLite, ``COPY`` on PostgreSQL). When every row has
been read, rows given twice are looked for in the staging table, and then one
statement moves the rows into place, replacing the value for the same measure,
organisation and period. All of it runs inside the import's transaction, so a
file with any error leaves nothing behind.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perfreport.core.benchmarking import parse_published_number
from perfreport.core.published import published_last_month
from perfreport.data.models import BenchmarkValue
from perfreport.imports.problems import Problem
from perfreport.imports.validate import MAX_ERRORS_PER_FILE
from perfreport.registry.models import Indicator, Measure, Organisation

Progress = Callable[[int, int | None, str], None]
BATCH = 20_000
STAGING = "perfreport_benchmark_staging"
COLUMNS = ("measure_id", "organisation_id", "period", "last_month", "value", "numerator",
           "denominator")  # fmt: skip
MAX_PERIOD = 40


@dataclass
class LoadReport:
    """What a benchmark load read and wrote."""

    rows: int = 0
    written: int = 0
    missing: int = 0  # suppressed or empty values, kept as missing
    measures: set[int] = field(default_factory=set)
    skipped_periods: dict[str, int] = field(default_factory=dict)

    def lines(self, label: str) -> list[str]:
        lines = [
            _("%(file)s: %(rows)s rows for %(measures)s measures; %(written)s values written")
            % {
                "file": label,
                "rows": f"{self.rows:,}",
                "measures": f"{len(self.measures):,}",
                "written": f"{self.written:,}",
            }
        ]
        if self.missing:
            said = _("%(file)s: %(count)s values suppressed or missing, kept as missing")
            lines.append(said % {"file": label, "count": f"{self.missing:,}"})
        for period, count in sorted(self.skipped_periods.items()):
            said = _("%(file)s: %(count)s rows skipped: period %(period)s names no year")
            lines.append(said % {"file": label, "count": f"{count:,}", "period": repr(period)})
        return lines


class ErrorLog:
    """Problems of one file, at most MAX_ERRORS_PER_FILE shown and all counted."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.problems: list[Problem] = []
        self.count = 0

    def add(self, message: str, row: int | None, column: str | None, value: str | None) -> None:
        self.count += 1
        if self.count <= MAX_ERRORS_PER_FILE:
            self.problems.append(Problem(self.label, message, row, column, value))

    def close(self) -> list[Problem]:
        if self.count > MAX_ERRORS_PER_FILE:
            more = self.count - MAX_ERRORS_PER_FILE
            said = ngettext(
                "… and %(count)d more errors not shown",
                "… and %(count)d more errors not shown",
                more,
            ) % {"count": more}
            self.problems.append(Problem(self.label, said, summary=True))
        return self.problems


class StagingWriter:
    """Batches of benchmark rows into a temporary staging table, then into place."""

    def __init__(self) -> None:
        self.batch: list[Any] = []  # COPY lines on PostgreSQL, parameter tuples on SQLite
        self.vendor = connection.vendor
        self._create()

    def add(self, row: int, values: tuple[Any, ...]) -> None:
        if self.vendor == "postgresql":
            self.batch.append(_copy_line(row, values))
        else:
            self.batch.append((row, *values))
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        columns = f"row_number, {', '.join(COLUMNS)}"
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                # One block of COPY text a batch: far quicker than a call a row.
                with cursor.cursor.copy(f"COPY {STAGING} ({columns}) FROM STDIN") as copy:
                    copy.write("".join(self.batch))
            else:
                marks = ", ".join(["%s"] * (len(COLUMNS) + 1))
                cursor.executemany(
                    f"INSERT INTO {STAGING} ({columns}) VALUES ({marks})", self.batch
                )
        self.batch.clear()

    def duplicates(self, limit: int = MAX_ERRORS_PER_FILE) -> list[tuple[int, int]]:
        """(first row, repeated row) of keys given more than once."""
        self.flush()
        sql = (
            f"SELECT MIN(row_number), MAX(row_number) FROM {STAGING} "
            "GROUP BY measure_id, organisation_id, period HAVING COUNT(*) > 1 "
            f"ORDER BY MIN(row_number) LIMIT {int(limit)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return [(int(a), int(b)) for a, b in cursor.fetchall()]

    def move_into_place(self) -> int:
        """Upsert the staged rows into the benchmark table; the number written."""
        self.flush()
        table = connection.ops.quote_name(BenchmarkValue._meta.db_table)
        columns = ", ".join(COLUMNS)
        insert = f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {STAGING}"
        with connection.cursor() as cursor:
            # A measure loaded for the first time (a national file's usual case)
            # needs no conflict handling, which would double the time.
            cursor.execute(
                f"SELECT 1 FROM {table} WHERE measure_id IN "
                f"(SELECT DISTINCT measure_id FROM {STAGING}) LIMIT 1"
            )
            if cursor.fetchone() is None:
                cursor.execute(insert)
            else:
                kept = ("last_month", "value", "numerator", "denominator")
                updates = ", ".join(f"{name} = excluded.{name}" for name in kept)
                # Only rows whose figures differ are rewritten (and counted as written).
                differs = "IS DISTINCT FROM" if self.vendor == "postgresql" else "IS NOT"
                changed = " OR ".join(f"{table}.{name} {differs} excluded.{name}" for name in kept)
                cursor.execute(
                    f"{insert} WHERE true ON CONFLICT (measure_id, organisation_id, period) "
                    f"DO UPDATE SET {updates} WHERE {changed}"
                )
            written = cursor.rowcount
            cursor.execute(f"DROP TABLE {STAGING}")
        return int(written)

    def _create(self) -> None:
        number = "numeric" if self.vendor == "postgresql" else "decimal"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {STAGING} (row_number integer, measure_id integer, "
                f"organisation_id integer, period varchar({MAX_PERIOD}), last_month integer, "
                f"value {number}, numerator {number}, denominator {number})"
            )


class Resolver:
    """Organisation and measure ids for the codes a file names."""

    def __init__(self) -> None:
        self.organisations: dict[str, int] = {}
        for pk, _code, number in Organisation.objects.values_list("pk", "code", "la_number"):
            if number:
                self.organisations.setdefault(number, pk)
        for pk, code, _number in Organisation.objects.values_list("pk", "code", "la_number"):
            self.organisations[code] = pk  # a code wins over an LA number
        self.measures = dict(Measure.objects.values_list("code", "pk"))
        self.year_types = dict(Measure.objects.values_list("pk", "period_type"))
        self.local: dict[str, Indicator] = {
            i.ref: i for i in Indicator.objects.only("ref", "title", "polarity", "national_code")
        }
        self.national_codes = {i.national_code: i for i in self.local.values() if i.national_code}
        self._last_months: dict[tuple[str, int], int | None] = {}
        self._by_name: dict[str, int | None] = {}

    def measure(self, name: str) -> int | None:
        """The measure a benchmarks file's ``indicator`` names: a national code,
        or a local ref (stored under its national code when it has one)."""
        if name in self._by_name:
            return self._by_name[name]
        found = self._measure(name)
        self._by_name[name] = found
        return found

    def _measure(self, name: str) -> int | None:
        indicator = self.local.get(name)
        code = (indicator.national_code or indicator.ref) if indicator is not None else name
        pk = self.measures.get(code)
        if pk is not None:
            return pk
        linked = indicator or self.national_codes.get(code)
        if linked is None:
            return None
        measure = Measure.objects.create(code=code, title=linked.title, polarity=linked.polarity)
        self.measures[code] = measure.pk
        self.year_types[measure.pk] = ""
        return measure.pk

    def last_month(self, period: str, measure: int) -> int | None:
        key = (period, measure)
        if key not in self._last_months:
            self._last_months[key] = published_last_month(period, self.year_types[measure])
        return self._last_months[key]


# A row of a benchmarks file: its number and its cells in the order of BENCHMARKS.columns.
Cells = tuple[str, str, str, str, str, str]
Row = tuple[int, Cells]


def load_rows(
    rows: Iterator[Row],
    label: str,
    total: int | None,
    progress: Progress | None,
    skip_unknown_periods: bool = False,
) -> tuple[LoadReport, list[Problem]]:
    """Check and stage every row of a benchmarks file; move them into place
    only if no row had an error. With ``skip_unknown_periods`` (published
    national data, which has the odd stray label such as ``0``), a row whose
    period names no year is skipped and counted instead of refused."""
    resolver = Resolver()
    writer = StagingWriter()
    errors = ErrorLog(label)
    report = LoadReport()
    for row, cells in rows:
        report.rows += 1
        staged = _check_row(row, cells, resolver, errors, report, skip_unknown_periods)
        if staged is not None and not errors.count:
            writer.add(row, staged)
        if progress and report.rows % BATCH == 0:
            progress(report.rows, total, _("Reading benchmark values"))
    if not errors.count:
        for first, again in writer.duplicates():
            said = _("repeats organisation, indicator and period of row %(row)s")
            errors.add(said % {"row": first}, again, None, None)
    if errors.count:
        return report, errors.close()
    if progress:
        progress(report.rows, total, _("Writing benchmark values"))
    report.written = writer.move_into_place()
    return report, []


def _check_row(
    row: int,
    cells: Cells,
    resolver: Resolver,
    errors: ErrorLog,
    report: LoadReport,
    skip_unknown_periods: bool,
) -> tuple[Any, ...] | None:
    code, name, period, value, numerator, denominator = cells
    organisation = resolver.organisations.get(code)
    if organisation is None:
        message = (
            _("is required") if not code else _("is not a known organisation code or LA number")
        )
        errors.add(message, row, "organisation", code)
    measure = resolver.measure(name) if name else None
    if measure is None:
        message = _("is required") if not name else _("is not an indicator ref or a national code")
        errors.add(message, row, "indicator", name)
    if not period or len(period) > MAX_PERIOD:
        said = _("is required, at most %(most)s characters") % {"most": MAX_PERIOD}
        errors.add(said, row, "period", period)
        return None
    figures = []
    for column, text in (("value", value), ("numerator", numerator), ("denominator", denominator)):
        try:
            figures.append(_number(text))
        except ValueError as error:
            errors.add(str(error), row, column, text)
            return None
    if organisation is None or measure is None:
        return None
    last_month = resolver.last_month(period, measure)
    if last_month is None:
        if skip_unknown_periods:
            report.skipped_periods[period] = report.skipped_periods.get(period, 0) + 1
        else:
            errors.add(
                _("names no year: expected a period such as 2019/20, 2020/21 Q2, 2019 or 2014-16"),
                row,
                "period",
                period,
            )
        return None
    report.measures.add(measure)
    if figures[0] is None:
        report.missing += 1
    return (measure, organisation, period, last_month, *figures)


BENCHMARK_COLUMNS = ("organisation", "indicator", "period", "value", "numerator", "denominator")


# A plain number the database can read as it is: most published cells.
_PLAIN_NUMBER = re.compile(r"-?\d{1,14}(?:\.\d{1,6})?")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _number(text: str) -> str | Decimal | None:
    """A published cell as a number for the database (plain digits stay text,
    which both databases read exactly), None when missing or suppressed."""
    if _PLAIN_NUMBER.fullmatch(text):
        return text
    return parse_published_number(text)


def _copy_line(row: int, values: tuple[Any, ...]) -> str:
    """One row of COPY's text format: tab-separated, \\N for null."""
    measure, organisation, period, last_month, value, numerator, denominator = values
    return (
        f"{row}\t{measure}\t{organisation}\t{period.translate(_COPY_ESCAPES)}\t{last_month}\t"
        f"{_copy_value(value)}\t{_copy_value(numerator)}\t{_copy_value(denominator)}\n"
    )


def _copy_value(value: str | Decimal | None) -> str:
    return "\\N" if value is None else str(value)


def csv_rows(path: Path) -> Iterator[Row]:
    """Rows of a CSV file, numbered as a spreadsheet shows them, with their cells
    in the order of the benchmarks columns ("" for a column the file lacks)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [h.strip().lower() for h in next(reader, [])]
        at = [header.index(c) if c in header else None for c in BENCHMARK_COLUMNS]
        width = len(header)
        for number, cells in enumerate(reader, start=2):
            if not any(cells):
                continue
            if len(cells) < width:
                cells += [""] * (width - len(cells))
            yield (
                number,
                tuple(  # type: ignore[misc]
                    "" if i is None else cells[i].strip() for i in at
                ),
            )


def csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [h.strip().lower() for h in next(csv.reader(handle), [])]


def parquet_rows(path: Path) -> tuple[list[str], int, Iterator[Row]]:
    """The header, row count and rows of a Parquet file, read a batch at a time."""
    import pyarrow.parquet as pq

    source = pq.ParquetFile(path)
    header = [name.strip().lower() for name in source.schema_arrow.names]
    names = source.schema_arrow.names

    def rows() -> Iterator[Row]:
        number = 1
        wanted = [names[header.index(c)] for c in BENCHMARK_COLUMNS if c in header]
        for batch in source.iter_batches(batch_size=BATCH, columns=wanted):
            found = dict(zip([n.strip().lower() for n in wanted], batch.columns, strict=True))
            empty = [""] * batch.num_rows
            columns = [_texts(found[c]) if c in found else empty for c in BENCHMARK_COLUMNS]
            for cells in zip(*columns, strict=True):
                number += 1
                yield number, cells

    return header, source.metadata.num_rows, rows()


def _texts(column: Any) -> list[str]:
    return ["" if v is None else _text(v) for v in column.to_pylist()]


def _text(value: Any) -> str:
    if isinstance(value, float):
        return "" if value != value else repr(value)
    if isinstance(value, Decimal):
        return str(value)
    return str(value).strip()


def header_problems(label: str, header: list[str], required: tuple[str, ...]) -> list[Problem]:
    missing = [name for name in required if name not in header]
    if not missing:
        return []
    has = ", ".join(h for h in header if h)
    said = (
        _("missing required column(s) %(missing)s; the header has %(header)s")
        if has
        else _("missing required column(s) %(missing)s; the header has nothing")
    )
    return [Problem(label, said % {"missing": ", ".join(missing), "header": has}, row=1)]


def count_lines(path: Path) -> int:
    """Data rows in a CSV file, counted quickly for the progress bar."""
    with path.open("rb") as handle:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    return max(0, lines - 1)


__all__ = ["LoadReport", "csv_rows", "load_rows", "parquet_rows"]
