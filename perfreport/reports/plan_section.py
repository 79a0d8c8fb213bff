"""The report's plan section as data: the priorities with their roll-up, then
each outcome with its indicators and actions, built from
:func:`perfreport.data.plan.load_plan` (the one selector every output of the
plan uses) and rendered by every format.

Like the rest of the report context, every figure here is already text as the
report prints it; the renderers lay it out. A report with no plan has no plan
section (``ReportContext.plan`` is None), so no format prints an empty heading.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from perfreport.core.indicator import IndicatorSpec
from perfreport.core.plan import ActionStatus, IndicatorKind, Rollup, long_date
from perfreport.core.rating import Rating
from perfreport.core.units import format_value
from perfreport.core.withheld import Withheld, value_of
from perfreport.data.plan import ActionView, ItemView, PlanView
from perfreport.data.selectors import IndicatorEvaluation
from perfreport.registry.bilingual import Text, text
from perfreport.reports.analysis import period_words

HEADING = N_("Plan: priorities and outcomes")


@dataclass(frozen=True)
class Tag:
    """A status or rating as a tag: ``key`` picks its colours (a rating's
    value, or "none"); the symbol and label say it without colour."""

    key: str
    label: str
    symbol: str


NOT_RATED = Tag("none", N_("Not rated"), "–")  # translated where used: _tag
NO_STATUS = Tag("none", N_("No status"), "–")


@dataclass(frozen=True)
class PlanIndicatorRow:
    ref: str
    title: str
    kind: str  # "Key result", "Performance indicator", "Activity or context"
    value: str  # as printed, with its unit: "87.5%", "No value"
    period: str  # "Q2 2020/21", "" when there is no value
    target: str  # "90.0%", "Contextual", "None set"
    rating: Tag
    anchor: str  # the indicator's page in this report, "" when it is not in it
    value_number: Decimal | None = None
    target_number: Decimal | None = None


@dataclass(frozen=True)
class PlanMilestoneRow:
    title: str
    due: str  # "31 March 2021"
    state: str  # "Done on 3 May 2020", "Late: not done", "Not due yet"
    late: bool
    due_date: date | None = None
    done_on: date | None = None


@dataclass(frozen=True)
class PlanActionRow:
    ref: str
    kind: str  # "Action", "Project"
    title: str
    owner: str
    start: str
    due: str  # "31 March 2021", "" when none
    percent: str  # "40%", "None recorded"
    status: Tag
    reason: str  # the status in a sentence: "At risk: due on …"
    note: str  # the progress note shown, "" when none
    note_period: str  # its period's label
    milestones: tuple[PlanMilestoneRow, ...]
    indicators: tuple[str, ...]  # the references of the indicators it serves
    outcomes: tuple[str, ...]  # the references of the outcomes it serves
    status_value: str = ""  # ActionStatus value, for the spreadsheet
    start_date: date | None = None
    due_date: date | None = None
    percent_number: Decimal | None = None

    @property
    def line(self) -> str:
        """The action in one line, as a list or a search reads it."""
        owner = _("; owner %(owner)s") % {"owner": self.owner} if self.owner else ""
        due = _("; due %(due)s") % {"due": self.due} if self.due else ""
        return _("%(kind)s %(ref)s: %(title)s%(owner)s%(due)s; %(percent)s complete") % {
            "kind": self.kind, "ref": self.ref, "title": self.title, "owner": owner, "due": due,
            "percent": self.percent,
        }  # fmt: skip


@dataclass(frozen=True)
class PlanCount:
    label: str
    symbol: str
    count: int
    key: str


@dataclass(frozen=True)
class PlanItemSection:
    """A priority, outcome or sub-outcome with its roll-up and what it shows."""

    ref: str
    level: str  # "Priority", "Outcome", "Sub-outcome"
    depth: int
    title: str
    lead: str
    description: tuple[str, ...]
    anchor: str
    status: Tag
    sentence: str  # why the status is what it is
    indicator_counts: tuple[PlanCount, ...]  # of every indicator beneath it, each once
    action_counts: tuple[PlanCount, ...]
    indicators: tuple[PlanIndicatorRow, ...]  # its own
    actions: tuple[PlanActionRow, ...]  # its own
    children: tuple[PlanItemSection, ...]

    @property
    def heading(self) -> str:
        return f"{self.level} {self.ref}: {self.title}"

    @property
    def indicator_words(self) -> str:
        return _count_words(self.indicator_counts, _("No indicators"))

    @property
    def action_words(self) -> str:
        return _count_words(self.action_counts, _("No actions"))

    def walk(self) -> Iterator[PlanItemSection]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class PlanKeyLine:
    term: str
    symbol: str
    key: str
    meaning: str


@dataclass(frozen=True)
class PlanSection:
    as_of: str  # "30 September 2020": the date the actions' statuses are worked out on
    rule_words: str  # the roll-up rule as the Key states it
    rule_label: str  # "Worst of", "Majority", "Share Green or better"
    statuses: tuple[PlanKeyLine, ...]  # what each action status means
    priorities: tuple[PlanItemSection, ...]
    other_actions: tuple[PlanActionRow, ...]  # actions serving no plan item

    @property
    def heading(self) -> str:
        return _(HEADING)

    @property
    def intro(self) -> str:
        return _(
            "Each priority and outcome with its status, from the RAG ratings of its "
            "indicators and the status of its actions as at %(date)s, by the rule "
            "(%(rule)s) the Key states."
        ) % {"date": self.as_of, "rule": self.rule_label.lower()}

    def items(self) -> Iterator[PlanItemSection]:
        """Every priority, outcome and sub-outcome, top down."""
        for priority in self.priorities:
            yield from priority.walk()

    def outcomes(self) -> Iterator[PlanItemSection]:
        return (item for item in self.items() if item.depth >= 2)

    def actions(self) -> Iterator[PlanActionRow]:
        """Every action once, in the order the plan shows them."""
        seen: set[str] = set()
        for item in self.items():
            for action in item.actions:
                if action.ref not in seen:
                    seen.add(action.ref)
                    yield action
        yield from self.other_actions


# -- building ----------------------------------------------------------------


def plan_section(view: PlanView, in_report: Iterable[str]) -> PlanSection | None:
    """The plan as the report prints it; None when there is no plan.

    ``in_report``: the references of the indicators with a page in the
    report, which the plan's rows link to."""
    if view.is_empty:
        return None
    pages = frozenset(in_report)
    shown_actions = {a.ref for item in view.items() for a in item.actions}
    return PlanSection(
        as_of=long_date(view.as_of),
        rule_words=view.rule_words(),
        rule_label=view.rule.method.label,
        statuses=status_lines(view.due_soon_days),
        priorities=tuple(_item(item, view, pages) for item in view.priorities),
        other_actions=tuple(
            _action(a, view.as_of) for ref, a in view.actions.items() if ref not in shown_actions
        ),
    )


