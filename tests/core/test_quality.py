"""Data-quality findings over a period's evaluations."""

from dataclasses import replace
from decimal import Decimal

import pytest

from perfreport.core.evaluation import Evaluation, evaluate_indicator
from perfreport.core.indicator import IndicatorSpec, Point
from perfreport.core.periods import Frequency, parse_period
from perfreport.core.quality import (
    Finding,
    FindingCode,
    SeriesFacts,
    Severity,
    check_evaluations,
)
from perfreport.core.rating import Polarity, Rating, RatingBasis
from perfreport.core.targets import TargetEntry, TargetKind
from perfreport.core.units import Unit

Q2 = parse_period("2020/21 Q2")
ANNUAL_TARGET_90 = [TargetEntry(parse_period("2020/21"), Decimal("90"))]

SPEC = IndicatorSpec(
    ref="190",
    title="Calls answered within 60 seconds",
    unit=Unit.PERCENT,
    polarity=Polarity.HIGHER,
    frequency=Frequency.MONTHLY,
    rating_basis=RatingBasis.TARGETED,
    decimals=1,
)


def evaluate(
    value: str | None = "92.0",
    *,
    period: str = "2020-09",
    targets: list[TargetEntry] = ANNUAL_TARGET_90,
    ref: str = "190",
    basis: RatingBasis = RatingBasis.TARGETED,
    stated: Rating | None = None,
    printed: bool | None = None,
    actions: str = "",
) -> Evaluation:
    """``printed``: the figure came from a published report (by default,
    when it carries a printed rating)."""
    spec = replace(SPEC, ref=ref, rating_basis=basis)
    history = [] if value is None else [Point(parse_period(period), Decimal(value))]
    return evaluate_indicator(
        spec,
        Q2,
        history,
        targets,
        stated_rating=stated,
        rating_printed=printed,
        actions=actions,
    )


def codes(findings: list[Finding]) -> list[FindingCode]:
    return [f.code for f in findings]


def test_a_clean_evaluation_has_no_findings() -> None:
    assert check_evaluations([evaluate("92.0", stated=Rating.GREEN)]) == []


def test_a_clean_evaluation_with_no_printed_ratings_at_all_has_no_findings() -> None:
    assert check_evaluations([evaluate("92.0"), evaluate("95.0", ref="191")]) == []


def test_no_evaluations_no_findings() -> None:
    assert check_evaluations([]) == []


def test_a_printed_rating_that_differs_from_the_key_is_an_error() -> None:
    e = evaluate("85.0", stated=Rating.GREEN)
    [finding] = check_evaluations([e])
    assert finding.code is FindingCode.RATING_DIFFERS
    assert finding.severity is Severity.ERROR
    assert finding.ref == "190"
    assert finding.message.startswith(
        "printed Green, but the Key (the seed scheme) gives Amber: "
        "85.0% is 5.0 percentage points (5.6%) below"
    )
    assert e.explanation in finding.message


def test_a_printed_rating_where_the_key_gives_none_differs() -> None:
    findings = check_evaluations([evaluate("85.0", targets=[], stated=Rating.AMBER)])
    assert codes(findings) == [FindingCode.TARGET_MISSING, FindingCode.RATING_DIFFERS]
    assert "the Key (the seed scheme) gives no rating" in findings[1].message


def test_a_missing_printed_rating_is_reported_when_others_are_printed() -> None:
    printed = evaluate("92.0", ref="190", stated=Rating.GREEN)
    unprinted = evaluate("85.0", ref="191", printed=True)
    findings = check_evaluations([printed, unprinted])
    assert [(f.ref, f.code) for f in findings] == [("191", FindingCode.RATING_MISSING)]
    assert findings[0].severity is Severity.ERROR
    assert findings[0].message.startswith(
        "no rating printed; the Key (the seed scheme) gives Amber: "
    )


def test_a_figure_entered_in_perfreport_is_never_missing_a_printed_rating() -> None:
    # A round's figure sits beside imported ones with printed ratings: it came
    # with no printed rating to check, so it is not an exception.
    printed = evaluate("92.0", ref="190", stated=Rating.GREEN)
    entered = evaluate("85.0", ref="191", printed=False)
    assert check_evaluations([printed, entered]) == []


