"""The plan section of the Word report: the priorities with their roll-up,
then each outcome with its indicators and actions, under real headings
(Heading 1 for the section, 2 for a priority, 3 for an outcome, 4 below), and
the plan's part of the Key."""

from __future__ import annotations

from docx.document import Document
from docx.table import _Cell

from perfreport.reports import docx_blocks as b
from perfreport.reports.docx_blocks import SECONDARY
from perfreport.reports.plan_section import (
    PlanActionRow,
    PlanItemSection,
    PlanSection,
    Tag,
)

ACTION_COLUMNS = ["Action or project", "Owner", "Due", "Complete", "Status"]


def plan_part(doc: Document, plan: PlanSection, has_indicators: bool) -> None:
    heading = b.heading(doc, plan.heading, 1, new_page=True)
    b.bookmark(heading, "plan")
    b.paragraph(doc, plan.intro)
    _priorities(doc, plan)
    for priority in plan.priorities:
        _item(doc, priority, has_indicators)
    if plan.other_actions:
        b.heading(doc, "Actions serving no outcome", 2)
        _actions(doc, plan.other_actions, "Actions and projects serving no outcome")


def plan_key(doc: Document, plan: PlanSection) -> None:
    """The roll-up rule and what each action status means, for the Key."""
    b.heading(doc, "Plan status", 2)
    b.paragraph(doc, plan.rule_words)
    table = b.table(doc, ["Action status", "Meaning"], "What each action status means")
    for line in plan.statuses:
        cells = table.add_row().cells
        b.tag_cell(cells[0], line.symbol, line.term, line.key)
        b.cell_text(cells[1], line.meaning)
    b.widths(table, [40, 130])


def _tag(cell: _Cell, tag: Tag, size: int | None = None) -> None:
    b.tag_cell(cell, tag.symbol, tag.label, tag.key, size)


def _priorities(doc: Document, plan: PlanSection) -> None:
    b.heading(doc, "Priorities", 2)
    table = b.table(
        doc,
        ["Priority", "Status", "Indicators and actions"],
        "Each priority's status, and its indicators by RAG rating and its actions by status",
    )
    for priority in plan.priorities:
        cells = table.add_row().cells
        b.internal_link(
            b.first(cells[0]), f"Priority {priority.ref}: {priority.title}", priority.anchor
        )
        _tag(cells[1], priority.status)
        b.cell_text(cells[2], f"Indicators: {priority.indicator_words}")
        b.add_line(cells[2], f"Actions: {priority.action_words}", size=10, colour=b.TEXT)
        b.add_line(cells[0], priority.sentence, size=9, colour=SECONDARY)
    b.widths(table, [70, 35, 65])
    b.font_size(table, 10)


def _item(doc: Document, item: PlanItemSection, has_indicators: bool) -> None:
    heading = b.heading(doc, item.heading, min(item.depth + 1, 4))
    b.bookmark(heading, item.anchor)
    if item.lead:
        b.paragraph(doc, f"Lead: {item.lead}", colour=SECONDARY)
    for text in item.description:
        b.paragraph(doc, text)
    status = b.paragraph(doc, f"{item.status.symbol} {item.status.label}", bold=True)
    status.add_run(b.clean(f"  {item.sentence}"))
    b.paragraph(
        doc,
        f"Indicators: {item.indicator_words}. Actions: {item.action_words}.",
        size=9,
        colour=SECONDARY,
    )
    if item.indicators:
        _indicators(doc, item, has_indicators)
    if item.actions:
        _actions(doc, item.actions, f"Actions and projects of {item.ref}")
    for child in item.children:
        _item(doc, child, has_indicators)


def _indicators(doc: Document, item: PlanItemSection, has_indicators: bool) -> None:
    table = b.table(
        doc,
        ["Ref", "Indicator", "Value", "Target", "RAG rating"],
        f"Indicators of {item.level.lower()} {item.ref}",
        numeric=(2, 3),
    )
    for row in item.indicators:
        cells = table.add_row().cells
        b.cell_text(cells[0], row.ref)
        if row.anchor and has_indicators:
            b.internal_link(b.first(cells[1]), row.title, row.anchor)
        else:
            b.cell_text(cells[1], row.title)
        if row.kind:
            b.add_line(cells[1], row.kind, size=8, colour=SECONDARY)
        b.cell_text(cells[2], row.value, align_right=True)
        if row.period:
            b.add_line(cells[2], row.period, size=8, colour=SECONDARY)
        b.cell_text(cells[3], row.target, align_right=True)
        _tag(cells[4], row.rating)
    b.widths(table, [14, 70, 28, 26, 32])
    b.font_size(table, 9)


def _actions(doc: Document, actions: tuple[PlanActionRow, ...], title: str) -> None:
    table = b.table(doc, ACTION_COLUMNS, title, numeric=(3,))
    for action in actions:
        cells = table.add_row().cells
        b.cell_text(cells[0], f"{action.kind} {action.ref}: {action.title}", bold=True)
        b.add_line(cells[0], action.reason, size=8, colour=SECONDARY)
        for m in action.milestones:
            mark = "⚠ " if m.late else ""
            b.add_line(
                cells[0], f"{mark}Milestone: {m.title}, due {m.due}: {m.state}", size=8,
                colour=SECONDARY,
            )  # fmt: skip
        if action.note:
            b.add_line(
                cells[0], f"Progress ({action.note_period}): {action.note}", size=8,
                colour=SECONDARY,
            )  # fmt: skip
        b.cell_text(cells[1], action.owner)
        b.cell_text(cells[2], action.due or "None set")
        b.cell_text(cells[3], action.percent, align_right=True)
        _tag(cells[4], action.status)
    b.widths(table, [72, 30, 28, 18, 26])
    b.font_size(table, 9)
