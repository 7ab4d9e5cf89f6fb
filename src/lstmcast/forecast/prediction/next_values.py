"""What one series' model tells of the future: the next values after a table (with quantiles,
adaptive intervals and the members' spread), and one forecast per window. The functions take the
series' :class:`~lstmcast.forecast.prediction.series_model.SeriesModel` and its table; the estimator calls them
for a one-series fit, :mod:`lstmcast.forecast.prediction.panel_forecasts` for every series of a panel."""

from __future__ import annotations

import numpy as np
import pandas as pd
from ...data.transforms import leading_rows
from ..intervals.conformal_quantile import check_coverage, conformal_quantile
from .outputs import member_outputs, point_of, shrunk
from ..intervals.uncertainty import forecast_columns
from ..preparing.windowing import check_window_rows

__all__ = ["conformal_half_width", "forecast_after", "next_values", "predict_windows", "rows_read"]


def rows_read(model, values: np.ndarray) -> np.ndarray:
    """The last rows of ``values`` (N, F) the forecast after them reads: the look-back (and the target
    transform's leading row), or every row for a forecast combined with classical models, which
    filter the whole history."""
    if model.combined_:
        return values
    return values[-(model.look_back + leading_rows(model.target_transform)) :]  # (rows, F)


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
    recent = rows_read(fc, table.values)  # (rows, F)
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
