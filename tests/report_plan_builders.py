"""A plan over the example's indicators for the report's plan section, built
with the ORM (whatever plan the example brings is removed first, so that the
tests know every item, link and action). The report is for 2020/21 Q2, so
the actions' statuses are worked out as at 30 September 2020.

    P1 A connected county                  lead: Director of Digital
      O1.1 Everyone can get online         180 (key result), 181
        O1.1.1 Digital skills              (no indicator)
      O1.2 Answer residents quickly        190, 181 (181 in two outcomes)
    P2 A well-run council
      O2.1 Requests answered on time       182, 183

    A1 action  Roll out gigabit vouchers   O1.1   40%, due 31 March 2021: on track;
                                                  milestones: one done, one not due yet
    A2 project Replace the phone system    O1.2   60%, due 31 August 2020: overdue
    A3 action  Clear the FOI backlog       O2.1   20%, due 15 October 2020: at risk
    A4 project Digital skills classes      O1.1.1 starts 1 November 2020: not started
    A5 action  Publish the data strategy   (no outcome) complete on 1 September 2020
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

PERIOD = "2020/21 Q2"
PROGRESS = "Vouchers issued to 300 premises; the supplier framework is agreed."


def build_plan(rule: str = "worst") -> None:
    from perfreport.data.versions import bump_data_version
    from perfreport.registry.models import (
        Indicator,
        Milestone,
        Organisation,
        PlanAction,
        PlanItem,
        PlanLink,
    )

    PlanAction.objects.all().delete()
    PlanItem.objects.all().delete()
    Organisation.objects.filter(is_home=True).update(plan_rule=rule)
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

    def action(ref: str, kind: str, title: str, outcome: PlanItem | None, indicator: str,
               **more: Any) -> PlanAction:  # fmt: skip
        made = PlanAction.objects.create(
            ref=ref, kind=kind, title=title, owner="Head of Service", **more
        )
        if outcome is not None:
            made.outcomes.add(outcome)
        made.indicators.add(ind[indicator])
        return made

    a1 = action("A1", "action", "Roll out gigabit vouchers", o11, "180",
                start=date(2020, 4, 1), due=date(2021, 3, 31), percent_complete=Decimal(40),
                progress=PROGRESS, progress_period=PERIOD)  # fmt: skip
    Milestone.objects.create(action=a1, title="Scheme launched", due=date(2020, 6, 30),
                             completed_on=date(2020, 6, 15))  # fmt: skip
    Milestone.objects.create(action=a1, title="Half the vouchers issued", due=date(2020, 12, 31))
    action("A2", "project", "Replace the phone system", o12, "190",
           start=date(2020, 1, 1), due=date(2020, 8, 31), percent_complete=Decimal(60))  # fmt: skip
    action("A3", "action", "Clear the FOI backlog", o21, "182",
           start=date(2020, 7, 1), due=date(2020, 10, 15), percent_complete=Decimal(20))  # fmt: skip
    action("A4", "project", "Digital skills classes", o111, "181",
           start=date(2020, 11, 1), due=date(2021, 6, 30))  # fmt: skip
    action("A5", "action", "Publish the data strategy", None, "184",
           start=date(2020, 4, 1), due=date(2020, 12, 31), percent_complete=Decimal(100),
           completed_on=date(2020, 9, 1))  # fmt: skip
    bump_data_version()
