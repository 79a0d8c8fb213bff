"""Edge cases found in review: data given twice, row numbers, order, precision."""

from __future__ import annotations

from decimal import Decimal

import pytest
from import_helpers import INDICATOR_HEADER, VALUES_HEADER, small_folder, write_csv

from perfreport.data.models import Commentary, Observation
from perfreport.imports.export import export_path
from perfreport.imports.problems import ImportFailed
from perfreport.imports.service import import_path
from perfreport.registry.models import Indicator, Organisation, Target

pytestmark = pytest.mark.django_db


def messages(folder) -> list[str]:
    with pytest.raises(ImportFailed) as caught:
        import_path(folder)
    return [str(p) for p in caught.value.problems]


def test_the_same_target_in_targets_csv_and_values_csv_is_stored_once(tmp_path):
    folder = small_folder(tmp_path)
    write_csv(folder / "targets.csv", ["ref", "period", "target"], [["A1", "2020-09", "85"]])

    summary, _ = import_path(folder)

    assert Target.objects.filter(indicator__ref="A1", period="2020-09").count() == 1
    assert summary.counts["targets"]["created"] == 2  # 2020-08 and 2020-09


def test_a_target_that_differs_between_the_two_files_is_refused(tmp_path):
    folder = small_folder(tmp_path)
    write_csv(folder / "targets.csv", ["ref", "period", "target"], [["A1", "2020-09", "90"]])

    found = messages(folder)

    assert any(
        "values.csv, row 3, column target: '85' differs from the target 90 that targets.csv gives on row 2"
        in m
        for m in found
    ), found


def test_commentary_in_both_files_must_agree(tmp_path):
    folder = small_folder(tmp_path)
    write_csv(
        folder / "commentary.csv",
        ["ref", "period", "commentary"],
        [["A1", "2020-09", "Other words."]],
    )

    found = messages(folder)

    assert any(
        "values.csv, row 3, column commentary: differs from the commentary" in m for m in found
    )


def test_rows_are_numbered_as_a_spreadsheet_shows_them_after_a_multi_line_cell(tmp_path):
    folder = small_folder(
        tmp_path,
        values=[
            ["A1", "2020-08", "87.5", "", "", "Line one\nline two\nline three", ""],
            ["A1", "2020-09", "eighty", "", "", "", ""],
        ],
    )

    found = messages(folder)

    assert any(m.startswith("values.csv, row 3, column value: 'eighty'") for m in found), found


def test_a_partial_indicators_file_keeps_the_report_order(tmp_path, example_dir):
    import_path(example_dir)
    folder = tmp_path / "partial"
    folder.mkdir()
    write_csv(
        folder / "indicators.csv",
        ["ref", "title", "unit", "polarity", "frequency", "rating_basis"],
        [
            [
                "196",
                "Universal Business System availability",
                "percent",
                "higher",
                "monthly",
                "targeted",
            ],
            ["900", "A new indicator", "count", "higher", "monthly", "contextual"],
        ],
    )

    import_path(folder)

    refs = list(Indicator.objects.values_list("ref", flat=True))
    assert refs[0] == "180"
    assert refs[-2:] == ["196", "900"]


def test_a_full_indicators_file_sets_the_order(tmp_path, example_dir):
    import_path(example_dir)
    export_path(tmp_path / "out")
    lines = (tmp_path / "out" / "indicators.csv").read_text().splitlines(keepends=True)
    # Move 196's record (a single line: its description has no line breaks) to the top.
    moved = next(line for line in lines if line.startswith("196,"))
    lines.remove(moved)
    (tmp_path / "out" / "indicators.csv").write_text(lines[0] + moved + "".join(lines[1:]))

    import_path(tmp_path / "out")

    assert Indicator.objects.values_list("ref", flat=True)[0] == "196"


def test_a_workbook_and_csv_export_of_the_same_data_import_without_changes(tmp_path, example_dir):
    import_path(example_dir)
    export_path(tmp_path / "data.xlsx")

    summary, _ = import_path(tmp_path / "data.xlsx")

    assert summary.changed == 0


def test_numbers_are_kept_to_six_decimal_places_so_a_reimport_changes_nothing(tmp_path):
    folder = small_folder(
        tmp_path, values=[["A1", "2020-09", "0.30000000000000004", "", "", "", ""]]
    )
    import_path(folder)

    summary, _ = import_path(folder)

    assert Observation.objects.get().value == Decimal("0.3")
    assert summary.changed == 0


# "x", "c", ".." and the like are figures withheld as published (tests/cli/
# test_cli_labels_and_withheld.py); a dash or "n/a" is no figure at all.
@pytest.mark.parametrize("text", ["1e3", "1_000", "+5", "12.5.1", "-", "n/a"])
def test_exponents_underscores_and_suppression_marks_are_not_numbers(tmp_path, text):
    folder = small_folder(tmp_path, values=[["A1", "2020-09", text, "", "", "", ""]])

    found = messages(folder)

    assert any(f"column value: {text!r} is not a number" in m for m in found), found


def test_a_targets_file_without_a_note_column_keeps_the_notes(tmp_path):
    folder = small_folder(tmp_path)
    write_csv(
        folder / "targets.csv",
        ["ref", "period", "target", "note"],
        [["A1", "2020/21", "85", "Agreed by JMT"]],
    )
    import_path(folder)
    write_csv(folder / "targets.csv", ["ref", "period", "target"], [["A1", "2020/21", "86"]])

    import_path(folder)

    target = Target.objects.get(indicator__ref="A1", period="2020/21")
    assert (target.value, target.note) == (Decimal("86"), "Agreed by JMT")


