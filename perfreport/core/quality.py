"""Data-quality findings over a period's evaluations: what ``perfreport check``
reports and the report lists first.

Each finding names the indicator and says what is wrong in a sentence a BI
analyst can act on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from perfreport.core.evaluation import Evaluation
from perfreport.core.rating import Rating, RatingBasis

__all__ = ["Finding", "FindingCode", "Severity", "check_evaluations"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class FindingCode(StrEnum):
    RATING_DIFFERS = "rating-differs"
    RATING_MISSING = "rating-missing"
    RED_WITHOUT_ACTIONS = "red-without-actions"
    VALUE_MISSING = "value-missing"
    VALUE_STALE = "value-stale"
    TARGET_MISSING = "target-missing"


@dataclass(frozen=True, slots=True)
class Finding:
    ref: str
    code: FindingCode
    severity: Severity
    message: str


def check_evaluations(evaluations: Sequence[Evaluation]) -> list[Finding]:
    """Findings for one reporting period, in the order of ``evaluations``.

    A Red, Amber, Green or Blue indicator with no printed rating is reported
    only where the period's data carries printed ratings at all: a register
    whose ratings are all computed is not asked to type them in.
    """
    printed_in_use = any(e.stated_rating is not None for e in evaluations)
    findings: list[Finding] = []
    for evaluation in evaluations:
        findings.extend(_check_one(evaluation, printed_in_use))
    return findings


def _check_one(e: Evaluation, printed_in_use: bool) -> list[Finding]:
    ref = e.indicator.ref
    found: list[Finding] = []

    def add(code: FindingCode, severity: Severity, message: str) -> None:
        found.append(Finding(ref, code, severity, message))

    if e.current is None:
        add(FindingCode.VALUE_MISSING, Severity.ERROR, f"no value at or before {e.report_period}")
        return found
    if e.is_stale:
        add(
            FindingCode.VALUE_STALE,
            Severity.WARNING,
            f"the latest value is for {e.current.period}; one for {e.expected} is expected "
            f"by {e.report_period}",
        )
    if e.indicator.rating_basis is RatingBasis.TARGETED and e.target is None:
        add(
            FindingCode.TARGET_MISSING,
            Severity.ERROR,
            f"no target applies to {e.current.period}, so it cannot be rated",
        )
    if e.rating_differs and e.stated_rating is not None:
        computed = e.rating.label if e.rating else "no rating"
        add(
            FindingCode.RATING_DIFFERS,
            Severity.ERROR,
            f"printed {e.stated_rating.label}, but the Key gives {computed}: {e.explanation}",
        )
    elif e.stated_rating is None and printed_in_use and e.rating is not None and e.rating.is_colour:
        add(
            FindingCode.RATING_MISSING,
            Severity.ERROR,
            f"no rating printed; the Key gives {e.rating.label}: {e.explanation}",
        )
    if e.rating is Rating.RED and not e.actions.strip():
        add(
            FindingCode.RED_WITHOUT_ACTIONS,
            Severity.ERROR,
            "rated Red with no actions: the Key expects actions for every Red indicator",
        )
    return found
