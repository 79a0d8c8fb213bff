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

import re
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from perfreport.core.change import Change
from perfreport.core.rating import Rating
from perfreport.reports.charts import ChartRenderer, chart_key, trend_spec
from perfreport.reports.context import IndicatorSection, ReportContext
from perfreport.reports.html import contact_href, safe_href
from perfreport.reports.style import TAG_COLOURS

TEXT = RGBColor(0x0B, 0x0C, 0x0C)
SECONDARY = RGBColor(0x50, 0x5A, 0x5F)
LINK = RGBColor(0x1D, 0x70, 0xB8)
BORDER = "B1B4B6"
FONT = "Arial"
CHART_WIDTH = Mm(150)
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff")

# Characters XML 1.0 cannot hold; imported text could carry them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render_docx(context: ReportContext, charts: ChartRenderer) -> bytes:
    """The whole report as a .docx file (its bytes)."""
    doc = new_document()
    _setup(doc, context)
    sections = context.settings.sections
    if "cover" in sections:
        _cover(doc, context)
    else:
        _styled(doc, _clean(context.document_title), "Title")
    _contents(doc)
    for name in sections:
        if name == "summary":
            _summary(doc, context)
        elif name == "key":
            _key(doc, context)
        elif name == "indicators":
            for section in context.sections:
                _indicator(doc, section, charts)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


# -- the document ------------------------------------------------------------


