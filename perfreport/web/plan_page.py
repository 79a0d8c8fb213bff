"""The council plan as its pages show it: every figure and sentence already
text, built from :func:`perfreport.data.plan.load_plan`'s view of a period
so that the pages, the reports and the API cannot disagree.

A priority, outcome or sub-outcome shows its roll-up status in the
organisation's Key (label and symbol, never colour alone), the counts it was
made from and the sentence that explains it; then its indicators (value,
unit, period and rating) and its actions (kind, owner, due date, percentage
complete as of the period, status with its reason, milestones).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import quote, urlencode

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from perfreport.core.periods import Period, in_words
from perfreport.core.plan import (
    ActionKind,
    ActionStatus,
    Finding,
    FindingKind,
    IndicatorKind,
    long_date,
)
from perfreport.core.rating import Rating
from perfreport.core.units import describe_unit
from perfreport.data.plan import ActionView, ItemView, PlanView
from perfreport.data.selectors import IndicatorEvaluation
from perfreport.registry import bilingual
from perfreport.registry.periods import read_period
from perfreport.registry.templatetags.bilingual import in_language_tag
from perfreport.web.scorecard_filters import indicators_of

__all__ = [
    "ActionLine",
    "FindingLine",
    "IndicatorLine",
    "ItemBlock",
    "PlanPage",
    "StatusTag",
    "action_line",
    "anchor",
    "item_tag",
    "plan_page",
]


@dataclass(frozen=True)
class StatusTag:
    """A status as a tag: the class that colours it, a symbol and words."""

    css: str  # "rag-red", "rag-none"
    symbol: str
    label: str


@dataclass(frozen=True)
class Count:
    tag: StatusTag
    count: int


@dataclass(frozen=True)
class IndicatorLine:
    ref: str
    title: str
    url: str
    kind: str  # "Key result", or ""
    value: str  # as printed, or "No value"
    unit: str  # "percentages (%)"
    period: str  # of the value, in words
    target: str
    rating: StatusTag
    title_html: str = ""  # the title in the page's language, English marked as such


@dataclass(frozen=True)
class MilestoneLine:
    title: str
    due: str  # "31 March 2021"
    done: bool
    done_on: str  # "", or the date it was done
    late: bool  # past due and not done, as of the period


@dataclass(frozen=True)
class ActionLine:
    ref: str
    title: str
    url: str
    kind: str  # "Action", "Project"
    owner: str
    due: str  # "" when none
    start: str
    percent: str  # "40%", or "Not recorded"
    status: StatusTag
    reason: str
    milestones: tuple[MilestoneLine, ...]
    note: str
    note_period: str  # in words
    updated: bool  # has an update for the period
    title_html: str = ""  # the title in the page's language, English marked as such


@dataclass(frozen=True)
class ItemBlock:
    ref: str
    anchor: str
    level: str  # "Priority", "Outcome", "Sub-outcome"
    depth: int
    title: str
    lead: str
    description: tuple[str, ...]  # paragraphs
    status: StatusTag
    sentence: str
    ratings: tuple[Count, ...]  # indicators by rating, under it all
    unrated: int
    statuses: tuple[Count, ...]  # actions by status, under it all
    indicators: tuple[IndicatorLine, ...]  # its own
    actions: tuple[ActionLine, ...]  # its own
    children: tuple[ItemBlock, ...]
    title_html: str = ""  # the title in the page's language, English marked as such
    description_lang: str = ""  # "en-GB" when it is the English shown on a Welsh page

    @property
    def indicators_caption(self) -> str:
        return indicators_of(self.depth, self.ref)

    @property
    def actions_label(self) -> str:
        """The list of its actions, named: "Actions and projects of outcome O1.1"."""
        words = {"ref": self.ref}
        if self.depth == 1:
            return _("Actions and projects of priority %(ref)s") % words
        if self.depth == 2:
            return _("Actions and projects of outcome %(ref)s") % words
        return _("Actions and projects of sub-outcome %(ref)s") % words

    @property
    def heading(self) -> str:
        """h2 for a priority, h3 for an outcome, h4 below."""
        return f"h{min(self.depth + 1, 4)}"

    def walk(self) -> Iterable[ItemBlock]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class FindingLine:
    label: str
    sentence: str
    url: str
    link_text: str


@dataclass(frozen=True)
class PlanPage:
    period: Period
    public: bool
    priorities: tuple[ItemBlock, ...]
    rule_words: str
    due_soon_days: int
    findings: tuple[FindingLine, ...]  # staff only
    outside: int  # indicators in no plan item
    statuses: tuple[StatusTag, ...]  # what each action status looks like, for the Key

    @property
    def is_empty(self) -> bool:
        return not self.priorities

    def items(self) -> Iterable[ItemBlock]:
        for priority in self.priorities:
            yield from priority.walk()


_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def anchor(ref: str) -> str:
    """A plan item's id in the page: ``item-P1``, ``item-2-3`` for "2.3"."""
    return "item-" + (_UNSAFE.sub("-", ref).strip("-") or "x")


