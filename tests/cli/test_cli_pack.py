"""perfreport report --pack exceptions: documented, its formats, its exit codes."""

from __future__ import annotations

import subprocess

import pytest
from cli_helpers import run
from pack_plan import build_plan


@pytest.fixture
def loaded(example_for_module, db) -> None:
    """The example imported once for the module, with the pack's plan."""
    build_plan()


def test_the_help_documents_the_pack():
    result = run("report", "--help")

    assert result.returncode == 0
    assert "--pack {exceptions}" in result.stdout
    assert "exception pack" in " ".join(result.stdout.split())


def test_the_pack_is_a_pdf_unless_asked_otherwise(loaded, tmp_path):
    result = run("report", "--period", "2020/21 Q2", "--pack", "exceptions",
                 "-o", str(tmp_path / "pack"))  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Wrote {tmp_path / 'pack'} (")
    text = subprocess.run(["pdftotext", str(tmp_path / "pack"), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "What needs attention" in text


@pytest.mark.parametrize(
    ("ending", "start"),
    [("html", b"<!doctype html>"), ("docx", b"PK"), ("xlsx", b"PK")],
)
def test_the_pack_in_each_format_from_the_files_ending(loaded, tmp_path, ending, start):
    output = tmp_path / f"pack.{ending}"

    result = run("report", "--period", "2020/21 Q2", "--pack", "exceptions", "-o", str(output))

    assert result.returncode == 0, result.stderr
    assert output.read_bytes().startswith(start)


def test_an_unknown_pack_is_a_usage_error_naming_the_choices(loaded, tmp_path):
    result = run("report", "--period", "2020/21 Q2", "--pack", "highlights",
                 "-o", str(tmp_path / "p.pdf"))  # fmt: skip

    assert result.returncode == 2
    assert "argument --pack: invalid choice: 'highlights'" in result.stderr
    assert "exceptions" in result.stderr
    assert not (tmp_path / "p.pdf").exists()


def test_a_period_with_no_values_fails_with_exit_1_and_says_why(loaded, tmp_path):
    result = run("report", "--period", "2010/11 Q1", "--pack", "exceptions",
                 "-o", str(tmp_path / "p.pdf"))  # fmt: skip

    assert result.returncode == 1
    assert "no indicator has a value at or before 2010/11 Q1" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "p.pdf").exists()


def test_an_unknown_directorate_names_the_ones_there_are(loaded, tmp_path):
    result = run("report", "--period", "2020/21 Q2", "--pack", "exceptions",
                 "--directorate", "Adults", "-o", str(tmp_path / "p.pdf"))  # fmt: skip

    assert result.returncode == 1
    assert "no directorate is called 'Adults'; the directorates are: Corporate Services" in (
        result.stderr
    )
