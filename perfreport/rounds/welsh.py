"""Publishing in Welsh and English (issue 17): with the home organisation's
bilingual mode on, a round is refused while a text it would make public is
written in English and not in Welsh (the rule is
:func:`perfreport.core.welsh.missing_welsh`).

What a round makes public: the titles of its indicators; the commentary and
actions of its approved entries; the progress notes of its approved action
updates; the whole council plan's priorities, outcomes and actions (the
public plan shows them all); and the reports' title.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from perfreport.core.welsh import Missing, Text, WelshMissing, missing_welsh
from perfreport.core.workflow import EntryState
from perfreport.data.models import Round
from perfreport.data.selectors import home_organisation
from perfreport.registry.models import Indicator, Organisation, PlanAction, PlanItem

__all__ = ["WelshMissing", "refuse_without_welsh", "welsh_missing"]


def welsh_missing(found: Round) -> list[Missing]:
    """What publishing ``found`` would make public without its Welsh; empty
    when the home organisation does not publish bilingually."""
    home = home_organisation()
    if home is None or not home.bilingual:
        return []
    return missing_welsh(_texts(found, home))


def refuse_without_welsh(found: Round) -> None:
    """Refuse (:class:`WelshMissing`) to publish ``found`` while a public text lacks its Welsh."""
    if missing := welsh_missing(found):
        raise WelshMissing(found.get_period().label, missing)


def _texts(found: Round, home: Organisation) -> Iterator[Text]:
    yield from _indicator_titles(found)
    approved = EntryState.APPROVED.value
    for entry in found.entries.filter(state=approved).select_related("indicator"):
        where = reverse("web:entry", args=[entry.pk])
        period, ref = entry.get_period(), entry.indicator.ref
        yield Text(
            "commentary", ref, "commentary", entry.commentary, entry.commentary_cy, period, where
        )
        yield Text("commentary", ref, "actions", entry.actions, entry.actions_cy, period, where)
    for update in found.action_updates.filter(state=approved).select_related("action"):
        where = reverse("web:action_update", args=[update.pk])
        period = update.get_period()
        yield Text(
            "action update",
            update.action.ref,
            "progress",
            update.note,
            update.note_cy,
            period,
            where,
        )
    for item in PlanItem.objects.all():
        where = reverse("admin:registry_planitem_change", args=[item.pk])
        yield Text("plan item", item.ref, "title", item.title, item.title_cy, where=where)
    for action in PlanAction.objects.all():
        where = reverse("admin:registry_planaction_change", args=[action.pk])
        yield Text("action", action.ref, "title", action.title, action.title_cy, where=where)
    where = reverse("web:report_settings")
    yield Text("report", "", "title", home.report_title, home.report_title_cy, where=where)


def _indicator_titles(found: Round) -> Iterator[Text]:
    ids = found.entries.values_list("indicator_id", flat=True)
    for indicator in Indicator.objects.filter(pk__in=ids).order_by("position", "ref"):
        where = reverse("admin:registry_indicator_change", args=[indicator.pk])
        yield Text(
            "indicator", indicator.ref, "title", indicator.title, indicator.title_cy, where=where
        )
