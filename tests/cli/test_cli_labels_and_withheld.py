"""Unit labels and withheld figures through the command: ``perfreport import``
reads "£4.2m" for a £m indicator and "c" as withheld, refuses a sign that does
not fit the unit naming the unit rule, and ``evaluate``, ``check`` and
``export`` show both as printed (issue 12, items 5 and 7)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from builders import write_csv
from cli_helpers import run
from labelled import INDICATORS, INDICATORS_HEADER, VALUES, labelled_folder

from perfreport.data.models import Observation
from perfreport.registry.models import Indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(db, tmp_path):
    result = run("import", str(labelled_folder(tmp_path / "data")))
    assert result.returncode == 0, result.stderr


def evaluated(ref: str) -> dict:
    result = run("evaluate", "--period", "2020/21 Q2", "--format", "json")
    assert result.returncode == 0, result.stderr
    return next(r for r in json.loads(result.stdout) if r["ref"] == ref)


def test_import_keeps_the_label_and_reads_values_as_printed(imported):
    """GIVEN indicators with labels and values typed as printed ("£4.2m", "12.5 days")
    WHEN they are imported
    THEN the register keeps each label and the values are the numbers."""
    assert dict(Indicator.objects.values_list("ref", "unit_label")) == {
        "F1": "£m", "D1": "days", "R1": "per 10,000", "C1": "",
    }  # fmt: skip
    stored = dict(
        Observation.objects.filter(period="2020/21 Q1").values_list("indicator__ref", "value")
    )
    assert stored["F1"] == Decimal("4.1")
    assert stored["D1"] == Decimal("12.5")


def test_a_withheld_value_is_stored_with_its_printed_text(imported):
    withheld = Observation.objects.get(indicator__ref="C1", period="2020/21 Q2")

    assert withheld.value is None
    assert withheld.withheld_as == "c"


def test_evaluate_prints_values_with_their_label(imported):
    spend = evaluated("F1")

    assert spend["display_value"] == "£4.2m"
    assert spend["display_target"] == "£4.5m"
    assert spend["unit_label"] == "£m"
    assert spend["value"] == 4.2
    assert evaluated("D1")["display_value"] == "11.9 days"
    assert evaluated("R1")["display_value"] == "51.0 per 10,000"


def test_evaluate_shows_a_withheld_value_as_printed_and_does_not_rate_it(imported):
    """GIVEN 12 adoptions in Q1 and "c" published for Q2
    THEN Q2's figure is "c", not rated, with no change, and Q1's 12 is only the previous."""
    adoptions = evaluated("C1")

    assert adoptions["value"] is None
    assert adoptions["withheld"] == "c"
    assert adoptions["display_value"] == "c"
    assert adoptions["period"] == "2020/21 Q2"
    assert adoptions["rag"] is None
    assert adoptions["change"] is None
    assert adoptions["explanation"] == 'Withheld as published ("c"): not rated.'
    assert adoptions["previous_value"] == 12
    assert adoptions["display_target"] == "10"


def test_the_table_shows_the_withheld_figure_as_printed(imported):
    result = run("evaluate", "--period", "2020/21 Q2")

    line = next(line for line in result.stdout.splitlines() if line.startswith("C1"))
    assert " c " in line
    assert "£4.2m" in result.stdout


def test_check_does_not_call_a_withheld_figure_missing(imported):
    result = run("check", "--period", "2020/21 Q2", "--format", "json")

    findings = json.loads(result.stdout)
    assert not [f for f in findings if f["ref"] == "C1"], findings


def test_export_writes_labels_and_withheld_text_and_reads_back_the_same(imported, tmp_path):
    """The round trip is exact: what export writes, import reads back unchanged,
    and the next export is the same bytes."""
    first = tmp_path / "first"
    assert run("export", str(first)).returncode == 0
    indicators = list(csv.DictReader(io.StringIO((first / "indicators.csv").read_text())))
    values = list(csv.DictReader(io.StringIO((first / "values.csv").read_text())))
    assert [i["unit_label"] for i in indicators] == ["£m", "days", "per 10,000", ""]
    assert {(v["ref"], v["period"]): v["value"] for v in values}[("C1", "2020/21 Q2")] == "c"
    assert {(v["ref"], v["period"]): v["value"] for v in values}[("F1", "2020/21 Q2")] == "4.2"

    again = run("import", str(first))
    second = tmp_path / "second"
    run("export", str(second))

    assert "values: 0 new, 0 changed, 8 unchanged" in again.stdout
    assert "indicators: 0 new, 0 changed, 4 unchanged" in again.stdout
    for name in ("indicators.csv", "values.csv"):
        assert (second / name).read_bytes() == (first / name).read_bytes()


def test_export_leaves_out_the_label_column_when_no_indicator_has_one(db, tmp_path):
    folder = labelled_folder(tmp_path / "data", values=[])
    write_csv(
        folder / "indicators.csv", INDICATORS_HEADER, [[*r[:3], "", *r[4:]] for r in INDICATORS]
    )
    (folder / "values.csv").unlink()
    assert run("import", str(folder)).returncode == 0

    run("export", str(tmp_path / "out"))

    assert "unit_label" not in (tmp_path / "out" / "indicators.csv").read_text()


# -- refused ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        pytest.param(
            ["D1", "2020/21 Q3", "85%"],
            "values.csv, row 10, column value: '85%' indicator D1 is measured in days: "
            "a value cannot carry '%'",
            id="percent_on_days",
        ),
        pytest.param(
            ["F1", "2020/21 Q3", "£4.2k"],
            "values.csv, row 10, column value: '£4.2k' indicator F1 is measured in millions "
            "of pounds (£m): a value cannot carry 'k'",
            id="thousands_on_millions",
        ),
        pytest.param(
            ["C1", "2020/21 Q3", "£12"],
            "values.csv, row 10, column value: '£12' indicator C1 is measured in counts: "
            "a value cannot carry '£'",
            id="pounds_on_a_count",
        ),
        pytest.param(
            ["D1", "2020/21 Q3", "11", "50%"],
            "values.csv, row 10, column target: '50%' indicator D1 is measured in days: "
            "a value cannot carry '%'",
            id="percent_on_a_target",
        ),
        pytest.param(
            ["C1", "2020/21 Q3", "x", "", "red"],
            "values.csv, row 10, column stated_rag: 'red' rates a value withheld as "
            "published ('x'), which is never rated: leave stated_rag empty",
            id="a_withheld_value_rated",
        ),
        pytest.param(
            ["C1", "2020/21 Q3", "withheld"],
            "values.csv, row 10, column value: 'withheld' is not a number",
            id="not_a_withheld_mark",
        ),
    ],
)
def test_a_value_that_does_not_fit_its_unit_names_the_unit_rule(tmp_path, db, row, expected):
    folder = labelled_folder(tmp_path / "data", [*VALUES, row + [""] * (7 - len(row))])

    result = run("import", str(folder))

    assert result.returncode == 1
    assert expected in result.stderr
    assert "nothing was imported" in result.stderr
    assert not Indicator.objects.exists()


def test_a_target_that_does_not_fit_its_unit_names_the_unit_rule(tmp_path, db):
    folder = labelled_folder(tmp_path / "data")
    write_csv(folder / "targets.csv", ["ref", "period", "target"], [["F1", "2020/21", "4.5%"]])

    result = run("import", str(folder))

    assert result.returncode == 1
    assert (
        "targets.csv, row 2, column target: '4.5%' indicator F1 is measured in millions of "
        "pounds (£m): a value cannot carry '%'"
    ) in result.stderr


@pytest.mark.parametrize(
    ("unit", "label", "expected"),
    [
        pytest.param(
            "number",
            "£m",
            "'£m' starts with £, but the indicator's unit is number: use currency",
            id="pounds_on_a_number",
        ),
        pytest.param(
            "percent", "m", "'m' has the scale 'm', which percent cannot take", id="scaled_percent"
        ),
        pytest.param("number", "50%", "'50%' has a sign a label cannot carry", id="percent_sign"),
    ],
)
def test_a_label_that_does_not_fit_its_unit_is_refused(tmp_path, db, unit, label, expected):
    folder = labelled_folder(tmp_path / "data", values=[])
    write_csv(
        folder / "indicators.csv",
        INDICATORS_HEADER,
        [["X1", "Something", unit, label, "higher", "quarterly", "contextual", "1"]],
    )

    result = run("import", str(folder))

    assert result.returncode == 1
    assert f"indicators.csv, row 2, column unit_label: {expected}" in result.stderr


def test_a_unit_changed_under_a_stored_label_is_refused(imported, tmp_path):
    folder = tmp_path / "change"
    folder.mkdir()
    write_csv(
        folder / "indicators.csv",
        [h for h in INDICATORS_HEADER if h != "unit_label"],
        [["F1", "Net revenue spend", "number", "lower", "quarterly", "targeted", "1"]],
    )

    result = run("import", str(folder))

    assert result.returncode == 1
    assert (
        "indicators.csv, row 2, column unit: 'number' does not fit the unit label '£m' stored "
        "for indicator F1, which starts with £, but the indicator's unit is number: use "
        "currency: give a unit_label column"
    ) in result.stderr
