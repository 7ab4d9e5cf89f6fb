"""Panel overview figure: the best, the median and the worst series of many, by a score such as MASE."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .forecast import BAND, FORECAST, HISTORY
from .saving import plt, save_figure


def pick_series(scores: pd.Series) -> list[tuple[str, object]]:
    """The best, the median and the worst series by ``scores`` (lower is better).

    Parameters
    ----------
    scores : pandas.Series
        One score per series (e.g. its MASE), indexed by the series' ids. Series
        without a score (NaN) are left out; ties keep the order of ``scores``.

    Returns
    -------
    list of (str, id)
        ``[("best", id), ("median", id), ("worst", id)]``: the lowest score, the
        middle one of the sorted scores (the upper of the two middle ones when their
        number is even) and the highest. With two series ``best`` and ``worst``, with
        one ``only``, with none an empty list.
    """
    ranked = pd.to_numeric(scores, errors="coerce").dropna().sort_values(kind="mergesort")  # stable: ties in order
    ids = list(ranked.index)
    if len(ids) == 0:
        return []
    if len(ids) == 1:
        return [("only", ids[0])]
    if len(ids) == 2:
        return [("best", ids[0]), ("worst", ids[1])]
    return [("best", ids[0]), ("median", ids[len(ids) // 2]), ("worst", ids[-1])]


def plot_panel_overview(histories: dict, forecasts: dict, scores: pd.Series, path, title: str | None = None,
                        score_name: str | None = None, interval_label: str = "prediction interval"):
    """One panel each for the best, the median and the worst series: history, forecast, interval band.

    Parameters
    ----------
    histories : dict
        Series id -> :class:`pandas.Series` of the observed values, indexed by time.
    forecasts : dict
        Series id -> :class:`pandas.DataFrame` indexed by the forecast times; its
        first column is the forecast, optional ``lower`` and ``upper`` columns draw
        the interval band.
    scores : pandas.Series
        A score per series, lower is better (e.g. the MASE), indexed by id; the
        series are picked as :func:`pick_series` does, among those with a history
        and a forecast.
    path : str or Path
        Where to write the figure (PNG unless the suffix says otherwise), atomically.
    title : str, optional
        Over the whole figure.
    score_name : str, optional
        How each panel's title names the score (default ``scores.name``, else "score").
    interval_label : str
        The band's legend label.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ValueError
        If no series has a score, a history and a forecast.
    """
    picks = pick_series(scores.loc[[n for n in scores.index if n in histories and n in forecasts]])
    if not picks:
        raise ValueError(f"no series has a {score_name or scores.name or 'score'} to rank it by "
                         f"({len(scores)} scored, {len(forecasts)} forecast)")
    name = score_name or scores.name or "score"
    fig, axes = plt.subplots(len(picks), 1, figsize=(10, 3.1 * len(picks) + 0.6), squeeze=False)
    for ax, (label, series_id) in zip(axes[:, 0], picks):
        _draw(ax, histories[series_id], forecasts[series_id], interval_label)
        ax.set_title(f"{label}: {series_id} ({name} {float(scores[series_id]):.4g})", fontsize=10, loc="left")
    axes[0, 0].legend(loc="upper left", frameon=False, fontsize=8, ncol=3)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return save_figure(fig, path)


def _draw(ax, history: pd.Series, forecast: pd.DataFrame, interval_label: str) -> None:
    ax.plot(history.index, np.asarray(history, dtype=float), color=HISTORY, lw=1.3, label="history")
    quantiles = [c for c in forecast.columns if str(c).startswith("q")]  # q0.05, q0.5, ... of a quantile model
    if {"lower", "upper"} <= set(forecast.columns) and forecast["lower"].notna().any():
        ax.fill_between(forecast.index, forecast["lower"], forecast["upper"], color=BAND, alpha=0.6, lw=0,
                        label=interval_label)
    elif len(quantiles) >= 2:
        ax.fill_between(forecast.index, forecast[quantiles[0]], forecast[quantiles[-1]], color=BAND, alpha=0.6,
                        lw=0, label=f"quantiles {quantiles[0][1:]} to {quantiles[-1][1:]}")
    ax.plot(forecast.index, forecast.iloc[:, 0].to_numpy(dtype=float), color=FORECAST, lw=1.6, marker="o", ms=2.5,
            label="LSTM forecast")
    if len(forecast):
        ax.axvline(forecast.index[0], color="#999999", lw=0.8, ls=":")
    ax.set_ylabel(str(history.name) if history.name is not None else "")
    ax.grid(alpha=0.3)
    for tick in ax.get_xticklabels():
        tick.set_rotation(20)
        tick.set_horizontalalignment("right")
