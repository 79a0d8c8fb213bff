"""Every bad input gets a message that names the file, row, column and value,
says what was expected, and changes nothing."""

from __future__ import annotations

import pytest
from import_helpers import INDICATOR_HEADER, VALUES_HEADER, refused, small_folder, write_csv

from perfreport.imports.service import import_path
from perfreport.registry.models import Indicator

pytestmark = pytest.mark.django_db


def value_rows(*rows: list[str]) -> list[list[str]]:
    return [list(r) + [""] * (len(VALUES_HEADER) - len(r)) for r in rows]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        pytest.param(
            ["A1", "2020-09", "n/a"],
            "values.csv, row 2, column value: 'n/a' is not a number",
            id="non_numeric_value",
        ),
        pytest.param(
            ["A1", "2020/21 Q5", "80"],
            "values.csv, row 2, column period: '2020/21 Q5' has quarter 5",
            id="fifth_quarter",
        ),
        pytest.param(
            ["A1", "2020-13", "80"],
            "values.csv, row 2, column period: '2020-13' has month 13",
            id="thirteenth_month",
        ),
        pytest.param(
            ["ZZ9", "2020-09", "80"],
            "values.csv, row 2, column ref: 'ZZ9' is not an indicator",
            id="unknown_indicator",
        ),
        pytest.param(
            ["A1", "2020/21 Q2", "80"],
            "values.csv, row 2, column period: 2020/21 Q2 is quarterly, but indicator A1 is monthly: write its periods like 2020-09",
            id="period_of_the_wrong_frequency",
        ),
        pytest.param(
            ["A1", "2020-09", ""],
            "values.csv, row 2, column value: is required",
            id="missing_value",
        ),
        pytest.param(
            ["A1", "2020-09", "80", "", "purple"],
            "column stated_rag: 'purple' is not a RAG rating: use one of red",
            id="unknown_rating",
        ),
    ],
)
def test_a_bad_value_row_is_named_and_nothing_is_written(tmp_path, row, expected):
    messages = refused(small_folder(tmp_path, values=value_rows(row)))

    assert any(expected in m for m in messages), messages


@pytest.mark.parametrize(
    ("column", "bad", "expected"),
    [
        pytest.param(
            3, "sideways", "column polarity: 'sideways' is not one of higher, lower", id="polarity"
        ),
        pytest.param(
            4,
            "weekly",
            "column frequency: 'weekly' is not one of monthly, quarterly, annual",
            id="frequency",
        ),
        pytest.param(
            2,
            "furlongs",
            "column unit: 'furlongs' is not one of percent, number, count, stars, currency",
            id="unit",
        ),
        pytest.param(
            5,
            "hopeful",
            "column rating_basis: 'hopeful' is not one of targeted, baseline, contextual",
            id="rating_basis",
        ),
        pytest.param(
            6, "two", "column decimals: 'two' is not a whole number from 0 to 6", id="decimals"
        ),
    ],
)
def test_an_unknown_choice_in_indicators_csv_is_named(tmp_path, column, bad, expected):
    row = ["A1", "Calls answered", "percent", "higher", "monthly", "targeted", "1"]
    row[column] = bad

    messages = refused(small_folder(tmp_path, indicators=[row], values=value_rows()))

    assert any(f"indicators.csv, row 2, {expected}" in m for m in messages), messages


def test_a_missing_required_column_is_named(tmp_path):
    folder = small_folder(tmp_path)
    write_csv(folder / "values.csv", ["ref", "value"], [["A1", "80"]])

    messages = refused(folder)

    assert any("values.csv, row 1: missing required column(s) period" in m for m in messages), (
        messages
    )


def test_duplicate_indicator_and_period_rows_are_refused(tmp_path):
    folder = small_folder(
        tmp_path, values=value_rows(["A1", "2020-09", "80"], ["A1", "2020-09", "81"])
    )

    messages = refused(folder)

    assert any(
        "values.csv, row 3, column period: '2020-09' repeats indicator A1 for 2020-09 on row 2" in m
        for m in messages
    ), messages


def test_duplicate_indicators_are_refused(tmp_path):
    row = ["A1", "Calls answered", "percent", "higher", "monthly", "targeted", "1"]

    messages = refused(small_folder(tmp_path, indicators=[row, row], values=value_rows()))

    assert any(
        "indicators.csv, row 3, column ref: 'A1' repeats the indicator on row 2" in m
        for m in messages
    )


