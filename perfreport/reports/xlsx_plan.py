"""The plan in the report's workbook: a "Plan" sheet with one row per
outcome and indicator and per outcome and action (an indicator or action
serving two outcomes has a row in each), and a "Plan roll-up" sheet with one
row per priority and outcome. Numbers are numbers and dates are dates, so
the sheets filter and sort; no cell is a formula (text is written by the
import's text rule, ``append_row``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from perfreport.core.plan import ActionStatus
from perfreport.imports.spreadsheet import append_row
from perfreport.reports.plan_section import (
    PlanActionRow,
    PlanIndicatorRow,
    PlanItemSection,
    PlanSection,
)
from perfreport.reports.xlsx import _tidy  # one look for every sheet of the workbook

PLAN_COLUMNS = [
    "row", "priority_ref", "priority_title", "outcome_ref", "outcome_level", "outcome_title",
    "outcome_status", "ref", "title", "type", "value", "display_value", "period", "target",
    "display_target", "rating", "owner", "start", "due", "percent_complete", "status",
    "status_reason", "milestones", "progress", "progress_period",
]  # fmt: skip
DATE_COLUMNS = ("start", "due")
NUMBER_COLUMNS = ("value", "target", "percent_complete")
STATUS_COLUMNS = [status.label for status in ActionStatus]


def plan_sheets(workbook: Workbook, plan: PlanSection) -> None:
    _plan(workbook.create_sheet(_("Plan")), plan)
    _rollup(workbook.create_sheet(_("Plan roll-up")), plan)


def _plan(sheet: Worksheet, plan: PlanSection) -> None:
    append_row(sheet, PLAN_COLUMNS)
    for priority, item in _items(plan):
        place = [priority.ref, priority.title, item.ref, item.level, item.title, item.status.label]
        for indicator in item.indicators:
            append_row(sheet, ["indicator", *place, *_indicator(indicator)])
        for action in item.actions:
            append_row(sheet, ["action", *place, *_action(action)])
    for action in plan.other_actions:
        append_row(sheet, ["action", None, None, None, None, None, None, *_action(action)])
    for name in DATE_COLUMNS:
        column = PLAN_COLUMNS.index(name) + 1
        for row in range(2, sheet.max_row + 1):
            sheet.cell(row, column).number_format = "yyyy-mm-dd"
    _tidy(sheet, {"title": 45, "outcome_title": 30, "priority_title": 30, "status_reason": 60,
                  "milestones": 60, "progress": 60})  # fmt: skip


def _items(plan: PlanSection) -> Iterator[tuple[PlanItemSection, PlanItemSection]]:
    for priority in plan.priorities:
        for item in priority.walk():
            yield priority, item


def _indicator(row: PlanIndicatorRow) -> list[Any]:
    return [
        row.ref, row.title, row.kind, _number(row.value_number), row.value, row.period,
        _number(row.target_number), row.target, row.rating.label,
        None, None, None, None, None, None, None, None, None,
    ]  # fmt: skip


def _action(row: PlanActionRow) -> list[Any]:
    milestones = "; ".join(f"{m.title}, due {m.due}: {m.state}" for m in row.milestones)
    return [
        row.ref, row.title, row.kind, None, None, None, None, None, None,
        row.owner, row.start_date, row.due_date, _number(row.percent_number), row.status.label,
        row.reason, milestones or None, row.note or None, row.note_period or None,
    ]  # fmt: skip


def _number(value: Any) -> float | None:
    return float(value) if value is not None else None


def _rollup(sheet: Worksheet, plan: PlanSection) -> None:
    append_row(sheet, ["ref", "level", "priority_ref", "title", "status", "sentence", "lead",
                       "indicators", "actions", *STATUS_COLUMNS])  # fmt: skip
    for priority, item in _items(plan):
        by_status = {c.label: c.count for c in item.action_counts}
        append_row(
            sheet,
            [item.ref, item.level, priority.ref, item.title, item.status.label, item.sentence,
             item.lead or None, item.indicator_words, item.action_words,
             *(by_status.get(label, 0) for label in STATUS_COLUMNS)],
        )  # fmt: skip
    _tidy(sheet, {"title": 40, "sentence": 70, "indicators": 40, "actions": 40})
