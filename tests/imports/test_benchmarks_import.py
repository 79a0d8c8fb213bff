"""benchmarks.csv and benchmarks.parquet: streamed, checked, all or nothing, and
picked up by the indicators that name their measure."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from builders import BENCHMARK_ROWS, benchmarked_folder

from perfreport.core.periods import parse_period
from perfreport.data.models import BenchmarkValue, Observation
from perfreport.data.present import evaluation_record
from perfreport.data.selectors import evaluate_period
from perfreport.imports.problems import ImportFailed
from perfreport.imports.service import import_path
from perfreport.registry.models import Measure

pytestmark = pytest.mark.django_db

ROWS = BENCHMARK_ROWS


def folder_with(tmp_path: Path, benchmarks: list[list[str]], header=None, name="a") -> Path:
    return benchmarked_folder(tmp_path / name, benchmarks, header)


def test_a_benchmarks_file_is_loaded_and_picked_up_by_the_indicator(tmp_path):
    summary, _ = import_path(folder_with(tmp_path, ROWS))

    assert BenchmarkValue.objects.count() == 8
    assert BenchmarkValue.objects.get(organisation__code="N4").value is None  # suppressed
    assert "benchmark values: 8 new, 0 changed, 0 unchanged" in summary.lines()
    record = evaluation_record(evaluate_period(parse_period("2019/20")).rows[0])
    # The neighbours N1..N3 have values (70, 50, 55.5); N4 is suppressed; X1 is not in the group.
    assert record["benchmark_period"] == "2019/20"
    assert record["comparator_group"] == "My neighbours"
    assert Decimal(str(record["neighbours_mean"])) == Decimal("58.5")
    assert record["neighbours_mean_basis"] == "computed"
    assert record["neighbours_median"] == 55.5
    assert (record["rank"], record["group_size"], record["quartile"]) == (2, 4, 2)
    assert (record["national_value"], record["national_basis"]) == (58.2, "published")


def test_importing_the_same_benchmarks_again_changes_nothing(tmp_path):
    import_path(folder_with(tmp_path, ROWS))
    summary, _ = import_path(folder_with(tmp_path, ROWS, name="b"))

    assert summary.changed == 0
    assert "benchmark values: 0 new, 0 changed, 8 unchanged" in summary.lines()


def test_a_changed_figure_is_replaced(tmp_path):
    import_path(folder_with(tmp_path, ROWS))
    changed = [row[:] for row in ROWS]
    changed[1][3] = "71"
    summary, _ = import_path(folder_with(tmp_path, changed, name="b"))

    assert "benchmark values: 0 new, 1 changed, 7 unchanged" in summary.lines()
    assert BenchmarkValue.objects.get(organisation__code="N1").value == Decimal(71)


def test_england_is_the_sum_of_numerators_over_denominators_when_not_published(tmp_path):
    rows = [
        ["H1", "NAT1", "2019/20", "10", "1", "10"],
        ["N1", "NAT1", "2019/20", "90", "90", "100"],
        ["N2", "NAT1", "2019/20", "50", "5", "10"],
    ]
    import_path(folder_with(tmp_path, rows))
    record = evaluation_record(evaluate_period(parse_period("2019/20")).rows[0])

    # (1 + 90 + 5) / (10 + 100 + 10) = 80%, not the mean of the rates (50%).
    assert (record["national_value"], record["national_basis"]) == (80, "ratio_of_sums")


def test_only_rates_give_a_mean_of_councils_labelled_as_such(tmp_path):
    rows = [["H1", "NAT1", "2019/20", "10", "", ""], ["N1", "NAT1", "2019/20", "90", "", ""]]
    import_path(folder_with(tmp_path, rows))
    record = evaluation_record(evaluate_period(parse_period("2019/20")).rows[0])

    assert (record["national_value"], record["national_basis"]) == (50, "mean_of_councils")
    assert record["quartile"] is None  # 2 organisations: too few for quartiles


def test_the_latest_published_period_by_the_report_date_is_used(tmp_path):
    import_path(folder_with(tmp_path, ROWS))
    record = evaluation_record(evaluate_period(parse_period("2018/19")).rows[0])

    assert record["benchmark_period"] == "2018/19"
    assert record["neighbours_mean"] is None  # no neighbour has a 2018/19 value


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["ZZ9", "NAT1", "2019/20", "1", "", ""], "organisation", "not a known organisation"),
        (["N1", "NOPE", "2019/20", "1", "", ""], "indicator", "not an indicator ref or a national"),
        (["N1", "NAT1", "someday", "1", "", ""], "period", "names no year"),
        (["N1", "NAT1", "2019/20", "lots", "", ""], "value", "lots"),
    ],
    ids=["unknown-organisation", "unknown-indicator", "period-without-year", "not-a-number"],
)
def test_a_bad_row_is_named_and_nothing_is_written(tmp_path, row, column, message):
    with pytest.raises(ImportFailed) as failure:
        import_path(folder_with(tmp_path, [*ROWS, row]))

    problem = failure.value.problems[0]
    assert (problem.file, problem.row, problem.column) == ("benchmarks.csv", 10, column)
    assert message in str(problem)
    # All or nothing: the register files of the same import were not written either.
    assert BenchmarkValue.objects.count() == 0
    assert Observation.objects.count() == 0
    assert not Measure.objects.exists()


def test_a_row_given_twice_is_refused(tmp_path):
    with pytest.raises(ImportFailed) as failure:
        import_path(folder_with(tmp_path, [*ROWS, ROWS[1]]))

    problem = failure.value.problems[0]
    assert problem.row == 10
    assert "repeats organisation, indicator and period of row 3" in str(problem)


def test_a_missing_required_column_is_refused_before_anything_is_read(tmp_path):
    rows = [row[:3] for row in ROWS]
    with pytest.raises(ImportFailed) as failure:
        import_path(folder_with(tmp_path, rows, header=["organisation", "indicator", "period"]))

    assert "missing required column(s) value" in str(failure.value.problems[0])


def test_a_parquet_benchmarks_file_reads_the_same(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = folder_with(tmp_path, ROWS)
    (folder / "benchmarks.csv").unlink()
    columns = list(zip(*ROWS, strict=True))
    names = ["organisation", "indicator", "period", "value", "numerator", "denominator"]
    pq.write_table(
        pa.table({n: list(c) for n, c in zip(names, columns, strict=True)}),
        folder / "benchmarks.parquet",
    )
    import_path(folder)

    record = evaluation_record(evaluate_period(parse_period("2019/20")).rows[0])
    assert (record["rank"], record["national_value"]) == (2, 58.2)


def test_hand_entered_means_are_labelled_as_entered(imported_example):
    rows = evaluate_period(parse_period("2020/21 Q2")).rows
    broadband = next(evaluation_record(r) for r in rows if r.indicator.ref == "180")

    assert (broadband["national_value"], broadband["national_basis"]) == (96.8, "entered")
    assert broadband["benchmark_period"] is None
