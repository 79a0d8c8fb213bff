"""Entering many figures at once: an owner's due figures in the open rounds,
saved together as drafts (the grid page), and the same figures as an Excel
template to fill offline and upload back.

Both go through :func:`~perfreport.rounds.services.save_entry`, one entry at
a time, inside one transaction: a save of many figures is all or nothing, and
every refused row says why (``RowsRefused``), not just the first. A row that
holds what is already saved is left alone, so a template downloaded before
one of its figures was submitted can still be uploaded.

The template's text cells are string cells, printable (the rule of
``perfreport.imports.spreadsheet``, through the same core function: the
imports app sits above the rounds, so its writer cannot be imported here).
An uploaded workbook is bounded as an import is (``PERFREPORT_IMPORT_MAX_MB``,
its size and its contents unpacked, read with openpyxl in read-only mode), a
formula is refused rather than trusted, and a file that is not a workbook is
an error, never a crash.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from perfreport.accounts.models import Role
from perfreport.accounts.permissions import Actor, NotAllowed
from perfreport.core.text import printable
from perfreport.core.units import Unit, describe_unit, plain
from perfreport.core.workflow import EntryState, TransitionError
from perfreport.data.models import Entry, RoundState
from perfreport.rounds.services import (
    ENTRY_FIELDS,
    LABELS,
    WELSH_FIELDS,
    Conflict,
    EntryInput,
    Invalid,
    previews,
    save_entry,
)

OPEN_STATES = [s.value for s in EntryState if s.is_open]
UNIT_WORDS = {
    Unit.PERCENT: "Percentage, 0 to 100",
    Unit.NUMBER: "Number",
    Unit.COUNT: "Count",
    Unit.STARS: "Stars",
    Unit.CURRENCY: "Pounds (£)",
}
MAX_ROWS = 5_000  # rows of an uploaded template read; an owner has tens


# -- Whose figures ----------------------------------------------------------------


def due_entries(actor: Actor) -> QuerySet[Entry]:
    """The entries this person may edit in the open rounds and has still to
    do (not started, draft or returned), as My work lists them: an
    administrator's own, by their owner roles, not every entry."""
    scope = actor.editable()
    if actor.is_admin:
        scope = Actor(grants=[g for g in actor.grants if g.role == Role.OWNER]).editable()
    return (
        Entry.objects.filter(
            round__state=RoundState.OPEN, state__in=OPEN_STATES, indicator__in=_indicators(scope)
        )
        .select_related("round", "indicator", "indicator__service")
        .order_by("round__deadline", "indicator__position", "indicator__ref", "first_month", "pk")
    )


def _indicators(scope: Any) -> Any:
    from perfreport.registry.models import Indicator

    return Indicator.objects.filter(scope)


def is_changed(entry: Entry, typed: EntryInput) -> bool:
    """Whether ``typed`` says anything other than what the entry holds
    (white space and line endings aside)."""
    held = EntryInput.of(entry)
    welsh = [n for n in WELSH_FIELDS if getattr(typed, n) is not None]  # given: bilingual mode
    return any(
        _same(getattr(typed, name)) != _same(getattr(held, name))
        for name in (*ENTRY_FIELDS, *welsh)
    )


