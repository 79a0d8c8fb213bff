"""Hostile and broken import files (issue 13): a quote left open, a file over
the size limit and a zip-bomb workbook are refused, naming the file and what
is wrong, and nothing is written; ordinary files still import."""

from __future__ import annotations

import zipfile
from unittest import mock

import pytest
from import_helpers import INDICATOR_HEADER, VALUES_HEADER, small_folder

from perfreport.data.models import Observation
from perfreport.imports import tables
from perfreport.imports.problems import ImportFailed, Level
from perfreport.imports.service import import_path
from perfreport.imports.tables import Limits, read_source
from perfreport.registry.models import Indicator

pytestmark = pytest.mark.django_db

HEADER = ",".join(VALUES_HEADER) + "\n"


def refused(path) -> list[str]:
    """Import ``path``, expect refusal, check nothing was written, return the errors."""
    with pytest.raises(ImportFailed) as caught:
        import_path(path)
    assert Indicator.objects.count() == 0
    assert Observation.objects.count() == 0
    return [str(p) for p in caught.value.problems if p.level is Level.ERROR]


def test_a_quote_never_closed_is_an_error_naming_the_row_and_line_where_it_opened(tmp_path):
    """GIVEN a values.csv whose third row opens a quote that is never closed,
    after a row whose commentary takes two lines
    WHEN it is imported
    THEN the import is refused naming the file, the row and the line, and
    nothing is written (before, the rest of the file became one cell: "1 new")."""
    folder = small_folder(tmp_path)
    (folder / "values.csv").write_text(
        HEADER
        + 'A1,2020-08,87.5,85,,"Two\nlines",\n'
        + 'A1,2020-09,87.0,85,,"Never closed,\n'
        + "A2,2020-09,432584,,,,\n"
    )

    messages = refused(folder)

    assert messages == [
        'values.csv, row 3: a quote (") opens a cell in this row (line 4 of the file) and is '
        "never closed, so the rest of the file would be one cell: close it, and write a quote "
        'inside a cell as two ("")'
    ]


def test_a_closing_quote_followed_by_more_text_is_an_error_naming_the_row(tmp_path):
    folder = small_folder(tmp_path)
    (folder / "values.csv").write_text(
        HEADER + "A1,2020-08,87.5,85,,,\n" + 'A1,2020-09,"87"5,85,,,\n' + "A2,2020-09,4,,,,\n"
    )

    messages = refused(folder)

    assert any(
        m.startswith("values.csv, row 3: is not readable as CSV from line 3 of the file:")
        and "expected after" in m
        for m in messages
    ), messages


def test_a_cell_of_ten_million_characters_is_refused_naming_its_column(tmp_path):
    """GIVEN a quoted cell of 10 million characters (past the 131,072 a cell may
    hold) WHEN it is imported THEN the error names its row and column."""
    folder = small_folder(tmp_path)
    (folder / "values.csv").write_text(
        HEADER + f'A1,2020-09,87.0,85,,"{"x" * 10_000_000}",\n' + "A2,2020-09,4,,,,\n"
    )

    messages = refused(folder)

    assert messages == [
        "values.csv, row 2, column commentary: a cell of 10,000,000 characters, more than "
        'the 131,072 a cell may hold: is a quote (") that opens it never closed?'
    ]


def test_a_quote_left_open_early_in_a_big_file_names_its_row(tmp_path):
    folder = small_folder(tmp_path)
    (folder / "values.csv").write_text(
        HEADER + 'A1,2020-09,87.0,85,,"Never closed,\n' + "A2,2020-09,432584,,,,\n" * 50_000
    )

    messages = refused(folder)

    assert len(messages) == 1 and messages[0].startswith("values.csv, row 2: a quote")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, settings):
    """GIVEN a limit of 500 bytes and a values.csv of more than that (with a
    bad value in it) WHEN it is imported THEN it is refused naming the file,
    its size and the limit, and the bad value is never reached."""
    settings.PERFREPORT_IMPORT_MAX_MB = 0.0005
    rows = [f"A1,2020-{m:02d},bad,85,,,\n" for m in range(1, 13)]
    folder = small_folder(tmp_path)
    (folder / "values.csv").write_text(HEADER + "".join(rows * 2))
    size = (folder / "values.csv").stat().st_size

    messages = refused(folder)

    assert messages == [
        f"values.csv: is {size:,} bytes, over the limit of 500 bytes for a file to import "
        "(the setting PERFREPORT_IMPORT_MAX_MB); refused without reading it"
    ]


