"""A small plan over the example's indicators, for the exception pack's tests
(whatever plan the example brings is removed first, so the tests know it all).

    P1 Connected places
      O1 Everyone can get online       indicators 180, 181
      O2 Residents' requests answered  indicators 182, 183
    P2 A well-run council
      O3 Good information              indicator 190
      O4 Skills for the future         (no indicator)

    A1 action  Clear the FOI backlog     O2, serves 182  due 2020-08-31, 40%: overdue
    A2 project New web site               O3, serves 190  due 2021-03-31, 50%: on track
    A3 action  Train every manager        O4, serves none due 2020-07-31, 10%: overdue
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

PERIOD = "2020/21 Q2"


def build_plan() -> dict[str, Any]:
    from perfreport.registry.models import Indicator, PlanAction, PlanItem, PlanLink

    PlanAction.objects.all().delete()
    PlanItem.objects.all().delete()
    ind = {i.ref: i for i in Indicator.objects.all()}
    p1 = PlanItem.objects.create(ref="P1", title="Connected places", position=1)
    p2 = PlanItem.objects.create(ref="P2", title="A well-run council", position=2)
    outcomes = {
        "O1": PlanItem.objects.create(ref="O1", title="Everyone can get online", parent=p1),
        "O2": PlanItem.objects.create(ref="O2", title="Residents' requests answered", parent=p1),
        "O3": PlanItem.objects.create(ref="O3", title="Good information", parent=p2),
        "O4": PlanItem.objects.create(ref="O4", title="Skills for the future", parent=p2),
    }
    for ref, refs in (("O1", ["180", "181"]), ("O2", ["182", "183"]), ("O3", ["190"])):
        for position, indicator in enumerate(refs):
            PlanLink.objects.create(item=outcomes[ref], indicator=ind[indicator], position=position)

    def action(ref: str, kind: str, title: str, outcome: str, serves: str | None,
               **more: Any) -> PlanAction:  # fmt: skip
        made = PlanAction.objects.create(
            ref=ref, kind=kind, title=title, owner="Head of Service", **more
        )
        made.outcomes.add(outcomes[outcome])
        if serves:
            made.indicators.add(ind[serves])
        return made

    actions = {
        "A1": action("A1", "action", "Clear the FOI backlog", "O2", "182",
                     start=date(2020, 4, 1), due=date(2020, 8, 31),
                     percent_complete=Decimal(40), progress="Two officers recruited.",
                     progress_period=PERIOD),
        "A2": action("A2", "project", "New web site", "O3", "190",
                     start=date(2020, 4, 1), due=date(2021, 3, 31), percent_complete=Decimal(50)),
        "A3": action("A3", "action", "Train every manager", "O4", None,
                     start=date(2020, 4, 1), due=date(2020, 7, 31), percent_complete=Decimal(10)),
    }  # fmt: skip
    return {"outcomes": outcomes, "actions": actions}
