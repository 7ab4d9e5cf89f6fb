"""Walk-forward backtest on many series: every forecast made only from the rows before its origin.

Each series' origins run from ``start`` (a row of every series, a share of each series'
rows, or a date) to its end, every ``step`` rows. A copy of the Forecaster (same
parameters, global or per-series models alike) is fitted on every series cut at its
first origin, and again, with ``refit_every``, on every series cut ``refit_every`` rows
later (an expanding window); each origin is forecast by the latest fit made before it::

    series s:  | fit 1 trains on these rows | o o o o | o o o o | o o ...
                                            ^ first_s  ^ first_s + refit_every
                                              fit 1      fit 2 (trained on every row before it)

The scores are those of :func:`~lstmcast.forecast.scores.panel_evaluation.panel_evaluate` on
the same origins: per series and their means, beside naive, seasonal naive, drift,
Naive2 and, when statsforecast is installed, AutoETS, AutoARIMA, AutoTheta and MSTL (fitted
once, on each series' rows before its first origin). Every series is forecast by its own
:class:`~lstmcast.forecast.prediction.series_model.SeriesModel` of each fit (its no-harm weight, its band), and its intervals
follow its own errors as for one series: the first fit's validation scores, then every outcome
realised before an origin, as ``interval_method`` says.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...data.errors import DataError
from ..preparing.known import FutureSpec, with_calendar
from ...data.panel import Panel, read_panel
from ...data.windows import check_positive_int
from .walk_forward import DEFAULT_START
from ..intervals.conformal_quantile import check_coverage
from ..scores.panel_evaluation import score_panel, scored_origins
from .walk_forward import joined_band, walk_forward_intervals
from ..scores.no_harm_series import weights_line
from ..prediction.series_models import fitted_series_model
from ..intervals.series_calibration import PooledScores
from ..intervals.uncertainty import band_at
from .refits import FitCopy, fitted_in_order

__all__ = ["PanelBacktestResult", "backtest_panel_copies", "fit_numbers", "panel_backtest"]


@dataclass(frozen=True)
class PanelBacktestResult:
    """What a walk-forward backtest on many series found.

    Attributes
    ----------
    forecasts : pandas.DataFrame
        One row per series, origin and step: the id column, ``origin`` (time of the first
        forecast step), the time column (the time forecast), ``step`` (1..horizon),
        ``actual``, ``forecast``, ``lower`` and ``upper`` (NaN without intervals), ``fit``
        (which fit made it, from 1).
    metrics : pandas.DataFrame
        The means over series (see :func:`~lstmcast.forecast.scores.panel_evaluation.panel_evaluate`),
        with ``attrs["per_series"]``.
    verdict : str
        One line: the LSTM's mean MASE against the best baseline's, and what was not run.
    coverage : float or None
        Mean over series of the share of actual values inside their interval.
    asked_coverage : float or None
    fits : pandas.DataFrame
        One row per fit: ``fit``, ``rows_after_first_origin`` (where each series was cut,
        past its first origin), ``series``, ``rows`` trained on in all, ``epochs``,
        ``best_epoch`` and ``seconds``.
    """

    forecasts: pd.DataFrame
    metrics: pd.DataFrame
    verdict: str
    coverage: float | None
    asked_coverage: float | None
    fits: pd.DataFrame


def fit_numbers(origins: dict[str, np.ndarray], refit_every: int | None) -> dict[str, np.ndarray]:
    """Which fit (from 0) forecasts each origin: fit k is made ``k * refit_every`` rows past each
    series' first origin and serves the ``refit_every`` rows from there (all of them: fit 0 when None)."""
    if refit_every is None:
        return {name: np.zeros(len(rows), dtype=np.int64) for name, rows in origins.items()}
    every = check_positive_int(refit_every, "refit_every")
    return {name: (rows - rows[0]) // every for name, rows in origins.items()}  # (n,) each


def panel_backtest(fc, panel: Panel, start=None, step: int = 1, refit_every: int | None = None,
                   coverage: float | None = 0.9, strong: bool | None = None, future=None,
                   static=None, client=None) -> PanelBacktestResult:
    """Walk-forward backtest of copies of ``fc`` on every series of ``panel``.

    Parameters
    ----------
    fc : Forecaster
        Its parameters are copied; it is left as it is.
    panel : Panel
    start : int, float, date-like or None
        First origin of every series: a row number (int), a share of each series' rows
        (float, default ``backtest.DEFAULT_START``, 0.8) or a time.
    step : int
        Rows between origins.
    refit_every : int or None
        Fit again every this many rows past the first origins; None: one fit.
    coverage : float or None
        Intervals meant to hold the truth with this probability; None: none.
    strong : bool or None
        The classical models (see :func:`~lstmcast.forecast.scores.panel_evaluation.panel_evaluate`).
    future, static : list of str or None
        The columns known in advance and the static ones, as ``fit``'s ``future_features`` and
        ``static_features``.
    client : TaskRunner, dask.distributed.Client or None
        Where the copies are fitted: None here, else as tasks there, the classical rows too
        (see :func:`~lstmcast.forecast.backtest.refits.fitted_in_order`).

    Returns
    -------
    PanelBacktestResult

    Raises
    ------
    DataError
        A series with too few rows before its first origin to fit on (named, with ``start``),
        before any fit.
    """
    step = check_positive_int(step, "step")
    level = None if coverage is None else check_coverage(coverage)
    start = DEFAULT_START if start is None else start
    origins = {name: rows[::step] for name, rows in scored_origins(fc, panel, start, fitted=False).items()}
    _check_rows_before(panel, origins, start, fc.look_back + fc.horizon)
    numbers = fit_numbers(origins, refit_every)
    made: dict[str, list[tuple]] = {name: [] for name in origins}  # (series model, positions, band or point)
    fits = []
    numbered = np.unique(np.concatenate(list(numbers.values())))
    cuts = {int(k): int(k) * (refit_every or 0) for k in numbered}  # rows past each series' first origin
    ends_of = {k: {name: min(int(rows[0]) + cut, panel.length(name)) for name, rows in origins.items()}
               for k, cut in cuts.items()}
    fit_copy = FitCopy(type(fc), fc.get_params(), {"future_features": future, "static_features": static})
    items = {k: (lambda ends=ends: panel.truncated(ends), f"fit {n + 1} of {len(cuts)}")  # each cut where its
             for n, (k, ends) in enumerate(ends_of.items())}  # fit is made, when it is made
    for k, model, seconds in fitted_in_order(fit_copy, items, client):
        cut, ends = cuts[k], ends_of[k]
        pooled = None if level is None else PooledScores(
            lambda fitted=model: [fitted_series_model(fitted, name) for name in fitted.panel_.ids], level)
        for name, rows in origins.items():
            positions = np.flatnonzero(numbers[name] == k)
            if not len(positions) or name not in model.states_:  # a failed local fit: left out
                continue
            series_model = fitted_series_model(model, name)
            values = panel.values(name)  # (N, F)
            if level is None:
                made[name].append((series_model, positions, series_model._forecast_at(values, rows[positions],
                                                                                      panel.source), None))
            else:
                band = band_at(series_model, values, rows[positions], level, panel.source)
                made[name].append((series_model, positions, band, pooled.for_series(series_model)))
        fits.append({"fit": k + 1, "rows_after_first_origin": cut, "series": len(ends),
                     "rows": sum(ends.values()), "epochs": model.history_.epochs,
                     "best_epoch": model.history_.best_epoch, "naive_kept": int(sum(
                         w == 0.0 for w in model.naive_weights_.values())),
                     "seconds": seconds})
    forecasts = {name: _series_forecasts(fc, parts, origins[name], panel.target_values(name), level)
                 for name, parts in made.items() if parts}
    metrics = score_panel(fc, panel, {name: f["origins"] for name, f in forecasts.items()}, forecasts, level,
                          strong, client)
    weights = {name: parts[-1][0].naive_weight_ for name, parts in made.items() if parts}
    metrics.attrs["verdict"] += "; " + weights_line(weights, fc.no_harm) + " (at the last fit)"
    reached = metrics.attrs["intervals"]["coverage"] if level is not None else None
    return PanelBacktestResult(_long_forecasts(fc, panel, forecasts, level), metrics, metrics.attrs["verdict"],
                               reached, level, pd.DataFrame(fits))


def _series_forecasts(fc, parts: list[tuple], origins: np.ndarray, target: np.ndarray, level: float | None) -> dict:
    """One series' walk-forward forecasts from each fit's ``(series model, positions in origins, band or
    point, calibration)``: ``origins``, ``fit``, ``point`` and, with ``level``, the adaptive ``lower`` and
    ``upper`` (as for one series: the first fit's validation scores, then every outcome realised since)."""
    served = np.sort(np.concatenate([positions for _, positions, _, _ in parts]))  # origins some fit forecast
    rows = origins[served]  # (n,)
    parts = [(m, np.searchsorted(served, positions), made, c) for m, positions, made, c in parts]
    fit = np.empty(len(rows), dtype=np.int64)  # (n,)
    for number, (_, positions, _, _) in enumerate(parts):
        fit[positions] = number + 1
    result = {"origins": rows, "fit": fit}
    if level is None:
        point = np.empty((len(rows), fc.horizon))  # (n, horizon)
        for _, positions, forecast, _ in parts:
            point[positions] = forecast
        result["point"] = point
        return result
    models = [(series_model, positions) for series_model, positions, _, _ in parts]
    band = joined_band([b for _, _, b, _ in parts], models, (len(rows), fc.horizon))
    lower, upper = walk_forward_intervals(models, [c for _, _, _, c in parts], band, target, rows, level,
                                          fc.interval_method)
    result.update(point=band.point, lower=lower, upper=upper)
    return result


def _check_rows_before(panel: Panel, origins: dict[str, np.ndarray], start, need: int) -> None:
    """DataError, before any fit, when a series has fewer than ``need`` rows before its first origin."""
    short = {name: int(rows[0]) for name, rows in origins.items() if rows[0] < need}
    if short:
        name, rows = next(iter(short.items()))
        more = f" (and {len(short) - 1} more series)" if len(short) > 1 else ""
        raise DataError(f"{panel.source}: start={start!r} leaves series {name!r} {rows} rows before its first "
                        f"origin{more}; the first fit needs look_back + horizon = {need}: start later")


def backtest_panel_copies(fc, data, target, features, id_column, time_column, fill, freq, start, end, step,
                          refit_every, coverage, strong, future=FutureSpec(), static=(),
                          client=None) -> PanelBacktestResult:
    """:func:`panel_backtest` of ``data`` read as a panel (``Forecaster.backtest``'s arguments; ``future``:
    the columns known in advance, read and derived here)."""
    if end is not None:
        raise ValueError(f"end={end!r}: a backtest on many series runs to the end of every series; cut the data "
                         "instead")
    if not isinstance(data, Panel):
        data = read_panel(data, target, id_column, time_column, [*(features or ()), *future.columns], fill, freq)
    return panel_backtest(fc, with_calendar(data, future.calendar), start, step, refit_every, coverage, strong,
                          [*future.columns, *future.calendar] or None, list(static) or None, client)


def _long_forecasts(fc, panel: Panel, forecasts: dict, level: float | None) -> pd.DataFrame:
    """One row per series, origin and step."""
    steps = np.arange(fc.horizon)
    frames = []
    for name, made in forecasts.items():
        times = panel.times(name)
        rows = made["origins"][:, None] + steps  # (n, H) rows forecast
        n = len(made["origins"])
        frame = pd.DataFrame({panel.id_column: name,
                              "origin": np.repeat(np.asarray(times[made["origins"]]), fc.horizon),
                              panel.time_column: np.asarray(times[rows.ravel()]),
                              "step": np.tile(steps + 1, n),
                              "actual": panel.target_values(name)[rows.ravel()],
                              "forecast": made["point"].ravel()})
        frame["lower"] = made["lower"].ravel() if level is not None else np.nan
        frame["upper"] = made["upper"].ravel() if level is not None else np.nan
        frame["fit"] = np.repeat(made["fit"], fc.horizon)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
