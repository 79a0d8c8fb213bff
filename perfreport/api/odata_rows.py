"""The rows of the OData feed's entity sets, a page at a time.

Each entity set is a query the database filters, sorts and slices (its
stored properties), and a function that turns one page of its rows into
records, working out what is not stored. Nothing is read for more than the
page asked for, so paging through 100,000 values keeps the same memory as
one page.

A value's target, RAG rating and change are those the evaluation of its own
period gives it, as on the indicator page's table of past figures and in the
open data (``core.evaluation.evaluate_indicator``): it is given the value,
the value before it and the value a year before (both read in the same
query), and the indicator's targets. Those are all the evaluation looks at
for one period, so nothing else of the series need be read. The public feed
reads published values only, for the values before too.
"""

from __future__ import annotations

import bisect
import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery

from perfreport.api.odata_model import BENCHMARKS, INDICATORS, VALUES, EntitySet
from perfreport.api.selectors import latest_quarter
from perfreport.core.evaluation import Evaluation, evaluate_indicator
from perfreport.core.indicator import IndicatorSpec, Point
from perfreport.core.periods import Period, in_words
from perfreport.core.targets import TargetEntry, TargetKind
from perfreport.core.withheld import Withheld
from perfreport.data.benchmarks import IndicatorBenchmark, benchmarks_for
from perfreport.data.models import Observation
from perfreport.data.selectors import home_organisation
from perfreport.data.versions import scheme_book
from perfreport.registry.models import Indicator, Target
from perfreport.registry.periods import stored_period

Record = dict[str, Any]


@dataclass(frozen=True)
class Source:
    """An entity set's rows: ``rows(published_only)`` to filter and sort,
    ``columns`` to read them with, ``records`` to turn a page into records;
    ``order`` the stable default order; ``key_field`` finds one by its key;
    ``keyset``: pages follow the key (the default order is the key's)."""

    entity_set: EntitySet
    rows: Callable[[bool], QuerySet[Any]]
    columns: Callable[[QuerySet[Any], bool], QuerySet[Any]]
    records: Callable[[list[Any], bool], list[Record]]
    order: tuple[str, ...]
    key_field: str
    keyset: bool = False


def _name(related: Any) -> str | None:
    return related.name if related is not None else None


# -- Indicators ---------------------------------------------------------------


def _indicators(published_only: bool) -> QuerySet[Indicator]:
    return Indicator.objects.all()


def _with_names(rows: QuerySet[Indicator], published_only: bool) -> QuerySet[Indicator]:
    return rows.select_related("directorate", "service")


def indicator_records(rows: list[Indicator], published_only: bool) -> list[Record]:
    return [
        {
            "Ref": i.ref,
            "Title": i.title,
            "Description": i.description,
            "Source": i.source,
            "Unit": i.unit,
            "UnitLabel": i.unit_label,
            "Decimals": i.decimals,
            "Polarity": i.polarity,
            "Frequency": i.frequency,
            "Aggregation": i.aggregation,
            "RatingBasis": i.rating_basis,
            "Scheme": i.scheme,
            "TargetRule": i.target_rule,
            "ToleranceMethod": i.tolerance_method,
            "RedThreshold": i.red_threshold,
            "BlueThreshold": i.blue_threshold,
            "Directorate": _name(i.directorate),
            "Service": _name(i.service),
            "Owner": i.owner,
            "NationalCode": i.national_code,
            "Position": i.position,
        }
        for i in rows
    ]


# -- Values -------------------------------------------------------------------

COLUMNS = (
    "pk",
    "indicator_id",
    "frequency",
    "first_month",
    "last_month",
    "period",
    "value",
    "withheld_as",
    "numerator",
    "denominator",
    "is_draft",
    "restated_at",
    "updated_at",
)


def _values(published_only: bool) -> QuerySet[Observation]:
    """The home organisation's values; the published ones for the public."""
    found = Observation.objects.home()
    return found.published() if published_only else found


def _value_columns(rows: QuerySet[Observation], published_only: bool) -> QuerySet[Any]:
    """The columns of a value, and of the numbers the evaluation of its
    period compares it with: the first month and value of the value before
    it, and the value of the same period a year before. Each is a subquery
    that the unique index on indicator, organisation, frequency and first
    month answers, worked out for the page's rows only. The public's
    compare with published values only."""
    numbers = Observation.objects.filter(
        indicator_id=OuterRef("indicator_id"),
        organisation_id=OuterRef("organisation_id"),
        frequency=OuterRef("frequency"),
        value__isnull=False,
    )
    if published_only:
        numbers = numbers.published()
    before = numbers.filter(first_month__lt=OuterRef("first_month")).order_by("-first_month")
    year_before = numbers.filter(first_month=OuterRef("first_month") - 12)
    return rows.annotate(
        before_month=Subquery(before.values("first_month")[:1]),
        before_value=Subquery(before.values("value")[:1]),
        year_before_value=Subquery(year_before.values("value")[:1]),
    ).values_list(*COLUMNS, "before_month", "before_value", "year_before_value")


