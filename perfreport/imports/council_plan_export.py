"""The council plan in the import format: plan.csv, actions.csv,
milestones.csv, and the ``outcomes`` cell of indicators.csv.

Rows come in the order the import reads as the plan's order: items a
priority at a time, each followed by the items under it; actions and
milestones in their order. Exporting then importing changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from perfreport.core.units import plain
from perfreport.registry.models import Milestone, PlanAction, PlanItem, PlanLink

Row = dict[str, str]


def plan_sheets() -> dict[str, list[Row]]:
    """plan.csv, actions.csv and milestones.csv as rows of text."""
    items = _tree_order(list(PlanItem.objects.select_related("parent")))
    place = {item.pk: n for n, item in enumerate(items)}
    actions = list(
        PlanAction.objects.select_related("owner_user", "directorate").prefetch_related(
            "outcomes", "indicators"
        )
    )
    milestones = Milestone.objects.select_related("action").order_by(
        "action__position", "action__ref", "position", "due"
    )
    return {
        "plan": [_item_row(item) for item in items],
        "actions": [_action_row(action, place) for action in actions],
        "milestones": [_milestone_row(m) for m in milestones],
    }


def outcomes_by_indicator() -> dict[int, str]:
    """Each linked indicator's ``outcomes`` cell: its plan items in link order."""
    cells: dict[int, list[str]] = {}
    links = PlanLink.objects.select_related("item").order_by(
        "indicator_id", "position", "item__ref"
    )
    for link in links:
        cells.setdefault(link.indicator_id, []).append(link.item.ref)
    return {pk: ";".join(refs) for pk, refs in cells.items()}


def _tree_order(items: list[PlanItem]) -> list[PlanItem]:
    children: dict[int | None, list[PlanItem]] = {}
    for item in sorted(items, key=lambda i: (i.position, i.ref)):
        children.setdefault(item.parent_id, []).append(item)

    def walk(parent: int | None) -> Iterable[PlanItem]:
        for item in children.get(parent, []):
            yield item
            yield from walk(item.pk)

    return list(walk(None))


def _item_row(item: PlanItem) -> Row:
    return {
        "ref": item.ref,
        "parent": item.parent.ref if item.parent else "",
        "title": item.title,
        "title_cy": item.title_cy,
        "description": item.description,
        "description_cy": item.description_cy,
        "lead": item.lead,
    }


def _action_row(action: PlanAction, place: dict[int, int]) -> Row:
    outcomes = sorted(action.outcomes.all(), key=lambda item: place.get(item.pk, 0))
    indicators = sorted(action.indicators.all(), key=lambda i: (i.position, i.ref))
    return {
        "ref": action.ref,
        "kind": action.kind,
        "title": action.title,
        "title_cy": action.title_cy,
        "description": action.description,
        "description_cy": action.description_cy,
        "owner": action.owner,
        "owner_login": action.owner_user.get_username() if action.owner_user else "",
        "directorate": action.directorate.name if action.directorate else "",
        "outcomes": ";".join(item.ref for item in outcomes),
        "indicators": ";".join(i.ref for i in indicators),
        "start": _date(action.start),
        "due": _date(action.due),
        "completed_on": _date(action.completed_on),
        "percent_complete": _number(action.percent_complete),
        "progress": action.progress,
        "progress_cy": action.progress_cy,
        "progress_period": action.progress_period,
    }


def _milestone_row(milestone: Milestone) -> Row:
    return {
        "action": milestone.action.ref,
        "title": milestone.title,
        "due": _date(milestone.due),
        "completed_on": _date(milestone.completed_on),
    }


def _date(day: date | None) -> str:
    return "" if day is None else day.isoformat()


def _number(value: Decimal | None) -> str:
    return "" if value is None else plain(value)
