"""Walk-forward backtest: every forecast made only from the data before its origin.

An *origin* is the row of the first forecast step. Origins run from ``start`` to
the end of the data every ``step`` rows. A copy of the Forecaster (same
parameters) is fitted on all rows before the first origin, and again on all rows
before an origin once ``refit_every`` rows have passed since the last fit (an
expanding window). Each origin is forecast by the latest model fitted before it,
from the ``look_back`` rows just before it: no value at or after the origin is
read, by the model or by the baselines scored on the same origins (naive,
seasonal naive, drift, and AutoETS, AutoARIMA, AutoTheta when statsforecast is
installed, fitted at the same origins on the same rows). Metrics are on levels,
in the data's units; MASE is scaled by the in-sample naive error of the rows
before the first origin.

With ``coverage``, each forecast gets a conformal interval that uses only the
outcomes known at its origin: the validation errors of the first model, then every
error realised since (``interval_method`` of the Forecaster: ``"aci"``, ``"rolling"``;
``"split"`` uses each model's own validation errors only). The result reports the
share of actual values that fell inside — the coverage reached, next to the one
asked — with the interval scores (:mod:`lstmcast.forecast.intervals.interval_metrics`) of that
method and, for comparison, of split-conformal intervals on the same forecasts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np
import pandas as pd

from ...data.errors import DataError, quiet_data_warnings
from ...data.features import read_with_features
from ..preparing.known import FutureSpec, with_calendar
from ...data.tables import SeriesTable, choose_target, row_position
from ...data.windows import check_positive_int
from ..scores.baselines import baseline_forecasts, season_from_freq
from ..intervals.interval_metrics import coverage_by_step, interval_table, pinball
from ..intervals.conformal_quantile import TooFewCalibrationErrors, check_coverage, interval_coverage
from ..scores.metrics import metrics_table
from ..scores.no_harm import weight_line
from ..scores.strong import WORK_LIMIT, strong_forecasts
from ..intervals.uncertainty import Band, band_at, calibration_for, check_interval_support, intervals_at
from ..scores.verdict import verdict_line
from .refits import FitCopy, fitted_in_order

__all__ = ["BacktestResult", "backtest_copies", "origin_rows", "refit_origins", "run_backtest", "verdict_line"]

CALIBRATION_LEVELS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)
"""Nominal coverages of the calibration table (and figure) of a backtest."""

DEFAULT_START = 0.8
"""Without ``start``, the backtest covers the last 20% of the rows."""


@dataclass(frozen=True)
class BacktestResult:
    """What a walk-forward backtest found.

    Attributes
    ----------
    forecasts : pandas.DataFrame
        One row per origin and step: ``origin`` (date of the first forecast step),
        ``date`` (the date forecast), ``step`` (1..horizon), ``actual``, ``forecast``,
        ``lower``, ``upper`` (NaN without intervals), ``naive`` and ``fitted_until``
        (the last date the model that made the forecast was trained on).
    metrics : pandas.DataFrame
        One row per model (``LSTM``, ``naive``, ``seasonal naive``, ``drift``, and
        ``AutoETS``, ``AutoARIMA``, ``AutoTheta`` when statsforecast is installed), the
        columns of :func:`~lstmcast.forecast.scores.metrics.metrics_table`, over all origins.
    verdict : str
        One line: does the LSTM beat naive and the strongest of all on MAE, which
        classical models were not run (and why), and the weight each fit put on the
        LSTM against naive (``no_harm``)?
    coverage : float or None
        Share of actual values inside their interval; None without intervals.
    asked_coverage : float or None
        The coverage the intervals were built for.
    fits : pandas.DataFrame
        One row per fit: ``first_origin`` it served, ``rows`` trained on,
        ``epochs`` run, ``best_epoch``, ``naive_weight`` (the weight on the LSTM against
        naive fitted on its validation windows), ``seconds``.
    history : pandas.Series
        The target over the backtest span plus the ``look_back`` rows before it.
    target : str
    horizon : int
    intervals : pandas.DataFrame or None
        Interval scores (coverage, ACD, width, Winkler, MSIS) of the method used and of
        split-conformal intervals on the same forecasts; None without intervals.
    by_step : pandas.DataFrame or None
        Coverage and mean width per forecast step (index ``step``).
    pinball : float or None
        Mean pinball loss of the quantile forecasts (``loss="quantile"`` only).
    calibration : pandas.DataFrame or None
        Coverage reached (columns: the method used, and ``split``) for each nominal
        coverage in :data:`CALIBRATION_LEVELS` (index ``nominal``), on the same forecasts.
    """

    forecasts: pd.DataFrame
    metrics: pd.DataFrame
    verdict: str
    coverage: float | None
    asked_coverage: float | None
    fits: pd.DataFrame
    history: pd.Series
    target: str
    horizon: int
    intervals: pd.DataFrame | None = None
    by_step: pd.DataFrame | None = None
    pinball: float | None = None
    calibration: pd.DataFrame | None = None

    @property
    def n_origins(self) -> int:
        """How many origins were forecast."""
        return int(self.forecasts["origin"].nunique())

    def coverage_line(self) -> str:
        """One line on the intervals: the coverage asked and reached."""
        if self.coverage is None:
            return "no intervals (coverage not asked)"
        return (f"{100 * self.asked_coverage:.0f}% intervals held {100 * self.coverage:.1f}% of "
                f"{len(self.forecasts)} actual values")


def run_backtest(fit_models: Callable[[list[int]], Iterator[tuple]], table: SeriesTable, horizon: int,
                 look_back: int, season: int | None = None, start=None, end=None, step: int = 1,
                 refit_every: int | None = None, coverage: float | None = 0.9, strong: bool | None = None,
                 has_validation: bool = True) -> BacktestResult:
    """Walk a model forward through ``table``.

    Parameters
    ----------
    fit_models : callable
        ``fit_models(cuts)`` yields, for each number of first rows of ``table.frame`` in
        ``cuts`` and in their order, ``(model, seconds)``: a fresh model fitted on those rows,
        as what forecasts the series (a :class:`~lstmcast.forecast.prediction.series_model.SeriesModel`;
        :meth:`lstmcast.Forecaster.backtest` fits copies of itself, here or on a cluster).
    table : SeriesTable
        The data, target first.
    horizon, look_back : int
        The model's; ``look_back`` only sets how much history the result shows.
    season : int or None
        Season length of the seasonal baselines and MASE; from the frequency when None.
    start : int, float, date-like or None
        First origin: a row number (negative counts from the end), a fraction of
        the rows in (0, 1), or a date (the first row at or after it). Default 0.8.
    end : int, float, date-like or None
        Origins stop before this row (same forms as ``start``); default: the last
        origin with ``horizon`` actual values after it.
    step : int
        Rows between origins.
    refit_every : int or None
        Refit on all rows before an origin once this many rows have passed since
        the last fit; ``None`` fits once, before the first origin.
    coverage : float or None
        Build conformal intervals for this coverage (needs validation windows).
    strong : bool or None
        Also score AutoETS, AutoARIMA, AutoTheta and MSTL when statsforecast is installed,
        fitted at the same origins on the same rows as the model. ``None``: unless the
        origins' histories add up to more than ``strong.WORK_LIMIT`` rows (the verdict
        says so); ``True``: always; ``False``: never.
    has_validation : bool
        Whether the model keeps validation windows (``coverage`` needs them).

    Returns
    -------
    BacktestResult

    Raises
    ------
    ValueError
        Bad arguments (``step``, ``refit_every``, ``coverage``, ``start``, ``end``).
    DataError
        Problems with the data, or no origin left between ``start`` and ``end``.
    """
    step = check_positive_int(step, "step")
    if refit_every is not None:
        refit_every = check_positive_int(refit_every, "refit_every")
    if coverage is not None:
        coverage = check_coverage(coverage)
        if not has_validation:
            raise ValueError("coverage needs validation residuals: use val_fraction > 0, or coverage=None")
    origins = origin_rows(table, start, end, step, horizon)
    series = table.target_values  # (N,)
    values = table.values  # (N, F)
    season = season or season_from_freq(table.freq)

    predictions = np.empty((len(origins), horizon))  # (M, horizon)
    lower = np.full_like(predictions, np.nan)  # (M, horizon)
    upper = np.full_like(predictions, np.nan)  # (M, horizon)
    fitted_until = np.empty(len(origins), dtype=np.int64)  # (M,) last training row of each origin's model
    fits, models, bands = [], [], []
    classical: dict[str, np.ndarray] = {}
    not_run: dict[str, str] = {}
    run_strong = strong is True or (strong is None and int(origins.sum()) <= WORK_LIMIT)
    if strong is None and not run_strong:  # too costly by default: say so, run nothing
        not_run = strong_forecasts(series, int(origins[0]), origins, horizon, season, run=None).not_run
    fit_at = refit_origins(origins, refit_every)
    fitted = fit_models([int(row) for row in fit_at])
    for k, fit_origin in enumerate(fit_at):
        serves = (origins >= fit_origin) & (origins < (fit_at[k + 1] if k + 1 < len(fit_at) else np.inf))
        try:
            with quiet_data_warnings():  # the table's warning was given when it was read
                model, seconds = next(fitted)
        except DataError as err:
            raise DataError(f"{table.source}: fitting on the {fit_origin} rows before "
                            f"{table.dates[fit_origin].date()} failed: {err}") from None
        rows = np.flatnonzero(serves)
        if coverage is not None and k == 0:  # too few validation windows for the coverage: say so before the fits
            check_interval_support(model, coverage)
        if coverage is None:
            predictions[rows] = model._forecast_at(values, origins[rows], table.source)
        else:
            bands.append(band_at(model, values, origins[rows], coverage, table.source))
            predictions[rows] = bands[-1].point
        fitted_until[rows] = fit_origin - 1
        models.append((model, rows))
        fits.append({"first_origin": table.dates[fit_origin], "rows": int(fit_origin),
                     "epochs": model.history_.epochs, "best_epoch": model.history_.best_epoch,
                     "naive_weight": model.naive_weight_, "seconds": seconds})
        if run_strong:
            found = strong_forecasts(series, int(fit_origin), origins[rows], horizon, season)
            not_run = found.not_run
            for name, forecast in found.forecasts.items():
                classical.setdefault(name, np.full_like(predictions, np.nan))[rows] = forecast

    steps = np.arange(horizon)  # (horizon,)
    actual = series[origins[:, None] + steps]  # (M, horizon)
    compared = {"LSTM": predictions, **baseline_forecasts(series, origins, horizon, season), **classical}
    metrics = metrics_table(actual, compared, series[: origins[0]], season=season,
                            last_values=series[origins - 1])
    fits = pd.DataFrame(fits)
    first = models[0][0]
    verdict = verdict_line(metrics, not_run=not_run) + "; " + _weights_line(fits["naive_weight"], first.no_harm)
    metrics.attrs["verdict"] = verdict
    metrics.attrs["windows"] = int(len(origins))

    scores = {}
    if coverage is not None:
        band = joined_band(bands, models, predictions.shape)
        calibrations = [calibration_for(model, coverage) for model, _ in models]
        methods = dict.fromkeys([first.interval_method, "split"])  # the method used, then split to compare

        def bounds_at(level, method):
            return walk_forward_intervals(models, calibrations, band, series, origins, level, method)

        bounds = {method: bounds_at(coverage, method) for method in methods}
        lower, upper = bounds[first.interval_method]
        scores["intervals"] = interval_table(actual, bounds, coverage, series[: origins[0]], season)

        def reached_at(level, method):  # NaN where the validation windows are too few for the level
            try:
                return interval_coverage(actual, *bounds_at(level, method))
            except TooFewCalibrationErrors:
                return np.nan

        scores["calibration"] = pd.DataFrame(
            {method: [reached_at(level, method) for level in CALIBRATION_LEVELS]
             for method in methods}, index=pd.Index(CALIBRATION_LEVELS, name="nominal"))
        scores["by_step"] = pd.DataFrame({"coverage": coverage_by_step(actual, lower, upper),
                                          "width": np.mean(upper - lower, axis=0)},
                                         index=pd.RangeIndex(1, horizon + 1, name="step"))
        if band.quantiles is not None:
            scores["pinball"] = pinball(actual, band.quantiles, models[0][0].quantiles)
    forecasts = _long_table(table, origins, actual, predictions, lower, upper, compared["naive"], fitted_until)
    reached = None if coverage is None else interval_coverage(actual, lower, upper)
    span = slice(max(0, origins[0] - look_back), origins[-1] + horizon)
    return BacktestResult(forecasts=forecasts, metrics=metrics, verdict=verdict, coverage=reached,
                          asked_coverage=coverage, fits=fits,
                          history=table.frame[table.target].iloc[span], target=table.target, horizon=horizon,
                          **scores)


def joined_band(bands: list, models: list, shape: tuple) -> Band:
    """One band over all origins from the bands of each fit's origins."""
    parts = {}
    for name in ("point", "lower", "upper", "scale", "quantiles"):
        if getattr(bands[0], name) is None:
            parts[name] = None
            continue
        joined = np.empty(shape + getattr(bands[0], name).shape[2:])  # (M, horizon[, Q])
        for band, (_, rows) in zip(bands, models):
            joined[rows] = getattr(band, name)
        parts[name] = joined
    return Band(**parts)


