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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection

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
            f"{label}: {self.rows:,} rows for {len(self.measures):,} measures; "
            f"{self.written:,} values written"
        ]
        if self.missing:
            lines.append(f"{label}: {self.missing:,} values suppressed or missing, kept as missing")
        for period, count in sorted(self.skipped_periods.items()):
            lines.append(f"{label}: {count:,} rows skipped: period {period!r} names no year")
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
            self.problems.append(
                Problem(self.label, f"… and {more} more errors not shown", summary=True)
            )
        return self.problems


class StagingWriter:
    """Batches of benchmark rows into a temporary staging table, then into place."""

    def __init__(self) -> None:
        self.batch: list[tuple[Any, ...]] = []
        self.vendor = connection.vendor
        self._create()

    def add(self, row: int, values: tuple[Any, ...]) -> None:
        self.batch.append((row, *values))
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(
                    f"COPY {STAGING} (row_number, {', '.join(COLUMNS)}) FROM STDIN"
                ) as copy:
                    for record in self.batch:
                        copy.write_row(record)
            else:
                marks = ", ".join(["%s"] * (len(COLUMNS) + 1))
                cursor.executemany(
                    f"INSERT INTO {STAGING} (row_number, {', '.join(COLUMNS)}) VALUES ({marks})",
                    self.batch,
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
        """Upsert the staged rows into the benchmark table; the number of rows."""
        self.flush()
        table = connection.ops.quote_name(BenchmarkValue._meta.db_table)
        columns = ", ".join(COLUMNS)
        kept = ("last_month", "value", "numerator", "denominator")
        updates = ", ".join(f"{name} = excluded.{name}" for name in kept)
        # Only rows whose figures differ are rewritten (and counted as written).
        differs = "IS DISTINCT FROM" if self.vendor == "postgresql" else "IS NOT"
        changed = " OR ".join(f"{table}.{name} {differs} excluded.{name}" for name in kept)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {STAGING} WHERE true "
                f"ON CONFLICT (measure_id, organisation_id, period) DO UPDATE SET {updates} "
                f"WHERE {changed}"
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
        for pk, code, _ in Organisation.objects.values_list("pk", "code", "la_number"):
            self.organisations[code] = pk  # a code wins over an LA number
        self.measures = dict(Measure.objects.values_list("code", "pk"))
        self.year_types = dict(Measure.objects.values_list("pk", "period_type"))
        self.local: dict[str, Indicator] = {
            i.ref: i for i in Indicator.objects.only("ref", "title", "polarity", "national_code")
        }
        self.national_codes = {i.national_code: i for i in self.local.values() if i.national_code}
        self._last_months: dict[tuple[str, int], int | None] = {}

    def measure(self, name: str) -> int | None:
        """The measure a benchmarks file's ``indicator`` names: a national code,
        or a local ref (stored under its national code when it has one)."""
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


def load_rows(
    rows: Iterator[tuple[int, dict[str, str]]],
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
            progress(report.rows, total, "Reading benchmark values")
    if not errors.count:
        for first, again in writer.duplicates():
            errors.add(
                f"repeats organisation, indicator and period of row {first}", again, None, None
            )
    if errors.count:
        return report, errors.close()
    if progress:
        progress(report.rows, total, "Writing benchmark values")
    report.written = writer.move_into_place()
    return report, []


def _check_row(
    row: int,
    cells: dict[str, str],
    resolver: Resolver,
    errors: ErrorLog,
    report: LoadReport,
    skip_unknown_periods: bool,
) -> tuple[Any, ...] | None:
    organisation = resolver.organisations.get(cells.get("organisation", ""))
    if organisation is None:
        code = cells.get("organisation", "")
        message = "is required" if not code else "is not a known organisation code or LA number"
        errors.add(message, row, "organisation", code)
    name = cells.get("indicator", "")
    measure = resolver.measure(name) if name else None
    if measure is None:
        message = "is required" if not name else "is not an indicator ref or a national code"
        errors.add(message, row, "indicator", name)
    period = cells.get("period", "")
    if not period or len(period) > MAX_PERIOD:
        errors.add(f"is required, at most {MAX_PERIOD} characters", row, "period", period)
        return None
    numbers = []
    for column in ("value", "numerator", "denominator"):
        try:
            numbers.append(parse_published_number(cells.get(column, "")))
        except ValueError as error:
            errors.add(str(error), row, column, cells.get(column))
            return None
    if organisation is None or measure is None:
        return None
    last_month = resolver.last_month(period, measure)
    if last_month is None and skip_unknown_periods:
        report.skipped_periods[period] = report.skipped_periods.get(period, 0) + 1
        return None
    if last_month is None:
        errors.add(
            "names no year: expected a period such as 2019/20, 2020/21 Q2, 2019 or 2014-16",
            row,
            "period",
            period,
        )
        return None
    report.measures.add(measure)
    if numbers[0] is None:
        report.missing += 1
    return (measure, organisation, period, last_month, *numbers)


def csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV file as {column: text}, numbered as a spreadsheet shows them."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [h.strip().lower() for h in next(reader, [])]
        for number, cells in enumerate(reader, start=2):
            if any(cells):
                yield number, dict(zip(header, (c.strip() for c in cells), strict=False))


def csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [h.strip().lower() for h in next(csv.reader(handle), [])]


def parquet_rows(path: Path) -> tuple[list[str], int, Iterator[tuple[int, dict[str, str]]]]:
    """The header, row count and rows of a Parquet file, read a batch at a time."""
    import pyarrow.parquet as pq

    source = pq.ParquetFile(path)
    header = [name.strip().lower() for name in source.schema_arrow.names]

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        number = 1
        for batch in source.iter_batches(batch_size=BATCH):
            columns = [_texts(column) for column in batch.columns]
            for cells in zip(*columns, strict=True):
                number += 1
                yield number, dict(zip(header, cells, strict=True))

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
    return [
        Problem(
            label,
            f"missing required column(s) {', '.join(missing)}; the header has "
            f"{', '.join(h for h in header if h) or 'nothing'}",
            row=1,
        )
    ]


def count_lines(path: Path) -> int:
    """Data rows in a CSV file, counted quickly for the progress bar."""
    with path.open("rb") as handle:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    return max(0, lines - 1)


__all__ = ["LoadReport", "csv_rows", "load_rows", "parquet_rows"]
