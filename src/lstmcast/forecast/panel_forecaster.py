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
from .panel_fitting import PanelState, fit_global
from .panel_predict import check_panel_interval_support, forecast_series
from .resume_data import check_same_data

__all__ = ["fit_panel", "is_panel_input", "panel_forecast", "panel_predict", "read_like_fitted",
           "state_groups", "states_with_new_series"]

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


def state_groups(states: dict[str, PanelState], ids) -> list[tuple[PanelState, list[str]]]:
    """The series ``ids`` grouped by the state that forecasts them (one group for a global model)."""
    groups: dict[int, tuple[PanelState, list[str]]] = {}
    for name in ids:
        state = states[name]
        groups.setdefault(id(state), (state, []))[1].append(name)
    return list(groups.values())


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


WINDOWS_PER_PASS = 16384
"""At most this many windows (or one series' windows) are stacked for one pass of the networks."""


def forecasts_at(fc, panel: Panel, origins: dict[str, np.ndarray], coverage: float | None = None) -> dict:
    """Each series' forecasts from its origins (see :func:`~.panel_predict.forecast_series`), series
    taken in chunks of about :data:`WINDOWS_PER_PASS` windows so that memory stays bounded.
    A series a global model was not fitted on is scaled on its own rows before its first origin."""
    result = {}
    groups = state_groups(states_with_new_series(fc, panel, origins), list(origins))
    if coverage is not None:  # too few validation windows anywhere: one line before any forecast
        check_panel_interval_support(groups, coverage)
    for state, ids in groups:
        chunk: list[str] = []
        windows = 0  # in the chunk
        for k, name in enumerate(ids):
            chunk.append(name)
            windows += len(origins[name])
            if k + 1 < len(ids) and windows + len(origins[ids[k + 1]]) <= WINDOWS_PER_PASS:
                continue
            values = {i: panel.values(i) for i in chunk}  # (N, F) each
            result.update(forecast_series(fc, state, values, {i: origins[i] for i in chunk}, panel.source, coverage))
            chunk, windows = [], 0
    return result


def panel_forecast(fc, data=None, coverage: float | None = None) -> pd.DataFrame:
    """The next ``horizon`` values of every series, as one long table.

    Returns
    -------
    pandas.DataFrame
        Columns: the id column, the time column, ``forecast``, the quantile columns
        (``q0.05`` ...) of a quantile model, ``lower`` and ``upper`` with ``coverage``;
        ``horizon`` rows per series, in the panel's order.
    """
    panel = read_like_fitted(fc, data)
    origins = {name: np.array([int(panel.lengths[name])]) for name in panel.ids}
    forecasts = forecasts_at(fc, panel, origins, coverage)
    frames = []
    for name in panel.ids:
        parts = forecasts[name]
        frame = pd.DataFrame({panel.id_column: name,
                              panel.time_column: panel.future_times(name, fc.horizon),
                              "forecast": parts["point"][0]})
        if "quantiles" in parts:
            for k, level in enumerate(fc._levels):
                frame[f"q{level:g}"] = parts["quantiles"][0, :, k]
        if coverage is not None:
            frame["lower"], frame["upper"] = parts["lower"][0], parts["upper"][0]
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def panel_predict(fc, data=None) -> pd.DataFrame:
    """One forecast per window of every series: the id, the window's first forecast time, and one
    column per step (``t+1`` ... ``t+horizon``)."""
    panel = read_like_fitted(fc, data)
    first = fc.look_back + leading_rows(fc.target_transform)
    origins = {name: np.arange(first, int(n) - fc.horizon + 1) for name, n in panel.lengths.items()
               if int(n) - fc.horizon + 1 > first}
    forecasts = forecasts_at(fc, panel, origins)
    steps = [f"t+{h + 1}" for h in range(fc.horizon)]
    frames = []
    for name, rows in origins.items():
        frame = pd.DataFrame(forecasts[name]["point"], columns=steps)
        frame.insert(0, panel.time_column, panel.times(name)[rows])
        frame.insert(0, panel.id_column, name)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
