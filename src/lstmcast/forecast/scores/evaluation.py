"""One series' scores beside every baseline on exactly the same windows (with interval scores, the
naive weight and which windows the fit saw). The function takes the series'
:class:`~lstmcast.forecast.prediction.series_model.SeriesModel` and its table."""

from __future__ import annotations

import numpy as np
import pandas as pd
from ...data.errors import DataError
from ...data.tables import row_position
from ..combining.combination_line import combination_line
from .baselines import baseline_forecasts, season_from_freq
from .insample import in_sample_note
from .metrics import metrics_table
from .no_harm import weight_line
from .strong import strong_forecasts
from ..intervals.uncertainty import evaluation_intervals, quantile_loss
from .verdict import verdict_line
from ..prediction.next_values import conformal_half_width

__all__ = ["evaluate_forecaster"]


def evaluate_forecaster(model, table, start=None, strong: bool | None = None,
                        coverage: float | None = None) -> pd.DataFrame:
    """Metrics of one series' forecasts (``"LSTM"``) and of the baselines on the same windows.

    Parameters
    ----------
    model : SeriesModel
        What forecasts the series (:mod:`lstmcast.forecast.prediction.series_model`).
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
    season = fc.season_ or season_from_freq(table.freq)
    predictions = {"LSTM": fc._forecast_at(table.values, origins, table.source)}
    predictions.update(baseline_forecasts(series, origins, fc.horizon, season))
    classical = strong_forecasts(series, int(origins[0]), origins, fc.horizon, season, run=strong)
    predictions.update(classical.forecasts)
    train_target = fc.table_.target_values[fc.split_.train]
    result = metrics_table(y_true, predictions, train_target, season=season, last_values=series[origins - 1])
    verdicts = [verdict_line(result, not_run=classical.not_run), weight_line(fc.naive_weight_, fc.no_harm)]
    if fc.combine_ != "none":
        verdicts.append(combination_line({fc.series_id: fc.combination_} if fc.combination_ else {}, fc.combine_,
                                         fc.estimator.__dict__.get("combine_note_", "")))
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
