"""``import_path`` and ``export_path``: what ``perfreport import`` and
``perfreport export`` (and later the web app) call."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction

from perfreport.data.models import BenchmarkValue, Observation
from perfreport.data.versions import bump_data_version
from perfreport.imports.benchmarks import (
    LoadReport,
    Progress,
    count_lines,
    csv_header,
    csv_rows,
    header_problems,
    load_rows,
    parquet_rows,
)
from perfreport.imports.columns import BENCHMARKS
from perfreport.imports.lait import LaitFiles, find_lait_files, import_lait
from perfreport.imports.load import Summary, apply_plan
from perfreport.imports.problems import ImportFailed, Level, Problem
from perfreport.imports.tables import read_source
from perfreport.imports.validate import Checker, KnownIndicator, check_tables
from perfreport.registry.models import Indicator, Organisation
from perfreport.registry.periods import fy_start_month


def import_path(
    path: Path,
    progress: Progress | None = None,
) -> tuple[Summary, list[Problem]]:
    """Import a folder of CSV files or a workbook: all of it, or nothing.

    A folder may also hold ``benchmarks.csv`` or ``benchmarks.parquet``
    (streamed, for national files), or be a folder of LAIT files.
    Returns the summary and the warnings; raises :class:`ImportFailed` with
    every problem found (errors and warnings) when anything is wrong.
    ``progress(done, total, what)`` is called as rows are read and written.
    """
    lait = find_lait_files(path)
    if lait is not None:
        return _import_lait(lait, progress), []
    try:
        tables, problems = read_source(path)
    except FileNotFoundError as error:
        raise ImportFailed([Problem(str(path), str(error).removeprefix(f"{path}: "))]) from None
    known = {
        ref: KnownIndicator(frequency, unit, basis)
        for ref, frequency, unit, basis in Indicator.objects.values_list(
            "ref", "frequency", "unit", "rating_basis"
        )
    }
    organisations = dict(Organisation.objects.values_list("code", "is_home"))
    home = next((code for code, is_home in organisations.items() if is_home), None)
    checker = Checker(known, set(organisations), fy_start_month(), home)
    checker.problems.extend(problems)
    plan = check_tables(tables, checker)
    benchmarks = _benchmarks_file(path)
    if benchmarks is not None:
        checker.problems.extend(header_problems(*benchmarks, BENCHMARKS.required))
    if checker.failed:
        raise ImportFailed(checker.problems, checker.error_count)
    total = len(plan.values)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total, "Writing values")

    try:
        with transaction.atomic():
            summary = apply_plan(plan, advance)
            if benchmarks is not None:
                _load_benchmarks(path / benchmarks[0], summary, progress)
            if summary.changed:
                bump_data_version()
    except DatabaseError as error:
        raise ImportFailed(
            [*checker.problems, Problem(str(path), f"the database refused the import: {error}")]
        ) from None
    return summary, [p for p in checker.problems if p.level is Level.WARNING]


def _benchmarks_file(path: Path) -> tuple[str, list[str]] | None:
    """The name and header of the folder's benchmarks file, if it has one."""
    if not path.is_dir():
        return None
    for name in ("benchmarks.csv", "benchmarks.parquet"):
        if (path / name).exists():
            if name.endswith(".csv"):
                return name, csv_header(path / name)
            return name, parquet_rows(path / name)[0]
    return None


def _load_benchmarks(path: Path, summary: Summary, progress: Progress | None) -> None:
    if path.suffix == ".csv":
        rows, total = csv_rows(path), count_lines(path)
    else:
        _, total, rows = parquet_rows(path)
    before = BenchmarkValue.objects.count()
    report, problems = load_rows(rows, path.name, total, progress)
    if problems:
        raise ImportFailed(problems)
    _count_benchmarks(summary, report, BenchmarkValue.objects.count() - before)


@dataclass
class LaitSummary(Summary):
    """A summary with the lines a LAIT import writes of what it read."""

    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [*self.notes, *super().lines()]


def _import_lait(files: LaitFiles, progress: Progress | None) -> Summary:
    summary = LaitSummary()
    before = BenchmarkValue.objects.count()
    try:
        with transaction.atomic():
            lines, report = import_lait(files, progress)
            bump_data_version()
    except DatabaseError as error:
        raise ImportFailed(
            [Problem(str(files.bulk), f"the database refused the import: {error}")]
        ) from None
    summary.notes.extend(lines)
    _count_benchmarks(summary, report, BenchmarkValue.objects.count() - before)
    return summary


def _count_benchmarks(summary: Summary, report: LoadReport, created: int) -> None:
    summary.add("benchmark values", "created", created)
    summary.add("benchmark values", "updated", report.written - created)
    kept = report.rows - report.written - sum(report.skipped_periods.values())
    summary.add("benchmark values", "unchanged", kept)


def value_count() -> int:
    return Observation.objects.count()
