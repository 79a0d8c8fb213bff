"""The perfreport command as a script uses it: output, exit status, no tracebacks.

Each test runs the installed console script against its own SQLite file, so
these tests never touch the database of the rest of the suite.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXE = Path(sys.executable).parent / "perfreport"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cambridgeshire-2020-21-q2"


def run(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    environment.pop("COLUMNS", None)
    environment.update(env or {})
    return subprocess.run(
        [str(EXE), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=120,
    )


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    assert run(folder, "migrate", "-v", "0").returncode == 0
    result = run(folder, "import", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    return folder


def test_help_lists_every_command(tmp_path):
    result = run(tmp_path, "--help")

    assert result.returncode == 0
    for name in ("migrate", "import", "export", "evaluate", "check", "serve", "manage"):
        assert f"  {name}" in result.stdout


def test_an_unknown_command_is_a_usage_error(tmp_path):
    result = run(tmp_path, "frobnicate")

    assert result.returncode == 2
    assert "unknown command 'frobnicate'" in result.stderr


def test_import_reports_what_it_created(loaded):
    result = run(loaded, "import", str(EXAMPLE))

    assert result.returncode == 0
    assert "indicators: 0 new, 0 changed, 17 unchanged" in result.stdout
    assert "Nothing changed" in result.stdout


def test_evaluate_prints_a_table_that_fits_80_columns(loaded):
    result = run(loaded, "evaluate", "--period", "2020/21 Q2")

    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any(line.startswith("194 ") and "83.4%" in line and "Amber" in line for line in lines)
    assert "\x1b[" not in result.stdout  # no colour codes when not a terminal


def test_evaluate_json_has_the_documented_fields(loaded):
    result = run(loaded, "evaluate", "--period", "2020/21 Q2", "--format", "json")

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
        "83.4% is 7.3% below the 90.0% target: Amber (off target by 10% or less). "
        "The target is the one set for 2020/21."
    )


def test_evaluate_csv_has_one_row_per_indicator(loaded):
    result = run(loaded, "evaluate", "--period", "2020/21 Q2", "--format", "csv")

    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 17
    assert rows[0]["ref"] == "180"


def test_check_exits_1_and_names_the_disagreements(loaded):
    result = run(loaded, "check", "--period", "2020/21 Q2", "--format", "json")

    assert result.returncode == 1
    findings = {(f["ref"], f["code"]) for f in json.loads(result.stdout)}
    assert {
        ("187", "rating-differs"),
        ("188", "rating-differs"),
        ("190", "rating-missing"),
    } <= findings


def test_a_bad_period_is_a_usage_error_that_says_why(loaded):
    result = run(loaded, "evaluate", "--period", "2020/21 Q5")

    assert result.returncode == 2
    assert "'2020/21 Q5' has quarter 5; quarters run Q1 to Q4" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_period_with_no_data_says_which_periods_have_data(loaded):
    result = run(loaded, "evaluate", "--period", "2010/11 Q1")

    assert result.returncode == 1
    assert (
        "no indicator has a value at or before 2010/11 Q1; values exist for 2020-09, 2020/21 Q2"
        in result.stderr
    )


def test_a_refused_import_exits_1_and_names_the_row(loaded, tmp_path):
    (tmp_path / "values.csv").write_text("ref,period,value\n184,2020-10,lots\n")

    result = run(loaded, "import", str(tmp_path))

    assert result.returncode == 1
    assert "values.csv, row 2, column value: 'lots' is not a number" in result.stderr
    assert "nothing was imported" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_import_path_that_does_not_exist_is_an_error(loaded):
    result = run(loaded, "import", "no/such/folder")

    assert result.returncode == 1
    assert "no such file or folder" in result.stderr


def test_export_writes_the_files(loaded, tmp_path):
    result = run(loaded, "export", str(tmp_path / "out"))

    assert result.returncode == 0
    assert (tmp_path / "out" / "values.csv").read_text() == (EXAMPLE / "values.csv").read_text()


def test_a_bad_setting_is_named_without_a_traceback(tmp_path):
    result = run(tmp_path, "evaluate", "--period", "2020/21 Q2", env={"DEBUG": "maybe"})

    assert result.returncode == 1
    assert "DEBUG='maybe' is not a yes/no value" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_command_before_migrate_says_to_migrate(tmp_path):
    result = run(tmp_path, "evaluate", "--period", "2020/21 Q2")

    assert result.returncode == 1
    assert "run 'perfreport migrate' first" in result.stderr
    assert "Traceback" not in result.stderr


def test_output_piped_into_a_reader_that_has_gone_is_not_an_error(loaded):
    # `true` exits at once, long before perfreport has started, so its first
    # write meets a pipe with no reader (EPIPE), as `| head` does mid-way.
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{loaded / 'cli.sqlite3'}"}
    pipeline = (
        f"'{EXE}' evaluate --period '2020/21 Q2' --format json | true; echo ${{PIPESTATUS[0]}}"
    )

    result = subprocess.run(
        ["bash", "-c", pipeline],
        capture_output=True,
        text=True,
        env=environment,
        cwd=loaded,
        timeout=120,
    )

    assert "Traceback" not in result.stderr
    assert "Exception ignored" not in result.stderr
    assert result.stdout.strip() == "141"  # 128 + SIGPIPE, as for `grep | head`


def test_changing_the_financial_year_after_import_is_named(loaded):
    result = run(loaded, "evaluate", "--period", "2020 Q2", env={"PERFREPORT_FY_START_MONTH": "1"})

    assert result.returncode == 1
    assert (
        "PERFREPORT_FY_START_MONTH must stay as it was when the data were imported" in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_check_without_a_period_or_benchmarks_is_a_usage_error(loaded):
    result = run(loaded, "check")

    assert result.returncode == 2
    assert "give --period (or --benchmarks)" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_benchmarks_with_no_benchmark_data_finds_nothing(loaded):
    result = run(loaded, "check", "--benchmarks")

    assert result.returncode == 0
    assert result.stdout.strip() == "No findings in the published benchmark data."


def test_benchmark_names_an_unknown_measure_and_exits_1(loaded):
    result = run(loaded, "benchmark", "NOPE", "--organisation", "E10000003")

    assert result.returncode == 1
    assert "no measure has the code 'NOPE'" in result.stderr
