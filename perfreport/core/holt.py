"""The damped Holt trend fitted to many series at once: perfreport's vectorised estimator.

**The model.** ETS(A,Ad,N), exponential smoothing with an additive damped trend (Gardner and
McKenzie 1985), in its innovations form (Hyndman, Koehler, Ord and Snyder 2008, *Forecasting
with Exponential Smoothing*): the one-step forecast is l + phi b, its error e, and the state
moves on as l <- l + phi b + alpha e and b <- phi b + beta e. Five quantities are estimated:
alpha, beta, phi and the initial level and trend (:data:`ESTIMATES`).

**The likelihood.** With additive Gaussian errors the maximum likelihood fit is the one with
the least sum of squared one-step errors, the same objective as statsmodels' ``ETSModel``,
within the same default bounds (alpha and beta/alpha in (0, 1), 0.8 <= phi <= 0.98). Each run
is standardised first (the model is affine equivariant, so the fit is the same and one grid
suits every scale).

**The grid.** The one-step errors are linear in the initial level and trend, so for any
(alpha, beta/alpha, phi) the best initial state is a least-squares solution, and the errors of
every series are one matrix product with filters that depend on the parameters only. A 9 x 6 x
9 grid over (alpha, beta/alpha, phi) is scored that way, and two starting points are kept per
series: the best grid point and the best with alpha at its lower bound (a fixed damped curve,
often a second mode of the likelihood).

**The refinement.** A pattern search from each start: a step each way along each axis, moving
to the best trial that improves and lengthening the step by half, else halving it; the better
of the two ends wins. The forecast mean and the exact forecast variance then follow from the
fitted state (Hyndman et al. 2008, chapter 6), with sigma^2 = SSE / (n - 5) as R's
forecast::ets estimates it.

:func:`perfreport.core.forecast.damped_holt_forecasts` is the public entry point; it applies
the rules (which series can be forecast, the intervals and the chance of meeting a target).
The estimator is validated against statsmodels, the reference, in tests/core/test_forecast.py:
at the batch's parameters statsmodels' own fit is never more than 1% worse than its free fit,
and where both reach the same optimum the projections agree.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["ESTIMATES", "Bools", "Floats", "Ints", "fit_damped_holt", "latest_runs"]

ESTIMATES = 5  # alpha, beta, phi and the initial level and trend

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]


def latest_runs(y: Floats) -> tuple[Floats, Ints, Ints]:
    """Each row's latest unbroken run of values, right-aligned (NaN before it), its length, and
    how many periods after it the row ends (trailing gaps)."""
    present = ~np.isnan(y)
    index = np.arange(y.shape[1])
    last = np.where(present, index, -1).max(axis=1, initial=-1)
    gap = np.where(~present & (index < last[:, None]), index, -1).max(axis=1, initial=-1)
    lengths = np.where(last >= 0, last - gap, 0).astype(np.int64)
    width = max(1, int(lengths.max(initial=0)))
    source = last[:, None] - (width - 1 - np.arange(width))
    gathered = np.take_along_axis(y, np.clip(source, 0, None), axis=1)
    runs = np.where(np.arange(width) >= width - lengths[:, None], gathered, np.nan)
    return runs, lengths, (y.shape[1] - 1 - last).astype(np.int64)


def fit_damped_holt(
    runs: Floats, lengths: Ints, trailing: Ints, steps: int
) -> tuple[Floats, Floats, Floats]:
    """Fit each of ``runs`` (as :func:`latest_runs` gives them) and forecast ``steps`` periods
    from each row's end, ``trailing`` periods after its run: the forecast mean and standard
    error in the original units, and the parameters (alpha, beta, phi), a row per run.

    Each run is fitted standardised (the model is affine equivariant: the same fit, and a grid
    that suits every scale). sigma^2 is SSE / (length - :data:`ESTIMATES`), so a run needs
    more values than that; the forecast module fits only runs of ``HOLT_MIN_POINTS`` or more.
    """
    centre = np.nanmean(runs, axis=1, keepdims=True)
    scale = np.nanstd(runs, axis=1, keepdims=True)
    scale[scale == 0] = 1.0
    valid = ~np.isnan(runs)
    z = np.where(valid, (runs - centre) / scale, 0.0)
    theta = _refine(z, valid, _coarse_fit(z, lengths))
    mean, se = _holt_moments(z, valid, theta, lengths, trailing, steps)
    parameters = np.stack([theta[:, 0], theta[:, 0] * theta[:, 1], theta[:, 2]], axis=1)
    return centre + scale * mean, scale * se, parameters


# The parameters searched, (alpha, beta/alpha, phi), within statsmodels' default bounds. The
# likelihood often has two modes: alpha at its lower bound (a fixed damped curve, sharply peaked
# in phi) and an adaptive one. So the grid includes the bounds and is fine in phi, and the search
# starts from the best grid point overall and from the best fixed curve.
_LOWER = np.array([1e-4, 1e-4, 0.8])
_UPPER = np.array([1 - 1e-4, 1 - 1e-4, 0.98])
_AXES = (
    np.array([1e-4, 0.02, 0.1, 0.25, 0.45, 0.65, 0.85, 0.97, 1 - 1e-4]),
    np.array([1e-4, 0.02, 0.1, 0.3, 0.6, 0.95]),
    np.linspace(0.8, 0.98, 9),
)
_GRID = np.stack(np.meshgrid(*_AXES, indexing="ij"), axis=-1).reshape(-1, 3)
_FIXED_CURVE = _GRID[:, 0] == _LOWER[0]
_FIRST_STEP = np.array([0.05, 0.1, 0.01125])
_MOVES = np.concatenate([np.eye(3), -np.eye(3)])  # a step each way along each axis
_SEARCH_ROUNDS = 20
_SETTLED = 1e-2  # a search stops once every step is this share of its first


def _grid_filters(length: int) -> tuple[Floats, Floats]:
    """For every grid point, the one-step errors as ``e = L y - M x0``: ``L`` (lower triangular
    Toeplitz) filters the data from a zero state and ``M`` carries the initial level and trend
    ``x0``. Both depend on the parameters only, so one matrix product serves every series, and
    a shorter run is served by their leading blocks."""
    alpha, phi = _GRID[:, 0], _GRID[:, 2]
    beta = alpha * _GRID[:, 1]
    carry = np.empty((len(_GRID), length, 2))
    row = np.stack([np.ones_like(phi), phi], axis=1)  # w' F^t, with w = (1, phi)
    for t in range(length):
        carry[:, t] = row
        row = np.stack(
            [row[:, 0] * (1 - alpha) - row[:, 1] * beta,
             phi * (row[:, 0] * (1 - alpha) + row[:, 1] * (1 - beta))], axis=1,
        )  # fmt: skip
    gain = carry[:, :-1, 0] * alpha[:, None] + carry[:, :-1, 1] * beta[:, None]
    kernel = np.concatenate([np.ones((len(_GRID), 1)), -gain], axis=1)
    lag = np.arange(length)[:, None] - np.arange(length)[None, :]
    return np.where(lag >= 0, kernel[:, np.clip(lag, 0, None)], 0.0), carry


def _coarse_fit(z: Floats, lengths: Ints) -> Floats:
    """Two starting points per row (rows x 2 x 3): the grid point with the least squared error,
    and the best fixed curve.

    With the runs moved to the left, errors past a run's end are masked off; the best ``x0``
    solves M'M x0 = M'e, so the least error is |e|^2 - b' (M'M)^-1 b with b = M'e, M'M a
    running sum over the run.
    """
    width = z.shape[1]
    inside = np.arange(width) < lengths[:, None]
    shift = (np.arange(width) + (width - lengths)[:, None]) % width
    data = np.where(inside, np.take_along_axis(z, shift, axis=1), 0.0).T
    filters, carry = _grid_filters(width)
    products = np.cumsum(carry[..., :, None] * carry[..., None, :], axis=1)[:, lengths - 1]
    a11, a12, a22 = products[..., 0, 0], products[..., 0, 1], products[..., 1, 1]
    sse = np.empty((len(_GRID), len(z)))
    chunk = max(1, 4_000_000 // (width * len(z)))
    for start in range(0, len(_GRID), chunk):
        part = slice(start, start + chunk)
        errors = (filters[part].reshape(-1, width) @ data).reshape(-1, width, len(z)) * inside.T
        b1, b2 = (carry[part].transpose(0, 2, 1) @ errors).transpose(1, 0, 2)
        a = (a11[part], a12[part], a22[part])
        explained = (a[2] * b1 * b1 - 2 * a[1] * b1 * b2 + a[0] * b2 * b2) / (
            a[0] * a[2] - a[1] ** 2
        )
        sse[part] = (errors * errors).sum(axis=1) - explained
    starts = np.empty((len(z), 2, 3))
    starts[:, 0] = _GRID[sse.argmin(axis=0)]
    starts[:, 1] = _GRID[_FIXED_CURVE][sse[_FIXED_CURVE].argmin(axis=0)]
    return starts


def _smooth(z: Floats, valid: Bools, theta: Floats) -> tuple[Floats, Floats, Floats]:
    """Squared error, final level and final trend of ETS(A,Ad,N) for each row of ``z`` and each
    candidate ``theta[row, candidate]``, with the initial state that minimises the error."""
    alpha, phi = theta[..., 0], theta[..., 2]
    beta = alpha * theta[..., 1]
    masked = not valid.all()
    keep = 1 - alpha
    level, trend = np.zeros_like(alpha), np.zeros_like(alpha)  # driven by the data from zero
    # p: the state's sensitivity to the initial level and trend; s: sums for least squares.
    p11, p12, p21, p22 = (np.full_like(alpha, float(i in (0, 3))) for i in range(4))
    saa, sa1, sa2, s11, s12, s22 = (np.zeros_like(alpha) for _ in range(6))
    for t in range(z.shape[1]):
        predicted = level + phi * trend
        error = z[:, t, None] - predicted  # zero before the run: the state stays at zero
        d21, d22 = phi * p21, phi * p22
        m1, m2 = p11 + d21, p12 + d22
        if masked:
            on = valid[:, t, None]
            m1, m2 = np.where(on, m1, 0.0), np.where(on, m2, 0.0)
        saa += error * error
        sa1 += error * m1
        sa2 += error * m2
        s11 += m1 * m1
        s12 += m1 * m2
        s22 += m2 * m2
        level = predicted + alpha * error
        trend = phi * trend + beta * error
        n11, n21, n12, n22 = keep * m1, d21 - beta * m1, keep * m2, d22 - beta * m2
        if masked:
            n11, n21 = np.where(on, n11, p11), np.where(on, n21, p21)
            n12, n22 = np.where(on, n12, p12), np.where(on, n22, p22)
        p11, p21, p12, p22 = n11, n21, n12, n22
    det = s11 * s22 - s12 * s12
    level0 = (s22 * sa1 - s12 * sa2) / det
    trend0 = (s11 * sa2 - s12 * sa1) / det
    sse = np.maximum(saa - sa1 * level0 - sa2 * trend0, 0.0)
    return sse, level + p11 * level0 + p12 * trend0, trend + p21 * level0 + p22 * trend0


def _refine(z: Floats, valid: Bools, starts: Floats) -> Floats:
    """Pattern search from each start: try a step each way along each axis, move to the best
    trial if it improves and lengthen the step by half, else halve it. The better of the starts'
    ends wins."""
    count = starts.shape[1]
    z, valid = np.repeat(z, count, axis=0), np.repeat(valid, count, axis=0)
    theta = starts.reshape(-1, 3).copy()
    step = np.tile(_FIRST_STEP, (len(theta), 1))
    step[
        (starts == starts[:, :1]).all(axis=2).reshape(-1) & (np.arange(len(theta)) % count > 0)
    ] = 0
    best = _smooth(z, valid, theta[:, None, :])[0][:, 0]
    live = np.arange(len(theta))
    for _ in range(_SEARCH_ROUNDS):
        live = live[(step[live] > _SETTLED * _FIRST_STEP).any(axis=1)]
        if not live.size:
            break
        trial = np.clip(theta[live, None, :] + _MOVES * step[live, None, :], _LOWER, _UPPER)
        sse = _smooth(z[live], valid[live], trial)[0]
        pick = sse.argmin(axis=1)
        found = sse[np.arange(len(live)), pick]
        better = found < best[live]
        theta[live[better]] = trial[better, pick[better]]
        best[live[better]] = found[better]
        step[live] *= np.where(better, 1.5, 0.5)[:, None]
    choice = best.reshape(-1, count).argmin(axis=1)
    chosen: Floats = theta.reshape(-1, count, 3)[np.arange(len(choice)), choice]
    return chosen


def _holt_moments(
    z: Floats, valid: Bools, theta: Floats, lengths: Ints, trailing: Ints, steps: int
) -> tuple[Floats, Floats]:
    """Forecast mean and standard error for steps 1..``steps`` after the row's end, which is
    ``trailing`` periods after its run: mean l + (phi + ... + phi^h) b; variance
    sigma^2 (1 + sum_{j<h} (alpha + beta (phi + ... + phi^j))^2) (Hyndman et al. 2008, ch. 6)."""
    sse, level, trend = (a[:, 0] for a in _smooth(z, valid, theta[:, None, :]))
    alpha, phi = theta[:, :1], theta[:, 2:]
    beta = alpha * theta[:, 1:2]
    horizon = np.arange(1, int(trailing.max()) + steps + 1)
    damped = np.cumsum(phi**horizon, axis=1)
    mean = level[:, None] + damped * trend[:, None]
    weights = np.cumsum((alpha + beta * damped) ** 2, axis=1)
    sigma2 = sse / (lengths - ESTIMATES)
    variance = sigma2[:, None] * (
        1 + np.concatenate([np.zeros((len(z), 1)), weights[:, :-1]], axis=1)
    )
    pick = trailing[:, None] + np.arange(steps)
    return np.take_along_axis(mean, pick, 1), np.sqrt(np.take_along_axis(variance, pick, 1))
