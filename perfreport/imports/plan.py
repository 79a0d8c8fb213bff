"""The plan of an import: one typed record per row that the checks let
through, passed from the checks (``validate``, ``rows``) to the writes
(``load``) and the round rule (``service``).

A column missing from a file leaves that field as it is in the database,
while a column present but empty clears it: a field of a record is
``ABSENT`` when the file has no such column, and ``None`` (or "") when
the cell is empty.
"""

from __future__ import annotations

import enum
import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import IO, Any, Final, Generic, Literal, TypeVar

from perfreport.core.periods import Period
from perfreport.core.rating import Scheme

T = TypeVar("T")


class Absent(enum.Enum):
    """The file has no such column: the field stays as it is stored. False,
    like the key missing from the dict that the record once was, so that
    ``if record.commentary:`` reads "given, and not empty"."""

    ABSENT = "absent"

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Final = Absent.ABSENT


def or_none(value: T | Absent | None) -> T | None:
    """``value``, or None when the file leaves it out as well as when it is empty."""
    return None if value is ABSENT else value


@dataclass(frozen=True, kw_only=True)
class Record:
    row: int  # the row of the file it comes from, for the problems that name it

    def given(self, *names: str) -> dict[str, Any]:
        """The named fields that the file gives, by name: what the import
        writes; those it leaves out stay as they are stored."""
        return {name: value for name in names if (value := getattr(self, name)) is not ABSENT}


@dataclass(frozen=True, kw_only=True)
class OrganisationRecord(Record):
    code: str
    name: str
    kind: str | Absent = ABSENT
    la_number: str | Absent = ABSENT
    is_home: bool | Absent = ABSENT
    report_title: str | Absent = ABSENT
    report_team: str | Absent = ABSENT
    report_contact: str | Absent = ABSENT
    scheme: str | Absent = ABSENT  # "": the seed's
    baseline_label: str | Absent = ABSENT
    contextual_label: str | Absent = ABSENT
    # The council plan's roll-up rule and action status rule.
    plan_rule: str | Absent = ABSENT
    plan_green_share: Decimal | Absent = ABSENT
    plan_amber_share: Decimal | Absent = ABSENT
    action_due_soon_days: int | Absent = ABSENT


@dataclass(frozen=True, kw_only=True)
class SchemeRecord(Record):
    """A rating scheme of schemes.csv, its bands best first as the rows list
    them (``row`` is its first row, ``rows`` each band's)."""

    scheme: Scheme
    rows: tuple[int, ...]


@dataclass(frozen=True, kw_only=True)
class GroupRecord(Record):
    """A comparator group, with exactly the members the file lists, SN1 first."""

    name: str
    members: tuple[str, ...]
    kind: str | Absent = ABSENT
    includes_home: bool | Absent | None = ABSENT  # None: by its kind


@dataclass(frozen=True, kw_only=True)
class IndicatorRecord(Record):
    """An indicator of the register; its defaults are filled in where a cell
    is empty, as the columns' documentation says."""

    ref: str
    title: str
    unit: str
    polarity: str
    frequency: str
    rating_basis: str
    scheme: str | Absent = ABSENT  # "": the organisation's
    target_rule: str | Absent = ABSENT  # "": its targets, by number
    unit_label: str | Absent = ABSENT  # as printed: "£m", "days"
    decimals: int | Absent = ABSENT
    aggregation: str | Absent = ABSENT
    # Own thresholds: all three set, or "" and None when the indicator follows its scheme.
    tolerance_method: str | Absent = ABSENT
    red_threshold: Decimal | Absent | None = ABSENT
    blue_threshold: Decimal | Absent | None = ABSENT  # None: no Blue band
    lag: int | Absent = ABSENT
    year_start: int | Absent | None = ABSENT  # None: the organisation's financial year
    release_lag_months: int | Absent = ABSENT
    directorate: str | Absent = ABSENT
    service: str | Absent = ABSENT
    owner: str | Absent = ABSENT
    type: str | Absent = ABSENT  # the council plan's IndicatorKind
    outcomes: tuple[str, ...] | Absent = ABSENT  # plan item refs, in order
    neighbours_mean: Decimal | Absent | None = ABSENT
    england_mean: Decimal | Absent | None = ABSENT
    national_code: str | Absent = ABSENT
    comparator_group: str | Absent = ABSENT  # "": the home organisation's neighbours
    links: tuple[tuple[str, str], ...] | Absent = ABSENT  # (title, address), in order
    source: str | Absent = ABSENT
    description: str | Absent = ABSENT
    # In Welsh, beside the English (issue 17).
    title_cy: str | Absent = ABSENT
    description_cy: str | Absent = ABSENT


@dataclass(frozen=True, kw_only=True)
class TargetRecord(Record):
    ref: str
    kind: str
    period: Period
    value: Decimal
    note: str | Absent = ABSENT


@dataclass(frozen=True, kw_only=True)
class ValueRecord(Record):
    """A value of the home organisation (``organisation`` "") or of another;
    target, rating and commentary are the home organisation's only."""

    ref: str
    period: Period
    organisation: str
    value: Decimal | None  # None: withheld as published
    withheld_as: str = ""  # the text published instead of a number ("c"), or ""
    numerator: Decimal | Absent | None = ABSENT
    denominator: Decimal | Absent | None = ABSENT
    target: Decimal | Absent | None = ABSENT
    stated_rag: str | Absent = ABSENT  # "" when the cell is empty
    # From a published report that prints ratings: the file has a stated_rag column.
    rating_printed: bool | Absent = ABSENT
    commentary: str | Absent = ABSENT
    actions: str | Absent = ABSENT
    commentary_cy: str | Absent = ABSENT
    actions_cy: str | Absent = ABSENT
    is_draft: bool | Absent = ABSENT