def walk_forward_intervals(models, calibrations, band: Band, series, origins, coverage: float, method: str):
    """Bounds (M, horizon): ``"split"`` from each model's own validation scores; otherwise one stream
    of scores, the first model's validation scores followed by every outcome realised since."""
    lower, upper = np.empty(band.point.shape), np.empty(band.point.shape)  # (M, horizon)
    if method == "split":
        for (model, rows), calibration in zip(models, calibrations):
            lower[rows], upper[rows] = intervals_at(model, band.take(rows), series, origins[rows], coverage,
                                                    calibration, "split")
        return lower, upper
    return intervals_at(models[0][0], band, series, origins, coverage, calibrations[0], method)


def _weights_line(weights: pd.Series, mode: str) -> str:
    if weights.nunique() == 1:
        return weight_line(float(weights.iloc[0]), mode)
    return "forecasts shrunk towards naive by weights " + ", ".join(f"{w:.2f}" for w in weights) + \
        " on the LSTM (one per fit, fitted on its validation windows)"


def origin_rows(table: SeriesTable, start, end, step: int, horizon: int) -> np.ndarray:
    """Origins ``start, start + step, ...`` before ``end`` with ``horizon`` actual values after each.

    Returns
    -------
    numpy.ndarray of int64, shape (M,)

    Raises
    ------
    DataError
        If no origin is left.
    """
    n = len(table)
    first = row_position(table, DEFAULT_START if start is None else start, "start")
    stop = n - horizon + 1 if end is None else min(row_position(table, end, "end"), n - horizon + 1)
    first = max(first, 1)
    origins = np.arange(first, stop, step, dtype=np.int64)  # (M,)
    if len(origins) == 0:
        raise DataError(f"{table.source}: no origin between start={start!r} and end={end!r} leaves "
                        f"horizon = {horizon} values to check ({n} rows)")
    return origins


