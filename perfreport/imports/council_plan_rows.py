"""Row by row checks of the council plan's files: ``plan.csv`` (priorities
and outcomes), ``actions.csv`` (actions and projects) and ``milestones.csv``;
the ``outcomes`` column of ``indicators.csv``; and the roll-up settings of
``organisations.csv``.

A plan file may refer to what is stored as well as to what the same import
adds: a parent, an outcome, an indicator, an action, a directorate. The plan
is at most three levels deep (priority, outcome and one under it) with no
cycle, counting the items stored that the file leaves out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from perfreport.core.periods import Period
from perfreport.core.plan import MAX_DEPTH, RollupRule
from perfreport.core.workflow import EntryState
from perfreport.data.models import ActionUpdate, RoundState
from perfreport.imports import columns as c
from perfreport.imports.plan import (
    ABSENT,
    Absent,
    ActionRecord,
    MilestoneRecord,
    PlanItemRecord,
    PlanRefs,
)
from perfreport.imports.tables import Table
from perfreport.imports.validate import Checker
from perfreport.registry.models import Directorate, Organisation, PlanAction, PlanItem

# -- what the files may refer to ------------------------------------------------------


def plan_refs(checker: Checker) -> PlanRefs:
    """The plan items, actions, directorates and logins stored, read once an import."""
    if checker.plan_refs is None:
        users = get_user_model().objects.values_list("username", flat=True)
        checker.plan_refs = PlanRefs(
            items={
                ref: parent or ""
                for ref, parent in PlanItem.objects.values_list("ref", "parent__ref")
            },
            actions=set(PlanAction.objects.values_list("ref", flat=True)),
            directorates=set(Directorate.objects.values_list("name", flat=True)),
            logins={name.lower(): name for name in users},
        )
    return checker.plan_refs


def read_outcomes(
    table: Table, checker: Checker, row: int, cells: dict[str, str], column: str = "outcomes"
) -> tuple[str, ...] | None:
    """The plan items a cell names (``;`` between them), or None when one is
    not in the plan stored or in plan.csv."""
    refs: tuple[str, ...] | None = checker.cell(table, row, cells, column, c.read_refs)
    if refs is None:
        return None if cells.get(column) else ()
    unknown = [ref for ref in refs if ref not in plan_refs(checker).items]
    if unknown:
        checker.error(
            table,
            _("names %(refs)s, not a priority or outcome of the plan stored or in plan.csv")
            % {"refs": ", ".join(unknown)},
            row,
            column,
            cells[column],
        )
        return None
    return refs


# -- plan.csv ---------------------------------------------------------------------------


def check_plan(table: Table, checker: Checker) -> None:
    """Each priority and outcome; then the shape of the plan they make with
    the items stored."""
    seen: dict[str, int] = {}
    records: list[PlanItemRecord] = []
    siblings: dict[str, int] = {}
    for row, cells in table.rows:
        ref = cells.get("ref", "")
        if not ref:
            checker.error(table, _("is required"), row, "ref")
            continue
        if not checker.first(table, seen, ref, row, "ref", ref, _("the plan item")):
            continue
        title = checker.cell(table, row, cells, "title", str, required=True)
        parent = cells.get("parent", "")
        position = siblings.get(parent, 0)
        siblings[parent] = position + 1
        records.append(
            PlanItemRecord(
                row=row,
                ref=ref,
                parent=parent,
                title=title or "",
                position=position,
                description=_optional(table, cells, "description"),
                lead=_optional(table, cells, "lead"),
                title_cy=_optional(table, cells, "title_cy"),
                description_cy=_optional(table, cells, "description_cy"),
            )
        )
    refs = plan_refs(checker)
    tree = {**refs.items, **{r.ref: r.parent for r in records}}
    checker.plan.plan_items.extend(r for r in records if _fits(table, checker, r, tree))
    # Refused or not: the rows naming an item are not refused for its mistake too.
    refs.items.update((r.ref, r.parent) for r in records)


def _optional(table: Table, cells: dict[str, str], column: str) -> str | Absent:
    return cells[column] if column in table.header else ABSENT


def _fits(table: Table, checker: Checker, record: PlanItemRecord, tree: dict[str, str]) -> bool:
    """Whether the item's parent is known, makes no cycle and leaves the plan
    at most three levels deep (the item's own children included)."""
    ref, parent = record.ref, record.parent
    if parent and parent not in tree:
        checker.error(
            table,
            _("is not a priority or outcome in plan.csv or stored"),
            record.row,
            "parent",
            parent,
        )
        return False
    chain = _ancestors(ref, tree)
    if ref in chain:
        loop = " → ".join([ref, *chain[: chain.index(ref) + 1]])
        checker.error(
            table,
            _("makes a cycle (%(loop)s): an item cannot be under itself") % {"loop": loop},
            record.row,
            "parent",
            parent,
        )
        return False
    depth = len(chain) + 1 + _height(ref, tree)
    if depth > MAX_DEPTH:
        checker.error(
            table,
            _(
                "puts %(ref)s or an item under it at level %(depth)s: the plan has at most "
                "%(most)s levels (priority, outcome and one under it)"
            )
            % {"ref": ref, "depth": depth, "most": MAX_DEPTH},
            record.row,
            "parent",
            parent,
        )
        return False
    return True


def _ancestors(ref: str, tree: dict[str, str]) -> list[str]:
    """The item's parent, its parent's, and so on; stopping at a cycle."""
    chain: list[str] = []
    parent = tree.get(ref, "")
    while parent and parent not in chain:
        chain.append(parent)
        if parent == ref:
            break
        parent = tree.get(parent, "")
    return chain


def _height(ref: str, tree: dict[str, str]) -> int:
    """How many levels there are under the item (0: none)."""
    children = [child for child, parent in tree.items() if parent == ref]
    if not children:
        return 0
    return 1 + max(_height(child, tree) for child in children if child != ref)


# -- actions.csv --------------------------------------------------------------------------


def check_actions(table: Table, checker: Checker) -> None:
    seen: dict[str, int] = {}
    unpublished = _unpublished_updates()
    latest = _latest_published()
    refs = plan_refs(checker)
    named = {r.directorate for r in checker.plan.indicators if r.directorate}
    for row, cells in table.rows:
        ref = cells.get("ref", "")
        if not ref:
            checker.error(table, _("is required"), row, "ref")
            continue
        if not checker.first(table, seen, ref, row, "ref", ref, _("the action")):
            continue
        refs.actions.add(ref)  # refused or not: its milestones are not refused for it too
        record = _action_record(table, checker, row, cells, named)
        if record is not None:
            checker.plan.actions.append(_held_back(table, checker, record, unpublished, latest))


ACTION_DATES = ("start", "due", "completed_on")
WELSH_TEXTS = ("title_cy", "description_cy", "progress_cy")  # beside the English (issue 17)


def _action_record(
    table: Table, checker: Checker, row: int, cells: dict[str, str], named: set[str]
) -> ActionRecord | None:
    fields: dict[str, Any] = {"row": row, "ref": cells["ref"]}
    fields["title"] = checker.cell(table, row, cells, "title", str, required=True)
    ok = fields["title"] is not None
    readers: dict[str, Callable[[str], Any]] = {
        **dict.fromkeys(ACTION_DATES, c.read_date),
        "kind": c.read_action_kind,
        "percent_complete": c.read_percent,
    }
    for name in table.header:
        if name in readers:
            fields[name] = checker.cell(table, row, cells, name, readers[name])
            ok = ok and (fields[name] is not None or not cells[name])
        elif name in ("description", "owner", "progress", *WELSH_TEXTS):
            fields[name] = cells[name]
        elif name in ("outcomes", "indicators"):
            read = read_outcomes if name == "outcomes" else _indicator_refs
            fields[name] = read(table, checker, row, cells, name)
            ok = ok and fields[name] is not None
    if fields.get("kind", ABSENT) is None:
        fields["kind"] = "action"
    if "owner_login" in table.header:
        fields["owner_login"] = _login(table, checker, row, cells)
    if "directorate" in table.header:
        fields["directorate"] = _directorate(table, checker, row, cells, named)
    if "progress_period" in table.header:
        fields["progress_period"] = _period(table, checker, row, cells)
    ok = ok and all(fields.get(n, "") is not None for n in LOOKED_UP)
    return (
        ActionRecord(**_update_of(fields)) if ok and _dates_agree(table, checker, fields) else None
    )


def _indicator_refs(
    table: Table, checker: Checker, row: int, cells: dict[str, str], column: str
) -> tuple[str, ...] | None:
    refs: tuple[str, ...] | None = checker.cell(table, row, cells, column, c.read_refs)
    if refs is None:
        return None if cells.get(column) else ()
    unknown = [ref for ref in refs if ref not in checker.indicators]
    if unknown:
        checker.error(
            table,
            _("names %(refs)s, not an indicator in the register or in indicators.csv")
            % {"refs": ", ".join(unknown)},
            row,
            column,
            cells[column],
        )
        return None
    return refs


LOOKED_UP = ("owner_login", "directorate", "progress_period")


def _login(table: Table, checker: Checker, row: int, cells: dict[str, str]) -> str | None:
    text = cells["owner_login"]
    if not text:
        return ""
    username = plan_refs(checker).logins.get(text.lower())
    if username is None:
        checker.error(
            table,
            _(
                "is not the login of anyone who uses perfreport: invite them first, or leave it "
                "empty and name the owner in the owner column"
            ),
            row,
            "owner_login",
            text,
        )
    return username


def _directorate(
    table: Table, checker: Checker, row: int, cells: dict[str, str], named: set[str]
) -> str | None:
    text = cells["directorate"]
    if text and text not in plan_refs(checker).directorates and text not in named:
        checker.error(
            table,
            _("is not a directorate in the register or in indicators.csv"),
            row,
            "directorate",
            text,
        )
        return None
    return text


def _period(table: Table, checker: Checker, row: int, cells: dict[str, str]) -> Period | str | None:
    text = cells["progress_period"]
    if not text:
        return ""
    return checker.period(table, row, text, "progress_period")


def _update_of(fields: dict[str, Any]) -> dict[str, Any]:
    """The period read from progress_period becomes the update the row
    makes; the column keeps its label."""
    period = fields.get("progress_period", ABSENT)
    if isinstance(period, Period):
        fields["update"], fields["progress_period"] = period, period.label
    return fields


def _dates_agree(table: Table, checker: Checker, fields: dict[str, Any]) -> bool:
    start, due = fields.get("start"), fields.get("due")
    if start and due and due < start:
        checker.error(
            table,
            _("is before the start, %(start)s") % {"start": start.isoformat()},
            fields["row"],
            "due",
            due.isoformat(),
        )
        return False
    return True


Unpublished = dict[tuple[str, str, int], tuple[str, str]]
# Each action's latest published update: its last month and period label.
Latest = dict[str, tuple[int, str]]


def _latest_published() -> Latest:
    latest: Latest = {}
    rows = ActionUpdate.objects.filter(state=EntryState.PUBLISHED.value).values_list(
        "action__ref", "last_month", "period"
    )
    for ref, last_month, label in rows:
        if ref not in latest or last_month > latest[ref][0]:
            latest[ref] = (last_month, label)
    return latest


def _unpublished_updates() -> Unpublished:
    """Updates not published, by (action, frequency, first month): their
    state, and the period of the round they are in ("" for none)."""
    rows = (
        ActionUpdate.objects.exclude(state=EntryState.PUBLISHED.value)
        .exclude(round__state=RoundState.PUBLISHED)
        .values_list("action__ref", "frequency", "first_month", "state", "round__period")
    )
    return {(ref, f, m): (state, period or "") for ref, f, m, state, period in rows}


def _held_back(
    table: Table,
    checker: Checker,
    record: ActionRecord,
    unpublished: Unpublished,
    latest: Latest,
) -> ActionRecord:
    """The record, or the record without its progress where the update for
    its progress_period is in a round and not yet published (the round's
    update is its owner's, and publishing the round writes it), or where a
    later period's progress is already published (a file older than the
    round would put the action's progress back)."""
    period = record.update
    if period is None:
        return record
    found = unpublished.get((record.ref, period.frequency.value, period.first_month))
    later = latest.get(record.ref)
    if found is not None:
        state, round_period = found
        said = (
            _(
                "the update of action %(ref)s for %(period)s is %(state)s in the open round "
                "for %(round)s: the import leaves it, and the action's progress, as they are "
                "(publish the round, or give another period)"
            )
            if round_period
            else _(
                "the update of action %(ref)s for %(period)s is %(state)s not yet published: "
                "the import leaves it, and the action's progress, as they are (publish the "
                "round, or give another period)"
            )
        )
        message = said % {
            "ref": record.ref,
            "period": period.label,
            "state": EntryState(state).label.lower(),
            "round": round_period,
        }
    elif later is not None and later[0] > period.last_month:
        message = _(
            "action %(ref)s's progress for %(period)s, a later period, is already "
            "published: the import leaves the action's progress as it is (export again for "
            "a file with the latest progress)"
        ) % {"ref": record.ref, "period": later[1]}
    else:
        return record
    checker.warn(table, message, record.row, "progress_period", period.label)
    return replace(
        record,
        percent_complete=ABSENT,
        completed_on=ABSENT,
        progress=ABSENT,
        progress_period=ABSENT,
        update=None,
    )


# -- milestones.csv ------------------------------------------------------------------------


def check_milestones(table: Table, checker: Checker) -> None:
    """Each action's milestones, in the order the rows give them."""
    seen: dict[tuple[str, str], int] = {}
    counted: dict[str, int] = {}
    actions = plan_refs(checker).actions
    for row, cells in table.rows:
        action = cells.get("action", "")
        if not action:
            checker.error(table, _("is required"), row, "action")
            continue
        if action not in actions:
            said = _("is not an action in actions.csv or stored")
            checker.error(table, said, row, "action", action)
            continue
        title = checker.cell(table, row, cells, "title", str, required=True)
        due = checker.cell(table, row, cells, "due", c.read_date, required=True)
        done: Any = ABSENT
        if "completed_on" in table.header:
            done = checker.cell(table, row, cells, "completed_on", c.read_date)
            if done is None and cells["completed_on"]:
                continue
        if title is None or due is None:
            continue
        what = _("the milestone %(title)s of action %(ref)s") % {
            "title": repr(title),
            "ref": action,
        }
        if not checker.first(table, seen, (action, title), row, "title", title, what):
            continue
        position = counted.get(action, 0)
        counted[action] = position + 1
        checker.plan.milestones.append(
            MilestoneRecord(
                row=row, action=action, title=title, due=due, position=position, completed_on=done
            )
        )


# -- organisations.csv: the roll-up rule ----------------------------------------------------

PLAN_SETTINGS: dict[str, Callable[[str], Any]] = {
    "plan_rule": c.read_rollup_method,
    "plan_green_share": c.read_percent,
    "plan_amber_share": c.read_percent,
    "action_due_soon_days": c.read_whole(0, 366),
}
PLAN_DEFAULTS: dict[str, Any] = {
    "plan_rule": "worst",
    "plan_green_share": Decimal(75),
    "plan_amber_share": Decimal(50),
    "action_due_soon_days": 30,
}


def plan_settings(
    table: Table, checker: Checker, row: int, cells: dict[str, str], code: str
) -> dict[str, Any]:
    """The organisation's roll-up rule for the columns the file has (an
    empty cell: the default); the Amber share may not be above the Green."""
    given: dict[str, Any] = {}
    for name, read in PLAN_SETTINGS.items():
        if name not in table.header:
            given[name] = ABSENT
            continue
        value = checker.cell(table, row, cells, name, read)
        if value is None and cells[name]:
            return dict.fromkeys(PLAN_SETTINGS, ABSENT)  # its error is reported
        given[name] = PLAN_DEFAULTS[name] if value is None else value
    shares = ("plan_green_share", "plan_amber_share")
    if any(given[name] is not ABSENT for name in shares):
        stored = Organisation.objects.filter(code=code).values(*shares).first() or PLAN_DEFAULTS
        green, amber = (stored[n] if given[n] is ABSENT else given[n] for n in shares)
        try:
            RollupRule(green_share=green, amber_share=amber)
        except ValueError as error:
            column = "plan_amber_share" if given["plan_amber_share"] is not ABSENT else shares[0]
            checker.error(table, str(error), row, column, cells.get(column))
    return given
