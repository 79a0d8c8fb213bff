"""Forecast to target: where an indicator is heading, and its chance of reaching a target in time.

For an indicator with a target date (the seed's broadband "99% by the end of 2020"), the values
so far are projected to that date by each of two methods, each with an 80% prediction interval
and the probability that the value at the target date meets the target (at or above it when
higher is better, at or below when lower is better):

* **linear trend**: a straight line fitted by ordinary least squares on the period number. The
  interval and the probability come from Student's t with n - 2 degrees of freedom and the
  standard error of prediction s * sqrt(1 + 1/n + (x - mean x)^2 / Sxx) (the prediction of a
  new observation in any regression text, e.g. Montgomery, Peck and Vining, *Introduction to
  Linear Regression Analysis*, chapter 2).
* **damped Holt trend**: exponential smoothing with an additive damped trend, ETS(A,Ad,N)
  (Gardner and McKenzie 1985), fitted by maximum likelihood with statsmodels' ``ETSModel`` within
  its default bounds (0.8 <= phi <= 0.98). The interval uses the model's exact forecast variance
  (Hyndman, Koehler, Ord and Snyder 2008, *Forecasting with Exponential Smoothing*, chapter 6)
  with sigma^2 = SSE / (n - 5), as R's forecast::ets estimates it, rather than statsmodels'
  SSE / n, which makes short series look surer than they are; the probability is from the normal.

A forecast needs :data:`MIN_POINTS` (6) values. The damped Holt trend needs
:data:`HOLT_MIN_POINTS` (10) consecutive values (forecast::ets will not damp fewer): it has five
quantities to estimate. Missing values (``None``, NaN) are gaps: the linear trend fits the values
it has at their own period numbers; the damped Holt trend fits the latest unbroken run, because
smoothing needs evenly spaced values and interpolating would invent some.

:func:`damped_holt_forecasts` fits many series at once with the same model and likelihood but
its own search (a grid over the smoothing parameters with the initial state solved by least
squares, then a pattern search), about 30 times faster than statsmodels one series at a time;
the estimator itself is in :mod:`perfreport.core.holt`.
For cumulative measures :func:`run_rate_needed` gives the amount needed per remaining period.

>>> f = forecast_to_target([97.30, 97.42, 97.55, 97.66, 97.78, 97.83], steps=1,
...                        target=Decimal(99), polarity=Polarity.HIGHER)
>>> describe_forecast(f, Unit.PERCENT, 2, "December 2020")
'On the linear trend, 97.97% is projected for December 2020 (80% interval 97.92% to 98.03%): less than a 1% chance of reaching the 99.00% target.'
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import ndtr, ndtri, stdtr, stdtrit  # type: ignore[import-untyped, unused-ignore]

from perfreport.core.holt import ESTIMATES, Bools, Floats, Ints, fit_damped_holt, latest_runs
from perfreport.core.i18n import N_, _, ngettext
from perfreport.core.rating import Polarity
from perfreport.core.units import Unit, UnitLike, format_value

__all__ = [
    "HOLT_MIN_POINTS",
    "MIN_POINTS",
    "BatchForecast",
    "Forecast",
    "Method",
    "ProjectedPoint",
    "Projection",
    "RunRate",
    "RunRateStatus",
    "damped_holt_forecasts",
    "describe_forecast",
    "describe_projection",
    "describe_run_rate",
    "forecast_to_target",
    "linear_forecasts",
    "run_rate_needed",
]

MIN_POINTS = 6
HOLT_MIN_POINTS = 10


class Method(StrEnum):
    LINEAR = "linear"
    DAMPED_HOLT = "damped_holt"

    @property
    def label(self) -> str:
        """The method's name in a sentence: "On the linear trend, ..."."""
        return _(_LABELS[self])

    @property
    def description(self) -> str:
        return _(_DESCRIPTIONS[self])


_LABELS = {Method.LINEAR: N_("linear trend"), Method.DAMPED_HOLT: N_("damped Holt trend")}
_DESCRIPTIONS = {
    Method.LINEAR: N_("linear trend (a straight line fitted by least squares)"),
    Method.DAMPED_HOLT: N_("damped Holt trend (additive damped trend exponential smoothing)"),
}
# The projection's sentence, one a method, so that each language words the method's name.
_PROJECTED = {
    Method.LINEAR: N_(
        "On the linear trend, %(value)s is projected for %(period)s (%(interval)s%% interval "
        "%(lower)s to %(upper)s)"
    ),
    Method.DAMPED_HOLT: N_(
        "On the damped Holt trend, %(value)s is projected for %(period)s (%(interval)s%% "
        "interval %(lower)s to %(upper)s)"
    ),
}


