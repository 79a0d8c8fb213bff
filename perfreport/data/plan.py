"""The council plan as every output shows it for a period: the tree of
priorities and outcomes with their indicators' evaluations, their actions'
statuses and each item's roll-up, and the plan's findings.

One selector, :func:`load_plan`, for the pages, the API, the reports and the
exception pack, so that they cannot disagree. ``public=True`` reads
published figures and published action updates only: the public pages, the
open data and the reports call it so. Staff see the drafts of the open round,
as the staff scorecard does.

An action's progress in a period is its latest update up to the period's end
(published only, for the public); its status is worked out as of the end of
the period (:func:`perfreport.core.plan.action_status`), so that a report of
a past quarter says what was true then.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch

from perfreport.core.periods import Period, in_words
from perfreport.core.plan import (
    ActionState,
    ActionStatus,
    Finding,
    IndicatorState,
    PlanNode,
    Rollup,
    RollupRule,
    StatusOutcome,
    action_status,
    find,
    level_name,
    roll_up_plan,
)
from perfreport.core.rating import DEFAULT_SCHEME, Rating, Scheme
from perfreport.core.workflow import EntryState
from perfreport.data.evaluations import kept, period_evaluation
from perfreport.data.models import ActionUpdate
from perfreport.data.selectors import IndicatorEvaluation
from perfreport.registry.bilingual import text
from perfreport.registry.models import Milestone, Organisation, PlanAction, PlanItem, PlanLink

__all__ = ["ActionView", "ItemView", "PlanView", "load_plan"]


@dataclass(frozen=True)
class ActionView:
    """An action or project as shown for a period."""

    action: PlanAction
    milestones: tuple[Milestone, ...]
    outcome: StatusOutcome
    percent: Decimal | None  # as of the period (None: no progress recorded)
    completed_on: date | None
    note: str  # the progress note of the update shown
    note_period: str  # its period's label ("" when none)
    update: ActionUpdate | None  # the period's own update, if any (published only, for the public)
    milestones_done: dict[int, date] = field(default_factory=dict)
    note_cy: str = ""  # the same note in Welsh, as written ("" when none): the open data's

    @property
    def ref(self) -> str:
        return self.action.ref

    @property
    def status(self) -> ActionStatus:
        return self.outcome.status

    @property
    def updated(self) -> bool:
        return self.update is not None


@dataclass(frozen=True)
class ItemView:
    """A priority, outcome or sub-outcome with what it shows."""

    item: PlanItem
    depth: int
    rollup: Rollup
    indicators: tuple[IndicatorEvaluation, ...]  # its own, in link order
    actions: tuple[ActionView, ...]  # its own
    children: tuple[ItemView, ...]

    @property
    def ref(self) -> str:
        return self.item.ref

    @property
    def level(self) -> str:
        return level_name(self.depth)

    def walk(self) -> Iterable[ItemView]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class PlanView:
    period: Period
    public: bool
    as_of: date
    rule: RollupRule
    due_soon_days: int
    scheme: Scheme  # the organisation's Key, for the ratings' names
    priorities: tuple[ItemView, ...]
    actions: dict[str, ActionView]  # every action, by reference
    indicators: dict[str, IndicatorEvaluation]  # every indicator evaluated, by reference
    findings: tuple[Finding, ...]
    outside: tuple[IndicatorEvaluation, ...]  # indicators in no plan item

    @property
    def is_empty(self) -> bool:
        return not self.priorities

    def items(self) -> Iterable[ItemView]:
        """Every item, top down."""
        for priority in self.priorities:
            yield from priority.walk()

    def label(self, rating: Rating) -> str:
        """A rating as the organisation's Key names it."""
        return self.scheme.label(rating)

    def rule_words(self) -> str:
        return self.rule.words(self.label)


def _plan_items() -> tuple[list[PlanItem], dict[int, list[int]]]:
    items = list(PlanItem.objects.order_by("position", "ref"))
    links: dict[int, list[int]] = {}
    for link in PlanLink.objects.order_by("position", "indicator__position", "indicator__ref"):
        links.setdefault(link.item_id, []).append(link.indicator_id)
    return items, links


def _updates(period: Period, public: bool) -> dict[int, list[ActionUpdate]]:
    """Each action's updates up to the period's end, latest first."""
    # An update not started (made when a round opens) holds nothing yet.
    rows = (
        ActionUpdate.objects.filter(last_month__lte=period.last_month)
        .exclude(state=EntryState.NOT_STARTED.value)
        .order_by("action_id", "-last_month")
    )
    if public:
        rows = rows.filter(state=EntryState.PUBLISHED.value)
    found: dict[int, list[ActionUpdate]] = {}
    for row in rows:
        found.setdefault(row.action_id, []).append(row)
    return found


