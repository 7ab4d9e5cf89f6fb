"""A fitted Forecaster's forecasts of many series as long tables: every series through the one-series
stages with its own :class:`~lstmcast.forecast.prediction.series_model.SeriesModel` (no harm, quantiles,
Monte-Carlo spread, adaptive intervals; :mod:`lstmcast.forecast.intervals.series_calibration` says which
validation scores calibrate each)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from ...data.panel import Panel
from ...data.transforms import leading_rows
from .next_values import next_values
from ..intervals.conformal_quantile import check_coverage
from ..intervals.series_calibration import PooledScores
from .series_model import SeriesModel, series_table
from ..intervals.uncertainty import band_at, intervals_at
from .batched import prefetch_outputs, prefetch_validation
from .series_models import fitted_series_model, read_like_fitted, series_models

__all__ = ["panel_forecast", "panel_predict", "window_forecasts"]


def _calibrations(fc, panel: Panel, models: dict[str, SeriesModel], coverage: float | None) -> dict:
    """Each series' calibration scores for ``coverage`` (None: its own; see :mod:`lstmcast.forecast.intervals.series_calibration`)."""
    if coverage is None:
        return {name: None for name in models}
    pooled = PooledScores(lambda: prefetch_validation({name: fitted_series_model(fc, name) for name in fc.panel_.ids}),
                          check_coverage(coverage))
    return {name: pooled.for_series(model, panel.target_values(name)) for name, model in models.items()}


def panel_forecast(fc, data=None, coverage: float | None = None, spread: bool = False) -> pd.DataFrame:
    """The next ``horizon`` values of every series, as one long table.

    Each series goes through the one-series stages (:func:`~lstmcast.forecast.prediction.next_values.next_values`) with its
    own model: its no-harm weight, its quantiles and Monte-Carlo spread, and intervals calibrated
    on its own validation windows that adapt to every outcome of ``data`` after its fitted rows
    (pooled scale-free scores where its own are too few; :mod:`lstmcast.forecast.intervals.series_calibration`).

    Returns
    -------
    pandas.DataFrame
        Columns: the id column, the time column, ``forecast``, the quantile columns
        (``q0.05`` ...) of a quantile model, ``lower`` and ``upper`` with ``coverage``,
        ``spread`` and ``member_1`` ... with ``spread``; ``horizon`` rows per series, in the panel's order.
    """
    panel = read_like_fitted(fc, data)
    origins = {name: np.array([int(panel.lengths[name])]) for name in panel.ids}
    models = series_models(fc, panel, origins)
    tables = {name: series_table(panel, name) for name in panel.ids}
    recent = {name: table.values[-(fc.look_back + leading_rows(fc.target_transform)):] for name, table in tables.items()}
    prefetch_outputs(models, recent, {name: np.array([len(rows)]) for name, rows in recent.items()}, panel.source)
    calibrations = _calibrations(fc, panel, models, coverage)
    columns: dict[str, list] = {}
    for name in panel.ids:
        for column, values in next_values(models[name], tables[name], coverage, spread, calibrations[name]).items():
            columns.setdefault(column, []).append(values)  # each (horizon,)
    out = pd.DataFrame({panel.id_column: np.repeat(np.array(panel.ids, dtype=object), fc.horizon),
                        panel.time_column: _joined([panel.future_times(name, fc.horizon) for name in panel.ids]),
                        "forecast": np.concatenate(columns.pop("point"))})
    for column, values in columns.items():
        out[column] = np.concatenate(values)
    return out


def _joined(indexes: list[pd.Index]) -> pd.Index:
    """Indexes one after another, keeping their dtype (a time zone too)."""
    return indexes[0].append(indexes[1:]) if len(indexes) > 1 else indexes[0]


def window_forecasts(fc, panel: Panel, origins: dict[str, np.ndarray], coverage: float | None = None) -> dict:
    """Every series' forecasts from its ``origins``, by series: ``"point"`` (n, horizon) and, with
    ``coverage``, ``"lower"`` / ``"upper"`` (n, horizon), adaptive along the origins as
    ``interval_method`` says (each origin's threshold reads only outcomes realised before it)."""
    models = series_models(fc, panel, origins)
    values = {name: panel.values(name) for name in origins}  # (N, F) each
    prefetch_outputs(models, values, origins, panel.source)
    if coverage is not None:  # each series' own calibration reads its validation windows
        prefetch_validation(models)
    calibrations = _calibrations(fc, panel, models, coverage)
    result = {}
    for name, rows in origins.items():
        model = models[name]
        if coverage is None:
            result[name] = {"point": model._forecast_at(values[name], rows, panel.source)}
            continue
        band = band_at(model, values[name], rows, coverage, panel.source)
        lower, upper = intervals_at(model, band, values[name][:, 0], rows, coverage, calibrations[name])
        result[name] = {"point": band.point, "lower": lower, "upper": upper}
    return result


def panel_predict(fc, data=None) -> pd.DataFrame:
    """One forecast per window of every series: the id, the window's first forecast time, and one
    column per step (``t+1`` ... ``t+horizon``)."""
    panel = read_like_fitted(fc, data)
    first = fc.look_back + leading_rows(fc.target_transform)
    origins = {name: np.arange(first, int(n) - fc.horizon + 1) for name, n in panel.lengths.items()
               if int(n) - fc.horizon + 1 > first}
    forecasts = window_forecasts(fc, panel, origins)
    steps = [f"t+{h + 1}" for h in range(fc.horizon)]
    frames = []
    for name, rows in origins.items():
        frame = pd.DataFrame(forecasts[name]["point"], columns=steps)
        frame.insert(0, panel.time_column, panel.times(name)[rows])
        frame.insert(0, panel.id_column, name)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
