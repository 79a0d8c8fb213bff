"""Reads: the evaluation of a reporting period, built once and shared by the
CLI, the web pages and (later) the reports and the API."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from django.utils.translation import gettext

from perfreport.core.evaluation import Evaluation, evaluate_indicator
from perfreport.core.indicator import Point
from perfreport.core.periods import Period
from perfreport.core.quality import Finding, FindingCode, SeriesFacts, check_evaluations
from perfreport.core.rating import DEFAULT_SCHEME, Rating, Scheme
from perfreport.core.targets import Reference, TargetEntry, TargetKind, TargetRule
from perfreport.core.withheld import Figure, Withheld
from perfreport.data.benchmarks import IndicatorBenchmark, benchmarks_for

if TYPE_CHECKING:
    from perfreport.data.analytics import Analytics
from perfreport.data.models import Commentary, Observation
from perfreport.data.snapshots import EntrySnapshot, frozen_for, open_drafts
from perfreport.data.versions import scheme_book
from perfreport.registry.bilingual import pick
from perfreport.registry.models import Indicator, Organisation, Target
from perfreport.registry.periods import stored_period


@dataclass(frozen=True)
class IndicatorEvaluation:
    """An evaluation with the register facts the outputs print beside it."""

    evaluation: Evaluation
    indicator: Indicator
    series: tuple[Point, ...] = ()  # every value of the home organisation, in period order
    targets: tuple[TargetEntry, ...] = ()
    benchmark: IndicatorBenchmark | None = None
    withheld: tuple[Withheld, ...] = ()  # figures withheld as published, in period order

    @property
    def history(self) -> tuple[Point, ...]:
        """The values up to and including the one shown: numbers only, for
        charts, SPC and forecasts (a withheld figure is a gap in them)."""
        current = self.evaluation.current
        if current is None:
            return ()
        return tuple(p for p in self.series if p.period.last_month <= current.period.last_month)

    @property
    def figures(self) -> tuple[Figure, ...]:
        """The figures up to and including the one shown, as published: the
        values, and those withheld, for the tables of past figures."""
        if not self.withheld:
            return self.history
        current = self.evaluation.current
        if current is None:
            return ()
        last = current.period.last_month
        shown = [w for w in self.withheld if w.period.last_month <= last]
        return tuple(sorted([*self.history, *shown], key=lambda f: f.period))

    @cached_property
    def analytics(self) -> Analytics:
        """SPC, the forecast to the next milestone and the drafted commentary,
        worked out when first asked for."""
        from perfreport.data.analytics import analyse  # numpy and scipy: only when needed

        return analyse(self.history, self.targets, self.evaluation, self.benchmark)

    @property
    def directorate(self) -> str:
        return self.indicator.directorate.name if self.indicator.directorate else ""

    @property
    def service(self) -> str:
        return self.indicator.service.name if self.indicator.service else ""


@dataclass(frozen=True)
class PeriodEvaluation:
    period: Period
    organisation: Organisation | None
    rows: list[IndicatorEvaluation]
    findings: list[Finding]
    scheme: Scheme = DEFAULT_SCHEME  # the organisation's Key

    @cached_property
    def missing_printed_rating(self) -> set[str]:
        """Refs of indicators whose printed rating `check` reports as missing."""
        return {f.ref for f in self.findings if f.code is FindingCode.RATING_MISSING}

    def analyse_all(self) -> None:
        """Work out every row's analytics at once (forecasts in one vectorised
        pass), for outputs that show them all: the report, ``evaluate``."""
        from perfreport.data.analytics import analyse_many

        missing = [row for row in self.rows if "analytics" not in row.__dict__]
        items = [(r.history, r.targets, r.evaluation, r.benchmark) for r in missing]
        for row, analytics in zip(missing, analyse_many(items), strict=True):
            row.__dict__["analytics"] = analytics  # the cached_property's own slot

    @property
    def has_values(self) -> bool:
        return any(row.evaluation.current is not None for row in self.rows)


def no_values_message(period: Period) -> str:
    """Why a period cannot be reported, and which periods can."""
    labels = list(
        Observation.objects.order_by("-last_month", "-first_month")
        .values_list("period", flat=True)
        .distinct()[:200]
    )
    if not labels:
        return f"no indicator has a value at or before {period}; no values are imported yet"
    unique = list(dict.fromkeys(labels))
    more = f" and {len(unique) - 12} more" if len(unique) > 12 else ""
    return (
        f"no indicator has a value at or before {period}; "
        f"values exist for {', '.join(unique[:12])}{more}"
    )


NOT_PRINTED: tuple[Rating | None, bool] = (None, False)


def rule_references(found: IndicatorBenchmark | None) -> dict[TargetRule, Reference]:
    """The benchmarks a target rule may measure against: the national
    average, the comparator group's average and its best quarter's threshold."""
    if found is None:
        return {}
    period = found.period or ""
    references = {}
    if found.national is not None:
        name = (
            gettext("the %(name)s average of") % {"name": found.national_name}
            if found.national_name
            else gettext("the national average of")
        )
        references[TargetRule.NATIONAL] = Reference(name, found.national.value, period)
    group = found.group_name or gettext("comparator group")
    if found.mean is not None:
        references[TargetRule.COMPARATOR] = Reference(
            gettext("the %(group)s average of") % {"group": group}, found.mean.value, period
        )
    threshold = found.comparison.best_quarter_from if found.comparison else None
    if threshold is not None:
        references[TargetRule.TOP_QUARTILE] = Reference(
            gettext("the %(group)s top-quartile threshold of") % {"group": group},
            threshold,
            period,
        )
    return references


def home_organisation() -> Organisation | None:
    return Organisation.objects.filter(is_home=True).first()


def evaluate_period(
    period: Period, indicators: list[Indicator] | None = None, published_only: bool = False
) -> PeriodEvaluation:
    """Evaluate every indicator (or those given) for ``period``, a few queries in all.
    ``published_only`` leaves out draft values, as every public page must, and
    with them the printed ratings and the data-quality findings, which are the
    BI team's to act on."""
    if indicators is None:
        indicators = list(Indicator.objects.select_related("directorate", "service"))
    home = home_organisation()
    ids = [i.pk for i in indicators]
    # Each indicator's periods are in its own kind of year (calendar, academic).
    starts = {i.pk: i.year_start_month for i in indicators}
    stored = _points(ids, home, period, published_only, starts)
    points = stored.points
    stated = _stated(ids, home, period)
    targets = _targets(ids, period.fy_start_month, starts)
    commentary = _commentary(ids, period, published_only)
    if published_only:
        # A published round's report and public pages show its figures as
        # published, whatever has been restated since.
        _as_published(frozen_for(period), points, commentary, starts, stored.withheld)
    else:
        # Staff see the drafts of open rounds, even where a published figure
        # stays in place until the round publishes them.
        _with_drafts(ids, period, points, commentary, starts, stored.withheld)
    benchmarks = benchmarks_for(indicators, period, home)
    schemes = scheme_book()
    rows = []
    for indicator in indicators:
        series = points.get(indicator.pk, [])
        withheld = stored.withheld.get(indicator.pk, [])
        figures: Sequence[Figure] = series
        if withheld:
            figures = sorted([*series, *withheld], key=lambda f: f.period)
        current = _latest(figures, period)
        # Published pages take commentary only for the value they show: the
        # reporting period's may speak of a draft value.
        notes = _notes(commentary, indicator.pk, None if published_only else period, current)
        printed = (
            stated.get((indicator.pk, current.first_month), NOT_PRINTED)
            if current and not published_only
            else NOT_PRINTED
        )
        evaluation = evaluate_indicator(
            indicator.to_core(schemes),
            period,
            series,
            targets.get(indicator.pk, []),
            # The public see the rating the Key gives; a rating once printed
            # otherwise is the BI team's to reconcile, as are the findings.
            stated_rating=printed[0],
            rating_printed=printed[1],
            commentary=notes[0],
            actions=notes[1],
            withheld=withheld,
            references=rule_references(benchmarks.get(indicator.pk)),
        )
        rows.append(
            IndicatorEvaluation(
                evaluation,
                indicator,
                tuple(series),
                tuple(targets.get(indicator.pk, [])),
                benchmarks.get(indicator.pk),
                tuple(withheld),
            )
        )
    facts = _series_facts(
        rows, stored.fractions, _target_facts(ids, period, starts), stored.restated
    )
    findings = [] if published_only else check_evaluations([r.evaluation for r in rows], facts)
    return PeriodEvaluation(period, home, rows, findings, schemes.default)


