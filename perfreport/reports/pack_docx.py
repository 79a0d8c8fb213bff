"""The exception pack as an editable Word document: the report's cover,
styles and footer (perfreport.reports.docx), then the pack's sections with
real headings, titled tables and tags that carry their words."""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO

from django.utils.translation import gettext as _
from docx import Document as new_document
from docx.document import Document

from perfreport.reports import docx as report_docx
from perfreport.reports import docx_blocks as b
from perfreport.reports.docx_blocks import SECONDARY
from perfreport.reports.pack import PackContext, PackEntry


def render_pack_docx(context: PackContext) -> bytes:
    report = context.report
    titled = replace(
        report,
        cover=replace(
            report.cover, title=_("%(title)s: exception pack") % {"title": report.cover.title}
        ),
    )
    doc = new_document()
    report_docx._setup(doc, titled)
    report_docx._cover(doc, titled)
    _summary(doc, context)
    _entries(doc, _("What needs attention"), context.attention,
             _("Nothing needs attention this period."))  # fmt: skip
    _entries(doc, _("What went well"), context.went_well,
             _("No indicator is Blue or a special cause of improvement this period."))  # fmt: skip
    _plan(doc, context)
    _appendix(doc, context)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _summary(doc: Document, context: PackContext) -> None:
    b.heading(doc, _("Summary"), 1, new_page=True)
    b.paragraph(doc, context.summary.sentence)
    if context.public:
        b.paragraph(doc, _("Published figures only."), colour=SECONDARY)
    table = b.table(
        doc, [_("RAG rating"), _("Indicators")], _("Indicators by RAG rating"), numeric=(1,)
    )
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
        words = {"ref": e.ref, "title": e.title}
        heading = (
            _("Action %(ref)s: %(title)s") if e.is_action else _("Indicator %(ref)s: %(title)s")
        ) % words
        b.bookmark(b.heading(doc, heading, 2), e.anchor)
        why = doc.add_paragraph()
        why.add_run(_("Why it is here:") + " ").bold = True
        why.add_run(b.clean(e.sentence))
        if not e.is_action:
            rating = e.rating_label or _("Not rated")
            period = f" ({e.current_period})" if e.current_period else ""
            b.paragraph(
                doc,
                _("%(rating)s. Latest: %(current)s%(period)s. Target: %(target)s.")
                % {"rating": rating, "current": e.current, "period": period, "target": e.target},
            )
            if e.commentary_drafted:
                b.paragraph(doc, _("Drafted commentary: none was written; perfreport drafted "
                                   "this from the figures."), bold=True)  # fmt: skip
            else:
                b.paragraph(doc, _("Commentary"), bold=True)
            b.paragraphs(doc, e.commentary, _("None was written for this period."))
            if e.written_actions:
                b.paragraph(doc, _("Actions given this period"), bold=True)
                b.paragraphs(doc, e.written_actions, "")
        if e.actions:
            table = b.table(doc, [_("Action or project"), _("Status"), _("Progress")],
                            _("Actions and projects for %(ref)s") % {"ref": e.ref})  # fmt: skip
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
    b.heading(doc, _("The plan’s status"), 1, new_page=True)
    if not context.plan:
        b.paragraph(doc, _("No council plan is recorded: there are no priorities or outcomes "
                           "to report."), colour=SECONDARY)  # fmt: skip
        return
    b.paragraph(doc, context.plan_rule)
    table = b.table(doc, [_("Priority or outcome"), _("Status"), _("Indicators"), _("Actions")],
                    _("Each priority and outcome with its status"))  # fmt: skip
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
    b.heading(doc, _("Appendix: every other indicator"), 1, new_page=True)
    if not context.appendix:
        b.paragraph(doc, _("Every indicator is in the pack above."), colour=SECONDARY)
        return
    table = b.table(doc, [_("Ref"), _("Indicator"), _("Period"), _("Current"), _("Target"), _("RAG rating")],
                    _("The other indicators"), numeric=(3, 4))  # fmt: skip
    for r in context.appendix:
        cells = table.add_row().cells
        for i, text in enumerate((r.ref, r.title, r.period, r.current, r.target)):
            b.cell_text(cells[i], text, align_right=i in (3, 4))
        b.rating_cell(cells[5], r.rating, label=r.rating_label, symbol=r.rating_symbol)
    b.font_size(table, 9)
    b.widths(table, [12, 64, 22, 22, 22, 28])
