"""The evaluation the pages show, worked out once per period and kept until
the data change.

Evaluating 500 indicators takes a few hundred milliseconds; a page must take
tens. So each worker process keeps the evaluation of a period (staff and
public apart) in memory, under a key that includes the data version
(`perfreport.data.versions`), which every import and every save or deletion
raises. A page never shows stale figures, and nothing has to remember to
clear anything.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from django.utils import translation

from perfreport.core.periods import Period
from perfreport.data.selectors import PeriodEvaluation, evaluate_period
from perfreport.data.versions import current_data_version

T = TypeVar("T")

KEPT = 32  # things kept per process, the most recently used
_kept: OrderedDict[tuple[Hashable, bool, str | None, str], Any] = OrderedDict()
_lock = threading.Lock()


def kept(key: Hashable, published_only: bool, build: Callable[[], T]) -> T:
    """What ``build`` makes for ``key``, kept in this process's memory while
    the data have not changed (the data version is part of the key).

    In memory, not in Django's cache: a cache stores a copy (pickled), and
    reading 500 indicators' evaluations back from a copy took longer than a
    page may take. Each worker keeps its own few. What is kept holds words
    (period names, ratings, drafted commentary, rendered pages), so the
    language is part of the key too.
    """
    full = (key, published_only, translation.get_language(), current_data_version())
    with _lock:
        if full in _kept:
            _kept.move_to_end(full)
            return cast(T, _kept[full])
    value = build()
    with _lock:
        _kept[full] = value
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return value


def period_evaluation(period: Period, published_only: bool) -> PeriodEvaluation:
    """The evaluation of every indicator for ``period``, with its analytics
    (SPC, forecasts, drafted commentary) worked out, kept while the data have
    not changed."""

    def build() -> PeriodEvaluation:
        result = evaluate_period(period, published_only=published_only)
        result.analyse_all()
        return result

    return kept(("evaluation", period.frequency.value, period.first_month), published_only, build)


def forget_evaluations() -> None:
    """Drop everything kept (for tests), the rating schemes read too."""
    from perfreport.data import versions

    with _lock:
        _kept.clear()
    versions.forget_scheme_book()