def test_an_empty_file_is_refused_with_what_was_expected(tmp_path):
    folder = small_folder(tmp_path)
    (folder / "values.csv").write_text("")

    messages = refused(folder)

    assert any("values.csv: is empty: expected a header row" in m for m in messages), messages


def test_a_folder_with_neither_file_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")

    messages = refused(tmp_path)

    assert any("holds neither indicators.csv nor values.csv" in m for m in messages)


def test_a_latin_1_file_is_read_with_a_warning(tmp_path):
    folder = small_folder(tmp_path)
    write_csv(
        folder / "indicators.csv",
        INDICATOR_HEADER,
        [
            [
                "A1",
                "Résidents satisfied – £ spent",
                "percent",
                "higher",
                "monthly",
                "targeted",
                "1",
            ],
            ["A2", "Web sessions", "count", "higher", "monthly", "contextual", "0"],
        ],
        encoding="cp1252",
    )

    _, warnings = import_path(folder)

    assert Indicator.objects.get(ref="A1").title == "Résidents satisfied – £ spent"
    assert any("indicators.csv" in str(w) and "is not UTF-8" in str(w) for w in warnings)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_utf_16_file_with_its_byte_order_mark_is_read_as_such(tmp_path, encoding):
    folder = small_folder(tmp_path)
    path = folder / "indicators.csv"
    rows = [["A1", "Résidents satisfied – £ spent", "percent", "higher", "monthly", "targeted",
             "1"], ["A2", "Web sessions", "count", "higher", "monthly", "contextual", "0"]]  # fmt: skip
    text = ",".join(INDICATOR_HEADER) + "\n" + "\n".join(",".join(r) for r in rows) + "\n"
    mark = "\ufeff" if encoding == "utf-16-be" else ""  # Python's utf-16 writes its own
    path.write_bytes((mark + text).encode(encoding))

    _, warnings = import_path(folder)

    assert Indicator.objects.get(ref="A1").title == "Résidents satisfied – £ spent"
    assert not any("indicators.csv" in str(w) for w in warnings)


def test_a_target_on_a_contextual_indicator_is_stored_with_a_warning(tmp_path):
    folder = small_folder(tmp_path, values=value_rows(["A2", "2020-09", "100", "120"]))

    _, warnings = import_path(folder)

    assert any(
        "indicator A2 is contextual, so this target is stored but not used" in str(w)
        for w in warnings
    )


def test_a_workbook_without_a_values_sheet_is_refused(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "indicators"
    workbook.active.append(INDICATOR_HEADER)
    path = tmp_path / "register.xlsx"
    workbook.save(path)

    messages = refused(path)

    assert any(
        "register.xlsx: has no sheet named 'values' (sheets found: indicators)" in m
        for m in messages
    ), messages


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "register.xlsx"
    path.write_text("not a workbook")

    messages = refused(path)

    assert any("not a readable .xlsx workbook" in m for m in messages)


def test_errors_are_all_listed_up_to_a_limit_per_file(tmp_path):
    rows = value_rows(*[["A1", f"2020-{m:02d}", "bad"] for m in range(1, 13)])
    rows += value_rows(*[["A1", f"2019-{m:02d}", "bad"] for m in range(1, 13)])
    rows += value_rows(*[["A1", f"20{y}-01", "bad"] for y in range(10, 19)])
    rows += value_rows(*[["A1", f"20{y}-02", "bad"] for y in range(10, 19)])
    rows += value_rows(*[["A1", f"20{y}-03", "bad"] for y in range(10, 19)])
    rows += value_rows(*[["A1", f"20{y}-04", "bad"] for y in range(10, 19)])

    messages = refused(small_folder(tmp_path, values=rows))

    assert len([m for m in messages if "is not a number" in m]) == 50
    assert any("… and 10 more errors not shown" in m for m in messages)


def test_warnings_are_listed_up_to_the_same_limit_per_file(tmp_path):
    """A percentage over 100 is a warning; 60 of them list 50 and say how many more."""
    months = [f"20{y}-{m:02d}" for y in range(10, 15) for m in range(1, 13)]
    rows = value_rows(*[["A1", month, "150"] for month in months])

    _, warnings = import_path(small_folder(tmp_path, values=rows))

    messages = [str(w) for w in warnings]
    assert len(months) == 60
    assert len([m for m in messages if "150" in m]) == 50
    assert messages[-1] == "warning: values.csv: … and 10 more warnings not shown"