def marked(obj: object, field: str) -> SafeString:
    """``obj.field`` in the page's language as HTML: the English, shown on a
    Welsh page for want of the Welsh, in ``<span lang="en-GB">``."""
    return SafeString(in_language_tag(obj, field))


def fallback_lang(text: bilingual.Text) -> str:
    """``en-GB`` for English shown on a Welsh page for want of the Welsh, else ""."""
    return text.lang if text.is_fallback and text.strip() else ""


def percent(value: Decimal | None) -> str:
    """How complete, as recorded: ``40%``, ``37.5%``; to two places at most."""
    if value is None:
        return _("Not recorded")
    shown = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    return f"{shown:f}%"


def day(value: date | None) -> str:
    return long_date(value) if value else ""


def rating_tag(view: PlanView, rating: Rating | None) -> StatusTag:
    """A rating as the organisation's Key names it."""
    if rating is None:
        return StatusTag("rag-none", "–", _("No status"))
    return StatusTag(f"rag-{rating.value}", view.scheme.symbol(rating), view.label(rating))


def status_tag(status: ActionStatus) -> StatusTag:
    """An action's status, coloured as the rating it counts as in a roll-up."""
    rating = status.rating
    css = f"rag-{rating.value}" if rating is not None else "rag-none"
    return StatusTag(css, status.symbol, status.label)


def item_tag(view: PlanView, item: ItemView) -> StatusTag:
    return rating_tag(view, item.rollup.status)


def _query(period: Period) -> str:
    return "?" + urlencode({"period": period.label})


def _url(name: str, ref: str, period: Period) -> str:
    return reverse(name, args=["REF"]).replace("REF", quote(ref, safe="")) + _query(period)


def indicator_line(view: PlanView, row: IndicatorEvaluation) -> IndicatorLine:
    e, spec = row.evaluation, row.evaluation.indicator
    name = "web:public_indicator" if view.public else "web:indicator"
    kind = row.indicator.kind
    rating = e.rating
    tag = (
        StatusTag(f"rag-{rating.value}", e.rating_symbol, e.rating_label)
        if rating is not None
        else StatusTag("rag-none", "–", _("No rating"))
    )
    return IndicatorLine(
        ref=row.indicator.ref,
        title=str(bilingual.text(row.indicator, "title")),
        url=_url(name, row.indicator.ref, view.period),
        kind=IndicatorKind(kind).label if kind else "",
        value=e.shown(e.current) if e.current else _("No value"),
        unit=describe_unit(spec.unit_format),
        period=in_words(e.current.period) if e.current else "",
        target=e.show(e.target.value) if e.target else "",
        rating=tag,
        title_html=marked(row.indicator, "title"),
    )


