"""Text stored before the text rule (written here straight through the ORM)
with control characters and formula starts never stops a report, a download
or an export: every renderer makes it printable."""

from __future__ import annotations

import io

import pytest
from cli_helpers import run
from docx import Document
from openpyxl import load_workbook

from perfreport.data.models import Commentary
from perfreport.registry.models import Indicator

pytestmark = pytest.mark.django_db

STORED = "Up\x0bagain\x01 \x1b[31m=1+2\x7f"  # no NUL: PostgreSQL cannot hold one


@pytest.fixture
def stored(example_for_module, db):
    """GIVEN commentary, actions and a title holding control characters."""
    Commentary.objects.update(text=STORED, actions=STORED)
    Indicator.objects.filter(ref="180").update(title="Broadband\x0c" + STORED)


@pytest.mark.parametrize("suffix", ["pdf", "docx", "xlsx"])
def test_the_report_is_made(stored, tmp_path, suffix):
    path = tmp_path / f"r.{suffix}"

    result = run("report", "--period", "2020/21 Q2", "-o", str(path))

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    if suffix == "docx":
        text = "\n".join(p.text for p in Document(str(path)).paragraphs)
        assert "Up\nagain" in text and "\x01" not in text
    elif suffix == "xlsx":
        cells = [c for s in load_workbook(path).worksheets for r in s.iter_rows() for c in r]
        assert any(c.value and "Up\nagain [31m=1+2" in str(c.value) for c in cells)
    else:
        assert path.read_bytes().startswith(b"%PDF")


def test_the_export_to_a_workbook_is_made(stored, tmp_path):
    result = run("export", str(tmp_path / "out.xlsx"))

    assert result.returncode == 0, result.stderr
    values = load_workbook(tmp_path / "out.xlsx")["values"]
    assert "Up\nagain [31m=1+2" in {c.value for r in values.iter_rows() for c in r}


def test_the_indicator_downloads_are_made(stored, client, django_user_model):
    from perfreport.accounts.permissions import grant

    staff = django_user_model.objects.create_user("analyst")
    grant(staff, "viewer")
    client.force_login(staff)

    workbook = client.get("/indicators/180/data.xlsx")
    table = client.get("/indicators/180/data.csv")

    assert workbook.status_code == 200 and table.status_code == 200
    load_workbook(io.BytesIO(workbook.content))
    assert "\x01" not in table.content.decode()
