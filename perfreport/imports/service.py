"""``import_path`` and ``export_path``: what ``perfreport import`` and
``perfreport export`` (and later the web app) call."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.db import DatabaseError

from perfreport.data.models import Observation
from perfreport.imports.load import Summary, apply_plan
from perfreport.imports.problems import ImportFailed, Level, Problem
from perfreport.imports.tables import read_source
from perfreport.imports.validate import Checker, KnownIndicator, check_tables
from perfreport.registry.models import Indicator, Organisation
from perfreport.registry.periods import fy_start_month


def import_path(
    path: Path,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Summary, list[Problem]]:
    """Import a folder of CSV files or a workbook: all of it, or nothing.

    Returns the summary and the warnings; raises :class:`ImportFailed` with
    every problem found (errors and warnings) when anything is wrong.
    ``progress(done, total)`` is called as values are written.
    """
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
    if checker.failed:
        raise ImportFailed(checker.problems, checker.error_count)
    total = len(plan.values)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    try:
        summary = apply_plan(plan, advance)
    except DatabaseError as error:
        raise ImportFailed(
            [*checker.problems, Problem(str(path), f"the database refused the import: {error}")]
        ) from None
    return summary, [p for p in checker.problems if p.level is Level.WARNING]


def value_count() -> int:
    return Observation.objects.count()
