"""A fitted Forecaster as one of its series sees it: the one unit every prediction stage works on.

A fit is always a panel fit (one series is a panel of one). What forecasts one series is
its state's members, its own scaler, its own split and validation windows, and its own
weight against naive; :class:`SeriesModel` holds exactly that, with the estimator's
settings. The stages after the networks (:mod:`lstmcast.forecast.prediction.outputs`: members to forecasts and no harm,
:mod:`lstmcast.forecast.intervals.uncertainty`: bands and adaptive intervals, :mod:`lstmcast.forecast.scores.evaluation`: scores beside the
baselines, :mod:`lstmcast.forecast.backtest.walk_forward`: walk-forward) take a SeriesModel, so one series and each
series of a panel go through the same code; only the shape of the result differs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from ...data.scalers import Scaler
from ...data.split import Split
from ...data.tables import SeriesTable
from ...data.transforms import leading_rows
from .outputs import outputs_at, point_of, validation_residuals
from ..combining.pool import fit_pool
from ..combining.weights import LSTM
from ..preparing.windowing import check_window_rows

__all__ = ["SETTINGS", "SeriesModel", "SeriesRows", "series_table"]

SETTINGS = ("look_back", "horizon", "patch_", "season_", "dtype", "target_transform", "quantiles", "mc_passes", "seed",
            "interval_method", "interval_window", "no_harm", "combine_", "loss", "season", "patience", "ensemble",
            "_median", "_levels", "target_", "features_", "_known")
"""The estimator's settings a series model reads (as the estimator's own attributes)."""


@dataclass(eq=False)
class SeriesModel:
    """What forecasts one series of a fitted Forecaster.

    Attributes
    ----------
    estimator : Forecaster
        Its settings (:data:`SETTINGS` are read from it).
    series_id : str
    members_ : list of Member
        The state's networks (shared by every series of a global model).
    scaler_ : Scaler
        This series' scaler, fitted on its training rows (or, for a series a global model was
        not fitted on, on its rows before its first origin).
    window_norm_ : str
    table_ : SeriesTable, SeriesRows or None
        The series' fitted rows (None for a series the model was not fitted on).
    split_ : Split or None
        Its training and validation rows (None when not fitted on).
    naive_weight_ : float
        The weight on the LSTM against naive (``no_harm``; 1 = the LSTM as trained).
    combination_ : dict of str to float
        Model name -> weight of its forecast (``combine``; the LSTM's after no harm); empty: the
        LSTM alone.
    future_known_ : numpy.ndarray, shape (m, K), or None
        The known values of the ``m`` steps after the end of the rows a forecast reads (the next
        horizon: ``forecast(future=...)`` and the calendar); None when none are needed.
    """

    estimator: object
    series_id: str
    members_: list
    scaler_: Scaler
    window_norm_: str
    table_: SeriesTable | SeriesRows | None
    split_: Split | None
    naive_weight_: float = 1.0
    combination_: dict = field(default_factory=dict)
    future_known_: np.ndarray | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def history_(self):
        """The first member's training history."""
        return self.members_[0].history

    @cached_property
    def residuals_(self) -> np.ndarray:
        """|actual - forecast| (n_val, horizon) on this series' validation windows, as forecast
        (after no harm), original units; (0, horizon) without validation windows."""
        if self.table_ is None or self.split_ is None:
            return np.zeros((0, self.horizon))
        return validation_residuals(self, self.table_, self.split_)

    def _check_fitted(self) -> None:
        """A series model exists only for a fitted estimator."""

    def _forecast_at(self, values: np.ndarray, origins: np.ndarray, source: str = "data",
                     fitted: dict | None = None) -> np.ndarray:
        """The point forecast (n, horizon) in original units from the rows of ``values`` before each origin."""
        return point_of(self, outputs_at(self, values, origins, source, fitted=fitted))

    def _origins(self, table: SeriesTable) -> np.ndarray:
        """Row of the first forecast step of every window of ``table`` with ``horizon`` targets in it."""
        check_window_rows(table, self.look_back, self.horizon, self.target_transform)
        first = self.look_back + leading_rows(self.target_transform)
        return np.arange(first, len(table) - self.horizon + 1)  # (n,)

    @property
    def combined_(self) -> bool:
        """Whether a classical model has a share of this series' forecast."""
        return bool(self.combination_) and self.combination_.get(LSTM, 0.0) != 1.0

    def classical_forecasts(self, target: np.ndarray, origins: np.ndarray) -> dict[str, np.ndarray]:
        """The forecasts (n, horizon) of the classical models with a share of the combination, from the
        rows of ``target`` (N,) before each origin; their pool is fitted on the series' training rows
        when first needed (a model folder keeps only the weights) and kept on the estimator."""
        pools = self.estimator.__dict__.setdefault("_classical_pools", {})
        if self.series_id not in pools:
            pools[self.series_id] = fit_pool(self.table_.target_values[:self.split_.train.stop], self.season_)
        names = [name for name, w in self.combination_.items() if name != LSTM and w > 0]
        return pools[self.series_id].forecasts(target, origins, self.horizon, names)

    def with_weight(self, weight: float) -> "SeriesModel":
        """A copy with another weight against naive, and no combination."""
        return SeriesModel(self.estimator, self.series_id, self.members_, self.scaler_, self.window_norm_,
                           self.table_, self.split_, weight)


def _setting(name: str) -> property:
    return property(lambda self: getattr(self.estimator, name), doc=f"The estimator's ``{name}``.")


for _name in SETTINGS:
    setattr(SeriesModel, _name, _setting(_name))


@dataclass(frozen=True, eq=False)
class SeriesRows:
    """One series of a panel as the per-series stages read it: its rows (N, F), target first, its
    times, and names for messages (a light stand-in for a :class:`~lstmcast.data.SeriesTable`,
    made for every series of a panel at every call)."""

    values: np.ndarray  # (N, F) float64, read-only
    dates: pd.Index  # (N,) dates or integer steps
    target: str
    features: tuple[str, ...]
    source: str

    def __len__(self) -> int:
        return len(self.values)

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.target, *self.features)

    @property
    def target_values(self) -> np.ndarray:
        """The target column (N,)."""
        return self.values[:, 0]


def series_table(panel, series_id: str) -> SeriesRows:
    """One series of ``panel`` as :class:`SeriesRows`, what the per-series stages read."""
    values = panel.values(series_id)  # (N, F)
    values.setflags(write=False)
    return SeriesRows(values, panel.times(series_id), panel.target, tuple(panel.features),
                      f"{panel.source}: series {series_id!r}" if len(panel) > 1 else panel.source)
