"""Open data of the council plan: plan.csv and actions.csv (and their JSON
and XLSX) carry the plan items with their status and the actions with their
published progress; a draft update never reaches them."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client

pytestmark = pytest.mark.usefixtures("imported_example")

DRAFT = "DRAFT-PROGRESS-4d2b"


@pytest.fixture
def plan(db) -> None:
    from perfreport.core.periods import Period
    from perfreport.data.models import ActionUpdate
    from perfreport.registry.models import Indicator, PlanAction, PlanItem, PlanLink
    from perfreport.registry.periods import period_fields

    PlanItem.objects.all().delete()
    PlanAction.objects.all().delete()
    priority = PlanItem.objects.create(ref="P1", title="Thriving places")
    outcome = PlanItem.objects.create(ref="P1.1", title="Good services", parent=priority)
    PlanLink.objects.create(item=outcome, indicator=Indicator.objects.get(ref="188"))
    action = PlanAction.objects.create(
        ref="A1", kind="project", title='=HYPERLINK("x")', due=date(2021, 3, 31)
    )
    action.outcomes.add(outcome)
    ActionUpdate.objects.create(
        action=action,
        state="published",
        percent_complete=Decimal("37.5"),
        note="Builders on site",
        **period_fields(Period.quarter(2020, 1)),
    )
    ActionUpdate.objects.create(
        action=action,
        state="submitted",
        percent_complete=Decimal(90),
        note=DRAFT,
        **period_fields(Period.quarter(2020, 2)),
    )


def rows(name: str) -> list[dict[str, str]]:
    response = Client().get(f"/open-data/{name}.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_plan_items_with_their_status(plan: None) -> None:
    found = rows("plan")
    assert [(r["ref"], r["parent"], r["level"]) for r in found] == [
        ("P1", "", "Priority"),
        ("P1.1", "P1", "Outcome"),
    ]
    assert found[1]["indicators"] == "188"
    assert found[1]["period"] == "2020/21 Q2"
    assert found[1]["status"] == "Red"  # 188 is Red in Q2; the worst of, by default
    assert found[1]["status_reason"].startswith("Red: the worst of its")


def test_actions_with_published_progress_only(plan: None) -> None:
    (action,) = rows("actions")
    assert action["kind"] == "Project"
    assert action["percent_complete"] == "37.5"
    assert action["progress"] == "Builders on site"
    assert action["progress_period"] == "2020/21 Q1"  # the Q2 update is not published
    assert action["status"] == "On track"
    assert action["title"].startswith("'=")  # no live formula in a download
    records = json.loads(b"".join(Client().get("/open-data/actions.json").streaming_content))
    assert records["actions"][0]["percent_complete"] == 37.5
    assert DRAFT not in json.dumps(records)
    response = Client().get("/open-data/actions.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c.value for sheet in book for row in sheet.iter_rows() for c in row]
    assert 37.5 in cells and "Builders on site" in cells
    assert DRAFT not in cells and 90 not in cells
