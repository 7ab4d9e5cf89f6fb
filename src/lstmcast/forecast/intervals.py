"""Split-conformal prediction intervals from out-of-sample absolute residuals.

After fitting, the Forecaster scores its validation windows — rows it was not
trained on — and keeps the absolute errors ``|y - ŷ|`` in original units, one
column per horizon step: ``residuals_`` (n, horizon), saved with the model. For a
coverage ``1 - alpha`` the half-width of step ``h`` is the ``k``-th smallest of
the ``n`` residuals of that step, with

    k = ceil((n + 1) * (1 - alpha))      (the quantile level k / n)

so that, when a new error is exchangeable with the calibration errors, the interval
``ŷ ± q_h`` holds the truth with probability at least ``1 - alpha``. When
``k > n`` (too few residuals for the coverage asked) the interval is unbounded.

The validation windows also chose the best epoch (early stopping), which makes
these residuals slightly optimistic; the walk-forward backtest reports the
coverage actually reached.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["check_coverage", "conformal_quantile", "interval_arrays", "interval_bounds", "interval_coverage",
           "weighted_conformal_quantile"]


def check_coverage(coverage) -> float:
    """``coverage`` as a float strictly between 0 and 1, or ValueError naming it."""
    if isinstance(coverage, bool) or not isinstance(coverage, (int, float, np.floating)) \
            or not 0.0 < float(coverage) < 1.0:
        raise ValueError(f"coverage must be a number between 0 and 1 (e.g. 0.9), got {coverage!r}")
    return float(coverage)


def weighted_conformal_quantile(residuals, weights, coverage: float) -> np.ndarray:
    """Half-width per horizon step from calibration windows of unequal weight.

    Each column's half-width is the smallest residual whose share of the total weight
    at or below it reaches ``coverage * (1 + 1 / n_eff)``, where ``n_eff = 1 / sum(w²)``
    (weights normalised to sum 1) is the calibration set's effective size: with equal
    weights this is :func:`conformal_quantile`'s finite-sample rank, and with weight
    ``1 / windows`` per series' window every series counts once, as it does in scores
    that average over series.

    Parameters
    ----------
    residuals : array_like, shape (n, horizon)
        Out-of-sample absolute errors, one row per calibration window.
    weights : array_like, shape (n,)
        Positive weight of each window.
    coverage : float

    Returns
    -------
    numpy.ndarray, shape (horizon,), float64
        ``inf`` where the corrected level exceeds 1.
    """
    level = check_coverage(coverage)
    errors = np.asarray(residuals, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if errors.ndim != 2 or errors.shape[0] == 0 or w.shape != (errors.shape[0],):
        raise ValueError(f"residuals (n, horizon) with n >= 1 and weights (n,) are needed, got {errors.shape} "
                         f"and {w.shape}")
    if not (np.all(w > 0) and np.all(np.isfinite(w))):
        raise ValueError("weights must be positive and finite")
    if np.isnan(errors).any() or (errors < 0).any():
        raise ValueError("residuals must be absolute errors (>= 0, no NaN)")
    w = w / w.sum()
    target = level * (1.0 + float(np.sum(w * w)))
    if target > 1.0 + 1e-12:
        return np.full(errors.shape[1], np.inf)
    order = np.argsort(errors, axis=0, kind="stable")  # (n, horizon)
    cumulative = np.cumsum(w[order], axis=0)  # (n, horizon) weight at or below each sorted residual
    rank = np.minimum((cumulative < target - 1e-12).sum(axis=0), errors.shape[0] - 1)  # (horizon,)
    return np.take_along_axis(errors, order, axis=0)[rank, np.arange(errors.shape[1])]


def conformal_quantile(residuals, coverage: float) -> np.ndarray:
    """Half-width of the interval for each horizon step.

    Parameters
    ----------
    residuals : array_like, shape (n, horizon)
        Out-of-sample absolute errors, one row per calibration window.
    coverage : float
        Wanted coverage ``1 - alpha`` in (0, 1).

    Returns
    -------
    numpy.ndarray, shape (horizon,), float64
        The ``ceil((n + 1) * coverage)``-th smallest residual of each column;
        ``inf`` where that rank exceeds ``n``.

    Raises
    ------
    ValueError
        If ``residuals`` is not 2-D with at least one row, holds NaN or negative
        values, or ``coverage`` is not in (0, 1).
    """
    level = check_coverage(coverage)
    errors = np.asarray(residuals, dtype=np.float64)
    if errors.ndim != 2 or errors.shape[0] == 0:
        raise ValueError(
            f"residuals must have shape (n, horizon) with n >= 1, got {errors.shape}; "
            "intervals need out-of-sample residuals: fit with val_fraction > 0"
        )
    if np.isnan(errors).any() or (errors < 0).any():
        raise ValueError("residuals must be absolute errors (>= 0, no NaN)")
    n = errors.shape[0]
    rank = math.ceil((n + 1) * level - 1e-9)  # guard (n + 1) * level landing a hair above an integer
    if rank > n:
        return np.full(errors.shape[1], np.inf)  # (horizon,)
    return np.sort(errors, axis=0)[rank - 1]  # (horizon,)


def interval_bounds(forecasts, half_width) -> tuple[np.ndarray, np.ndarray]:
    """``(forecasts - q, forecasts + q)`` with ``q`` (horizon,) broadcast over rows of (n, horizon) or (horizon,)."""
    centre = np.asarray(forecasts, dtype=np.float64)
    width = np.asarray(half_width, dtype=np.float64)
    if centre.shape[-1] != width.shape[-1] or width.ndim != 1:
        raise ValueError(f"half_width must have shape ({centre.shape[-1]},), got {width.shape}")
    return centre - width, centre + width


def interval_arrays(actual, lower, upper) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``actual``, ``lower`` and ``upper`` as float64 arrays of one shape, or a one-line ValueError."""
    y = np.asarray(actual, dtype=np.float64)
    lo = np.asarray(lower, dtype=np.float64)
    hi = np.asarray(upper, dtype=np.float64)
    if not (y.shape == lo.shape == hi.shape):
        raise ValueError(f"actual, lower and upper must have one shape, got {y.shape}, {lo.shape}, {hi.shape}")
    return y, lo, hi


def interval_coverage(actual, lower, upper) -> float:
    """Share of ``actual`` values inside ``[lower, upper]`` (all of one shape).

    Returns
    -------
    float
        In [0, 1]; NaN for empty inputs.
    """
    y, lo, hi = interval_arrays(actual, lower, upper)
    if y.size == 0:
        return float("nan")
    return float(np.mean((lo <= y) & (y <= hi)))
