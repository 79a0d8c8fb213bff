"""The council plan's pages, staff (/plan/) and public (/public/plan/), and
an action's or project's page with its progress notes by period.

The period is chosen as the scorecard chooses it (``?period=``, else the
quarter of the latest value), and everything shown comes from
:func:`perfreport.data.plan.load_plan`: the public pages ask it for
published figures and updates only.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from perfreport.core.periods import Period, in_words
from perfreport.core.workflow import EntryState
from perfreport.data.evaluations import kept
from perfreport.data.models import ActionUpdate
from perfreport.data.plan import PlanView, load_plan
from perfreport.registry import bilingual
from perfreport.web import plan_page as pp
from perfreport.web import scorecard_periods as sp
from perfreport.web.access import staff_required


@staff_required
@require_safe
def plan(request: HttpRequest) -> HttpResponse:
    return _plan(request, public=False)


@require_safe
def public_plan(request: HttpRequest) -> HttpResponse:
    return _plan(request, public=True)


@staff_required
@require_safe
def plan_action(request: HttpRequest, ref: str) -> HttpResponse:
    return _action(request, ref, public=False)


@require_safe
def public_plan_action(request: HttpRequest, ref: str) -> HttpResponse:
    return _action(request, ref, public=True)


def _nav(period: Period, public: bool) -> dict[str, object]:
    nav = sp.period_nav(period, public, plan=True)
    return {
        "nav_periods": nav,
        "previous_url": _query(nav.previous),
        "next_url": _query(nav.next),
    }


def _query(period: Period | None) -> str:
    return "?" + urlencode({"period": period.label}) if period else ""


def _plan(request: HttpRequest, *, public: bool) -> HttpResponse:
    period, notices = sp.chosen_period(request.GET.get("period", ""), public, plan=True)
    context: dict[str, object] = {"public": public, "nav": _nav_name(public), "notices": notices}
    if period is None:
        return render(request, "web/plan.html", context)

    def build() -> str:
        page = pp.plan_page(load_plan(period, public=public))
        return render_to_string(
            "web/includes/plan_content.html", {"page": page, **_nav(period, public)}
        )

    content = kept(("plan-page", period.frequency.value, period.first_month), public, build)
    context |= {"period": period, "content": mark_safe(content)}
    return render(request, "web/plan.html", context)


def _nav_name(public: bool) -> str:
    return "public_plan" if public else "plan"


@dataclass(frozen=True)
class UpdateLine:
    """An action's progress in one period, as recorded."""

    period: str  # in words
    percent: str
    note: tuple[str, ...]  # paragraphs
    state: str  # "Published", "Draft" (staff only)
    state_value: str
    note_lang: str = ""  # "en-GB" when it is the English shown on a Welsh page


@dataclass(frozen=True)
class ActionPage:
    line: pp.ActionLine
    period: Period
    public: bool
    description: tuple[str, ...]
    directorate: str
    completed_on: str
    outcomes: tuple[tuple[str, str, pp.StatusTag], ...]  # (text, href, status)
    indicators: tuple[pp.IndicatorLine, ...]
    updates: tuple[UpdateLine, ...]  # newest first
    description_lang: str = ""  # "en-GB" when it is the English shown on a Welsh page


def _updates(view: PlanView, ref: str) -> tuple[UpdateLine, ...]:
    """The action's updates up to the period, newest first: published only
    on the public pages."""
    action = view.actions[ref].action
    # An update not started (made when a round opens) holds nothing yet.
    held = ActionUpdate.objects.filter(action=action).exclude(state=EntryState.NOT_STARTED.value)
    if view.public:
        held = held.filter(state=EntryState.PUBLISHED.value)
    rows = held.filter(last_month__lte=view.period.last_month)
    lines = []
    for row in rows.order_by("-last_month"):
        note = bilingual.text(row, "note")
        lines.append(
            UpdateLine(
                in_words(row.get_period()),
                pp.percent(row.percent_complete),
                pp.paragraphs(note),
                "" if view.public else EntryState(row.state).label,
                row.state,
                pp.fallback_lang(note),
            )
        )
    if not lines and action.progress and not held.exists():
        # Progress the BI team set without updates by period: published as set.
        progress = bilingual.text(action, "progress")
        lines.append(
            UpdateLine(
                pp.period_words(action.progress_period) or _("Latest"),
                pp.percent(action.percent_complete),
                pp.paragraphs(progress),
                "",
                "",
                pp.fallback_lang(progress),
            )
        )
    return tuple(lines)


def action_page(view: PlanView, ref: str) -> ActionPage:
    shown = view.actions[ref]
    action = shown.action
    by_ref = {item.ref: item for item in view.items()}
    plan_url = reverse("web:public_plan" if view.public else "web:plan") + _query(view.period)
    outcomes = tuple(
        (
            _item_text(by_ref[o.ref].level, o),
            f"{plan_url}#{pp.anchor(o.ref)}",
            pp.item_tag(view, by_ref[o.ref]),
        )
        for o in action.outcomes.all()
        if o.ref in by_ref
    )
    indicators = tuple(
        pp.indicator_line(view, view.indicators[i.ref])
        for i in action.indicators.all()
        if i.ref in view.indicators
    )
    description = bilingual.text(action, "description")
    return ActionPage(
        line=pp.action_line(view, shown),
        period=view.period,
        public=view.public,
        description=pp.paragraphs(description),
        directorate=action.directorate.name if action.directorate else "",
        completed_on=pp.day(shown.completed_on),
        outcomes=outcomes,
        indicators=indicators,
        updates=_updates(view, ref),
        description_lang=pp.fallback_lang(description),
    )


def _item_text(level: str, item: object) -> SafeString:
    """ "Outcome O1.1: Everyone can get online", the title in the page's language."""
    return format_html("{} {}: {}", level, getattr(item, "ref", ""), pp.marked(item, "title"))


def _action(request: HttpRequest, ref: str, *, public: bool) -> HttpResponse:
    period, notices = sp.chosen_period(request.GET.get("period", ""), public, plan=True)
    view = load_plan(period, public=public) if period is not None else None
    if view is None or ref not in view.actions:
        return _not_found(request, ref, view, public)
    page = action_page(view, ref)
    context = {
        "page": page,
        "notices": notices,
        "nav": _nav_name(public),
        "plan_url": reverse("web:public_plan" if public else "web:plan") + _query(page.period),
        **_nav(page.period, public),
    }
    return render(request, "web/plan_action.html", context)


def _not_found(request: HttpRequest, ref: str, view: PlanView | None, public: bool) -> HttpResponse:
    name = "web:public_plan_action" if public else "web:plan_action"
    known = list(view.actions) if view else []
    close = [r for r in known if r[:1].lower() == ref[:1].lower()][:5]
    context = {
        "message": _("There is no action or project with the reference “%(ref)s” in the plan.")
        % {"ref": ref[:40]},
        "suggestions": [
            (
                f"{r}: {bilingual.text(view.actions[r].action, 'title')}",
                reverse(name, args=[r]),
            )
            for r in close
            if view
        ],
        "scorecard_url": reverse("web:public_plan" if public else "web:plan"),
        "scorecard_text": _("See the whole plan"),
        "nav": _nav_name(public),
    }
    return render(request, "404.html", context, status=404)
