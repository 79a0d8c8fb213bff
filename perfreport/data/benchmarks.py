"""Reads: each indicator's benchmarks for a reporting period.

An indicator is benchmarked on the national measure it names (its national
code, else its own ref) in the latest published period that ends by the end
of the reporting period. Every figure is taken from that one period, the home
organisation's included, so that like is compared with like; the period is
shown with them. Where no data are loaded, the means entered by hand in the
register are shown, labelled as entered.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from perfreport.core.benchmarking import (
    GroupComparison,
    GroupMean,
    NationalValue,
    compare_with_group,
    group_mean,
    national_value,
)
from perfreport.core.periods import Period
from perfreport.core.published import revision_rank
from perfreport.core.quality import FindingCode, check_published_series
from perfreport.core.rating import Polarity
from perfreport.core.units import Unit
from perfreport.data.models import BenchmarkValue
from perfreport.registry.models import (
    NATIONAL_KINDS,
    ComparatorGroup,
    GroupKind,
    Indicator,
    Measure,
    Organisation,
)


@dataclass(frozen=True)
class IndicatorBenchmark:
    """What the report, the JSON and the web pages show of an indicator's benchmarks."""

    period: str | None  # the published period the figures belong to; None: entered by hand
    group_name: str | None
    home_value: Decimal | None
    comparison: GroupComparison | None
    mean: GroupMean | None
    national: NationalValue | None
    national_name: str
    group_kind: GroupKind | None = None

    @property
    def median(self) -> Decimal | None:
        return self.comparison.median if self.comparison else None


@dataclass(frozen=True)
class _Group:
    """A comparator group as the benchmarks need it: its members in order, by
    id, with their codes, and whether its published average includes the
    home organisation."""

    name: str
    kind: GroupKind
    includes_home: bool
    members: list[int]
    codes: dict[int, str]


@dataclass(frozen=True)
class _Context:
    home: Organisation | None
    national: Organisation | None
    home_group: ComparatorGroup | None


def benchmarks_for(
    indicators: list[Indicator], period: Period, home: Organisation | None
) -> dict[int, IndicatorBenchmark]:
    """Each indicator's benchmarks at ``period``, by indicator id, in a few queries."""
    national = _national_organisation()
    context = _Context(home, national, _home_group(home))
    codes = {i.pk: i.national_code or i.ref for i in indicators}
    measures = dict(Measure.objects.filter(code__in=set(codes.values())).values_list("code", "pk"))
    chosen = _latest_periods(measures.values(), period)
    group_ids = {g for i in indicators if (g := _group_id(i, context)) is not None}
    groups = _groups(group_ids)
    wanted_orgs = {pk for group in groups.values() for pk in group.members}
    wanted_orgs |= {o.pk for o in (home, national) if o is not None}
    values = _values(chosen, wanted_orgs)
    need_all = {
        pk
        for pk, label in chosen.items()
        if national is None or values.get((pk, label), {}).get(national.pk) is None
    }
    councils = _council_values(chosen, need_all)
    result = {}
    for indicator in indicators:
        measure = measures.get(codes[indicator.pk])
        label = chosen.get(measure) if measure is not None else None
        group = groups.get(_group_id(indicator, context) or 0)
        if label is None or measure is None:
            result[indicator.pk] = _entered(indicator, group, context)
            continue
        found = values.get((measure, label), {})
        result[indicator.pk] = _computed(
            indicator, label, found, councils.get(measure, []), group, context
        )
    return result


def _computed(
    indicator: Indicator,
    label: str,
    found: dict[int, tuple[Decimal | None, Decimal | None, Decimal | None]],
    councils: list[tuple[Decimal | None, Decimal | None, Decimal | None]],
    group: _Group | None,
    context: _Context,
) -> IndicatorBenchmark:
    polarity = Polarity(indicator.polarity)
    home_value = found.get(context.home.pk, (None, None, None))[0] if context.home else None
    comparison = None
    if group is not None:
        others = [pk for pk in group.members if context.home is None or pk != context.home.pk]
        comparison = compare_with_group(
            home_value,
            {group.codes[pk]: found.get(pk, (None, None, None))[0] for pk in others},
            polarity,
            indicator.decimals,
            includes_home=group.includes_home,
        )
    published = found.get(context.national.pk, (None,))[0] if context.national else None
    national = national_value(
        published,
        [n for _, n, _ in councils],
        [d for _, _, d in councils],
        [v for v, _, _ in councils],
        indicator.england_mean,
        scale=_scale(indicator),
    )
    return IndicatorBenchmark(
        period=label,
        group_name=group.name if group else None,
        home_value=home_value,
        comparison=comparison,
        mean=group_mean(comparison, indicator.neighbours_mean),
        national=national,
        national_name=context.national.name if context.national else "England",
        group_kind=group.kind if group else None,
    )