def test_a_missing_printed_rating_is_not_reported_when_none_are_printed() -> None:
    assert check_evaluations([evaluate("85.0")]) == []


def test_a_missing_printed_rating_is_not_reported_when_there_is_no_rating_to_print() -> None:
    printed = evaluate("92.0", ref="190", stated=Rating.GREEN)
    unrated = evaluate("85.0", ref="191", targets=[])
    findings = check_evaluations([printed, unrated])
    assert codes(findings) == [FindingCode.TARGET_MISSING]


@pytest.mark.parametrize(
    "actions",
    [pytest.param("", id="empty"), pytest.param("  \n\t ", id="only_whitespace")],
)
def test_red_without_actions_is_an_error(actions: str) -> None:
    findings = check_evaluations([evaluate("70.0", stated=Rating.RED, actions=actions)])
    assert codes(findings) == [FindingCode.RED_WITHOUT_ACTIONS]
    assert findings[0].severity is Severity.ERROR
    assert "Red with no actions" in findings[0].message


def test_red_with_actions_is_fine() -> None:
    assert check_evaluations([evaluate("70.0", stated=Rating.RED, actions="Recruit.")]) == []


def test_amber_without_actions_is_fine() -> None:
    assert check_evaluations([evaluate("85.0", stated=Rating.AMBER)]) == []


def test_a_missing_value_is_the_only_finding_for_its_indicator() -> None:
    findings = check_evaluations([evaluate(None, stated=Rating.AMBER)])
    assert findings == [
        Finding(
            "190", FindingCode.VALUE_MISSING, Severity.ERROR, "no value at or before 2020/21 Q2"
        )
    ]


def test_a_stale_value_is_a_warning_naming_the_expected_period() -> None:
    findings = check_evaluations([evaluate("92.0", period="2020-06")])
    assert findings == [
        Finding(
            "190",
            FindingCode.VALUE_STALE,
            Severity.WARNING,
            "the latest value is for 2020-06; one for 2020-09 is expected by 2020/21 Q2",
        )
    ]


def test_a_lagged_indicator_is_not_stale_with_last_months_value() -> None:
    spec = replace(SPEC, lag=1)
    e = evaluate_indicator(
        spec, Q2, [Point(parse_period("2020-08"), Decimal("92"))], ANNUAL_TARGET_90
    )
    assert check_evaluations([e]) == []


def test_a_targeted_indicator_without_a_target_is_an_error() -> None:
    findings = check_evaluations([evaluate("92.0", targets=[])])
    assert findings == [
        Finding(
            "190",
            FindingCode.TARGET_MISSING,
            Severity.ERROR,
            "no target applies to 2020-09, so it cannot be rated",
        )
    ]


@pytest.mark.parametrize(
    ("basis", "stated"),
    [
        pytest.param(RatingBasis.BASELINE, Rating.BASELINE, id="baseline"),
        pytest.param(RatingBasis.CONTEXTUAL, Rating.CONTEXTUAL, id="contextual"),
    ],
)
def test_untargeted_indicators_need_no_target(basis: RatingBasis, stated: Rating) -> None:
    assert check_evaluations([evaluate("50", targets=[], basis=basis, stated=stated)]) == []


def test_findings_keep_the_order_of_the_evaluations_and_stack_per_indicator() -> None:
    evaluations = [
        evaluate("70.0", ref="A", period="2020-06", stated=Rating.AMBER),
        evaluate(None, ref="B"),
        evaluate("92.0", ref="C", stated=Rating.GREEN),
        evaluate("92.0", ref="D", printed=True),
    ]
    findings = check_evaluations(evaluations)
    assert [(f.ref, f.code) for f in findings] == [
        ("A", FindingCode.VALUE_STALE),
        ("A", FindingCode.RATING_DIFFERS),
        ("A", FindingCode.RED_WITHOUT_ACTIONS),
        ("B", FindingCode.VALUE_MISSING),
        ("D", FindingCode.RATING_MISSING),
    ]


# -- suspect values ----------------------------------------------------------


def monthly(*values: str, start: str = "2019-01") -> list[Point]:
    first = parse_period(start)
    return [Point(first.shift(i), Decimal(v)) for i, v in enumerate(values)]


