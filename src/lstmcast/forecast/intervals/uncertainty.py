"""Intervals for a fitted Forecaster: its raw band, validation scores, and adaptive thresholds.

Three kinds of band (see :mod:`lstmcast.forecast.intervals.conformal` for how a band and a
threshold make an interval):

- a point model: the forecast itself, scale 1 (conformal on absolute errors);
- a model fitted with ``loss="quantile"``: the pair of quantiles nearest the coverage
  asked (conformalised quantile regression);
- a model with ``mc_passes > 0``: the forecast, in units of the spread of that many
  Monte-Carlo dropout passes (:func:`mc_dropout_spread`).

The calibration scores are those of the validation windows of the fitted data; every
outcome realised later (in a walk-forward backtest, or in newer data passed to
``forecast``) is added as it becomes known, and ``interval_method`` decides how the
threshold follows them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...data.transforms import leading_rows
from .conformal import IntervalCalibration, band_bounds, check_kept_scores, conformity_scores, online_thresholds
from ..prediction.outputs import outputs_at, validation_origins
from .quantiles import check_quantiles, interval_pair

__all__ = ["Band", "band_at", "calibration_for", "check_interval_support", "check_uncertainty_settings",
           "evaluation_intervals", "forecast_columns", "intervals_at", "mc_dropout_spread", "outcomes", "quantile_loss"]

MC_SEED = 7919
"""Mixed with the model's seed for the dropout masks of Monte-Carlo passes (same seed, same spread)."""


def check_uncertainty_settings(quantiles, interval_method, interval_window, mc_passes, dropout: float) -> None:
    """ValueError naming the first bad one of a Forecaster's interval settings (``dropout``: its dropout rates)."""
    check_quantiles(quantiles)
    IntervalCalibration(0.9, interval_method, interval_window)
    if isinstance(mc_passes, bool) or not isinstance(mc_passes, int) or mc_passes < 0:
        raise ValueError(f"mc_passes must be an int >= 0, got {mc_passes!r}")
    if mc_passes and not dropout:
        raise ValueError("mc_passes needs a model trained with dropout: set dropout > 0 or mc_passes=0")


@dataclass(frozen=True)
class Band:
    """Raw band of forecasts, one row per origin.

    Attributes
    ----------
    point, lower, upper : numpy.ndarray, shape (n, horizon)
        The point forecast and the raw bounds (equal to it for a point model).
    scale : numpy.ndarray, shape (n, horizon)
        Unit of the conformity score (1, or the Monte-Carlo dropout spread).
    quantiles : numpy.ndarray or None, shape (n, horizon, Q)
        Every quantile forecast, for a quantile model.
    """

    point: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    scale: np.ndarray
    quantiles: np.ndarray | None = None

    def take(self, rows) -> "Band":
        """The band of the origins ``rows`` only."""
        return Band(self.point[rows], self.lower[rows], self.upper[rows], self.scale[rows],
                    None if self.quantiles is None else self.quantiles[rows])


def band_at(model, values: np.ndarray, origins: np.ndarray, coverage: float, source: str = "data") -> Band:
    """The raw band of ``model`` (fitted Forecaster) for the forecasts from ``origins`` of ``values`` (N, F)."""
    outputs = outputs_at(model, values, origins, source)  # (n, horizon) or (n, horizon, Q)
    if outputs.ndim == 3:
        lo, hi = interval_pair(model.quantiles, coverage)
        point = outputs[:, :, model._median]  # (n, horizon)
        return Band(point, outputs[:, :, lo], outputs[:, :, hi], np.ones_like(point), outputs)
    use_spread = model.mc_passes and getattr(model, "naive_weight_", 1.0) > 0  # naive has no dropout spread
    scale = mc_dropout_spread(model, values, origins, source) if use_spread else np.ones_like(outputs)
    return Band(outputs, outputs, outputs, scale)


def mc_dropout_spread(model, values: np.ndarray, origins: np.ndarray, source: str = "data") -> np.ndarray:
    """Standard deviation (n, horizon) of ``model.mc_passes`` forecasts with dropout kept on (in
    every ensemble member).

    Pass p draws its dropout masks from ``[MC_SEED, model.seed, p]`` on replicas of the
    networks (the model is left as it is), so the spread is the same on every call, also
    with calls running at once.
    A spread of exactly 0 is raised to a tiny positive floor (scores divide by it).
    """
    passes = np.stack([outputs_at(model, values, origins, source, dropout=[MC_SEED, model.seed, p])
                       for p in range(model.mc_passes)])  # (P, n, horizon)
    spread = passes.std(axis=0)  # (n, horizon)
    floor = 1e-9 * max(float(np.max(np.abs(passes))), 1.0)
    return np.maximum(spread, floor)


def outcomes(series: np.ndarray, origins: np.ndarray, horizon: int) -> np.ndarray:
    """Actual values (n, horizon) of every origin and step; NaN past the end of ``series``."""
    rows = origins[:, None] + np.arange(horizon)  # (n, horizon)
    padded = np.append(np.asarray(series, dtype=np.float64), np.full(horizon, np.nan))
    return padded[rows]


