"""Forecast figures: history, forecast and actuals on one time axis; loss curves."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .saving import plt, save_figure

HISTORY, FORECAST, ACTUAL, BAND = "#4d4d4d", "#d62728", "#1f77b4", "#f4a6a6"


def plot_forecast(history: pd.Series, forecast: pd.DataFrame, path, actual: pd.Series | None = None,
                  title: str | None = None, baseline: pd.Series | None = None, baseline_label: str = "naive"):
    """History, the forecast (with its interval when ``lower``/``upper`` columns exist) and actuals.

    Parameters
    ----------
    history : pandas.Series
        The observed series before the forecast (indexed by date).
    forecast : pandas.DataFrame
        Indexed by the forecast dates; its first column is the forecast, optional
        ``lower`` and ``upper`` columns draw a band (else the outermost quantile
        columns ``q0.05`` ... ``q0.95`` of a quantile model do).
    path : str or Path
        Where to write the figure (PNG unless the suffix says otherwise).
    actual : pandas.Series, optional
        What really happened over the forecast dates.
    title : str, optional
    baseline : pandas.Series, optional
        A baseline forecast over the same dates, drawn dashed.
    baseline_label : str
        Its legend label.
    """
    fig, ax = plt.subplots(figsize=(10, 4.5))
    ax.plot(history.index, history.to_numpy(), color=HISTORY, lw=1.4, label="history")
    value = forecast.iloc[:, 0]
    quantiles = [c for c in forecast.columns if str(c).startswith("q")]  # q0.05, q0.5, ... of a quantile model
    if {"lower", "upper"} <= set(forecast.columns):
        ax.fill_between(forecast.index, forecast["lower"], forecast["upper"], color=BAND, alpha=0.6,
                        lw=0, label=forecast.attrs.get("interval_label", "prediction interval"))
    elif len(quantiles) >= 2:
        ax.fill_between(forecast.index, forecast[quantiles[0]], forecast[quantiles[-1]], color=BAND, alpha=0.6,
                        lw=0, label=f"quantiles {quantiles[0][1:]} to {quantiles[-1][1:]}")
    if actual is not None:
        ax.plot(actual.index, actual.to_numpy(), color=ACTUAL, lw=1.6, marker="o", ms=3, label="actual")
    if baseline is not None:
        ax.plot(baseline.index, baseline.to_numpy(), color="#7f7f7f", lw=1.2, ls="--", label=baseline_label)
    ax.plot(forecast.index, value.to_numpy(), color=FORECAST, lw=2, marker="o", ms=3, label="LSTM forecast")
    ax.axvline(forecast.index[0], color="#999999", lw=0.8, ls=":")
    ax.set_ylabel(str(value.name))
    ax.set_title(title or f"{value.name}: {len(forecast)}-step forecast")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", frameon=False)
    fig.autofmt_xdate()
    return save_figure(fig, path)


def plot_loss(history, path, title: str = "training and validation loss"):
    """Train and validation loss per epoch (log scale), the best epoch marked.

    Parameters
    ----------
    history : lstmcast.training.History
    path : str or Path
    """
    fig, ax = plt.subplots(figsize=(7, 4))
    epochs = np.arange(1, history.epochs + 1)
    ax.plot(epochs, history.train_loss, label="train", color=ACTUAL)
    val = np.asarray(history.val_loss, dtype=float)
    if np.isfinite(val).any():
        ax.plot(epochs, val, label="validation", color=FORECAST)
    if history.best_epoch:
        ax.axvline(history.best_epoch, color="#999999", ls=":", label=f"best epoch {history.best_epoch}")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (scaled units)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(frameon=False)
    return save_figure(fig, path)
