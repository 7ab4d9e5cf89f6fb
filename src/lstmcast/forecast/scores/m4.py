"""Scoring many series the way the M4 Competition did (Makridakis, Spiliotis & Assimakopoulos, IJF 2020).

Every series ``i`` has its history ``x_i`` (the training values, of any length) and
``H`` values to forecast.  Per series:

- sMAPE = ``mean_t 200 |y - f| / (|y| + |f|)`` (percent), :func:`~lstmcast.forecast.scores.metrics.smape`;
- MASE  = ``mean_t |y - f|`` divided by the in-sample seasonal naive error
  ``mean_t |x_t - x_{t-m}|`` with the data set's ``m`` (24 for Hourly),
  :func:`~lstmcast.forecast.scores.metrics.mase`;
- MSIS  = the mean interval score of 95% intervals divided by the same scale,
  :func:`~lstmcast.forecast.intervals.interval_metrics.msis`;
- coverage = the share of the ``H`` values inside the interval.

A method's score is the mean over series of each; ACD is ``|coverage - 0.95|`` with
the coverage pooled over every series and step; OWA is the mean of the method's sMAPE
and MASE, each divided by Naive2's on the same series::

    OWA = (sMAPE / sMAPE_Naive2 + MASE / MASE_Naive2) / 2

Lower is better for all of them; Naive2 has OWA 1 by construction.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from ..intervals.conformal_quantile import check_coverage, interval_coverage
from ..intervals.interval_metrics import msis
from .metrics import mase, smape

__all__ = ["M4_HORIZONS", "M4_SEASONS", "M4_SCORES", "m4_table", "owa", "series_scores"]

M4_SEASONS = {"Yearly": 1, "Quarterly": 4, "Monthly": 12, "Weekly": 1, "Daily": 1, "Hourly": 24}
"""The ``m`` of MASE, MSIS and Naive2 for each M4 data set."""

M4_HORIZONS = {"Yearly": 6, "Quarterly": 8, "Monthly": 18, "Weekly": 13, "Daily": 14, "Hourly": 48}
"""How many steps each M4 data set forecasts."""

M4_SCORES = ("sMAPE", "MASE", "OWA", "MSIS", "ACD")
"""Columns of :func:`m4_table`, in order."""


def owa(smape_value: float, mase_value: float, smape_naive2: float, mase_naive2: float) -> float:
    """Overall weighted average: ``(sMAPE / sMAPE_Naive2 + MASE / MASE_Naive2) / 2``.

    Parameters
    ----------
    smape_value, mase_value : float
        The method's mean sMAPE and MASE over the series.
    smape_naive2, mase_naive2 : float
        Naive2's, on the same series; both must be positive.

    Returns
    -------
    float
    """
    if not (smape_naive2 > 0 and mase_naive2 > 0):
        raise ValueError(f"Naive2's sMAPE and MASE must be positive, got {smape_naive2!r} and {mase_naive2!r}")
    return 0.5 * (smape_value / smape_naive2 + mase_value / mase_naive2)


def _rows(values, name: str, n_series: int | None = None) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 2 or array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(f"{name} must have shape (n_series, horizon) with both >= 1, got {array.shape}")
    if n_series is not None and array.shape[0] != n_series:
        raise ValueError(f"{name} must have one row per series ({n_series}), got {array.shape[0]}")
    return array


def series_scores(actual, forecast, histories: Sequence, season: int, lower=None, upper=None,
                  coverage: float = 0.95, ids: Sequence | None = None) -> pd.DataFrame:
    """sMAPE and MASE (and MSIS and coverage, given intervals) of every series.

    Parameters
    ----------
    actual, forecast : array_like, shape (n_series, horizon)
        The values to forecast and their forecasts, one row per series.
    histories : sequence of array_like
        Each series' training values (any lengths, each longer than ``season``),
        the scale of MASE and MSIS.
    season : int
        The ``m`` of that scale (``M4_SEASONS``; 24 for Hourly).
    lower, upper : array_like, shape (n_series, horizon), optional
        Bounds of prediction intervals built for ``coverage``; both or neither.
    coverage : float
        The nominal coverage of the intervals (0.95 in M4).
    ids : sequence, optional
        A name per series for the index; default 0 .. n_series - 1.

    Returns
    -------
    pandas.DataFrame
        Index ``series``; columns sMAPE, MASE (and MSIS, coverage).
    """
    y = _rows(actual, "actual")  # (S, H)
    f = _rows(forecast, "forecast", y.shape[0])  # (S, H)
    if f.shape != y.shape:
        raise ValueError(f"forecast must have the shape of actual {y.shape}, got {f.shape}")
    if len(histories) != y.shape[0]:
        raise ValueError(f"histories must hold one series per row of actual ({y.shape[0]}), got {len(histories)}")
    if (lower is None) != (upper is None):
        raise ValueError("lower and upper must be given together")
    bands = None
    if lower is not None:
        lo, hi = _rows(lower, "lower", y.shape[0]), _rows(upper, "upper", y.shape[0])  # (S, H) each
        if lo.shape != y.shape or hi.shape != y.shape:
            raise ValueError(f"lower and upper must have the shape of actual {y.shape}, got {lo.shape} and {hi.shape}")
        bands = (lo, hi)
        level = check_coverage(coverage)
    names = list(range(y.shape[0])) if ids is None else list(ids)
    if len(names) != y.shape[0]:
        raise ValueError(f"ids must name every series ({y.shape[0]}), got {len(names)}")
    rows = []
    for i in range(y.shape[0]):
        row = {"sMAPE": smape(y[i], f[i]), "MASE": mase(y[i], f[i], histories[i], season)}
        if bands is not None:
            row["MSIS"] = msis(y[i], bands[0][i], bands[1][i], level, histories[i], season)
            row["coverage"] = interval_coverage(y[i], bands[0][i], bands[1][i])
        rows.append(row)
    table = pd.DataFrame(rows, index=pd.Index(names, name="series"))
    return table


def m4_table(actual, forecasts: dict, histories: Sequence, season: int, bands: dict | None = None,
             coverage: float = 0.95, reference: str = "Naive2") -> pd.DataFrame:
    """One row per method: mean sMAPE, MASE, OWA over the series, and MSIS, ACD where intervals are given.

    Parameters
    ----------
    actual : array_like, shape (n_series, horizon)
    forecasts : dict of str to array_like
        Method name -> forecasts of the shape of ``actual``; must include ``reference``.
    histories : sequence of array_like
        Each series' training values.
    season : int
        The data set's ``m``.
    bands : dict of str to (lower, upper), optional
        Interval bounds of some methods; the others get NaN MSIS and ACD.
    coverage : float
        The nominal coverage of every interval.
    reference : str
        The method OWA is relative to (Naive2 in M4).

    Returns
    -------
    pandas.DataFrame
        Index ``method`` in the order of ``forecasts``; columns :data:`M4_SCORES`.
    """
    if not isinstance(forecasts, dict) or reference not in forecasts:
        raise ValueError(f"forecasts must be a dict of method -> forecasts that includes {reference!r} (for OWA)")
    bands = {} if bands is None else dict(bands)
    unknown = sorted(set(bands) - set(forecasts))
    if unknown:
        raise ValueError(f"bands name methods that have no forecasts: {', '.join(map(repr, unknown))}")
    level = check_coverage(coverage)
    means = {}
    for name, forecast in forecasts.items():
        lower, upper = bands.get(name, (None, None))
        scores = series_scores(actual, forecast, histories, season, lower, upper, level)
        means[name] = {"sMAPE": float(scores["sMAPE"].mean()), "MASE": float(scores["MASE"].mean()),
                       "MSIS": float(scores["MSIS"].mean()) if "MSIS" in scores else np.nan,
                       "ACD": abs(float(scores["coverage"].mean()) - level) if "coverage" in scores else np.nan}
    base = means[reference]
    for row in means.values():
        row["OWA"] = owa(row["sMAPE"], row["MASE"], base["sMAPE"], base["MASE"])
    table = pd.DataFrame.from_dict(means, orient="index", columns=list(M4_SCORES))
    table.index.name = "method"
    return table