def evaluate_series(
    points: list[Point],
    *,
    spec: IndicatorSpec = SPEC,
    targets: list[TargetEntry] = ANNUAL_TARGET_90,
    report: str = "",
) -> Evaluation:
    period = parse_period(report) if report else Q2
    return evaluate_indicator(spec, period, points, targets)


def check_with(e: Evaluation, **facts: object) -> list[Finding]:
    return check_evaluations([e], {e.indicator.ref: SeriesFacts(**facts)})  # type: ignore[arg-type]


COUNT_SPEC = replace(SPEC, unit=Unit.COUNT, rating_basis=RatingBasis.CONTEXTUAL, decimals=0)


def test_a_zero_after_four_non_zero_values_is_a_suspect_zero() -> None:
    history = monthly("12", "14", "11", "13", "0", start="2020-05")
    e = evaluate_series(history, spec=COUNT_SPEC)

    findings = check_with(e, history=history)

    assert findings == [
        Finding(
            "190",
            FindingCode.SUSPECT_ZERO,
            Severity.WARNING,
            "the value for 2020-09 is 0 after 4 earlier values with no zero (the last 13 for "
            "2020-08): check it is a real zero, not a missing figure",
        )
    ]


@pytest.mark.parametrize(
    "values",
    [
        pytest.param(("14", "11", "13", "0"), id="only_three_earlier_values"),
        pytest.param(("12", "0", "11", "13", "0"), id="zero_before"),
        pytest.param(("12", "14", "11", "13", "1"), id="not_zero"),
    ],
)
def test_a_zero_is_not_suspect_without_a_non_zero_history(values: tuple[str, ...]) -> None:
    history = monthly(*values, start=parse_period("2020-09").shift(1 - len(values)).label)
    e = evaluate_series(history, spec=COUNT_SPEC)

    assert check_with(e, history=history) == []


# mean 50.4, mean moving range 32 / 14, so limits 50.4 ± 6.08: 44.3 to 56.5
STABLE = ("50", "52", "51", "49", "50", "53", "48", "51", "50", "52", "49", "51", "50", "48", "52")


def stable_then(value: str, earlier: tuple[str, ...] = STABLE) -> list[Point]:
    return monthly(*earlier, value, start=parse_period("2020-09").shift(-len(earlier)).label)


def test_a_jump_beyond_the_limits_of_a_stable_history_is_a_suspect_jump() -> None:
    history = stable_then("75")
    e = evaluate_series(history, spec=COUNT_SPEC)

    [finding] = check_with(e, history=history)

    assert finding.code is FindingCode.SUSPECT_JUMP
    assert finding.severity is Severity.WARNING
    assert finding.message.startswith(
        "75 for 2020-09 is above the upper process limit (56.5) of the 15 earlier values"
    )


def test_a_fall_below_the_lower_limit_is_a_suspect_jump() -> None:
    history = stable_then("30")
    [finding] = check_with(evaluate_series(history, spec=COUNT_SPEC), history=history)

    assert "30 for 2020-09 is below the lower process limit (44.3)" in finding.message


@pytest.mark.parametrize(
    ("value", "earlier"),
    [
        pytest.param("54", STABLE, id="within_the_limits"),
        pytest.param("75", STABLE[1:], id="only_14_earlier_values"),
        pytest.param("75", ("50",) * 7 + ("60",) * 8, id="earlier_values_with_a_shift"),
    ],
)
def test_no_suspect_jump(value: str, earlier: tuple[str, ...]) -> None:
    history = stable_then(value, earlier)
    e = evaluate_series(history, spec=COUNT_SPEC)

    assert check_with(e, history=history) == []


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        pytest.param("100.1", "100.1%", id="above_100"),
        pytest.param("-0.5", "-0.5%", id="below_0"),
    ],
)
def test_a_percentage_outside_0_to_100_is_reported(value: str, shown: str) -> None:
    findings = check_evaluations([evaluate(value, targets=[], basis=RatingBasis.CONTEXTUAL)])

    assert findings == [
        Finding(
            "190",
            FindingCode.PERCENT_OUT_OF_RANGE,
            Severity.WARNING,
            f"{shown} for 2020-09 is outside 0% to 100%, the range of a percentage",
        )
    ]


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("100.0", id="exactly_100"),
        pytest.param("0", id="exactly_0"),
        pytest.param("100.04", id="prints_as_100"),
    ],
)
def test_a_percentage_from_0_to_100_as_printed_is_fine(value: str) -> None:
    assert check_evaluations([evaluate(value, targets=[], basis=RatingBasis.CONTEXTUAL)]) == []