def _setup(doc: Document, context: ReportContext) -> None:
    props = doc.core_properties
    props.title = _clean(context.document_title)
    props.author = _clean(context.cover.organisation)
    props.subject = _clean(f"{context.cover.period_heading}, {context.cover.financial_year}")
    props.keywords = "performance; RAG; indicators"
    props.comments = "Produced by perfreport"
    props.language = "en-GB"
    props.last_modified_by = _clean(context.cover.team or context.cover.organisation)
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
    _language(doc, "en-GB")
    for name, size, before in (
        ("Title", 28, 0),
        ("Subtitle", 18, 0),
        ("Heading 1", 20, 0),
        ("Heading 2", 14, 12),
        ("Heading 3", 12, 10),
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
    run = paragraph.add_run(f"{_clean(context.document_title)}   Page ")
    run.font.size = Pt(9)
    _field(paragraph, "PAGE", "1", size=9)
    paragraph.add_run(" of ").font.size = Pt(9)
    _field(paragraph, "NUMPAGES", "1", size=9)


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


def _cover(doc: Document, context: ReportContext) -> None:
    cover = context.cover
    logo = Path(cover.logo) if cover.logo else None
    if logo is not None and logo.is_file() and logo.suffix.lower() in PICTURE_SUFFIXES:
        paragraph = doc.add_paragraph()
        try:
            paragraph.add_run().add_picture(str(logo), height=Mm(20))
        except Exception:
            # not a picture Word can show: the cover goes without it
            paragraph._p.getparent().remove(paragraph._p)
        else:
            _picture_alt_text(
                paragraph, f"{cover.organisation} logo" if cover.organisation else "Logo"
            )
    if cover.organisation:
        _paragraph(doc, cover.organisation, bold=True, size=14)
    _styled(doc, _clean(cover.title), "Title")
    _styled(doc, _clean(cover.period_heading), "Subtitle")
    _paragraph(doc, cover.financial_year, size=14)
    if cover.directorate:
        _paragraph(doc, cover.directorate, size=14)
    _paragraph(doc, "")
    _labelled(doc, "Produced on", cover.produced_on)
    if cover.team:
        team = f"{cover.team}, {cover.organisation}" if cover.organisation else cover.team
        _labelled(doc, "Produced by", team)
    if cover.contact:
        paragraph = _labelled(doc, "Contact", "")
        href = contact_href(cover.contact)
        if href:
            _hyperlink(paragraph.part, paragraph, cover.contact, href)
        else:
            paragraph.add_run(_clean(cover.contact))


def _labelled(doc: Document, label: str, value: str) -> Paragraph:
    paragraph = doc.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    if value:
        paragraph.add_run(_clean(value))
    return paragraph


def _contents(doc: Document) -> None:
    heading = _styled(doc, "Contents", "TOC Heading")
    heading.paragraph_format.page_break_before = True
    paragraph = doc.add_paragraph()
    _field(
        paragraph, 'TOC \\o "1-1" \\h \\z \\u', "Word fills in the contents when it opens the file."
    )


def _summary(doc: Document, context: ReportContext) -> None:
    summary = context.summary
    _heading(doc, "Summary", 1, new_page=True)
    _paragraph(
        doc, f"This report covers {summary.total} indicator{'' if summary.total == 1 else 's'}."
    )

    _heading(doc, "RAG ratings", 2)
    table = _table(doc, ["RAG rating", "Indicators"], "Number of indicators with each RAG rating")
    for count in summary.rating_counts:
        cells = table.add_row().cells
        _tag_cell(cells[0], count.symbol, count.label, count.key)
        _cell_text(cells[1], str(count.count), align_right=True)
    _widths(table, [60, 30])

    _heading(doc, "Change in performance", 2)
    table = _table(doc, ["Change", "Indicators"], "Number of indicators by change in performance")
    for count in summary.change_counts:
        cells = table.add_row().cells
        _cell_text(cells[0], f"{count.symbol} {count.label}")
        _cell_text(cells[1], str(count.count), align_right=True)
    _widths(table, [60, 30])

    _heading(doc, "Exceptions", 2)
    if summary.exceptions:
        _paragraph(
            doc, "Indicators rated Red come first, then any indicator whose figures need checking."
        )
        for item in summary.exceptions:
            paragraph = _styled(doc, "", "List Bullet")
            _internal_link(paragraph, f"Indicator {item.ref}: {item.title}", item.anchor, bold=True)
            for reason in item.reasons:
                _styled(doc, _clean(reason), "List Bullet 2")
    else:
        _paragraph(
            doc, "None: no indicator is rated Red and the data checks found nothing to query."
        )

    _heading(doc, "All indicators", 2)
    _paragraph(
        doc,
        "Every indicator by directorate and service, with its latest value, target, "
        "RAG rating and change in performance.",
    )
    columns = ["Ref", "Indicator", "Period", "Current", "Target", "RAG rating", "Change"]
    for group in summary.groups:
        _heading(doc, group.heading, 3)
        table = _table(doc, columns, f"Indicators: {group.heading}", numeric=(3, 4))
        for row in group.rows:
            cells = table.add_row().cells
            _cell_text(cells[0], row.ref)
            _internal_link(_first(cells[1]), row.title, row.anchor)
            if row.flagged:
                _add_line(
                    cells[1], "Listed in Exceptions: figures to check", size=8, colour=SECONDARY
                )
            _cell_text(cells[2], row.period)
            _cell_text(cells[3], row.current, align_right=True)
            _cell_text(cells[4], row.target, align_right=True)
            _rating_cell(cells[5], row.rating)
            _cell_text(cells[6], _change_text(row.change))
        _widths(table, [10, 52, 22, 19, 19, 26, 22])
        _font_size(table, 9)


def _key(doc: Document, context: ReportContext) -> None:
    key = context.key
    _heading(doc, "Key", 1, new_page=True)
    table = _table(doc, ["Data item", "Explanation"], "What each item on an indicator's page means")
    for entry in key.items:
        cells = table.add_row().cells
        _cell_text(cells[0], entry.term, bold=True)
        _cell_text(cells[1], entry.meaning)
    _widths(table, [50, 120])
    _font_size(table, 10)

    _heading(doc, "RAG ratings", 2)
    table = _table(doc, ["Rating", "Meaning"], "What each RAG rating means")
    for rating, meaning in key.ratings:
        cells = table.add_row().cells
        _rating_cell(cells[0], rating)
        _cell_text(cells[1], meaning)
    _widths(table, [40, 130])
    if key.variations:
        _heading(doc, "Indicators rated differently", 2)
        for variation in key.variations:
            _styled(doc, _clean(variation), "List Bullet")


def _indicator(doc: Document, s: IndicatorSection, charts: ChartRenderer) -> None:
    if s.directorate or s.service:
        place = " – ".join(p for p in (s.directorate, s.service) if p)
        caption = _paragraph(doc, place, colour=SECONDARY, size=11)
        caption.paragraph_format.page_break_before = True
        caption.paragraph_format.keep_with_next = True
        heading = _heading(doc, f"Indicator {s.ref}: {s.title}", 1)
    else:
        heading = _heading(doc, f"Indicator {s.ref}: {s.title}", 1, new_page=True)
    _bookmark(heading, s.anchor)

    labels = [
        s.target_label,
        "Direction for Improvement",
        s.current_label,
        s.previous_label,
        "Change in Performance",
    ]
    table = _table(
        doc, labels, f"Indicator {s.ref}: target, direction, current and previous values, change"
    )
    cells = table.add_row().cells
    _figure(cells[0], s.target, s.target_note)
    _figure(cells[1], s.direction_arrow, s.direction_words)
    _figure(cells[2], s.current, s.current_period)
    _figure(cells[3], s.previous, s.previous_period)
    _figure(cells[4], _change_text(s.change), "")
    _widths(table, [34, 34, 34, 34, 34])

    table = _table(
        doc,
        ["Statistical Neighbours Mean", "England Mean", "RAG Rating"],
        f"Indicator {s.ref}: comparisons and RAG rating",
    )
    cells = table.add_row().cells
    _figure(cells[0], s.neighbours, "")
    _figure(cells[1], s.england, "")
    _rating_cell(cells[2], s.rating, size=12)
    if s.rating_differs:
        printed = s.stated_rating.label if s.stated_rating else "no rating"
        _add_line(cells[2], f"Printed: {printed}", size=9, colour=SECONDARY)
    _widths(table, [57, 57, 56])

    if s.explanation:
        _paragraph(doc, s.explanation, italic=True).paragraph_format.space_before = Pt(6)
    if s.findings:
        _paragraph(doc, "Figures to check", bold=True)
        for finding in s.findings:
            _styled(doc, _clean(finding), "List Bullet")

    _heading(doc, "Trend", 2)
    if s.chart.points:
        png = charts.png(trend_spec(s.chart), scale=2.0)
        doc.add_picture(BytesIO(png), width=CHART_WIDTH)
        picture = doc.paragraphs[-1]
        picture.paragraph_format.keep_with_next = True
        _picture_alt_text(picture, s.chart.alt_text, title=f"Trend chart: {s.title}")
        _styled(doc, _clean(f"{s.chart.alt_text} {chart_key(s.chart)}"), "Caption")
    else:
        _paragraph(doc, s.chart.alt_text)
    table = _table(
        doc,
        ["Period", "Value", "Target"],
        f"Indicator {s.ref}: values and targets, latest first",
        numeric=(1, 2),
    )
    for row in s.history:
        cells = table.add_row().cells
        _cell_text(cells[0], row.period, bold=True)
        _cell_text(cells[1], row.value, align_right=True)
        _cell_text(cells[2], row.target or "–", align_right=True)
    if not s.history:
        cells = table.add_row().cells
        _cell_text(cells[0], "No values yet.")
    _widths(table, [40, 35, 35])
    _font_size(table, 10)

    _heading(doc, "Indicator Description", 2)
    _paragraphs(doc, s.description, "No description given.")
    if s.source:
        _heading(doc, "Source", 2)
        _paragraph(doc, s.source)
    _heading(doc, "Commentary", 2)
    _paragraphs(doc, s.commentary, "No commentary for this period.")
    _heading(doc, "Actions", 2)
    if s.actions_missing:
        _paragraph(
            doc, "Actions missing: the Key expects actions for every Red indicator", bold=True
        )
    _paragraphs(doc, s.actions, "" if s.actions_missing else "None given.")
    _heading(doc, "Useful Links", 2)
    if not s.links:
        _paragraph(doc, "None.", colour=SECONDARY)
    for title, url in s.links:
        paragraph = _styled(doc, "", "List Bullet")
        href = safe_href(url)
        if href:
            _hyperlink(paragraph.part, paragraph, title, href)
        else:
            paragraph.add_run(_clean(title))


# -- building blocks ---------------------------------------------------------


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text or "")


