"""What a fitted Forecaster knows, read the same way for one series and many: whether it is fitted, its
shape (one series or a panel), each series' :class:`~lstmcast.forecast.prediction.series_model.SeriesModel`, and for a one-series
fit the attributes of that one series (``split_``, ``scaler_``, ``naive_weight_``, ``residuals_``)."""

from __future__ import annotations

import numpy as np

from ...data.features import read_with_features
from ...data.tables import SeriesTable
from .series_models import fitted_series_model
from ..preparing.known import FutureSpec, columns_read, with_calendar
from ..preparing.static import StaticSpec
from ..preparing.windowing import KnownInputs, encode_values, network_windows
from .series_model import SeriesModel
from ..settings import ForecasterSettings

__all__ = ["FittedSeries"]


class FittedSeries(ForecasterSettings):
    """The learned state of a Forecaster, by series (the estimator's base class)."""

    def _check_fitted(self) -> None:
        if not hasattr(self, "members_"):
            raise ValueError("this Forecaster is not fitted yet: call fit(data, target=...) first")

    @property
    def training_plan_(self) -> str:
        """How the first member was trained, in words: epochs, or a step budget and why."""
        self._check_fitted()
        return self.members_[0].plan

    @property
    def future_features_(self) -> tuple[str, ...]:
        """The columns known in advance the networks read at every forecast step (the data's, then the
        calendar's), in the order they follow the past features; empty without ``future_features``."""
        self._check_fitted()
        future = self.__dict__.get("future_")
        return () if future is None else future.names

    @property
    def static_features_(self) -> tuple[str, ...]:
        """The static attributes of a fit on many series (their encoded columns are in ``features_``)."""
        self._check_fitted()
        static = self.__dict__.get("static_")
        return () if static is None else static.names

    @property
    def _known(self) -> KnownInputs | None:
        """Where the columns the decoder reads are among ``(target_, *features_)``: the future features,
        then the encoded static attributes (None without any)."""
        future = self.__dict__.get("future_") or FutureSpec()
        static = self.__dict__.get("static_") or StaticSpec()
        names = (*future.names, *static.columns)
        if not names:
            return None
        columns = (self.target_, *self.features_)
        return KnownInputs(tuple(columns.index(name) for name in names), self.horizon, names,
                           normalised=tuple(columns.index(name) if name in future.columns else -1 for name in names))

    @property
    def _unscaled_columns(self) -> tuple[int, ...]:
        """The encoded static columns' positions among ``(target_, *features_)``: no per-series scaler moves them."""
        static = self.__dict__.get("static_")
        if not static:
            return ()
        columns = (self.target_, *self.features_)
        return tuple(columns.index(name) for name in static.columns)

    @property
    def network_(self):
        """The first member's network (the only one when ``ensemble=1``)."""
        if "members_" not in self.__dict__:
            raise AttributeError("network_: this Forecaster is not fitted yet")
        return self.members_[0].network

    @property
    def _on_panel(self) -> bool:
        """True when fitted on many series (results are long tables)."""
        self._check_fitted()
        return self.shape_ == "panel"

    def _series_model(self, series_id: str | None = None) -> SeriesModel:
        """What forecasts one fitted series (default: the only one of a one-series fit)."""
        self._check_fitted()
        return fitted_series_model(self, self.panel_.ids[0] if series_id is None else series_id)

    def _one_series(self, name: str) -> SeriesModel:
        if self.__dict__.get("shape_") != "series":
            self._check_fitted()
            raise AttributeError(f"{name}: this Forecaster was fitted on many series; see states_ and "
                                 "naive_weights_, by series")
        return self._series_model()

    @property
    def split_(self):
        """The training and validation rows (one-series fits)."""
        return self._one_series("split_").split_

    @property
    def scaler_(self):
        """The scaler fitted on the training rows (one-series fits)."""
        return self._one_series("scaler_").scaler_

    @property
    def naive_weight_(self) -> float:
        """The weight on the LSTM against naive (``no_harm``; one-series fits)."""
        return self._one_series("naive_weight_").naive_weight_

    @naive_weight_.setter
    def naive_weight_(self, weight: float) -> None:
        self.naive_weights_ = {self._one_series("naive_weight_").series_id: float(weight)}

    @property
    def residuals_(self) -> np.ndarray:
        """|actual - forecast| (n_val, horizon) on the validation windows (one-series fits)."""
        return self._one_series("residuals_").residuals_

    def _forecast_at(self, values: np.ndarray, origins: np.ndarray, source: str = "data") -> np.ndarray:
        """The point forecast (n, horizon) in original units from the rows before each origin (one series)."""
        return self._one_series("_forecast_at")._forecast_at(values, origins, source)

    @property
    def combination_(self) -> dict:
        """Model name -> weight in the forecast (``combine``; empty: the LSTM alone; one-series fits)."""
        return self._one_series("combination_").combination_

    def network_inputs(self, x_scaled: np.ndarray):
        """Scaled windows (n, look_back, F) -> :class:`~lstmcast.forecast.preparing.windowing.NetworkWindows`
        as the networks read them (window-normalised, patched), with the map back to scaled units."""
        self._check_fitted()
        return network_windows(x_scaled, None, self.window_norm_, self.patch_, self.dtype, season=self.season_)

    def scaled(self, values: np.ndarray, source: str = "data") -> np.ndarray:
        """Rows (N, F) in original units -> what the windows are cut from (N, F): encoded and scaled."""
        self._check_fitted()
        return self.scaler_.transform(encode_values(values, self.window_norm_, self.target_transform, source,
                                                    str(self.target_)))

    def _read(self, data) -> SeriesTable:
        if data is None:
            return self.table_
        future = self.__dict__.get("future_") or FutureSpec()
        table = read_with_features(data, self.target_, columns_read(self.features_, future.derived), like=self.table_)
        return with_calendar(table, future.calendar)