def test_a_count_over_100_is_not_a_percentage() -> None:
    e = evaluate_series(monthly("432", start="2020-09"), spec=COUNT_SPEC)

    assert check_evaluations([e]) == []


def test_a_numerator_above_its_denominator_is_reported() -> None:
    findings = check_with(evaluate("92.0"), fraction=(Decimal("120"), Decimal("100")))

    assert findings == [
        Finding(
            "190",
            FindingCode.NUMERATOR_ABOVE_DENOMINATOR,
            Severity.WARNING,
            "the value for 2020-09 (92.0%) has a numerator of 120, larger than its "
            "denominator of 100",
        )
    ]


@pytest.mark.parametrize(
    "fraction",
    [
        pytest.param((Decimal(100), Decimal(100)), id="equal"),
        pytest.param((Decimal(92), Decimal(100)), id="below"),
        pytest.param((Decimal(120), None), id="no_denominator"),
        pytest.param((None, None), id="none"),
    ],
)
def test_a_numerator_up_to_its_denominator_is_fine(
    fraction: tuple[Decimal | None, Decimal | None],
) -> None:
    assert check_with(evaluate("92.0"), fraction=fraction) == []


# -- changed targets ---------------------------------------------------------------------

QUARTERLY = replace(SPEC, frequency=Frequency.QUARTERLY)
ANNUAL = replace(SPEC, frequency=Frequency.ANNUAL)
# Two years of quarters, 2019/20 Q1 to 2020/21 Q4, each with its own target.
QUARTERS = [parse_period("2019/20 Q1").shift(i) for i in range(8)]
QUARTERLY_TARGETS = [TargetEntry(q, Decimal(80 + 2 * i)) for i, q in enumerate(QUARTERS)]
QUARTERLY_VALUES = [Point(q, Decimal(81 + 2 * i)) for i, q in enumerate(QUARTERS)]
YEARS = [parse_period("2019/20"), parse_period("2020/21")]
YEARLY_TARGETS = [TargetEntry(YEARS[0], Decimal(85)), TargetEntry(YEARS[1], Decimal(90))]
YEARLY_VALUES = [Point(YEARS[0], Decimal("86.0")), Point(YEARS[1], Decimal("91.0"))]


def evaluate_quarter(report: str, targets: list[TargetEntry] = QUARTERLY_TARGETS) -> Evaluation:
    period = parse_period(report)
    history = [p for p in QUARTERLY_VALUES if p.period <= period]
    return evaluate_indicator(QUARTERLY, period, history, targets)


@pytest.mark.parametrize("report", [str(q) for q in QUARTERS])
def test_a_new_quarters_own_target_is_never_a_changed_target(report: str) -> None:
    """GIVEN a target set for each quarter over two years, each 2 points above the last
    WHEN any quarter is reported, the first of a new financial year among them
    THEN no target has changed: a period that had no target before is given one."""
    e = evaluate_quarter(report)

    assert check_with(e, targets=QUARTERLY_TARGETS) == []


def test_a_new_financial_years_target_is_never_a_changed_target() -> None:
    e = evaluate_indicator(ANNUAL, YEARS[1], YEARLY_VALUES, YEARLY_TARGETS)

    assert e.target is not None and e.target.value == Decimal(90)
    assert check_with(e, targets=YEARLY_TARGETS) == []


@pytest.mark.parametrize(
    ("report", "first_targets", "message"),
    [
        pytest.param(
            "2020/21 Q2",
            {"2020/21 Q2": Decimal("85")},
            "the target for 2020/21 Q2 changed from 85.0% to 90.0% without a reason: say why "
            "in the target's note",
            id="the_shown_quarters_target",
        ),
        pytest.param(
            "2020/21 Q2",
            {"2020/21 Q1": Decimal("89.5")},
            "the target for 2020/21 Q1 changed from 89.5% to 88.0% without a reason: say why "
            "in the target's note",
            id="the_quarter_before_already_reported",
        ),
        pytest.param(
            "2020/21 Q1",
            {"2020/21 Q1": Decimal("86")},
            "the target for 2020/21 Q1 changed from 86.0% to 88.0% without a reason: say why "
            "in the target's note",
            id="a_new_years_first_quarter_changed_after_it_was_set",
        ),
    ],
)
def test_a_quarters_target_changed_after_it_was_set_is_reported(
    report: str, first_targets: dict[str, Decimal], message: str
) -> None:
    e = evaluate_quarter(report)

    findings = check_with(e, targets=QUARTERLY_TARGETS, first_targets=first_targets)

    assert findings == [
        Finding("190", FindingCode.TARGET_CHANGED_WITHOUT_REASON, Severity.WARNING, message)
    ]


