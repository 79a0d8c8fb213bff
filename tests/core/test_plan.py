"""The council plan's rules: an action's status by date, the roll-up at its
boundaries, the findings."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from perfreport.core.plan import (
    ActionSpec,
    ActionState,
    ActionStatus,
    FindingKind,
    IndicatorState,
    MilestoneSpec,
    PlanNode,
    RollupMethod,
    RollupRule,
    action_status,
    expected_percent,
    find,
    roll_up_plan,
    rollup,
)
from perfreport.core.rating import Rating

R, A, G, B = Rating.RED, Rating.AMBER, Rating.GREEN, Rating.BLUE
START, DUE = date(2021, 1, 1), date(2021, 12, 31)  # 364 days


def status(as_of: date, percent: str | None = "50", **fields: object) -> ActionStatus:
    spec = ActionSpec(
        "A1",
        "Open the hub",
        start=fields.pop("start", START),  # type: ignore[arg-type]
        due=fields.pop("due", DUE),  # type: ignore[arg-type]
        percent=None if percent is None else Decimal(percent),
        **fields,  # type: ignore[arg-type]
    )
    return action_status(spec, as_of).status


# -- Action status by date ----------------------------------------------------------------


def test_due_today_is_not_overdue_and_the_day_after_is() -> None:
    assert status(DUE, "99") is ActionStatus.AT_RISK  # due within 30 days, behind: 100% gone
    assert status(DUE + timedelta(days=1), "99") is ActionStatus.OVERDUE


def test_complete_at_100_percent_whatever_the_date() -> None:
    assert status(DUE + timedelta(days=400), "100") is ActionStatus.COMPLETE
    assert status(START, "100") is ActionStatus.COMPLETE


def test_completed_on_counts_from_its_date_only() -> None:
    done = date(2021, 6, 30)
    assert status(done, "60", completed_on=done) is ActionStatus.COMPLETE
    # A report of a period that ended before it was completed does not see it complete.
    assert status(done - timedelta(days=1), "60", completed_on=done) is ActionStatus.ON_TRACK


def test_at_risk_starts_exactly_n_days_before_due() -> None:
    # Behind schedule (10% where most of its time has gone) all year.
    thirty_before = DUE - timedelta(days=30)
    assert status(thirty_before, "10") is ActionStatus.AT_RISK
    assert status(thirty_before - timedelta(days=1), "10") is ActionStatus.ON_TRACK
    spec = ActionSpec("A1", "x", START, DUE, Decimal(10))
    assert action_status(spec, DUE - timedelta(days=60), due_soon_days=60).status is (
        ActionStatus.AT_RISK
    )
    assert action_status(spec, DUE - timedelta(days=61), due_soon_days=60).status is (
        ActionStatus.ON_TRACK
    )


def test_at_risk_needs_behind_schedule_exactly() -> None:
    as_of = DUE - timedelta(days=7)  # 357 of 364 days gone
    expected = expected_percent(START, DUE, as_of)
    assert expected == Decimal(357) * 100 / Decimal(364)
    on_schedule = str(expected)  # exactly as complete as its time gone: not behind
    assert status(as_of, on_schedule) is ActionStatus.ON_TRACK
    assert status(as_of, "98") is ActionStatus.AT_RISK  # 98 < 98.076...


def test_not_started_before_its_start_with_no_progress() -> None:
    assert status(START - timedelta(days=1), "0") is ActionStatus.NOT_STARTED
    assert status(START - timedelta(days=1), None) is ActionStatus.NOT_STARTED
    assert status(START - timedelta(days=1), "5") is ActionStatus.ON_TRACK  # started early
    assert status(START, "0") is ActionStatus.ON_TRACK


def test_a_late_milestone_puts_it_at_risk_from_the_day_after_its_due_date() -> None:
    milestone = MilestoneSpec("Lease signed", date(2021, 3, 31))
    fields = {"milestones": (milestone,)}
    assert status(date(2021, 3, 31), "50", **fields) is ActionStatus.ON_TRACK
    assert status(date(2021, 4, 1), "50", **fields) is ActionStatus.AT_RISK
    done = MilestoneSpec("Lease signed", date(2021, 3, 31), completed_on=date(2021, 4, 2))
    assert status(date(2021, 4, 1), "50", milestones=(done,)) is ActionStatus.AT_RISK
    assert status(date(2021, 4, 2), "50", milestones=(done,)) is ActionStatus.ON_TRACK


def test_no_dates_is_on_track_unless_a_milestone_is_late() -> None:
    spec = ActionSpec("A1", "x", percent=Decimal(0))
    assert action_status(spec, date(2030, 1, 1)).status is ActionStatus.ON_TRACK


def test_the_reasons_say_why_in_words() -> None:
    overdue = action_status(ActionSpec("A1", "x", START, DUE, Decimal(80)), date(2022, 1, 1))
    assert overdue.reason == "Overdue: due on 31 December 2021 and 80% complete."
    late = ActionSpec(
        "A1",
        "x",
        START,
        DUE,
        Decimal(50),
        milestones=(
            MilestoneSpec("Designs agreed", date(2021, 2, 1)),
            MilestoneSpec("Lease signed", date(2021, 3, 1)),
        ),
    )
    assert action_status(late, date(2021, 4, 1)).reason == (
        "At risk: its milestone “Designs agreed” was due on 1 February 2021 and is not done "
        "(and 1 more)."
    )


def test_an_impossible_action_is_refused() -> None:
    with pytest.raises(ValueError, match="not a percentage"):
        ActionSpec("A1", "x", percent=Decimal("100.1"))
    with pytest.raises(ValueError, match="before the start"):
        ActionSpec("A1", "x", start=DUE, due=START)


# -- Roll-up ------------------------------------------------------------------------------


def test_worst_of() -> None:
    rule = RollupRule(RollupMethod.WORST)
    assert rollup([B, G, G], [], rule).status is G
    assert rollup([B, B], [], rule).status is B
    assert rollup([B, G], [ActionStatus.AT_RISK], rule).status is A
    assert rollup([G], [ActionStatus.OVERDUE], rule).status is R


def test_majority_and_its_ties_go_to_the_worse() -> None:
    rule = RollupRule(RollupMethod.MAJORITY)
    assert rollup([G, G, R], [], rule).status is G
    assert rollup([G, R], [], rule).status is R
    assert rollup([G, G, A, A, B], [], rule).status is A
    assert rollup([B, B, G], [], rule).status is B
    # Actions count: on track is Green, at risk Amber.
    assert rollup([A], [ActionStatus.ON_TRACK, ActionStatus.COMPLETE], rule).status is G


@pytest.mark.parametrize(
    ("good", "total", "expected"),
    [
        (3, 4, G),  # 75% exactly: Green
        (74, 100, A),  # just under 75%
        (2, 4, A),  # 50% exactly: Amber
        (49, 100, R),  # just under 50%
        (0, 3, R),
        (1, 1, G),
    ],
)
def test_share_at_its_boundaries(good: int, total: int, expected: Rating) -> None:
    ratings = [G] * good + [R] * (total - good)
    assert rollup(ratings, [], RollupRule(RollupMethod.SHARE)).status is expected


def test_share_compares_exactly_not_in_floating_point() -> None:
    # 2 of 3 is 66.666...%: below 66.67 and at least 66.66.
    ratings = [G, G, R]
    assert rollup(ratings, [], RollupRule(RollupMethod.SHARE, Decimal("66.67"))).status is A
    assert rollup(ratings, [], RollupRule(RollupMethod.SHARE, Decimal("66.66"))).status is G
    # 1 of 3 against bounds a float cannot tell apart from 100/3.
    just_above = RollupRule(RollupMethod.SHARE, Decimal(90), Decimal("33.33333333333333333334"))
    just_below = RollupRule(RollupMethod.SHARE, Decimal(90), Decimal("33.33333333333333333333"))
    assert float(just_above.amber_share) == float(just_below.amber_share)
    assert rollup([G, R, R], [], just_above).status is R
    assert rollup([G, R, R], [], just_below).status is A


def test_unrated_indicators_and_not_started_actions_are_left_out() -> None:
    result = rollup(
        [G, Rating.BASELINE, Rating.CONTEXTUAL, None], [ActionStatus.NOT_STARTED], RollupRule()
    )
    assert result.status is G
    assert result.counted == 1 and result.unrated == 3
    assert result.statuses == {ActionStatus.NOT_STARTED: 1}
    nothing = rollup([None], [ActionStatus.NOT_STARTED], RollupRule())
    assert nothing.status is None
    assert nothing.sentence() == "No status: none of its indicators or actions is rated."


def test_the_sentences_name_the_rule_and_the_scheme_s_labels() -> None:
    def label(rating: Rating) -> str:
        return {G: "On track", A: "Slipping", R: "Off track", B: "Exceeding"}[rating]

    share = rollup([G, G, A, R], [], RollupRule(RollupMethod.SHARE))
    assert share.sentence(label) == (
        "Slipping: 2 of its 4 rated indicators and actions (50%) are On track or better, "
        "at least 50% but under 75%."
    )
    majority = rollup([G, A, A], [ActionStatus.AT_RISK], RollupRule(RollupMethod.MAJORITY))
    assert majority.sentence() == (
        "Amber: the rating most of its 4 rated indicators and actions have (3 Amber, 1 Green)."
    )
    one = rollup([R], [], RollupRule())
    assert one.sentence() == "Red: the worst of its 1 rated indicator or action."


def test_the_rule_in_words_for_the_key() -> None:
    words = RollupRule(RollupMethod.SHARE, Decimal("80"), Decimal("60")).words()
    assert "Green when at least 80% of its indicators and actions are Green or better" in words
    assert "Amber when at least 60% are" in words
    assert "overdue as Red" in words


def test_an_impossible_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="Amber needs the smaller share"):
        RollupRule(RollupMethod.SHARE, Decimal(50), Decimal(60))
    with pytest.raises(ValueError, match="not a percentage"):
        RollupRule(RollupMethod.SHARE, Decimal(101))


def test_a_priority_counts_an_indicator_in_two_of_its_outcomes_once() -> None:
    outcomes = (
        PlanNode("1.1", "Jobs", ("I1", "I2"), ("A1",)),
        PlanNode("1.2", "Skills", ("I2", "I3"), ("A1", "A2")),
    )
    priority = PlanNode("1", "Prosper", children=outcomes)
    ratings = {"I1": G, "I2": R, "I3": G}
    statuses = {"A1": ActionStatus.ON_TRACK, "A2": ActionStatus.COMPLETE}
    result = roll_up_plan([priority], ratings, statuses, RollupRule(RollupMethod.MAJORITY))
    assert result["1"].ratings == {R: 1, G: 2}
    assert result["1"].statuses == {ActionStatus.ON_TRACK: 1, ActionStatus.COMPLETE: 1}
    assert result["1"].status is G  # 4 Green (2 indicators, 2 actions) against 1 Red
    assert result["1.1"].status is G  # a Green and a Red indicator, and an action on track
    assert result["1.1"].ratings == {R: 1, G: 1}
    assert result["1.2"].status is G  # Red against Green, on track and complete


# -- Findings -----------------------------------------------------------------------------


def kinds(found: list) -> list[tuple[FindingKind, str]]:  # type: ignore[type-arg]
    return [(f.kind, f.ref) for f in found]


def test_a_red_indicator_needs_an_open_action_linked_to_it() -> None:
    red = IndicatorState("I1", "Jobs", R)
    open_action = ActionState("A1", "x", ActionStatus.ON_TRACK, ("I1",))
    done_action = ActionState("A2", "x", ActionStatus.COMPLETE, ("I1",))
    elsewhere = ActionState("A3", "x", ActionStatus.ON_TRACK, ("I9",))
    assert kinds(find([red], [open_action], [], "Quarter 2 2020/21")) == []
    found = find([red], [done_action, elsewhere], [], "Quarter 2 2020/21")
    assert kinds(found) == [(FindingKind.RED_WITHOUT_ACTION, "I1")]
    assert found[0].sentence == "I1 is Red in Quarter 2 2020/21 and no open action is linked to it."


def test_a_forecast_miss_needs_an_open_action_too() -> None:
    missing = IndicatorState("I1", "Jobs", G, forecast_miss=True)
    assert kinds(find([missing], [], [], "Q")) == [(FindingKind.FORECAST_MISS_WITHOUT_ACTION, "I1")]
    fine = IndicatorState("I2", "Jobs", A)
    assert find([fine], [], [], "Q") == []


def test_overdue_and_not_updated_actions() -> None:
    overdue = ActionState("A1", "x", ActionStatus.OVERDUE, updated=True, due=date(2020, 9, 1))
    stale = ActionState("A2", "x", ActionStatus.AT_RISK, updated=False)
    complete_stale = ActionState("A3", "x", ActionStatus.COMPLETE, updated=False)
    not_started = ActionState("A4", "x", ActionStatus.NOT_STARTED, updated=False)
    found = find([], [overdue, stale, complete_stale, not_started], [], "Quarter 2 2020/21")
    assert kinds(found) == [
        (FindingKind.OVERDUE_ACTION, "A1"),
        (FindingKind.ACTION_NOT_UPDATED, "A2"),
    ]
    assert found[0].sentence == "A1 was due on 1 September 2020 and is not complete."
    assert found[1].sentence == "A2 has no progress update for Quarter 2 2020/21."


def test_an_outcome_with_no_indicator_under_it() -> None:
    empty = PlanNode("1.2", "Skills", actions=("A1",))
    parent_of_some = PlanNode("1.3", "Homes", children=(PlanNode("1.3.1", "Build", ("I1",)),))
    found = find([], [], [empty, parent_of_some], "Q")
    assert kinds(found) == [(FindingKind.OUTCOME_WITHOUT_INDICATOR, "1.2")]


def test_no_progress_recorded_is_said_not_shown_as_zero() -> None:
    unreported = ActionSpec("A1", "x", START, DUE)
    assert action_status(unreported, date(2021, 3, 1)).reason == (
        "On track: no progress recorded, due on 31 December 2021."
    )
    assert action_status(unreported, date(2022, 1, 1)).reason == (
        "Overdue: due on 31 December 2021 and no progress recorded."
    )
    zero = ActionSpec("A1", "x", START, DUE, Decimal(0))
    assert action_status(zero, date(2021, 3, 1)).reason == (
        "On track: 0% complete, due on 31 December 2021."
    )


def test_one_green_or_better_is_singular() -> None:
    one = rollup([G, R, R], [], RollupRule(RollupMethod.SHARE))
    assert one.sentence() == (
        "Red: 1 of its 3 rated indicators and actions (33%) is Green or better, under 50%."
    )


def test_a_finding_names_the_period_of_the_value_rated() -> None:
    annual = IndicatorState("I1", "Website", R, period="2019/20")
    (found,) = find([annual], [], [], "Quarter 3 2020/21")
    assert found.sentence == "I1 is Red in 2019/20 and no open action is linked to it."
