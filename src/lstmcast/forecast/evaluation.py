"""What a fitted forecaster tells: the next values (with quantiles, intervals and member spread), and
its scores beside every baseline on exactly the same windows (with interval scores, the naive weight
and which windows the fit saw). The functions take one series' :class:`~.series_model.SeriesModel` and
its table; the estimator's methods call them for a one-series fit, the panel functions for every series."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.errors import DataError
from ..data.tables import row_position
from ..data.transforms import leading_rows
from .baselines import baseline_forecasts, season_from_freq
from .insample import in_sample_note
from .intervals import check_coverage, conformal_quantile
from .metrics import metrics_table
from .no_harm import weight_line
from .outputs import member_outputs, point_of, shrunk
from .strong import strong_forecasts
from .uncertainty import evaluation_intervals, forecast_columns, quantile_loss
from .verdict import verdict_line
from .windowing import check_window_rows


def evaluate_forecaster(model, table, start=None, strong: bool | None = None,
                        coverage: float | None = None) -> pd.DataFrame:
    """Metrics of one series' forecasts (``"LSTM"``) and of the baselines on the same windows.

    Parameters
    ----------
    model : SeriesModel
        What forecasts the series (:mod:`.series_model`).
    table : SeriesTable
        The series to score (the fitted rows, or newer data with the same columns).
    start, strong, coverage
        See :meth:`lstmcast.Forecaster.evaluate`. The classical models (``strong``) are
        fitted once on the rows before the first scored window and forecast every window
        from the rows before its origin.
    """
    fc = model
    origins = fc._origins(table)
    origins = origins[origins >= (0 if start is None else row_position(table, start, "start"))]
    if not len(origins):
        raise DataError(f"{table.source}: no window starts at or after {start!r}; nothing to score")
    series = table.target_values
    y_true = series[origins[:, None] + np.arange(fc.horizon)]  # (n, horizon)
    season = fc.season or season_from_freq(table.freq)
    predictions = {"LSTM": fc._forecast_at(table.values, origins, table.source)}
    predictions.update(baseline_forecasts(series, origins, fc.horizon, season))
    classical = strong_forecasts(series, int(origins[0]), origins, fc.horizon, season, run=strong)
    predictions.update(classical.forecasts)
    train_target = fc.table_.target_values[fc.split_.train]
    result = metrics_table(y_true, predictions, train_target, season=season, last_values=series[origins - 1])
    verdicts = [verdict_line(result, not_run=classical.not_run), weight_line(fc.naive_weight_, fc.no_harm)]
    seen, note = in_sample_note(table.dates, origins, fc.table_, fc.split_, fc.patience is not None)
    result.attrs["verdict"] = "; ".join(verdicts + ([note] if note else []))
    result.attrs["windows"] = int(len(origins))
    result.attrs["in_sample_windows"] = seen
    if coverage is not None:
        conformal_half_width(fc.residuals_, coverage)  # a clear error when intervals cannot be built
        result.attrs["intervals"], result.attrs["by_step"] = evaluation_intervals(
            fc, table, origins, coverage, train_target, season)
    if fc.loss == "quantile":
        result.attrs["pinball"] = quantile_loss(fc, table, origins)
    return result


def next_values(model, table, coverage: float | None = None, spread: bool = False,
                calibration: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The next ``horizon`` values after the end of ``table``, by column, each (horizon,).

    Parameters
    ----------
    model : SeriesModel
    table : SeriesTable
        At least ``look_back`` rows (plus the target transform's leading row).
    coverage : float, optional
        Add ``lower`` and ``upper``: conformal bounds from the validation scores (``calibration``,
        default the series' own) and every outcome of ``table`` after the fitted rows.
    spread : bool
        Add ``spread`` (the members' standard deviation) and ``member_1`` ... (each member's point).

    Returns
    -------
    dict of str to numpy.ndarray
        ``point``; the quantile columns (``q0.05`` ...) of a quantile model; ``lower``, ``upper``;
        ``spread``, ``member_k``.
    """
    fc = model
    check_window_rows(table, fc.look_back, 0, fc.target_transform)
    recent = table.values[-(fc.look_back + leading_rows(fc.target_transform)) :]  # (rows, F)
    origin = np.array([len(recent)])  # (1,)
    columns = {"point": fc._forecast_at(recent, origin, table.source)[0]}  # (horizon,)
    columns.update(forecast_columns(fc, table, recent, coverage, calibration))  # quantiles, intervals
    if spread:  # each member's point forecast, moved towards naive like the mean
        members = np.stack([point_of(fc, shrunk(fc, m, recent[-1:, 0]))[0]
                            for m in member_outputs(fc, recent, origin, table.source)])  # (members, horizon)
        columns["spread"] = members.std(axis=0)
        for k, member in enumerate(members, start=1):
            columns[f"member_{k}"] = member
    return columns


def forecast_after(model, table, coverage: float | None = None, spread: bool = False) -> pd.DataFrame:
    """The next ``horizon`` values after ``table`` as a date-indexed frame; see
    :meth:`lstmcast.Forecaster.forecast`."""
    if coverage is not None:
        conformal_half_width(model.residuals_, coverage)  # a clear error before any work when intervals cannot be built
    columns = next_values(model, table, coverage, spread)
    out = pd.DataFrame({model.target_: columns.pop("point")}, index=table.future_dates(model.horizon))
    for name, column in columns.items():
        out[name] = column
    if coverage is not None:
        out.attrs["interval_label"] = f"{coverage:.0%} interval ({model.interval_method})"
    return out


def conformal_half_width(residuals: np.ndarray, coverage: float) -> np.ndarray:
    """Conformal half-width per horizon step (horizon,) for ``coverage`` from validation residuals (n, horizon)."""
    coverage = check_coverage(coverage)
    if len(residuals) == 0:
        raise ValueError("this model has no validation residuals for intervals: "
                         "fit it with val_fraction > 0 to use coverage=")
    return conformal_quantile(residuals, coverage)


def predict_windows(model, table) -> pd.DataFrame:
    """One forecast per window of ``table``; see :meth:`lstmcast.Forecaster.predict`."""
    origins = model._origins(table)
    y = model._forecast_at(table.values, origins, table.source)  # (n, horizon)
    return pd.DataFrame(y, index=table.dates[origins], columns=[f"t+{h}" for h in range(1, model.horizon + 1)])
