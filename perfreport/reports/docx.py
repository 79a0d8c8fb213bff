"""The report as an editable Word document, for committee papers.

Built with python-docx from the same :class:`ReportContext` as every other
format, with the same content as the HTML report. What makes it usable and
accessible in Word:

* real Heading 1/2/3 styles (Word's navigation pane and table of contents),
  and a TOC field at the start that Word fills in when the file is opened;
* tables whose header row repeats on every page (``w:tblHeader``), each with
  a title for assistive technology (``w:tblCaption``);
* charts as PNG pictures with their alt text (``wp:docPr/@descr``), each
  followed by the table of the figures it shows;
* RAG ratings as a shaded cell with a symbol and a label, never colour alone;
* Useful Links as real hyperlinks; links within the document to each indicator;
* A4 pages, each indicator starting a new page, "Page X of Y" in the footer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from perfreport.reports import docx_blocks as b
from perfreport.reports.chart_specs import section_spc_spec
from perfreport.reports.charts import ChartRenderer, chart_key, trend_spec
from perfreport.reports.context import IndicatorSection, ReportContext, as_parts, with_anchor_prefix
from perfreport.reports.docx_blocks import (
    CHART_WIDTH,
    FONT,
    LINK,
    PICTURE_SUFFIXES,
    SECONDARY,
    TEXT,
)
from perfreport.reports.docx_plan import plan_key, plan_part
from perfreport.reports.html import contact_href, safe_href
from perfreport.reports.language import in_language, tag


def render_docx(context: ReportContext | Sequence[ReportContext], charts: ChartRenderer) -> bytes:
    """The whole report as a .docx file (its bytes): one report, or a
    bilingual one, the Welsh part then the English, each run marked with its
    part's language (w:lang) and the document's language the first part's."""
    parts = as_parts(context)
    doc = new_document()
    with in_language(parts[0].language):
        _setup(doc, parts[0])
    body = doc.element.body
    for number, part in enumerate(parts):
        if len(parts) > 1:
            part = with_anchor_prefix(part, f"{part.language}-")
        start = len(body)
        with in_language(part.language):
            _body(doc, part, charts, new_page=number > 0)
        if len(parts) > 1:
            _mark_language(list(body)[start:], tag(part.language))
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _mark_language(elements: list[Any], language: str) -> None:
    """Every run in ``elements`` in ``language`` (a bilingual document's part)."""
    for element in elements:
        for run in element.iter(qn("w:r")):
            rpr = run.get_or_add_rPr()
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                rpr.append(lang)
            lang.set(qn("w:val"), language)


def _body(doc: Document, context: ReportContext, charts: ChartRenderer, *, new_page: bool) -> None:
    sections = context.settings.sections
    if "cover" in sections:
        _cover(doc, context, new_page=new_page)
    else:
        title = b.styled(doc, b.clean(context.document_title), "Title")
        title.paragraph_format.page_break_before = new_page
    _contents(doc)
    for name in sections:
        if name == "summary":
            _summary(doc, context)
        elif name == "key":
            _key(doc, context)
        elif name == "plan" and context.plan is not None:
            plan_part(doc, context.plan, "indicators" in sections)
        elif name == "indicators":
            for section in context.sections:
                _indicator(doc, section, charts)


# -- the document ------------------------------------------------------------


