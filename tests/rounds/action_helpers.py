"""Actions and projects for the round's tests: made on the seed's data
before a round is opened (a module of its own name, as round_helpers is)."""

from __future__ import annotations

from datetime import date
from typing import Any


def make_actions(it_owner: Any) -> dict[str, Any]:
    """A1, an action serving indicator 191 (Customer Services, in Corporate
    Services) with two milestones; P1, a project owned by name by
    ``it_owner`` in another directorate; A2, complete already; A3, not
    started by the end of 2020/21 Q3 (31 December 2020). Any actions the
    seed has are removed first, so that these are the round's only ones."""
    from perfreport.registry.models import Directorate, Indicator, Milestone, PlanAction

    PlanAction.objects.all().delete()

    corporate = Directorate.objects.get(name="Corporate Services")
    place, _ = Directorate.objects.get_or_create(name="Place and Economy")
    calls = PlanAction.objects.create(
        ref="A1",
        title="Recruit more call handlers",
        owner="Head of Customer Services",
        directorate=corporate,
        start=date(2020, 4, 1),
        due=date(2021, 3, 31),
        position=1,
    )
    calls.indicators.add(Indicator.objects.get(ref="191"))
    Milestone.objects.create(action=calls, title="Adverts placed", due=date(2020, 11, 30))
    Milestone.objects.create(action=calls, title="New staff trained", due=date(2021, 3, 1))
    network = PlanAction.objects.create(
        ref="P1",
        kind="project",
        title="Replace the office network",
        owner_user=it_owner,
        directorate=place,
        start=date(2020, 7, 1),
        due=date(2021, 6, 30),
        position=2,
    )
    done = PlanAction.objects.create(
        ref="A2",
        title="Publish the customer charter",
        start=date(2020, 4, 1),
        due=date(2020, 9, 30),
        percent_complete=100,
        completed_on=date(2020, 9, 1),
        position=3,
    )
    later = PlanAction.objects.create(
        ref="A3", title="Review opening hours", start=date(2021, 2, 1), due=date(2021, 12, 31)
    )
    return {"A1": calls, "P1": network, "A2": done, "A3": later}


def update_of(round_: Any, ref: str) -> Any:
    return round_.action_updates.select_related("action", "round").get(action__ref=ref)