def value_records(rows: list[tuple[Any, ...]], published_only: bool) -> list[Record]:
    if not rows:
        return []
    ids = {row[1] for row in rows}
    indicators = Indicator.objects.select_related("directorate", "service").in_bulk(ids)
    schemes = scheme_book()
    specs = {pk: indicator.to_core(schemes) for pk, indicator in indicators.items()}
    targets = _targets(indicators, min(row[3] for row in rows), max(row[4] for row in rows))
    return [
        _value_record(row, indicators[row[1]], specs[row[1]], targets.get(row[1], NO_TARGETS))
        for row in rows
    ]


class Targets:
    """An indicator's targets, from which each value's evaluation is given
    those that can apply to its period, found by bisection rather than by
    reading all of them for every value (``core.targets.resolve_target``
    reads every entry it is given): every milestone; the period targets that
    end from the period's start to as many months after it as the longest
    target lasts (its own, and those containing it); and the latest one
    ending before it starts (the one carried forward, if none applies)."""

    def __init__(self, entries: list[TargetEntry]) -> None:
        self.milestones = [e for e in entries if e.kind is TargetKind.MILESTONE]
        self.periods = sorted(
            (e for e in entries if e.kind is TargetKind.PERIOD), key=lambda e: e.period.sort_key()
        )
        self.ends = [e.period.last_month for e in self.periods]
        self.longest = max((e.period.frequency.months for e in self.periods), default=0)

    def applying(self, period: Period) -> list[TargetEntry]:
        start = bisect.bisect_left(self.ends, period.first_month)
        end = bisect.bisect_right(self.ends, period.first_month + self.longest)
        return [*self.milestones, *self.periods[max(start - 1, 0) : end]]


def _targets(indicators: dict[int, Indicator], first: int, last: int) -> dict[int, Targets]:
    """The targets that can apply to the page's values, whose periods run
    from month ``first`` to month ``last``: the indicators' milestones, the
    period targets that overlap those months (a value's own, and those
    containing it), and each indicator's latest period target ending before
    them (carried forward). A page of one quarter's values reads a few
    targets per indicator, not every target of every year."""
    period = TargetKind.PERIOD.value
    ids = list(indicators)
    mine = Target.objects.filter(indicator_id__in=ids)
    near = mine.filter(
        Q(kind=TargetKind.MILESTONE.value) | Q(last_month__gte=first, first_month__lte=last)
    )
    latest = dict(
        mine.filter(kind=period, last_month__lt=first)
        .values("indicator_id")
        .annotate(latest=Max("last_month"))
        .values_list("indicator_id", "latest")
    )
    before = mine.filter(kind=period, last_month__in=set(latest.values()))
    found: dict[int, list[TargetEntry]] = {}
    columns = ("indicator_id", "kind", "frequency", "first_month", "last_month", "value")
    for queryset, carried in ((near, False), (before, True)):
        for indicator_id, kind, frequency, first_month, last_month, value in queryset.values_list(
            *columns
        ):
            if carried and latest.get(indicator_id) != last_month:
                continue
            start = indicators[indicator_id].year_start_month
            when = stored_period(frequency, first_month, start)
            found.setdefault(indicator_id, []).append(TargetEntry(when, value, TargetKind(kind)))
    return {pk: Targets(entries) for pk, entries in found.items()}


NO_TARGETS = Targets([])