@dataclass(frozen=True, slots=True)
class ProjectedPoint:
    """The projection ``step`` periods after the latest period, with its prediction interval."""

    step: int
    mean: float
    lower: float
    upper: float


@dataclass(frozen=True, slots=True)
class Projection:
    """One method's path to the target date (steps 1 to the target's) and its chance of meeting
    the target there; ``points`` is how many values it was fitted to."""

    method: Method
    path: tuple[ProjectedPoint, ...]
    probability: float | None
    points: int

    @property
    def at_target(self) -> ProjectedPoint:
        return self.path[-1]

    @property
    def likely(self) -> bool:
        return self.probability is not None and self.probability >= 0.5


@dataclass(frozen=True, slots=True)
class Forecast:
    """Every method's projection of one indicator to its target date, ``steps`` periods on."""

    target: Decimal
    polarity: Polarity
    steps: int
    interval: float
    projections: tuple[Projection, ...]

    def projection(self, method: Method | str) -> Projection | None:
        return next((p for p in self.projections if p.method == method), None)

    @property
    def summary(self) -> str:
        """Plain numbers to one decimal place: reports use :func:`describe_forecast`."""
        return describe_forecast(self)


@dataclass(frozen=True, slots=True, eq=False)
class BatchForecast:
    """One method's forecasts for many series: row i of ``mean``, ``lower`` and ``upper`` is the
    path for steps 1 to ``steps[i]`` (NaN after it); ``probability`` is at each row's own target
    date, NaN where the row has no target. Rows with ``points == 0`` were not forecast.

    ``parameters`` are the fitted model's, a row per series: for the linear trend the level at
    the latest period and the slope per period; for the damped Holt trend alpha, beta and phi.
    """

    method: Method
    interval: float
    steps: Ints
    points: Ints
    mean: Floats
    lower: Floats
    upper: Floats
    probability: Floats
    parameters: Floats

    def projection(self, row: int) -> Projection | None:
        if self.points[row] == 0:
            return None
        path = tuple(
            ProjectedPoint(k + 1, *(float(a[row, k]) for a in (self.mean, self.lower, self.upper)))
            for k in range(int(self.steps[row]))
        )
        chance = float(self.probability[row])
        return Projection(
            self.method, path, None if np.isnan(chance) else chance, int(self.points[row])
        )


def forecast_to_target(
    values: Sequence[Decimal | float | None],
    *,
    steps: int,
    target: Decimal,
    polarity: Polarity,
    interval: float = 0.8,
    methods: Iterable[Method | str] = (Method.LINEAR, Method.DAMPED_HOLT),
) -> Forecast | None:
    """Project ``values`` (evenly spaced periods, oldest first, ``None`` for a gap) to the target
    date, ``steps`` periods after the last of them, by each method that can (rules above).

    ``None`` when no forecast is meaningful: fewer than 6 values, or a target date that is not
    after the latest period. The damped Holt trend is fitted by statsmodels (the reference; see
    :func:`damped_holt_forecasts` for many indicators at once).
    """
    _check_interval(interval)
    series = np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
    if steps < 1 or np.count_nonzero(~np.isnan(series)) < MIN_POINTS:
        return None
    projections = []
    for method in dict.fromkeys(Method(m) for m in methods):
        if method is Method.LINEAR:
            batch = linear_forecasts(
                series[None, :], steps, float(target), polarity, interval=interval
            )
        else:
            batch = _damped_holt_statsmodels(series, steps, float(target), polarity, interval)
        projection = batch.projection(0)
        if projection is not None:
            projections.append(projection)
    if not projections:
        return None
    return Forecast(target, polarity, steps, interval, tuple(projections))


