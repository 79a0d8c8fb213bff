"""Problems found in an import, each pinned to a file, row and column."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from perfreport.core.text import escaped


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    message: str
    row: int | None = None  # as a spreadsheet numbers it: the header is row 1
    column: str | None = None
    value: str | None = None
    level: Level = Level.ERROR
    summary: bool = False  # "… and N more errors": not an error of its own

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        shown = f" {self.value!r}" if self.value not in (None, "") else ""
        prefix = "warning: " if self.level is Level.WARNING else ""
        # Names and cells from the file are in it: escaped, so that printed on
        # a terminal they cannot send it control sequences.
        return escaped(f"{prefix}{where}:{shown} {self.message}")


class ImportFailed(Exception):
    """An import that found errors and wrote nothing."""

    def __init__(self, problems: list[Problem], errors: int | None = None) -> None:
        self.problems = problems
        if errors is None:
            errors = sum(1 for p in problems if p.level is Level.ERROR)
        super().__init__(f"{errors} error(s); nothing was imported")
