"""``--plot`` and ``--series`` of ``lstmcast forecast`` and ``backtest`` on many series: one series drawn as the
one-series figure draws it, or the overview of the best, median and worst series by MASE.

Everything here is shaped from the public results (the forecast's long table, a panel backtest's
``forecasts`` and ``metrics``) and a :class:`~lstmcast.data.Panel` of the data; the figures are
:mod:`lstmcast.plots`'.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data.panel import Panel

SHOWN_IDS = 5
"""An unknown ``--series`` is named beside this many of the ids there are."""


def history_rows(look_back: int, horizon: int) -> int:
    """How many rows of history a forecast figure shows before the forecast: ``max(4 * horizon, look_back)``."""
    return max(4 * horizon, look_back)


def check_series_flag(series: str | None, plot: str | None, many_series: bool, one_series: str) -> None:
    """Refuse a ``--series`` that would do nothing, before any work.

    Parameters
    ----------
    series : str or None
        ``--series``.
    plot : str or None
        ``--plot``.
    many_series : bool
        Whether the model or the data holds many series.
    one_series : str
        What is one series, for the message (e.g. ``"model folder m was fitted on one series"``).

    Raises
    ------
    ValueError
        ``--series`` on one series, or without ``--plot``.
    """
    if series is None:
        return
    if not many_series:
        raise ValueError(f"--series {series!r} picks one of many series, but {one_series}")
    if not plot:
        raise ValueError(f"--series {series!r} picks the series --plot draws; add --plot FILE.png")


def check_series_known(series: str, ids, source: str) -> str:
    """``series`` as the id it names; a one-line ValueError naming it when ``ids`` do not hold it.

    Parameters
    ----------
    series : str
        ``--series``.
    ids : sequence of str
        The series there are.
    source : str
        Where they come from (a file or model folder), for the message.

    Returns
    -------
    str
    """
    ids = list(ids)
    if str(series) in ids:
        return str(series)
    shown = ", ".join(map(repr, ids[:SHOWN_IDS])) + (", ..." if len(ids) > SHOWN_IDS else "")
    raise ValueError(f"--series {series!r} is not a series of {source} ({len(ids)} series: {shown})")


def panel_history(panel: Panel, series_id: str, rows: int | None = None, end=None) -> pd.Series:
    """The observed target of one series, indexed by time: its last ``rows`` values (all: None), or its last
    ``rows`` values before time ``end`` and everything from ``end`` on."""
    values = pd.Series(panel.target_values(series_id), index=panel.times(series_id), name=panel.target)
    if rows is None:
        return values
    first = len(values) if end is None else int(values.index.searchsorted(end))
    return values.iloc[max(first - rows, 0):]


def forecast_frames(result: pd.DataFrame, id_column: str, time_column: str, value_name: str) -> dict:
    """A panel forecast's long table as one frame per series: indexed by time, the forecast first (named
    ``value_name``), then its quantile and ``lower``/``upper`` columns."""
    frames = {}
    for name, rows in result.groupby(id_column, sort=False):
        frame = rows.drop(columns=id_column).set_index(time_column).rename(columns={"forecast": value_name})
        frames[str(name)] = frame
    return frames


@dataclass
class SeriesBacktest:
    """One series of a panel backtest, with what :func:`lstmcast.plots.backtest.plot_backtest` reads."""

    forecasts: pd.DataFrame  # date, step, actual, forecast, naive, lower, upper
    fits: pd.DataFrame  # first_origin of each fit
    metrics: pd.DataFrame  # MAE of LSTM and naive
    target: str
    horizon: int
    n_origins: int
    coverage: float | None
    asked_coverage: float | None


def series_backtest(result, panel: Panel, series_id: str, horizon: int) -> SeriesBacktest:
    """One series of a panel backtest as a one-series backtest: its forecasts by date, the naive forecast (the
    last value before each origin), its MAE against naive's and the coverage its intervals reached.

    Parameters
    ----------
    result : lstmcast.forecast.backtest.panel_walk_forward.PanelBacktestResult
    panel : Panel
        The data the backtest walked through.
    series_id : str
    horizon : int

    Returns
    -------
    SeriesBacktest
    """
    rows = _with_intervals(result.forecasts[result.forecasts[panel.id_column].astype(str) == series_id])
    history = panel_history(panel, series_id)
    before = history.index.get_indexer(rows["origin"]) - 1  # the row before each origin
    naive = history.to_numpy()[before]
    frame = pd.DataFrame({"date": rows[panel.time_column].to_numpy(), "step": rows["step"].to_numpy(),
                          "actual": rows["actual"].to_numpy(), "forecast": rows["forecast"].to_numpy(),
                          "naive": naive, "lower": rows["lower"].to_numpy(), "upper": rows["upper"].to_numpy()})
    scores = result.metrics.attrs["per_series"]
    mae = pd.DataFrame({"MAE": [float(scores.loc[series_id, "MAE"]),
                                float(np.mean(np.abs(frame["actual"] - frame["naive"])))]},
                       index=pd.Index(["LSTM", "naive"], name="model"))
    coverage = None
    if result.coverage is not None and "coverage" in scores.columns:
        coverage = float(scores.loc[series_id, "coverage"])
    return SeriesBacktest(forecasts=frame, fits=rows.groupby("fit")["origin"].min().rename("first_origin").to_frame(),
                          metrics=mae, target=f"{panel.target} of {series_id}", horizon=horizon,
                          n_origins=int(rows["origin"].nunique()), coverage=coverage,
                          asked_coverage=result.asked_coverage)


def backtest_overview_parts(result, panel: Panel, look_back: int, horizon: int) -> tuple[dict, dict]:
    """Each series' history (from :func:`history_rows` rows before its first forecast to its end) and its
    next-step walk-forward forecasts with their intervals, indexed by time: what
    :func:`lstmcast.plots.plot_panel_overview` draws for a backtest."""
    rows = _with_intervals(result.forecasts[result.forecasts["step"] == 1])
    histories, forecasts = {}, {}
    for name, part in rows.groupby(panel.id_column, sort=False):
        name = str(name)
        frame = part.set_index(panel.time_column)[["forecast", "lower", "upper"]]
        forecasts[name] = frame
        histories[name] = panel_history(panel, name, history_rows(look_back, horizon), end=frame.index[0])
    return histories, forecasts


def _with_intervals(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with ``lower`` and ``upper`` columns (empty, NaN, when the backtest built no intervals)."""
    missing = {name: np.nan for name in ("lower", "upper") if name not in rows.columns}
    return rows.assign(**missing) if missing else rows
