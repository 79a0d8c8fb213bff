"""The DfE's LAIT files (real data, examples/lait): every measure can be
benchmarked for any English LA against its statistical neighbours and England,
and the figures agree with the files read independently here."""

from __future__ import annotations

import random
import statistics
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from perfreport.data.benchmarks import benchmark_measure
from perfreport.data.models import BenchmarkValue
from perfreport.imports.service import import_path
from perfreport.registry.models import ComparatorGroup, Measure, Organisation

LAIT = Path(__file__).resolve().parents[2] / "examples" / "lait"
ROWS = 641_070


def published(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "-") else None
    except ValueError:
        return None


@pytest.fixture(scope="module")
def files():
    """The bulk data and neighbour lists, read without perfreport's code."""
    table = pq.read_table(
        LAIT / "bulk_data_long.parquet", columns=["Short Desc", "Years", "LA Number", "Values"]
    )
    values: dict[tuple[str, str, int], float | None] = {}
    for measure, years, la, value in zip(*(c.to_pylist() for c in table.columns), strict=True):
        values[(measure, years, int(la))] = published(value)
    sheet = load_workbook(next(LAIT.glob("*.xlsx")), read_only=True).worksheets[0]
    neighbours = {}
    for row in list(sheet.iter_rows(values_only=True))[3:]:
        if isinstance(row[0], int):
            neighbours[row[0]] = [n for n in row[5:25:2] if isinstance(n, int)]
    return values, neighbours


@pytest.fixture(scope="module")
def lait_imported(example_for_module, django_db_blocker):
    """The example, then the LAIT files, imported once for the module (see
    module_db in tests/conftest.py): each test's changes are rolled back after
    it. The import's summary."""
    with django_db_blocker.unblock():
        summary, _ = import_path(LAIT)
    return summary


@pytest.fixture
def lait(lait_imported, db):
    return lait_imported


def test_every_measure_benchmarks_for_any_la_as_the_files_say(lait, files):
    values, neighbours = files
    summary = lait

    assert BenchmarkValue.objects.count() == ROWS - 170  # 170 rows give the period "0"
    assert any("170 rows skipped: period '0' names no year" in line for line in summary.lines())
    assert len(neighbours) == ComparatorGroup.objects.filter(kind="statistical_neighbours").count()
    # The example's home organisation met its LAIT record by LA number: one Cambridgeshire.
    assert Organisation.objects.filter(la_number="873").get().is_home
    assert Organisation.objects.get(la_number="970").kind == "england"

    rng = random.Random(7)
    las = [873, *rng.sample(sorted(neighbours), 4)]
    checked = 0
    for code in Measure.objects.values_list("code", flat=True):
        for la in las:
            result = benchmark_measure(code, str(la))
            expected_value = values.get((code, result.period, la))
            if expected_value is None:
                assert result.value is None, (code, la)
            else:  # kept to 6 decimal places: 93.10000000000001 is 93.1
                assert float(result.value) == pytest.approx(expected_value, abs=1e-6), (code, la)
            group = [values.get((code, result.period, n)) for n in neighbours[la]]
            present = [v for v in group if v is not None]
            c = result.comparison
            assert c is not None and c.missing == len(group) - len(present), (code, la)
            if present:
                assert float(c.mean) == pytest.approx(statistics.fmean(present), abs=1e-6), (
                    code,
                    la,
                )
                assert float(c.median) == pytest.approx(statistics.median(present), abs=1e-6), (
                    code,
                    la,
                )
            england = values.get((code, result.period, 970))
            if england is None:
                assert result.national is None
            else:
                assert float(result.national.value) == pytest.approx(england, abs=1e-6)
                assert result.national.basis == "published"
            checked += 1
    assert checked == 434 * len(las)


def test_rank_and_quartile_follow_the_measure_polarity(lait, files):
    values, neighbours = files
    for code in ("%_of LAC Adopted", "CINPermAbsent_3Term"):
        measure = Measure.objects.get(code=code)
        result = benchmark_measure(code, "873")
        home = values[(code, result.period, 873)]
        group = [v for n in neighbours[873] if (v := values.get((code, result.period, n)))]
        if measure.polarity == "higher":
            better = sum(1 for v in group if v > home)
        else:
            better = sum(1 for v in group if v < home)
        assert result.comparison.rank == better + 1
        assert result.comparison.group_size == len(group) + 1


def test_importing_the_lait_files_again_changes_nothing(lait):
    summary, _ = import_path(LAIT)

    assert summary.changed == 0


def test_check_finds_suspect_values_in_the_real_published_data(lait):
    """GIVEN the LAIT files
    WHEN the checks of suspect values run over the published data
    THEN they catch what is there: "% of deaths" (PreChildDea) whose England
    and regional figures are counts in the hundreds, and zeros after years of
    non-zero values."""
    from perfreport.data.benchmarks import published_findings

    findings = published_findings()

    percent = {(f.measure, f.organisation) for f in findings if f.code == "percent-out-of-range"}
    assert ("PreChildDea", "E92000001") in percent  # England: 863 "% of deaths" in 2016
    england = next(
        f for f in findings if (f.measure, f.organisation) == ("PreChildDea", "E92000001")
    )
    assert england.message.startswith("863 for 2016")
    zeros = [f for f in findings if f.code == "suspect-zero"]
    assert zeros and all(" is 0 after " in f.message for f in zeros)