def _as_published(
    frozen: dict[tuple[int, str, int], EntrySnapshot],
    points: dict[int, list[Point]],
    commentary: dict[tuple[int, str, int], tuple[str, str]],
    starts: dict[int, int],
    withheld: dict[int, list[Withheld]],
) -> None:
    for entry in frozen.values():
        indicator_id, key = entry.indicator_id, (entry.frequency, entry.first_month)
        series = [p for p in points.get(indicator_id, []) if _key(p.period) != key]
        kept = [w for w in withheld.get(indicator_id, []) if _key(w.period) != key]
        period = stored_period(*key, starts.get(indicator_id))
        if entry.value is not None:
            series.append(Point(period, entry.value))
            series.sort(key=lambda p: p.period)
        elif entry.withheld_as:
            kept = sorted([*kept, Withheld(period, entry.withheld_as)], key=lambda w: w.period)
        points[indicator_id] = series
        withheld[indicator_id] = kept
        commentary[(indicator_id, *key)] = (
            pick(entry.commentary, entry.commentary_cy),
            pick(entry.actions, entry.actions_cy),
        )


def _with_drafts(
    ids: list[int],
    period: Period,
    points: dict[int, list[Point]],
    commentary: dict[tuple[int, str, int], tuple[str, str]],
    starts: dict[int, int],
    withheld: dict[int, list[Withheld]],
) -> None:
    wanted = set(ids)
    for draft in open_drafts(period):
        indicator_id, frequency, first_month, value, text, actions, withheld_as = draft[:7]
        text_cy, actions_cy = draft[7:]
        if indicator_id not in wanted:
            continue
        key = (frequency, first_month)
        if value is not None or withheld_as:
            series = [p for p in points.get(indicator_id, []) if _key(p.period) != key]
            kept = [w for w in withheld.get(indicator_id, []) if _key(w.period) != key]
            drafted = stored_period(*key, starts.get(indicator_id, period.fy_start_month))
            if value is not None:
                series.append(Point(drafted, value))
                series.sort(key=lambda p: p.period)
            else:
                kept = sorted([*kept, Withheld(drafted, withheld_as)], key=lambda w: w.period)
            points[indicator_id] = series
            withheld[indicator_id] = kept
        if text or actions or text_cy or actions_cy:
            commentary[(indicator_id, *key)] = (pick(text, text_cy), pick(actions, actions_cy))