def test_files_under_the_size_limit_import(tmp_path, settings):
    folder = small_folder(tmp_path)
    largest = max(p.stat().st_size for p in folder.iterdir())
    settings.PERFREPORT_IMPORT_MAX_MB = largest / 1_000_000

    import_path(folder)

    assert Observation.objects.count() == 3


def _bomb(path, unpacked: int) -> None:
    """A small .xlsx whose values sheet unpacks to ``unpacked`` bytes of one repeated row."""
    row = b'<row><c t="inlineStr"><is><t>A</t></is></c></row>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", row * (unpacked // len(row)))


def test_a_zip_bomb_workbook_is_refused_before_openpyxl_opens_it(tmp_path, settings):
    """GIVEN a limit of 20,000 bytes and a workbook of under 3,000 bytes that
    unpacks to 500,000 WHEN it is imported THEN it is refused naming the
    limit, without openpyxl reading a byte of it."""
    settings.PERFREPORT_IMPORT_MAX_MB = 0.02
    path = tmp_path / "register.xlsx"
    _bomb(path, 500_000)
    assert path.stat().st_size < 3_000

    with mock.patch("openpyxl.load_workbook", side_effect=AssertionError("opened")):
        messages = refused(path)

    assert len(messages) == 1
    assert messages[0].startswith("register.xlsx: unpacks to 0.5 MB, over the limit of 20,000")
    assert "PERFREPORT_IMPORT_MAX_MB" in messages[0]


def test_a_workbook_over_the_size_limit_is_refused(tmp_path, settings):
    settings.PERFREPORT_IMPORT_MAX_MB = 0.0002
    path = tmp_path / "register.xlsx"
    _bomb(path, 500_000)

    messages = refused(path)

    assert messages[0].startswith("register.xlsx: is ")
    assert "over the limit of 200 bytes" in messages[0]


def _workbook(path, values_rows: int = 3):
    from openpyxl import Workbook

    workbook = Workbook()
    indicators = workbook.active
    indicators.title = "indicators"
    indicators.append(INDICATOR_HEADER)
    indicators.append(["A1", "Calls answered", "percent", "higher", "monthly", "targeted", "1"])
    values = workbook.create_sheet("values")
    values.append(VALUES_HEADER)
    for month in range(1, values_rows + 1):
        values.append(["A1", f"2020-{month:02d}", "87.5", "85"])
    workbook.save(path)
    return path


def test_an_ordinary_workbook_still_imports(tmp_path):
    import_path(_workbook(tmp_path / "register.xlsx"))

    assert Indicator.objects.count() == 1
    assert Observation.objects.count() == 3


def test_a_sheet_with_more_rows_than_the_limit_is_an_error(tmp_path):
    _, problems = read_source(_workbook(tmp_path / "register.xlsx", 5), Limits(max_rows=4))

    assert [str(p) for p in problems] == [
        "register.xlsx, sheet values, row 5: has more than 4 rows, the most a sheet may have; "
        "the rows after that were not read"
    ]


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 1 << 20])
def test_the_encoding_is_found_a_chunk_at_a_time(tmp_path, monkeypatch, chunk):
    """Characters of several bytes split across chunks are still UTF-8, and
    the first byte that is not is named by its place in the whole file."""
    monkeypatch.setattr(tables, "CHUNK", chunk)
    good = tmp_path / "good.csv"
    good.write_text("title\nRésidents – £ spent €\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_bytes("title\nRésidents\n".encode() + b"\xa3 spent\n")

    assert tables._encoding(good) == ("utf-8-sig", [])
    encoding, [warning] = tables._encoding(bad)
    assert encoding == "cp1252"
    assert "byte 18 is 0xa3" in warning.message