def _same(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").strip()


def unit_words(entry: Entry) -> str:
    indicator = entry.indicator
    unit = indicator.unit_format
    label = f", in {describe_unit(unit)}" if unit.label.text else ""
    return f"{UNIT_WORDS[Unit(indicator.unit)]}{label}"


def target_texts(entries: Sequence[Entry]) -> dict[int, str]:
    """Each entry's target for its period as the report prints it, by entry
    id; read for all of them in two queries."""
    texts = {}
    for pk, evaluation in previews(entries).items():
        target = evaluation.target
        texts[pk] = evaluation.show(target.value) if target is not None else _("None set")
    return texts


# -- Saving many as drafts ---------------------------------------------------------


@dataclass(frozen=True)
class DraftRow:
    """One entry as typed, with the version the person started from."""

    entry_id: int
    typed: EntryInput
    version: int


@dataclass
class RowsRefused(Exception):
    """Nothing was saved: messages by entry id, then by field ("entry" for
    the row as a whole). ``versions``: entries saved by someone else since,
    with their version now, for a form that keeps what was typed."""

    errors: dict[int, dict[str, str]]
    versions: dict[int, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{len(self.errors)} rows refused: nothing was saved"


def save_drafts(actor: Actor, rows: Sequence[DraftRow], *, opened: str) -> list[Entry]:
    """Save every row as a draft, or none (``RowsRefused``). ``opened`` says
    where the person started ("opened this page") for a conflict's message."""
    errors: dict[int, dict[str, str]] = {}
    versions: dict[int, int] = {}
    saved = []
    with transaction.atomic():
        for row in rows:
            try:
                saved.append(save_entry(actor, row.entry_id, row.typed, version=row.version))
            except Invalid as invalid:
                errors[row.entry_id] = {n: field_message(n, m) for n, m in invalid.errors.items()}
            except Conflict as conflict:
                errors[row.entry_id] = {"entry": _conflict_text(conflict, opened)}
                versions[row.entry_id] = conflict.entry.version
            except (TransitionError, NotAllowed) as refused:
                errors[row.entry_id] = {"entry": _sentence(str(refused))}
            except Entry.DoesNotExist:
                errors[row.entry_id] = {"entry": f"There is no entry {row.entry_id}."}
        if errors:
            raise RowsRefused(errors, versions)  # leaving the block rolls every save back
    return saved


def field_message(name: str, message: str) -> str:
    """A service's message for a field, naming it: "Denominator is 0: …"."""
    label = LABELS.get(name, name.replace("_", " ").capitalize())
    if message.startswith(("is ", "are ", "holds ")):
        return f"{label} {message}"
    return f"{label}: {message}"


def _conflict_text(conflict: Conflict, opened: str) -> str:
    at = timezone.localtime(conflict.at)
    return (
        f"{conflict.by} saved this figure at {at:%H:%M} on {at.day} {at:%B %Y}, after you {opened}."
    )


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


# -- The Excel template -------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    editable: bool = False
    hidden: bool = False


COLUMNS = (
    Column("entry", "Entry id", 10, hidden=True),
    Column("version", "Version", 8, hidden=True),
    Column("reference", "Reference", 11),
    Column("indicator", "Indicator", 44),
    Column("period", "Period", 20),
    Column("period_code", "Period code", 12),
    Column("unit", "Unit", 22),
    Column("target", "Target", 14),
    Column("value", "Value", 14, editable=True),
    Column("numerator", "Numerator", 12, editable=True),
    Column("denominator", "Denominator", 13, editable=True),
    Column("commentary", "Commentary", 50, editable=True),
    Column("actions", "Actions", 50, editable=True),
)
# Bilingual mode (issue 17): the Welsh beside the English, paired by name,
# after every other column so that the others keep their letters. A template
# without them keeps the Welsh as saved.
WELSH_COLUMNS = (
    Column("commentary_cy", "commentary_cy", 50, editable=True),
    Column("actions_cy", "actions_cy", 50, editable=True),
)
ALL_COLUMNS = (*COLUMNS, *WELSH_COLUMNS)
SHEET = "Figures"


def template_workbook(entries: Sequence[Entry], *, welsh: bool = False) -> bytes:
    """The entries as an .xlsx template: one row each, what is saved already
    filled in, only the value, numerator, denominator, commentary and actions
    cells open to edit (the sheet is protected without a password: it guards
    against slips, not people). ``welsh`` (bilingual mode): with the Welsh
    commentary and actions columns too."""
    from openpyxl import Workbook  # imported here: the pages that never export start fast
    from openpyxl.styles import Alignment, Font, Protection
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet: Any = book.active
    sheet.title = SHEET
    columns = ALL_COLUMNS if welsh else COLUMNS
    _append(sheet, [c.header for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    targets = target_texts(entries)
    for entry in entries:
        cells = _template_row(entry, targets[entry.pk])
        _append(sheet, [*cells, entry.commentary_cy, entry.actions_cy] if welsh else cells)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        sheet.column_dimensions[letter].hidden = column.hidden
        if column.editable:
            for row in range(2, len(entries) + 2):
                cell = sheet[f"{letter}{row}"]
                cell.protection = Protection(locked=False)
                cell.number_format = "@"  # what is typed stays text, read exactly
                cell.alignment = Alignment(
                    wrap_text=column.key in ("commentary", "actions", *WELSH_FIELDS)
                )
    sheet.freeze_panes = "E2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widths may be changed
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _template_row(entry: Entry, target: str) -> list[Any]:
    typed = EntryInput.of(entry)
    return [
        entry.pk,
        entry.version,
        entry.indicator.ref,
        entry.indicator.title,
        entry.get_period().long_label,
        entry.period,
        unit_words(entry),
        target,
        typed.value,
        typed.numerator,
        typed.denominator,
        typed.commentary,
        typed.actions,
    ]


def _append(sheet: Any, values: Iterable[Any]) -> None:
    """A row whose text is printable and a string cell, never a formula."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.value = printable(cell.value)
            cell.data_type = "s"


# -- Reading it back ----------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Why an upload was refused: a row and column of the sheet where there is one."""

    message: str
    row: int | None = None
    column: str = ""  # "I (Value)"

    @property
    def where(self) -> str:
        if self.row is None:
            return ""
        return f"Row {self.row}" + (f", column {self.column}" if self.column else "")


class WorkbookRefused(Exception):
    """Nothing was saved: every problem found, by row and column."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems: nothing was saved")
        self.problems = problems


@dataclass(frozen=True)
class Uploaded:
    saved: list[Entry]
    unchanged: int


@dataclass(frozen=True)
class SheetRow:
    number: int
    cells: dict[str, str]  # by column key


def upload_drafts(actor: Actor, data: bytes, name: str = "the file") -> Uploaded:
    """Save the figures of a filled-in template as drafts, all or none."""
    rows = read_template(data, name)
    entries = Entry.objects.select_related("round", "indicator").in_bulk(
        {int(r.cells["entry"]) for r in rows}
    )
    problems: list[Problem] = []
    drafts: list[tuple[SheetRow, DraftRow]] = []
    seen: dict[int, int] = {}  # entry id: the first row that holds it
    for row in rows:
        pk, version = int(row.cells["entry"]), int(row.cells["version"])
        entry = entries.get(pk)
        if entry is None or pk in seen:
            message = _NO_ENTRY if entry is None else f"is the same as row {seen[pk]}'s: {_TWICE}"
            problems.append(_cell_problem(row.number, "entry", message))
            continue
        seen[pk] = row.number
        typed = EntryInput(**{n: row.cells[n] for n in ENTRY_FIELDS})
        typed.commentary_cy, typed.actions_cy = (row.cells.get(n) for n in WELSH_FIELDS)
        if not is_changed(entry, typed):
            continue
        if entry.version != version and not _still_due(entry):
            problems.append(Problem(_moved_on(entry), row.number))
            continue
        drafts.append((row, DraftRow(entry.pk, typed, version)))
    if problems:
        raise WorkbookRefused(problems)
    try:
        saved = save_drafts(actor, [d for _, d in drafts], opened="downloaded the template")
    except RowsRefused as refused:
        raise WorkbookRefused(_row_problems(drafts, refused)) from None
    return Uploaded(saved, len(rows) - len(saved))


def _still_due(entry: Entry) -> bool:
    return entry.round.state == RoundState.OPEN and entry.entry_state.is_open


def _moved_on(entry: Entry) -> str:
    where = (
        "its round was published"
        if entry.round.state != RoundState.OPEN
        else f"it was {entry.entry_state.label.lower()}"
    )
    return (
        f"Indicator {entry.indicator.ref} ({entry.get_period().long_label}): {where} after you "
        "downloaded the template, so it can no longer be changed here. Delete this row, or "
        "download the template again"
    )


_TWICE = "each figure may be given once. Delete one of the two rows"
_NO_ENTRY = (
    "is not an entry of any round: this column must be left as the template has it. "
    "Download the template again"
)


def _row_problems(drafts: list[tuple[SheetRow, DraftRow]], refused: RowsRefused) -> list[Problem]:
    problems = []
    for row, draft in drafts:
        for name, message in refused.errors.get(draft.entry_id, {}).items():
            if draft.entry_id in refused.versions:
                message += (
                    " Nothing was saved: download the template again and copy your figures into it."
                )
            key = name if name in (*ENTRY_FIELDS, *WELSH_FIELDS) else ""
            problems.append(_cell_problem(row.number, key, message))
    return problems


def _cell_problem(row: int, key: str, message: str) -> Problem:
    for index, column in enumerate(ALL_COLUMNS):
        if column.key == key:
            label = f"{_letter(index)} ({column.header})"
            if key == "entry":
                message = f"{column.header} {message}"
            return Problem(message, row, label)
    return Problem(message, row)


def _letter(index: int) -> str:
    return chr(ord("A") + index)


def read_template(data: bytes, name: str = "the file") -> list[SheetRow]:
    """The rows of a template that hold anything, each cell as text;
    ``WorkbookRefused`` for a file that is too big, not a workbook, not the
    template, or holds a formula or an entry id that is not a number."""
    limit = round(settings.PERFREPORT_IMPORT_MAX_MB * 1_000_000)
    if len(data) > limit:
        raise WorkbookRefused([Problem(_too_big(name, "is", len(data), limit))])
    _check_unpacked(data, name, limit)
    sheet_rows = _sheet_rows(data, name)
    header = [_text(c).strip().lower() for c in next(sheet_rows, ())]
    positions = _positions(header, name)
    rows: list[SheetRow] = []
    problems: list[Problem] = []
    for number, cells in enumerate(sheet_rows, start=2):
        if number > MAX_ROWS + 1:
            problems.append(
                Problem(f"holds more than {MAX_ROWS:,} rows: the rest were not read", number)
            )
            break
        found = _read_row(number, cells, positions, problems)
        if found is not None:
            rows.append(found)
    if not rows and not problems:
        problems.append(Problem(f"{name} holds no figures below its header row: nothing to save"))
    if problems:
        raise WorkbookRefused(problems)
    return rows


def _too_big(name: str, verb: str, size: int, limit: int) -> str:
    return (
        f"{name} {verb} {size / 1_000_000:,.1f} MB, over the limit of {limit / 1_000_000:,.1f} MB "
        "for a file to upload (the setting PERFREPORT_IMPORT_MAX_MB); it was not read"
    )


def _not_a_workbook(name: str) -> WorkbookRefused:
    return WorkbookRefused(
        [
            Problem(
                f"{name} is not an Excel workbook perfreport can read: upload the .xlsx "
                "template as downloaded, saved again as an Excel workbook (.xlsx)"
            )
        ]
    )


def _check_unpacked(data: bytes, name: str, limit: int) -> None:
    """A zip's parts added up as its directory says (zipfile stops reading a
    part there), so a small file cannot unpack to gigabytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _not_a_workbook(name) from None
    if unpacked > limit:
        raise WorkbookRefused([Problem(_too_big(name, "unpacks to", unpacked, limit))])


def _sheet_rows(data: bytes, name: str) -> Any:
    """The template's sheet (or the first) read as rows of cells, each row at
    most as wide as the template. Whatever a hostile file makes openpyxl
    raise (a missing part, broken XML, a wrong type) means the same to the
    person uploading it: not a workbook we can read."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        rows = list(_bounded(sheet.iter_rows(max_col=len(ALL_COLUMNS) + 5)))
        book.close()
    except Exception:  # see the docstring: never a 500 on a hostile file
        raise _not_a_workbook(name) from None
    return iter(rows)


def _bounded(rows: Iterable[Any]) -> Iterable[Any]:
    """Rows up to one past the most read: a sheet that says it has a million
    rows is not read to its end."""
    for number, row in enumerate(rows, start=1):
        yield row
        if number > MAX_ROWS + 1:
            return


def _positions(header: list[str], name: str) -> dict[str, int]:
    positions = {}
    missing = []
    for column in ALL_COLUMNS:
        wanted = column.header.lower()
        if wanted in header:
            positions[column.key] = header.index(wanted)
        elif column in WELSH_COLUMNS:
            continue  # optional: without them, the Welsh is kept as saved
        elif column.editable or column.key in ("entry", "version"):
            missing.append(column.header)
    if missing:
        raise WorkbookRefused(
            [
                Problem(
                    f"{name} is not the template of your figures: its first row has no column "
                    f"{', '.join(missing)}. Download the template and fill that in",
                    1,
                )
            ]
        )
    return positions


def _read_row(
    number: int, cells: Sequence[Any], positions: dict[str, int], problems: list[Problem]
) -> SheetRow | None:
    texts: dict[str, str] = {}
    for key, index in positions.items():
        cell = cells[index] if index < len(cells) else None
        if getattr(cell, "data_type", "") == "f":
            problems.append(
                _cell_problem(number, key, "holds a formula: type the figure or the text itself")
            )
            texts[key] = ""
            continue
        texts[key] = _text(cell)
    if not any(texts.get(c.key, "").strip() for c in COLUMNS if c.key != "version"):
        return None  # an empty row, as sheets often have at their end
    for key in ("entry", "version"):
        if not texts.get(key, "").strip().isdigit() or len(texts[key].strip()) > 9:
            problems.append(
                _cell_problem(
                    number,
                    key,
                    "must be left as the template has it (a whole number): download the "
                    "template again",
                )
            )
            return None
    cells_by_key = {k: texts.get(k, "") for k in (*ENTRY_FIELDS, "entry", "version")}
    cells_by_key.update({k: texts[k] for k in WELSH_FIELDS if k in texts})
    return SheetRow(number, cells_by_key)


def _text(cell: Any) -> str:
    """A cell as the text a person typed: a number exactly, one shown as a
    percentage as the percentage (0.855 shown as 85.5%)."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        number = Decimal(repr(value))
        if "%" in (getattr(cell, "number_format", "") or ""):
            number *= 100
        return plain(number)
    if isinstance(value, datetime | date):
        return f"{value:%Y-%m-%d}"
    return str(value)
