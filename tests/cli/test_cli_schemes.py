"""Any council's Key, through the command: ``perfreport import`` reads
``schemes.csv`` and the ``scheme`` columns, ``evaluate`` rates by the scheme in
force and says which, ``check`` names it, ``export`` writes it back, and a
scheme that cannot rate is refused naming the file, row and column."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from builders import write_csv
from cli_helpers import EXAMPLE, run

from perfreport.registry.models import Indicator, RatingScheme

pytestmark = pytest.mark.django_db

TOLERANCE_EXAMPLE = EXAMPLE.parent / "tolerance-scheme"

ORGS = ["code", "name", "home", "scheme", "baseline_label", "contextual_label"]
INDICATORS = [
    "ref", "title", "unit", "polarity", "frequency", "rating_basis", "scheme",
    "tolerance_method", "red_threshold", "blue_threshold",
]  # fmt: skip
VALUES = ["ref", "period", "value", "target"]
SCHEMES = ["scheme", "rating", "gap_from", "inclusive", "measure", "label", "symbol"]


def folder(
    tmp_path: Path,
    *,
    org_scheme: str = "tolerance",
    schemes: list[list[str]] | None = None,
    indicators: list[list[str]] | None = None,
) -> Path:
    path = tmp_path / "in"
    path.mkdir(exist_ok=True)
    write_csv(path / "organisations.csv", ORGS, [["X1", "Anytown", "yes", org_scheme, "", ""]])
    write_csv(
        path / "indicators.csv",
        INDICATORS,
        indicators
        or [
            ["A", "Within 5%", "percent", "higher", "monthly", "targeted", "", "", "", ""],
            ["B", "Met or not", "percent", "higher", "monthly", "targeted", "met", "", "", ""],
            ["C", "Own", "percent", "higher", "monthly", "targeted", "", "relative", "0", "none"],
            ["D", "Ours", "percent", "higher", "monthly", "targeted", "ours", "", "", ""],
        ],
    )
    write_csv(
        path / "values.csv",
        VALUES,
        [
            ["A", "2020-09", "85.5", "90"],  # 5.0% below: Green under tolerance, Amber by seed
            ["B", "2020-09", "89.9", "90"],
            ["C", "2020-09", "89.9", "90"],
            ["D", "2020-09", "88.0", "90"],
        ],
    )
    if schemes is not None:
        write_csv(path / "schemes.csv", SCHEMES, schemes)
    return path


OURS = [
    ["ours", "green", "-2", "yes", "absolute", "On track", "●"],
    ["ours", "red", "", "yes", "absolute", "Off track", "■"],
]


def evaluate_json(period: str = "2020-09") -> dict[str, dict[str, object]]:
    result = run("evaluate", "--period", period, "--format", "json")
    assert result.returncode == 0, result.stderr
    return {row["ref"]: row for row in json.loads(result.stdout)}


def test_each_indicator_is_rated_by_its_scheme_and_says_which(tmp_path: Path) -> None:
    imported = run("import", str(folder(tmp_path, schemes=OURS)))
    assert imported.returncode == 0, imported.stderr
    rows = evaluate_json()
    assert {ref: (r["rag"], r["scheme"]) for ref, r in rows.items()} == {
        "A": ("green", "tolerance"),
        "B": ("red", "met"),
        "C": ("red", "C's own thresholds"),
        "D": ("green", "ours"),
    }
    assert rows["D"]["rag_label"] == "On track"
    assert rows["A"]["explanation"].startswith(
        "85.5% is 4.5 percentage points (5.0%) below the 90.0% target: "
        "Green (on target or better, or up to 5% off it)"
    )
    # Red with a zero red threshold has no Amber to be off by "0% or less".
    assert rows["C"]["explanation"].endswith("Red (off target).")
    assert "0%" not in rows["B"]["explanation"].split(":")[-1]


def test_export_writes_the_schemes_and_columns_back_exactly(tmp_path: Path) -> None:
    source = folder(tmp_path, schemes=OURS)
    assert run("import", str(source)).returncode == 0
    out = tmp_path / "out"
    assert run("export", str(out)).returncode == 0, "export failed"
    schemes = (out / "schemes.csv").read_text(encoding="utf-8").splitlines()
    assert schemes == [
        "scheme,rating,gap_from,inclusive,measure,label,symbol,colour,description",
        "ours,green,-2,yes,absolute,On track,●,,",
        "ours,red,,yes,absolute,Off track,■,,",
    ]
    indicators = (out / "indicators.csv").read_text(encoding="utf-8")
    assert ",met,,,," in indicators  # B names a scheme and has no thresholds of its own
    assert ",relative,0,none," in indicators
    # Importing the export changes nothing.
    again = run("import", str(out))
    assert again.returncode == 0, again.stderr
    assert "schemes: 0 new, 0 changed, 1 unchanged" in again.stdout
    assert "indicators: 0 new, 0 changed, 4 unchanged" in again.stdout


@pytest.mark.parametrize(
    ("schemes", "message"),
    [
        pytest.param(
            [
                ["ours", "green", "0", "yes", "relative", "", ""],
                ["ours", "amber", "5", "yes", "relative", "", ""],
                ["ours", "red", "", "yes", "relative", "", ""],
            ],
            "schemes.csv, row 3, column gap_from: scheme 'ours': bands go best first, so "
            "Amber's gap_from (5) must be below Green's (0)",
            id="bounds_out_of_order",
        ),
        pytest.param(
            [
                ["ours", "green", "0", "yes", "relative", "", ""],
                ["ours", "green", "-5", "yes", "relative", "", ""],
                ["ours", "red", "", "yes", "relative", "", ""],
            ],
            "schemes.csv, row 3, column rating: scheme 'ours' names Green twice",
            id="a_rating_twice",
        ),
        pytest.param(
            [
                ["ours", "green", "0", "yes", "relative", "", ""],
                ["ours", "red", "-5", "yes", "relative", "", ""],
            ],
            "schemes.csv, row 3, column gap_from: scheme 'ours': the last band (Red) takes "
            "every value left, so its gap_from must be empty",
            id="last_band_bounded",
        ),
        pytest.param(
            [
                ["ours", "green", "0", "yes", "relative", "", ""],
                ["ours", "red", "", "yes", "absolute", "", ""],
            ],
            "schemes.csv, row 3, column measure: 'absolute' differs from the measure that row 2 "
            "gives scheme 'ours'",
            id="two_measures",
        ),
        pytest.param(
            [
                ["seed", "green", "0", "yes", "relative", "", ""],
                ["seed", "red", "", "yes", "relative", "", ""],
            ],
            "schemes.csv, row 2, column scheme: 'seed' is a built-in scheme",
            id="a_built_in_name",
        ),
        pytest.param(
            [
                ["ours", "purple", "0", "yes", "relative", "", ""],
                ["ours", "red", "", "yes", "relative", "", ""],
            ],
            "schemes.csv, row 2, column rating: 'purple' is not a band's rating",
            id="an_unknown_rating",
        ),
        pytest.param(
            None,
            "indicators.csv, row 5, column scheme: 'ours' is not a rating scheme: use one of "
            "met, seed, tolerance, or define it in schemes.csv",
            id="a_scheme_nobody_defines",
        ),
    ],
)
def test_a_bad_scheme_is_refused_naming_file_row_and_column(
    tmp_path: Path, schemes: list[list[str]] | None, message: str
) -> None:
    result = run("import", str(folder(tmp_path, schemes=schemes)))
    assert result.returncode != 0
    assert message in result.stderr, result.stderr
    assert "nothing was imported" in result.stderr
    assert not Indicator.objects.exists()
    assert not RatingScheme.objects.exists()


def test_an_unknown_organisation_scheme_is_refused(tmp_path: Path) -> None:
    result = run("import", str(folder(tmp_path, org_scheme="Ours", schemes=None)))
    assert "organisations.csv, row 2, column scheme: 'Ours' is not a rating scheme" in (
        result.stderr
    )


def test_the_tolerance_example_rates_by_its_councils_key(tmp_path: Path) -> None:
    """The example district council: its Key is the tolerance scheme, its
    council tax is met or not, its casualties are counted in calendar years."""
    copy = tmp_path / "example"
    shutil.copytree(TOLERANCE_EXAMPLE, copy)
    assert run("import", str(copy)).returncode == 0
    rows = evaluate_json("2024/25 Q2")
    assert {ref: r["rag"] for ref, r in rows.items()} == {
        "WM01": "green",  # 48.0% is 4.0% below 50%: within 5%
        "WM02": "amber",  # 64.2 against 60 per 100,000, lower is better: 7.0% worse
        "WM03": "amber",  # 81.0% is 10.0% below 90%: Amber, inclusive
        "WM04": "green",  # 2023's 38 against 40, lower is better
        "WM05": "amber",
        "WM06": "green",  # 21.0 days against 20, 5.0% over, lower is better: inclusive
        "WM07": "red",  # met or not: 56.8% against 57.0%
        "WM08": "contextual",
        "WM09": "baseline",
        "WM10": None,  # 2023 withheld as "c": not rated
        "WM11": "green",  # better than the same quarter last year
    }
    assert rows["WM11"]["explanation"].startswith(
        "81.0% is 2.1 percentage points (2.7%) above last year's 78.9% (Quarter 2 2023/24): Green"
    )
    assert rows["WM08"]["rag_label"] == "Monitoring"
    assert rows["WM09"]["rag_label"] == "Data only"
    assert rows["WM04"]["period"] == "2023"
    check = run("check", "--period", "2024/25 Q2")
    assert "rating-missing" not in check.stdout  # nothing came with printed ratings


def test_exporting_and_importing_keeps_which_figures_came_with_printed_ratings(
    tmp_path: Path,
) -> None:
    """Figures entered without printed ratings stay so through export and
    import, so a printed rating imported later raises no false "no rating
    printed" for them."""
    copy = tmp_path / "example"
    shutil.copytree(TOLERANCE_EXAMPLE, copy)
    assert run("import", str(copy)).returncode == 0
    out = tmp_path / "out"
    assert run("export", str(out)).returncode == 0
    assert "rating_printed" in (out / "values.csv").read_text(encoding="utf-8").splitlines()[0]

    again = run("import", str(out))
    assert again.returncode == 0, again.stderr
    assert "Nothing changed" in again.stdout

    printed = tmp_path / "printed"
    printed.mkdir()
    write_csv(printed / "values.csv", ["ref", "period", "value", "stated_rag"],
              [["WM01", "2024/25 Q2", "48.0", "green"]])  # fmt: skip
    assert run("import", str(printed)).returncode == 0
    check = run("check", "--period", "2024/25 Q2")
    assert "rating-missing" not in check.stdout


def test_a_refused_scheme_or_indicator_is_reported_once_not_on_every_row_naming_it(
    tmp_path: Path,
) -> None:
    schemes = [
        ["ours", "green", "0", "yes", "relative", "", ""],
        ["ours", "amber", "5", "yes", "relative", "", ""],
        ["ours", "red", "", "yes", "relative", "", ""],
    ]
    result = run("import", str(folder(tmp_path, schemes=schemes)))

    assert result.returncode != 0
    assert "schemes.csv, row 3, column gap_from" in result.stderr
    # Indicator D names the refused scheme, and values.csv row 5 is D's:
    # neither is an error of its own.
    assert "indicators.csv" not in result.stderr
    assert "values.csv" not in result.stderr
    assert "1 error(s); nothing was imported" in result.stderr
