"""A fitted Forecaster's forecasts of many series as long tables: every series through the one-series
stages with its own :class:`~lstmcast.forecast.prediction.series_model.SeriesModel` (no harm, quantiles,
Monte-Carlo spread, adaptive intervals; :mod:`lstmcast.forecast.intervals.series_calibration` says which
validation scores calibrate each)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from ...data.panel import Panel
from ...data.transforms import leading_rows
from .next_values import next_values, rows_read
from ..intervals.conformal_quantile import check_coverage
from ..intervals.series_calibration import PooledScores
from .series_model import SeriesModel, series_table
from ..intervals.uncertainty import band_at, intervals_at
from ...nn import get_threads
from ...parallel import TaskRunner
from . import batched
from .batched import pass_chunks, prefetch_outputs, prefetch_validation
from .series_models import fitted_series_model, read_like_fitted, series_models, with_future
from ..preparing.known import future_frame

__all__ = ["panel_forecast", "panel_predict", "window_forecasts"]


def _calibrations(fc, panel: Panel, models: dict[str, SeriesModel], coverage: float | None,
                  per_pass: int | None = None) -> dict:
    """Each series' calibration scores for ``coverage`` (None: its own; see :mod:`lstmcast.forecast.intervals.series_calibration`)."""
    if coverage is None:
        return {name: None for name in models}
    pooled = PooledScores(lambda: prefetch_validation({name: fitted_series_model(fc, name) for name in fc.panel_.ids},
                                                      per_pass), check_coverage(coverage))
    return {name: pooled.for_series(model, panel.target_values(name)) for name, model in models.items()}


@dataclass(frozen=True)
class _ForecastChunk:
    """One cluster task: the forecasts of some series (a panel) by the fitted model it is given once."""

    coverage: float | None
    spread: bool
    per_pass: int  # windows a pass of the networks, as in the run that made the tasks
    future: pd.DataFrame | None = None  # the known values after the data (indexed by time, with the id)

    def __call__(self, fc, panel: Panel, seed: int) -> pd.DataFrame:
        return _forecast_frame(fc, panel, self.coverage, self.spread, self.per_pass, self.future)


def panel_forecast(fc, data=None, coverage: float | None = None, spread: bool = False, client=None,
                   future=None) -> pd.DataFrame:
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

    ``client`` (a :class:`~lstmcast.parallel.TaskRunner` or a ``dask.distributed.Client``): the series
    are forecast as tasks there, in the runs one pass of the networks reads here
    (:func:`~lstmcast.forecast.prediction.batched.pass_chunks`), on as many kernel threads as here, the
    fitted model sent to each worker once; the numbers are those of a run here, bit for bit (the same
    passes, cut over threads the same way, on the same BLAS).
    """
    panel = read_like_fitted(fc, data)
    future = future_frame(future, panel.time_column, panel.id_column)
    if future is not None:
        future[panel.id_column] = future[panel.id_column].astype(str)
    if client is None:
        return _forecast_frame(fc, panel, coverage, spread, None, future)
    runner = client if isinstance(client, TaskRunner) else TaskRunner(client=client, progress=fc.verbose)
    per_pass = batched.WINDOWS_PER_PASS
    chunks = pass_chunks(list(panel.ids), [1] * len(panel), per_pass)
    done = runner.run(_ForecastChunk(coverage, spread, per_pass, future),
                      {k: panel.select(ids) for k, ids in enumerate(chunks)},
                      seed=fc.seed, label="chunk", shared=fc, threads=get_threads())  # each pass cut as here
    if done.failures:
        done.raise_failures()
    return pd.concat([done.results[k] for k in range(len(chunks))], ignore_index=True)


def _forecast_frame(fc, panel: Panel, coverage: float | None, spread: bool, per_pass: int | None = None,
                    future: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`panel_forecast` of ``panel`` (read like the fitted panel), here."""
    origins = {name: np.array([panel.length(name)]) for name in panel.ids}
    models = series_models(fc, panel, origins)
    by_series = {} if future is None else dict(tuple(future.groupby(panel.id_column, sort=False)))
    for name in panel.ids:
        frame = None if future is None else by_series.get(name, future.iloc[:0])
        models[name] = with_future(models[name], panel.future_times(name, fc.horizon), frame,
                                   f"{panel.source}: series {name!r}")
    tables = {name: series_table(panel, name) for name in panel.ids}
    recent = {name: rows_read(models[name], table.values) for name, table in tables.items()}
    prefetch_outputs(models, recent, {name: np.array([len(rows)]) for name, rows in recent.items()}, panel.source,
                     per_pass)
    calibrations = _calibrations(fc, panel, models, coverage, per_pass)
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
