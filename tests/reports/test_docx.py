"""The Word report: an editable .docx for committee papers.

GIVEN the seed's 2020/21 Q2 report as data, WHEN it is rendered to Word,
THEN python-docx reads it back with real headings, a table of contents field,
repeating table headers, pictures with alt text, real hyperlinks, page
numbers and A4 pages; and odd data (a very long commentary, characters XML
cannot hold, an indicator with no value) still makes a valid document.
"""

from __future__ import annotations

import dataclasses
import zipfile
from datetime import date
from io import BytesIO

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.shared import Mm
from report_helpers import no_data, seed_settings

from perfreport.core.periods import parse_period
from perfreport.data.selectors import evaluate_period
from perfreport.reports.charts import ChartRenderer
from perfreport.reports.context import ReportContext, ReportSettings, build_context
from perfreport.reports.docx import render_docx
from perfreport.reports.style import TAG_COLOURS

pytestmark = pytest.mark.django_db

CHARTS = ChartRenderer(cache_dir=None)  # shared, so each chart is drawn once per run
WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"


@pytest.fixture
def context(imported_example) -> ReportContext:
    settings = seed_settings(produced_on=date(2020, 12, 16))
    return build_context(evaluate_period(parse_period("2020/21 Q2")), settings)


@pytest.fixture
def document(context):
    return Document(BytesIO(render_docx(context, CHARTS)))


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_it_is_titled_and_authored_for_the_council(context, document):
    assert document.core_properties.title == "Corporate Performance Report: Quarter 2 2020/21"
    assert document.core_properties.author == "Cambridgeshire County Council"
    assert document.core_properties.language == "en-GB"


def test_pages_are_a4_with_page_numbers_in_the_footer(document):
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    footer = section.footer._element
    instructions = [t.text.strip() for t in footer.iter(qn("w:instrText"))]
    assert "PAGE" in instructions
    assert "NUMPAGES" in instructions


def test_headings_use_word_heading_styles(context, document):
    level_1 = headings(document, 1)
    assert level_1[:2] == ["Summary", "Key"]
    assert level_1[2:] == [f"Indicator {s.ref}: {s.title}" for s in context.sections]
    level_2 = headings(document, 2)
    for name in ("RAG ratings", "Exceptions", "All indicators", "Trend", "Commentary"):
        assert name in level_2
    assert level_2.count("Commentary") == len(context.sections)
    assert headings(document, 3) == [g.heading for g in context.summary.groups]


def test_a_table_of_contents_field_comes_first_and_word_updates_it(document):
    body = document.element.body
    instructions = [t.text for t in body.iter(qn("w:instrText"))]
    assert any(i.strip().startswith('TOC \\o "1-1" \\h') for i in instructions)
    paragraphs = document.paragraphs
    first_heading = next(i for i, p in enumerate(paragraphs) if p.style.name.startswith("Heading"))
    toc = next(i for i, p in enumerate(paragraphs) if "TOC \\o" in p._p.xml)
    assert toc < first_heading
    update = document.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"


def test_each_indicator_starts_a_new_page(context, document):
    paragraphs = document.paragraphs
    for section in context.sections:
        index = next(
            i
            for i, p in enumerate(paragraphs)
            if p.style.name == "Heading 1" and p.text == f"Indicator {section.ref}: {section.title}"
        )
        starts = [paragraphs[index], paragraphs[index - 1]]  # the heading, or its caption line
        assert any(p.paragraph_format.page_break_before for p in starts), section.ref


def test_it_holds_the_same_content_as_the_html(context, document):
    text = all_text(document)
    for section in context.sections:
        assert section.title in text
        assert section.explanation in text
        for paragraph in section.commentary:
            assert paragraph in text
    assert "97.83%" in text
    assert "432,584" in text
    assert "83.4% is 6.6 percentage points (7.3%) below the 90.0% target" in text
    assert "Actions missing: the Key expects actions for every Red indicator" in text
    assert "Printed: Amber" in text
    assert "Produced on" in text and "16 December 2020" in text
    for entry in context.key.items:
        assert entry.term in text


