"""What forecasts each series of a fitted Forecaster: its :class:`~lstmcast.forecast.prediction.series_model.SeriesModel`,
for the series it was fitted on and for new series a global model forecasts, and the data read
the way the fitted panel was."""

from __future__ import annotations

from dataclasses import replace
import numpy as np
from ...data.errors import DataError
from ...data.frequency import check_same_frequency
from ...data.panel import Panel, check_panel_length, read_panel
from ...data.transforms import leading_rows
from ..preparing.known import FutureSpec, columns_read, future_values, with_calendar
from ..preparing.static import StaticSpec, static_values, with_static
from ..training.global_fit import PanelState
from .series_model import SeriesModel, series_table

__all__ = ["fitted_series_model", "read_like_fitted", "series_models", "states_with_new_series", "with_future"]


def with_future(model: SeriesModel, dates, frame, source: str) -> SeriesModel:
    """``model`` with the known values of the forecast steps at ``dates`` (from ``frame``, a frame indexed by
    time, and the calendar; see :func:`~lstmcast.forecast.preparing.known.future_values`); ``model``
    itself when its networks read none.

    Raises
    ------
    ValueError
        ``frame`` given to a model fitted without future features.
    """
    future = model.estimator.__dict__.get("future_") or FutureSpec()
    if not future and frame is not None:
        raise ValueError("future=: this model was fitted without future_features; it reads no values "
                         "known in advance")
    if model._known is None:
        return model
    known = future_values(future, frame, dates, source) if future else np.zeros((len(dates), 0))  # (horizon, K')
    return replace(model, future_known_=known, _cache={})  # (static attributes: the series' own, from its rows)


def states_with_new_series(fc, panel: Panel, origins: dict[str, np.ndarray]) -> dict[str, PanelState]:
    """The state of every series in ``origins``: a series a global model was not fitted on shares its
    networks and interval scores, and is scaled on its own rows before its first origin."""
    new = [name for name in origins if name not in fc.states_]
    if not new:
        return fc.states_
    if fc.mode_ == "local":
        raise DataError(f"series {new[0]!r} has no model of its own: it was not in the panel these per-series "
                        "models were fitted on")
    shared = fc.states_[fc.panel_.ids[0]]  # global: every fitted series shares it
    scaling = shared.scaling.with_new_series({name: panel.values(name) for name in new},
                                             {name: int(origins[name].min()) for name in new}, fc.scaler,
                                             panel.source, fc._unscaled_columns)
    added = replace(shared, scaling=scaling)
    return {**fc.states_, **{name: added for name in new}}


def read_like_fitted(fc, data) -> Panel:
    """``data`` read with the fitted panel's columns (default: the fitted panel itself)."""
    if data is None:
        return fc.panel_
    fitted = fc.panel_
    future = fc.__dict__.get("future_") or FutureSpec()
    static = fc.__dict__.get("static_") or StaticSpec()
    read = columns_read(fitted.features, (*future.derived, *static.columns))
    raw = data
    panel = data if isinstance(data, Panel) else read_panel(data, fitted.target, fitted.id_column,
                                                            fitted.time_column, read)
    panel = with_calendar(panel, future.calendar)
    if static and not all(name in panel.features for name in static.columns):
        table = static_values(raw.frame if isinstance(raw, Panel) else raw, panel.id_column, static.names,
                              panel.source)
        panel = with_static(panel, static, table)
    check_same_frequency(panel, fitted)
    if panel.freq is None:  # series too short to tell: they step as the fitted ones
        panel = replace(panel, freq=fitted.freq)
    unknown = [name for name in panel.ids if name not in fc.states_]
    if unknown and fc.mode_ == "local":
        raise DataError(f"{panel.source}: series {unknown[0]!r} was not in the panel these per-series models were "
                        f"fitted on ({len(unknown)} such series); refit with it, or fit one global model "
                        f"(mode='global'), which forecasts new series too")
    return check_panel_length(panel, fc.look_back + leading_rows(fc.target_transform), 1)


def fitted_series_model(fc, series_id: str) -> SeriesModel:
    """What forecasts the fitted series ``series_id`` of ``fc``: its state's members, its scaler, its
    fitted rows and split, its weight against naive and its combination with the classical models."""
    state = fc.states_[series_id]
    table = fc.table_ if fc.shape_ == "series" else series_table(fc.panel_, series_id)
    weight = fc.__dict__.get("naive_weights_", {}).get(series_id, 1.0)
    combination = fc.__dict__.get("combinations_", {}).get(series_id, {})
    return SeriesModel(fc, series_id, state.members, state.scaling.scalers[series_id], state.window_norm, table,
                       state.splits[series_id], weight, combination)


def series_models(fc, panel: Panel, origins: dict[str, np.ndarray]) -> dict[str, SeriesModel]:
    """The model of every series in ``origins``: a fitted series' own, and for a series a global model
    was not fitted on, its networks with a scaler fitted on the series' rows before its first origin
    (no validation windows of its own, the LSTM as trained)."""
    states = states_with_new_series(fc, panel, origins)
    models = {}
    for name in origins:
        if name in fc.states_:
            models[name] = fitted_series_model(fc, name)
        else:
            state = states[name]
            models[name] = SeriesModel(fc, name, state.members, state.scaling.scalers[name], state.window_norm,
                                       None, None, 1.0)
    return models
