"""Backtest figure: walk-forward forecasts against what happened, with their intervals."""

from __future__ import annotations

import numpy as np

from .saving import plt, save_figure

ACTUAL, FORECAST, BAND, NAIVE, REFIT = "#1f1f1f", "#d62728", "#f4a6a6", "#7f7f7f", "#1f77b4"
ZOOM_ORIGINS = 60
"""The lower panel shows the last this many origins, where single days can be told apart."""


def plot_backtest(result, path, title: str | None = None, step: int = 1):
    """The ``step``-ahead walk-forward forecasts against the actual series.

    The top panel covers the whole backtest, the bottom one its last
    :data:`ZOOM_ORIGINS` origins. The band is the prediction interval (when the
    backtest built one); dotted lines mark the dates a model was refitted.

    Parameters
    ----------
    result : lstmcast.forecast.backtest.walk_forward.BacktestResult
    path : str or Path
        Where to write the figure (PNG unless the suffix says otherwise).
    title : str, optional
    step : int
        Which forecast step to draw (1 = the next value), at most the horizon.

    Returns
    -------
    pathlib.Path
    """
    if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or not 1 <= step <= result.horizon:
        raise ValueError(f"step must be an int in [1, {result.horizon}], got {step!r}")
    rows = result.forecasts[result.forecasts["step"] == step]
    zoom = rows.iloc[-ZOOM_ORIGINS:]
    fig, axes = plt.subplots(2, 1, figsize=(11, 7.5), gridspec_kw={"height_ratios": [3, 2]})
    for ax, part, detail in ((axes[0], rows, False), (axes[1], zoom, True)):
        _draw(ax, result, part, detail)
    ahead = "next-step" if step == 1 else f"{step}-step-ahead"
    mae = result.metrics["MAE"]
    summary = f"MAE LSTM {mae['LSTM']:.4g} vs naive {mae['naive']:.4g}"
    if result.coverage is not None:
        summary += f"; {100 * result.asked_coverage:.0f}% intervals held {100 * result.coverage:.1f}%"
    axes[0].set_title(title or f"{result.target}: walk-forward {ahead} forecasts, {result.n_origins} origins\n{summary}")
    axes[1].set_title(f"last {len(zoom)} origins", fontsize=10)
    low, high = axes[0].get_ylim()
    axes[0].set_ylim(low, high + 0.22 * (high - low))  # headroom for the legend
    axes[0].legend(loc="upper left", ncol=3, fontsize=9, framealpha=0.9)
    fig.tight_layout()
    return save_figure(fig, path)


def _draw(ax, result, rows, detail: bool) -> None:
    dates = rows["date"]
    if rows["lower"].notna().any():
        ax.fill_between(dates, rows["lower"], rows["upper"], color=BAND, alpha=0.55, lw=0,
                        label=f"{100 * result.asked_coverage:.0f}% interval")
    ax.plot(dates, rows["actual"], color=ACTUAL, lw=1.3, marker="o" if detail else None, ms=3, label="actual")
    ax.plot(dates, rows["forecast"], color=FORECAST, lw=1.3, marker="o" if detail else None, ms=3,
            label="LSTM forecast")
    ax.plot(dates, rows["naive"], color=NAIVE, lw=0.9, ls="--", label="naive (last value)")
    refits = [d for d in result.fits["first_origin"] if dates.iloc[0] <= d <= dates.iloc[-1]]
    for k, refit in enumerate(refits):
        ax.axvline(refit, color=REFIT, lw=0.9, ls=":", label="model fitted" if k == 0 else None)
    ax.set_ylabel(result.target)
    ax.grid(alpha=0.3)
    for label in ax.get_xticklabels():
        label.set_rotation(20)
        label.set_horizontalalignment("right")