def _entered(
    indicator: Indicator,
    group: _Group | None,
    context: _Context,
) -> IndicatorBenchmark:
    return IndicatorBenchmark(
        period=None,
        group_name=group.name if group else None,
        home_value=None,
        comparison=None,
        mean=group_mean(None, indicator.neighbours_mean),
        national=national_value(entered=indicator.england_mean),
        national_name=context.national.name if context.national else "England",
        group_kind=group.kind if group else None,
    )


_PER = re.compile(r"per\s+([\d,]+)", re.IGNORECASE)


def _scale(indicator: Indicator) -> Decimal:
    """What a numerator over a denominator is multiplied by to give the indicator's figure."""
    if indicator.unit == Unit.PERCENT:
        return Decimal(100)
    match = _PER.search(indicator.title)
    return Decimal(match.group(1).replace(",", "")) if match else Decimal(1)


def _national_organisation() -> Organisation | None:
    for organisation in Organisation.objects.filter(kind__iregex=r"^(england|national)$"):
        if organisation.kind.lower() in NATIONAL_KINDS:
            return organisation
    return None


def _home_group(home: Organisation | None) -> ComparatorGroup | None:
    """The home organisation's statistical neighbours: the group it owns (as LAIT
    gives them), else the one statistical neighbours group no one owns (as a
    groups.csv gives it)."""
    if home is None:
        return None
    kind = GroupKind.STATISTICAL_NEIGHBOURS
    owned = ComparatorGroup.objects.filter(organisation=home, kind=kind).first()
    if owned is not None:
        return owned
    shared = list(ComparatorGroup.objects.filter(organisation=None, kind=kind)[:2])
    return shared[0] if len(shared) == 1 else None


def _group_id(indicator: Indicator, context: _Context) -> int | None:
    if indicator.comparator_group_id is not None:
        return indicator.comparator_group_id
    return context.home_group.pk if context.home_group else None


def _groups(ids: set[int]) -> dict[int, _Group]:
    groups = {
        group.pk: _Group(group.name, GroupKind(group.kind), group.average_includes_home, [], {})
        for group in ComparatorGroup.objects.filter(pk__in=ids).only(
            "name", "kind", "includes_home"
        )
    }
    rows = (
        ComparatorGroup.members.through.objects.filter(group_id__in=ids)
        .order_by("group_id", "position")
        .values_list("group_id", "organisation_id", "organisation__code")
    )
    for group_id, organisation_id, code in rows:
        groups[group_id].members.append(organisation_id)
        groups[group_id].codes[organisation_id] = code
    return groups


def _latest_periods(measures: Iterable[int], period: Period) -> dict[int, str]:
    """Each measure's latest published period ending by the end of ``period``."""
    rows = (
        BenchmarkValue.objects.filter(
            measure_id__in=list(measures), last_month__lte=period.last_month
        )
        .values_list("measure_id", "period", "last_month")
        .distinct()
    )
    best: dict[int, tuple[int, int, str]] = {}
    for measure, label, last_month in rows:
        key = (last_month, revision_rank(label), label)
        if measure not in best or key > best[measure]:
            best[measure] = key
    return {measure: key[2] for measure, key in best.items()}


def _values(
    chosen: dict[int, str], organisations: set[int]
) -> dict[tuple[int, str], dict[int, tuple[Decimal | None, Decimal | None, Decimal | None]]]:
    found: dict[tuple[int, str], dict[int, tuple[Decimal | None, Decimal | None, Decimal | None]]]
    found = defaultdict(dict)
    if not chosen or not organisations:
        return found
    rows = BenchmarkValue.objects.filter(
        measure_id__in=list(chosen),
        period__in=set(chosen.values()),
        organisation_id__in=list(organisations),
    ).values_list("measure_id", "period", "organisation_id", "value", "numerator", "denominator")
    for measure, label, organisation, value, numerator, denominator in rows:
        if chosen.get(measure) == label:
            found[(measure, label)][organisation] = (value, numerator, denominator)
    return found


def _council_values(
    chosen: dict[int, str], measures: set[int]
) -> dict[int, list[tuple[Decimal | None, Decimal | None, Decimal | None]]]:
    """Every council's figures, for measures whose national value must be worked out."""
    councils: dict[int, list[tuple[Decimal | None, Decimal | None, Decimal | None]]]
    councils = defaultdict(list)
    if not measures:
        return councils
    rows = (
        BenchmarkValue.objects.filter(
            measure_id__in=list(measures), period__in={chosen[m] for m in measures}
        )
        .exclude(organisation__kind__iregex=r"^(england|national|region)$")
        .values_list("measure_id", "period", "value", "numerator", "denominator")
    )
    for measure, label, value, numerator, denominator in rows:
        if chosen.get(measure) == label:
            councils[measure].append((value, numerator, denominator))
    return councils


# -- one measure, for any organisation ---------------------------------------------------


