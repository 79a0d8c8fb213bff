"""The council plan through the command: ``perfreport import`` reads the
example's plan.csv, actions.csv and milestones.csv and the plan columns of
indicators.csv, says what it made, and refuses a mistake naming the file,
row and column; ``perfreport export`` writes them back, exactly, as CSV and as
a workbook."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest
from cli_helpers import EXAMPLE, run

from perfreport.data.models import ActionUpdate
from perfreport.registry.models import Indicator, Milestone, PlanAction, PlanItem, PlanLink

pytestmark = pytest.mark.django_db

ACTION_COLUMNS = (
    "ref", "kind", "title", "owner", "directorate__name", "start", "due", "completed_on",
    "percent_complete", "progress", "progress_period", "position",
)  # fmt: skip
PLAN_FILES = ("plan.csv", "actions.csv", "milestones.csv", "indicators.csv")


def plan_state() -> list[tuple]:
    return [
        *PlanItem.objects.order_by("ref").values_list(
            "ref", "parent__ref", "title", "description", "lead", "position"
        ),
        *PlanLink.objects.order_by("indicator__ref", "position").values_list(
            "indicator__ref", "item__ref", "position"
        ),
        *Indicator.objects.order_by("ref").values_list("ref", "kind"),
        *PlanAction.objects.order_by("ref").values_list(*ACTION_COLUMNS),
        *PlanAction.objects.order_by("ref", "outcomes__ref").values_list("ref", "outcomes__ref"),
        *PlanAction.objects.order_by("ref", "indicators__ref").values_list(
            "ref", "indicators__ref"
        ),
        *Milestone.objects.order_by("action__ref", "position").values_list(
            "action__ref", "title", "due", "completed_on", "position"
        ),
        *ActionUpdate.objects.order_by("action__ref").values_list(
            "action__ref", "period", "state", "percent_complete", "note"
        ),
    ]


def test_importing_the_example_makes_its_plan_and_says_so(db):
    result = run("import", str(EXAMPLE))

    assert result.returncode == 0, result.stderr
    for line in (
        "plan items: 6 new, 0 changed, 0 unchanged",
        "actions: 5 new, 0 changed, 0 unchanged",
        "milestones: 8 new, 0 changed, 0 unchanged",
        "action updates: 4 new, 0 changed, 0 unchanged",
    ):
        assert line in result.stdout
    assert [i.ref for i in PlanItem.objects.filter(parent=None)] == ["P1", "P2"]
    assert PlanItem.objects.exclude(parent=None).count() == 4
    unlinked = Indicator.objects.filter(plan_links=None)
    assert not unlinked.exists()
    assert list(
        PlanLink.objects.filter(indicator__ref="188")
        .order_by("position")
        .values_list("item__ref", flat=True)
    ) == ["P1.1", "P1.2"]
    overdue = PlanAction.objects.get(ref="A3")
    assert (overdue.percent_complete, overdue.owner_user) == (Decimal(80), None)
    assert ActionUpdate.objects.get(action=overdue).period == "2020/21 Q2"


def test_export_writes_the_examples_plan_files_back_byte_for_byte(db, tmp_path):
    run("import", str(EXAMPLE))

    result = run("export", str(tmp_path / "out"))

    assert result.returncode == 0
    assert "6 plan items, 5 actions, 8 milestones" in result.stdout
    for name in PLAN_FILES:
        assert (tmp_path / "out" / name).read_bytes() == (EXAMPLE / name).read_bytes(), name
    again = run("import", str(tmp_path / "out"))
    assert "Nothing changed" in again.stdout
    assert "plan items: 0 new, 0 changed, 6 unchanged" in again.stdout
    assert "action updates: 0 new, 0 changed, 4 unchanged" in again.stdout


def test_a_workbook_export_imports_back_to_the_same_plan(db, tmp_path):
    run("import", str(EXAMPLE))
    before = plan_state()
    workbook = tmp_path / "plan.xlsx"
    run("export", str(workbook))
    PlanAction.objects.all().delete()
    PlanItem.objects.all().delete()
    Indicator.objects.update(kind="performance")

    result = run("import", str(workbook))

    assert result.returncode == 0, result.stderr
    assert plan_state() == before


def test_a_mistake_in_the_plan_is_refused_naming_file_row_and_column(db, tmp_path):
    folder = tmp_path / "bad"
    shutil.copytree(EXAMPLE, folder)
    milestones = (folder / "milestones.csv").read_text()
    (folder / "milestones.csv").write_text(milestones + "A9,Lost,2020-10-01,\n")

    result = run("import", str(folder))

    assert result.returncode == 1
    assert (
        "milestones.csv, row 10, column action: 'A9' is not an action in actions.csv or stored"
        in result.stderr
    )
    assert "nothing was imported" in result.stderr
    assert not PlanItem.objects.exists() and not Indicator.objects.exists()