def calibration_for(model, coverage: float) -> np.ndarray:
    """Conformity scores (n_val, horizon) of ``model``'s validation windows, for ``coverage``."""
    origins = validation_origins(model)
    if not len(origins):
        return np.zeros((0, model.horizon))
    band = band_at(model, model.table_.values, origins, coverage)
    actual = outcomes(model.table_.target_values, origins, model.horizon)  # (n_val, horizon)
    return conformity_scores(actual, band.lower, band.upper, band.scale)


def check_interval_support(model, coverage: float) -> None:
    """TooFewCalibrationErrors (one line) unless ``model``'s validation windows, as its
    ``interval_method`` and ``interval_window`` keep them, support ``coverage``; no forecasts are made."""
    settings = IntervalCalibration(coverage, model.interval_method, model.interval_window)
    available = len(validation_origins(model))
    check_kept_scores(available if settings.method == "split" else min(available, settings.window), available,
                      settings)


def intervals_at(model, band: Band, series: np.ndarray, origins: np.ndarray, coverage: float,
                 calibration: np.ndarray | None = None, method: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Bounds (n, horizon) for the forecasts of ``band`` from ``origins`` of ``series``.

    Each origin's threshold uses the validation scores (``calibration``, default those of
    ``model``) and the outcomes of ``series`` realised before it, as ``method`` (default
    ``model.interval_method``) says.
    """
    settings = IntervalCalibration(coverage, method or model.interval_method, model.interval_window)
    start = calibration_for(model, coverage) if calibration is None else calibration
    if not len(start):
        raise ValueError("this model has no validation windows for intervals: fit it with val_fraction > 0")
    actual = outcomes(series, origins, model.horizon)  # (n, horizon)
    scores = conformity_scores(actual, band.lower, band.upper, band.scale)
    thresholds, _ = online_thresholds(start, scores, origins, settings)
    return band_bounds(band.lower, band.upper, thresholds, band.scale)


def forecast_columns(model, table, recent: np.ndarray, coverage: float | None,
                     calibration: np.ndarray | None = None) -> dict:
    """Quantile and interval columns for the forecast after the end of ``table``.

    ``recent`` (rows, F) are the last rows of ``table`` the point forecast read. The
    interval's threshold takes in the validation scores (``calibration``, default the model's
    own) and then every outcome of ``table`` after the fitted data (a newer table moves it
    along without refitting; a series the model was not fitted on has none).

    Returns
    -------
    dict of str to numpy.ndarray, each (horizon,)
        ``q0.05`` ... for a quantile model; ``lower`` and ``upper`` with ``coverage``.
    """
    from .quantiles import quantile_columns

    final = band_at(model, recent, np.array([len(recent)]), 0.9 if coverage is None else coverage, table.source)
    columns = {}
    if final.quantiles is not None:
        columns.update(zip(quantile_columns(model.quantiles), final.quantiles[0].T))  # each (horizon,)
    if coverage is None:
        return columns
    if model.table_ is None:  # a series the model was not fitted on: no outcome is after fitted rows
        newer = np.zeros(0, dtype=np.int64)
    else:
        newer = np.flatnonzero(table.dates > model.table_.dates[-1])  # rows after the fitted data
    newer = newer[newer >= model.look_back + leading_rows(model.target_transform)]  # (n,) with a full window
    origins = np.append(newer, len(table))  # (n + 1,)
    if len(newer):
        seen = band_at(model, table.values, newer, coverage, table.source)
        final = _stacked(seen, final)
    lower, upper = intervals_at(model, final, table.target_values, origins, coverage, calibration)
    columns["lower"], columns["upper"] = lower[-1], upper[-1]
    return columns


def _stacked(first: Band, second: Band) -> Band:
    """The rows of ``first`` followed by those of ``second``."""
    parts = [None if getattr(first, name) is None else np.concatenate([getattr(first, name), getattr(second, name)])
             for name in ("point", "lower", "upper", "scale", "quantiles")]
    return Band(*parts)


def evaluation_intervals(model, table, origins: np.ndarray, coverage: float, y_train, season: int):
    """Interval scores of ``model`` on the windows from ``origins`` of ``table``.

    Returns
    -------
    intervals : pandas.DataFrame
        One row (``model.interval_method``), the columns of
        :func:`~lstmcast.forecast.intervals.interval_metrics.interval_table`.
    by_step : pandas.DataFrame
        Coverage and mean width per step.
    """
    import pandas as pd

    from .interval_metrics import coverage_by_step, interval_table

    band = band_at(model, table.values, origins, coverage, table.source)
    lower, upper = intervals_at(model, band, table.target_values, origins, coverage)
    actual = outcomes(table.target_values, origins, model.horizon)  # (n, horizon)
    scores = interval_table(actual, {model.interval_method: (lower, upper)}, coverage, y_train, season)
    by_step = pd.DataFrame({"coverage": coverage_by_step(actual, lower, upper), "width": np.mean(upper - lower, axis=0)},
                           index=pd.RangeIndex(1, model.horizon + 1, name="step"))
    return scores, by_step


def quantile_loss(model, table, origins: np.ndarray) -> float | None:
    """Mean pinball loss of a quantile model's forecasts from ``origins`` of ``table``; None for a point model."""
    from .interval_metrics import pinball

    outputs = outputs_at(model, table.values, origins, table.source)  # (n, horizon[, Q])
    if outputs.ndim == 2:
        return None
    return pinball(outcomes(table.target_values, origins, model.horizon), outputs, model.quantiles)
