"""A small council plan over the example's indicators, built with the ORM
for the plan pages' tests: whatever plan the example itself brings is
removed first, so that the tests know every item, link and action.

    P1 A connected county            (lead: Director of Digital)
      O1.1 Everyone can get online    indicators 180, 181
        O1.1.1 Digital skills         (no indicator)
      O1.2 Answer residents quickly   indicators 190, 181 (181 in two outcomes)
    P2 A well-run council
      O2.1 Requests answered on time  indicators 182, 183

    A1 action  Roll out gigabit vouchers  O1.1, 180  due 2021-03-31, 40% (published)
    A2 project Replace the phone system   O1.2, 190  due 2020-08-31, 60%: overdue
    A3 action  Clear the FOI backlog      O2.1, 182  due 2021-06-30, a draft update only
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

PERIOD = "2020/21 Q2"  # the example's quarter
PUBLISHED_NOTE = "PUBLISHEDNOTE-5b2c vouchers issued to 300 premises."
DRAFT_NOTE = "DRAFTNOTE-8e1f backlog halved."
DRAFT_PERCENT = Decimal("37.25")  # "37%": shown to staff only


def build_plan(draft_user: Any = None) -> dict[str, Any]:
    """The plan above, with A1's published update and A3's draft for 2020/21 Q2."""
    from perfreport.core.workflow import EntryState
    from perfreport.data.models import ActionUpdate
    from perfreport.registry.models import (
        Directorate,
        Indicator,
        Milestone,
        PlanAction,
        PlanItem,
        PlanLink,
    )
    from perfreport.registry.periods import read_period

    PlanAction.objects.all().delete()
    PlanItem.objects.all().delete()
    ind = {i.ref: i for i in Indicator.objects.all()}
    Indicator.objects.filter(ref="180").update(kind="key_result")

    def item(ref: str, title: str, parent: PlanItem | None, position: int, **more: Any) -> PlanItem:
        return PlanItem.objects.create(
            ref=ref, title=title, parent=parent, position=position, **more
        )

    p1 = item("P1", "A connected county", None, 1, lead="Director of Digital",
              description="Broadband and services for everyone.")  # fmt: skip
    o11 = item("O1.1", "Everyone can get online", p1, 1)
    o111 = item("O1.1.1", "Digital skills", o11, 1)
    o12 = item("O1.2", "Answer residents quickly", p1, 2)
    p2 = item("P2", "A well-run council", None, 2)
    o21 = item("O2.1", "Requests answered on time", p2, 1)
    for outcome, refs in ((o11, ["180", "181"]), (o12, ["190", "181"]), (o21, ["182", "183"])):
        for position, ref in enumerate(refs):
            PlanLink.objects.create(item=outcome, indicator=ind[ref], position=position)

    directorate = Directorate.objects.first()

    def action(ref: str, kind: str, title: str, outcome: PlanItem, indicator: str,
               **more: Any) -> PlanAction:  # fmt: skip
        made = PlanAction.objects.create(
            ref=ref, kind=kind, title=title, owner="Head of Service", directorate=directorate,
            **more,
        )  # fmt: skip
        made.outcomes.add(outcome)
        made.indicators.add(ind[indicator])
        return made

    a1 = action("A1", "action", "Roll out gigabit vouchers", o11, "180",
                start=date(2020, 4, 1), due=date(2021, 3, 31), percent_complete=Decimal(40),
                progress=PUBLISHED_NOTE, progress_period=PERIOD)  # fmt: skip
    Milestone.objects.create(action=a1, title="Scheme launched", due=date(2020, 6, 30),
                             completed_on=date(2020, 6, 15))  # fmt: skip
    Milestone.objects.create(action=a1, title="Half the vouchers issued", due=date(2020, 12, 31))
    a2 = action("A2", "project", "Replace the phone system", o12, "190",
                start=date(2020, 1, 1), due=date(2020, 8, 31), percent_complete=Decimal(60))  # fmt: skip
    a3 = action("A3", "action", "Clear the FOI backlog", o21, "182",
                start=date(2020, 7, 1), due=date(2021, 6, 30))  # fmt: skip
    published = ActionUpdate(
        action=a1, state=EntryState.PUBLISHED.value, percent_complete=Decimal(40),
        note=PUBLISHED_NOTE,
    )  # fmt: skip
    published.set_period(read_period(PERIOD))
    published.save()
    draft = ActionUpdate(
        action=a3, state=EntryState.DRAFT.value, percent_complete=DRAFT_PERCENT, note=DRAFT_NOTE,
        updated_by=draft_user,
    )  # fmt: skip
    draft.set_period(read_period(PERIOD))
    draft.save()
    return {"P1": p1, "O1.1": o11, "O1.1.1": o111, "O1.2": o12, "P2": p2, "O2.1": o21,
            "A1": a1, "A2": a2, "A3": a3}  # fmt: skip
