"""load_plan: the plan as every output shows it. The public's view takes
published action updates only; staff see drafts; an action's progress is as
of the period shown."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from perfreport.core.periods import Period
from perfreport.core.plan import ActionStatus, FindingKind, RollupMethod
from perfreport.core.rating import Rating
from perfreport.core.workflow import EntryState
from perfreport.data.models import ActionUpdate
from perfreport.data.plan import build_plan, load_plan
from perfreport.data.versions import bump_data_version
from perfreport.registry.models import (
    Indicator,
    Milestone,
    Organisation,
    PlanAction,
    PlanItem,
    PlanLink,
)
from perfreport.registry.periods import period_fields

pytestmark = pytest.mark.django_db
Q2 = Period.quarter(2020, 2)
Q3 = Period.quarter(2020, 3)


def update(action: PlanAction, period: Period, state: EntryState, **fields: object) -> None:
    ActionUpdate.objects.create(action=action, state=state.value, **period_fields(period), **fields)


@pytest.fixture
def plan(example_for_module: None) -> dict[str, object]:
    # The example's own plan is replaced by this one.
    PlanItem.objects.all().delete()
    PlanAction.objects.all().delete()
    ratings = {
        ref: row.evaluation.rating for ref, row in build_plan(Q2, public=True).indicators.items()
    }
    red = next(ref for ref, rating in ratings.items() if rating is Rating.RED)
    green = next(ref for ref, rating in ratings.items() if rating is Rating.GREEN)
    priority = PlanItem.objects.create(ref="P1", title="A good place to live")
    outcome = PlanItem.objects.create(ref="P1.1", title="Residents are served", parent=priority)
    empty = PlanItem.objects.create(ref="P1.2", title="Nothing measured yet", parent=priority)
    PlanLink.objects.create(item=outcome, indicator=Indicator.objects.get(ref=red), position=0)
    PlanLink.objects.create(item=outcome, indicator=Indicator.objects.get(ref=green), position=1)
    hub = PlanAction.objects.create(
        ref="A1", title="Open the hub", start=date(2020, 4, 1), due=date(2021, 3, 31)
    )
    hub.outcomes.add(outcome)
    hub.indicators.add(Indicator.objects.get(ref=red))
    lease = Milestone.objects.create(action=hub, title="Lease signed", due=date(2020, 8, 31))
    return {"red": red, "green": green, "hub": hub, "lease": lease, "empty": empty}


def test_the_public_see_published_updates_only(plan: dict[str, object]) -> None:
    hub = plan["hub"]
    assert isinstance(hub, PlanAction)
    update(hub, Q2, EntryState.PUBLISHED, percent_complete=Decimal(40), note="Builders on site")
    update(hub, Q3, EntryState.SUBMITTED, percent_complete=Decimal(90), note="Nearly there")
    public = build_plan(Q3, public=True).actions["A1"]
    staff = build_plan(Q3, public=False).actions["A1"]
    assert (public.percent, public.note, public.note_period) == (
        Decimal(40),
        "Builders on site",
        "2020/21 Q2",
    )
    assert public.update is None  # no published update for Q3 itself
    assert (staff.percent, staff.note) == (Decimal(90), "Nearly there")
    assert staff.update is not None


def test_progress_is_as_of_the_period_shown(plan: dict[str, object]) -> None:
    hub, lease = plan["hub"], plan["lease"]
    assert isinstance(hub, PlanAction) and isinstance(lease, Milestone)
    update(
        hub,
        Q3,
        EntryState.PUBLISHED,
        percent_complete=Decimal(60),
        milestones_done={str(lease.pk): "2020-10-15"},
    )
    q2 = build_plan(Q2, public=True).actions["A1"]
    q3 = build_plan(Q3, public=True).actions["A1"]
    assert q2.percent is None  # nothing recorded by the end of Q2
    # The lease was due on 31 August and not signed by 30 September: at risk then.
    assert q2.status is ActionStatus.AT_RISK
    assert "Lease signed" in q2.outcome.reason
    assert q3.percent == Decimal(60) and q3.milestones_done == {lease.pk: date(2020, 10, 15)}
    assert q3.status is ActionStatus.ON_TRACK


def test_roll_up_counts_and_findings(plan: dict[str, object]) -> None:
    view = build_plan(Q2, public=True)
    priority, outcome = view.priorities[0], view.priorities[0].children[0]
    assert [c.ref for c in priority.children] == ["P1.1", "P1.2"]
    assert outcome.rollup.ratings == {Rating.RED: 1, Rating.GREEN: 1}
    assert outcome.rollup.statuses == {ActionStatus.AT_RISK: 1}
    assert outcome.rollup.status is Rating.RED  # worst of, the default
    found = {(f.kind, f.ref) for f in view.findings}
    # The Red indicator has an open action linked: no finding for it.
    assert (FindingKind.RED_WITHOUT_ACTION, plan["red"]) not in found
    assert (FindingKind.ACTION_NOT_UPDATED, "A1") in found
    assert (FindingKind.OUTCOME_WITHOUT_INDICATOR, "P1.2") in found
    # Indicators Red with no action linked are found.
    reds = {r for r, row in view.indicators.items() if row.evaluation.rating is Rating.RED}
    for ref in reds - {plan["red"]}:
        assert (FindingKind.RED_WITHOUT_ACTION, ref) in found
    assert plan["red"] not in {row.indicator.ref for row in view.outside}


def test_the_organisation_s_rule_is_used(plan: dict[str, object]) -> None:
    Organisation.objects.filter(is_home=True).update(
        plan_rule=RollupMethod.SHARE.value, plan_green_share=Decimal(50)
    )
    view = build_plan(Q2, public=True)
    # One Green of two indicators and one action at risk (Amber): 1/3 under 50%.
    assert view.priorities[0].children[0].rollup.status is Rating.RED
    assert "50%" in view.rule_words()


def test_kept_until_the_data_change(plan: dict[str, object]) -> None:
    first = load_plan(Q2, public=True)
    assert load_plan(Q2, public=True) is first
    bump_data_version()
    assert load_plan(Q2, public=True) is not first