def linear_forecasts(
    matrix: ArrayLike,
    steps: int | ArrayLike,
    targets: float | ArrayLike,
    polarities: Polarity | Sequence[Polarity],
    *,
    interval: float = 0.8,
) -> BatchForecast:
    """The linear trend for every row of ``matrix`` (series x periods, NaN for gaps) at once.

    ``steps``, ``targets`` (NaN: no target) and ``polarities`` are one per row or one for all.
    Rows with fewer than 6 values, or ``steps`` below 1, are not forecast.
    """
    _check_interval(interval)
    y, steps_, targets_, higher = _batch_inputs(matrix, steps, targets, polarities)
    present = ~np.isnan(y)
    n = present.sum(axis=1)
    x = np.arange(y.shape[1], dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_mean = np.where(present, x, 0.0).sum(axis=1) / n
        y_mean = np.where(present, y, 0.0).sum(axis=1) / n
        dx = np.where(present, x - x_mean[:, None], 0.0)
        dy = np.where(present, y - y_mean[:, None], 0.0)
        sxx = (dx * dx).sum(axis=1)
        slope = (dx * dy).sum(axis=1) / sxx
        s2 = ((dy - slope[:, None] * dx) ** 2).sum(axis=1) / (n - 2)
        ahead = x[-1] + np.arange(1, _horizon(steps_) + 1) - x_mean[:, None]
        mean = y_mean[:, None] + slope[:, None] * ahead
        se = np.sqrt(s2[:, None] * (1 + 1 / n[:, None] + ahead**2 / sxx[:, None]))
        latest = np.stack([y_mean + slope * (x[-1] - x_mean), slope], axis=1)
    df = (n - 2).astype(np.float64)
    forecast = (n >= MIN_POINTS) & (steps_ >= 1)
    return _batch_result(
        Method.LINEAR, interval, steps_, np.where(forecast, n, 0), mean, se, targets_, higher,
        latest, quantile=stdtrit(df, 0.5 + interval / 2), cdf=lambda q: stdtr(df, q),
    )  # fmt: skip


def damped_holt_forecasts(
    matrix: ArrayLike,
    steps: int | ArrayLike,
    targets: float | ArrayLike,
    polarities: Polarity | Sequence[Polarity],
    *,
    interval: float = 0.8,
) -> BatchForecast:
    """The damped Holt trend for every row of ``matrix`` at once (arguments as
    :func:`linear_forecasts`).

    Same model, likelihood and bounds as statsmodels, but a global search where statsmodels'
    is local: a 9 x 6 x 9 grid over (alpha, beta/alpha, phi), the initial level and trend solved
    by least squares for each point (the one-step errors are linear in them), then a pattern
    search from the best point and from the best with alpha at its bound. It agrees with
    :func:`forecast_to_target` where both reach the same optimum (the tests state how closely);
    where they do not, its fit is nearly always the better one.
    """
    _check_interval(interval)
    y, steps_, targets_, higher = _batch_inputs(matrix, steps, targets, polarities)
    runs, lengths, trailing = latest_runs(y)
    fitted = (lengths >= HOLT_MIN_POINTS) & (steps_ >= 1)
    mean = np.full((len(y), _horizon(steps_)), np.nan)
    se = np.full_like(mean, np.nan)
    parameters = np.full((len(y), 3), np.nan)
    if fitted.any():
        m, s, p = fit_damped_holt(runs[fitted], lengths[fitted], trailing[fitted], mean.shape[1])
        mean[fitted], se[fitted], parameters[fitted] = m, s, p
    return _batch_result(
        Method.DAMPED_HOLT, interval, steps_, np.where(fitted, lengths, 0), mean, se, targets_,
        higher, parameters, quantile=np.full(len(y), ndtri(0.5 + interval / 2)), cdf=ndtr,
    )  # fmt: skip


def _check_interval(interval: float) -> None:
    if not 0 < interval < 1:
        raise ValueError(f"the interval must be between 0 and 1 (0.8 for 80%), not {interval}")


def _batch_inputs(
    matrix: ArrayLike,
    steps: int | ArrayLike,
    targets: float | ArrayLike,
    polarities: Polarity | Sequence[Polarity],
) -> tuple[Floats, Ints, Floats, Bools]:
    y = np.asarray(matrix, dtype=np.float64)
    if y.ndim != 2:
        raise ValueError(f"expected series x periods, a 2-D array, not {y.ndim}-D")
    rows = y.shape[0]
    steps_ = np.broadcast_to(np.asarray(steps, dtype=np.int64), (rows,))
    targets_ = np.broadcast_to(np.asarray(targets, dtype=np.float64), (rows,))
    if isinstance(polarities, Polarity):
        higher = np.full(rows, polarities is Polarity.HIGHER)
    else:
        higher = np.array([Polarity(p) is Polarity.HIGHER for p in polarities], dtype=np.bool_)
        if higher.shape != (rows,):
            raise ValueError(f"{len(higher)} polarities for {rows} series")
    return y, steps_, targets_, higher


def _horizon(steps: Ints) -> int:
    return max(1, int(steps.max(initial=1)))


def _batch_result(
    method: Method,
    interval: float,
    steps: Ints,
    points: Ints,
    mean: Floats,
    se: Floats,
    targets: Floats,
    higher: Bools,
    parameters: Floats,
    *,
    quantile: Floats,
    cdf: Callable[[Floats], Floats],
) -> BatchForecast:
    """Intervals from ``quantile`` (one per row), the chance of meeting the target from ``cdf`` of
    the standardised margin. A perfect fit (a standard error at rounding-noise level) gives a
    chance of 0 or 1, and a margin at that level counts as meeting the target."""
    beyond = np.arange(mean.shape[1]) >= steps[:, None]
    unused = beyond | (points == 0)[:, None]
    mean = np.where(unused, np.nan, mean)
    spread = np.where(unused, np.nan, quantile[:, None] * se)
    row = np.arange(len(steps))
    at = np.clip(steps - 1, 0, mean.shape[1] - 1)
    margin = np.where(higher, mean[row, at] - targets, targets - mean[row, at])
    noise = 1e-9 * np.maximum(1.0, np.maximum(np.abs(targets), np.abs(mean[row, at])))
    margin = np.where(np.abs(margin) <= noise, 0.0, margin)
    with np.errstate(divide="ignore", invalid="ignore"):
        spread_at = se[row, at]
        exact = (margin >= 0).astype(np.float64)
        chance = np.where(spread_at > noise, cdf(margin / spread_at), exact)
    chance = np.where(np.isnan(margin), np.nan, chance)
    parameters = np.where((points == 0)[:, None], np.nan, parameters)
    return BatchForecast(
        method, interval, steps, points, mean, mean - spread, mean + spread, chance, parameters
    )


def _damped_holt_statsmodels(
    series: Floats, steps: int, target: float, polarity: Polarity, interval: float
) -> BatchForecast:
    """The reference fit: statsmodels' ETSModel on the latest unbroken run, one series."""
    runs, lengths, trailing = latest_runs(series[None, :])
    length = int(lengths[0]) if lengths[0] >= HOLT_MIN_POINTS else 0
    mean, se = np.full((1, steps), np.nan), np.full((1, steps), np.nan)
    parameters = np.full((1, 3), np.nan)
    if length:
        mean[0], se[0], parameters[0] = _statsmodels_fit(runs[0, -length:], steps, int(trailing[0]))
    return _batch_result(
        Method.DAMPED_HOLT, interval, np.array([steps]), np.array([length]), mean, se,
        np.array([target]), np.array([polarity is Polarity.HIGHER]), parameters,
        quantile=np.array([ndtri(0.5 + interval / 2)]), cdf=ndtr,
    )  # fmt: skip


def _statsmodels_fit(run: Floats, steps: int, skip: int) -> tuple[Floats, Floats, Floats]:
    """Mean and standard error ``skip`` + 1 to ``skip`` + ``steps`` periods after ``run``, and
    the fitted alpha, beta and phi."""
    # Imported here: statsmodels and pandas take most of a second to import, and only this
    # reference path needs them.
    import pandas as pd  # type: ignore[import-untyped, unused-ignore]
    from statsmodels.tools.sm_exceptions import (  # type: ignore[import-untyped, unused-ignore]
        ConvergenceWarning,
    )
    from statsmodels.tsa.exponential_smoothing.ets import (  # type: ignore[import-untyped, unused-ignore]
        ETSModel,
    )

    # A pandas Series: statsmodels 0.15's get_prediction fails on a bare array.
    model = ETSModel(pd.Series(run), error="add", trend="add", damped_trend=True)
    with warnings.catch_warnings():
        # L-BFGS warns when it stops short of its tolerance, as it does on a flat or perfectly
        # regular run (no error at all: a degenerate likelihood) whose fit is still the flat or
        # regular line. The warning would reach only the server log, once per indicator per
        # page. Only that category is silenced, and only around this call.
        warnings.simplefilter("ignore", ConvergenceWarning)
        fit = model.fit(disp=False)
    prediction = fit.get_prediction(start=len(run), end=len(run) + skip + steps - 1)
    mean = np.asarray(prediction.predicted_mean, dtype=np.float64)[skip:]
    variance = np.asarray(prediction.var_pred_mean, dtype=np.float64)[skip:]
    # statsmodels estimates sigma^2 as SSE / n; forecast::ets's SSE / (n - 5), as in the batch.
    variance = variance * len(run) / (len(run) - ESTIMATES)
    parameters = np.asarray(fit.params, dtype=np.float64)[:3]  # alpha, beta, phi
    return mean, np.sqrt(variance), parameters


def describe_forecast(
    forecast: Forecast, unit: UnitLike = Unit.NUMBER, decimals: int = 1, period_label: str = ""
) -> str:
    """One sentence per method, in the indicator's unit and decimals (see the module example)."""
    return " ".join(
        describe_projection(p, forecast.target, forecast.interval, unit, decimals, period_label)
        for p in forecast.projections
    )


def describe_projection(
    projection: Projection,
    target: Decimal,
    interval: float,
    unit: UnitLike,
    decimals: int,
    period_label: str = "",
) -> str:
    """ "On the linear trend, 97.97% is projected for December 2020 (80% interval 97.92% to
    98.03%): less than a 1% chance of reaching the 99.00% target." """
    point = projection.at_target

    def shown(number: float) -> str:
        return format_value(Decimal(repr(number)), unit, decimals)

    text = _(_PROJECTED[projection.method]) % {
        "value": shown(point.mean),
        "period": period_label or _("the target date"),
        "interval": f"{interval * 100:g}",
        "lower": shown(point.lower),
        "upper": shown(point.upper),
    }
    if projection.probability is None:
        return f"{text}."
    goal = format_value(target, unit, decimals)
    return _("%(projection)s: %(chance)s of reaching the %(goal)s target.") % {
        "projection": text,
        "chance": _chance(projection.probability),
        "goal": goal,
    }


def _chance(probability: float) -> str:
    percent = int(Decimal(repr(probability * 100)).quantize(Decimal(1), ROUND_HALF_UP))
    if percent < 1:
        return _("less than a %(percent)s%% chance") % {"percent": 1}
    if percent > 99:
        return _("more than a %(percent)s%% chance") % {"percent": 99}
    if percent in (8, 11, 18) or 80 <= percent <= 89:
        return _("an %(percent)s%% chance") % {"percent": percent}
    return _("a %(percent)s%% chance") % {"percent": percent}


class RunRateStatus(StrEnum):
    NEEDED = "needed"  # the target is still ahead (or, lower is better, not yet passed)
    MET = "met"  # a higher-is-better total has already reached its target
    EXCEEDED = "exceeded"  # a lower-is-better total has already gone past its limit


@dataclass(frozen=True, slots=True)
class RunRate:
    """A cumulative measure's progress against a total to reach (or, lower is better, to stay
    within) by the end of ``remaining_periods`` more periods."""

    to_date: Decimal
    target_total: Decimal
    remaining_periods: int
    periods_elapsed: int
    polarity: Polarity = Polarity.HIGHER

    @property
    def status(self) -> RunRateStatus:
        if self.polarity is Polarity.HIGHER and self.to_date >= self.target_total:
            return RunRateStatus.MET
        if self.polarity is Polarity.LOWER and self.to_date > self.target_total:
            return RunRateStatus.EXCEEDED
        return RunRateStatus.NEEDED

    @property
    def needed_per_period(self) -> Decimal:
        """(target - to date) / remaining periods: the least to add each period (higher is
        better) or the most that can be added (lower is better); 0 once met or exceeded."""
        if self.status is not RunRateStatus.NEEDED:
            return Decimal(0)
        return (self.target_total - self.to_date) / self.remaining_periods

    @property
    def achieved_per_period(self) -> Decimal | None:
        """To date / periods elapsed; ``None`` before the first period is over."""
        return self.to_date / self.periods_elapsed if self.periods_elapsed else None

    @property
    def above_achieved(self) -> bool | None:
        """Whether the rate needed is above the rate so far (``None`` with no rate so far)."""
        achieved = self.achieved_per_period
        return None if achieved is None else self.needed_per_period > achieved


def run_rate_needed(
    to_date: Decimal,
    target_total: Decimal,
    remaining_periods: int,
    periods_elapsed: int,
    *,
    polarity: Polarity = Polarity.HIGHER,
) -> RunRate | None:
    """The run rate a cumulative measure needs to reach ``target_total`` in time.

    ``None`` when no periods remain: the total is then the outturn, rated as usual. A target
    already met (or, lower is better, a limit already passed) is a result, with status MET or
    EXCEEDED.

    >>> run_rate_needed(Decimal(500), Decimal(1200), 2, 2).needed_per_period
    Decimal('350')
    """
    if periods_elapsed < 0:
        raise ValueError(f"periods elapsed must be 0 or more, not {periods_elapsed}")
    if remaining_periods < 1:
        return None
    return RunRate(to_date, target_total, remaining_periods, periods_elapsed, polarity)


def describe_run_rate(
    rate: RunRate,
    unit: UnitLike = Unit.COUNT,
    decimals: int = 0,
    *,
    period_word: str = "period",
    target_label: str = "",
) -> str:
    """ "To reach 1,200 by 2020/21 Q4, 350 a quarter are needed over the 2 remaining quarters;
    250 a quarter have been achieved so far."

    The rate needed is rounded up when higher is better and down when lower is better, so that
    the rate shown, kept up, is enough.
    """
    goal = format_value(rate.target_total, unit, decimals)
    so_far = format_value(rate.to_date, unit, decimals)
    words = {"goal": goal, "so_far": so_far, "by": target_label}
    if rate.status is RunRateStatus.MET:
        return _(_MET[bool(target_label)]) % words
    if rate.status is RunRateStatus.EXCEEDED:
        return _(_EXCEEDED[bool(target_label)]) % words
    higher = rate.polarity is Polarity.HIGHER
    step = Decimal(1).scaleb(-decimals)
    needed = rate.needed_per_period.quantize(step, ROUND_CEILING if higher else ROUND_FLOOR)
    words["rate"] = _per_period(format_value(needed, unit, decimals), period_word)
    words["over"] = _remaining(rate.remaining_periods, period_word)
    text = _(_NEEDED[higher, bool(target_label)]) % words
    achieved = rate.achieved_per_period
    if achieved is None:
        return f"{text}."
    so_far_rate = _per_period(format_value(achieved, unit, decimals), period_word)
    if higher:
        return _("%(text)s; %(rate)s have been achieved so far.") % {
            "text": text,
            "rate": so_far_rate,
        }
    return _("%(text)s; %(rate)s have been recorded so far.") % {"text": text, "rate": so_far_rate}


# The run rate's sentences, by whether a date ("by 2020/21 Q4") is given.
_MET = {
    True: N_("The %(so_far)s achieved so far already meets the %(goal)s target by %(by)s."),
    False: N_("The %(so_far)s achieved so far already meets the %(goal)s target."),
}
_EXCEEDED = {
    True: N_("The %(so_far)s recorded so far is already over the %(goal)s limit by %(by)s."),
    False: N_("The %(so_far)s recorded so far is already over the %(goal)s limit."),
}
_NEEDED = {
    (True, True): N_("To reach %(goal)s by %(by)s, %(rate)s are needed over %(over)s"),
    (True, False): N_("To reach %(goal)s, %(rate)s are needed over %(over)s"),
    (False, True): N_(
        "To stay within %(goal)s by %(by)s, at most %(rate)s can be added over %(over)s"
    ),
    (False, False): N_("To stay within %(goal)s, at most %(rate)s can be added over %(over)s"),
}
# "350 a quarter", by the period's word as the callers give it in English.
_PER_PERIOD = {
    "month": N_("%(amount)s a month"),
    "quarter": N_("%(amount)s a quarter"),
    "year": N_("%(amount)s a year"),
    "period": N_("%(amount)s a period"),
}


def _per_period(amount: str, period_word: str) -> str:
    if period_word in _PER_PERIOD:
        return _(_PER_PERIOD[period_word]) % {"amount": amount}
    return f"{amount} a {period_word}"  # a word the catalogue does not hold


def _remaining(left: int, period_word: str) -> str:
    """ "the remaining quarter", "the 2 remaining quarters"."""
    words = {"count": left}
    if period_word == "month":
        return ngettext("the remaining month", "the %(count)s remaining months", left) % words
    if period_word == "quarter":
        return ngettext("the remaining quarter", "the %(count)s remaining quarters", left) % words
    if period_word == "year":
        return ngettext("the remaining year", "the %(count)s remaining years", left) % words
    if period_word == "period":
        return ngettext("the remaining period", "the %(count)s remaining periods", left) % words
    return f"the {left} remaining {period_word}s" if left > 1 else f"the remaining {period_word}"