def _setup(doc: Document, context: ReportContext) -> None:
    props = doc.core_properties
    props.title = b.clean(context.document_title)
    props.author = b.clean(context.cover.organisation)
    props.subject = b.clean(f"{context.cover.period_heading}, {context.cover.financial_year}")
    props.keywords = _("performance; RAG; indicators")
    props.comments = _("Produced by perfreport")
    props.language = tag(context.language)
    props.last_modified_by = b.clean(context.cover.team or context.cover.organisation)
    props.created = props.modified = datetime.now(UTC).replace(microsecond=0)
    props.revision = 1

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    section.header_distance = section.footer_distance = Mm(10)

    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.font.color.rgb = TEXT
    normal.paragraph_format.space_after = Pt(6)
    _set_fonts(normal.element, FONT)
    _language(doc, tag(context.language))
    for name, size, before in (
        ("Title", 28, 0),
        ("Subtitle", 18, 0),
        ("Heading 1", 20, 0),
        ("Heading 2", 14, 12),
        ("Heading 3", 12, 10),
        ("Heading 4", 11, 8),
        ("TOC Heading", 20, 0),
    ):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = TEXT
        _set_fonts(style.element, FONT)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(6)
    styles["Subtitle"].font.bold = False
    # the default Title has a coloured bottom border; a plain one suits a cover
    title_ppr = styles["Title"].element.find(qn("w:pPr"))
    if title_ppr is not None:
        for border in title_ppr.findall(qn("w:pBdr")):
            title_ppr.remove(border)
    caption = styles["Caption"]
    caption.font.name = FONT
    caption.font.size = Pt(10)
    caption.font.bold = False
    caption.font.italic = False
    caption.font.color.rgb = SECONDARY
    if "Hyperlink" not in [s.name for s in styles]:
        link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.font.color.rgb = LINK
        link.font.underline = True
    # Word fills in the table of contents and the page count when it opens the file.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    doc.settings.element.insert_element_before(update, *_AFTER_UPDATE_FIELDS)
    _drop_thumbnail(doc)
    _footer(doc, context)


# What may follow w:updateFields in w:settings (the schema fixes the order)
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
    "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
    "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip


def _drop_thumbnail(doc: Document) -> None:
    """python-docx's template carries a thumbnail of another document: not ours."""
    package = doc.part.package
    for r_id, rel in list(package.rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            package.rels.pop(r_id)


def _set_fonts(style_element: Any, font: str) -> None:
    rpr = style_element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), font)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)


