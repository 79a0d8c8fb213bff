"""The exception pack as data: a short report of what went well, what needs
attention and the plan's status, with everything else in an appendix table.

Built once from the period's evaluation (the report's own, with its cover,
Key and indicator texts) and the plan (:func:`perfreport.data.plan.load_plan`);
the selection is :func:`perfreport.core.pack.select_pack`. Every renderer
(PDF, HTML, Word, Excel) lays this tree out and computes nothing. Public
packs read published figures and published action updates only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perfreport.core.indicator import IndicatorSpec
from perfreport.core.pack import ActionFacts, ForecastFacts, IndicatorFacts, PackItem, select_pack
from perfreport.core.periods import Period, in_words
from perfreport.core.rating import Rating
from perfreport.core.spc import Assurance, Variation
from perfreport.core.units import format_value
from perfreport.core.withheld import Figure, Withheld, value_of
from perfreport.data.evaluations import period_evaluation
from perfreport.data.plan import ActionView, ItemView, PlanView, load_plan
from perfreport.data.selectors import IndicatorEvaluation, PeriodEvaluation, no_values_message
from perfreport.registry.bilingual import text
from perfreport.reports.analysis import period_words
from perfreport.reports.context import (
    Count,
    IndicatorSection,
    OverviewRow,
    ReportContext,
    ReportSettings,
    build_context,
)
from perfreport.reports.language import ENGLISH, in_language, parts
from perfreport.reports.service import ReportError, select_indicators

PACKS = ("exceptions",)
IMPROVING = frozenset({Variation.IMPROVEMENT_HIGH, Variation.IMPROVEMENT_LOW})
CONCERN = frozenset({Variation.CONCERN_HIGH, Variation.CONCERN_LOW})


@dataclass(frozen=True)
class PackAction:
    """An action or project as the pack prints it."""

    ref: str
    title: str
    kind: str  # "Action", "Project"
    owner: str
    status: str  # "Overdue"
    status_key: str  # "overdue": for styles
    status_symbol: str
    tag: str  # the colour it counts as in a roll-up: "red", "amber", "green", "none"
    reason: str  # the status's sentence: "Overdue: due on 30 June 2020 and 40% complete."
    note: str  # the latest progress note
    note_period: str


@dataclass(frozen=True)
class PackEntry:
    """One item of "What went well" or "What needs attention"."""

    ref: str
    title: str
    anchor: str
    is_action: bool  # an overdue action serving no indicator
    reasons: tuple[str, ...]  # short labels: "Red", "Special cause of concern"
    sentence: str  # why it is in the pack
    group: str  # "Directorate – Service"
    rating: Rating | None
    rating_label: str
    rating_symbol: str
    current: str  # "85.0%"
    current_period: str  # "Sep 2020"
    target: str
    commentary: tuple[str, ...]  # paragraphs
    commentary_drafted: bool
    written_actions: tuple[str, ...]  # the actions text given in the round
    actions: tuple[PackAction, ...]


@dataclass(frozen=True)
class PlanRow:
    """A priority or outcome with its roll-up."""

    level: str  # "Priority", "Outcome"
    depth: int
    ref: str
    title: str
    status: Rating | None
    status_label: str
    status_symbol: str
    sentence: str
    indicators: str  # "2 Red, 1 Green" or "None rated"
    actions: str  # "1 Overdue, 2 On track" or "None"


@dataclass(frozen=True)
class PackSummary:
    period: str  # "Quarter 2 2020/21 (July to September 2020)"
    total: int
    rating_counts: tuple[Count, ...]
    attention: int
    went_well: int
    appendix: int

    @property
    def sentence(self) -> str:
        # Two sentences' halves, each whole: the counts' plurals differ.
        reported = ngettext(
            "%(total)s indicator reported for %(period)s:",
            "%(total)s indicators reported for %(period)s:",
            self.total,
        ) % {"total": self.total, "period": self.period}
        rest = ngettext(
            "%(attention)s item needs attention and %(went_well)s went well; the other "
            "%(appendix)s are in the appendix.",
            "%(attention)s items need attention and %(went_well)s went well; the other "
            "%(appendix)s are in the appendix.",
            self.attention,
        ) % {"attention": self.attention, "went_well": self.went_well, "appendix": self.appendix}
        return f"{reported} {rest}"


@dataclass(frozen=True)
class PackContext:
    report: ReportContext  # the cover, the Key and each indicator's texts
    summary: PackSummary
    attention: tuple[PackEntry, ...]
    went_well: tuple[PackEntry, ...]
    plan: tuple[PlanRow, ...]
    plan_rule: str  # the roll-up rule in words, as the Key states it
    appendix: tuple[OverviewRow, ...]
    public: bool

    @property
    def document_title(self) -> str:
        return _("Exception pack: %(title)s") % {"title": self.report.document_title}


# -- building ----------------------------------------------------------------


def pack_context(
    period: Period,
    settings: ReportSettings,
    *,
    directorate: str | None = None,
    service: str | None = None,
    today: date | None = None,
    published_only: bool = False,
    language: str = ENGLISH,
) -> PackContext:
    """The exception pack for ``period`` in ``language`` (``en`` or ``cy``);
    ``published_only`` for the public."""
    with in_language(language):
        pack = _pack_context(period, settings, directorate, service, today, published_only)
    return replace(pack, report=replace(pack.report, language=language))


def pack_contexts(period: Period, settings: ReportSettings, *, language: str = ENGLISH,
                  **options: Any) -> list[PackContext]:  # fmt: skip
    """The pack's parts: one, or the Welsh and the English for ``both``."""
    return [pack_context(period, settings, language=part, **options) for part in parts(language)]