def test_every_table_has_a_repeating_header_row_and_a_title(document):
    assert len(document.tables) > 17 * 3
    for table in document.tables:
        first = table.rows[0]._tr
        header = first.find(qn("w:trPr") + "/" + qn("w:tblHeader"))
        assert header is not None, table.rows[0].cells[0].text
        caption = table._tbl.tblPr.find(qn("w:tblCaption"))
        assert caption is not None and caption.get(qn("w:val"))


def test_rag_cells_are_shaded_and_carry_a_symbol_and_a_label(document):
    red_cells = [
        cell
        for table in document.tables
        for row in table.rows[1:]
        for cell in row.cells
        if cell.text == "✖ Red"
    ]
    assert len(red_cells) >= 3 + 3 + 1  # overview, indicator pages, summary count
    for cell in red_cells:
        shading = cell._tc.tcPr.find(qn("w:shd"))
        assert shading.get(qn("w:fill")) == TAG_COLOURS["red"][1].lstrip("#").upper()


def test_charts_are_pictures_with_their_alt_text(context, document):
    descriptions = [d.get("descr") for d in document.element.body.iter(WP_DOCPR)]
    assert descriptions == [s.chart.alt_text for s in context.sections]
    pictures = [
        rel for rel in document.part.rels.values() if rel.reltype == RELATIONSHIP_TYPE.IMAGE
    ]
    assert pictures and all(r.target_part.blob.startswith(b"\x89PNG") for r in pictures)


def test_useful_links_are_real_hyperlinks(context, document):
    urls = {url for s in context.sections for _, url in s.links}
    assert urls
    targets = {
        r_id: rel.target_ref
        for r_id, rel in document.part.rels.items()
        if rel.reltype == RELATIONSHIP_TYPE.HYPERLINK and rel.is_external
    }
    linked = {
        targets[h.get(qn("r:id"))]
        for h in document.element.body.iter(qn("w:hyperlink"))
        if h.get(qn("r:id"))
    }
    assert urls | {"mailto:business.intelligence@cambridgeshire.gov.uk"} == linked


def test_links_to_indicators_go_to_their_bookmarks(context, document):
    body = document.element.body
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    anchors = [h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink")) if h.get(qn("w:anchor"))]
    assert len(anchors) == len(context.summary.exceptions) + len(context.sections)
    assert set(anchors) <= bookmarks
    assert len(bookmarks) == len(context.sections)


def test_a_long_commentary_and_an_indicator_without_a_value_still_make_a_document(context):
    first, second = context.sections[:2]
    long = dataclasses.replace(
        first,
        commentary=(
            *(f"Paragraph {i}: " + "words " * 400 for i in range(60)),
            "Control\x0bcharacters\x00 vanish\nbut line breaks stay",
        ),
        actions=("x" * 20_000,),
        links=(("Not a web address", "javascript:alert(1)"),),
    )
    empty = dataclasses.replace(second, **no_data(second))
    data = render_docx(dataclasses.replace(context, sections=(long, empty)), CHARTS)

    assert zipfile.ZipFile(BytesIO(data)).testzip() is None
    document = Document(BytesIO(data))
    text = all_text(document)
    assert "Paragraph 59: words" in text
    # Word's own line break (a vertical tab, pasted from Word) is a line break
    assert "Control\ncharacters vanish\nbut line breaks stay" in text
    assert "No values to chart" in text
    assert "No value" in text and "Not rated" in text and "No earlier value" in text
    assert "Not a web address" in text
    assert b"javascript" not in zipfile.ZipFile(BytesIO(data)).read("word/_rels/document.xml.rels")
    assert len(list(document.element.body.iter(WP_DOCPR))) == 1  # only the first has a chart


def test_a_logo_goes_on_the_cover_with_alt_text(imported_example, tmp_path):
    logo = tmp_path / "logo.png"
    spec = {"mark": "point", "data": {"values": [{"a": 1}]}, "encoding": {"x": {"field": "a"}}}
    logo.write_bytes(CHARTS.png(spec, scale=1))
    settings = ReportSettings(logo=logo, produced_on=date(2020, 12, 16))
    context = build_context(evaluate_period(parse_period("2020/21 Q2")), settings)

    document = Document(BytesIO(render_docx(context, CHARTS)))

    descriptions = [d.get("descr") for d in document.element.body.iter(WP_DOCPR)]
    assert descriptions[0] == "Cambridgeshire County Council logo"
    assert len(descriptions) == 1 + len(context.sections)
