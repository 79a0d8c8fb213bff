"""The text rule at the import: a control character in any cell is an error
naming the file, the row and the column; commentary has a length limit."""

from __future__ import annotations

import pytest
from builders import write_csv
from cli_helpers import run

from perfreport.data.models import Commentary, Observation

pytestmark = pytest.mark.django_db

INDICATORS = ["ref", "title", "unit", "polarity", "frequency", "rating_basis", "decimals"]
VALUES = ["ref", "period", "value", "target", "stated_rag", "commentary", "actions"]
A1 = ["A1", "Calls answered", "percent", "higher", "monthly", "targeted", "1"]


def small_folder(folder, values, indicators=(A1,)):
    folder.mkdir(parents=True)
    write_csv(folder / "indicators.csv", INDICATORS, list(indicators))
    write_csv(folder / "values.csv", VALUES, values)
    return folder


def test_a_control_character_in_commentary_is_an_error_naming_file_row_and_column(tmp_path):
    folder = small_folder(
        tmp_path / "in",
        values=[["A1", "2020-09", "87.0", "85", "green", "Met\x0bagain.", ""]],
    )

    result = run("import", str(folder))

    assert result.returncode == 1
    assert "values.csv, row 2, column commentary" in result.stderr + result.stdout
    assert "holds a control character (U+000B)" in result.stderr + result.stdout
    assert not Observation.objects.exists()


def test_a_control_character_in_a_title_is_an_error_naming_its_column(tmp_path):
    folder = small_folder(
        tmp_path / "in",
        indicators=[["A1", "Calls\x01answered", "percent", "higher", "monthly", "targeted", "1"]],
        values=[["A1", "2020-09", "87.0", "85", "", "", ""]],
    )

    result = run("import", str(folder))

    assert result.returncode == 1
    assert "indicators.csv, row 2, column title" in result.stderr + result.stdout


def test_commentary_past_20000_characters_is_refused_and_crlf_is_read_as_a_new_line(tmp_path):
    long = small_folder(
        tmp_path / "long", values=[["A1", "2020-09", "87.0", "85", "", "x" * 20_001, ""]]
    )
    crlf = small_folder(
        tmp_path / "crlf", values=[["A1", "2020-09", "87.0", "85", "", "One.\r\nTwo.", ""]]
    )

    refused = run("import", str(long))
    imported = run("import", str(crlf))

    assert refused.returncode == 1
    assert "is 20001 characters long; at most 20000 are kept" in refused.stderr + refused.stdout
    assert imported.returncode == 0, imported.stderr
    assert Commentary.objects.get(indicator__ref="A1").text == "One.\nTwo."


def test_escape_sequences_in_a_header_reach_the_terminal_as_text(tmp_path):
    """GIVEN a header whose cells hold terminal escape sequences (clear the
    screen, red text), WHEN it is imported, THEN every message shows them as
    text: no control character is written to the terminal."""
    folder = tmp_path / "in"
    folder.mkdir()
    write_csv(folder / "indicators.csv", INDICATORS, [A1])
    header = ["\x1b[2Jref", "period", "value", "\x1b[31mnote"]
    write_csv(folder / "values.csv", header, [["A1", "2020-09", "87.0", ""]])

    result = run("import", str(folder))

    printed = result.stderr + result.stdout
    assert result.returncode == 1
    assert "missing required column(s) ref" in printed
    # Headers are read in lower case.
    assert "\\x1b[2jref" in printed and "\\x1b[31mnote" in printed
    assert "\x1b" not in printed
