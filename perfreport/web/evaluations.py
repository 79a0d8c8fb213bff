"""The evaluation the pages show, worked out once per period and kept until
the data change.

Evaluating 500 indicators takes a few hundred milliseconds; a page must take
tens. So each worker process keeps the evaluation of a period (staff and
public apart) in Django's cache, under a key that includes the data version
(`perfreport.data.versions`), which every import and every save or deletion
raises. A page never shows stale figures, and nothing has to remember to
clear the cache.
"""

from __future__ import annotations

from django.core.cache import cache

from perfreport.core.periods import Period
from perfreport.data.selectors import PeriodEvaluation, evaluate_period
from perfreport.data.versions import current_data_version

TIMEOUT = 3600  # seconds: a bound on memory, not on freshness (the version sees to that)


def period_evaluation(period: Period, published_only: bool) -> PeriodEvaluation:
    """The evaluation of every indicator for ``period``, with its analytics
    (SPC, forecasts, drafted commentary) worked out, from the cache when the
    data have not changed."""
    key = f"evaluation:{period.frequency.value}-{period.first_month}:{int(published_only)}:{current_data_version()}"
    found = cache.get(key)
    if isinstance(found, PeriodEvaluation):
        return found
    result = evaluate_period(period, published_only=published_only)
    result.analyse_all()
    cache.set(key, result, TIMEOUT)
    return result