def _pack_context(
    period: Period,
    settings: ReportSettings,
    directorate: str | None,
    service: str | None,
    today: date | None,
    published_only: bool,
) -> PackContext:
    result = _evaluation(period, directorate, service, published_only)
    if directorate and not settings.directorate:
        names = {row.directorate for row in result.rows if row.directorate}
        settings = replace(settings, directorate=names.pop()) if len(names) == 1 else settings
    report = build_context(result, settings, today)
    plan = load_plan(period, public=published_only)
    return build_pack(report, result, plan, narrowed=bool(directorate or service))


def _evaluation(
    period: Period, directorate: str | None, service: str | None, published_only: bool
) -> PeriodEvaluation:
    """The period's evaluation with its analytics: the one the pages and the
    plan keep (so the pack and the plan agree), narrowed when asked."""
    whole = period_evaluation(period, published_only)
    result = whole
    if directorate or service:
        chosen = {i.pk for i in select_indicators(directorate, service)}
        rows = [row for row in whole.rows if row.indicator.pk in chosen]
        refs = {row.indicator.ref for row in rows}
        result = replace(whole, rows=rows, findings=[f for f in whole.findings if f.ref in refs])
    if not result.has_values:
        raise ReportError(no_values_message(period))
    # Each indicator's useful links, in one query rather than one each.
    prefetch_related_objects([row.indicator for row in result.rows], "links")
    return result


def build_pack(
    report: ReportContext, result: PeriodEvaluation, plan: PlanView, *, narrowed: bool = False
) -> PackContext:
    sections = {s.ref: s for s in report.sections}
    linked = _linked_actions(plan)
    facts = [_facts(row, sections[row.indicator.ref], linked) for row in result.rows]
    others = [
        _action_facts(view)
        for view in plan.actions.values()
        if not view.action.indicators.all() and not narrowed
    ]
    selection = select_pack(facts, others)
    views = plan.actions
    attention = tuple(_entry(i, sections, views) for i in selection.attention)
    went_well = tuple(_entry(i, sections, views) for i in selection.went_well)
    rows = {r.ref: r for g in report.summary.groups for r in g.rows}
    by_ref = {f.ref: f for f in facts}
    appendix = tuple(_with_units(rows[ref], by_ref[ref]) for ref in selection.appendix)
    summary = PackSummary(
        period=in_words(report.period),
        total=len(report.sections),
        rating_counts=report.summary.rating_counts,
        attention=len(attention),
        went_well=len(went_well),
        appendix=len(appendix),
    )
    return PackContext(
        report=report,
        summary=summary,
        attention=attention,
        went_well=went_well,
        plan=tuple(_plan_rows(plan)),
        plan_rule=plan.rule_words() if not plan.is_empty else "",
        appendix=appendix,
        public=plan.public,
    )


def _linked_actions(plan: PlanView) -> dict[str, list[ActionView]]:
    linked: dict[str, list[ActionView]] = {}
    for view in plan.actions.values():
        for indicator in view.action.indicators.all():
            linked.setdefault(indicator.ref, []).append(view)
    return linked


def _action_facts(view: ActionView) -> ActionFacts:
    return ActionFacts(view.ref, view.action.title, view.status, view.action.due, view.percent)


def _facts(
    row: IndicatorEvaluation, section: IndicatorSection, linked: dict[str, list[ActionView]]
) -> IndicatorFacts:
    e, analytics = row.evaluation, row.analytics
    spc = analytics.spc
    variation = spc.variation if spc is not None else None
    return IndicatorFacts(
        ref=section.ref,
        title=section.title,
        rating=e.rating,
        rating_label=e.rating_label,
        period=section.current_period,
        value=_printed(e.current, e.indicator),
        target=format_value(e.target.value, e.indicator.unit_format, e.indicator.decimals)
        if e.target is not None
        else "",
        improving=variation in IMPROVING,
        concern=variation in CONCERN,
        failing_assurance=spc is not None and spc.assurance is Assurance.FAIL,
        forecast=_forecast_miss(row),
        commentary=e.commentary,
        drafted=analytics.draft,
        actions=tuple(_action_facts(v) for v in linked.get(section.ref, [])),
    )


