"""Scores for prediction intervals and quantile forecasts.

``actual``, ``lower`` and ``upper`` have one shape, normally ``(n_windows, horizon)``.
For a nominal coverage ``1 - α``:

- coverage: share of ``actual`` inside ``[lower, upper]``; ACD = ``|coverage - (1 - α)|``
  (the absolute coverage difference the M4 competition reported);
- width: mean of ``upper - lower``;
- interval (Winkler) score, lower is better (Gneiting & Raftery 2007)::

      IS = (u - l) + (2 / α) (l - y) [y < l] + (2 / α) (y - u) [y > u]

- MSIS: the mean interval score divided by the in-sample mean absolute seasonal
  difference of the training series (the M4 definition, the scale of MASE);
- pinball loss of quantile forecasts ``(n, horizon, Q)``:
  ``mean(max(τ (y - q), (τ - 1) (y - q)))``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .conformal_quantile import check_coverage, interval_arrays, interval_coverage

__all__ = ["INTERVAL_SCORES", "coverage_by_step", "interval_score", "interval_table", "mean_width",
           "msis", "naive_scale", "pinball"]

INTERVAL_SCORES = ("coverage", "ACD", "width", "Winkler", "MSIS")
"""Columns of :func:`interval_table`, in order."""


def _bounds(actual, lower, upper) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y, lo, hi = interval_arrays(actual, lower, upper)
    if y.size == 0:
        raise ValueError("actual must not be empty")
    return y, lo, hi


def mean_width(lower, upper) -> float:
    """Mean of ``upper - lower`` (``inf`` if any bound is unbounded)."""
    return float(np.mean(np.asarray(upper, dtype=np.float64) - np.asarray(lower, dtype=np.float64)))


def interval_score(actual, lower, upper, coverage: float) -> float:
    """Mean interval (Winkler) score of ``[lower, upper]`` built for ``coverage``; lower is better.

    Parameters
    ----------
    actual, lower, upper : array_like, one shape
    coverage : float
        Nominal coverage ``1 - α`` the intervals were built for.

    Returns
    -------
    float
        In the units of ``actual``.
    """
    y, lo, hi = _bounds(actual, lower, upper)
    alpha = 1.0 - check_coverage(coverage)
    below = np.maximum(lo - y, 0.0)  # (l - y) [y < l]
    above = np.maximum(y - hi, 0.0)  # (y - u) [y > u]
    return float(np.mean((hi - lo) + (2.0 / alpha) * (below + above)))


def naive_scale(y_train, season: int = 1) -> float:
    """``mean(|y_t - y_{t - season}|)`` over the training series: the scale of MASE and MSIS."""
    history = np.asarray(y_train, dtype=np.float64)
    if history.ndim != 1:
        raise ValueError(f"y_train must be a 1-D array, got shape {history.shape}")
    if history.size <= season:
        raise ValueError(f"y_train needs more than season={season} values, got {history.size}")
    return float(np.mean(np.abs(history[season:] - history[:-season])))


def msis(actual, lower, upper, coverage: float, y_train, season: int = 1) -> float:
    """Mean scaled interval score (M4): :func:`interval_score` / :func:`naive_scale`."""
    scale = naive_scale(y_train, season)
    score = interval_score(actual, lower, upper, coverage)
    if scale == 0.0:
        return 0.0 if score == 0.0 else float("inf")
    return score / scale


def coverage_by_step(actual, lower, upper) -> np.ndarray:
    """Coverage of each column (forecast step) of ``(n, horizon)`` arrays: shape (horizon,)."""
    y, lo, hi = _bounds(actual, lower, upper)
    if y.ndim != 2:
        raise ValueError(f"actual must have shape (n, horizon), got {y.shape}")
    return np.mean((lo <= y) & (y <= hi), axis=0)  # (horizon,)


def pinball(actual, quantile_forecasts, quantiles) -> float:
    """Mean pinball (quantile) loss over windows, steps and quantiles.

    Parameters
    ----------
    actual : array_like, shape (n, horizon)
    quantile_forecasts : array_like, shape (n, horizon, Q)
    quantiles : sequence of float, length Q, each in (0, 1)

    Returns
    -------
    float
    """
    y = np.asarray(actual, dtype=np.float64)
    q = np.asarray(quantile_forecasts, dtype=np.float64)
    tau = np.asarray(quantiles, dtype=np.float64)
    if q.shape != (*y.shape, tau.size):
        raise ValueError(f"quantile_forecasts must have shape {(*y.shape, tau.size)}, got {q.shape}")
    diff = y[..., None] - q  # (n, horizon, Q)
    return float(np.mean(np.maximum(tau * diff, (tau - 1.0) * diff)))


def interval_table(actual, bands: dict, coverage: float, y_train, season: int = 1) -> pd.DataFrame:
    """One row of interval scores per method, all on the same targets.

    Parameters
    ----------
    actual : array_like, shape (n, horizon)
    bands : dict of str to (lower, upper)
        Method name -> its bounds, each of the shape of ``actual``.
    coverage : float
        The nominal coverage the intervals were built for.
    y_train : array_like, shape (N,)
        The series before the first forecast: the scale of MSIS.
    season : int

    Returns
    -------
    pandas.DataFrame
        Index ``intervals``; columns :data:`INTERVAL_SCORES`.
    """
    level = check_coverage(coverage)
    rows = {}
    for name, (lower, upper) in bands.items():
        reached = interval_coverage(actual, lower, upper)
        rows[name] = {"coverage": reached, "ACD": abs(reached - level), "width": mean_width(lower, upper),
                      "Winkler": interval_score(actual, lower, upper, level),
                      "MSIS": msis(actual, lower, upper, level, y_train, season)}
    table = pd.DataFrame.from_dict(rows, orient="index", columns=list(INTERVAL_SCORES))
    table.index.name = "intervals"
    return table
