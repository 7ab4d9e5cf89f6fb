"""How a model fitted on many series did, series by series and over all of them, beside the baselines.

Every series is scored on its own windows (the same origins for the LSTM and every
baseline): MAE, RMSE, sMAPE and MASE (scaled by the in-sample seasonal naive error of
the rows before its first scored window, as M4 does), with naive, seasonal naive,
drift and, for seasonal data, Naive2 (the M4 reference, so the table also gives OWA),
and AutoETS, AutoARIMA, AutoTheta and MSTL when statsforecast is installed (each fitted on
the series' rows before its first scored window, as for one series; see
:mod:`lstmcast.forecast.scores.strong`).
The aggregate row of a model is the mean of its per-series scores: series of any
magnitude weigh alike, as in the M4 Competition.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...data.errors import DataError
from ...data.positions import position_row
from ...data.transforms import leading_rows
from ...parallel import TaskRunner
from .baselines import baseline_forecasts, naive2, season_from_freq
from ..intervals.interval_metrics import msis
from ..intervals.conformal_quantile import check_coverage
from .m4 import owa
from .metrics import mae, mase, rmse, smape
from .no_harm_series import weights_line
from ..combining.combination_line import combination_line
from ..prediction.series_models import read_like_fitted
from ..prediction.panel_forecasts import window_forecasts
from .strong import (
    INSTALL_HINT,
    STRONG_MODELS,
    WORK_LIMIT,
    statsforecast_installed,
    strong_forecasts,
)

__all__ = ["PANEL_FIT_LIMIT", "classical_rows", "panel_evaluate", "panel_season", "score_panel", "scored_origins"]

SCORES = ("MAE", "RMSE", "sMAPE", "MASE")

PANEL_FIT_LIMIT = 10_000
"""Fitting rows in all (every series' rows before its first scored window) above which ``strong=None``
leaves the classical models out of a panel's evaluation: the three take 0.3 s on a 130-row monthly
series, 1-3 s on 200 noisier ones, and a seasonal AutoARIMA 20-70 s on 700 hourly rows (season 24),
so the 414 M4 Hourly series would take hours; at this limit a default evaluation waits a minute or
two at most. The verdict then says so; ``strong=True`` runs them anyway."""


def panel_season(fc, panel) -> int:
    """The season length of MASE, seasonal naive and Naive2: ``fc.season``, else from the dates' frequency, else 1."""
    if getattr(fc, "season_", None) is not None:  # given, from the frequency or detected by the fit
        return int(fc.season_)
    if fc.season is not None:
        return int(fc.season)
    found = season_from_freq(panel.freq) if panel.has_dates else None
    return int(found) if found else 1


def scored_origins(fc, panel, start, fitted: bool) -> dict[str, np.ndarray]:
    """The origins scored in each series (series without any are left out).

    ``fitted`` (the fitted panel, no ``start``): the validation windows. Otherwise every
    window from ``start``: a row number of every series (int; negative counts from each
    series' end), a share of each series' rows (float), or a date (dated panels only), as
    :func:`~lstmcast.data.positions.position_row` reads it (strings too).
    """
    first = fc.look_back + leading_rows(fc.target_transform)
    result = {}
    for name, n_rows in panel.lengths.items():
        n_rows = int(n_rows)
        begin = first
        if fitted and start is None:
            begin = max(first, fc.states_[name].splits[name].val.start)
        elif start is not None:  # the same reading as for one series: see data.positions
            begin = max(first, position_row(start, n_rows, panel.times(name) if panel.has_dates else None))
        origins = np.arange(begin, n_rows - fc.horizon + 1)  # (n,)
        if len(origins):
            result[name] = origins
    if not result:
        raise DataError(f"{panel.source}: no series has a window of look_back + horizon = "
                        f"{fc.look_back + fc.horizon} rows from start={start!r}")
    return result


def _series_scores(actual, forecast, history, season) -> dict[str, float]:
    scale_season = season if len(history) > season else 1
    return {"MAE": mae(actual, forecast), "RMSE": rmse(actual, forecast), "sMAPE": smape(actual, forecast),
            "MASE": mase(actual, forecast, history, scale_season)}


def _classical_plan(strong: bool | None, origins: dict[str, np.ndarray]) -> tuple[bool, dict[str, str]]:
    """Whether to fit the classical models in every series, and why not (model -> reason) when they are not."""
    if strong is False:
        return False, {}
    if not statsforecast_installed():
        return False, {name: INSTALL_HINT for name in STRONG_MODELS}
    if strong is None:
        fit_rows = sum(int(o[0]) for o in origins.values())
        work = sum(int(o.sum()) for o in origins.values())
        if fit_rows > PANEL_FIT_LIMIT or work > WORK_LIMIT:
            why = (f"skipped: {len(origins)} series, {fit_rows:,} rows to fit them on (the default limit is "
                   f"{PANEL_FIT_LIMIT:,}); strong=True runs them")
            return False, {name: why for name in STRONG_MODELS}
        return True, {}
    return True, {}


def panel_evaluate(fc, data=None, start=None, coverage: float | None = None,
                   strong: bool | None = None, client=None) -> pd.DataFrame:
    """Per-series and aggregate metrics of a panel model and the baselines on the same windows.

    Parameters
    ----------
    fc : Forecaster
        Fitted on a panel.
    data : path, DataFrame or Panel, optional
        Default: the fitted panel, scored on each series' validation windows.
    start : int, float, date-like or None
        Score windows whose first forecast step is at or after this row (int), share of
        each series' rows (float) or time; default every window of ``data``.
    coverage : float, optional
        Also score conformal intervals: coverage, ACD and MSIS in ``attrs["intervals"]``.
    strong : bool or None
        Add AutoETS, AutoARIMA, AutoTheta and MSTL, fitted in every series on its rows before
        its first scored window. ``None``: unless those rows add up to more than
        :data:`PANEL_FIT_LIMIT` (the verdict then says they were skipped); ``True``:
        always; ``False``: never.
    client : TaskRunner or dask.distributed.Client, optional
        Fit the classical models of each series as one task there (the same numbers as here).

    Returns
    -------
    pandas.DataFrame
        One row per model (LSTM, naive, seasonal naive, drift, Naive2, the classical
        models), the mean over series of MAE, RMSE, sMAPE, MASE, and OWA when Naive2 ran.
        A model missing in some series (a classical fit that failed there) has no
        aggregate row; its per-series MASE is there where it ran. ``attrs``:
        ``per_series`` (a row per series: the LSTM's scores, each baseline's MASE and
        the windows scored), ``verdict``, ``windows``, ``series``, and ``intervals``
        with ``coverage``.
    """
    panel = read_like_fitted(fc, data)
    origins = scored_origins(fc, panel, start, data is None)
    level = None if coverage is None else check_coverage(coverage)
    table = score_panel(fc, panel, origins, window_forecasts(fc, panel, origins, level), level, strong, client)
    weights = {name: fc.naive_weights_.get(name, 1.0) for name in origins}
    table.attrs["verdict"] += "; " + weights_line(weights, fc.no_harm)
    if fc.combine_ != "none":
        table.attrs["verdict"] += "; " + combination_line(fc.combinations_, fc.combine_, fc.combine_note_)
    return table


@dataclass(frozen=True)
class _ClassicalRows:
    """One series' classical forecasts, as a task (picklable for a cluster): fitted on the rows before
    its first origin, forecasting from each origin."""

    horizon: int
    season: int | None

    def __call__(self, item, seed: int):
        target, origins = item
        return strong_forecasts(target, int(origins[0]), origins, self.horizon, self.season)


def classical_rows(panel, origins: dict[str, np.ndarray], horizon: int, season: int | None, client=None,
                   progress: bool = False) -> dict:
    """Each series' :class:`~lstmcast.forecast.scores.strong.StrongForecasts`, by id, as one task per series
    on ``client`` (a :class:`~lstmcast.parallel.TaskRunner` or ``dask.distributed.Client``; default here):
    the same numbers wherever they run."""
    runner = client if isinstance(client, TaskRunner) else TaskRunner(client=client, progress=progress)
    items = {name: (panel.target_values(name), rows) for name, rows in origins.items()}
    done = runner.run(_ClassicalRows(horizon, season), items, label="series")
    done.raise_failures()
    return done.results


def score_panel(fc, panel, origins: dict[str, np.ndarray], forecasts: dict, level: float | None,
                strong: bool | None, client=None) -> pd.DataFrame:
    """:func:`panel_evaluate`'s table from each series' ``origins`` and the LSTM's ``forecasts`` there
    (by series: ``"point"`` (n, horizon), and ``"lower"`` / ``"upper"`` when ``level`` is given)."""
    season = panel_season(fc, panel)
    steps = np.arange(fc.horizon)
    run_classical, not_run = _classical_plan(strong, origins)
    classical_by_series = (classical_rows(panel, origins, fc.horizon, season if season > 1 else None, client,
                                          fc.verbose) if run_classical else {})
    failed: dict[str, dict[str, str]] = {}  # model -> series -> why it was not run there
    per_model: dict[str, list[dict]] = {}
    rows, intervals = [], []
    for name, series_origins in origins.items():
        target = panel.target_values(name)  # (N,)
        actual = target[series_origins[:, None] + steps]  # (n, H)
        history = target[: series_origins[0]]
        models = {"LSTM": forecasts[name]["point"],
                  **baseline_forecasts(target, series_origins, fc.horizon, season if season > 1 else None)}
        if season > 1 and series_origins.min() >= 3 * season:
            models["Naive2"] = naive2(target, series_origins, fc.horizon, season)
        if run_classical:
            classical = classical_by_series[name]
            models.update(classical.forecasts)
            for model, why in classical.not_run.items():
                failed.setdefault(model, {})[name] = why
        row = {"series": name, "windows": len(series_origins)}
        for model, forecast in models.items():
            scores = _series_scores(actual, forecast, history, season)
            per_model.setdefault(model, []).append(scores)
            if model == "LSTM":
                row.update(scores)
            else:
                row[f"{model} MASE"] = scores["MASE"]
        if level is not None:
            lower, upper = forecasts[name]["lower"], forecasts[name]["upper"]
            inside = float(np.mean((actual >= lower) & (actual <= upper)))
            scale_season = season if len(history) > season else 1
            intervals.append({"coverage": inside, "MSIS": msis(actual, lower, upper, level, history, scale_season)})
            row["coverage"] = inside
        rows.append(row)
    n_series = len(origins)
    table = pd.DataFrame({model: pd.DataFrame(scores).mean() for model, scores in per_model.items()
                          if len(scores) == n_series}).T[list(SCORES)]
    table.index.name = "model"
    if "Naive2" in table.index:
        base = table.loc["Naive2"]
        table["OWA"] = [owa(r["sMAPE"], r["MASE"], base["sMAPE"], base["MASE"]) for _, r in table.iterrows()]
    per_series = pd.DataFrame(rows).set_index("series")
    table.attrs["per_series"] = per_series
    table.attrs["series"] = n_series
    table.attrs["windows"] = int(per_series["windows"].sum())
    for model, where in failed.items():
        reasons = "; ".join(sorted(set(where.values())))
        not_run[model] = f"in {len(where)} of {n_series} series: {reasons}"
    table.attrs["not_run"] = not_run
    table.attrs["verdict"] = _verdict(table, per_series, not_run)
    if level is not None:
        cover = float(np.mean([r["coverage"] for r in intervals]))
        table.attrs["intervals"] = {"coverage": cover, "ACD": abs(cover - level),
                                    "MSIS": float(np.mean([r["MSIS"] for r in intervals]))}
    return table


def _verdict(table: pd.DataFrame, per_series: pd.DataFrame, not_run: dict[str, str]) -> str:
    """One line: the LSTM's mean MASE against the best baseline's, in how many series it beat naive,
    and which classical models were not run (and why)."""
    baselines = table.drop(index="LSTM")
    best = baselines["MASE"].idxmin()
    lstm, other = float(table.loc["LSTM", "MASE"]), float(baselines.loc[best, "MASE"])
    wins = int((per_series["MASE"] < per_series["naive MASE"]).sum())
    side = "beats" if lstm < other else "does not beat"
    line = (f"LSTM {side} the best baseline ({best}) on mean MASE: {lstm:.3f} vs {other:.3f}; "
            f"it beats naive in {wins} of {len(per_series)} series")
    if not_run:
        line += f"; not run: {', '.join(not_run)} ({'; '.join(sorted(set(not_run.values())))})"
    return line