@dataclass(frozen=True, kw_only=True)
class CommentaryRecord(Record):
    ref: str
    period: Period
    commentary: str | Absent = ABSENT
    actions: str | Absent = ABSENT
    commentary_cy: str | Absent = ABSENT
    actions_cy: str | Absent = ABSENT

    @property
    def organisation(self) -> str:
        """The home organisation's, always: commentary.csv names no other."""
        return ""


@dataclass(frozen=True, kw_only=True)
class PlanItemRecord(Record):
    """A priority (``parent`` ""), outcome or sub-outcome of plan.csv;
    ``position`` is its order among its siblings in the file."""

    ref: str
    parent: str
    title: str
    position: int
    description: str | Absent = ABSENT
    lead: str | Absent = ABSENT
    title_cy: str | Absent = ABSENT
    description_cy: str | Absent = ABSENT


@dataclass(frozen=True, kw_only=True)
class ActionRecord(Record):
    """An action or project of actions.csv. ``update`` is the period of the
    published update its progress makes, or None: no progress_period, or
    the update for that period is in a round and not published (the
    progress columns are then left as stored)."""

    ref: str
    title: str
    kind: str | Absent = ABSENT
    description: str | Absent = ABSENT
    owner: str | Absent = ABSENT
    owner_login: str | Absent = ABSENT  # "": no user
    directorate: str | Absent = ABSENT  # "": none
    outcomes: tuple[str, ...] | Absent = ABSENT
    indicators: tuple[str, ...] | Absent = ABSENT
    start: date | Absent | None = ABSENT
    due: date | Absent | None = ABSENT
    completed_on: date | Absent | None = ABSENT
    percent_complete: Decimal | Absent | None = ABSENT
    progress: str | Absent = ABSENT
    progress_period: str | Absent = ABSENT  # the period's label, "" for none
    title_cy: str | Absent = ABSENT
    description_cy: str | Absent = ABSENT
    progress_cy: str | Absent = ABSENT
    update: Period | None = None


@dataclass(frozen=True, kw_only=True)
class MilestoneRecord(Record):
    action: str
    title: str
    due: date
    position: int  # its order among the action's rows
    completed_on: date | Absent | None = ABSENT


@dataclass
class PlanRefs:
    """What the council plan's files may refer to: what is stored, and what
    this import adds (read by ``council_plan_rows`` when first needed)."""

    items: dict[str, str] = field(default_factory=dict)  # ref: parent ref ("" for a priority)
    actions: set[str] = field(default_factory=set)
    directorates: set[str] = field(default_factory=set)
    logins: dict[str, str] = field(default_factory=dict)  # lower case: the username


SPILL_BATCH = 5000  # records kept in memory before a Spill writes them to its file


class Spill(Generic[T]):
    """Records in the order appended, kept in memory up to ``batch`` of them
    and in a temporary file (pickled, a batch at a time) past that: the
    records of a big values.csv never all in memory at once. Read as often
    as needed, in order; the file goes when the object does."""

    def __init__(self, records: Iterator[T] | list[T] | None = None, batch: int = 0) -> None:
        self.batch = batch or SPILL_BATCH
        self._buffer: list[T] = []
        self._file: IO[bytes] | None = None
        self._count = 0
        for record in records or ():
            self.append(record)

    def append(self, record: T) -> None:
        self._buffer.append(record)
        self._count += 1
        if len(self._buffer) >= self.batch:
            if self._file is None:
                # Closed (and so removed) when the Spill is collected.
                self._file = tempfile.TemporaryFile(prefix="perfreport-import-")  # noqa: SIM115
            self._file.seek(0, 2)
            pickle.dump(self._buffer, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._buffer = []

    def __iter__(self) -> Iterator[T]:
        if self._file is not None:
            self._file.seek(0)
            while True:
                try:
                    batch: list[T] = pickle.load(self._file)  # our own file, written above
                except EOFError:
                    break
                position = self._file.tell()
                yield from batch
                self._file.seek(position)  # another reader may have moved it
        yield from self._buffer

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0


@dataclass
class Plan:
    """Every record of one import, file by file, in the order written. The
    values and commentary, which may be many, are spilled to a temporary file
    past a batch (:class:`Spill`)."""

    organisations: list[OrganisationRecord] = field(default_factory=list)
    schemes: list[SchemeRecord] = field(default_factory=list)
    groups: list[GroupRecord] = field(default_factory=list)
    indicators: list[IndicatorRecord] = field(default_factory=list)
    targets: list[TargetRecord] = field(default_factory=list)
    values: Spill[ValueRecord] = field(default_factory=Spill)
    commentary: Spill[CommentaryRecord] = field(default_factory=Spill)
    plan_items: list[PlanItemRecord] = field(default_factory=list)
    actions: list[ActionRecord] = field(default_factory=list)
    milestones: list[MilestoneRecord] = field(default_factory=list)
