"""perfreport check --plan: the council plan's findings from the command line."""

from __future__ import annotations

import json
from datetime import date

import pytest
from cli_helpers import EXAMPLE, run

from perfreport.registry.models import Indicator, PlanAction, PlanItem, PlanLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> None:
    assert run("import", str(EXAMPLE)).returncode == 0
    PlanItem.objects.all().delete()
    PlanAction.objects.all().delete()


def test_no_plan_is_said_plainly(loaded: None) -> None:
    result = run("check", "--period", "2020/21 Q2", "--plan")
    assert result.returncode == 1
    assert "there is no plan: import plan.csv and actions.csv" in result.stderr
    assert "Traceback" not in result.stderr


def test_findings_listed_and_exit_1(loaded: None) -> None:
    priority = PlanItem.objects.create(ref="P1", title="Thriving places")
    outcome = PlanItem.objects.create(ref="P1.1", title="Good services", parent=priority)
    PlanItem.objects.create(ref="P1.2", title="Unmeasured\x1b[31m", parent=priority)
    PlanLink.objects.create(item=outcome, indicator=Indicator.objects.get(ref="188"))
    late = PlanAction.objects.create(
        ref="A9", title="Relaunch the website", start=date(2020, 1, 1), due=date(2020, 8, 1)
    )
    late.outcomes.add(outcome)

    table = run("check", "--period", "2020/21 Q2", "--plan")
    assert table.returncode == 1
    assert "plan finding(s) for Quarter 2 2020/21:" in table.stdout
    assert "Overdue action: A9 was due on 1 August 2020 and is not complete." in table.stdout
    assert "Outcome with no indicator: P1.2 has no indicator" in table.stdout
    assert "\x1b" not in table.stdout  # a title's escape sequence is shown, not obeyed

    found = json.loads(run("check", "--period", "2020/21 Q2", "--plan", "--format", "json").stdout)
    kinds = {(f["kind"], f["ref"]) for f in found}
    # 188 is Red in Q2 and its only action serves its outcome, not the indicator itself.
    assert ("red_without_action", "188") in kinds
    assert ("overdue_action", "A9") in kinds
    assert ("outcome_without_indicator", "P1.2") in kinds

    late.indicators.add(Indicator.objects.get(ref="188"))
    late.due = date(2021, 3, 31)
    late.save()
    found = json.loads(run("check", "--period", "2020/21 Q2", "--plan", "--format", "json").stdout)
    assert ("red_without_action", "188") not in {(f["kind"], f["ref"]) for f in found}
