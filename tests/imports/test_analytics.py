"""What the evaluation adds beyond the rating, on imported data: the run rate
of a cumulative indicator, the forecast to a milestone, SPC and the draft."""

from __future__ import annotations

import pytest
from import_helpers import write_csv

from perfreport.core.periods import parse_period
from perfreport.data.present import evaluation_record
from perfreport.data.selectors import evaluate_period
from perfreport.imports.service import import_path

pytestmark = pytest.mark.django_db


def folder(tmp_path, values, targets, aggregation="cumulative", frequency="quarterly"):
    tmp_path.mkdir(parents=True, exist_ok=True)
    write_csv(
        tmp_path / "indicators.csv",
        [
            "ref",
            "title",
            "unit",
            "polarity",
            "frequency",
            "rating_basis",
            "decimals",
            "aggregation",
        ],
        [["C1", "Homes built", "count", "higher", frequency, "targeted", "0", aggregation]],
    )
    write_csv(tmp_path / "values.csv", ["ref", "period", "value"], values)
    write_csv(tmp_path / "targets.csv", ["ref", "kind", "period", "target"], targets)
    return tmp_path


def record(period):
    result = evaluate_period(parse_period(period))
    result.analyse_all()
    return evaluation_record(result.rows[0])


def test_a_cumulative_indicator_shows_the_run_rate_to_its_year_end_target(tmp_path):
    """GIVEN 300 homes by Q1 and 500 by Q2 against 1,200 for the year
    THEN 350 a quarter are needed over the 2 quarters left, against 250 so far."""
    values = [["C1", "2020/21 Q1", "300"], ["C1", "2020/21 Q2", "500"]]
    import_path(folder(tmp_path, values, [["C1", "period", "2020/21", "1200"]]))

    run_rate = record("2020/21 Q2")["run_rate"]

    assert run_rate.startswith(
        "To reach 1,200 by 2020/21, 350 a quarter are needed over the 2 remaining quarters"
    )
    assert "250 a quarter" in run_rate


def test_a_snapshot_indicator_has_no_run_rate(tmp_path):
    values = [["C1", "2020/21 Q1", "300"], ["C1", "2020/21 Q2", "500"]]
    import_path(folder(tmp_path, values, [["C1", "period", "2020/21", "1200"]], "snapshot"))

    assert record("2020/21 Q2")["run_rate"] is None


def test_six_values_and_a_milestone_ahead_give_a_forecast_by_both_methods(tmp_path):
    """Monthly values rising by 1 a month, and 80 to reach by March 2021."""
    values = [["C1", f"2020-{m:02d}", str(60 + m)] for m in range(1, 13)]
    targets = [["C1", "milestone", "2021-03", "80"]]
    import_path(folder(tmp_path, values, targets, "snapshot", "monthly"))

    row = record("2020-12")

    assert row["forecast_period"] == "2021-03" and row["forecast_target"] == 80
    # The linear trend is exact here: 72 + 3 = 75 by March, well short of 80.
    assert "On the linear trend, 75 is projected for March 2021" in row["forecast"]
    assert row["forecast_probability"] < 0.01
    assert row["spc_chart"] == "run"  # 12 values: fewer than 15
    assert row["draft_commentary"].startswith("In December 2020 the value was 72")
