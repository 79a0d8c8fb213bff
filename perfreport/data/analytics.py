"""Statistical process control, the forecast to a target date and the drafted
commentary of one evaluated indicator: the core's functions fed from the
evaluation, in one place for the report, the JSON and the web pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from perfreport.core.commentary import CommentaryFacts, draft_commentary
from perfreport.core.evaluation import Evaluation
from perfreport.core.indicator import Aggregation, Point
from perfreport.core.periods import Frequency, Period, iter_periods
from perfreport.core.rating import Polarity
from perfreport.core.spc import SpcResult, xmr
from perfreport.core.targets import TargetEntry, TargetKind
from perfreport.core.units import format_value, round_to
from perfreport.core.withheld import Withheld, value_of
from perfreport.data.benchmarks import IndicatorBenchmark

if TYPE_CHECKING:
    from perfreport.core.forecast import Forecast, RunRate

MIN_FORECAST_POINTS = 6
INTERVAL = 0.8  # the forecast's prediction interval: 80%


@dataclass(frozen=True)
class Analytics:
    spc: SpcResult | None
    spc_periods: tuple[str, ...]  # the period of each SPC point, gaps included
    forecast: Forecast | None
    forecast_target: TargetEntry | None  # the milestone forecast to
    forecast_sentence: str
    draft: str
    run_rate: RunRate | None = None  # a cumulative indicator's pace against its year-end target
    run_rate_sentence: str = ""


def analyse(
    history: tuple[Point, ...],
    targets: tuple[TargetEntry, ...],
    evaluation: Evaluation,
    benchmark: IndicatorBenchmark | None,
) -> Analytics:
    """SPC over the values up to the one shown (a missing period is a gap),
    a forecast to the next milestone target after it, and a draft paragraph."""
    return analyse_many([(history, targets, evaluation, benchmark)])[0]


Inputs = tuple[tuple[Point, ...], tuple[TargetEntry, ...], Evaluation, IndicatorBenchmark | None]


def analyse_many(items: Sequence[Inputs]) -> list[Analytics]:
    """:func:`analyse` for many indicators, with every forecast worked out in
    one vectorised pass (linear trend and damped Holt) rather than one by one."""
    prepared = [_prepare(*item) for item in items]
    wanted = [i for i, p in enumerate(prepared) if p.steps >= 1 and p.count >= MIN_FORECAST_POINTS]
    forecasts = _forecasts([prepared[i] for i in wanted])
    by_index = dict(zip(wanted, forecasts, strict=True))
    results = []
    for i, (item, p) in enumerate(zip(items, prepared, strict=True)):
        evaluation, benchmark = item[2], item[3]
        spec = evaluation.indicator
        forecast = by_index.get(i)
        sentence = ""
        if forecast is not None and p.milestone is not None:
            from perfreport.core.forecast import describe_forecast

            sentence = describe_forecast(
                forecast, spec.unit_format, spec.decimals, p.milestone.period.long_label
            )
        run_rate, run_rate_sentence = _run_rate(evaluation, item[1])
        results.append(
            Analytics(
                run_rate=run_rate,
                run_rate_sentence=run_rate_sentence,
                spc=p.spc,
                spc_periods=p.labels,
                forecast=forecast,
                forecast_target=p.milestone if forecast is not None else None,
                forecast_sentence=sentence,
                draft=draft_commentary(_facts(evaluation, p.spc, benchmark, sentence)),
            )
        )
    return results


@dataclass(frozen=True)
class _Prepared:
    labels: tuple[str, ...]
    values: list[Decimal | None]
    count: int
    spc: SpcResult | None
    milestone: TargetEntry | None
    steps: int
    polarity: Polarity


def _prepare(
    history: tuple[Point, ...],
    targets: tuple[TargetEntry, ...],
    evaluation: Evaluation,
    benchmark: IndicatorBenchmark | None,
) -> _Prepared:
    spec = evaluation.indicator
    # A withheld latest figure is a gap at the end of the series, not left out.
    withheld = evaluation.current if isinstance(evaluation.current, Withheld) else None
    periods, values = _with_gaps(history, spec.decimals, withheld.period if withheld else None)
    improvement = "increase" if spec.polarity is Polarity.HIGHER else "decrease"
    target = evaluation.target.value if evaluation.target else None
    spc = (
        xmr(values, improvement=improvement, target=target, unit=spec.unit_format)
        if values
        else None
    )
    current = evaluation.current.period if evaluation.current else None
    milestone = _next_milestone(targets, current)
    steps = _steps(current, milestone.period) if current and milestone else 0
    return _Prepared(
        labels=tuple(p.label for p in periods),
        values=values,
        count=sum(1 for v in values if v is not None),
        spc=spc,
        milestone=milestone,
        steps=steps,
        polarity=spec.polarity,
    )


def _forecasts(prepared: list[_Prepared]) -> list[Forecast | None]:
    if not prepared:
        return []
    # numpy, scipy and the models load only when there is something to forecast.
    import numpy as np

    from perfreport.core.forecast import Forecast, damped_holt_forecasts, linear_forecasts

    width = max(len(p.values) for p in prepared)
    matrix = np.full((len(prepared), width), np.nan)
    for row, p in enumerate(prepared):  # right-aligned: the last column is the latest period
        matrix[row, width - len(p.values) :] = [np.nan if v is None else float(v) for v in p.values]
    steps = np.array([p.steps for p in prepared])
    targets = np.array([float(p.milestone.value) if p.milestone else np.nan for p in prepared])
    polarities = [p.polarity for p in prepared]
    batches = [
        linear_forecasts(matrix, steps, targets, polarities, interval=INTERVAL),
        damped_holt_forecasts(matrix, steps, targets, polarities, interval=INTERVAL),
    ]
    forecasts: list[Forecast | None] = []
    for row, p in enumerate(prepared):
        projections = tuple(
            projection for batch in batches if (projection := batch.projection(row)) is not None
        )
        if not projections or p.milestone is None:
            forecasts.append(None)
            continue
        forecasts.append(Forecast(p.milestone.value, p.polarity, p.steps, INTERVAL, projections))
    return forecasts


def _run_rate(
    evaluation: Evaluation, targets: tuple[TargetEntry, ...]
) -> tuple[RunRate | None, str]:
    """For a cumulative indicator (a running total through the financial year)
    with a target for the whole year: the amount needed each remaining period
    to reach it, against the pace so far."""
    spec, current = evaluation.indicator, evaluation.current
    if spec.aggregation is not Aggregation.CUMULATIVE or not isinstance(current, Point):
        return None, ""  # none, or withheld: no pace to work out
    year = current.period.containing(Frequency.ANNUAL)
    target = next((t for t in targets if t.kind is TargetKind.PERIOD and t.period == year), None)
    size = current.period.frequency.months
    if target is None or size >= 12:
        return None, ""
    from perfreport.core.forecast import describe_run_rate, run_rate_needed

    rate = run_rate_needed(
        current.value,
        target.value,
        (year.last_month - current.period.last_month) // size,
        (current.period.last_month - year.first_month + 1) // size,
        polarity=spec.polarity,
    )
    if rate is None:
        return None, ""
    # The English word: describe_run_rate words it in the active language.
    word = "month" if current.period.frequency is Frequency.MONTHLY else "quarter"
    return rate, describe_run_rate(
        rate, spec.unit_format, spec.decimals, period_word=word, target_label=year.long_label
    )


def _with_gaps(
    history: tuple[Point, ...], decimals: int, until: Period | None = None
) -> tuple[list[Period], list[Decimal | None]]:
    """The values as published (rounded to the indicator's decimals), with None
    for each period between them that has no value, and up to ``until`` (a
    withheld latest figure) when it is later."""
    if not history:
        return [], []
    first, last = history[0].period, history[-1].period
    values = [round_to(p.value, decimals) for p in history]
    span = (last.first_month - first.first_month) // first.frequency.months + 1
    if span == len(history) and until is None:  # no gaps: the usual case, and quicker
        return [p.period for p in history], list(values)
    by_period = dict(zip((p.period for p in history), values, strict=True))
    periods = list(iter_periods(first, until if until and until > last else last))
    return periods, [by_period.get(p) for p in periods]


def _next_milestone(targets: tuple[TargetEntry, ...], after: Period | None) -> TargetEntry | None:
    if after is None:
        return None
    ahead = [
        t
        for t in targets
        if t.kind is TargetKind.MILESTONE and t.period.last_month > after.last_month
    ]
    return min(ahead, key=lambda t: t.period.last_month, default=None)


def _steps(current: Period, target: Period) -> int:
    months = target.last_month - current.last_month
    size = current.frequency.months
    return -(-months // size)


def _facts(
    evaluation: Evaluation,
    spc: SpcResult | None,
    benchmark: IndicatorBenchmark | None,
    forecast_sentence: str,
) -> CommentaryFacts:
    e, spec = evaluation, evaluation.indicator

    def shown(value: Decimal | None) -> str | None:
        return format_value(value, spec.unit_format, spec.decimals) if value is not None else None

    value_text = shown(value_of(e.current))
    if isinstance(e.current, Withheld):
        value_text = f'withheld as published ("{e.current.printed}")'

    mean = benchmark.mean if benchmark else None
    national = benchmark.national if benchmark else None
    return CommentaryFacts(
        period_label=e.current.period.long_label if e.current else None,
        value_text=value_text,
        polarity=spec.polarity,
        change=e.change,
        previous_text=shown(value_of(e.previous)),
        previous_period_label=e.previous.period.long_label if e.previous else None,
        target_text=shown(e.target.value) if e.target else None,
        rating=e.rating,
        rating_label=e.rating_label or None,
        standing=_standing(e),
        rating_explanation=e.explanation,
        spc_sentence=spc.explanation if spc is not None and spc.latest is not None else None,
        benchmark=benchmark.comparison if benchmark else None,
        group_name=_group_words(benchmark),
        neighbours_mean_text=shown(mean.value) if mean else None,
        neighbours_mean_basis=mean.basis if mean else None,
        national_text=shown(national.value) if national else None,
        national_label=benchmark.national_name if benchmark else "England",
        national_basis=national.basis if national else None,
        forecast_sentence=forecast_sentence or None,
    )


def _standing(e: Evaluation) -> int | None:
    """1 when the value shown is better than its target, 0 on it, -1 worse,
    as printed; None with no value or target."""
    if not isinstance(e.current, Point) or e.target is None:
        return None
    spec = e.indicator
    better = spec.polarity.better_by(
        round_to(e.current.value, spec.decimals), round_to(e.target.value, spec.decimals)
    )
    return (better > 0) - (better < 0)


def _group_words(benchmark: IndicatorBenchmark | None) -> str:
    name = benchmark.group_name if benchmark else None
    if not name or name.lower().startswith("statistical neighbours"):
        return "statistical neighbours"
    return name
