"""The council plan as rules: priorities and the outcomes under them, the
actions and projects that move them, an action's status on a date, the
roll-up of an outcome's or priority's indicators and actions into one status,
and the findings a plan's owners should see.

**An action's status** on a date (``as_of``: the end of the period reported)
is, in this order:

1. *Complete*: 100% complete, or completed on or before ``as_of``.
2. *Overdue*: its due date is before ``as_of``.
3. *Not started*: its start date is after ``as_of`` and no progress is recorded.
4. *At risk*: due within the organisation's *N* days (30 unless it sets
   another) and behind schedule -- less complete than the share of its time
   from start to due date that has gone -- or a milestone of it is past its
   due date and not done.
5. *On track*: otherwise.

>>> from datetime import date
>>> from decimal import Decimal
>>> action = ActionSpec("A1", "Open the hub", start=date(2020, 4, 1),
...                     due=date(2021, 3, 31), percent=Decimal(40))
>>> action_status(action, date(2020, 12, 31)).status
<ActionStatus.ON_TRACK: 'on_track'>
>>> action_status(action, date(2021, 3, 10)).reason
'At risk: due on 31 March 2021, within 30 days, and 40% complete where 94% of its time has gone.'

**The roll-up** of an outcome or priority counts every indicator and action
beneath it once (an indicator in two outcomes of a priority counts once for
the priority). Actions count as ratings: complete and on track as Green, at
risk as Amber, overdue as Red; not started ones are left out, as are
indicators with no colour rating (Baseline, Contextual, no data). The
organisation picks the rule that makes one status of them:

* ``worst``: the worst rating among them;
* ``majority``: the rating most of them have (a tie goes to the worse);
* ``share``: Green when at least *G*% of them are Green or better, Amber when
  at least *A*% are, else Red (75% and 50% unless it sets others).

>>> rule = RollupRule(RollupMethod.SHARE)
>>> result = rollup([Rating.GREEN, Rating.GREEN, Rating.BLUE, Rating.RED], [], rule)
>>> result.status, result.sentence()
(<Rating.GREEN: 'green'>, 'Green: 3 of its 4 rated indicators and actions (75%) are Green or better, at least 75%.')
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from perfreport.core.i18n import N_, _, ngettext
from perfreport.core.periods import month_words
from perfreport.core.rating import Rating

__all__ = [
    "ActionKind",
    "ActionSpec",
    "ActionState",
    "ActionStatus",
    "Finding",
    "FindingKind",
    "IndicatorKind",
    "IndicatorState",
    "MilestoneSpec",
    "PlanNode",
    "Rollup",
    "RollupMethod",
    "RollupRule",
    "StatusOutcome",
    "action_status",
    "find",
    "level_name",
    "roll_up_plan",
    "rollup",
]

HUNDRED = Decimal(100)
DUE_SOON_DAYS = 30
MAX_DEPTH = 3  # priority, outcome and an optional third level


class IndicatorKind(StrEnum):
    """What an indicator is for in the plan."""

    KEY_RESULT = "key_result"
    PERFORMANCE = "performance"
    CONTEXT = "context"

    @property
    def label(self) -> str:
        return _(_KIND_LABELS[self])


_KIND_LABELS = {
    IndicatorKind.KEY_RESULT: N_("Key result"),
    IndicatorKind.PERFORMANCE: N_("Performance indicator"),
    IndicatorKind.CONTEXT: N_("Activity or context"),
}


def level_name(depth: int) -> str:
    """What a plan item at ``depth`` (1 is the top) is called."""
    if depth == 1:
        return _("Priority")
    return _("Outcome") if depth == 2 else _("Sub-outcome")


class ActionKind(StrEnum):
    ACTION = "action"
    PROJECT = "project"

    @property
    def label(self) -> str:
        return _("Action") if self is ActionKind.ACTION else _("Project")


class ActionStatus(StrEnum):
    COMPLETE = "complete"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    NOT_STARTED = "not_started"

    @property
    def label(self) -> str:
        return _(_STATUS_LABELS[self])

    @property
    def symbol(self) -> str:
        """A shape for each status, so that colour is never the only cue."""
        return _STATUS_SYMBOLS[self]

    @property
    def rating(self) -> Rating | None:
        """The rating the status counts as in a roll-up (None: left out)."""
        return _STATUS_RATINGS[self]

    @property
    def is_open(self) -> bool:
        return self is not ActionStatus.COMPLETE


_STATUS_LABELS = {
    ActionStatus.COMPLETE: N_("Complete"),
    ActionStatus.ON_TRACK: N_("On track"),
    ActionStatus.AT_RISK: N_("At risk"),
    ActionStatus.OVERDUE: N_("Overdue"),
    ActionStatus.NOT_STARTED: N_("Not started"),
}
_STATUS_SYMBOLS = {
    ActionStatus.COMPLETE: "✔",
    ActionStatus.ON_TRACK: "●",
    ActionStatus.AT_RISK: "▲",
    ActionStatus.OVERDUE: "✖",
    ActionStatus.NOT_STARTED: "○",
}
_STATUS_RATINGS: dict[ActionStatus, Rating | None] = {
    ActionStatus.COMPLETE: Rating.GREEN,
    ActionStatus.ON_TRACK: Rating.GREEN,
    ActionStatus.AT_RISK: Rating.AMBER,
    ActionStatus.OVERDUE: Rating.RED,
    ActionStatus.NOT_STARTED: None,
}


def long_date(day: date) -> str:
    """``31 March 2021``: a date as the pages and reports write it ("31 Mawrth 2021")."""
    return f"{day.day} {month_words(day.month)} {day.year}"


def _percent(value: Decimal) -> str:
    """A percentage to a whole number, halves up: ``94%``."""
    return f"{value.quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


@dataclass(frozen=True, slots=True)
class MilestoneSpec:
    title: str
    due: date
    completed_on: date | None = None

    def is_late(self, as_of: date) -> bool:
        """Past its due date on ``as_of`` and not done by then."""
        done = self.completed_on is not None and self.completed_on <= as_of
        return self.due < as_of and not done


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """An action or project as its status is worked out: its dates, how
    complete it is (0 to 100; None: nothing recorded) and its milestones."""

    ref: str
    title: str
    start: date | None = None
    due: date | None = None
    percent: Decimal | None = None
    completed_on: date | None = None
    milestones: tuple[MilestoneSpec, ...] = ()

    def __post_init__(self) -> None:
        if self.percent is not None and not Decimal(0) <= self.percent <= HUNDRED:
            raise ValueError(f"{self.percent} is not a percentage from 0 to 100")
        if self.start is not None and self.due is not None and self.due < self.start:
            raise ValueError(
                f"the due date {self.due.isoformat()} is before the start {self.start.isoformat()}"
            )


@dataclass(frozen=True, slots=True)
class StatusOutcome:
    status: ActionStatus
    reason: str  # a sentence saying why, starting with the status's name
    expected: Decimal | None = None  # the percentage its time gone says it should be


def expected_percent(start: date, due: date, as_of: date) -> Decimal:
    """The share of the time from ``start`` to ``due`` gone on ``as_of``, 0 to 100."""
    if as_of <= start:
        return Decimal(0)
    if as_of >= due:
        return HUNDRED
    return Decimal((as_of - start).days) * HUNDRED / Decimal((due - start).days)


def action_status(
    action: ActionSpec, as_of: date, due_soon_days: int = DUE_SOON_DAYS
) -> StatusOutcome:
    """The action's status on ``as_of`` by the rule in the module's text."""
    percent = action.percent if action.percent is not None else Decimal(0)
    done_words = (
        _("%(percent)s complete") % {"percent": _percent(percent)}
        if action.percent is not None
        else _("no progress recorded")
    )
    done = percent >= HUNDRED or (action.completed_on is not None and action.completed_on <= as_of)
    if done:
        if action.completed_on:
            reason = _("Complete on %(date)s.") % {"date": long_date(action.completed_on)}
            return StatusOutcome(ActionStatus.COMPLETE, reason)
        return StatusOutcome(ActionStatus.COMPLETE, _("Complete."))
    if action.due is not None and action.due < as_of:
        return StatusOutcome(
            ActionStatus.OVERDUE,
            _("Overdue: due on %(date)s and %(done)s.")
            % {"date": long_date(action.due), "done": done_words},
        )
    if action.start is not None and action.start > as_of and percent == 0:
        return StatusOutcome(
            ActionStatus.NOT_STARTED,
            _("Not started: it starts on %(date)s.") % {"date": long_date(action.start)},
        )
    late = [m for m in action.milestones if m.is_late(as_of)]
    if late:
        first = min(late, key=lambda m: m.due)
        words = {"title": first.title, "date": long_date(first.due), "more": len(late) - 1}
        if len(late) > 1:
            reason = _(
                "At risk: its milestone “%(title)s” was due on %(date)s and is not done "
                "(and %(more)s more)."
            )
        else:
            reason = _("At risk: its milestone “%(title)s” was due on %(date)s and is not done.")
        return StatusOutcome(ActionStatus.AT_RISK, reason % words)
    expected = None
    if action.start is not None and action.due is not None:
        expected = expected_percent(action.start, action.due, as_of)
        soon = (action.due - as_of).days <= due_soon_days
        if soon and percent < expected:
            return StatusOutcome(
                ActionStatus.AT_RISK,
                _(
                    "At risk: due on %(date)s, within %(days)s days, and %(done)s where "
                    "%(expected)s of its time has gone."
                )
                % {
                    "date": long_date(action.due),
                    "days": due_soon_days,
                    "done": done_words,
                    "expected": _percent(expected),
                },
                expected,
            )
    if action.due is not None:
        reason = _("On track: %(done)s, due on %(date)s.") % {
            "done": done_words,
            "date": long_date(action.due),
        }
    else:
        reason = _("On track: %(done)s.") % {"done": done_words}
    return StatusOutcome(ActionStatus.ON_TRACK, reason, expected)


# -- Roll-up ---------------------------------------------------------------------------

# Worst first: the order a "worst of" takes and a tie goes to.
SEVERITY = (Rating.RED, Rating.AMBER, Rating.GREEN, Rating.BLUE)
GREEN_OR_BETTER = frozenset({Rating.GREEN, Rating.BLUE})


class RollupMethod(StrEnum):
    WORST = "worst"
    MAJORITY = "majority"
    SHARE = "share"

    @property
    def label(self) -> str:
        return _(_METHOD_LABELS[self])


_METHOD_LABELS = {
    RollupMethod.WORST: N_("Worst of"),
    RollupMethod.MAJORITY: N_("Majority"),
    RollupMethod.SHARE: N_("Share Green or better"),
}

Label = Callable[[Rating], str]


def _plain(rating: Rating) -> str:
    return rating.label


@dataclass(frozen=True, slots=True)
class RollupRule:
    """How an outcome's or priority's indicators and actions make one status."""

    method: RollupMethod = RollupMethod.WORST
    green_share: Decimal = Decimal(75)
    amber_share: Decimal = Decimal(50)

    def __post_init__(self) -> None:
        for name in ("green_share", "amber_share"):
            value = getattr(self, name)
            if not Decimal(0) <= value <= HUNDRED:
                raise ValueError(f"{name} {value} is not a percentage from 0 to 100")
        if self.amber_share > self.green_share:
            raise ValueError(
                f"amber_share {self.amber_share}% is above green_share {self.green_share}%: "
                "Amber needs the smaller share"
            )

    def words(self, label: Label = _plain) -> str:
        """The rule as the Key states it."""
        words = {
            "green": label(Rating.GREEN),
            "amber": label(Rating.AMBER),
            "red": label(Rating.RED),
            "green_share": _number(self.green_share),
            "amber_share": _number(self.amber_share),
        }
        counts = _(
            "An action complete or on track counts as %(green)s, at risk as %(amber)s and "
            "overdue as %(red)s; indicators with no rating and actions not started are left out."
        )
        if self.method is RollupMethod.WORST:
            rule = _(
                "The status of a priority or outcome is the worst rating among its indicators "
                "and actions."
            )
        elif self.method is RollupMethod.MAJORITY:
            rule = _(
                "The status of a priority or outcome is the rating most of its indicators and "
                "actions have (a tie goes to the worse)."
            )
        else:
            rule = _(
                "The status of a priority or outcome is %(green)s when at least "
                "%(green_share)s%% of its indicators and actions are %(green)s or better, "
                "%(amber)s when at least %(amber_share)s%% are, and %(red)s otherwise."
            )
        return f"{rule % words} {counts % words}"


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


@dataclass(frozen=True, slots=True)
class Rollup:
    """One outcome's or priority's status, with the counts it was made from."""

    status: Rating | None
    rule: RollupRule
    ratings: Mapping[Rating, int]  # indicators by rating, colour ratings only
    unrated: int  # indicators with no colour rating
    statuses: Mapping[ActionStatus, int]  # actions by status
    share: Decimal | None = None  # the share Green or better, where counted

    @property
    def counted(self) -> int:
        return sum(self.ratings.values()) + sum(
            n for s, n in self.statuses.items() if s.rating is not None
        )

    def _counts(self) -> Counter[Rating]:
        counts: Counter[Rating] = Counter(self.ratings)
        for status, n in self.statuses.items():
            if status.rating is not None:
                counts[status.rating] += n
        return counts

    def sentence(self, label: Label = _plain) -> str:
        """Why the status is what it is, in a sentence."""
        total = self.counted
        if self.status is None:
            return _("No status: none of its indicators or actions is rated.")
        counts = self._counts()
        words: dict[str, object] = {
            "name": label(self.status),
            "noun": ngettext(
                "%(count)s rated indicator or action",
                "%(count)s rated indicators and actions",
                total,
            )
            % {"count": total},
            "green": label(Rating.GREEN),
            "green_share": _number(self.rule.green_share),
            "amber_share": _number(self.rule.amber_share),
        }
        if self.rule.method is RollupMethod.WORST:
            return _("%(name)s: the worst of its %(noun)s.") % words
        if self.rule.method is RollupMethod.MAJORITY:
            words["tally"] = ", ".join(f"{counts[r]} {label(r)}" for r in SEVERITY if counts[r])
            return _("%(name)s: the rating most of its %(noun)s have (%(tally)s).") % words
        good = sum(counts[r] for r in GREEN_OR_BETTER)
        words["good"] = good
        words["share"] = _percent(self.share) if self.share is not None else "0%"
        if self.status is Rating.GREEN:
            words["bound"] = _("at least %(green_share)s%%") % words
        elif self.status is Rating.AMBER:
            words["bound"] = _("at least %(amber_share)s%% but under %(green_share)s%%") % words
        else:
            words["bound"] = _("under %(amber_share)s%%") % words
        if good == 1:
            return (
                _(
                    "%(name)s: %(good)s of its %(noun)s (%(share)s) is %(green)s or better, %(bound)s."
                )
                % words
            )
        return (
            _("%(name)s: %(good)s of its %(noun)s (%(share)s) are %(green)s or better, %(bound)s.")
            % words
        )


def rollup(
    ratings: Iterable[Rating | None], statuses: Iterable[ActionStatus], rule: RollupRule
) -> Rollup:
    """One status of indicators' ratings and actions' statuses by ``rule``."""
    rated: Counter[Rating] = Counter()
    unrated = 0
    for rating in ratings:
        if rating is not None and rating.is_colour:
            rated[rating] += 1
        else:
            unrated += 1
    by_status: Counter[ActionStatus] = Counter(statuses)
    counts: Counter[Rating] = Counter(rated)
    for kind, n in by_status.items():
        if kind.rating is not None:
            counts[kind.rating] += n
    total = sum(counts.values())
    ordered_ratings = {r: rated[r] for r in SEVERITY if rated[r]}
    ordered_statuses = {s: by_status[s] for s in ActionStatus if by_status[s]}
    if total == 0:
        return Rollup(None, rule, ordered_ratings, unrated, ordered_statuses)
    share = None
    status: Rating
    if rule.method is RollupMethod.WORST:
        status = next(r for r in SEVERITY if counts[r])
    elif rule.method is RollupMethod.MAJORITY:
        most = max(counts.values())
        status = next(r for r in SEVERITY if counts[r] == most)
    else:
        good = sum(counts[r] for r in GREEN_OR_BETTER)
        share = Decimal(good) * HUNDRED / Decimal(total)
        # Compared exactly: good / total >= g / 100 as good * 100 >= g * total.
        if Decimal(good) * HUNDRED >= rule.green_share * total:
            status = Rating.GREEN
        elif Decimal(good) * HUNDRED >= rule.amber_share * total:
            status = Rating.AMBER
        else:
            status = Rating.RED
    return Rollup(status, rule, ordered_ratings, unrated, ordered_statuses, share)


@dataclass(frozen=True, slots=True)
class PlanNode:
    """A priority, outcome or sub-outcome: its own indicators and actions
    (by reference) and the items under it."""

    ref: str
    title: str
    indicators: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    children: tuple[PlanNode, ...] = ()

    def all_indicators(self) -> list[str]:
        """Its indicators and those of every item under it, each once, in order."""
        seen: dict[str, None] = dict.fromkeys(self.indicators)
        for child in self.children:
            seen.update(dict.fromkeys(child.all_indicators()))
        return list(seen)

    def all_actions(self) -> list[str]:
        seen: dict[str, None] = dict.fromkeys(self.actions)
        for child in self.children:
            seen.update(dict.fromkeys(child.all_actions()))
        return list(seen)

    def walk(self, depth: int = 1) -> Iterable[tuple[int, PlanNode]]:
        """Itself and every item under it, with its depth, top down."""
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)


def roll_up_plan(
    roots: Sequence[PlanNode],
    ratings: Mapping[str, Rating | None],
    statuses: Mapping[str, ActionStatus],
    rule: RollupRule,
) -> dict[str, Rollup]:
    """Every plan item's roll-up, by its reference. ``ratings`` are the
    indicators' ratings and ``statuses`` the actions' by reference; an
    indicator or action missing from them counts as unrated."""
    result: dict[str, Rollup] = {}
    for root in roots:
        for _depth, node in root.walk():
            result[node.ref] = rollup(
                [ratings.get(ref) for ref in node.all_indicators()],
                [statuses[ref] for ref in node.all_actions() if ref in statuses],
                rule,
            )
    return result


# -- Findings ---------------------------------------------------------------------------


class FindingKind(StrEnum):
    RED_WITHOUT_ACTION = "red_without_action"
    FORECAST_MISS_WITHOUT_ACTION = "forecast_miss_without_action"
    OVERDUE_ACTION = "overdue_action"
    ACTION_NOT_UPDATED = "action_not_updated"
    OUTCOME_WITHOUT_INDICATOR = "outcome_without_indicator"

    @property
    def label(self) -> str:
        return _(_FINDING_LABELS[self])


_FINDING_LABELS = {
    FindingKind.RED_WITHOUT_ACTION: N_("Red with no open action"),
    FindingKind.FORECAST_MISS_WITHOUT_ACTION: N_("Forecast to miss with no open action"),
    FindingKind.OVERDUE_ACTION: N_("Overdue action"),
    FindingKind.ACTION_NOT_UPDATED: N_("Action not updated this period"),
    FindingKind.OUTCOME_WITHOUT_INDICATOR: N_("Outcome with no indicator"),
}


@dataclass(frozen=True, slots=True)
class IndicatorState:
    """An indicator as the findings see it in a period."""

    ref: str
    title: str
    rating: Rating | None = None
    forecast_miss: bool = False  # forecast to miss its target in time
    period: str = ""  # the period of the value rated, in words, where not the one reported


@dataclass(frozen=True, slots=True)
class ActionState:
    """An action as the findings see it in a period."""

    ref: str
    title: str
    status: ActionStatus
    indicators: tuple[str, ...] = ()  # the indicators it serves directly
    updated: bool = True  # has a progress update for the period
    due: date | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    kind: FindingKind
    ref: str  # the indicator's, action's or plan item's reference
    title: str
    sentence: str

    @property
    def label(self) -> str:
        return self.kind.label


def find(
    indicators: Iterable[IndicatorState],
    actions: Iterable[ActionState],
    outcomes: Iterable[PlanNode],
    period: str,
    label: Label = _plain,
) -> list[Finding]:
    """What a plan's owners should look at in ``period`` (its name, as
    printed): a Red indicator, or one forecast to miss its target, with no
    open action linked to it; an overdue action; an open action with no
    update for the period; an outcome with no indicator under it. Indicators
    first, then actions, then outcomes, each in the order given."""
    action_list = list(actions)
    open_for: dict[str, list[str]] = {}
    for action in action_list:
        if action.status.is_open:
            for ref in action.indicators:
                open_for.setdefault(ref, []).append(action.ref)
    found: list[Finding] = []
    for ind in indicators:
        if open_for.get(ind.ref):
            continue
        if ind.rating is Rating.RED:
            found.append(
                Finding(
                    FindingKind.RED_WITHOUT_ACTION,
                    ind.ref,
                    ind.title,
                    _("%(ref)s is %(rating)s in %(period)s and no open action is linked to it.")
                    % {"ref": ind.ref, "rating": label(Rating.RED), "period": ind.period or period},
                )
            )
        elif ind.forecast_miss:
            found.append(
                Finding(
                    FindingKind.FORECAST_MISS_WITHOUT_ACTION,
                    ind.ref,
                    ind.title,
                    _("%(ref)s is forecast to miss its target and no open action is linked to it.")
                    % {"ref": ind.ref},
                )
            )
    for action in action_list:
        if action.status is ActionStatus.OVERDUE:
            found.append(
                Finding(
                    FindingKind.OVERDUE_ACTION,
                    action.ref,
                    action.title,
                    (
                        _("%(ref)s was due on %(date)s and is not complete.")
                        % {"ref": action.ref, "date": long_date(action.due)}
                        if action.due
                        else _("%(ref)s was due and is not complete.") % {"ref": action.ref}
                    ),
                )
            )
    for action in action_list:
        started = action.status is not ActionStatus.NOT_STARTED
        if action.status.is_open and started and not action.updated:
            found.append(
                Finding(
                    FindingKind.ACTION_NOT_UPDATED,
                    action.ref,
                    action.title,
                    _("%(ref)s has no progress update for %(period)s.")
                    % {"ref": action.ref, "period": period},
                )
            )
    for outcome in outcomes:
        if not outcome.all_indicators():
            found.append(
                Finding(
                    FindingKind.OUTCOME_WITHOUT_INDICATOR,
                    outcome.ref,
                    outcome.title,
                    _("%(ref)s has no indicator to show whether it is being achieved.")
                    % {"ref": outcome.ref},
                )
            )
    return found
