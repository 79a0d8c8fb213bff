"""The council plan as the API answers it (GET /api/plan): the plan items
top down with their roll-ups, every action with its status, and for staff
the findings. Built from perfreport.data.plan.load_plan, as the pages and
the reports are."""

from __future__ import annotations

from datetime import date
from typing import Any

from perfreport.api.schemas import number
from perfreport.core.plan import RollupMethod
from perfreport.data.plan import ActionView, ItemView, PlanView


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _item(view: PlanView, item: ItemView, parent: str | None) -> dict[str, Any]:
    rollup = item.rollup
    return {
        "ref": item.ref,
        "parent": parent,
        "depth": item.depth,
        "level": item.level,
        "title": item.item.title,
        "description": item.item.description,
        "lead": item.item.lead,
        "status": rollup.status.value if rollup.status else None,
        "status_label": view.label(rollup.status) if rollup.status else "",
        "status_sentence": rollup.sentence(view.label),
        "indicators_by_rating": {r.value: n for r, n in rollup.ratings.items()},
        "indicators_unrated": rollup.unrated,
        "actions_by_status": {s.value: n for s, n in rollup.statuses.items()},
        "indicators": [row.indicator.ref for row in item.indicators],
        "actions": [a.ref for a in item.actions],
    }


def _action(action: ActionView) -> dict[str, Any]:
    record = action.action
    return {
        "ref": record.ref,
        "kind": record.kind,
        "title": record.title,
        "description": record.description,
        "owner": record.owner,
        "start": _day(record.start),
        "due": _day(record.due),
        "percent_complete": number(action.percent),
        "completed_on": _day(action.completed_on),
        "status": action.status.value,
        "status_label": action.status.label,
        "status_reason": action.outcome.reason,
        "progress": action.note,
        "progress_period": action.note_period,
        "outcomes": [o.ref for o in record.outcomes.all()],
        "indicators": [i.ref for i in record.indicators.all()],
        "milestones": [
            {
                "title": m.title,
                "due": m.due.isoformat(),
                "completed_on": _day(action.milestones_done.get(m.pk, m.completed_on)),
            }
            for m in action.milestones
        ],
    }


def plan_answer(view: PlanView) -> dict[str, Any]:
    share = view.rule.method is RollupMethod.SHARE
    items: list[dict[str, Any]] = []

    def add(item: ItemView, parent: str | None) -> None:
        items.append(_item(view, item, parent))
        for child in item.children:
            add(child, item.ref)

    for priority in view.priorities:
        add(priority, None)
    return {
        "period": view.period.label,
        "as_of": view.as_of.isoformat(),
        "published_only": view.public,
        "rule": {
            "method": view.rule.method.value,
            "green_share": number(view.rule.green_share) if share else None,
            "amber_share": number(view.rule.amber_share) if share else None,
            "words": view.rule_words(),
        },
        "items": items,
        "actions": [_action(a) for a in view.actions.values()],
        "findings": None
        if view.public
        else [
            {"kind": f.kind.value, "ref": f.ref, "title": f.title, "message": f.sentence}
            for f in view.findings
        ],
    }
