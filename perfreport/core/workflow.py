"""The quarterly round as rules: which indicators are due in a round, and
how an entry moves from not started to published.

An entry's life::

    not started ─save─▶ draft ─submit─▶ submitted ─approve─▶ approved ─publish─▶ published
         │                ▲  ▲              │
         └────submit──────┼──┘              └─return (with a reason)─▶ returned
                          └─────────────save / submit─────────────────────┘

A round is published whole; after that an entry's value can only be
*restated*, with a reason, beside the published figure.

>>> from perfreport.core.indicator import IndicatorSpec
>>> from perfreport.core.periods import Frequency, Period
>>> from perfreport.core.rating import Polarity, RatingBasis
>>> from perfreport.core.units import Unit
>>> q3 = Period.quarter(2020, 3)
>>> annual = IndicatorSpec("A1", "Annual", Unit.PERCENT, Polarity.HIGHER,
...                        Frequency.ANNUAL, RatingBasis.TARGETED)
>>> due_period(annual, q3) is None   # its year 2020/21 is not over
True
>>> due_period(annual, Period.quarter(2020, 4)).label   # collected when it ends
'2020/21'
"""

from __future__ import annotations

from enum import StrEnum

from perfreport.core.errors import Refused
from perfreport.core.evaluation import expected_period
from perfreport.core.i18n import pgettext
from perfreport.core.indicator import IndicatorSpec
from perfreport.core.periods import Period

__all__ = [
    "Action",
    "EntryState",
    "TransitionError",
    "due_period",
    "next_state",
]


class EntryState(StrEnum):
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        """The state in words, in the page's language: "Not started"."""
        return {
            EntryState.NOT_STARTED: pgettext("entry state", "Not started"),
            EntryState.DRAFT: pgettext("entry state", "Draft"),
            EntryState.SUBMITTED: pgettext("entry state", "Submitted"),
            EntryState.APPROVED: pgettext("entry state", "Approved"),
            EntryState.RETURNED: pgettext("entry state", "Returned"),
            EntryState.PUBLISHED: pgettext("entry state", "Published"),
        }[self]

    @property
    def is_open(self) -> bool:
        """Still the owner's to work on."""
        return self in (EntryState.NOT_STARTED, EntryState.DRAFT, EntryState.RETURNED)


class Action(StrEnum):
    SAVE = "save"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    PUBLISH = "publish"


_S = EntryState
TRANSITIONS: dict[tuple[EntryState, Action], EntryState] = {
    (_S.NOT_STARTED, Action.SAVE): _S.DRAFT,
    (_S.NOT_STARTED, Action.SUBMIT): _S.SUBMITTED,
    (_S.DRAFT, Action.SAVE): _S.DRAFT,
    (_S.DRAFT, Action.SUBMIT): _S.SUBMITTED,
    (_S.RETURNED, Action.SAVE): _S.DRAFT,
    (_S.RETURNED, Action.SUBMIT): _S.SUBMITTED,
    (_S.SUBMITTED, Action.APPROVE): _S.APPROVED,
    (_S.SUBMITTED, Action.RETURN): _S.RETURNED,
    # An approver may send back an approved entry before the round is published.
    (_S.APPROVED, Action.RETURN): _S.RETURNED,
    (_S.APPROVED, Action.PUBLISH): _S.PUBLISHED,
}

_WHY = {
    _S.SUBMITTED: "it has been submitted and awaits approval: ask the approver to return it",
    _S.APPROVED: "it has been approved: ask the approver to return it",
    _S.PUBLISHED: "its round has been published: restate the value instead, with a reason",
}


class TransitionError(Refused):
    """An action that the entry's state does not allow; the message says why."""


def next_state(state: EntryState, action: Action) -> EntryState:
    """The state ``action`` moves an entry in ``state`` to, or TransitionError."""
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        pass
    if action in (Action.SAVE, Action.SUBMIT) and state in _WHY:
        why = _WHY[state]
    elif action in (Action.APPROVE, Action.RETURN):
        why = "only a submitted entry can be approved or returned"
    elif action is Action.PUBLISH:
        why = "only an approved entry can be published"
    else:
        why = "that is not a step of the round"
    raise TransitionError(f"cannot {action.value} an entry that is {state.label.lower()}: {why}")


def due_period(spec: IndicatorSpec, round_period: Period) -> Period | None:
    """The period of ``spec`` whose value a round for ``round_period`` collects,
    or None when nothing new is due: the latest period whose data should be in
    by then (its frequency less its data lag), unless the round before already
    collected it, as it does an annual indicator's year in three rounds of four."""
    due = expected_period(spec, round_period)
    if expected_period(spec, round_period.previous()) == due:
        return None
    return due
