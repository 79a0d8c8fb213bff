"""Write the council plan's records of a checked import: priorities and
outcomes, the indicators' links to them, actions and projects, their
milestones, and the published update a row's progress makes.

As for the rest of the import, a record the same as what is stored is left
alone, and nothing is deleted except what a file replaces whole: an
indicator's outcomes (its ``outcomes`` cell), an action's outcomes and
indicators, and the milestones of an action that milestones.csv lists.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from perfreport.core.workflow import EntryState
from perfreport.data.models import ActionUpdate
from perfreport.imports.plan import ABSENT, ActionRecord, MilestoneRecord, Plan, PlanItemRecord
from perfreport.imports.writing import Summary, differs, upsert
from perfreport.registry.models import (
    Directorate,
    Indicator,
    Milestone,
    PlanAction,
    PlanItem,
    PlanLink,
)
from perfreport.registry.periods import period_fields

BATCH = 2000

# -- priorities and outcomes -------------------------------------------------------------


def write_plan_items(records: list[PlanItemRecord], summary: Summary) -> dict[str, int]:
    """Each item of plan.csv, its parent set once every item is there; the
    ids of every item by reference, for the links."""
    stored = {item.ref: item for item in PlanItem.objects.all()}
    outcomes = {}
    for record in records:
        fields = {"title": record.title, "position": record.position}
        fields.update(record.given("description", "lead", "title_cy", "description_cy"))
        outcomes[record.ref] = upsert(PlanItem, stored.get(record.ref), {"ref": record.ref}, fields)
    ids = dict(PlanItem.objects.values_list("ref", "pk"))
    parents = dict(PlanItem.objects.values_list("ref", "parent_id"))
    for record in records:
        parent = ids[record.parent] if record.parent else None
        if parents[record.ref] != parent:
            PlanItem.objects.filter(ref=record.ref).update(parent_id=parent)
            if outcomes[record.ref] == "unchanged":
                outcomes[record.ref] = "updated"
    for outcome in outcomes.values():
        summary.add("plan items", outcome)
    return ids


class OutcomeLinks:
    """The indicators' links to plan items: read once, compared indicator by
    indicator as the import goes, and the changed ones written at the end."""

    def __init__(self, items: dict[str, int]) -> None:
        self.items = items
        self.stored: dict[int, list[tuple[int, int]]] = {}
        links = PlanLink.objects.order_by("position", "item__ref")
        for indicator, item, position in links.values_list("indicator_id", "item_id", "position"):
            self.stored.setdefault(indicator, []).append((item, position))
        self.changed: dict[int, list[tuple[int, int]]] = {}

    def set(self, indicator: int, refs: tuple[str, ...]) -> bool:
        """Link the indicator to these plan items, its position in each the
        place of the item in the cell; say whether that changes anything."""
        wanted = [(self.items[ref], position) for position, ref in enumerate(refs)]
        if self.stored.get(indicator, []) == wanted:
            return False
        self.changed[indicator] = wanted
        return True

    def save(self) -> None:
        PlanLink.objects.filter(indicator_id__in=self.changed).delete()
        PlanLink.objects.bulk_create(
            (
                PlanLink(item_id=item, indicator_id=indicator, position=position)
                for indicator, wanted in self.changed.items()
                for item, position in wanted
            ),
            batch_size=BATCH,
        )


# -- actions, milestones and updates ---------------------------------------------------------

ACTION_FIELDS = (
    "kind", "title", "description", "owner", "start", "due", "completed_on", "percent_complete",
    "progress", "progress_period", "title_cy", "description_cy", "progress_cy",
)  # fmt: skip


def write_actions(plan: Plan, items: dict[str, int], summary: Summary) -> None:
    """Actions, then milestones, then the updates the actions' progress
    makes (which record the milestones done by then)."""
    actions = _actions(plan.actions, items, summary)
    _milestones(plan.milestones, summary)
    _updates([r for r in plan.actions if r.update is not None], actions, summary)


def _actions(
    records: list[ActionRecord], items: dict[str, int], summary: Summary
) -> dict[str, PlanAction]:
    stored = {a.ref: a for a in PlanAction.objects.prefetch_related("outcomes", "indicators")}
    positions = _positions([r.ref for r in records], {a.ref: a.position for a in stored.values()})
    users = _users(records)
    directorates = dict(Directorate.objects.values_list("name", "pk"))
    ids = {"outcomes": items, "indicators": dict(Indicator.objects.values_list("ref", "pk"))}
    links: dict[str, dict[str, set[int]]] = {"outcomes": {}, "indicators": {}}
    for record in records:
        fields = record.given(*ACTION_FIELDS)
        if record.owner_login is not ABSENT:
            fields["owner_user_id"] = users.get(record.owner_login)
        if record.directorate is not ABSENT:
            fields["directorate_id"] = directorates.get(record.directorate)
        if record.ref in positions:
            fields["position"] = positions[record.ref]
        action = stored.get(record.ref)
        outcome = upsert(PlanAction, action, {"ref": record.ref}, fields)
        for name, refs in record.given("outcomes", "indicators").items():
            wanted = {ids[name][ref] for ref in refs}
            if action is None or wanted != {x.pk for x in getattr(action, name).all()}:
                links[name][record.ref] = wanted
                outcome = "updated" if outcome == "unchanged" else outcome
        summary.add("actions", outcome)
    written = {a.ref: a for a in PlanAction.objects.filter(ref__in=[r.ref for r in records])}
    for name, by_ref in links.items():
        _set_links(name, {written[ref].pk: pks for ref, pks in by_ref.items()})
    return written


def _users(records: list[ActionRecord]) -> dict[str, int]:
    logins = {r.owner_login for r in records if r.owner_login}
    return dict(get_user_model().objects.filter(username__in=logins).values_list("username", "pk"))


def _positions(refs: list[str], stored: dict[str, int]) -> dict[str, int]:
    """Order as the rows list them when the file lists every stored one;
    else the stored order kept, and new ones at the end."""
    if set(stored) <= set(refs):
        return {ref: n for n, ref in enumerate(refs)}
    end = max(stored.values(), default=-1) + 1
    return {ref: end + n for n, ref in enumerate(r for r in refs if r not in stored)}


def _set_links(name: str, wanted: dict[int, set[int]]) -> None:
    """Give each action exactly these outcomes or indicators (``name``)."""
    field = getattr(PlanAction, name).field
    through = field.remote_field.through
    column = f"{field.m2m_reverse_field_name()}_id"
    through.objects.filter(planaction_id__in=wanted).delete()
    through.objects.bulk_create(
        (
            through(planaction_id=action, **{column: pk})
            for action, pks in wanted.items()
            for pk in pks
        ),
        batch_size=BATCH,
    )


def _milestones(records: list[MilestoneRecord], summary: Summary) -> None:
    """Each action that milestones.csv names gets exactly the milestones it lists."""
    by_action: dict[str, list[MilestoneRecord]] = defaultdict(list)
    for record in records:
        by_action[record.action].append(record)
    ids = dict(PlanAction.objects.filter(ref__in=by_action).values_list("ref", "pk"))
    for ref, listed in by_action.items():
        stored = {m.title: m for m in Milestone.objects.filter(action_id=ids[ref])}
        for record in listed:
            fields: dict[str, Any] = {"due": record.due, "position": record.position}
            fields.update(record.given("completed_on"))
            identity = {"action_id": ids[ref], "title": record.title}
            summary.add(
                "milestones", upsert(Milestone, stored.pop(record.title, None), identity, fields)
            )
        if stored:
            Milestone.objects.filter(pk__in=[m.pk for m in stored.values()]).delete()
            summary.add("milestones", "removed", len(stored))


UPDATE_FIELDS = ("state", "percent_complete", "completed_on", "note", "milestones_done")


def _updates(records: list[ActionRecord], actions: dict[str, PlanAction], summary: Summary) -> None:
    """The published update of each row's progress_period: the action's
    progress as the row leaves it, and the milestones done by the period's end."""
    now = timezone.now()
    done_on: dict[int, list[tuple[int, date | None]]] = defaultdict(list)
    milestones = Milestone.objects.filter(action__in=actions.values(), completed_on__isnull=False)
    for action_id, pk, day in milestones.values_list("action_id", "pk", "completed_on"):
        done_on[action_id].append((pk, day))
    stored = {
        (u.action_id, u.frequency, u.first_month): u
        for u in ActionUpdate.objects.filter(action__in=actions.values())
    }
    new: list[ActionUpdate] = []
    for record in records:
        period = record.update
        assert period is not None
        action = actions[record.ref]
        fields: dict[str, Any] = {
            "state": EntryState.PUBLISHED.value,
            "percent_complete": action.percent_complete,
            "completed_on": action.completed_on,
            "note": action.progress,
            "note_cy": action.progress_cy,
            "milestones_done": {
                str(pk): day.isoformat()
                for pk, day in done_on[action.pk]
                if day is not None and day <= period.end
            },
        }
        update = stored.get((action.pk, period.frequency.value, period.first_month))
        if update is None:
            new.append(
                ActionUpdate(action=action, **period_fields(period), **fields, published_at=now)
            )
        elif differs(update, fields):
            restated = update.state == EntryState.PUBLISHED.value
            ActionUpdate.objects.filter(pk=update.pk).update(
                **fields,
                version=update.version + 1,
                published_at=now,
                restated_at=now if restated else update.restated_at,
            )
            summary.add("action updates", "updated")
        else:
            summary.add("action updates", "unchanged")
    ActionUpdate.objects.bulk_create(new, batch_size=BATCH)
    if new:  # no line in the summary for files that make no update
        summary.add("action updates", "created", len(new))
