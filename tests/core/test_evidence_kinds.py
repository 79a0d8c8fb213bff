"""Which evidence files are accepted, told by what they hold, and the safe
name one is kept and downloaded under (perfreport.core.evidence)."""

import pytest

from perfreport.core.evidence import evidence_kind, safe_filename

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
ZIP = b"PK\x03\x04\x14\x00"


@pytest.mark.parametrize(
    ("head", "name", "members", "code"),
    [
        pytest.param(b"%PDF-1.7\n", "report.pdf", (), "pdf", id="a_pdf"),
        pytest.param(PNG, "chart.PNG", (), "png", id="a_png_in_capitals"),
        pytest.param(b"\xff\xd8\xff\xe0", "photo.jpg", (), "jpeg", id="a_jpeg"),
        pytest.param(ZIP, "figures.xlsx", ("xl/workbook.xml",), "xlsx", id="a_workbook"),
        pytest.param(ZIP, "note.docx", ("word/document.xml",), "docx", id="a_document"),
        pytest.param(b"period,value\n2020-12,87\n", "values.csv", (), "csv", id="a_csv"),
        pytest.param("Café notes\r\n".encode(), "notes.txt", (), "txt", id="utf8_text"),
    ],
)
def test_a_file_of_an_allowed_kind_is_accepted(head, name, members, code):
    assert evidence_kind(head, name, frozenset(members)).code == code


@pytest.mark.parametrize(
    ("head", "name", "members", "says"),
    [
        pytest.param(b"MZ\x90\x00", "setup.exe", (), "is not a kind of file", id="a_program"),
        pytest.param(b"<html>", "page.html", (), "is not a kind of file", id="a_web_page"),
        pytest.param(b"%PDF-1.7", "report", (), "is not a kind of file", id="no_extension"),
        pytest.param(b"%PDF-1.7", "chart.png", (), "named as a PNG picture", id="pdf_named_png"),
        pytest.param(b"<script>", "report.pdf", (), "named as a PDF", id="html_named_pdf"),
        pytest.param(ZIP, "figures.xlsx", ("word/document.xml",), "Excel", id="docx_as_xlsx"),
        pytest.param(ZIP, "figures.xlsx", (), "Excel", id="any_zip_as_xlsx"),
        pytest.param(b"a\x00b", "notes.txt", (), "text file", id="binary_as_text"),
        pytest.param(b"\xff\xfe\x00", "values.csv", (), "CSV", id="not_utf8_csv"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused(head, name, members, says):
    with pytest.raises(ValueError, match=says):
        evidence_kind(head, name, frozenset(members))


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        pytest.param("Q3 calls.xlsx", "Q3 calls.xlsx", id="kept_as_it_is"),
        pytest.param("../../etc/passwd.txt", "passwd.txt", id="no_path"),
        pytest.param("C:\\Users\\me\\report.pdf", "report.pdf", id="no_windows_path"),
        pytest.param('a"b;c\r\nd.pdf', "a_b_c_d.pdf", id="no_quotes_or_new_lines"),
        pytest.param(".hidden.pdf", "hidden.pdf", id="no_leading_dot"),
        pytest.param("Café.pdf", "Cafe.pdf", id="ascii"),
        pytest.param("x" * 300 + ".pdf", "x" * 116 + ".pdf", id="at_most_120"),
        pytest.param("«».pdf", "evidence.pdf", id="nothing_left_is_evidence"),
    ],
)
def test_the_name_kept_is_safe(name, safe):
    assert safe_filename(name) == safe
