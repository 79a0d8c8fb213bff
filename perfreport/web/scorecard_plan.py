"""The scorecard grouped by the council plan (``?group=plan``): each
priority, outcome and sub-outcome under a heading with its roll-up status,
the indicators serving it beneath (an indicator serving two outcomes shows
under both), and "Not in the plan" last.

The plan comes from :func:`perfreport.data.plan.load_plan` for the period
shown, as the plan's own pages take it; the rows are the scorecard's own,
already filtered and sorted.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy

from perfreport.core.periods import Period
from perfreport.data.plan import ItemView, PlanView, load_plan
from perfreport.registry import bilingual
from perfreport.web import scorecard_filters as sf
from perfreport.web.plan_page import anchor, item_tag

NOT_IN_PLAN = gettext_lazy("Not in the plan")


def plan_groups(
    period: Period, public: bool, shown: Sequence[sf.ScorecardRow], every: bool
) -> list[sf.PlanGroup]:
    """The rows ``shown`` by plan item, in the plan's order, each item's in
    the order shown. An item with no row shown is left out unless ``every``
    (no filter is on) or an item under it has some."""
    view = load_plan(period, public=public)
    order = {row.ref: i for i, row in enumerate(shown)}
    by_ref = {row.ref: row for row in shown}
    groups: list[sf.PlanGroup] = []
    for priority in view.priorities:
        groups += _item_groups(view, priority, by_ref, order, every)
    outside = sorted(
        (by_ref[row.indicator.ref] for row in view.outside if row.indicator.ref in by_ref),
        key=lambda row: order[row.ref],
    )
    if outside:
        groups.append(
            sf.PlanGroup("", "not-in-plan", "", 1, str(NOT_IN_PLAN), "", "", "", tuple(outside))
        )
    return groups


def _item_groups(
    view: PlanView,
    item: ItemView,
    by_ref: dict[str, sf.ScorecardRow],
    order: dict[str, int],
    every: bool,
) -> list[sf.PlanGroup]:
    below: list[sf.PlanGroup] = []
    for child in item.children:
        below += _item_groups(view, child, by_ref, order, every)
    own = sorted(
        (by_ref[row.indicator.ref] for row in item.indicators if row.indicator.ref in by_ref),
        key=lambda row: order[row.ref],
    )
    if not (own or below or every):
        return []
    tag = item_tag(view, item)
    title = bilingual.text(item.item, "title")
    group = sf.PlanGroup(
        item.ref,
        anchor(item.ref),
        item.level,
        item.depth,
        str(title),
        tag.css,
        tag.symbol,
        tag.label,
        tuple(own),
        leaf=not item.children,
        title_lang=title.lang if title.is_fallback else "",
    )
    return [group, *below]
