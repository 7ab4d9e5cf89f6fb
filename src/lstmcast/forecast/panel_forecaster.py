"""The Forecaster on many series: fitting a panel (one global model, or one model per series),
and its forecasts as long tables.

A panel fit sets ``panel_`` (the checked long table), ``mode_`` and ``states_``: a
``{series id: PanelState}`` where every series of a global model shares one state and
each series of a local model has its own.  The functions take the estimator as their
first argument; its methods call them when it was fitted on a panel.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..data.csvfile import CsvFile, read_columns
from ..data.errors import DataError, DataWarning
from ..data.frequency import check_same_frequency
from ..data.panel import Panel, check_panel_length, read_panel
from ..data.panel_values import check_positive_target
from ..data.transforms import leading_rows
from ..parallel import TaskRunner
from .evaluation import next_values
from .intervals import check_coverage
from .panel_fitting import PanelState, fit_global
from .resume_data import check_same_data
from .series_calibration import PooledScores
from .series_model import SeriesModel, series_table
from .uncertainty import band_at, intervals_at

__all__ = ["fit_panel", "fitted_series_model", "is_panel_input", "panel_forecast", "panel_predict",
           "read_like_fitted", "series_models", "states_with_new_series", "window_forecasts"]

def is_panel_input(data, id_column: str | None) -> bool:
    """True when ``fit`` should read ``data`` as many series: an ``id_column`` is given, ``data`` is a
    :class:`~lstmcast.data.Panel`, or a DataFrame or CSV file with a ``unique_id`` column."""
    if id_column is not None or isinstance(data, Panel):
        return True
    if isinstance(data, pd.DataFrame):
        return "unique_id" in data.columns
    if isinstance(data, (str, Path, CsvFile)):
        return "unique_id" in read_columns(data)  # the header line only
    return False


@dataclass(frozen=True)
class _LocalFit:
    """One series' own model, as a task (picklable for a cluster): the estimator's class (pickled by
    name, so a worker builds its own) and a copy of its settings."""

    estimator: type
    params: dict

    def __call__(self, panel: Panel, seed: int) -> PanelState:
        return fit_global(self.estimator(**{**self.params, "seed": seed, "verbose": False}), panel)


def check_positive_levels(fc, panel: Panel) -> None:
    """Before training: the target of every series positive where ``fc``'s settings take its log."""
    if fc.target_transform == "log_return":
        check_positive_target(panel, "target_transform='log_return'", "target_transform='diff'")
    elif fc.window_norm == "log_mean_std":
        check_positive_target(panel, "window_norm='log_mean_std'", "window_norm='mean_std'")


def fit_panel(fc, data, target, features, id_column, time_column, fill, freq, skip_short: bool,
              client, resume: bool = False) -> dict:
    """Read ``data`` as a panel and fit it; the learned attributes, by name.

    ``client``: a :class:`~lstmcast.parallel.TaskRunner`, a ``dask.distributed.Client``,
    or None (serial); local fits run on it as one task per series. A series whose fit
    fails is left out with a :class:`~lstmcast.data.DataWarning` naming it and the error
    (the others are kept); when every fit fails, a :class:`~lstmcast.parallel.TaskError`.
    ``resume``: continue a fitted global model's training on the same series.
    """
    if resume:
        panel = read_like_fitted(fc, data)
        if fc.mode_ != "global" or set(panel.ids) != set(fc.panel_.ids):
            raise ValueError("resume: continuing a fit works for a global model on the series it was fitted on "
                             f"({len(fc.panel_)}); fit it again otherwise")
        check_same_data(panel, fc.panel_)
        state = fit_global(fc, panel, resume=fc.states_[panel.ids[0]])
        states = {name: state for name in panel.ids}
        return _fitted(fc, panel, states)
    panel = data if isinstance(data, Panel) else read_panel(data, target, id_column, time_column, features,
                                                            fill, freq)
    panel = check_panel_length(panel, fc.look_back + leading_rows(fc.target_transform), fc.horizon, skip_short)
    if fc.mode == "global":  # (a local fit leaves a failing series out, naming it)
        check_positive_levels(fc, panel)
        state = fit_global(fc, panel)
        states = {name: state for name in panel.ids}
    else:
        runner = client if isinstance(client, TaskRunner) else TaskRunner(client=client, progress=fc.verbose)
        items = {name: panel.select([name]) for name in panel.ids}
        done = runner.run(_LocalFit(type(fc), fc.get_params(deep=False)), items, seed=fc.seed, label="series")
        if not done.results:
            done.raise_failures()
        for failure in done.failures.values():  # the others' models are kept
            warnings.warn(DataWarning(f"{panel.source}: {failure}; left out"), stacklevel=3)
        if done.failures:
            panel = panel.select(list(done.results))
        states = {name: done.results[name] for name in panel.ids}
    return _fitted(fc, panel, states)