def _key(period: Period) -> tuple[str, int]:
    return (period.frequency.value, period.first_month)


Fraction = tuple[Decimal | None, Decimal | None]


def _series_facts(
    rows: list[IndicatorEvaluation],
    fractions: dict[tuple[int, str, int], Fraction],
    targets: _TargetFacts,
    restated: dict[int, dict[str, Decimal]],
) -> dict[str, SeriesFacts]:
    """The plain data the core's checks of suspect values need, by ref."""
    facts = {}
    for row in rows:
        current = row.evaluation.current
        if current is None:
            continue
        key = (row.indicator.pk, current.period.frequency.value, current.period.first_month)
        facts[row.indicator.ref] = SeriesFacts(
            history=row.history,
            targets=row.targets,
            fraction=fractions.get(key, (None, None)),
            target_notes=targets.notes.get(row.indicator.pk, {}),
            first_values=restated.get(row.indicator.pk, {}),
            first_targets=targets.first.get(row.indicator.pk, {}),
        )
    return facts


@dataclass
class _TargetFacts:
    """Of period targets, by indicator and period label: their notes, and the
    target first set where it has since been changed."""

    notes: dict[int, dict[str, str]]
    first: dict[int, dict[str, Decimal]]


def _target_facts(ids: list[int], period: Period, starts: dict[int, int]) -> _TargetFacts:
    facts = _TargetFacts(defaultdict(dict), defaultdict(dict))
    rows = (
        Target.objects.filter(indicator_id__in=ids, kind=TargetKind.PERIOD.value)
        .exclude(note="", first_value__isnull=True)
        .values_list("indicator_id", "frequency", "first_month", "note", "first_value")
    )
    for indicator_id, frequency, first_month, note, first_value in rows:
        start = starts.get(indicator_id, period.fy_start_month)
        label = stored_period(frequency, first_month, start).label
        if note:
            facts.notes[indicator_id][label] = note
        if first_value is not None:
            facts.first[indicator_id][label] = first_value
    return facts


def _latest(series: Sequence[Figure], period: Period) -> Period | None:
    eligible = [p.period for p in series if p.period.last_month <= period.last_month]
    return eligible[-1] if eligible else None


@dataclass
class _Stored:
    """The home organisation's values: the series, and for the checks of
    suspect values the fractions and the restated values."""

    points: dict[int, list[Point]]
    fractions: dict[tuple[int, str, int], Fraction]
    restated: dict[int, dict[str, Decimal]]
    withheld: dict[int, list[Withheld]] = field(default_factory=lambda: defaultdict(list))


