"""Upserts, partial files and the all-or-nothing rule."""

from __future__ import annotations

from decimal import Decimal

import pytest
from import_helpers import VALUES_HEADER, small_folder, write_csv

from perfreport.data.models import Commentary, Observation
from perfreport.imports.problems import ImportFailed
from perfreport.imports.service import import_path
from perfreport.registry.models import Indicator, Organisation, Target

pytestmark = pytest.mark.django_db


def test_a_changed_value_is_updated_and_counted(tmp_path):
    import_path(small_folder(tmp_path / "a"))
    folder = small_folder(
        tmp_path / "b",
        values=[["A1", "2020-09", "86.0", "85", "green", "Met again.", ""]],
    )

    summary, _ = import_path(folder)

    assert summary.counts["values"]["updated"] == 1
    assert Observation.objects.get(indicator__ref="A1", period="2020-09").value == Decimal("86")


def test_values_alone_can_be_imported_for_a_register_already_stored(tmp_path):
    import_path(small_folder(tmp_path / "a"))
    folder = tmp_path / "b"
    folder.mkdir()
    write_csv(folder / "values.csv", ["ref", "period", "value"], [["A1", "2020-10", "88"]])

    import_path(folder)

    assert Observation.objects.filter(indicator__ref="A1").count() == 3


def test_a_column_left_out_keeps_what_is_stored(tmp_path):
    import_path(small_folder(tmp_path / "a"))
    folder = tmp_path / "b"
    folder.mkdir()
    write_csv(
        folder / "indicators.csv",
        ["ref", "title", "unit", "polarity", "frequency", "rating_basis"],
        [["A1", "Calls answered (renamed)", "percent", "higher", "monthly", "targeted"]],
    )

    import_path(folder)

    indicator = Indicator.objects.get(ref="A1")
    assert indicator.title == "Calls answered (renamed)"
    assert indicator.decimals == 1  # decimals column absent: left as it was


def test_a_failed_import_leaves_the_database_exactly_as_it_was(tmp_path):
    import_path(small_folder(tmp_path / "a"))
    before = list(Observation.objects.order_by("pk").values_list("pk", "value"))
    bad = small_folder(
        tmp_path / "b",
        values=[
            ["A1", "2020-10", "90", "", "", "", ""],  # good row
            ["A1", "2020-11", "ninety", "", "", "", ""],  # bad row
        ],
    )

    with pytest.raises(ImportFailed):
        import_path(bad)

    assert list(Observation.objects.order_by("pk").values_list("pk", "value")) == before


def test_a_database_failure_mid_import_rolls_everything_back(tmp_path, monkeypatch):
    from perfreport.imports import load

    def explode(*args, **kwargs):
        raise load.transaction.DatabaseError("disk full")

    monkeypatch.setattr(load, "_commentary", explode)

    with pytest.raises(ImportFailed) as caught:
        import_path(small_folder(tmp_path))

    assert any(
        "the database refused the import: disk full" in str(p) for p in caught.value.problems
    )
    assert Indicator.objects.count() == 0
    assert Observation.objects.count() == 0


def test_a_target_in_values_csv_is_stored_as_a_period_target(tmp_path):
    import_path(small_folder(tmp_path))

    target = Target.objects.get(indicator__ref="A1", period="2020-09")
    assert (target.kind, target.value) == ("period", Decimal("85"))


def test_commentary_in_values_csv_is_stored_for_that_period(tmp_path):
    import_path(small_folder(tmp_path))

    assert Commentary.objects.get(indicator__ref="A1").text == "Met again."


def test_without_organisations_a_home_organisation_is_made(tmp_path):
    import_path(small_folder(tmp_path))

    assert Organisation.objects.get(is_home=True).code == "HOME"


def test_numbers_may_carry_thousands_separators_and_units(tmp_path):
    folder = small_folder(
        tmp_path,
        values=[
            ["A1", "2020-09", "87.0%", "85%", "", "", ""],
            ["A2", "2020-09", "432,584", "", "", "", ""],
        ],
    )

    import_path(folder)

    assert Observation.objects.get(indicator__ref="A2").value == Decimal("432584")
    assert Observation.objects.get(indicator__ref="A1").value == Decimal("87")


def test_values_for_another_organisation_need_its_code(tmp_path):
    folder = small_folder(tmp_path)
    write_csv(
        folder / "organisations.csv",
        ["code", "name", "home"],
        [["E10000003", "Cambridgeshire", "yes"], ["E10000020", "Norfolk", "no"]],
    )
    write_csv(
        folder / "values.csv",
        [*VALUES_HEADER, "organisation"],
        [["A1", "2020-09", "80", "", "", "", "", "E10000020"]],
    )

    import_path(folder)

    assert Observation.objects.get().organisation.code == "E10000020"
    assert not Target.objects.exists()  # a peer's row carries no target of ours