_style_ids: dict[str, str] = {}


def _styled(doc: Document, text: str, style: str) -> Paragraph:
    """A paragraph in a named style. (python-docx looks a style up by name
    with a scan of every style, each time; the ids are the same in every
    document made from its template, so they are looked up once.)"""
    if style not in _style_ids:
        _style_ids[style] = doc.styles[style].style_id
    paragraph = doc.add_paragraph(_clean(text))
    paragraph._p.style = _style_ids[style]
    return paragraph


def _heading(doc: Document, text: str, level: int, *, new_page: bool = False) -> Paragraph:
    paragraph = _styled(doc, text, f"Heading {level}")
    paragraph.paragraph_format.keep_with_next = True
    if new_page:
        paragraph.paragraph_format.page_break_before = True
    return paragraph


def _paragraph(
    doc: Document,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: int | None = None,
    colour: RGBColor | None = None,
) -> Paragraph:
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(_clean(text))
    run.bold = bold or None
    run.italic = italic or None
    if size:
        run.font.size = Pt(size)
    if colour is not None:
        run.font.color.rgb = colour
    return paragraph


def _paragraphs(doc: Document, paragraphs: tuple[str, ...], empty: str) -> None:
    for text in paragraphs:
        doc.add_paragraph(_clean(text))  # python-docx turns each "\n" into a line break
    if not paragraphs and empty:
        _paragraph(doc, empty, colour=SECONDARY)


