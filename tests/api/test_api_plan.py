"""GET /api/plan: the council plan for a period. Without a token it answers
published progress only and no findings; a BI administrator's token sees the
drafts of the open round and the findings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

pytestmark = pytest.mark.usefixtures("imported_example")


@pytest.fixture
def plan(db):
    from perfreport.core.periods import Period
    from perfreport.data.models import ActionUpdate
    from perfreport.registry.models import Indicator, Milestone, PlanAction, PlanItem, PlanLink
    from perfreport.registry.periods import period_fields

    PlanItem.objects.all().delete()
    PlanAction.objects.all().delete()
    priority = PlanItem.objects.create(ref="P1", title="Thriving places", lead="Chief Executive")
    outcome = PlanItem.objects.create(ref="P1.1", title="Good services", parent=priority)
    PlanLink.objects.create(item=outcome, indicator=Indicator.objects.get(ref="188"))
    hub = PlanAction.objects.create(
        ref="A1", title="Relaunch the website", start=date(2020, 4, 1), due=date(2021, 3, 31)
    )
    hub.outcomes.add(outcome)
    hub.indicators.add(Indicator.objects.get(ref="188"))
    Milestone.objects.create(action=hub, title="Designs agreed", due=date(2020, 9, 1))
    q2 = period_fields(Period.quarter(2020, 2))
    ActionUpdate.objects.create(
        action=hub, state="published", percent_complete=Decimal(30), note="On site", **q2
    )
    q3 = period_fields(Period.quarter(2020, 3))
    ActionUpdate.objects.create(
        action=hub, state="draft", percent_complete=Decimal(95), note="DRAFT-NOTE-51", **q3
    )
    return hub


def test_the_public_get_published_progress_and_no_findings(client, plan) -> None:
    answer = client.get("/api/plan", {"period": "2020/21 Q3"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["published_only"] is True and body["findings"] is None
    assert [(i["ref"], i["parent"], i["level"]) for i in body["items"]] == [
        ("P1", None, "Priority"),
        ("P1.1", "P1", "Outcome"),
    ]
    action = body["actions"][0]
    assert (action["percent_complete"], action["progress"], action["progress_period"]) == (
        30,
        "On site",
        "2020/21 Q2",
    )
    assert "DRAFT-NOTE-51" not in answer.content.decode()
    # The milestone was due on 1 September 2020 and is not done: at risk.
    assert action["status"] == "at_risk" and "Designs agreed" in action["status_reason"]
    assert body["items"][0]["status_sentence"].endswith("rated indicators and actions.")
    assert body["rule"]["method"] == "worst" and body["rule"]["green_share"] is None


def test_staff_see_the_draft_and_the_findings(client, plan, auth) -> None:
    body = client.get("/api/plan", {"period": "2020/21 Q3"}, **auth).json()
    assert body["published_only"] is False
    assert body["actions"][0]["percent_complete"] == 95
    assert body["actions"][0]["progress"] == "DRAFT-NOTE-51"
    assert isinstance(body["findings"], list)


def test_a_bad_period_names_the_field_and_no_plan_is_404(client, plan) -> None:
    from perfreport.registry.models import PlanAction, PlanItem

    bad = client.get("/api/plan", {"period": "2020/21 Q9"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["query", "period"]
    PlanItem.objects.all().delete()
    PlanAction.objects.all().delete()
    gone = client.get("/api/plan", {"period": "2020/21 Q2"})
    assert gone.status_code == 404
    assert "there is no council plan" in gone.json()["detail"]