def status_lines(due_soon_days: int) -> tuple[PlanKeyLine, ...]:
    """What each action status means, in the order the rule tries them
    (:func:`perfreport.core.plan.action_status`)."""
    meanings = {
        ActionStatus.COMPLETE: _(
            "100%% complete, or completed on or before the end of the period."
        ).replace("%%", "%"),
        ActionStatus.OVERDUE: _(
            "Its due date was before the end of the period and it is not complete."
        ),
        ActionStatus.NOT_STARTED: _(
            "It starts after the end of the period and no progress is recorded."
        ),
        ActionStatus.AT_RISK: _(
            "Due within %(days)s days and behind schedule (less complete than the share of "
            "its time from start to due date that has gone), or a milestone of it is past its "
            "due date and not done."
        )
        % {"days": due_soon_days},
        ActionStatus.ON_TRACK: _("None of the above."),
    }
    return tuple(
        PlanKeyLine(status.label, status.symbol, _status_key(status), meaning)
        for status, meaning in meanings.items()
    )


def _status_key(status: ActionStatus) -> str:
    """The colours of a status's tag: those of the rating it counts as."""
    rating = status.rating
    return rating.value if rating is not None else "none"


def _item(item: ItemView, view: PlanView, pages: frozenset[str]) -> PlanItemSection:
    plan = item.item
    return PlanItemSection(
        ref=item.ref,
        level=item.level,
        depth=item.depth,
        title=text(plan, "title"),
        lead=plan.lead,
        description=_paragraphs(text(plan, "description")),
        anchor=anchor(item.ref),
        status=_rollup_tag(item.rollup, view),
        sentence=item.rollup.sentence(view.label),
        indicator_counts=_rating_counts(item.rollup, view),
        action_counts=tuple(
            PlanCount(s.label, s.symbol, n, _status_key(s)) for s, n in item.rollup.statuses.items()
        ),
        indicators=tuple(_indicator(row, pages) for row in item.indicators),
        actions=tuple(_action(a, view.as_of) for a in item.actions),
        children=tuple(_item(child, view, pages) for child in item.children),
    )


def anchor(ref: str) -> str:
    return "plan-" + "".join(ch if ch.isalnum() else "-" for ch in ref.lower())


def _indicator_anchor(ref: str) -> str:
    # as perfreport.reports.context.anchor names an indicator's page
    return "indicator-" + "".join(ch if ch.isalnum() else "-" for ch in ref.lower())


def _rollup_tag(rollup: Rollup, view: PlanView) -> Tag:
    if rollup.status is None:
        return _tag(NO_STATUS)
    status = rollup.status
    return Tag(status.value, view.label(status), view.scheme.symbol(status))


def _rating_counts(rollup: Rollup, view: PlanView) -> tuple[PlanCount, ...]:
    counts = [
        PlanCount(view.label(r), view.scheme.symbol(r), n, r.value)
        for r, n in rollup.ratings.items()
    ]
    if rollup.unrated:
        counts.append(PlanCount(_("Not rated"), "–", rollup.unrated, "none"))
    return tuple(counts)