def _value_record(
    row: tuple[Any, ...],
    indicator: Indicator,
    spec: IndicatorSpec,
    targets: Targets,
) -> Record:
    pk, _, frequency, first, last, label, value, withheld, numerator, denominator, *rest = row
    is_draft, restated_at, updated_at, before_month, before_value, year_before_value = rest
    start = indicator.year_start_month
    period = stored_period(frequency, first, start)
    applying = targets.applying(period)
    points = _earlier(frequency, first, start, before_month, before_value, year_before_value)
    if value is None:  # shown as printed, not rated; the values before it still shown
        figure = Withheld(period, withheld)
        points.sort(key=lambda p: p.period)
        evaluation = evaluate_indicator(spec, period, points, applying, withheld=[figure])
    else:
        points = sorted([*points, Point(period, value)], key=lambda p: p.period)
        evaluation = evaluate_indicator(spec, period, points, applying)
    return {
        "Id": pk,
        "IndicatorRef": indicator.ref,
        "IndicatorTitle": indicator.title,
        "Directorate": _name(indicator.directorate),
        "Service": _name(indicator.service),
        "Period": label,
        "PeriodInWords": in_words(period),
        "Frequency": frequency,
        "PeriodStart": month_start(first),
        "PeriodEnd": month_end(last),
        "Value": value,
        "Withheld": withheld or None,
        "DisplayValue": evaluation.shown(evaluation.current),
        "Unit": indicator.unit,
        "UnitLabel": indicator.unit_label,
        "Decimals": indicator.decimals,
        "Numerator": numerator,
        "Denominator": denominator,
        **_judged(evaluation),
        "IsDraft": is_draft,
        "RestatedAt": restated_at,
        "UpdatedAt": updated_at,
    }


def _earlier(
    frequency: str,
    first: int,
    start: int,
    before_month: int | None,
    before_value: Decimal | None,
    year_before_value: Decimal | None,
) -> list[Point]:
    """The value before and the value a year before, as points in period order."""
    points = {}
    if year_before_value is not None:
        points[first - 12] = Point(stored_period(frequency, first - 12, start), year_before_value)
    if before_month is not None and before_value is not None:
        points[before_month] = Point(stored_period(frequency, before_month, start), before_value)
    return [points[month] for month in sorted(points)]


def _judged(e: Evaluation) -> Record:
    """The target, rating and changes of a value, as its period's evaluation gives them."""
    previous = e.previous if isinstance(e.previous, Point) else None
    last_year = e.last_year if isinstance(e.last_year, Point) else None
    return {
        "Target": e.target.value if e.target else None,
        "DisplayTarget": e.show(e.target.value) if e.target else "",
        "TargetBasis": e.target.basis.value if e.target else None,
        "Rating": e.rating.value if e.rating else None,
        "RatingLabel": e.rating_label or None,
        "Explanation": e.explanation,
        "PreviousPeriod": str(previous.period) if previous else None,
        "PreviousValue": previous.value if previous else None,
        "Change": e.change.value if e.change else None,
        "LastYearPeriod": str(last_year.period) if last_year else None,
        "LastYearValue": last_year.value if last_year else None,
        "ChangeOnYear": e.change_on_year.value if e.change_on_year else None,
    }


def month_start(month: int) -> date:
    return date(month // 12, month % 12 + 1, 1)


def month_end(month: int) -> date:
    year, number = month // 12, month % 12 + 1
    return date(year, number, calendar.monthrange(year, number)[1])


# -- Benchmarks -----------------------------------------------------------------


def benchmark_records(rows: list[Indicator], published_only: bool) -> list[Record]:
    """Each indicator's benchmarks for the latest quarter with (published)
    values, as ``data.benchmarks.benchmarks_for`` gives them to the
    evaluation, the report and the API."""
    period = latest_quarter(published_only) if rows else None
    found = benchmarks_for(rows, period, home_organisation()) if period is not None else {}
    return [
        {
            "IndicatorRef": i.ref,
            "IndicatorTitle": i.title,
            "Directorate": _name(i.directorate),
            "Service": _name(i.service),
            "ReportPeriod": period.label if period is not None else None,
            **_benchmark(found.get(i.pk)),
        }
        for i in rows
    ]


def _benchmark(b: IndicatorBenchmark | None) -> Record:
    comparison = b.comparison if b else None
    return {
        "BenchmarkPeriod": b.period if b else None,
        "ComparatorGroup": b.group_name if b else None,
        "HomeValue": b.home_value if b else None,
        "NeighboursMean": b.mean.value if b and b.mean else None,
        "NeighboursMeanBasis": b.mean.basis.value if b and b.mean else None,
        "NeighboursMedian": comparison.median if comparison else None,
        "Rank": comparison.rank if comparison else None,
        "Quartile": comparison.quartile if comparison else None,
        "GroupSize": comparison.group_size if comparison else None,
        "NationalValue": b.national.value if b and b.national else None,
        "NationalBasis": b.national.basis.value if b and b.national else None,
    }


SOURCES = {
    "Indicators": Source(
        INDICATORS, _indicators, _with_names, indicator_records, ("position", "ref"), "ref"
    ),
    "Values": Source(VALUES, _values, _value_columns, value_records, ("pk",), "pk", True),
    "Benchmarks": Source(
        BENCHMARKS, _indicators, _with_names, benchmark_records, ("position", "ref"), "ref"
    ),
}