def _table(
    doc: Document,
    headers: list[str],
    title: str,
    *,
    header: bool = True,
    numeric: tuple[int, ...] = (),
) -> Table:
    """A table with a repeating header row, light rules and a title for screen readers."""
    table = doc.add_table(rows=1 if header else 0, cols=len(headers))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _borders(table)
    tbl_pr = table._tbl.tblPr
    for name in ("w:tblCaption", "w:tblDescription"):  # the last of tblPr's children
        element = OxmlElement(name)
        element.set(qn("w:val"), _clean(title))
        tbl_pr.append(element)
    if header:
        row = table.rows[0]
        tr_pr = row._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
        for i, (cell, text) in enumerate(zip(row.cells, headers, strict=True)):
            _cell_text(cell, text, bold=True, align_right=i in numeric, colour=SECONDARY)
    return table


# What follows w:tblBorders, and w:tblCellMar (from "w:tblLook"), in w:tblPr
_AFTER_BORDERS = (
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
)  # fmt: skip


def _borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        if edge in ("left", "right", "insideV"):
            element.set(qn("w:val"), "nil")
        else:
            element.set(qn("w:val"), "single")
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), BORDER)
        borders.append(element)
    tbl_pr.insert_element_before(borders, *_AFTER_BORDERS)
    margins = OxmlElement("w:tblCellMar")
    for edge, width in (("top", 60), ("bottom", 60), ("left", 80), ("right", 80)):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(width))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.insert_element_before(margins, *_AFTER_BORDERS[3:])


def _widths(table: Table, millimetres: list[float]) -> None:
    for row in table.rows:
        for cell, width in zip(row.cells, millimetres, strict=False):
            cell.width = Mm(width)
    for column, width in zip(table.columns, millimetres, strict=False):
        column.width = Mm(width)
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        if tr_pr.find(qn("w:cantSplit")) is None:
            tr_pr.insert(0, OxmlElement("w:cantSplit"))