def _milestones(view: PlanView, action: ActionView) -> tuple[MilestoneLine, ...]:
    lines = []
    for milestone in action.milestones:
        done_on = action.milestones_done.get(milestone.pk, milestone.completed_on)
        if done_on is not None and done_on > view.as_of:
            done_on = None  # done after the period: not yet, as of then
        lines.append(
            MilestoneLine(
                milestone.title,
                long_date(milestone.due),
                done_on is not None,
                day(done_on),
                done_on is None and milestone.due < view.as_of,
            )
        )
    return tuple(lines)


def action_line(view: PlanView, action: ActionView) -> ActionLine:
    name = "web:public_plan_action" if view.public else "web:plan_action"
    record = action.action
    return ActionLine(
        ref=action.ref,
        title=str(bilingual.text(record, "title")),
        url=_url(name, action.ref, view.period),
        kind=ActionKind(record.kind).label,  # in the page's language: not the field's choices
        owner=record.owner or _("Not recorded"),
        due=day(record.due),
        start=day(record.start),
        percent=percent(action.percent),
        status=status_tag(action.status),
        reason=action.outcome.reason,
        milestones=_milestones(view, action),
        note=action.note,
        note_period=period_words(action.note_period),
        updated=action.updated,
        title_html=marked(record, "title"),
    )


def period_words(label: str) -> str:
    if not label:
        return ""
    try:
        return in_words(read_period(label))
    except ValueError:
        return label


def paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in re.split(r"\n\s*\n", text) if p.strip())


def _counts(view: PlanView, counts: Mapping[Rating, int]) -> tuple[Count, ...]:
    return tuple(Count(rating_tag(view, r), n) for r, n in counts.items() if n)


def item_block(view: PlanView, item: ItemView) -> ItemBlock:
    rollup = item.rollup
    description = bilingual.text(item.item, "description")
    return ItemBlock(
        ref=item.ref,
        anchor=anchor(item.ref),
        level=item.level,
        depth=item.depth,
        title=str(bilingual.text(item.item, "title")),
        lead=item.item.lead,
        description=paragraphs(description),
        status=item_tag(view, item),
        sentence=rollup.sentence(view.label),
        ratings=_counts(view, rollup.ratings),
        unrated=rollup.unrated,
        statuses=tuple(Count(status_tag(s), n) for s, n in rollup.statuses.items() if n),
        indicators=tuple(indicator_line(view, row) for row in item.indicators),
        actions=tuple(action_line(view, a) for a in item.actions),
        children=tuple(item_block(view, child) for child in item.children),
        title_html=marked(item.item, "title"),
        description_lang=fallback_lang(description),
    )


_TO_ACTION = (FindingKind.OVERDUE_ACTION, FindingKind.ACTION_NOT_UPDATED)
_TO_INDICATOR = (FindingKind.RED_WITHOUT_ACTION, FindingKind.FORECAST_MISS_WITHOUT_ACTION)


def finding_line(view: PlanView, finding: Finding) -> FindingLine:
    """A finding with a link to what it is about."""
    if finding.kind in _TO_INDICATOR:
        url = _url("web:indicator", finding.ref, view.period)
        text = _("Indicator %(ref)s: %(title)s") % {"ref": finding.ref, "title": finding.title}
    elif finding.kind in _TO_ACTION:
        url = _url("web:plan_action", finding.ref, view.period)
        text = f"{finding.ref}: {finding.title}"
    else:
        url = _query(view.period) + "#" + anchor(finding.ref)
        text = f"{finding.ref}: {finding.title}"
    return FindingLine(finding.label, finding.sentence, url, text)


def plan_page(view: PlanView) -> PlanPage:
    return PlanPage(
        period=view.period,
        public=view.public,
        priorities=tuple(item_block(view, p) for p in view.priorities),
        rule_words=view.rule_words(),
        due_soon_days=view.due_soon_days,
        findings=() if view.public else tuple(finding_line(view, f) for f in view.findings),
        outside=len(view.outside),
        statuses=tuple(status_tag(s) for s in ActionStatus),
    )