def _count_words(counts: tuple[PlanCount, ...], empty: str) -> str:
    return ", ".join(f"{c.count} {c.label}" for c in counts) if counts else empty


def _with_unit(value: Decimal | None, spec: IndicatorSpec, missing: str) -> str:
    """A figure with its unit, stars too ("3 stars"): the plan's tables have
    no unit header to print stars bare under, as the indicator tables do."""
    if value is None:
        return missing
    return format_value(value, spec.unit_format, spec.decimals)


def _indicator(row: IndicatorEvaluation, pages: frozenset[str]) -> PlanIndicatorRow:
    e = row.evaluation
    spec = e.indicator
    figure = e.current
    if isinstance(figure, Withheld):
        value = figure.printed
    else:
        value = _with_unit(value_of(figure), spec, _("No value"))
    targeted = spec.rating_basis.value == "targeted"
    target_number = e.target.value if e.target and targeted else None
    target = (
        _with_unit(target_number, spec, _("None set"))
        if targeted
        else spec.scheme.label(Rating(spec.rating_basis.value))
    )
    rating = (
        Tag(e.rating.value, e.rating_label, e.rating_symbol)
        if e.rating is not None
        else _tag(NOT_RATED)
    )
    return PlanIndicatorRow(
        ref=spec.ref,
        title=text(row.indicator, "title") or spec.title,
        kind=_kind_label(row.indicator.kind),
        value=value,
        period=period_words(figure.period) if figure is not None else "",
        target=target,
        rating=rating,
        anchor=_indicator_anchor(spec.ref) if spec.ref in pages else "",
        value_number=value_of(figure),
        target_number=target_number,
    )


def _kind_label(kind: str) -> str:
    try:
        return IndicatorKind(kind).label
    except ValueError:
        return ""


def _percent(value: Decimal | None) -> str:
    if value is None:
        return _("None recorded")
    return f"{format(value.normalize(), 'f')}%"


def _action(view: ActionView, as_of: date) -> PlanActionRow:
    action = view.action
    status = view.status
    return PlanActionRow(
        ref=action.ref,
        kind=_action_kind(action.kind),
        title=text(action, "title"),
        owner=action.owner,
        start=long_date(action.start) if action.start else "",
        due=long_date(action.due) if action.due else "",
        percent=_percent(view.percent),
        status=Tag(_status_key(status), status.label, status.symbol),
        reason=view.outcome.reason,
        note=view.note,
        note_period=view.note_period,
        milestones=tuple(_milestones(view, as_of)),
        indicators=tuple(i.ref for i in action.indicators.all()),
        outcomes=tuple(o.ref for o in action.outcomes.all()),
        status_value=status.value,
        start_date=action.start,
        due_date=action.due,
        percent_number=view.percent,
    )


_KINDS = {"": N_("Action"), "action": N_("Action"), "project": N_("Project")}


def _action_kind(kind: str) -> str:
    return _(_KINDS[kind]) if kind in _KINDS else kind.capitalize()


def _tag(tag: Tag) -> Tag:
    """A module-level tag with its label in the report's language."""
    return Tag(tag.key, _(tag.label), tag.symbol)


def _milestones(view: ActionView, as_of: date) -> Iterator[PlanMilestoneRow]:
    for milestone in view.milestones:
        done = view.milestones_done.get(milestone.pk, milestone.completed_on)
        if done is not None and done <= as_of:
            state, late = _("Done on %(date)s") % {"date": long_date(done)}, False
        elif milestone.due < as_of:
            state, late = _("Late: not done"), True
        else:
            state, late = _("Not due yet"), False
        yield PlanMilestoneRow(
            milestone.title,
            long_date(milestone.due),
            state,
            late,
            milestone.due,
            done if done is not None and done <= as_of else None,
        )


# -- as plain data (the PDF template's JSON) ------------------------------------------


def plan_data(section: PlanSection) -> dict[str, Any]:
    """The plan section as JSON-able data, with the words the properties give.
    (Each object is converted once: ``dataclasses.asdict`` copied each
    outcome's rows again under its priority, a quarter of a second for a
    500-indicator plan.)"""
    data: dict[str, Any] = _plain(section)
    return data


# The properties the template reads besides the fields, by type.
_PROPERTIES: dict[type, tuple[str, ...]] = {
    PlanSection: ("heading", "intro"),
    PlanItemSection: ("heading", "indicator_words", "action_words"),
    PlanActionRow: ("line",),
}


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        data = {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
        for name in _PROPERTIES.get(type(value), ()):
            data[name] = getattr(value, name)
        return data
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _paragraphs(content: Text) -> tuple[Text, ...]:
    """``content``'s paragraphs, each still knowing its language."""
    return tuple(Text(p.strip(), content.lang) for p in content.split("\n\n") if p.strip())