def test_a_years_target_changed_after_it_was_set_is_reported() -> None:
    e = evaluate_indicator(ANNUAL, YEARS[1], YEARLY_VALUES, YEARLY_TARGETS)

    findings = check_with(e, targets=YEARLY_TARGETS, first_targets={"2020/21": Decimal("87.5")})

    assert [f.message for f in findings] == [
        "the target for 2020/21 changed from 87.5% to 90.0% without a reason: say why in the "
        "target's note"
    ]


@pytest.mark.parametrize(
    ("first_targets", "notes"),
    [
        pytest.param(
            {"2020/21 Q2": Decimal(85)}, {"2020/21 Q2": "Raised by Committee."}, id="note"
        ),
        pytest.param({"2020/21 Q2": Decimal(90)}, {}, id="changed_back_to_the_first"),
        pytest.param({"2020/21 Q2": Decimal("90.04")}, {}, id="a_change_below_the_decimals"),
        pytest.param({"2019/20 Q4": Decimal(70)}, {}, id="a_period_the_report_does_not_show"),
        pytest.param({}, {}, id="never_changed"),
    ],
)
def test_no_changed_target_finding(
    first_targets: dict[str, Decimal], notes: dict[str, str]
) -> None:
    e = evaluate_quarter("2020/21 Q2")

    findings = check_with(
        e, targets=QUARTERLY_TARGETS, first_targets=first_targets, target_notes=notes
    )

    assert findings == []


def test_a_milestone_is_not_a_periods_target() -> None:
    """A changed target is looked for among the targets set for the period, not milestones."""
    milestone = [TargetEntry(QUARTERS[5], Decimal(90), TargetKind.MILESTONE)]
    e = evaluate_quarter("2020/21 Q2", milestone)

    assert check_with(e, targets=milestone, first_targets={"2020/21 Q2": Decimal(85)}) == []


def test_a_note_of_only_whitespace_is_no_reason() -> None:
    findings = check_with(
        evaluate_quarter("2020/21 Q2"),
        targets=QUARTERLY_TARGETS,
        first_targets={"2020/21 Q2": Decimal(85)},
        target_notes={"2020/21 Q2": " "},
    )

    assert codes(findings) == [FindingCode.TARGET_CHANGED_WITHOUT_REASON]


def test_suspect_findings_come_after_the_others_of_their_indicator() -> None:
    history = monthly("12", "14", "11", "13", "0", start="2020-05")
    e = evaluate_series(history, spec=replace(SPEC, decimals=0))

    findings = check_with(e, history=history)

    assert codes(findings) == [FindingCode.RED_WITHOUT_ACTIONS, FindingCode.SUSPECT_ZERO]


@pytest.mark.parametrize(
    ("values", "percent", "codes"),
    [
        ([5, 6, 5, 7, 0], False, ["suspect-zero"]),
        ([5, 0, 5, 7, 0], False, []),  # zero before: not suspect
        ([5, 6, 0], False, []),  # too short a history
        ([5, None, 6, 5, 7, 0, None], False, ["suspect-zero"]),  # missing values skipped
        ([50, 101, 99], True, ["percent-out-of-range"]),
        ([50, 101, 99], False, []),
        ([10, 11] * 8 + [30], False, ["suspect-jump"]),
        ([10, 11] * 8 + [11], False, []),
    ],
    ids=["zero", "zero-before", "short", "gaps", "percent", "not-percent", "jump", "no-jump"],
)
def test_published_series_are_checked_for_suspect_values(values, percent, codes):
    from perfreport.core.quality import check_published_series

    points = [(f"{2000 + i}", None if v is None else Decimal(v)) for i, v in enumerate(values)]

    found = check_published_series(points, percent=percent)

    assert [code.value for code, _ in found] == codes
