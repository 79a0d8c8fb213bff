"""The exception pack as an editable Word document: the report's cover,
styles and footer (perfreport.reports.docx), then the pack's sections with
real headings, titled tables and tags that carry their words."""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO

from docx import Document as new_document
from docx.document import Document

from perfreport.reports import docx as report_docx
from perfreport.reports import docx_blocks as b
from perfreport.reports.docx_blocks import SECONDARY
from perfreport.reports.pack import PackContext, PackEntry


def render_pack_docx(context: PackContext) -> bytes:
    report = context.report
    titled = replace(
        report, cover=replace(report.cover, title=f"{report.cover.title}: exception pack")
    )
    doc = new_document()
    report_docx._setup(doc, titled)
    report_docx._cover(doc, titled)
    _summary(doc, context)
    _entries(doc, "What needs attention", context.attention,
             "Nothing needs attention this period.")  # fmt: skip
    _entries(doc, "What went well", context.went_well,
             "No indicator is Blue or a special cause of improvement this period.")  # fmt: skip
    _plan(doc, context)
    _appendix(doc, context)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _summary(doc: Document, context: PackContext) -> None:
    b.heading(doc, "Summary", 1, new_page=True)
    b.paragraph(doc, context.summary.sentence)
    if context.public:
        b.paragraph(doc, "Published figures only.", colour=SECONDARY)
    table = b.table(doc, ["RAG rating", "Indicators"], "Indicators by RAG rating", numeric=(1,))
    for count in context.summary.rating_counts:
        cells = table.add_row().cells
        b.tag_cell(cells[0], count.symbol, count.label, count.key)
        b.cell_text(cells[1], str(count.count), bold=True, align_right=True)
    b.widths(table, [60, 30])


def _entries(doc: Document, title: str, entries: tuple[PackEntry, ...], empty: str) -> None:
    b.heading(doc, title, 1, new_page=True)
    if not entries:
        b.paragraph(doc, empty, colour=SECONDARY)
    for e in entries:
        kind = "Action" if e.is_action else "Indicator"
        b.bookmark(b.heading(doc, f"{kind} {e.ref}: {e.title}", 2), e.anchor)
        why = doc.add_paragraph()
        why.add_run("Why it is here: ").bold = True
        why.add_run(b.clean(e.sentence))
        if not e.is_action:
            rating = e.rating_label or "Not rated"
            period = f" ({e.current_period})" if e.current_period else ""
            b.paragraph(doc, f"{rating}. Latest: {e.current}{period}. Target: {e.target}.")
            if e.commentary_drafted:
                b.paragraph(doc, "Drafted commentary: none was written; perfreport drafted "
                            "this from the figures.", bold=True)  # fmt: skip
            else:
                b.paragraph(doc, "Commentary", bold=True)
            b.paragraphs(doc, e.commentary, "None was written for this period.")
            if e.written_actions:
                b.paragraph(doc, "Actions given this period", bold=True)
                b.paragraphs(doc, e.written_actions, "")
        if e.actions:
            table = b.table(doc, ["Action or project", "Status", "Progress"],
                            f"Actions and projects for {e.ref}")  # fmt: skip
            for a in e.actions:
                cells = table.add_row().cells
                b.cell_text(cells[0], f"{a.ref} {a.title}")
                b.add_line(cells[0], f"{a.kind}{', ' + a.owner if a.owner else ''}",
                           size=9, colour=SECONDARY)  # fmt: skip
                b.tag_cell(cells[1], a.status_symbol, a.status, a.tag)
                b.cell_text(cells[2], a.reason)
                if a.note:
                    b.add_line(cells[2], f"{a.note_period}: {a.note}", size=9, colour=SECONDARY)
            b.widths(table, [60, 30, 80])


def _plan(doc: Document, context: PackContext) -> None:
    b.heading(doc, "The plan’s status", 1, new_page=True)
    if not context.plan:
        b.paragraph(doc, "No council plan is recorded: there are no priorities or outcomes "
                    "to report.", colour=SECONDARY)  # fmt: skip
        return
    b.paragraph(doc, context.plan_rule)
    table = b.table(doc, ["Priority or outcome", "Status", "Indicators", "Actions"],
                    "Each priority and outcome with its status")  # fmt: skip
    for r in context.plan:
        cells = table.add_row().cells
        indent = "" if r.depth == 1 else "    "
        b.cell_text(cells[0], f"{indent}{r.level} {r.ref}: {r.title}", bold=r.depth == 1)
        b.add_line(cells[0], r.sentence, size=9, colour=SECONDARY)
        b.tag_cell(
            cells[1], r.status_symbol, r.status_label, r.status.value if r.status else "none"
        )
        b.cell_text(cells[2], r.indicators)
        b.cell_text(cells[3], r.actions)
    b.widths(table, [80, 28, 31, 31])


def _appendix(doc: Document, context: PackContext) -> None:
    b.heading(doc, "Appendix: every other indicator", 1, new_page=True)
    if not context.appendix:
        b.paragraph(doc, "Every indicator is in the pack above.", colour=SECONDARY)
        return
    table = b.table(doc, ["Ref", "Indicator", "Period", "Current", "Target", "RAG rating"],
                    "The other indicators", numeric=(3, 4))  # fmt: skip
    for r in context.appendix:
        cells = table.add_row().cells
        for i, text in enumerate((r.ref, r.title, r.period, r.current, r.target)):
            b.cell_text(cells[i], text, align_right=i in (3, 4))
        b.rating_cell(cells[5], r.rating, label=r.rating_label, symbol=r.rating_symbol)
    b.font_size(table, 9)
    b.widths(table, [12, 64, 22, 22, 22, 28])
