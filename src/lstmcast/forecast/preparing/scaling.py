"""Each series of a panel encoded and scaled on its own, and forecasts mapped back to its units.

A global model reads every series through the same steps a one-series Forecaster
uses (:mod:`~lstmcast.forecast.preparing.windowing`), with one scaler per series fitted on that
series' training rows only::

    levels (N, F) --log (window_norm="log_mean_std"), target_transform--> encoded (N, F)
      --the series' own scaler--> scaled (N, F) --windows, WindowNorm, patch--> the network
    network output --WindowNorm.inverse--> scaled --the series' scaler, exp--> changes
      --rebuilt from the last level--> levels

so series of any magnitude share one network (per-series scaling), and with
``window_norm="mean_std"`` every window is also divided by its own level and spread
(per-window scaling, as ES-RNN and DeepAR do).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...data.panel_split import SeriesScalers
from ...data.scalers import make_scaler
from ...data.split import Split
from ...data.transforms import decode_forecasts, leading_rows
from .windowing import decode_levels, encode_values

__all__ = ["PanelScaling", "fit_panel_scaling"]


@dataclass
class PanelScaling:
    """Per-series encoding and scaling, fitted on each series' training rows.

    Attributes
    ----------
    window_norm : str
        The resolved window normalisation (decides the log of the target).
    target_transform : str
    scalers : SeriesScalers
        One per series, by id.
    source : str
        The file or table fitted on, named in errors.
    """

    window_norm: str
    target_transform: str
    scalers: SeriesScalers
    source: str = "data"  # named in errors

    @property
    def skip(self) -> int:
        """Leading rows of a series without an encoded target (1 with a target transform)."""
        return leading_rows(self.target_transform)

    def encoded(self, series_id: str, values: np.ndarray, source: str) -> np.ndarray:
        """Levels (N, F) of one series -> encoded (N, F), before scaling."""
        return encode_values(values, self.window_norm, self.target_transform, f"{source}: series {series_id!r}",
                             "target")

    def scaled(self, series_id: str, values: np.ndarray, source: str) -> np.ndarray:
        """Levels (N, F) of one series -> what its windows are cut from (N, F)."""
        return self.scalers.transform(series_id, self.encoded(series_id, values, source))  # (N, F)

    def transform(self, series_id: str, values: np.ndarray) -> np.ndarray:
        """:meth:`scaled` with the fitted source named in errors (what
        :func:`~lstmcast.data.panel_windows` calls)."""
        return self.scaled(series_id, values, self.source)

    def with_new_series(self, values: dict[str, np.ndarray], fit_rows: dict[str, int], scaler: str,
                        source: str, unscaled: tuple[int, ...] = ()) -> "PanelScaling":
        """A copy that also scales series it was not fitted on, each with a ``scaler`` fitted on its
        own encoded rows before ``fit_rows[id]`` (its first forecast origin: nothing later is read;
        ``unscaled``: columns left as they are, see :func:`fit_panel_scaling`)."""
        added = {}
        for name, rows in values.items():
            encoded = self.encoded(name, rows, source)  # (N, F)
            added[name] = make_scaler(scaler).fit(encoded[self.skip : max(fit_rows[name], self.skip + 1)]
                                                  ).leave_columns(unscaled)
        return PanelScaling(self.window_norm, self.target_transform,
                            SeriesScalers({**self.scalers.scalers, **added}), self.source)

    def to_levels(self, series_id: str, y_scaled: np.ndarray, last: np.ndarray) -> np.ndarray:
        """Forecasts (n, horizon) in the series' scaled units -> original units, rebuilt from ``last`` (n,)."""
        changes = decode_levels(self.scalers.inverse_transform_target(series_id, y_scaled), self.window_norm)
        return decode_forecasts(changes, last, self.target_transform)  # (n, horizon)


def fit_panel_scaling(values: dict[str, np.ndarray], splits: dict[str, Split], scaler: str, window_norm: str,
                      target_transform: str, source: str, unscaled: tuple[int, ...] = ()) -> PanelScaling:
    """Fit one scaler per series on its encoded training rows only (``values``: levels (N, F) by id);
    ``unscaled``: columns every series' scaler leaves as they are (static attributes, already encoded on
    one scale for every series)."""
    scaling = PanelScaling(window_norm, target_transform, SeriesScalers({}), source)
    fitted = {}
    for name, rows in values.items():
        encoded = scaling.encoded(name, rows, source)  # (N, F)
        fitted[name] = make_scaler(scaler).fit(encoded[scaling.skip : splits[name].train.stop]).leave_columns(unscaled)
    scaling.scalers = SeriesScalers(fitted)
    return scaling
