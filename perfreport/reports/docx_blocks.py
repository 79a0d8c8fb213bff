"""Building blocks of the Word report: paragraphs, headings, tables, cells,
RAG tags, pictures' alt text, bookmarks and links, over python-docx and its XML."""

from __future__ import annotations

import re
from typing import Any

from docx.document import Document
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
from perfreport.core.text import printable
from perfreport.reports.style import TAG_COLOURS

TEXT = RGBColor(0x0B, 0x0C, 0x0C)
SECONDARY = RGBColor(0x50, 0x5A, 0x5F)
LINK = RGBColor(0x1D, 0x70, 0xB8)
BORDER = "B1B4B6"
FONT = "Arial"
CHART_WIDTH = Mm(150)
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff")


def clean(text: str) -> str:
    """Text as XML 1.0 can hold it: text stored before the text rule may
    carry control characters."""
    return printable(text or "")


_style_ids: dict[str, str] = {}


def styled(doc: Document, text: str, style: str) -> Paragraph:
    """A paragraph in a named style. (python-docx looks a style up by name
    with a scan of every style, each time; the ids are the same in every
    document made from its template, so they are looked up once.)"""
    if style not in _style_ids:
        _style_ids[style] = doc.styles[style].style_id
    paragraph = doc.add_paragraph(clean(text))
    paragraph._p.style = _style_ids[style]
    return paragraph


def heading(doc: Document, text: str, level: int, *, new_page: bool = False) -> Paragraph:
    paragraph = styled(doc, text, f"Heading {level}")
    paragraph.paragraph_format.keep_with_next = True
    if new_page:
        paragraph.paragraph_format.page_break_before = True
    return paragraph


def paragraph(
    doc: Document,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: int | None = None,
    colour: RGBColor | None = None,
) -> Paragraph:
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(clean(text))
    run.bold = bold or None
    run.italic = italic or None
    if size:
        run.font.size = Pt(size)
    if colour is not None:
        run.font.color.rgb = colour
    return paragraph


def paragraphs(doc: Document, paragraphs: tuple[str, ...], empty: str) -> None:
    for text in paragraphs:
        doc.add_paragraph(clean(text))  # python-docx turns each "\n" into a line break
    if not paragraphs and empty:
        paragraph(doc, empty, colour=SECONDARY)


def table(
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
    borders(table)
    tbl_pr = table._tbl.tblPr
    for name in ("w:tblCaption", "w:tblDescription"):  # the last of tblPr's children
        element = OxmlElement(name)
        element.set(qn("w:val"), clean(title))
        tbl_pr.append(element)
    if header:
        row = table.rows[0]
        tr_pr = row._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
        for i, (cell, text) in enumerate(zip(row.cells, headers, strict=True)):
            cell_text(cell, text, bold=True, align_right=i in numeric, colour=SECONDARY)
    return table


# What follows w:tblBorders, and w:tblCellMar (from "w:tblLook"), in w:tblPr
_AFTER_BORDERS = (
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
)  # fmt: skip


def borders(table: Table) -> None:
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


def widths(table: Table, millimetres: list[float]) -> None:
    for row in table.rows:
        for cell, width in zip(row.cells, millimetres, strict=False):
            cell.width = Mm(width)
    for column, width in zip(table.columns, millimetres, strict=False):
        column.width = Mm(width)
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        if tr_pr.find(qn("w:cantSplit")) is None:
            tr_pr.insert(0, OxmlElement("w:cantSplit"))


def font_size(table: Table, size: int) -> None:
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    if run.font.size is None:
                        run.font.size = Pt(size)


def first(cell: _Cell) -> Paragraph:
    return cell.paragraphs[0]


def cell_text(
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
    run = paragraph.add_run(clean(text))
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    if colour is not None:
        run.font.color.rgb = colour


def add_line(cell: _Cell, text: str, *, size: int, colour: RGBColor) -> None:
    paragraph = cell.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(clean(text))
    run.font.size = Pt(size)
    run.font.color.rgb = colour


def figure(cell: _Cell, value: str, note: str) -> None:
    """A headline figure (large and bold) with a note under it (period, "pro rata")."""
    cell_text(cell, value, bold=True, size=14)
    if note:
        add_line(cell, note, size=9, colour=SECONDARY)


def shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill.lstrip("#").upper())
    tc_pr.append(shading)


def tag_cell(cell: _Cell, symbol: str, label: str, key: str, size: int | None = None) -> None:
    """A RAG cell: shaded in its colour, with its symbol and its name in dark text."""
    text, fill = TAG_COLOURS.get(key, TAG_COLOURS["none"])
    shade(cell, fill)
    colour = RGBColor.from_string(text.lstrip("#").upper())
    cell_text(cell, f"{symbol} {label}", bold=True, size=size, colour=colour)


def rating_cell(
    cell: _Cell,
    rating: Rating | None,
    size: int | None = None,
    *,
    label: str = "",
    symbol: str = "",
) -> None:
    """A rating's tag, named as its Key names it (``label``, ``symbol``)."""
    if rating is None:
        tag_cell(cell, "–", "Not rated", "none", size)
    else:
        tag_cell(cell, symbol or rating.symbol, label or rating.label, rating.value, size)


def change_text(change: Change | None, missing: str = "No earlier value") -> str:
    return f"{change.arrow} {change.label}" if change else missing


def picture_alt_text(paragraph: Paragraph, description: str, title: str = "") -> None:
    """The alt text Word shows under Picture > Alt Text (``wp:docPr/@descr``)."""
    for doc_pr in paragraph._p.iter(qn("wp:docPr")):
        doc_pr.set("descr", clean(description))
        if title:
            doc_pr.set("title", clean(title))


def bookmark_name(anchor: str) -> str:
    """Word bookmark names: a letter first, then letters, digits and underscores, 40 at most."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", anchor)
    if not name[:1].isalpha():
        name = "b_" + name
    return name[:40]


def bookmark(paragraph: Paragraph, anchor: str) -> None:
    body = paragraph.part.element
    next_id = sum(1 for _ in body.iter(qn("w:bookmarkStart")))
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(next_id))
    start.set(qn("w:name"), bookmark_name(anchor))
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(next_id))
    p = paragraph._p
    ppr = p.find(qn("w:pPr"))
    position = 1 if ppr is not None else 0
    p.insert(position, start)
    p.append(end)


def link_run(text: str, *, bold: bool = False) -> Any:
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
    t.text = clean(text)
    run.append(t)
    return run


def hyperlink(part: Any, paragraph: Paragraph, text: str, url: str) -> None:
    """A real hyperlink: ``w:hyperlink`` with an external relationship to ``url``."""
    r_id = part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    link.set(qn("w:history"), "1")
    link.append(link_run(text))
    paragraph._p.append(link)


def internal_link(paragraph: Paragraph, text: str, anchor: str, *, bold: bool = False) -> None:
    """A link to an indicator's heading, by its bookmark."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark_name(anchor))
    link.set(qn("w:history"), "1")
    link.append(link_run(text, bold=bold))
    paragraph._p.append(link)
