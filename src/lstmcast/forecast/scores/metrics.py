"""Forecast accuracy metrics and the comparison table of models against baselines.

``y_true`` and ``y_pred`` have the same shape, normally ``(n_windows, horizon)``,
and every metric averages over all of their elements. NaN in the inputs is not
hidden: it propagates into the result.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..intervals.interval_metrics import naive_scale

__all__ = [
    "METRICS",
    "compare_to_baseline",
    "copies_last_value",
    "directional_accuracy",
    "mae",
    "mape",
    "mase",
    "metrics_table",
    "mse",
    "r2",
    "rmse",
    "smape",
]

METRICS: tuple[str, ...] = ("MAE", "RMSE", "MAPE", "sMAPE", "MASE", "R2", "DirAcc")
"""Column names of :func:`metrics_table`, in order (DirAcc only when last values are given)."""

MAPE_ZERO = 1e-12
"""Targets with ``|y_true|`` below this are left out of MAPE (their percentage error is unbounded)."""


def _pair(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    """Both arrays as float64 of one shape; ValueError naming ``y_pred`` or ``y_true`` otherwise."""
    actual = np.asarray(y_true, dtype=np.float64)
    predicted = np.asarray(y_pred, dtype=np.float64)
    if actual.shape != predicted.shape:
        raise ValueError(f"y_pred must have the shape of y_true {actual.shape}, got {predicted.shape}")
    if actual.size == 0:
        raise ValueError("y_true must not be empty")
    return actual, predicted


def _check_season(season) -> int:
    """``season`` as an int >= 1, or ValueError naming it."""
    if isinstance(season, (bool, np.bool_)) or not isinstance(season, (int, np.integer)) or season < 1:
        raise ValueError(f"season must be an int >= 1, got {season!r}")
    return int(season)


def mae(y_true, y_pred) -> float:
    """Mean absolute error ``mean(|y - ŷ|)``.

    Parameters
    ----------
    y_true, y_pred : array_like, same shape

    Returns
    -------
    float
    """
    actual, predicted = _pair(y_true, y_pred)
    return float(np.mean(np.abs(actual - predicted)))


def mse(y_true, y_pred) -> float:
    """Mean squared error ``mean((y - ŷ)^2)``.

    Parameters
    ----------
    y_true, y_pred : array_like, same shape

    Returns
    -------
    float
    """
    actual, predicted = _pair(y_true, y_pred)
    return float(np.mean((actual - predicted) ** 2))


def rmse(y_true, y_pred) -> float:
    """Root mean squared error ``sqrt(mse)``, in the units of the series.

    Parameters
    ----------
    y_true, y_pred : array_like, same shape

    Returns
    -------
    float
    """
    return float(np.sqrt(mse(y_true, y_pred)))


def mape(y_true, y_pred) -> float:
    """Mean absolute percentage error ``100 * mean(|y - ŷ| / |y|)``.

    Points where ``|y_true| < MAPE_ZERO`` (1e-12) are ignored, because their
    percentage error is unbounded; if no point is left the result is NaN.

    Parameters
    ----------
    y_true, y_pred : array_like, same shape

    Returns
    -------
    float
        Percent.
    """
    actual, predicted = _pair(y_true, y_pred)
    kept = np.abs(actual) >= MAPE_ZERO
    if not kept.any():
        return float("nan")
    return float(100.0 * np.mean(np.abs(actual[kept] - predicted[kept]) / np.abs(actual[kept])))


def smape(y_true, y_pred) -> float:
    """Symmetric MAPE ``mean(200 * |y - ŷ| / (|y| + |ŷ|))``, with 0/0 counted as 0.

    It lies in [0, 200] and swapping ``y_true`` and ``y_pred`` does not change it.

    Parameters
    ----------
    y_true, y_pred : array_like, same shape

    Returns
    -------
    float
        Percent.
    """
    actual, predicted = _pair(y_true, y_pred)
    error = np.abs(actual - predicted)
    total = np.abs(actual) + np.abs(predicted)
    ratio = np.divide(error, total, out=np.zeros_like(error), where=total > 0)
    return float(200.0 * np.mean(ratio))


def mase(y_true, y_pred, y_train, season: int = 1) -> float:
    """Mean absolute scaled error: MAE divided by the in-sample MAE of the seasonal naive forecast.

    The scale is ``mean(|y_train[t] - y_train[t - season]|)`` over ``t = season .. len - 1``,
    the one-step error of repeating the value one season earlier on the training data.
    Below 1 the forecast beats that in-sample naive forecast.

    If the scale is 0 (a constant training series) the result is ``inf`` for a
    forecast with any error and 0 for a perfect one, without a division warning.

    Parameters
    ----------
    y_true, y_pred : array_like, same shape
    y_train : array_like, shape (N,)
        The training series, with ``N > season``.
    season : int
        Lag of the scaling naive forecast (1 = last value).

    Returns
    -------
    float
    """
    error = mae(y_true, y_pred)
    period = _check_season(season)
    scale = naive_scale(y_train, period)
    if scale == 0.0:
        return 0.0 if error == 0.0 else float("inf")
    return error / scale


def r2(y_true, y_pred) -> float:
    """Coefficient of determination ``1 - SSE / SST`` over all elements.

    ``SST = sum((y - mean(y))^2)`` uses the mean of every element of ``y_true``, so
    predicting that mean everywhere scores 0. When ``y_true`` is constant
    (``SST = 0``) the result is 1 for a perfect forecast and 0 otherwise (the
    scikit-learn convention), never a division by zero.

    Parameters
    ----------
    y_true, y_pred : array_like, same shape

    Returns
    -------
    float
    """
    actual, predicted = _pair(y_true, y_pred)
    sse = float(np.sum((actual - predicted) ** 2))
    sst = float(np.sum((actual - actual.mean()) ** 2))
    if sst == 0.0:
        return 1.0 if sse == 0.0 else 0.0
    return 1.0 - sse / sst


def _last_column(last_values, n_rows: int) -> np.ndarray:
    """``last_values`` as float64 (n, 1), or ValueError naming it."""
    last = np.asarray(last_values, dtype=np.float64)
    if last.shape != (n_rows,):
        raise ValueError(f"last_values must have shape ({n_rows},), one per window, got {last.shape}")
    return last[:, None]  # (n, 1)


def _as_windows(y, name: str) -> np.ndarray:
    """A (n,) array as (n, 1) and a (n, horizon) array unchanged; ValueError naming ``name`` otherwise."""
    values = np.asarray(y, dtype=np.float64)
    if values.ndim == 1:
        return values[:, None]  # (n, 1)
    if values.ndim != 2:
        raise ValueError(f"{name} must have shape (n, horizon) or (n,), got {values.shape}")
    return values


def directional_accuracy(y_true, y_pred, last_values) -> float:
    """Share of steps whose predicted direction matches the actual one.

    The direction of every step, including steps 2..horizon, is taken against the
    last observed value before its window: a step counts as right when
    ``sign(ŷ - last) == sign(y - last)``. A flat move (sign 0) is right only when
    both are flat.

    Parameters
    ----------
    y_true, y_pred : array_like, shape (n, horizon) or (n,)
    last_values : array_like, shape (n,)
        The last observed value before each window.

    Returns
    -------
    float
        In [0, 1].
    """
    actual, predicted = _pair(y_true, y_pred)
    actual = _as_windows(actual, "y_true")  # (n, horizon)
    predicted = _as_windows(predicted, "y_pred")  # (n, horizon)
    last = _last_column(last_values, actual.shape[0])  # (n, 1)
    return float(np.mean(np.sign(predicted - last) == np.sign(actual - last)))


def copies_last_value(y_pred, last_values, rtol: float = 0.1) -> bool:
    """Whether a model's forecasts are nearly the naive forecast (the last value repeated).

    The mean distance ``d = mean(|ŷ - last|)`` is compared with a typical one-step
    move of the series, ``mean(|diff(last_values)|)`` (windows in time order), and
    the forecasts count as copies when ``d <= rtol * move``. With fewer than two
    windows, or a series that never moves, the scale falls back to
    ``mean(|last_values|)``; if that is 0 too, only an exact copy counts.

    Parameters
    ----------
    y_pred : array_like, shape (n, horizon) or (n,)
    last_values : array_like, shape (n,)
        The last observed value before each window.
    rtol : float
        Tolerance as a fraction of the scale (>= 0).

    Returns
    -------
    bool
    """
    if not np.isfinite(rtol) or rtol < 0:
        raise ValueError(f"rtol must be a finite float >= 0, got {rtol!r}")
    predicted = _as_windows(y_pred, "y_pred")  # (n, horizon)
    if predicted.size == 0:
        raise ValueError("y_pred must not be empty")
    last = _last_column(last_values, predicted.shape[0])  # (n, 1)
    distance = float(np.mean(np.abs(predicted - last)))
    scale = float(np.mean(np.abs(np.diff(last[:, 0])))) if last.shape[0] >= 2 else 0.0
    if scale == 0.0:
        scale = float(np.mean(np.abs(last)))
    return bool(distance <= rtol * scale)


def metrics_table(y_true, predictions: dict[str, np.ndarray], y_train, season: int | None = None,
                  last_values=None) -> pd.DataFrame:
    """One row of metrics per model, all scored on the same targets.

    Parameters
    ----------
    y_true : array_like, shape (n, horizon)
    predictions : dict of str to array_like
        Model name -> forecasts of the shape of ``y_true``; rows keep the dict's order.
    y_train : array_like, shape (N,)
        Training series, the scale of MASE.
    season : int or None
        Lag of MASE's scaling naive forecast; 1 when None. MASE is NaN when ``y_train`` holds no more
        than ``season`` values (no in-sample seasonal naive to scale by).
    last_values : array_like, shape (n,), optional
        Last observed value before each window; adds the DirAcc column.

    Returns
    -------
    pandas.DataFrame
        Index ``model``; columns MAE, RMSE, MAPE, sMAPE, MASE, R2 (and DirAcc).
    """
    if not isinstance(predictions, dict) or not predictions:
        raise ValueError("predictions must be a non-empty dict of model name -> forecasts")
    period = 1 if season is None else _check_season(season)
    scalable = np.size(y_train) > period  # a season longer than the history has no in-sample naive: MASE NaN
    rows = {}
    for name, y_pred in predictions.items():
        row = {
            "MAE": mae(y_true, y_pred),
            "RMSE": rmse(y_true, y_pred),
            "MAPE": mape(y_true, y_pred),
            "sMAPE": smape(y_true, y_pred),
            "MASE": mase(y_true, y_pred, y_train, period) if scalable else float("nan"),
            "R2": r2(y_true, y_pred),
        }
        if last_values is not None:
            row["DirAcc"] = directional_accuracy(y_true, y_pred, last_values)
        rows[name] = row
    columns = [name for name in METRICS if last_values is not None or name != "DirAcc"]
    table = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    table.index.name = "model"
    return table


def compare_to_baseline(table: pd.DataFrame, model: str = "LSTM", baseline: str = "naive") -> str:
    """A one-line verdict on whether ``model`` beats ``baseline`` on MAE.

    Examples of the output: ``"LSTM MAE is 12.3% lower than naive (1.23 vs 1.4)"``,
    ``"LSTM does NOT beat naive: MAE 5.1% higher (1.47 vs 1.4)"``. A difference
    that rounds to 0.0% is reported as not beating the baseline.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`metrics_table`.
    model, baseline : str
        Row names to compare.

    Returns
    -------
    str
    """
    if not isinstance(table, pd.DataFrame) or "MAE" not in table.columns:
        raise ValueError("table must be a DataFrame with an MAE column, as made by metrics_table")
    if model not in table.index:
        raise ValueError(f"model {model!r} is not a row of the table; rows are {list(table.index)}")
    if baseline not in table.index:
        raise ValueError(f"baseline {baseline!r} is not a row of the table; rows are {list(table.index)}")
    ours = float(table.loc[model, "MAE"])
    theirs = float(table.loc[baseline, "MAE"])
    numbers = f"({ours:.4g} vs {theirs:.4g})"
    if not (np.isfinite(ours) and np.isfinite(theirs)):
        return f"{model} cannot be compared with {baseline}: MAE is not finite {numbers}"
    if theirs == 0.0:
        if ours == 0.0:
            return f"{model} does NOT beat {baseline}: both have MAE 0"
        return f"{model} does NOT beat {baseline}: {baseline} is exact (MAE 0) {numbers}"
    change = 100.0 * (ours - theirs) / theirs
    if round(change, 1) < 0.0:
        return f"{model} MAE is {-change:.1f}% lower than {baseline} {numbers}"
    if round(change, 1) == 0.0:
        return f"{model} does NOT beat {baseline}: MAE within 0.05% {numbers}"
    return f"{model} does NOT beat {baseline}: MAE {change:.1f}% higher {numbers}"
