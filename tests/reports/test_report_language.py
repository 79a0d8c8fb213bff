"""perfreport report --language cy|en|both, through the command as a user runs it.

GIVEN the seed example imported into a database of the test's own
WHEN the report is written in Welsh, or in both languages
THEN the PDF says its language (/Lang), is tagged, keeps its PDF/UA mark, and
its words are Welsh; Word carries w:lang; a bilingual report is Welsh first.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

EXE = Path(sys.executable).parent / "perfreport"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cambridgeshire-2020-21-q2"
PERIOD = "2020/21 Q2"


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory):
    """Runs ``perfreport ARGS`` on a database of the seed, made once for the module."""
    work = tmp_path_factory.mktemp("language")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "PERFREPORT_CACHE_DIR": str(work / "cache"),
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(EXE), *args], env=env, cwd=work, capture_output=True, text=True, check=True
        )

    run("migrate", "-v", "0")
    run("import", str(EXAMPLE))
    run.work = work  # type: ignore[attr-defined]
    return run


def _pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def test_a_welsh_pdf_says_it_is_welsh_and_is_tagged(cli):
    out = cli.work / "cy.pdf"
    cli("report", "--period", PERIOD, "--language", "cy", "-o", str(out))

    reader = PdfReader(out)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "cy"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()
    text = " ".join(_pages(out))
    assert "Chwarter 2" in text and "Blwyddyn ariannol 2020/21" in text
    assert "Crynodeb" in text and "Cynnwys" in text and "Allwedd" in text
    assert "Tudalen 2 o" in text
    for english in ("Summary", "Contents", "Produced on", "Page 2 of", "Useful Links"):
        assert english not in text


def test_the_english_pdf_is_as_before(cli):
    out = cli.work / "en.pdf"
    cli("report", "--period", PERIOD, "-o", str(out))

    assert PdfReader(out).trailer["/Root"]["/Lang"] == "en-GB"
    text = " ".join(_pages(out))
    assert "Quarter 2" in text and "Summary" in text and "Page 2 of" in text
    assert "Crynodeb" not in text


def test_a_bilingual_pdf_is_the_welsh_report_then_the_english_each_tagged(cli):
    out = cli.work / "both.pdf"
    cli("report", "--period", PERIOD, "--language", "both", "-o", str(out))

    pages = _pages(out)
    welsh = next(i for i, t in enumerate(pages) if "Crynodeb" in t)
    english = next(i for i, t in enumerate(pages) if "Summary" in t)
    assert welsh < english
    reader = PdfReader(out)
    assert reader.trailer["/Root"]["/Lang"] == "cy"
    assert reader.metadata.title.startswith("Adroddiad perfformiad: Chwarter 2 2020/21 / ")
    # The English part's structure elements carry their own language.
    raw = out.read_bytes()
    assert b"/Lang(en-GB)" in raw


def test_a_welsh_word_document_carries_the_welsh_language(cli):
    out = cli.work / "cy.docx"
    cli("report", "--period", PERIOD, "--language", "cy", "-o", str(out))

    document = Document(str(out))
    assert document.core_properties.language == "cy"
    assert 'w:lang w:val="cy"' in document.styles.element.xml
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Crynodeb" in text and "Summary" not in text


def test_a_bilingual_word_document_marks_each_parts_runs(cli):
    out = cli.work / "both.docx"
    cli("report", "--period", PERIOD, "--language", "both", "-o", str(out))

    body = Document(str(out)).element.body.xml
    first_welsh = body.index("Crynodeb")
    first_english = body.index(">Summary<")
    assert first_welsh < first_english
    langs = re.findall(r'<w:lang w:val="([^"]+)"/>', body)
    assert set(langs) == {"cy", "en-GB"}


def test_a_welsh_workbook_has_welsh_sheets_and_the_datas_own_columns(cli):
    out = cli.work / "cy.xlsx"
    cli("report", "--period", PERIOD, "--language", "cy", "-o", str(out))

    workbook = load_workbook(out)
    assert workbook.sheetnames[:5] == [
        "Ynghylch",
        "Allwedd",
        "Dangosyddion",
        "Hanes",
        "Canfyddiadau",
    ]
    assert next(workbook["Dangosyddion"].iter_rows(values_only=True))[0] == "ref"


def test_a_bilingual_web_page_marks_each_part(cli):
    out = cli.work / "both.html"
    cli("report", "--period", PERIOD, "--language", "both", "-o", str(out))

    html = out.read_text(encoding="utf-8")
    assert '<html lang="cy">' in html
    welsh = html.index('<div lang="cy" class="language-part">')
    english = html.index('<div lang="en-GB" class="language-part">')
    assert welsh < english
    # Each part's anchors are its own.
    assert 'id="cy-summary"' in html and 'id="en-summary"' in html
    assert 'href="#cy-summary"' in html


def test_an_unknown_language_is_refused(cli):
    with pytest.raises(subprocess.CalledProcessError) as failed:
        cli("report", "--period", PERIOD, "--language", "fr", "-o", str(cli.work / "x.pdf"))
    assert "--language" in failed.value.stderr
