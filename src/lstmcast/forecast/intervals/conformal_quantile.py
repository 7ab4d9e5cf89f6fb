"""Split-conformal prediction intervals from out-of-sample absolute residuals.

After fitting, the Forecaster scores its validation windows — rows it was not
trained on — and keeps the absolute errors ``|y - ŷ|`` in original units, one
column per horizon step: ``residuals_`` (n, horizon), saved with the model. For a
coverage ``1 - alpha`` the half-width of step ``h`` is the ``k``-th smallest of
the ``n`` residuals of that step, with

    k = ceil((n + 1) * (1 - alpha))      (the quantile level k / n)

so that, when a new error is exchangeable with the calibration errors, the interval
``ŷ ± q_h`` holds the truth with probability at least ``1 - alpha``. When
``k > n`` there are too few residuals for the coverage asked: ``n`` errors support
coverages up to ``n / (n + 1)`` only, and :func:`check_calibration_size` refuses
(:class:`TooFewCalibrationErrors`, naming the coverage, ``n`` and that largest
coverage) rather than give an unbounded interval that holds everything and says nothing.

The validation windows also chose the best epoch (early stopping), which makes
these residuals slightly optimistic; the walk-forward backtest reports the
coverage actually reached.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["TooFewCalibrationErrors", "check_calibration_size", "check_coverage", "conformal_quantile",
           "interval_arrays", "interval_bounds", "interval_coverage", "largest_coverage",
           "weighted_conformal_quantile"]

RANK_SLACK = 1e-9
"""Guards ``(n + 1) * coverage`` landing a hair above an integer (0.9 * 10 = 9.000000000000002)."""


class TooFewCalibrationErrors(ValueError):
    """Too few calibration errors for the coverage asked: no finite conformal interval exists."""


def check_coverage(coverage) -> float:
    """``coverage`` as a float strictly between 0 and 1, or ValueError naming it."""
    if isinstance(coverage, bool) or not isinstance(coverage, (int, float, np.floating)) \
            or not 0.0 < float(coverage) < 1.0:
        raise ValueError(f"coverage must be a number between 0 and 1 (e.g. 0.9), got {coverage!r}")
    return float(coverage)


def largest_coverage(count: float) -> float:
    """The largest coverage ``count`` calibration errors support: ``count / (count + 1)`` (0 for none).

    ``count`` may be an effective number (``1 / sum(w²)`` of normalised weights).
    """
    return count / (count + 1.0) if count > 0 else 0.0


def check_calibration_size(count: float, coverage: float, source: str,
                           remedy: str = "a larger val_fraction keeps more") -> float:
    """``coverage`` if ``count`` calibration errors support it, else a one-line TooFewCalibrationErrors.

    A conformal interval at coverage ``c`` is the ``ceil((count + 1) c)``-th smallest
    error, which exists only when that rank is at most ``count``: at least
    ``ceil(c / (1 - c))`` errors are needed.

    Parameters
    ----------
    count : float
        Number of calibration errors (or their effective number, with weights).
    coverage : float
        Wanted coverage in (0, 1).
    source : str
        Where the errors come from and how many they are, for the message, such as
        ``"the validation windows give 27"``.
    remedy : str
        How to get more errors, ending the message.

    Returns
    -------
    float

    Raises
    ------
    TooFewCalibrationErrors
        Naming the coverage, ``source`` and the largest coverage the errors support.
    """
    level = check_coverage(coverage)
    if (count + 1.0) * level - RANK_SLACK <= count:
        return level
    needed = math.ceil((level - RANK_SLACK) / (1.0 - level))
    largest = largest_coverage(count)
    digits = 2 + (math.ceil(math.log10(count + 1.0)) if count > 0 else 0)
    shown = math.floor(largest * 10**digits + 1e-9) / 10**digits  # rounded down: the level shown is supported
    raise TooFewCalibrationErrors(
        f"coverage={level:g} needs at least {needed} calibration errors and {source}: the largest coverage "
        f"they support is {shown:g} ({remedy})")


def weighted_conformal_quantile(residuals, weights, coverage: float, source: str | None = None) -> np.ndarray:
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
    source : str, optional
        Where the windows come from, for the message when they are too few
        (default ``"the validation windows"``).

    Returns
    -------
    numpy.ndarray, shape (horizon,), float64
        Finite wherever the residuals are.

    Raises
    ------
    TooFewCalibrationErrors
        When the corrected level exceeds 1, that is ``n_eff`` errors support coverages up
        to ``n_eff / (n_eff + 1)`` only (see :func:`check_calibration_size`).
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
    effective = effective_count(w)
    check_calibration_size(effective, level, _windows_give(source or "the validation windows", len(w), effective))
    target = level * (1.0 + 1.0 / effective)  # at most 1 (+ rounding), as checked
    order = np.argsort(errors, axis=0, kind="stable")  # (n, horizon)
    cumulative = np.cumsum(w[order], axis=0)  # (n, horizon) weight at or below each sorted residual
    rank = np.minimum((cumulative < target - 1e-12).sum(axis=0), errors.shape[0] - 1)  # (horizon,)
    return np.take_along_axis(errors, order, axis=0)[rank, np.arange(errors.shape[1])]


def effective_count(weights) -> float:
    """``n_eff = (sum w)² / sum(w²)``: how many equally weighted errors ``weights`` are worth."""
    w = np.asarray(weights, dtype=np.float64)
    return float(w.sum() ** 2 / np.sum(w * w))


def _windows_give(source: str, count: int, effective: float) -> str:
    """``"the validation windows give 10 (worth 3.6 ...)"``: the effective number where it differs."""
    if abs(effective - count) <= 1e-6 * count:
        return f"{source} give {count}"
    return f"{source} give {count} (worth {math.floor(effective * 10) / 10:g} with each series weighing one)"


def conformal_quantile(residuals, coverage: float, source: str | None = None) -> np.ndarray:
    """Half-width of the interval for each horizon step.

    Parameters
    ----------
    residuals : array_like, shape (n, horizon)
        Out-of-sample absolute errors, one row per calibration window.
    coverage : float
        Wanted coverage ``1 - alpha`` in (0, 1).
    source : str, optional
        Where the residuals come from, for the message when they are too few
        (default ``"the validation windows"``).

    Returns
    -------
    numpy.ndarray, shape (horizon,), float64
        The ``ceil((n + 1) * coverage)``-th smallest residual of each column.

    Raises
    ------
    TooFewCalibrationErrors
        If that rank exceeds ``n``: ``n`` residuals support coverages up to
        ``n / (n + 1)`` only (see :func:`check_calibration_size`).
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
    check_calibration_size(n, level, f"{source or 'the validation windows'} give {n}")
    rank = math.ceil((n + 1) * level - RANK_SLACK)  # at most n, as checked
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
