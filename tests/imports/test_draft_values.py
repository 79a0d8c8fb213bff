"""The optional `draft` column of values.csv: a value not yet published."""

from __future__ import annotations

from decimal import Decimal

import pytest
from import_helpers import small_folder, write_csv

from perfreport.data.models import Observation
from perfreport.imports.export import export_path
from perfreport.imports.problems import ImportFailed
from perfreport.imports.service import import_path

pytestmark = pytest.mark.django_db

HEADER = ["ref", "period", "value", "draft"]


def draft_flags(ref: str = "A1") -> dict[str, bool]:
    return dict(Observation.objects.filter(indicator__ref=ref).values_list("period", "is_draft"))


def values_file(folder, rows, header=HEADER):
    write_csv(folder / "values.csv", header, rows)
    return folder


def test_it_imports_yes_as_a_draft_and_no_or_empty_as_published(tmp_path):
    """GIVEN a values.csv with a draft column WHEN imported THEN yes is a draft."""
    folder = values_file(
        small_folder(tmp_path),
        [
            ["A1", "2020-07", "86", "no"],
            ["A1", "2020-08", "87.5", ""],
            ["A1", "2020-09", "88", "Yes"],
        ],
    )

    import_path(folder)

    assert draft_flags() == {"2020-07": False, "2020-08": False, "2020-09": True}


def test_without_the_column_new_values_are_published_and_stored_flags_are_kept(tmp_path):
    import_path(values_file(small_folder(tmp_path), [["A1", "2020-09", "88", "yes"]]))

    write_csv(
        tmp_path / "values.csv",
        ["ref", "period", "value"],
        [["A1", "2020-09", "88"], ["A1", "2020-10", "89"]],
    )
    import_path(tmp_path)

    assert draft_flags() == {"2020-09": True, "2020-10": False}


def test_publishing_a_draft_updates_the_stored_flag(tmp_path):
    import_path(values_file(small_folder(tmp_path), [["A1", "2020-09", "88", "yes"]]))

    summary, _ = import_path(values_file(tmp_path, [["A1", "2020-09", "88", "no"]]))

    assert draft_flags() == {"2020-09": False}
    assert summary.counts["values"]["updated"] == 1


def test_a_bad_draft_cell_is_an_error_naming_file_row_and_column(tmp_path):
    folder = values_file(
        small_folder(tmp_path), [["A1", "2020-08", "87", "no"], ["A1", "2020-09", "88", "maybe"]]
    )

    with pytest.raises(ImportFailed) as failed:
        import_path(folder)

    assert [str(p) for p in failed.value.problems] == [
        "values.csv, row 3, column draft: 'maybe' is not yes or no"
    ]
    assert Observation.objects.count() == 0


def test_a_new_figure_for_a_draft_is_not_a_restatement(tmp_path):
    """A draft was never published: its figure must not show as 'first published as'."""
    import_path(values_file(small_folder(tmp_path), [["A1", "2020-09", "55.5", "yes"]]))

    import_path(values_file(tmp_path, [["A1", "2020-09", "88", "no"]]))

    stored = Observation.objects.get(indicator__ref="A1", period="2020-09")
    assert (stored.value, stored.first_value, stored.restated_at) == (
        Decimal(88),
        Decimal(88),
        None,
    )
    assert not stored.is_draft


def test_a_new_figure_for_a_published_value_is_still_a_restatement(tmp_path):
    import_path(values_file(small_folder(tmp_path), [["A1", "2020-09", "55.5", "no"]]))

    import_path(values_file(tmp_path, [["A1", "2020-09", "88", "no"]]))

    stored = Observation.objects.get(indicator__ref="A1", period="2020-09")
    assert stored.first_value == Decimal("55.5")
    assert stored.restated_at is not None


def test_export_writes_the_draft_column_only_when_a_value_is_a_draft(tmp_path):
    import_path(values_file(small_folder(tmp_path / "in"), [["A1", "2020-09", "88", "no"]]))
    export_path(tmp_path / "plain")
    assert "draft" not in (tmp_path / "plain" / "values.csv").read_text().splitlines()[0]

    Observation.objects.update(is_draft=True)
    export_path(tmp_path / "drafts")

    lines = (tmp_path / "drafts" / "values.csv").read_text().splitlines()
    assert lines[0].endswith(",actions,draft")
    assert lines[1].endswith(",yes")


@pytest.mark.parametrize("suffix", ["", ".xlsx"], ids=["csv_folder", "workbook"])
def test_drafts_round_trip_through_export_and_import(tmp_path, suffix):
    folder = values_file(
        small_folder(tmp_path / "in"),
        [["A1", "2020-08", "87", "no"], ["A1", "2020-09", "88", "yes"]],
    )
    import_path(folder)
    exported = tmp_path / f"out{suffix}"
    export_path(exported)
    Observation.objects.all().delete()

    import_path(exported)

    assert draft_flags() == {"2020-08": False, "2020-09": True}