def _language(doc: Document, language: str) -> None:
    """The document's language, so that Word's spelling and screen readers use it."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        return
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)


def _footer(doc: Document, context: ReportContext) -> None:
    footer = doc.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.style = doc.styles["Footer"]
    # "Page {page} of {total}" in the report's words, the numbers Word's fields.
    before, rest = _("Page {page} of {total}").split("{page}", 1)
    between, after = rest.split("{total}", 1)
    run = paragraph.add_run(f"{b.clean(context.document_title)}   {before}")
    run.font.size = Pt(9)
    _field(paragraph, "PAGE", "1", size=9)
    paragraph.add_run(between).font.size = Pt(9)
    _field(paragraph, "NUMPAGES", "1", size=9)
    if after:
        paragraph.add_run(after).font.size = Pt(9)


def _field(
    paragraph: Paragraph, instruction: str, placeholder: str, size: int | None = None
) -> None:
    """A complex field (PAGE, NUMPAGES, TOC): Word works out its value."""

    def run_with(child: Any) -> None:
        run = paragraph.add_run()
        if size:
            run.font.size = Pt(size)
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run_with(begin)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run_with(text)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    shown = paragraph.add_run(placeholder)
    if size:
        shown.font.size = Pt(size)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


# -- the parts ---------------------------------------------------------------


def _cover(doc: Document, context: ReportContext, *, new_page: bool = False) -> None:
    cover = context.cover
    if new_page:
        doc.add_paragraph().paragraph_format.page_break_before = True
    logo = Path(cover.logo) if cover.logo else None
    if logo is not None and logo.is_file() and logo.suffix.lower() in PICTURE_SUFFIXES:
        paragraph = doc.add_paragraph()
        try:
            paragraph.add_run().add_picture(str(logo), height=Mm(20))
        except Exception:
            # not a picture Word can show: the cover goes without it
            paragraph._p.getparent().remove(paragraph._p)
        else:
            b.picture_alt_text(
                paragraph,
                _("%(organisation)s logo") % {"organisation": cover.organisation}
                if cover.organisation
                else _("Logo"),
            )
    if cover.organisation:
        b.paragraph(doc, cover.organisation, bold=True, size=14)
    b.styled(doc, b.clean(cover.title), "Title")
    b.styled(doc, b.clean(cover.period_heading), "Subtitle")
    b.paragraph(doc, cover.financial_year, size=14)
    if cover.directorate:
        b.paragraph(doc, cover.directorate, size=14)
    b.paragraph(doc, "")
    _labelled(doc, _("Produced on"), cover.produced_on)
    if cover.team:
        team = f"{cover.team}, {cover.organisation}" if cover.organisation else cover.team
        _labelled(doc, _("Produced by"), team)
    if cover.contact:
        paragraph = _labelled(doc, _("Contact"), "")
        href = contact_href(cover.contact)
        if href:
            b.hyperlink(paragraph.part, paragraph, cover.contact, href)
        else:
            paragraph.add_run(b.clean(cover.contact))


def _labelled(doc: Document, label: str, value: str) -> Paragraph:
    paragraph = doc.add_paragraph()
    paragraph.add_run(_("%(label)s: ") % {"label": label}).bold = True
    if value:
        paragraph.add_run(b.clean(value))
    return paragraph


def _contents(doc: Document) -> None:
    heading = b.styled(doc, _("Contents"), "TOC Heading")
    heading.paragraph_format.page_break_before = True
    paragraph = doc.add_paragraph()
    _field(
        paragraph,
        'TOC \\o "1-1" \\h \\z \\u',
        _("Word fills in the contents when it opens the file."),
    )


def _summary(doc: Document, context: ReportContext) -> None:
    summary = context.summary
    b.heading(doc, _("Summary"), 1, new_page=True)
    b.paragraph(
        doc,
        ngettext(
            "This report covers %(count)s indicator.",
            "This report covers %(count)s indicators.",
            summary.total,
        )
        % {"count": summary.total},
    )

    b.heading(doc, _("RAG ratings"), 2)
    table = b.table(
        doc, [_("RAG rating"), _("Indicators")], _("Number of indicators with each RAG rating")
    )
    for count in summary.rating_counts:
        cells = table.add_row().cells
        b.tag_cell(cells[0], count.symbol, count.label, count.key)
        b.cell_text(cells[1], str(count.count), align_right=True)
    b.widths(table, [60, 30])

    b.heading(doc, _("Change in performance"), 2)
    table = b.table(
        doc, [_("Change"), _("Indicators")], _("Number of indicators by change in performance")
    )
    for count in summary.change_counts:
        cells = table.add_row().cells
        b.cell_text(cells[0], f"{count.symbol} {count.label}")
        b.cell_text(cells[1], str(count.count), align_right=True)
    b.widths(table, [60, 30])

    b.heading(doc, _("Exceptions"), 2)
    if summary.exceptions:
        b.paragraph(
            doc,
            _("Indicators rated Red come first, then any indicator whose figures need checking."),
        )
        for item in summary.exceptions:
            paragraph = b.styled(doc, "", "List Bullet")
            b.internal_link(paragraph, _heading(item.ref, item.title), item.anchor, bold=True)
            for reason in item.reasons:
                b.styled(doc, b.clean(reason), "List Bullet 2")
    else:
        b.paragraph(
            doc, _("None: no indicator is rated Red and the data checks found nothing to query.")
        )

    b.heading(doc, _("All indicators"), 2)
    b.paragraph(
        doc,
        _(
            "Every indicator by directorate and service, with its latest value, target, "
            "RAG rating and change in performance."
        ),
    )
    columns = [_("Ref"), _("Indicator"), _("Period"), _("Current"), _("Target"), _("RAG rating"),
               _("Change")]  # fmt: skip
    for group in summary.groups:
        b.heading(doc, group.heading, 3)
        table = b.table(
            doc, columns, _("Indicators: %(group)s") % {"group": group.heading}, numeric=(3, 4)
        )
        for row in group.rows:
            cells = table.add_row().cells
            b.cell_text(cells[0], row.ref)
            b.internal_link(b.first(cells[1]), row.title, row.anchor)
            if row.flagged:
                b.add_line(
                    cells[1], _("Listed in Exceptions: figures to check"), size=8, colour=SECONDARY
                )
            b.cell_text(cells[2], row.period)
            b.cell_text(cells[3], row.current, align_right=True)
            b.cell_text(cells[4], row.target, align_right=True)
            b.rating_cell(cells[5], row.rating, label=row.rating_label, symbol=row.rating_symbol)
            b.cell_text(cells[6], b.change_text(row.change, row.no_change))
        b.widths(table, [10, 52, 22, 19, 19, 26, 22])
        b.font_size(table, 9)


def _key(doc: Document, context: ReportContext) -> None:
    key = context.key
    b.heading(doc, _("Key"), 1, new_page=True)
    table = b.table(
        doc, [_("Data item"), _("Explanation")], _("What each item on an indicator's page means")
    )
    for entry in key.items:
        cells = table.add_row().cells
        b.cell_text(cells[0], entry.term, bold=True)
        b.cell_text(cells[1], entry.meaning)
    b.widths(table, [50, 120])
    b.font_size(table, 10)

    b.heading(doc, _("RAG ratings"), 2)
    table = b.table(doc, [_("Rating"), _("Meaning")], _("What each RAG rating means"))
    for line in key.ratings:
        cells = table.add_row().cells
        b.tag_cell(cells[0], line.symbol, line.label, line.rating.value)
        b.cell_text(cells[1], line.meaning)
    b.widths(table, [40, 130])
    if key.variations:
        b.heading(doc, _("Indicators rated by another scheme"), 2)
        for variation in key.variations:
            b.styled(doc, b.clean(variation), "List Bullet")
    if context.plan is not None and "plan" in context.settings.sections:
        plan_key(doc, context.plan)


def _heading(ref: str, title: str) -> str:
    return _("Indicator %(ref)s: %(title)s") % {"ref": ref, "title": title}


def _indicator(doc: Document, s: IndicatorSection, charts: ChartRenderer) -> None:
    if s.directorate or s.service:
        place = " – ".join(p for p in (s.directorate, s.service) if p)
        caption = b.paragraph(doc, place, colour=SECONDARY, size=11)
        caption.paragraph_format.page_break_before = True
        caption.paragraph_format.keep_with_next = True
        heading = b.heading(doc, _heading(s.ref, s.title), 1)
    else:
        heading = b.heading(doc, _heading(s.ref, s.title), 1, new_page=True)
    b.bookmark(heading, s.anchor)

    labels = [
        s.target_label,
        _("Direction for Improvement"),
        s.current_label,
        s.previous_label,
        _("Change in Performance"),
    ]
    table = b.table(
        doc,
        labels,
        _("Indicator %(ref)s: target, direction, current and previous values, change")
        % {"ref": s.ref},
    )
    cells = table.add_row().cells
    b.figure(cells[0], s.target, s.target_note)
    b.figure(cells[1], s.direction_arrow, s.direction_words)
    b.figure(cells[2], s.current, s.current_period)
    b.figure(cells[3], s.previous, s.previous_period)
    b.figure(cells[4], b.change_text(s.change, s.no_change), "")
    b.widths(table, [34, 34, 34, 34, 34])

    found = s.benchmarks
    if found is not None and found.caption:
        b.paragraph(doc, found.caption, colour=SECONDARY).paragraph_format.keep_with_next = True
    table = b.table(
        doc,
        [
            found.group_heading if found else _("Statistical Neighbours Mean"),
            found.national_heading if found else _("England Mean"),
            _("RAG Rating"),
        ],
        _("Indicator %(ref)s: comparisons and RAG rating") % {"ref": s.ref},
    )
    cells = table.add_row().cells
    _benchmark_cells(cells[0], cells[1], s)
    b.rating_cell(cells[2], s.rating, size=12, label=s.rating_label, symbol=s.rating_symbol)
    if s.rating_differs:
        printed = s.stated_rating.label if s.stated_rating else _("no rating")
        b.add_line(
            cells[2], _("Printed: %(rating)s") % {"rating": printed}, size=9, colour=SECONDARY
        )
    b.widths(table, [57, 57, 56])

    if s.explanation:
        b.paragraph(doc, s.explanation, italic=True).paragraph_format.space_before = Pt(6)
    if s.findings:
        b.paragraph(doc, _("Figures to check"), bold=True)
        for finding in s.findings:
            b.styled(doc, b.clean(finding), "List Bullet")

    b.heading(doc, _("Trend"), 2)
    if s.chart.points:
        png = charts.png(trend_spec(s.chart), scale=2.0)
        doc.add_picture(BytesIO(png), width=CHART_WIDTH)
        picture = doc.paragraphs[-1]
        picture.paragraph_format.keep_with_next = True
        b.picture_alt_text(
            picture, s.chart.alt_text, title=_("Trend chart: %(title)s") % {"title": s.title}
        )
        b.styled(doc, b.clean(f"{s.chart.alt_text} {chart_key(s.chart)}"), "Caption")
    else:
        b.paragraph(doc, s.chart.alt_text)
    table = b.table(
        doc,
        [_("Period"), _("Value"), _("Target")],
        _("Indicator %(ref)s: values and targets, latest first") % {"ref": s.ref},
        numeric=(1, 2),
    )
    for row in s.history:
        cells = table.add_row().cells
        b.cell_text(cells[0], row.period, bold=True)
        b.cell_text(cells[1], row.value, align_right=True)
        b.cell_text(cells[2], row.target or "–", align_right=True)
    if not s.history:
        cells = table.add_row().cells
        b.cell_text(cells[0], _("No values yet."))
    b.widths(table, [40, 35, 35])
    b.font_size(table, 10)

    _spc(doc, s, charts)
    if s.forecast is not None:
        b.heading(doc, _("Forecast"), 2)
        if s.forecast.sentence:
            b.paragraph(doc, s.forecast.sentence)
        else:
            b.paragraph(doc, s.forecast.missing, colour=SECONDARY)

    b.heading(doc, _("Indicator Description"), 2)
    b.paragraphs(doc, s.description, _("No description given."))
    if s.source:
        b.heading(doc, _("Source"), 2)
        b.paragraph(doc, s.source)
    b.heading(doc, _("Commentary"), 2)
    b.paragraphs(doc, s.commentary, _("No commentary for this period."))
    b.heading(doc, _("Actions"), 2)
    if s.actions_missing:
        b.paragraph(
            doc, _("Actions missing: the Key expects actions for every Red indicator"), bold=True
        )
    b.paragraphs(doc, s.actions, "" if s.actions_missing else _("None given."))
    b.heading(doc, _("Useful Links"), 2)
    if not s.links:
        b.paragraph(doc, _("None."), colour=SECONDARY)
    for title, url in s.links:
        paragraph = b.styled(doc, "", "List Bullet")
        href = safe_href(url)
        if href:
            b.hyperlink(paragraph.part, paragraph, title, href)
        else:
            paragraph.add_run(b.clean(title))


def _benchmark_cells(mean_cell: Any, national_cell: Any, s: IndicatorSection) -> None:
    """The group mean with its basis, median and standing; the national figure with its basis."""
    b.figure(mean_cell, s.neighbours, "")
    b.figure(national_cell, s.england, "")
    found = s.benchmarks
    if found is None:
        return
    notes = [f"({found.mean_basis})" if found.mean_basis else ""]
    notes += [
        _("Median %(median)s") % {"median": found.median} if found.median else "",
        found.standing,
    ]
    for note in (n for n in notes if n):
        b.add_line(mean_cell, note, size=9, colour=SECONDARY)
    if found.national_basis:
        b.add_line(national_cell, f"({found.national_basis})", size=9, colour=SECONDARY)


def _spc(doc: Document, s: IndicatorSection, charts: ChartRenderer) -> None:
    """Statistical process control in words (Word gets no icons), and the XmR chart."""
    block = s.spc
    if block is None:
        return
    b.heading(doc, _("Statistical process control"), 2)
    if block.variation is not None:
        b.paragraph(
            doc,
            _("Variation: %(label)s. %(description)s")
            % {"label": block.variation_label, "description": block.variation.description},
        )
    if block.assurance is not None:
        b.paragraph(
            doc,
            _("Assurance: %(label)s. %(description)s")
            % {"label": block.assurance_label, "description": block.assurance.description},
        )
    b.paragraph(doc, block.explanation)
    spec = section_spc_spec(s)
    if spec is None:
        return
    doc.add_picture(BytesIO(charts.png(spec, scale=2.0)), width=CHART_WIDTH)
    picture = doc.paragraphs[-1]
    picture.paragraph_format.keep_with_next = True
    b.picture_alt_text(
        picture, spec["description"], title=_("SPC chart: %(title)s") % {"title": s.title}
    )
    b.styled(doc, b.clean(spec["description"]), "Caption")
