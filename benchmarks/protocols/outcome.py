"""What one data set's protocol measured: the LSTM's scores beside the classical references."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from lstmcast import Forecaster

from .classical import Classical


@dataclass
class Outcome:
    """One row of the suite's table.

    Attributes
    ----------
    lstm : list of float
        The score of each seed's fit, in the order of the seeds.
    seconds : float
        Wall time of every seed's fit and forecasts together.
    classical : Classical
        The classical references on the same windows.
    extra : dict of str to float
        Other scores on the same windows, printed beside (naive, seasonal naive, every window, ...).
    cut : str
        Where the protocol cut the series, dated (one-series protocols).
    """

    lstm: list
    seconds: float
    classical: Classical
    extra: dict = field(default_factory=dict)
    cut: str = ""

    @property
    def score(self) -> float:
        """The median over seeds."""
        return float(np.median(self.lstm))

    @property
    def ratio(self) -> float | None:
        """lstmcast's score over the best classical model's; None without a classical score."""
        best = self.classical.best()
        return None if best is None or not best[1] > 0 else self.score / best[1]


def forecaster(params: dict, overrides: dict, seed: int) -> Forecaster:
    """A Forecaster of the protocol's ``params`` (look_back, horizon, ...) with the suite's overrides.

    Parameters
    ----------
    params : dict
        What the protocol sets.
    overrides : dict
        ``--set`` values, for every data set (they win).
    seed : int

    Returns
    -------
    Forecaster
    """
    return Forecaster(**{**params, "seed": seed, "verbose": False, **overrides})


def timed(run, seeds) -> tuple[list, float, list]:
    """``run(seed)`` for every seed: its first results, the wall time of all, and each whole result."""
    started = time.perf_counter()
    results = [run(seed) for seed in seeds]
    return [r[0] for r in results], time.perf_counter() - started, results
