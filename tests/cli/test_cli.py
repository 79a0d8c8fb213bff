"""The perfreport command as a script uses it: output, exit status, no tracebacks.

These tests run the command in this process, on the test database, with the
example imported once for the module (each test's changes rolled back); what
only a real process shows (settings read from the environment, a database
with no tables, a reader that has gone) is in test_cli_process.py.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from cli_helpers import EXAMPLE, run


@pytest.fixture
def loaded(example_for_module, db) -> None:
    """The example imported (once for the module: see tests/conftest.py)."""


def test_help_lists_every_command():
    result = run("--help")

    assert result.returncode == 0
    for name in ("migrate", "import", "export", "evaluate", "check", "serve", "manage"):
        assert f"  {name}" in result.stdout


def test_an_unknown_command_is_a_usage_error():
    result = run("frobnicate")

    assert result.returncode == 2
    assert "unknown command 'frobnicate'" in result.stderr


def test_import_reports_what_it_created(loaded):
    result = run("import", str(EXAMPLE))

    assert result.returncode == 0
    assert "indicators: 0 new, 0 changed, 17 unchanged" in result.stdout
    assert "Nothing changed" in result.stdout


def test_evaluate_prints_a_table_that_fits_80_columns(loaded):
    result = run("evaluate", "--period", "2020/21 Q2")

    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any(line.startswith("194 ") and "83.4%" in line and "Amber" in line for line in lines)
    assert "\x1b[" not in result.stdout  # no colour codes when not a terminal


def test_evaluate_piped_never_cuts_a_reference_or_a_figure(loaded):
    """GIVEN a reference of 40 characters (the longest there may be), WHEN the
    scorecard goes to a pipe, THEN the line grows past 80 columns rather than cut it."""
    from perfreport.registry.models import Indicator

    long_ref = "ADULT-SOCIAL-CARE-REVIEWS-ON-TIME-PCT-01"
    Indicator.objects.filter(ref="194").update(ref=long_ref)

    result = run("evaluate", "--period", "2020/21 Q2")

    assert result.returncode == 0
    line = next(line for line in result.stdout.splitlines() if line.startswith(long_ref))
    assert "83.4%" in line and "Amber" in line
    assert "…" not in line.split()[0]


def test_evaluate_json_has_the_documented_fields(loaded):
    result = run("evaluate", "--period", "2020/21 Q2", "--format", "json")

    records = json.loads(result.stdout)
    assert len(records) == 17
    required = {
        "ref",
        "title",
        "period",
        "value",
        "previous_period",
        "previous_value",
        "target",
        "polarity",
        "rag",
        "change",
        "stated_rag",
        "explanation",
    }
    assert required <= records[0].keys()
    incidents = next(r for r in records if r["ref"] == "194")
    assert (incidents["value"], incidents["target"], incidents["rag"]) == (83.4, 90, "amber")
    assert incidents["explanation"] == (
        "83.4% is 6.6 percentage points (7.3%) below the 90.0% target: Amber (off target by 10% or less). "
        "The target is the one set for 2020/21."
    )


def test_evaluate_csv_has_one_row_per_indicator(loaded):
    result = run("evaluate", "--period", "2020/21 Q2", "--format", "csv")

    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 17
    assert rows[0]["ref"] == "180"


def test_check_exits_1_and_names_the_disagreements(loaded):
    result = run("check", "--period", "2020/21 Q2", "--format", "json")

    assert result.returncode == 1
    findings = {(f["ref"], f["code"]) for f in json.loads(result.stdout)}
    assert {
        ("187", "rating-differs"),
        ("188", "rating-differs"),
        ("190", "rating-missing"),
    } <= findings


def test_a_bad_period_is_a_usage_error_that_says_why(loaded):
    result = run("evaluate", "--period", "2020/21 Q5")

    assert result.returncode == 2
    assert "'2020/21 Q5' has quarter 5; quarters run Q1 to Q4" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_period_with_no_data_says_which_periods_have_data(loaded):
    result = run("evaluate", "--period", "2010/11 Q1")

    assert result.returncode == 1
    assert (
        "no indicator has a value at or before 2010/11 Q1; values exist for 2020-09, 2020/21 Q2"
        in result.stderr
    )


def test_a_refused_import_exits_1_and_names_the_row(loaded, tmp_path):
    (tmp_path / "values.csv").write_text("ref,period,value\n184,2020-10,lots\n")

    result = run("import", str(tmp_path))

    assert result.returncode == 1
    assert "values.csv, row 2, column value: 'lots' is not a number" in result.stderr
    assert "nothing was imported" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_import_path_that_does_not_exist_is_an_error(loaded):
    result = run("import", "no/such/folder")

    assert result.returncode == 1
    assert "no such file or folder" in result.stderr


def test_export_writes_the_files(loaded, tmp_path):
    result = run("export", str(tmp_path / "out"))

    assert result.returncode == 0
    assert (tmp_path / "out" / "values.csv").read_text() == (EXAMPLE / "values.csv").read_text()


def test_check_without_a_period_or_benchmarks_is_a_usage_error(loaded):
    result = run("check")

    assert result.returncode == 2
    assert "give --period (or --benchmarks)" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_benchmarks_with_no_benchmark_data_finds_nothing(loaded):
    result = run("check", "--benchmarks")

    assert result.returncode == 0
    assert result.stdout.strip() == "No findings in the published benchmark data."


def test_benchmark_names_an_unknown_measure_and_exits_1(loaded):
    result = run("benchmark", "NOPE", "--organisation", "E10000003")

    assert result.returncode == 1
    assert "no measure has the code 'NOPE'" in result.stderr