def test_a_peer_rows_target_and_rating_are_ignored_with_a_warning(tmp_path):
    folder = small_folder(tmp_path)
    write_csv(
        folder / "organisations.csv",
        ["code", "name", "home"],
        [["E1", "Home", "yes"], ["E2", "Peer", "no"]],
    )
    write_csv(
        folder / "values.csv",
        [*VALUES_HEADER, "organisation"],
        [["A1", "2020-09", "80", "90", "red", "", "", "E2"]],
    )

    _, warnings = import_path(folder)

    assert not Target.objects.exists()
    assert Observation.objects.get().stated_rag == ""
    assert any(
        "column target: is ignored on a row for another organisation (E2)" in str(w)
        for w in warnings
    )


def test_the_home_organisation_written_out_counts_as_home(tmp_path):
    folder = small_folder(tmp_path)
    write_csv(folder / "organisations.csv", ["code", "name", "home"], [["E1", "Home", "yes"]])
    write_csv(
        folder / "values.csv",
        [*VALUES_HEADER, "organisation"],
        [["A1", "2020-09", "80", "90", "", "Fine.", "", "E1"]],
    )

    import_path(folder)

    assert Target.objects.get().value == Decimal("90")
    assert Commentary.objects.get().text == "Fine."


def test_demoting_the_home_organisation_without_a_new_one_is_refused(tmp_path):
    folder = small_folder(tmp_path)
    write_csv(folder / "organisations.csv", ["code", "name", "home"], [["E1", "Home", "yes"]])
    import_path(folder)
    write_csv(folder / "organisations.csv", ["code", "name", "home"], [["E1", "Home", "no"]])

    found = messages(folder)

    assert any("marks the home organisation E1 as not home but names no other" in m for m in found)
    assert Organisation.objects.get(is_home=True).code == "E1"


def test_text_longer_than_the_database_keeps_is_refused(tmp_path):
    folder = small_folder(
        tmp_path,
        indicators=[["A" * 41, "Too long a ref", "percent", "higher", "monthly", "targeted", "1"]],
        values=[],
    )

    found = messages(folder)

    assert any("column ref: is 41 characters long; at most 40 are kept" in m for m in found), found


def test_the_error_count_counts_each_error_once(tmp_path):
    rows = [
        ["A1", f"20{y:02d}-{m:02d}", "bad", "", "", "", ""]
        for y in range(10, 15)
        for m in range(1, 13)
    ]

    with pytest.raises(ImportFailed, match=r"^60 error"):
        import_path(small_folder(tmp_path, values=rows))


def test_warnings_read_as_sentences(tmp_path):
    folder = small_folder(tmp_path, values=[["A1", "2020-09", "120", "", "", "", ""]])

    _, warnings = import_path(folder)

    assert "warning: values.csv, row 2, column value: '120' is a percentage outside 0–100" in [
        str(w) for w in warnings
    ]


def test_file_names_are_matched_whatever_their_case(tmp_path):
    folder = small_folder(tmp_path)
    (folder / "values.csv").rename(folder / "Values.CSV")

    import_path(folder)

    assert Observation.objects.count() == 3


def test_a_workbook_cell_formatted_as_a_percentage_is_read_as_shown(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "indicators"
    sheet.append(INDICATOR_HEADER)
    sheet.append(["A1", "Calls answered", "percent", "higher", "monthly", "targeted", 1])
    values = workbook.create_sheet("values")
    values.append(["ref", "period", "value"])
    values.append(["A1", "2020-09", 0.9783])
    values["C2"].number_format = "0.00%"
    workbook.save(tmp_path / "data.xlsx")

    import_path(tmp_path / "data.xlsx")

    assert Observation.objects.get().value == Decimal("97.83")


def test_a_number_too_large_for_the_database_is_refused(tmp_path):
    folder = small_folder(tmp_path, values=[["A2", "2020-09", "123456789012345", "", "", "", ""]])

    found = messages(folder)

    assert any("is too large: at most 14 digits before the decimal point" in m for m in found), (
        found
    )


def test_a_blank_and_a_written_home_organisation_are_the_same_row(tmp_path):
    folder = small_folder(tmp_path)
    write_csv(folder / "organisations.csv", ["code", "name", "home"], [["E1", "Home", "yes"]])
    write_csv(
        folder / "values.csv",
        [*VALUES_HEADER, "organisation"],
        [
            ["A1", "2020-09", "80", "", "", "", "", ""],
            ["A1", "2020-09", "81", "", "", "", "", "E1"],
        ],
    )

    found = messages(folder)

    assert any("repeats indicator A1 for 2020-09 on row 2" in m for m in found), found


def test_an_over_long_link_is_refused(tmp_path):
    folder = small_folder(tmp_path)
    write_csv(
        folder / "indicators.csv",
        [*INDICATOR_HEADER, "links"],
        [["A1", "Calls", "percent", "higher", "monthly", "targeted", "1", f"[Title](https://example.org/{'a' * 1000})"],
         ["A2", "Web", "count", "higher", "monthly", "contextual", "0", ""]],
    )  # fmt: skip

    found = messages(folder)

    assert any("has a link longer than is kept" in m for m in found), found
