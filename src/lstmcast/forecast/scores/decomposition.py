"""Classical multiplicative seasonal decomposition and the 90% seasonality test of the M4 benchmarks.

These are the two steps of the M4 Competition's Naive2 benchmark (Makridakis,
Spiliotis & Assimakopoulos 2020, the ``SeasonalityTest`` and ``decompose`` calls of
its R code), written so that the published M4 Hourly figures are reproduced:

- a series of ``n`` values is seasonal with period ``m`` when ``n >= 3 m`` and its
  lag-``m`` autocorrelation passes the 90% test::

      |r_m| > 1.645 * sqrt((1 + 2 * sum_{k=1}^{m-1} r_k^2) / n)

  with ``r_k`` the sample autocorrelation (sums over the overlap, divided by the
  sum of squares of the whole centred series, as R's ``acf``);
- its seasonal indices come from the classical multiplicative decomposition: the
  trend is a centred moving average of order ``m`` (``2 x m`` for even ``m``: weights
  ``1/2m, 1/m, ..., 1/m, 1/2m``), the ratios ``x / trend`` are averaged per position
  in the season (position ``t mod m``, counting from the series' first value), and
  the ``m`` averages are normalised to mean 1.
"""

from __future__ import annotations

import numpy as np

__all__ = ["SEASONALITY_CRITICAL", "autocorrelations", "is_seasonal", "seasonal_indices"]

SEASONALITY_CRITICAL = 1.645
"""The one-sided 90% normal quantile of the M4 seasonality test."""


def _series(x, name: str = "series") -> np.ndarray:
    values = np.asarray(x, dtype=np.float64)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {values.shape}")
    if not np.isfinite(values).all():
        raise ValueError(f"{name} must be finite (found NaN or inf)")
    return values


def _period(m) -> int:
    if isinstance(m, (bool, np.bool_)) or not isinstance(m, (int, np.integer)) or m < 1:
        raise ValueError(f"season must be an int >= 1, got {m!r}")
    return int(m)


def autocorrelations(x, max_lag: int) -> np.ndarray:
    """Sample autocorrelations ``r_1 .. r_max_lag`` of ``x`` (R's ``acf``).

    ``r_k = sum_t (x_t - x̄)(x_{t+k} - x̄) / sum_t (x_t - x̄)^2``; a constant series
    has no autocorrelation and gives zeros.

    Parameters
    ----------
    x : array_like, shape (N,)
    max_lag : int
        The largest lag, in [1, N).

    Returns
    -------
    numpy.ndarray, shape (max_lag,), float64
    """
    values = _series(x)
    lags = _period(max_lag)
    if lags >= values.size:
        raise ValueError(f"max_lag must be below the series length {values.size}, got {lags}")
    centred = values - values.mean()  # (N,)
    total = float(centred @ centred)
    if total == 0.0:
        return np.zeros(lags)  # (max_lag,)
    return np.array([centred[:-k] @ centred[k:] for k in range(1, lags + 1)]) / total  # (max_lag,)


def is_seasonal(x, season: int) -> bool:
    """Whether ``x`` passes the M4 90% seasonality test at period ``season``.

    False when ``season < 2`` or the series has fewer than ``3 * season`` values.

    Parameters
    ----------
    x : array_like, shape (N,)
    season : int

    Returns
    -------
    bool
    """
    values = _series(x)
    m = _period(season)
    n = values.size
    if m < 2 or n < 3 * m:
        return False
    r = autocorrelations(values, m)  # (m,) r_1 .. r_m
    limit = SEASONALITY_CRITICAL * np.sqrt((1.0 + 2.0 * np.sum(r[: m - 1] ** 2)) / n)
    return bool(abs(r[m - 1]) > limit)


def seasonal_indices(x, season: int) -> np.ndarray:
    """The multiplicative seasonal index of each position ``t mod season`` of ``x``.

    Parameters
    ----------
    x : array_like, shape (N,)
        Positive values, at least ``2 * season`` of them (one full season of
        ratios besides the moving average's ends).
    season : int
        Period ``m`` >= 2.

    Returns
    -------
    numpy.ndarray, shape (season,), float64
        Index ``j`` belongs to the values at positions ``j, j + m, j + 2m, ...``;
        the indices have mean 1.
    """
    values = _series(x)
    m = _period(season)
    if m < 2:
        raise ValueError(f"season must be an int >= 2 for seasonal indices, got {m}")
    if values.size < 2 * m:
        raise ValueError(f"seasonal indices with season={m} need at least {2 * m} values, got {values.size}")
    if m % 2 == 0:
        weights = np.r_[0.5, np.ones(m - 1), 0.5] / m  # (m + 1,) the 2 x m moving average
    else:
        weights = np.ones(m) / m  # (m,)
    half = len(weights) // 2
    trend = np.convolve(values, weights, mode="valid")  # (N - 2 * half,) centred on rows half .. N - half - 1
    ratios = np.full(values.size, np.nan)  # (N,)
    ratios[half: values.size - half] = values[half: values.size - half] / trend
    figure = np.array([np.nanmean(ratios[j::m]) for j in range(m)])  # (m,)
    return figure / figure.mean()  # (m,)
