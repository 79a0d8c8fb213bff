"""Problems found in an import, each pinned to a file, row and column."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
    code: str = ""  # what kind of problem, for code that tells them apart (the text is translated)

    @property
    def where(self) -> str:
        """The file, row and column, in the reader's language: "values.csv, row
        3, column value" (the file's and the column's names as they are)."""
        if self.row is not None and self.column:
            where = _("%(file)s, row %(row)s, column %(column)s")
        elif self.row is not None:
            where = _("%(file)s, row %(row)s")
        elif self.column:
            where = _("%(file)s, column %(column)s")
        else:
            where = "%(file)s"
        return where % {"file": self.file, "row": self.row, "column": self.column}

    def __str__(self) -> str:
        shown = f" {self.value!r}" if self.value not in (None, "") else ""
        said = f"{self.where}:{shown} {self.message}"
        if self.level is Level.WARNING:
            said = _("warning: %(problem)s") % {"problem": said}
        # Names and cells from the file are in it: escaped, so that printed on
        # a terminal they cannot send it control sequences.
        return escaped(said)


class ImportFailed(Exception):
    """An import that found errors and wrote nothing."""

    def __init__(self, problems: list[Problem], errors: int | None = None) -> None:
        self.problems = problems
        if errors is None:
            errors = sum(1 for p in problems if p.level is Level.ERROR)
        super().__init__(
            ngettext(
                "%(count)d error(s); nothing was imported",
                "%(count)d error(s); nothing was imported",
                errors,
            )
            % {"count": errors}
        )
