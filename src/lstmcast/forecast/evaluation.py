"""What a fitted forecaster tells: the next values (with intervals and member spread), and its scores
beside every baseline on exactly the same windows. The functions take the fitted estimator as their
first argument; the estimator's methods call them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.errors import DataError
from ..data.tables import row_position
from ..data.transforms import leading_rows
from .baselines import baseline_forecasts, season_from_freq
from .intervals import check_coverage, conformal_quantile, interval_bounds
from .metrics import metrics_table
from .strong import strong_forecasts
from .verdict import verdict_line


def evaluate_forecaster(forecaster, data=None, start=None, strong: bool | None = None) -> pd.DataFrame:
    """Metrics of a fitted forecaster (``"LSTM"``) and of the baselines on the same windows.

    See :meth:`lstmcast.Forecaster.evaluate` for the arguments and the result. The
    classical models (``strong``) are fitted once on the rows before the first scored
    window and forecast every window from the rows before its origin.
    """
    fc = forecaster
    fc._check_fitted()
    table = fc._read(data)
    if start is None and data is None:
        start = fc.split_.val.start if fc.split_.sizes[1] > 0 else 0
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
    result.attrs["verdict"] = verdict_line(result, not_run=classical.not_run)
    result.attrs["windows"] = int(len(origins))
    return result


def forecast_after(forecaster, data=None, coverage: float | None = None, spread: bool = False) -> pd.DataFrame:
    """The next ``horizon`` values after ``data``; see :meth:`lstmcast.Forecaster.forecast`."""
    fc = forecaster
    fc._check_fitted()
    half_width = None if coverage is None else conformal_half_width(fc.residuals_, coverage)
    table = fc._read(data)
    fc._check_length(table, 0)
    recent = table.values[-(fc.look_back + leading_rows(fc.target_transform)) :]  # (rows, F)
    members = fc._member_forecasts(recent, np.array([len(recent)]), table.source)[:, 0]  # (members, horizon)
    y = members[0] if len(members) == 1 else members.mean(axis=0)  # (horizon,)
    out = pd.DataFrame({fc.target_: y}, index=table.future_dates(fc.horizon))
    if half_width is not None:
        out["lower"], out["upper"] = interval_bounds(y, half_width)
    if spread:
        out["spread"] = members.std(axis=0)
        for k, member in enumerate(members, start=1):
            out[f"member_{k}"] = member
    return out


def conformal_half_width(residuals: np.ndarray, coverage: float) -> np.ndarray:
    """Conformal half-width per horizon step (horizon,) for ``coverage`` from validation residuals (n, horizon)."""
    coverage = check_coverage(coverage)
    if len(residuals) == 0:
        raise ValueError("this model has no validation residuals for intervals: "
                         "fit it with val_fraction > 0 to use coverage=")
    return conformal_quantile(residuals, coverage)


def predict_windows(forecaster, data=None) -> pd.DataFrame:
    """One forecast per window of ``data``; see :meth:`lstmcast.Forecaster.predict`."""
    fc = forecaster
    fc._check_fitted()
    table = fc._read(data)
    origins = fc._origins(table)
    y = fc._forecast_at(table.values, origins, table.source)  # (n, horizon)
    return pd.DataFrame(y, index=table.dates[origins], columns=[f"t+{h}" for h in range(1, fc.horizon + 1)])
