"""Reads for the API: the evaluation of a period as ready-made JSON, and the
periods there are to ask about."""

from __future__ import annotations

import json
from typing import NamedTuple

from django.db.models import Max

from perfreport.core.periods import Frequency, Period
from perfreport.data.evaluations import kept, period_evaluation
from perfreport.data.models import Observation
from perfreport.data.present import evaluation_record, public_record
from perfreport.registry.periods import stored_period


class EvaluationAnswer(NamedTuple):
    """A period's evaluation as the API sends it: the whole answer, and each
    indicator's record by reference. Empty when the period has no values."""

    body: bytes
    records: dict[str, bytes]


def evaluation_answer(period: Period, published_only: bool) -> EvaluationAnswer:
    """The answer, kept in memory until the data change. Worked out from the
    kept evaluation once, then sent as it is: a warm request reads bytes, and
    neither rebuilds the evaluation nor writes 500 records again. Without a
    token (published values only) the records leave out the drafted commentary."""

    def build() -> EvaluationAnswer:
        evaluation = period_evaluation(period, published_only=published_only)
        if not evaluation.has_values:
            return EvaluationAnswer(b"", {})
        record = public_record if published_only else evaluation_record
        records = [record(row) for row in evaluation.rows]
        organisation = evaluation.organisation
        whole = {
            "period": period.label,
            "organisation": organisation.code if organisation else None,
            "published_only": published_only,
            "count": len(records),
            "items": records,
        }
        return EvaluationAnswer(
            json.dumps(whole).encode(), {r["ref"]: json.dumps(r).encode() for r in records}
        )

    return kept(
        ("api-evaluation", period.frequency.value, period.first_month), published_only, build
    )


def latest_quarter(published_only: bool) -> Period | None:
    """The quarter that holds the home organisation's latest (published) value."""
    values = Observation.objects.filter(organisation__is_home=True)
    if published_only:
        values = values.filter(is_draft=False)
    latest = values.aggregate(latest=Max("last_month"))["latest"]
    if latest is None:
        return None
    return stored_period(Frequency.MONTHLY.value, latest).containing(Frequency.QUARTERLY)


def published_quarters() -> list[Period]:
    """The quarters with a published value of the home organisation, latest first."""
    months = (
        Observation.objects.filter(organisation__is_home=True, is_draft=False)
        .order_by()  # no default ordering, or DISTINCT would count its columns too
        .values_list("last_month", flat=True)
        .distinct()
    )
    monthly = Frequency.MONTHLY.value
    quarters = {stored_period(monthly, m).containing(Frequency.QUARTERLY) for m in months}
    return sorted(quarters, reverse=True)