def _printed(figure: Figure | None, spec: IndicatorSpec) -> str:
    """A figure with its unit, as a sentence prints it ("3 stars", not the
    table's bare "3" under a "(Stars)" heading)."""
    if isinstance(figure, Withheld):
        return figure.printed
    value = value_of(figure)
    return format_value(value, spec.unit_format, spec.decimals) if value is not None else ""


def _forecast_miss(row: IndicatorEvaluation) -> ForecastFacts | None:
    """The forecast when, on its first method (the linear trend), it is more
    likely than not to miss the next milestone target: the rule the plan's
    findings use (perfreport.data.plan)."""
    analytics = row.analytics
    forecast, milestone = analytics.forecast, analytics.forecast_target
    if forecast is None or milestone is None or not forecast.projections:
        return None
    first = forecast.projections[0]
    if first.probability is None or first.likely:
        return None
    spec = row.evaluation.indicator
    return ForecastFacts(
        format_value(milestone.value, spec.unit_format, spec.decimals),
        period_words(milestone.period),
        Decimal(str(round(first.probability, 4))),
    )


def _entry(
    item: PackItem, sections: dict[str, IndicatorSection], views: dict[str, ActionView]
) -> PackEntry:
    actions = tuple(_action(views[a.ref]) for a in item.actions)
    reasons = tuple(r.label for r in item.reasons)
    if item.indicator is None:
        view = views[item.ref]
        return PackEntry(
            item.ref, item.title, _anchor("action", item.ref), True, reasons, item.sentence,
            view.action.directorate.name if view.action.directorate else "",
            None, "", "", "", "", "", (), False, (), actions,
        )  # fmt: skip
    s = sections[item.ref]
    return PackEntry(
        ref=s.ref,
        title=s.title,
        anchor=_anchor("pack", s.ref),
        is_action=False,
        reasons=reasons,
        sentence=item.sentence,
        group=" – ".join(p for p in (s.directorate, s.service) if p),
        rating=s.rating,
        rating_label=s.rating_label or (s.rating.label if s.rating else ""),
        rating_symbol=s.rating_symbol or (s.rating.symbol if s.rating else ""),
        current=item.indicator.value or s.current,
        current_period=s.current_period,
        target=item.indicator.target or s.target,
        commentary=_paragraphs(item.commentary),
        commentary_drafted=item.commentary_drafted,
        written_actions=s.actions,
        actions=actions,
    )


def _with_units(row: OverviewRow, facts: IndicatorFacts) -> OverviewRow:
    """The row with its figures' units ("3 stars"): the appendix has no
    "(Stars)" heading to tell them, as the report's tables do."""
    return replace(row, current=facts.value or row.current, target=facts.target or row.target)


def _anchor(prefix: str, ref: str) -> str:
    return f"{prefix}-" + "".join(ch if ch.isalnum() else "-" for ch in ref.lower())


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip())


def _action(view: ActionView) -> PackAction:
    action = view.action
    return PackAction(
        ref=view.ref,
        title=action.title,
        kind=action.get_kind_display(),
        owner=action.owner or (action.owner_user.get_full_name() if action.owner_user else ""),
        status=view.status.label,
        status_key=view.status.value,
        status_symbol=view.status.symbol,
        tag=view.status.rating.value if view.status.rating else "none",
        reason=view.outcome.reason,
        note=view.note,
        note_period=view.note_period,
    )


def _plan_rows(plan: PlanView) -> Iterable[PlanRow]:
    """The priorities and their outcomes, top down."""
    for item in plan.items():
        if item.depth <= 2:
            yield _plan_row(item, plan)


def _plan_row(view: ItemView, plan: PlanView) -> PlanRow:
    rollup = view.rollup
    status = rollup.status
    ratings = ", ".join(f"{n} {plan.label(r)}" for r, n in rollup.ratings.items())
    if rollup.unrated:
        unrated = _("%(count)s not rated") % {"count": rollup.unrated}
        ratings = ", ".join(p for p in (ratings, unrated) if p)
    actions = ", ".join(f"{n} {s.label}" for s, n in rollup.statuses.items())
    return PlanRow(
        level=view.level,
        depth=view.depth,
        ref=view.ref,
        title=text(view.item, "title"),
        status=status,
        status_label=plan.label(status) if status else _("No status"),
        status_symbol=plan.scheme.symbol(status) if status else "–",
        sentence=rollup.sentence(plan.label),
        indicators=ratings or _("None"),
        actions=actions or _("None"),
    )