def _font_size(table: Table, size: int) -> None:
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    if run.font.size is None:
                        run.font.size = Pt(size)


def _first(cell: _Cell) -> Paragraph:
    return cell.paragraphs[0]


def _cell_text(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    align_right: bool = False,
    size: int | None = None,
    colour: RGBColor | None = None,
) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if align_right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(_clean(text))
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    if colour is not None:
        run.font.color.rgb = colour


def _add_line(cell: _Cell, text: str, *, size: int, colour: RGBColor) -> None:
    paragraph = cell.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(_clean(text))
    run.font.size = Pt(size)
    run.font.color.rgb = colour


def _figure(cell: _Cell, value: str, note: str) -> None:
    """A headline figure (large and bold) with a note under it (period, "pro rata")."""
    _cell_text(cell, value, bold=True, size=14)
    if note:
        _add_line(cell, note, size=9, colour=SECONDARY)


def _shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill.lstrip("#").upper())
    tc_pr.append(shading)


def _tag_cell(cell: _Cell, symbol: str, label: str, key: str, size: int | None = None) -> None:
    """A RAG cell: shaded in its colour, with its symbol and its name in dark text."""
    text, fill = TAG_COLOURS.get(key, TAG_COLOURS["none"])
    _shade(cell, fill)
    colour = RGBColor.from_string(text.lstrip("#").upper())
    _cell_text(cell, f"{symbol} {label}", bold=True, size=size, colour=colour)


def _rating_cell(cell: _Cell, rating: Rating | None, size: int | None = None) -> None:
    if rating is None:
        _tag_cell(cell, "–", "Not rated", "none", size)
    else:
        _tag_cell(cell, rating.symbol, rating.label, rating.value, size)


def _change_text(change: Change | None) -> str:
    return f"{change.arrow} {change.label}" if change else "No earlier value"


def _picture_alt_text(paragraph: Paragraph, description: str, title: str = "") -> None:
    """The alt text Word shows under Picture > Alt Text (``wp:docPr/@descr``)."""
    for doc_pr in paragraph._p.iter(qn("wp:docPr")):
        doc_pr.set("descr", _clean(description))
        if title:
            doc_pr.set("title", _clean(title))


def _bookmark_name(anchor: str) -> str:
    """Word bookmark names: a letter first, then letters, digits and underscores, 40 at most."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", anchor)
    if not name[:1].isalpha():
        name = "b_" + name
    return name[:40]


def _bookmark(paragraph: Paragraph, anchor: str) -> None:
    body = paragraph.part.element
    next_id = sum(1 for _ in body.iter(qn("w:bookmarkStart")))
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(next_id))
    start.set(qn("w:name"), _bookmark_name(anchor))
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(next_id))
    p = paragraph._p
    ppr = p.find(qn("w:pPr"))
    position = 1 if ppr is not None else 0
    p.insert(position, start)
    p.append(end)


def _link_run(text: str, *, bold: bool = False) -> Any:
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    rpr.append(style)
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "1D70B8")
    rpr.append(colour)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    rpr.append(underline)
    if bold:
        rpr.insert(1, OxmlElement("w:b"))
    run.append(rpr)
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = _clean(text)
    run.append(t)
    return run


def _hyperlink(part: Any, paragraph: Paragraph, text: str, url: str) -> None:
    """A real hyperlink: ``w:hyperlink`` with an external relationship to ``url``."""
    r_id = part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    link.set(qn("w:history"), "1")
    link.append(_link_run(text))
    paragraph._p.append(link)


def _internal_link(paragraph: Paragraph, text: str, anchor: str, *, bold: bool = False) -> None:
    """A link to an indicator's heading, by its bookmark."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), _bookmark_name(anchor))
    link.set(qn("w:history"), "1")
    link.append(_link_run(text, bold=bold))
    paragraph._p.append(link)
