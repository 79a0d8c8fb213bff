"""A number of 23 or more integer digits, and a period in year 10000, in an
imported file are named by file, row and column; nothing is written."""

from __future__ import annotations

import pytest
from import_helpers import VALUES_HEADER, refused, small_folder

from perfreport.imports.problems import ImportFailed
from perfreport.imports.service import import_path

pytestmark = pytest.mark.django_db


def value_row(*cells: str) -> list[list[str]]:
    return [list(cells) + [""] * (len(VALUES_HEADER) - len(cells))]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        pytest.param(
            ("A1", "2020-09", "1" * 23),
            f"values.csv, row 2, column value: '{'1' * 23}' is too large: at most 14 digits",
            id="value_of_23_digits",
        ),
        pytest.param(
            ("A1", "2020-09", "-" + "9" * 40 + ".5"),
            f"values.csv, row 2, column value: '-{'9' * 40}.5' is too large: at most 14 digits",
            id="negative_value_of_40_digits",
        ),
        pytest.param(
            ("A1", "9999-12", "80"),
            "values.csv, row 2, column period: '9999-12' is out of range: a period's year "
            "must be 1900 to 2999",
            id="period_in_year_9999",
        ),
    ],
)
def test_a_value_row_out_of_range_is_named_and_nothing_is_written(tmp_path, row, expected):
    messages = refused(small_folder(tmp_path, values=value_row(*row)))

    assert any(expected in m for m in messages), messages
    assert all("InvalidOperation" not in m for m in messages)


@pytest.mark.parametrize("value", ["1" * 23, "1e30", "-" + "9" * 40, "1.5E+20"])
def test_a_benchmark_of_23_digits_is_named_and_nothing_is_written(tmp_path, value):
    """Before, SQLite stored it (unreadable afterwards) and PostgreSQL refused
    the whole import without naming the row."""
    from builders import BENCHMARK_ROWS, benchmarked_folder

    from perfreport.data.models import BenchmarkValue

    row = ["N1", "NAT1", "2020/21", value, "", ""]
    with pytest.raises(ImportFailed) as failure:
        import_path(benchmarked_folder(tmp_path / "a", [*BENCHMARK_ROWS, row], None))

    problem = failure.value.problems[0]
    assert (problem.file, problem.row, problem.column) == ("benchmarks.csv", 10, "value")
    assert f"{value!r} is too large: at most 14 digits" in str(problem)
    assert BenchmarkValue.objects.count() == 0
