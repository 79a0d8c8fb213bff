"""The round's rules: what is due in a round, and how an entry moves."""

from __future__ import annotations

import doctest

import pytest

from perfreport.core import workflow
from perfreport.core.indicator import IndicatorSpec
from perfreport.core.periods import Frequency, Period
from perfreport.core.rating import Polarity, RatingBasis
from perfreport.core.units import Unit
from perfreport.core.workflow import Action, EntryState, TransitionError, due_period, next_state

Q = Period.quarter


def spec(frequency: Frequency, lag: int = 0) -> IndicatorSpec:
    return IndicatorSpec(
        "X", "X", Unit.PERCENT, Polarity.HIGHER, frequency, RatingBasis.TARGETED, lag=lag
    )


def test_the_module_examples_hold():
    assert doctest.testmod(workflow).failed == 0


@pytest.mark.parametrize(
    ("frequency", "lag", "round_period", "due"),
    [
        (Frequency.QUARTERLY, 0, Q(2020, 2), "2020/21 Q2"),
        (Frequency.QUARTERLY, 1, Q(2020, 2), "2020/21 Q1"),
        (Frequency.MONTHLY, 0, Q(2020, 2), "2020-09"),
        (Frequency.MONTHLY, 2, Q(2020, 2), "2020-07"),
        (Frequency.ANNUAL, 0, Q(2020, 4), "2020/21"),  # the year ends with Q4
        (Frequency.ANNUAL, 1, Q(2021, 4), "2020/21"),
    ],
)
def test_what_a_round_collects(frequency, lag, round_period, due):
    assert due_period(spec(frequency, lag), round_period).label == due


@pytest.mark.parametrize("quarter", [(2020, 1), (2020, 2), (2020, 3), (2021, 1)])
def test_an_annual_indicator_is_due_once_a_year(quarter):
    """Its year ends in Q4 and is collected then; the three rounds after
    collect nothing new (with no data lag)."""
    assert due_period(spec(Frequency.ANNUAL), Q(*quarter)) is None


def test_every_quarterly_round_collects_a_quarterly_indicator():
    periods = [due_period(spec(Frequency.QUARTERLY), Q(2020, q)) for q in (1, 2, 3, 4)]
    assert [p.label for p in periods] == [f"2020/21 Q{q}" for q in (1, 2, 3, 4)]


def test_the_whole_life_of_an_entry():
    state = EntryState.NOT_STARTED
    for action, expected in [
        (Action.SAVE, EntryState.DRAFT),
        (Action.SUBMIT, EntryState.SUBMITTED),
        (Action.RETURN, EntryState.RETURNED),
        (Action.SAVE, EntryState.DRAFT),
        (Action.SUBMIT, EntryState.SUBMITTED),
        (Action.APPROVE, EntryState.APPROVED),
        (Action.PUBLISH, EntryState.PUBLISHED),
    ]:
        state = next_state(state, action)
        assert state is expected


@pytest.mark.parametrize(
    ("state", "action", "why"),
    [
        (EntryState.SUBMITTED, Action.SAVE, "awaits approval"),
        (EntryState.APPROVED, Action.SUBMIT, "ask the approver to return it"),
        (EntryState.PUBLISHED, Action.SAVE, "restate the value instead"),
        (EntryState.DRAFT, Action.APPROVE, "only a submitted entry"),
        (EntryState.NOT_STARTED, Action.RETURN, "only a submitted entry"),
        (EntryState.SUBMITTED, Action.PUBLISH, "only an approved entry"),
        (EntryState.PUBLISHED, Action.PUBLISH, "only an approved entry"),
    ],
)
def test_a_step_the_state_does_not_allow_says_why(state, action, why):
    with pytest.raises(TransitionError, match=why):
        next_state(state, action)


def test_open_states_are_the_owners_to_work_on():
    assert {s for s in EntryState if s.is_open} == {
        EntryState.NOT_STARTED,
        EntryState.DRAFT,
        EntryState.RETURNED,
    }
