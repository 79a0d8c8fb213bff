"""Indicators counted in calendar and academic years, through the command:
``perfreport import`` reads their years in their own kind of year, ``evaluate``
and ``check`` show the latest year published by the report period and call it
overdue once the next should be out, and ``export`` writes the columns back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import write_csv
from cli_helpers import run

from perfreport.core.periods import parse_period
from perfreport.data.models import Commentary, Observation
from perfreport.data.selectors import evaluate_period
from perfreport.registry.models import Indicator

pytestmark = pytest.mark.django_db

INDICATOR_HEADER = [
    "ref", "title", "unit", "polarity", "frequency", "rating_basis", "decimals",
    "year_start", "release_lag_months",
]  # fmt: skip
INDICATORS = [
    ["RS1", "Killed or seriously injured", "count", "lower", "annual", "targeted", "0",
     "calendar", "9"],
    ["ED1", "Expected standard at KS2", "percent", "higher", "annual", "contextual", "1",
     "academic", "4"],
    ["A1", "Calls answered", "percent", "higher", "monthly", "targeted", "1", "", "0"],
]  # fmt: skip
VALUES_HEADER = ["ref", "period", "value", "target"]
VALUES = [
    ["RS1", "2018", "395", "420"],
    ["RS1", "2019", "380", "420"],
    ["ED1", "2018/19", "64.5", ""],
    ["ED1", "2019/20", "66", ""],
    ["A1", "2020-09", "87.5", "85"],
]


def folder(tmp_path: Path, indicators: list[list[str]], values: list[list[str]]) -> Path:
    path = tmp_path / "in"
    path.mkdir(exist_ok=True)
    write_csv(path / "indicators.csv", INDICATOR_HEADER, indicators)
    write_csv(path / "values.csv", VALUES_HEADER, values)
    return path


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    path = folder(tmp_path, INDICATORS, VALUES)
    result = run("import", str(path))
    assert result.returncode == 0, result.stderr
    return path


def evaluate(period: str) -> dict[str, dict[str, object]]:
    result = run("evaluate", "--period", period, "--format", "json")
    assert result.returncode == 0, result.stderr
    return {record["ref"]: record for record in json.loads(result.stdout)}


def test_import_keeps_each_indicators_kind_of_year(imported):
    """GIVEN a calendar-year and an academic-year indicator WHEN imported
    THEN their years are the months of their own kind of year."""
    road = Indicator.objects.get(ref="RS1")
    results = Indicator.objects.get(ref="ED1")

    assert (road.year_start, road.release_lag_months) == (1, 9)
    assert (results.year_start, results.release_lag_months) == (9, 4)
    assert Indicator.objects.get(ref="A1").year_start is None
    years = Observation.objects.filter(indicator=road).order_by("first_month")
    assert [o.get_period().start.isoformat() for o in years] == ["2018-01-01", "2019-01-01"]
    assert [o.period for o in years] == ["2018", "2019"]
    academic = Observation.objects.filter(indicator=results).order_by("first_month").first()
    assert academic is not None
    assert academic.get_period().start.isoformat() == "2018-09-01"
    assert academic.get_period().name == "academic year 2018/19"


def test_a_financial_quarter_shows_the_latest_calendar_year_published(imported):
    records = evaluate("2020/21 Q2")

    assert (records["RS1"]["period"], records["RS1"]["value"]) == ("2019", 380)
    assert records["RS1"]["previous_period"] == "2018"
    assert records["RS1"]["rag"] == "blue"  # 380 against at most 420
    assert records["ED1"]["period"] == "2019/20"
    assert records["A1"]["period"] == "2020-09"


def test_the_table_names_an_academic_year_as_one(imported):
    result = run("evaluate", "--period", "2020/21 Q2")

    line = next(line for line in result.stdout.splitlines() if line.startswith("ED1"))
    assert "academic year" in line


def test_a_calendar_year_is_overdue_once_the_next_should_be_published(imported):
    """2019 is the latest in September 2020 and is on time; by September 2021
    2020 should have been published nine months after it ended."""
    on_time = run("check", "--period", "2020/21 Q2", "--format", "json")
    overdue = run("check", "--period", "2021/22 Q2", "--format", "json")

    def stale(result) -> list[str]:
        return [f["message"] for f in json.loads(result.stdout) if f["code"] == "value-stale"]

    assert not [m for m in stale(on_time) if "2019;" in m]
    road = [m for m in stale(overdue) if m.startswith("the latest value is for 2019;")]
    assert road == ["the latest value is for 2019; one for 2020 is expected by 2021/22 Q2"]


def test_export_writes_the_kind_of_year_and_the_release_lag_back(imported, tmp_path):
    out = tmp_path / "out"

    assert run("export", str(out)).returncode == 0

    lines = (out / "indicators.csv").read_text().splitlines()
    header = lines[0].split(",")
    assert header[12:14] == ["year_start", "release_lag_months"]
    rows = {line.split(",")[0]: line.split(",") for line in lines[1:]}
    assert (rows["RS1"][12], rows["RS1"][13]) == ("calendar", "9")
    assert (rows["ED1"][12], rows["ED1"][13]) == ("academic", "4")
    assert (rows["A1"][12], rows["A1"][13]) == ("", "0")
    again = run("import", str(out))
    assert "indicators: 0 new, 0 changed, 3 unchanged" in again.stdout
    second = tmp_path / "second"
    run("export", str(second))
    assert (second / "indicators.csv").read_bytes() == (out / "indicators.csv").read_bytes()
    assert (second / "values.csv").read_bytes() == (out / "values.csv").read_bytes()


def test_a_round_quarter_in_commentary_is_read_as_the_same_months(imported, tmp_path):
    """Commentary written for the round's quarter, 2020/21 Q2, on a
    calendar-year indicator is kept for July to September 2020: 2020 Q3."""
    path = tmp_path / "notes"
    path.mkdir()
    write_csv(
        path / "commentary.csv",
        ["ref", "period", "commentary"],
        [["RS1", "2020/21 Q2", "Fewer casualties again."]],
    )

    result = run("import", str(path))

    assert result.returncode == 0, result.stderr
    note = Commentary.objects.get(indicator__ref="RS1")
    assert (note.period, note.get_period().long_label) == ("2020 Q3", "Quarter 3 2020")
    rows = evaluate_period(parse_period("2020/21 Q2")).rows
    road = next(row for row in rows if row.indicator.ref == "RS1")
    assert road.evaluation.commentary == "Fewer casualties again."


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        pytest.param(
            "semester",
            "indicators.csv, row 2, column year_start: 'semester' is not a year start",
            id="unknown_word",
        ),
        pytest.param(
            "13",
            "indicators.csv, row 2, column year_start: '13' is not a year start: use a month "
            "from 1 to 12",
            id="month_13",
        ),
    ],
)
def test_an_invalid_year_start_names_the_file_row_and_column(tmp_path, cell, problem):
    indicators = [[*INDICATORS[0][:7], cell, "9"], INDICATORS[2]]

    result = run("import", str(folder(tmp_path, indicators, VALUES[-1:])))

    assert result.returncode == 1
    assert problem in result.stderr
    assert "nothing was imported" in result.stderr
    assert not Indicator.objects.exists()


def test_a_financial_year_for_a_calendar_year_indicator_is_refused(tmp_path):
    values = [["RS1", "2019/20", "380", ""]]

    result = run("import", str(folder(tmp_path, INDICATORS[:1], values)))

    assert result.returncode == 1
    assert (
        "values.csv, row 2, column period: '2019/20': a year here is the calendar year, "
        "written 2019 (indicator RS1 is by calendar year)"
    ) in result.stderr


def test_a_release_lag_that_is_no_whole_number_is_refused(tmp_path):
    indicators = [[*INDICATORS[0][:8], "nine"]]

    result = run("import", str(folder(tmp_path, indicators, [])))

    assert result.returncode == 1
    assert "indicators.csv, row 2, column release_lag_months: 'nine' is not a whole number" in (
        result.stderr
    )


def test_the_kind_of_year_cannot_change_under_stored_years(imported, tmp_path):
    changed = [[*INDICATORS[0][:7], "", "9"]]
    path = tmp_path / "changed"
    path.mkdir()
    write_csv(path / "indicators.csv", INDICATOR_HEADER, changed)

    result = run("import", str(path))

    assert result.returncode == 1
    assert (
        "indicators.csv, row 2, column year_start: would change indicator RS1's years from the "
        "calendar year to the financial year"
    ) in result.stderr
    assert Indicator.objects.get(ref="RS1").year_start == 1


def test_a_monthly_indicator_may_change_its_kind_of_year(imported, tmp_path):
    path = tmp_path / "changed"
    path.mkdir()
    write_csv(path / "indicators.csv", INDICATOR_HEADER, [[*INDICATORS[2][:7], "academic", "0"]])

    result = run("import", str(path))

    assert result.returncode == 0, result.stderr
    assert Indicator.objects.get(ref="A1").year_start == 9