def _fitted(fc, panel: Panel, states: dict[str, PanelState]) -> dict:
    """The estimator's learned attributes of a panel fit, by name."""
    first = states[panel.ids[0]]
    return {"panel_": panel, "mode_": fc.mode, "states_": states, "members_": first.members,
            "window_norm_": first.window_norm, "history_": first.members[0].history,
            "target_": panel.target, "features_": panel.features}


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
                                             panel.source)
    added = replace(shared, scaling=scaling)
    return {**fc.states_, **{name: added for name in new}}


def read_like_fitted(fc, data) -> Panel:
    """``data`` read with the fitted panel's columns (default: the fitted panel itself)."""
    if data is None:
        return fc.panel_
    fitted = fc.panel_
    panel = data if isinstance(data, Panel) else read_panel(data, fitted.target, fitted.id_column,
                                                            fitted.time_column, list(fitted.features))
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
    fitted rows and split, and its weight against naive."""
    state = fc.states_[series_id]
    table = fc.table_ if fc.shape_ == "series" else series_table(fc.panel_, series_id)
    weight = fc.__dict__.get("naive_weights_", {}).get(series_id, 1.0)
    return SeriesModel(fc, series_id, state.members, state.scaling.scalers[series_id], state.window_norm, table,
                       state.splits[series_id], weight)


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


def _calibrations(fc, panel: Panel, models: dict[str, SeriesModel], coverage: float | None) -> dict:
    """Each series' calibration scores for ``coverage`` (None: its own; see :mod:`.series_calibration`)."""
    if coverage is None:
        return {name: None for name in models}
    pooled = PooledScores(lambda: [fitted_series_model(fc, name) for name in fc.panel_.ids], check_coverage(coverage))
    return {name: pooled.for_series(model, panel.target_values(name)) for name, model in models.items()}


def panel_forecast(fc, data=None, coverage: float | None = None, spread: bool = False) -> pd.DataFrame:
    """The next ``horizon`` values of every series, as one long table.

    Each series goes through the one-series stages (:func:`~.evaluation.next_values`) with its
    own model: its no-harm weight, its quantiles and Monte-Carlo spread, and intervals calibrated
    on its own validation windows that adapt to every outcome of ``data`` after its fitted rows
    (pooled scale-free scores where its own are too few; :mod:`.series_calibration`).

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
    calibrations = _calibrations(fc, panel, models, coverage)
    frames = []
    for name in panel.ids:
        columns = next_values(models[name], series_table(panel, name), coverage, spread, calibrations[name])
        frame = pd.DataFrame({panel.id_column: name,
                              panel.time_column: panel.future_times(name, fc.horizon),
                              "forecast": columns.pop("point")})
        for column, values in columns.items():
            frame[column] = values
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def window_forecasts(fc, panel: Panel, origins: dict[str, np.ndarray], coverage: float | None = None) -> dict:
    """Every series' forecasts from its ``origins``, by series: ``"point"`` (n, horizon) and, with
    ``coverage``, ``"lower"`` / ``"upper"`` (n, horizon), adaptive along the origins as
    ``interval_method`` says (each origin's threshold reads only outcomes realised before it)."""
    models = series_models(fc, panel, origins)
    calibrations = _calibrations(fc, panel, models, coverage)
    result = {}
    for name, rows in origins.items():
        model, values = models[name], panel.values(name)  # (N, F)
        if coverage is None:
            result[name] = {"point": model._forecast_at(values, rows, panel.source)}
            continue
        band = band_at(model, values, rows, coverage, panel.source)
        lower, upper = intervals_at(model, band, values[:, 0], rows, coverage, calibrations[name])
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