@dataclass(frozen=True)
class MeasureBenchmark:
    """A national measure for one organisation against its comparator group and
    the national figure, in one published period (``perfreport benchmark``)."""

    measure: Measure
    organisation: Organisation
    period: str
    value: Decimal | None
    group_name: str | None
    members: list[tuple[Organisation, Decimal | None]]
    comparison: GroupComparison | None
    national: NationalValue | None
    national_name: str
    periods: list[str]


class BenchmarkError(ValueError):
    """A measure, organisation or period that cannot be benchmarked; says why."""


def benchmark_measure(
    code: str, organisation_code: str, period: str | None = None, group: str | None = None
) -> MeasureBenchmark:
    """``organisation_code`` (a code or LA number) on measure ``code`` in ``period``
    (default: the latest), against ``group`` (default: its statistical neighbours)."""
    measure = Measure.objects.filter(code=code).first()
    if measure is None:
        raise BenchmarkError(
            f"no measure has the code {code!r}; `perfreport benchmark --list` lists them"
        )
    organisation = _organisation(organisation_code)
    labels = _periods_of(measure)
    if not labels:
        raise BenchmarkError(f"measure {code} has no values loaded")
    label = period or labels[-1]
    if label not in labels:
        raise BenchmarkError(
            f"measure {code} has no values for {label!r}; it has {', '.join(labels[-8:])}"
        )
    chosen = _chosen_group(organisation, group)
    national = _national_organisation()
    rows = dict(
        BenchmarkValue.objects.filter(measure=measure, period=label).values_list(
            "organisation_id", "value"
        )
    )
    members = []
    if chosen is not None:
        ids = list(
            chosen.memberships.exclude(organisation=organisation)
            .order_by("position")
            .values_list("organisation_id", flat=True)
        )
        by_id = Organisation.objects.in_bulk(ids)
        members = [(by_id[pk], rows.get(pk)) for pk in ids]
    polarity = Polarity(measure.polarity) if measure.polarity else None
    decimals = measure.decimals if measure.decimals is not None else 1
    comparison = (
        compare_with_group(
            rows.get(organisation.pk),
            {o.code: v for o, v in members},
            polarity,
            decimals,
            includes_home=chosen.average_includes_home,
        )
        if chosen is not None
        else None
    )
    published = rows.get(national.pk) if national is not None else None
    return MeasureBenchmark(
        measure=measure,
        organisation=organisation,
        period=label,
        value=rows.get(organisation.pk),
        group_name=chosen.name if chosen else None,
        members=members,
        comparison=comparison,
        national=national_value(published) if published is not None else None,
        national_name=national.name if national else "England",
        periods=labels,
    )


def _organisation(code: str) -> Organisation:
    found = Organisation.objects.filter(code=code).first() or (
        Organisation.objects.filter(la_number=code).first()
    )
    if found is None:
        raise BenchmarkError(f"no organisation has the code or LA number {code!r}")
    return found


def _chosen_group(organisation: Organisation, name: str | None) -> ComparatorGroup | None:
    if name is not None:
        group = ComparatorGroup.objects.filter(name=name).first()
        if group is None:
            raise BenchmarkError(f"no comparator group is called {name!r}")
        return group
    return _home_group(organisation)


def _periods_of(measure: Measure) -> list[str]:
    rows = (
        BenchmarkValue.objects.filter(measure=measure)
        .values_list("period", "last_month")
        .distinct()
    )
    return [label for label, _ in sorted(rows, key=lambda r: (r[1], revision_rank(r[0]), r[0]))]


# -- suspect values in published data ----------------------------------------------------


@dataclass(frozen=True)
class PublishedFinding:
    measure: str
    organisation: str  # its code
    organisation_name: str
    code: FindingCode
    message: str


def published_findings(measure: str | None = None) -> list[PublishedFinding]:
    """The checks of suspect values run over every organisation's published
    series of every measure (or of ``measure``), read in one ordered pass."""
    measures = Measure.objects.all() if measure is None else Measure.objects.filter(code=measure)
    info = {m.pk: (m.code, m.unit_label.lstrip().startswith("%")) for m in measures}
    names = {
        pk: (code, name)
        for pk, code, name in Organisation.objects.values_list("pk", "code", "name")
    }
    rows = (
        BenchmarkValue.objects.filter(measure_id__in=list(info))
        .order_by("measure_id", "organisation_id", "last_month", "period")
        .values_list("measure_id", "organisation_id", "period", "value")
    )
    findings: list[PublishedFinding] = []
    key: tuple[int, int] | None = None
    series: list[tuple[str, Decimal | None]] = []

    def flush() -> None:
        if key is None:
            return
        code, percent = info[key[0]]
        org_code, org_name = names[key[1]]
        for finding, message in check_published_series(series, percent=percent):
            findings.append(PublishedFinding(code, org_code, org_name, finding, message))

    for measure_id, organisation_id, period, value in rows.iterator(chunk_size=20_000):
        if (measure_id, organisation_id) != key:
            flush()
            key, series = (measure_id, organisation_id), []
        series.append((period, value))
    flush()
    return findings
