"""Choose the window and network size by walk-forward validation error.

Every combination of ``look_back`` and ``hidden_size`` is backtested on the same
origins (the other parameters as given), and the one with the lowest error wins.
The backtest period is then the tuning period: report a model's accuracy on
origins after it (``tune(..., end=X)``, then ``backtest(..., start=X)``), or the
number chosen here flatters it. Keep trials cheap: few epochs, few refits.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd


__all__ = ["TUNING_METRICS", "TuningResult", "tune"]

TUNING_METRICS = ("MAE", "RMSE", "MASE", "sMAPE")
"""Errors a tuning run may minimise (all: lower is better)."""


@dataclass(frozen=True)
class TuningResult:
    """Trials of a tuning run.

    Attributes
    ----------
    trials : pandas.DataFrame
        One row per combination, in the order tried: ``look_back``, ``hidden_size``,
        the LSTM's MAE, RMSE, MASE, sMAPE and DirAcc, ``naive MAE``, ``seconds``.
    best : dict
        ``{"look_back": ..., "hidden_size": ...}`` of the lowest ``metric``.
    metric : str
    """

    trials: pd.DataFrame
    best: dict
    metric: str

    @property
    def best_row(self) -> pd.Series:
        """The winning trial's row."""
        chosen = (self.trials["look_back"] == self.best["look_back"]) & \
                 (self.trials["hidden_size"] == self.best["hidden_size"])
        return self.trials[chosen].iloc[0]


def tune(forecaster, data, look_backs, hidden_sizes, target: str | None = None, features=None,
         start=None, end=None, step: int = 1, refit_every: int | None = None, metric: str = "MAE",
         date_column: str | None = None, fill: str | None = None, freq: str | None = None) -> TuningResult:
    """Backtest every ``(look_back, hidden_size)`` and pick the lowest ``metric``.

    Parameters
    ----------
    forecaster : Forecaster
        Every other parameter (epochs, horizon, seed, ...) comes from it.
    data : str, pathlib.Path or pandas.DataFrame
    look_backs, hidden_sizes : sequence of int
        Values to try (each at least one, positive, no repeats).
    target, features, start, end, step, refit_every, date_column, fill, freq
        As in :func:`~lstmcast.forecast.backtest.walk_forward.run_backtest`.
    metric : {"MAE", "RMSE", "MASE", "sMAPE"}
        The walk-forward error to minimise; ties go to the trial tried first.

    Returns
    -------
    TuningResult
    """
    look_backs = _grid(look_backs, "look_backs")
    hidden_sizes = _grid(hidden_sizes, "hidden_sizes")
    if metric not in TUNING_METRICS:
        raise ValueError(f"metric must be one of {', '.join(TUNING_METRICS)}, got {metric!r}")
    base = forecaster.get_params()
    rows = []
    for look_back, hidden_size in itertools.product(look_backs, hidden_sizes):
        trial = type(forecaster)(**dict(base, look_back=look_back, hidden_size=hidden_size))
        started = time.perf_counter()
        result = trial.backtest(data, target=target, features=features, start=start, end=end, step=step,
                                refit_every=refit_every, coverage=None, date_column=date_column,
                                fill=fill, freq=freq, strong=False)
        lstm = result.metrics.loc["LSTM"]
        rows.append({"look_back": look_back, "hidden_size": hidden_size,
                     **{name: float(lstm[name]) for name in ("MAE", "RMSE", "MASE", "sMAPE", "DirAcc")},
                     "naive MAE": float(result.metrics.loc["naive", "MAE"]),
                     "seconds": time.perf_counter() - started})
    trials = pd.DataFrame(rows)
    winner = trials.iloc[int(np.argmin(trials[metric].to_numpy()))]
    best = {"look_back": int(winner["look_back"]), "hidden_size": int(winner["hidden_size"])}
    return TuningResult(trials=trials, best=best, metric=metric)


def _grid(values, name: str) -> list[int]:
    if isinstance(values, (int, np.integer)) and not isinstance(values, bool):
        values = [values]
    try:
        values = list(values)
    except TypeError:
        raise ValueError(f"{name} must be a list of positive integers, got {values!r}") from None
    if not values or any(isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1 for v in values):
        raise ValueError(f"{name} must be a non-empty list of positive integers, got {values!r}")
    if len(set(values)) != len(values):
        raise ValueError(f"{name} must not repeat a value, got {values!r}")
    return [int(v) for v in values]