def _points(
    ids: list[int],
    home: Organisation | None,
    period: Period,
    published_only: bool = False,
    starts: dict[int, int] | None = None,
) -> _Stored:
    values = Observation.objects.filter(indicator_id__in=ids, organisation=home)
    if published_only:
        values = values.published()
    rows = values.order_by("indicator_id", "last_month").values_list(
        "indicator_id", "frequency", "first_month", "value", "withheld_as"
    )
    fy = period.fy_start_month
    starts = starts or {}
    stored = _Stored(defaultdict(list), {}, defaultdict(dict))
    periods: dict[tuple[str, int, int], Period] = {}
    for indicator_id, frequency, first_month, value, withheld_as in rows:
        key = (frequency, first_month, starts.get(indicator_id, fy))
        if key not in periods:
            periods[key] = stored_period(*key)
        if value is None:
            stored.withheld[indicator_id].append(Withheld(periods[key], withheld_as))
        else:
            stored.points[indicator_id].append(Point(periods[key], value))
    # Few values have a numerator and denominator, fewer are ever restated:
    # partial indexes find them without reading every value.
    wanted = set(ids)
    home_values = Observation.objects.filter(organisation=home)
    if published_only:
        home_values = home_values.published()
    fractions = home_values.filter(numerator__isnull=False, denominator__isnull=False)
    for i, frequency, first, n, d in fractions.values_list(
        "indicator_id", "frequency", "first_month", "numerator", "denominator"
    ):
        if i in wanted:
            stored.fractions[(i, frequency, first)] = (n, d)
    restated = home_values.filter(restated_at__isnull=False)
    for i, label, first_value, value in restated.values_list(
        "indicator_id", "period", "first_value", "value"
    ):
        if i in wanted and first_value is not None and first_value != value:
            stored.restated[i][label] = first_value
    return stored


def _stated(
    ids: list[int], home: Organisation | None, period: Period
) -> dict[tuple[int, int], tuple[Rating | None, bool]]:
    """The rating printed beside each figure that came from a published
    report, and whether it did (a rating left blank there is a finding).
    Figures with a blank rating are read only when some rating is printed:
    otherwise no finding can name them (check_evaluations' printed_in_use)."""
    mine = Observation.objects.filter(indicator_id__in=ids, organisation=home)
    printed = {
        (i, first): (Rating(rag), True)
        for i, first, rag in mine.exclude(stated_rag="").values_list(
            "indicator_id", "first_month", "stated_rag"
        )
    }
    if not printed:
        return {}
    blank = mine.filter(stated_rag="", rating_printed=True).values_list(
        "indicator_id", "first_month"
    )
    return {**{key: (None, True) for key in blank}, **printed}


def _targets(
    ids: list[int], fy: int, starts: dict[int, int] | None = None
) -> dict[int, list[TargetEntry]]:
    targets: dict[int, list[TargetEntry]] = defaultdict(list)
    rows = Target.objects.filter(indicator_id__in=ids).values_list(
        "indicator_id", "kind", "frequency", "first_month", "value"
    )
    starts = starts or {}
    for indicator_id, kind, frequency, first_month, value in rows:
        period = stored_period(frequency, first_month, starts.get(indicator_id, fy))
        entry = TargetEntry(period, value, TargetKind(kind))
        targets[indicator_id].append(entry)
    return targets


def _commentary(
    ids: list[int], period: Period, published_only: bool
) -> dict[tuple[int, str, int], tuple[str, str]]:
    rows = Commentary.objects.filter(indicator_id__in=ids, last_month__lte=period.last_month)
    if published_only:
        rows = rows.published()
    # The commentary in the page's language: the Welsh where it is written (issue 17).
    return {
        (indicator_id, frequency, first_month): (pick(text, text_cy), pick(actions, actions_cy))
        for indicator_id, frequency, first_month, text, actions, text_cy, actions_cy in (
            rows.values_list(
                "indicator_id",
                "frequency",
                "first_month",
                "text",
                "actions",
                "text_cy",
                "actions_cy",
            )
        )
    }


def _notes(
    commentary: dict[tuple[int, str, int], tuple[str, str]],
    indicator_id: int,
    period: Period | None,
    current: Period | None,
) -> tuple[str, str]:
    """Commentary for the reporting period itself, else for the value shown."""
    for wanted in (period, current):
        if wanted is not None:
            key = (indicator_id, wanted.frequency.value, wanted.first_month)
            if key in commentary:
                return commentary[key]
    return "", ""
