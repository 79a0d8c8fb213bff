"""Suspect figures among those a feed would write, found by the data-quality
checks ``perfreport check`` runs (:mod:`perfreport.core.quality`): a zero
after a run of non-zero values, a jump beyond the process limits of a stable
history, a numerator above its denominator. A suspect figure is still
written as a draft (its owner checks it before submitting); the BI team is
told of it."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence

from perfreport.core.evaluation import evaluate_indicator
from perfreport.core.indicator import Point
from perfreport.core.quality import FindingCode, SeriesFacts, check_evaluations
from perfreport.data.models import Observation
from perfreport.data.versions import scheme_book
from perfreport.feeds.plan import WRITES, Decision, Key
from perfreport.imports.plan import or_none
from perfreport.registry.models import Indicator
from perfreport.registry.periods import stored_period

SUSPECT = {
    FindingCode.SUSPECT_ZERO,
    FindingCode.SUSPECT_JUMP,
    FindingCode.PERCENT_OUT_OF_RANGE,
    FindingCode.NUMERATOR_ABOVE_DENOMINATOR,
}


def mark_suspects(decisions: Sequence[Decision], indicators: dict[str, Indicator]) -> None:
    """Fill in ``suspect`` of each decision that writes a number: each finding's sentence."""
    writing = [
        d for d in decisions if d.outcome in WRITES and d.record and d.record.value is not None
    ]
    if not writing:
        return
    series = _series({d.ref for d in writing}, indicators)
    for decision in writing:  # the run's own figures take their periods' places
        assert decision.record is not None and decision.record.value is not None
        period = decision.record.period
        series[decision.ref][(decision.ref, period.frequency.value, period.first_month)] = Point(
            period, decision.record.value
        )
    book = scheme_book()
    specs = {ref: indicators[ref].to_core(book) for ref in {d.ref for d in writing}}
    ordered = {
        ref: sorted(points.values(), key=lambda p: p.period) for ref, points in series.items()
    }
    ends = {ref: [p.period.last_month for p in points] for ref, points in ordered.items()}
    for decision in writing:
        assert decision.record is not None
        record, spec = decision.record, specs[decision.ref]
        upto = bisect.bisect_right(ends[decision.ref], record.period.last_month)
        history = ordered[decision.ref][:upto]
        evaluation = evaluate_indicator(spec, record.period, history)
        fraction = (or_none(record.numerator), or_none(record.denominator))
        facts = {decision.ref: SeriesFacts(history=history, fraction=fraction)}
        decision.suspect = [
            f.message for f in check_evaluations([evaluation], facts) if f.code in SUSPECT
        ]


def _series(refs: set[str], indicators: dict[str, Indicator]) -> dict[str, dict[Key, Point]]:
    """The home organisation's values of the indicators, drafts too, by period."""
    found: dict[str, dict[Key, Point]] = defaultdict(dict)
    ids = {indicators[ref].pk: ref for ref in refs}
    rows = (
        Observation.objects.home()
        .filter(indicator_id__in=ids, value__isnull=False)
        .values_list("indicator_id", "frequency", "first_month", "value")
    )
    for indicator_id, frequency, first_month, value in rows:
        ref = ids[indicator_id]
        period = stored_period(frequency, first_month, indicators[ref].year_start_month)
        found[ref][(ref, frequency, first_month)] = Point(period, value)
    return found
