"""Data-quality findings over a period's evaluations."""

from dataclasses import replace
from decimal import Decimal

import pytest

from perfreport.core.evaluation import Evaluation, evaluate_indicator
from perfreport.core.indicator import IndicatorSpec, Point
from perfreport.core.periods import Frequency, parse_period
from perfreport.core.quality import Finding, FindingCode, Severity, check_evaluations
from perfreport.core.rating import Polarity, Rating, RatingBasis
from perfreport.core.targets import TargetEntry
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
    actions: str = "",
) -> Evaluation:
    spec = replace(SPEC, ref=ref, rating_basis=basis)
    history = [] if value is None else [Point(parse_period(period), Decimal(value))]
    return evaluate_indicator(spec, Q2, history, targets, stated_rating=stated, actions=actions)


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
    assert finding.message.startswith("printed Green, but the Key gives Amber: 85.0% is 5.6% below")
    assert e.explanation in finding.message


def test_a_printed_rating_where_the_key_gives_none_differs() -> None:
    findings = check_evaluations([evaluate("85.0", targets=[], stated=Rating.AMBER)])
    assert codes(findings) == [FindingCode.TARGET_MISSING, FindingCode.RATING_DIFFERS]
    assert "the Key gives no rating" in findings[1].message


def test_a_missing_printed_rating_is_reported_when_others_are_printed() -> None:
    printed = evaluate("92.0", ref="190", stated=Rating.GREEN)
    unprinted = evaluate("85.0", ref="191")
    findings = check_evaluations([printed, unprinted])
    assert [(f.ref, f.code) for f in findings] == [("191", FindingCode.RATING_MISSING)]
    assert findings[0].severity is Severity.ERROR
    assert findings[0].message.startswith("no rating printed; the Key gives Amber: ")


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
        evaluate("92.0", ref="D"),
    ]
    findings = check_evaluations(evaluations)
    assert [(f.ref, f.code) for f in findings] == [
        ("A", FindingCode.VALUE_STALE),
        ("A", FindingCode.RATING_DIFFERS),
        ("A", FindingCode.RED_WITHOUT_ACTIONS),
        ("B", FindingCode.VALUE_MISSING),
        ("D", FindingCode.RATING_MISSING),
    ]
