"""Baseline forecasts: naive (last value), seasonal naive, drift, mean and Naive2.

An origin ``o`` is the index of the first value to forecast: every baseline sees
only the history ``series[:o]`` and forecasts ``series[o], ..., series[o + horizon - 1]``.
Nothing at or after the origin is ever read, so a baseline can be scored on the
same windows as a model without peeking. Origins may equal ``len(series)``
(forecasting past the end of the data).

Every function returns a float64 array of shape ``(n_origins, horizon)``.
"""

from __future__ import annotations

import re
from statistics import NormalDist
from typing import Callable

import numpy as np

from .decomposition import is_seasonal, seasonal_indices

__all__ = [
    "BASELINES",
    "baseline_forecasts",
    "drift",
    "mean_forecast",
    "naive",
    "naive2",
    "naive_bounds",
    "season_from_freq",
    "seasonal_naive",
]


def _check_int(value, name: str, minimum: int) -> int:
    """Return ``value`` as an int, or raise ValueError naming ``name`` if it is not an int >= ``minimum``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value}")
    return int(value)


def _check_inputs(series, origins, horizon) -> tuple[np.ndarray, np.ndarray, int]:
    """Validate the arguments every baseline shares; return (series float64 (N,), origins int64 (M,), horizon)."""
    values = np.asarray(series, dtype=np.float64)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"series must be a non-empty 1-D array, got shape {values.shape}")
    starts = np.asarray(origins)
    if starts.ndim != 1:
        raise ValueError(f"origins must be a 1-D int array, got shape {starts.shape}")
    if starts.size and starts.dtype.kind not in "iu":
        raise ValueError(f"origins must be a 1-D int array, got dtype {starts.dtype}")
    starts = starts.astype(np.int64)
    if starts.size and (starts.min() < 1 or starts.max() > values.size):
        raise ValueError(
            f"origins must lie in [1, len(series)] = [1, {values.size}], "
            f"got min {starts.min()} and max {starts.max()}"
        )
    steps = _check_int(horizon, "horizon", 1)
    if starts.size and not np.all(np.isfinite(values[: starts.max()])):
        raise ValueError("series must be finite before the last origin")
    return values, starts, steps


def naive(series, origins, horizon: int) -> np.ndarray:
    """Repeat the last observed value: ``y[o + h] = series[o - 1]``.

    Parameters
    ----------
    series : array_like, shape (N,)
        The observed series.
    origins : array_like of int, shape (M,)
        Index of the first forecast value of each window, each in ``[1, N]``.
    horizon : int
        Number of steps forecast from each origin (>= 1).

    Returns
    -------
    numpy.ndarray, shape (M, horizon), float64
    """
    values, starts, steps = _check_inputs(series, origins, horizon)
    last = values[starts - 1]  # (M,)
    return np.repeat(last[:, None], steps, axis=1)  # (M, horizon)


def seasonal_naive(series, origins, horizon: int, season: int) -> np.ndarray:
    """Repeat the last observed season: ``y[o + h] = series[o - season + (h mod season)]``.

    ``h`` counts from 0, so the first forecast is the value one season before it;
    horizons longer than the season repeat the last observed season again.

    Parameters
    ----------
    series : array_like, shape (N,)
    origins : array_like of int, shape (M,)
        Each origin needs at least ``season`` rows of history (``o >= season``).
    horizon : int
    season : int
        Season length in rows (>= 1); ``season=1`` is the naive forecast.

    Returns
    -------
    numpy.ndarray, shape (M, horizon), float64

    Raises
    ------
    ValueError
        If ``season`` is not a positive int or an origin has fewer than ``season`` rows before it.
    """
    values, starts, steps = _check_inputs(series, origins, horizon)
    period = _check_int(season, "season", 1)
    if starts.size and starts.min() < period:
        raise ValueError(
            f"season={period} needs at least {period} rows of history before every origin, "
            f"but the earliest origin is {starts.min()}"
        )
    offsets = np.arange(steps) % period - period  # (horizon,)
    return values[starts[:, None] + offsets[None, :]]  # (M, horizon)


def drift(series, origins, horizon: int) -> np.ndarray:
    """Hyndman's drift: the last value plus the average historical step.

    ``y[o + h - 1] = series[o-1] + h * (series[o-1] - series[0]) / (o - 1)`` for
    ``h = 1 .. horizon``, i.e. the line through the first and last observation of
    ``series[:o]`` extended forward. With a single observation (``o = 1``) no slope
    can be estimated and the slope is taken as 0, which is the naive forecast.

    Parameters
    ----------
    series : array_like, shape (N,)
    origins : array_like of int, shape (M,)
    horizon : int

    Returns
    -------
    numpy.ndarray, shape (M, horizon), float64
    """
    values, starts, steps = _check_inputs(series, origins, horizon)
    last = values[starts - 1]  # (M,)
    gaps = np.maximum(starts - 1, 1)  # (M,) o - 1, guarded where o = 1 (then last == first)
    slope = (last - values[0]) / gaps  # (M,)
    ahead = np.arange(1, steps + 1, dtype=np.float64)  # (horizon,)
    return last[:, None] + slope[:, None] * ahead[None, :]  # (M, horizon)


def mean_forecast(series, origins, horizon: int) -> np.ndarray:
    """Forecast every step as the mean of the history ``series[:o]``.

    Parameters
    ----------
    series : array_like, shape (N,)
    origins : array_like of int, shape (M,)
    horizon : int

    Returns
    -------
    numpy.ndarray, shape (M, horizon), float64
    """
    values, starts, steps = _check_inputs(series, origins, horizon)
    cumulative = np.concatenate([[0.0], np.cumsum(values[: starts.max(initial=0)])])  # (max(origins) + 1,)
    means = cumulative[starts] / starts  # (M,)
    return np.repeat(means[:, None], steps, axis=1)  # (M, horizon)


def naive2(series, origins, horizon: int, season: int) -> np.ndarray:
    """The M4 Competition's Naive2: the naive forecast of the seasonally adjusted series.

    For each origin ``o`` the history ``series[:o]`` is tested for seasonality
    (:func:`~lstmcast.forecast.scores.decomposition.is_seasonal`: at least ``3 * season``
    values and the 90% autocorrelation test at lag ``season``).  A seasonal history
    is divided by its classical multiplicative seasonal indices
    (:func:`~lstmcast.forecast.scores.decomposition.seasonal_indices`, positions counted
    from ``series[0]``) and the forecast is its last adjusted value times the
    indices of the steps ahead; otherwise the forecast is the naive one.  A history
    with a value <= 0 has no multiplicative season and is forecast naively.

    Parameters
    ----------
    series : array_like, shape (N,)
    origins : array_like of int, shape (M,)
    horizon : int
    season : int
        Season length in rows (24 for hourly data); 1 gives the naive forecast.

    Returns
    -------
    numpy.ndarray, shape (M, horizon), float64
    """
    values, starts, steps = _check_inputs(series, origins, horizon)
    period = _check_int(season, "season", 1)
    out = np.empty((starts.size, steps))  # (M, horizon)
    for row, origin in enumerate(starts):
        history = values[:origin]  # (o,)
        if period >= 2 and (history > 0).all() and is_seasonal(history, period):
            indices = seasonal_indices(history, period)  # (season,)
            level = history[-1] / indices[(origin - 1) % period]
            out[row] = level * indices[(origin + np.arange(steps)) % period]  # (horizon,)
        else:
            out[row] = history[-1]
    return out


def naive_bounds(series, origins, horizon: int, coverage: float) -> tuple[np.ndarray, np.ndarray]:
    """Prediction intervals of the naive forecast, for a random walk.

    ``last ± z · σ · sqrt(h)`` for step ``h = 1 .. horizon``, with ``z`` the normal
    quantile of ``(1 + coverage) / 2`` and ``σ = sqrt(mean(diff(history)^2))`` the
    root mean square of the history's one-step changes (R's ``forecast::naive``,
    the intervals of the M4 Naive benchmark).

    Parameters
    ----------
    series : array_like, shape (N,)
    origins : array_like of int, shape (M,)
        Each origin needs two rows of history (``o >= 2``).
    horizon : int
    coverage : float
        Nominal coverage in (0, 1), e.g. 0.95.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Lower and upper bounds, each (M, horizon) float64.
    """
    values, starts, steps = _check_inputs(series, origins, horizon)
    if isinstance(coverage, bool) or not isinstance(coverage, (int, float)) or not 0.0 < coverage < 1.0:
        raise ValueError(f"coverage must be a number between 0 and 1 (e.g. 0.95), got {coverage!r}")
    if starts.size and starts.min() < 2:
        raise ValueError(f"naive intervals need two rows of history before every origin, got origin {starts.min()}")
    z = NormalDist().inv_cdf((1.0 + coverage) / 2.0)
    squares = np.concatenate([[0.0], np.cumsum(np.diff(values[: starts.max(initial=1)]) ** 2)])  # (max(origins),)
    sigma = np.sqrt(squares[starts - 1] / (starts - 1))  # (M,) over the o - 1 changes of series[:o]
    half = z * sigma[:, None] * np.sqrt(np.arange(1, steps + 1))[None, :]  # (M, horizon)
    point = values[starts - 1][:, None]  # (M, 1)
    return point - half, point + half


# Season length in rows for one period of each pandas base offset alias (case matters:
# "MS" is month start, "ms" milliseconds). Aliases not listed have no useful season.
_SEASON_OF_ALIAS = {
    **dict.fromkeys(["M", "MS", "ME", "BM", "BMS", "BME", "CBMS", "CBME"], 12),
    **dict.fromkeys(["SM", "SMS", "SME"], 24),
    **dict.fromkeys(["Q", "QS", "QE", "BQ", "BQS", "BQE"], 4),
    "W": 52,
    "D": 7,
    **dict.fromkeys(["B", "C"], 5),
    **dict.fromkeys(["H", "h"], 24),
}

_ALIAS = re.compile(r"^\s*(\d*)\s*([A-Za-z]+)(?:-[A-Za-z]+)?\s*$")


def season_from_freq(freq: str | None) -> int | None:
    """Season length (rows per natural cycle) for a pandas frequency alias.

    Monthly (``M``, ``MS``, ``ME``, business variants) -> 12, semi-monthly -> 24,
    quarterly (``Q``, ``QS``, ``QE``, ...) -> 4, weekly ``W`` -> 52, daily ``D`` -> 7
    (a week), business daily ``B`` -> 5, hourly ``H``/``h`` -> 24 (a day). Yearly,
    minutely, secondly and unknown aliases, and ``None``, give ``None``.

    An anchor suffix is ignored (``"W-SUN"`` -> 52, ``"QS-JAN"`` -> 4). A multiple
    ``n`` divides the season when it divides it evenly (``"2h"`` -> 12,
    ``"3MS"`` -> 4); otherwise, or when fewer than 2 rows would remain in a cycle
    (``"12M"``), there is no season and the result is ``None``.

    Parameters
    ----------
    freq : str or None
        A pandas offset alias such as ``DatetimeIndex.freqstr``.

    Returns
    -------
    int or None
    """
    if freq is None:
        return None
    if not isinstance(freq, str):
        raise ValueError(f"freq must be a pandas offset alias string or None, got {freq!r}")
    match = _ALIAS.match(freq)
    if match is None:
        return None
    count_text, alias = match.groups()
    base = _SEASON_OF_ALIAS.get(alias)
    if base is None:
        return None
    count = int(count_text) if count_text else 1
    if count < 1 or base % count:
        return None
    season = base // count
    return season if season >= 2 else None


BASELINES: dict[str, Callable[..., np.ndarray]] = {
    "naive": naive,
    "seasonal naive": seasonal_naive,
    "drift": drift,
    "mean": mean_forecast,
    "naive2": naive2,
}
"""Every baseline by display name; ``seasonal naive`` and ``naive2`` also take ``season``."""


def baseline_forecasts(series, origins, horizon: int, season: int | None = None) -> dict[str, np.ndarray]:
    """The baselines a model is compared with, on the same origins.

    Parameters
    ----------
    series : array_like, shape (N,)
    origins : array_like of int, shape (M,)
    horizon : int
    season : int or None
        Season length in rows. ``"seasonal naive"`` is included only when
        ``season >= 2`` (``season=1`` would repeat ``"naive"``) and every origin has
        at least ``season`` rows of history.

    Returns
    -------
    dict of str to numpy.ndarray
        ``{"naive": ..., ["seasonal naive": ...,] "drift": ...}``, each (M, horizon) float64.
    """
    result = {"naive": naive(series, origins, horizon)}
    if season is not None:
        period = _check_int(season, "season", 1)
        starts = np.asarray(origins)
        if period >= 2 and (starts.size == 0 or starts.min() >= period):
            result["seasonal naive"] = seasonal_naive(series, origins, horizon, period)
    result["drift"] = drift(series, origins, horizon)
    return result
