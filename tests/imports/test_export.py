"""Export writes what import reads: the round trip is exact."""

from __future__ import annotations

import pytest

from perfreport.data.models import Commentary, Observation
from perfreport.imports.export import export_path
from perfreport.imports.service import import_path
from perfreport.registry.models import (
    Directorate,
    Indicator,
    Organisation,
    PlanAction,
    PlanItem,
    Service,
)

pytestmark = pytest.mark.django_db


def wipe() -> None:
    """Empty the register, children first (a flush cannot run inside a test's transaction)."""
    for model in (
        Observation,
        Commentary,
        PlanAction,
        PlanItem,
        Indicator,
        Service,
        Directorate,
        Organisation,
    ):
        model.objects.all().delete()


def test_exporting_the_imported_example_gives_the_same_bytes(
    example_dir, imported_example, tmp_path
):
    export_path(tmp_path)

    for source in sorted(example_dir.glob("*.csv")):
        assert (tmp_path / source.name).read_bytes() == source.read_bytes(), source.name
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == sorted(
        p.name for p in example_dir.glob("*.csv")
    )


def snapshot() -> list[tuple]:
    return [
        *Indicator.objects.order_by("ref").values_list(
            "ref", "title", "unit", "decimals", "polarity", "description", "england_mean"
        ),
        *Observation.objects.order_by("indicator__ref", "first_month").values_list(
            "indicator__ref", "period", "value", "stated_rag"
        ),
    ]


def test_a_workbook_export_imports_back_to_the_same_data(imported_example, tmp_path):
    before = snapshot()
    workbook = tmp_path / "register.xlsx"
    export_path(workbook)
    wipe()
    assert Indicator.objects.count() == 0

    import_path(workbook)

    assert snapshot() == before


def test_the_workbook_export_then_csv_export_matches_the_example(
    example_dir, imported_example, tmp_path
):
    export_path(tmp_path / "register.xlsx")
    wipe()
    import_path(tmp_path / "register.xlsx")

    export_path(tmp_path / "again")

    for source in sorted(example_dir.glob("*.csv")):
        assert (tmp_path / "again" / source.name).read_text() == source.read_text(), source.name


def test_importing_an_export_changes_nothing(imported_example, tmp_path):
    export_path(tmp_path)

    summary, _ = import_path(tmp_path)

    assert summary.changed == 0
