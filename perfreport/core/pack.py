"""The exception pack's selection: which indicators and actions a short
report shows, in which section, and why, in a sentence.

A short pack in the shape councils use to replace a long report ("summary,
what's good, red measures with comments, the plan"): everything not selected
goes to an appendix table.

**What went well** holds an indicator that is

* rated Blue (better than its target by more than the Key's margin), or
* a special cause of improvement on its SPC chart (Making Data Count).

**What needs attention** holds an indicator that is

* rated Red,
* a special cause of concern on its SPC chart,
* failing its SPC assurance (the process will consistently fall short of its target),
* forecast to miss its next milestone target (less than an even chance), or
* served by an action that is overdue;

and every overdue action that serves no indicator, as an item of its own.
An indicator with a reason for attention is in that section only; its
sentence gives every reason, those for attention first.

**Order**: worst first. In *needs attention*, Red indicators, then by the
number of reasons (more first), then by the worst reason (in the order
listed above: Red, overdue action, failing assurance, concern, forecast
miss), then as given; the overdue actions on their own come last. In *went
well*, Blue and improving first, then Blue, then improving, then as given.

>>> from perfreport.core.rating import Rating
>>> facts = IndicatorFacts("180", "Broadband", rating=Rating.RED, rating_label="Red",
...                        period="Q2 2020/21", value="85.0%", target="90.0%")
>>> pack = select_pack([facts])
>>> pack.attention[0].sentence
'Rated Red in Q2 2020/21: 85.0% against a target of 90.0%.'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from perfreport.core.plan import ActionStatus, long_date
from perfreport.core.rating import Rating

__all__ = [
    "ActionFacts",
    "ForecastFacts",
    "IndicatorFacts",
    "Pack",
    "PackItem",
    "Reason",
    "Section",
    "select_pack",
]


class Section(StrEnum):
    ATTENTION = "attention"
    WENT_WELL = "went_well"

    @property
    def heading(self) -> str:
        return "What needs attention" if self is Section.ATTENTION else "What went well"


class Reason(StrEnum):
    """Why an item is in the pack; attention reasons in order of severity, then good ones."""

    RED = "red"
    OVERDUE_ACTION = "overdue_action"
    FAILING_ASSURANCE = "failing_assurance"
    CONCERN = "concern"
    FORECAST_MISS = "forecast_miss"
    BLUE = "blue"
    IMPROVING = "improving"

    @property
    def section(self) -> Section:
        return Section.WENT_WELL if self in _GOOD else Section.ATTENTION

    @property
    def label(self) -> str:
        return _REASON_LABELS[self]


_GOOD = frozenset({Reason.BLUE, Reason.IMPROVING})
_SEVERITY = {reason: rank for rank, reason in enumerate(Reason)}
_REASON_LABELS = {
    Reason.RED: "Red",
    Reason.OVERDUE_ACTION: "Overdue action",
    Reason.FAILING_ASSURANCE: "Failing assurance",
    Reason.CONCERN: "Special cause of concern",
    Reason.FORECAST_MISS: "Forecast to miss",
    Reason.BLUE: "Blue",
    Reason.IMPROVING: "Special cause of improvement",
}


@dataclass(frozen=True, slots=True)
class ActionFacts:
    """An action or project linked to an indicator, as the pack shows it."""

    ref: str
    title: str
    status: ActionStatus
    due: date | None = None
    percent: Decimal | None = None  # complete, 0 to 100; None: no progress recorded

    @property
    def overdue(self) -> bool:
        return self.status is ActionStatus.OVERDUE

    def overdue_clause(self) -> str:
        """``action A1 “Open the hub” was due on 31 March 2021 and is 40% complete``."""
        due = f" on {long_date(self.due)}" if self.due else ""
        percent = self.percent if self.percent is not None else Decimal(0)
        whole = percent.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return f"action {self.ref} “{self.title}” was due{due} and is {whole}% complete"


@dataclass(frozen=True, slots=True)
class ForecastFacts:
    """The forecast to the next milestone target, as printed: ``target`` with
    its unit, ``by`` the milestone's period in words, ``chance`` of meeting it
    (0 to 1)."""

    target: str
    by: str
    chance: Decimal


@dataclass(frozen=True, slots=True)
class IndicatorFacts:
    """One indicator in the period, as the pack selects it. Every figure is
    text as printed, with its unit; ``period`` is the latest value's period
    in words. ``commentary`` is what was written (empty: none);
    ``drafted`` the commentary perfreport drafted from the figures."""

    ref: str
    title: str
    rating: Rating | None = None
    rating_label: str = ""  # as the indicator's Key names it
    period: str = ""
    value: str = ""
    target: str = ""
    improving: bool = False  # latest value a special cause of improvement
    concern: bool = False  # latest value a special cause of concern
    failing_assurance: bool = False
    forecast: ForecastFacts | None = None  # set only when forecast to miss
    commentary: str = ""
    drafted: str = ""
    actions: tuple[ActionFacts, ...] = ()


@dataclass(frozen=True, slots=True)
class PackItem:
    """An indicator (``actions`` its linked ones) or, with ``indicator`` None,
    an overdue action serving no indicator, with why it is in the pack."""

    ref: str
    title: str
    section: Section
    reasons: tuple[Reason, ...]
    sentence: str
    commentary: str  # as written, else the drafted commentary
    commentary_drafted: bool  # True: no commentary was written; this one is drafted
    actions: tuple[ActionFacts, ...]
    indicator: IndicatorFacts | None


@dataclass(frozen=True, slots=True)
class Pack:
    attention: tuple[PackItem, ...]
    went_well: tuple[PackItem, ...]
    appendix: tuple[str, ...]  # the other indicators' references, as given

    @property
    def selected(self) -> frozenset[str]:
        return frozenset(i.ref for i in (*self.attention, *self.went_well) if i.indicator)


def reasons_for(facts: IndicatorFacts) -> tuple[Reason, ...]:
    """Every reason ``facts`` is in the pack, attention first, worst first."""
    found = {
        Reason.RED: facts.rating is Rating.RED,
        Reason.OVERDUE_ACTION: any(a.overdue for a in facts.actions),
        Reason.FAILING_ASSURANCE: facts.failing_assurance,
        Reason.CONCERN: facts.concern,
        Reason.FORECAST_MISS: facts.forecast is not None,
        Reason.BLUE: facts.rating is Rating.BLUE,
        Reason.IMPROVING: facts.improving,
    }
    return tuple(reason for reason in Reason if found[reason])


def select_pack(
    indicators: Iterable[IndicatorFacts], other_actions: Iterable[ActionFacts] = ()
) -> Pack:
    """The pack's sections by the rules in the module's text. ``other_actions``
    are the actions serving no indicator given: the overdue ones are items."""
    attention: list[tuple[tuple[int, ...], PackItem]] = []
    went_well: list[tuple[tuple[int, ...], PackItem]] = []
    appendix: list[str] = []
    for position, facts in enumerate(indicators):
        reasons = reasons_for(facts)
        if not reasons:
            appendix.append(facts.ref)
            continue
        item = _indicator_item(facts, reasons)
        target = attention if item.section is Section.ATTENTION else went_well
        target.append((_order(item, position), item))
    for position, action in enumerate(a for a in other_actions if a.overdue):
        attention.append(((2, position), _action_item(action)))
    return Pack(
        tuple(item for _, item in sorted(attention, key=lambda pair: pair[0])),
        tuple(item for _, item in sorted(went_well, key=lambda pair: pair[0])),
        tuple(appendix),
    )


def _order(item: PackItem, position: int) -> tuple[int, ...]:
    reasons = item.reasons
    if item.section is Section.WENT_WELL:
        both = Reason.BLUE in reasons and Reason.IMPROVING in reasons
        return (0, 0 if both else 1 if Reason.BLUE in reasons else 2, position)
    bad = [r for r in reasons if r.section is Section.ATTENTION]
    return (
        0 if Reason.RED in reasons else 1,
        -len(bad),
        min(_SEVERITY[r] for r in bad),
        position,
    )


def _indicator_item(facts: IndicatorFacts, reasons: Sequence[Reason]) -> PackItem:
    section = (
        Section.ATTENTION
        if any(r.section is Section.ATTENTION for r in reasons)
        else Section.WENT_WELL
    )
    written = facts.commentary.strip()
    return PackItem(
        ref=facts.ref,
        title=facts.title,
        section=section,
        reasons=tuple(reasons),
        sentence=_sentence([_clause(facts, r) for r in reasons]),
        commentary=written or facts.drafted.strip(),
        commentary_drafted=not written and bool(facts.drafted.strip()),
        actions=facts.actions,
        indicator=facts,
    )


def _action_item(action: ActionFacts) -> PackItem:
    return PackItem(
        ref=action.ref,
        title=action.title,
        section=Section.ATTENTION,
        reasons=(Reason.OVERDUE_ACTION,),
        sentence=_sentence([action.overdue_clause().replace("action ", "Action ", 1)]),
        commentary="",
        commentary_drafted=False,
        actions=(action,),
        indicator=None,
    )


def _clause(facts: IndicatorFacts, reason: Reason) -> str:
    if reason in (Reason.RED, Reason.BLUE):
        label = facts.rating_label or (facts.rating.label if facts.rating else "")
        when = f" in {facts.period}" if facts.period else ""
        against = (
            f": {facts.value} against a target of {facts.target}"
            if facts.value and facts.target
            else ""
        )
        return f"rated {label}{when}{against}"
    if reason is Reason.OVERDUE_ACTION:
        return "; ".join(a.overdue_clause() for a in facts.actions if a.overdue)
    if reason is Reason.FAILING_ASSURANCE:
        return "on its SPC chart the process will consistently fall short of its target"
    if reason is Reason.CONCERN:
        return "its latest value is a special cause of concern on its SPC chart"
    if reason is Reason.IMPROVING:
        return "its latest value is a special cause of improvement on its SPC chart"
    forecast = facts.forecast
    assert forecast is not None
    chance = (forecast.chance * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return (
        f"it is forecast to miss its target of {forecast.target} by {forecast.by} "
        f"(a {chance}% chance of meeting it)"
    )


def _sentence(clauses: Sequence[str]) -> str:
    """Clauses as one sentence: ``A; b; and c.``"""
    head, last = clauses[:-1], clauses[-1]
    text = "; ".join(head) + "; and " + last if head else last
    return text[:1].upper() + text[1:] + "."
