"""perfreport check on an imported folder: the checks of suspect values see the
stored history, numerators, denominators and target notes."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from import_helpers import small_folder, write_csv

from perfreport.imports.service import import_path

pytestmark = pytest.mark.django_db

INDICATORS = [
    ["A1", "Calls answered", "percent", "higher", "monthly", "targeted", "1"],
    ["A2", "Web sessions", "count", "higher", "monthly", "contextual", "0"],
]


def check(period: str = "2020-09") -> tuple[int, list[dict[str, str]]]:
    out = io.StringIO()
    try:
        call_command("check_data", "--period", period, "--format", "json", stdout=out)
    except SystemExit as stop:
        return int(stop.code or 0), json.loads(out.getvalue())
    return 0, json.loads(out.getvalue())


def found(findings: list[dict[str, str]]) -> set[tuple[str, str]]:
    return {(f["ref"], f["code"]) for f in findings}


def test_check_reports_a_suspect_zero_and_a_percentage_over_100(tmp_path):
    """GIVEN sessions counted every month then a 0, and a percentage of 101.5
    WHEN perfreport check runs for September 2020
    THEN it names both, and exits 1."""
    sessions = [["A2", f"2020-0{m}", str(400 + m), "", "", "", ""] for m in range(5, 9)]
    values = [
        ["A1", "2020-09", "101.5", "85", "", "", ""],
        *sessions,
        ["A2", "2020-09", "0", "", "", "", ""],
    ]
    import_path(small_folder(tmp_path, INDICATORS, values))

    status, findings = check()

    assert status == 1
    assert found(findings) == {("A1", "percent-out-of-range"), ("A2", "suspect-zero")}
    zero = next(f for f in findings if f["code"] == "suspect-zero")
    assert zero["message"].startswith("the value for 2020-09 is 0 after 4 earlier values")
    assert zero["severity"] == "warning"


def test_check_reports_a_numerator_above_its_denominator(tmp_path):
    folder = small_folder(tmp_path, INDICATORS[:1], [["A1", "2020-09", "87.0", "85", "", "", ""]])
    header = ["ref", "period", "value", "numerator", "denominator", "target"]
    write_csv(folder / "values.csv", header, [["A1", "2020-09", "87.0", "120", "100", "85"]])
    import_path(folder)

    status, findings = check()

    assert (status, found(findings)) == (1, {("A1", "numerator-above-denominator")})
    assert "numerator of 120, larger than its denominator of 100" in findings[0]["message"]


def imported(folder) -> None:
    """``perfreport import FOLDER``, in process."""
    call_command("import_data", str(folder), stdout=io.StringIO())


QUARTERLY = [["Q1", "Calls answered", "percent", "higher", "quarterly", "targeted", "1"]]
QUARTERS = [f"{year}/{(year + 1) % 100:02d} Q{q}" for year in (2019, 2020) for q in (1, 2, 3, 4)]


@pytest.mark.parametrize(
    ("report", "targets"),
    [
        pytest.param(
            "2020/21 Q2",
            [["Q1", q, str(80 + 2 * i), ""] for i, q in enumerate(QUARTERS)],
            id="quarterly_targets_over_two_years",
        ),
        pytest.param(
            "2020/21 Q1",
            [["Q1", q, "85" if q.startswith("2019") else "90", ""] for q in QUARTERS],
            id="a_new_financial_years_targets",
        ),
    ],
)
def test_a_new_periods_target_is_never_a_changed_target(tmp_path, report, targets):
    """GIVEN a target for each quarter over two years, each differing from the last
    WHEN perfreport check runs for a quarter
    THEN there is no changed-target finding: a period's first target is normal."""
    values = [["Q1", q, str(81 + 2 * i), "", "", "", ""] for i, q in enumerate(QUARTERS)]
    folder = small_folder(tmp_path, QUARTERLY, values)
    write_csv(folder / "targets.csv", ["ref", "period", "target", "note"], targets)
    imported(folder)

    _, findings = check(report)

    assert ("Q1", "target-changed-without-reason") not in found(findings)


def changed_target_folder(tmp_path, name: str, september: str, note: str = ""):
    values = [
        ["A1", "2020-08", "91.0", "", "", "", ""],
        ["A1", "2020-09", "92.0", "", "", "", ""],
    ]
    folder = small_folder(tmp_path / name, INDICATORS[:1], values)
    targets = [["A1", "2020-08", "85", ""], ["A1", "2020-09", september, note]]
    write_csv(folder / "targets.csv", ["ref", "period", "target", "note"], targets)
    return folder


@pytest.mark.parametrize(
    ("september", "note", "expected"),
    [
        pytest.param(
            "92",
            "",
            [
                "the target for 2020-09 changed from 90.0% to 92.0% without a reason: say why "
                "in the target's note"
            ],
            id="changed_with_no_note",
        ),
        pytest.param("92", "Raised by Committee in October.", [], id="changed_with_a_note"),
        pytest.param("90", "", [], id="imported_again_unchanged"),
    ],
)
def test_check_reports_a_periods_target_changed_by_a_later_import(
    tmp_path, september, note, expected
):
    """GIVEN August's and September's targets imported (85%, 90%: a new period's
    target, not a change) WHEN a later import sets September's to another figure
    THEN check says from what to what, unless a note says why."""
    imported(changed_target_folder(tmp_path, "first", "90"))
    assert check()[1] == []

    imported(changed_target_folder(tmp_path, "later", september, note))
    imported(changed_target_folder(tmp_path, "again", september, note))  # keeps the first

    _, findings = check()
    assert [f["message"] for f in findings if f["code"] == "target-changed-without-reason"] == (
        expected
    )


def test_a_clean_folder_has_no_findings(tmp_path):
    import_path(small_folder(tmp_path))

    assert check() == (0, [])


def test_a_value_changed_by_a_later_import_is_reported_as_restated(tmp_path):
    """GIVEN August's value imported as 86.0%
    WHEN a later import gives 84.0% for August (and September's value)
    THEN check reports August's restatement, with both figures; and a second
    import of the same files changes nothing and keeps the first value."""
    first = [["A1", "2020-08", "86.0", "85", "", "", ""]]
    import_path(small_folder(tmp_path / "a", INDICATORS[:1], first))
    later = [
        ["A1", "2020-08", "84.0", "85", "", "", ""],
        ["A1", "2020-09", "87.0", "85", "", "", ""],
    ]
    import_path(small_folder(tmp_path / "b", INDICATORS[:1], later))
    import_path(small_folder(tmp_path / "c", INDICATORS[:1], later))

    _, findings = check()

    restated = [f for f in findings if f["code"] == "restated"]
    assert [f["message"] for f in restated] == [
        "the value for 2020-08 was restated: first published as 86.0%, now 84.0%"
    ]


def test_a_value_imported_once_is_not_a_restatement(tmp_path):
    values = [
        ["A1", "2020-08", "86.0", "85", "", "", ""],
        ["A1", "2020-09", "87.0", "85", "", "", ""],
    ]
    import_path(small_folder(tmp_path / "a", INDICATORS[:1], values))
    import_path(small_folder(tmp_path / "b", INDICATORS[:1], values))

    _, findings = check()

    assert "restated" not in {f["code"] for f in findings}
