"""What an indicator's page says about the council plan: its type, the
priorities and outcomes it serves (links to them on the plan's page) and the
actions and projects linked to it, as of the period shown, from
:func:`perfreport.data.plan.load_plan` (published only on the public page)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import format_html

from perfreport.core.periods import Period
from perfreport.core.plan import IndicatorKind
from perfreport.data.plan import load_plan
from perfreport.registry.models import Indicator
from perfreport.web import plan_page as pp


@dataclass(frozen=True)
class ServedItem:
    text: str  # "Outcome O1.1: Everyone can get online"
    url: str
    status: pp.StatusTag


@dataclass(frozen=True)
class IndicatorPlan:
    kind: str  # "Key result"
    items: tuple[ServedItem, ...]
    actions: tuple[pp.ActionLine, ...]


def indicator_plan(indicator: Indicator, period: Period, public: bool) -> IndicatorPlan:
    view = load_plan(period, public=public)
    ref = indicator.ref
    plan_url = reverse("web:public_plan" if public else "web:plan")
    query = "?" + urlencode({"period": period.label})
    items = tuple(
        ServedItem(
            format_html("{} {}: {}", item.level, item.ref, pp.marked(item.item, "title")),
            f"{plan_url}{query}#{pp.anchor(item.ref)}",
            pp.item_tag(view, item),
        )
        for item in view.items()
        if any(row.indicator.ref == ref for row in item.indicators)
    )
    actions = tuple(
        pp.action_line(view, action)
        for action in view.actions.values()
        if any(i.ref == ref for i in action.action.indicators.all())
    )
    kind = IndicatorKind(indicator.kind).label if indicator.kind else ""
    return IndicatorPlan(kind, items, actions)