def _action_view(
    action: PlanAction,
    updates: Sequence[ActionUpdate],
    period: Period,
    as_of: date,
    due_soon_days: int,
    has_updates: bool,
) -> ActionView:
    milestones = tuple(action.milestones.all())
    own = next((u for u in updates if u.first_month == period.first_month), None)
    latest = updates[0] if updates else None
    done: dict[int, date] = {}
    note: str  # in the page's language: the Welsh where it is written (issue 17)
    if latest is not None:
        percent, completed, note, note_period = (
            latest.percent_complete,
            latest.completed_on,
            text(latest, "note"),
            latest.period,
        )
        note_cy = latest.note_cy
        for update in reversed(updates):  # the earliest first, so later ones win
            for key, when in (update.milestones_done or {}).items():
                try:
                    done[int(key)] = date.fromisoformat(str(when))
                except ValueError:
                    continue
    elif not has_updates:
        # Progress set by the BI team without periodic updates.
        percent, completed = action.percent_complete, action.completed_on
        note, note_period = text(action, "progress"), action.progress_period
        note_cy = action.progress_cy
    else:
        percent, completed, note, note_period = None, None, "", ""
        note_cy = ""
    # The milestones as of the period: those the updates shown record as done,
    # else as the register has them.
    specs = [m.to_core() for m in milestones]
    specs = [
        s if m.pk not in done else replace(s, completed_on=done[m.pk])
        for s, m in zip(specs, milestones, strict=True)
    ]
    core = replace(
        action.to_core(milestones=[]),
        milestones=tuple(specs),
        percent=percent,
        completed_on=completed,
    )
    return ActionView(
        action,
        milestones,
        action_status(core, as_of, due_soon_days),
        percent,
        completed,
        note,
        note_period,
        own,
        done,
        note_cy,
    )


def load_plan(period: Period, *, public: bool) -> PlanView:
    """The plan for ``period``, kept in memory while the data have not
    changed (as the scorecard's evaluation is)."""
    return kept(("plan", period), public, lambda: build_plan(period, public=public))


def build_plan(period: Period, *, public: bool) -> PlanView:
    evaluation = period_evaluation(period, published_only=public)
    by_id = {row.indicator.pk: row for row in evaluation.rows}
    # The evaluation's home organisation: no query of its own.
    rule, due_soon_days = Organisation.rules_of(evaluation.organisation)
    scheme = evaluation.scheme or DEFAULT_SCHEME
    as_of = period.end
    items, links = _plan_items()
    actions = list(
        PlanAction.objects.prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("due", "position")),
            "outcomes",
            "indicators",
        )
    )
    updates = _updates(period, public)
    # Actions with an update of any period (any state but not started; for the
    # public, published): their progress is their updates'.
    held = ActionUpdate.objects.exclude(state=EntryState.NOT_STARTED.value)
    if public:
        held = held.filter(state=EntryState.PUBLISHED.value)
    updated = set(held.values_list("action_id", flat=True).distinct())
    views = {
        a.ref: _action_view(a, updates.get(a.pk, []), period, as_of, due_soon_days, a.pk in updated)
        for a in actions
    }
    actions_of: dict[int, list[ActionView]] = {}
    for action in actions:
        for outcome in action.outcomes.all():
            actions_of.setdefault(outcome.pk, []).append(views[action.ref])

    children: dict[int | None, list[PlanItem]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)

    def node(item: PlanItem) -> PlanNode:
        return PlanNode(
            item.ref,
            item.title,
            tuple(by_id[i].indicator.ref for i in links.get(item.pk, []) if i in by_id),
            tuple(v.ref for v in actions_of.get(item.pk, [])),
            tuple(node(c) for c in children.get(item.pk, [])),
        )

    roots = [node(item) for item in children.get(None, [])]
    ratings = {row.indicator.ref: row.evaluation.rating for row in evaluation.rows}
    statuses = {ref: view.status for ref, view in views.items()}
    rollups = roll_up_plan(roots, ratings, statuses, rule)

    def view(item: PlanItem, depth: int) -> ItemView:
        return ItemView(
            item,
            depth,
            rollups[item.ref],
            tuple(by_id[i] for i in links.get(item.pk, []) if i in by_id),
            tuple(actions_of.get(item.pk, [])),
            tuple(view(c, depth + 1) for c in children.get(item.pk, [])),
        )

    priorities = tuple(view(item, 1) for item in children.get(None, []))
    in_plan = {i for ids in links.values() for i in ids}
    outside = tuple(row for row in evaluation.rows if row.indicator.pk not in in_plan)
    findings = _findings(evaluation.rows, views, roots, period, scheme) if roots or views else ()
    return PlanView(
        period,
        public,
        as_of,
        rule,
        due_soon_days,
        scheme,
        priorities,
        views,
        {row.indicator.ref: row for row in evaluation.rows},
        tuple(findings),
        outside,
    )


def _forecast_miss(row: IndicatorEvaluation) -> bool:
    """Forecast, on its first method (the linear trend), more likely than not
    to miss its next milestone target."""
    forecast = row.analytics.forecast
    if forecast is None or not forecast.projections:
        return False
    first = forecast.projections[0]
    return first.probability is not None and not first.likely


def _findings(
    rows: Sequence[IndicatorEvaluation],
    views: dict[str, ActionView],
    roots: Sequence[PlanNode],
    period: Period,
    scheme: Scheme,
) -> list[Finding]:
    indicators = [
        IndicatorState(
            row.indicator.ref,
            row.indicator.title,
            row.evaluation.rating,
            _forecast_miss(row),
            in_words(row.evaluation.current.period) if row.evaluation.current else "",
        )
        for row in rows
    ]
    actions = [
        ActionState(
            v.ref,
            v.action.title,
            v.status,
            tuple(i.ref for i in v.action.indicators.all()),
            v.updated,
            v.action.due,
        )
        for v in views.values()
    ]
    outcomes = [n for root in roots for depth, n in root.walk() if depth >= 2]
    return find(indicators, actions, outcomes, in_words(period), scheme.label)