def refit_origins(origins: np.ndarray, refit_every: int | None) -> np.ndarray:
    """The origins at which a model is (re)fitted: the first, then each origin at least
    ``refit_every`` rows after the previous fit (``None``: only the first)."""
    fit_at = [int(origins[0])]
    if refit_every is not None:
        for origin in origins[1:]:
            if origin - fit_at[-1] >= refit_every:
                fit_at.append(int(origin))
    return np.asarray(fit_at, dtype=np.int64)


def _long_table(table, origins, actual, predictions, lower, upper, naive, fitted_until) -> pd.DataFrame:
    horizon = actual.shape[1]
    target_rows = origins[:, None] + np.arange(horizon)  # (M, horizon)
    return pd.DataFrame({
        "origin": np.repeat(table.dates[origins], horizon),
        "date": table.dates[target_rows.ravel()],
        "step": np.tile(np.arange(1, horizon + 1), len(origins)),
        "actual": actual.ravel(),
        "forecast": predictions.ravel(),
        "lower": lower.ravel(),
        "upper": upper.ravel(),
        "naive": naive.ravel(),
        "fitted_until": np.repeat(table.dates[fitted_until], horizon),
    })


def backtest_copies(fc, data, target, features, date_column, fill, freq, future=FutureSpec(), client=None,
                    **options) -> BacktestResult:
    """:func:`run_backtest` with unfitted copies of the estimator ``fc`` (its class and parameters),
    each fitted on the rows before its origins; ``fc`` is left as it is. ``future``: the columns known
    in advance (read, and the calendar derived, here; each copy reads them as columns). ``client``: where
    the copies are fitted (:func:`~lstmcast.forecast.backtest.refits.fitted_in_order`). ``options``
    are :func:`run_backtest`'s keywords from ``start`` on."""
    if target is None and hasattr(fc, "target_"):
        future = fc.__dict__.get("future_") or FutureSpec()
        target, features = fc.target_, [name for name in fc.features_ if name not in future.names]
    features = [*((features,) if isinstance(features, str) else features or ()), *future.columns]
    table = with_calendar(read_with_features(data, choose_target(data, target, date_column), features, date_column,
                                             fill, freq), future.calendar)
    past = [name for name in table.features if name not in future.names]
    fit_copy = FitCopy(type(fc), fc.get_params(), {"target": table.target, "features": past, "freq": table.freq,
                                                   "future_features": [*future.columns, *future.calendar] or None})

    def fit_models(cuts: list[int]):
        items = {k: (lambda rows=rows: table.frame.iloc[:rows], f"fit {k + 1} of {len(cuts)}")  # built when fitted
                 for k, rows in enumerate(cuts)}
        for _, model, seconds in fitted_in_order(fit_copy, items, client):
            yield model._series_model(), seconds

    return run_backtest(fit_models, table, fc.horizon, fc.look_back, fc.season,
                        has_validation=fc.val_fraction > 0, **options)
