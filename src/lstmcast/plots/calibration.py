"""Calibration figure: the coverage intervals reached against the coverage they were built for."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .saving import plt, save_figure

COLOURS = {"aci": "#d62728", "rolling": "#ff7f0e", "split": "#7f7f7f"}


def calibration_path(path) -> Path:
    """``forecast.png`` -> ``forecast_calibration.png``: where ``--plot`` puts the calibration figure."""
    path = Path(path)
    return path.with_name(f"{path.stem}_calibration{path.suffix or '.png'}")


def plot_calibration(result, path, title: str | None = None):
    """Observed against nominal coverage, one line per interval method, the diagonal for reference.

    Parameters
    ----------
    result : lstmcast.forecast.backtest.walk_forward.BacktestResult
        A backtest run with ``coverage`` (its ``calibration`` table is drawn).
    path : str or Path
    title : str, optional

    Returns
    -------
    pathlib.Path
    """
    table = getattr(result, "calibration", None)
    if table is None:
        raise ValueError("this backtest has no intervals: run it with coverage= to draw a calibration figure")
    nominal = 100 * np.asarray(table.index, dtype=float)
    fig, ax = plt.subplots(figsize=(5.5, 5))
    ax.plot([nominal[0], 100], [nominal[0], 100], color="#bbbbbb", lw=1, ls="--", label="perfect calibration")
    for method in table.columns:
        ax.plot(nominal, 100 * table[method].to_numpy(), marker="o", ms=4, lw=1.6,
                color=COLOURS.get(method, "#1f77b4"), label=method)
    ax.set_xlabel("nominal coverage (%)")
    ax.set_ylabel("observed coverage (%)")
    ax.set_title(title or f"{result.target}: interval calibration, {len(result.forecasts)} forecasts")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", frameon=False)
    fig.tight_layout()
    return save_figure(fig, path)
