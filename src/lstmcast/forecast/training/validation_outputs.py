"""What a global fit computes from its validation windows: the members' mean output in network units,
each window's difficulty, and the outputs mapped back to each series' units (for the scale-free
validation error that ranks window normalisations, and the pooled scores kept in model folders).

The windows of every series are stacked and read by each member in one pass; the
members' outputs are averaged in network units (window-normalised and scaled, where
series of every magnitude look alike) and each series' block is mapped back to its
own units (:class:`~lstmcast.forecast.preparing.scaling.PanelScaling`). Forecasts themselves
are made series by series (:mod:`lstmcast.forecast.prediction.panel_forecasts`, :mod:`lstmcast.forecast.prediction.series_model`).
"""

from __future__ import annotations

import numpy as np

from .fitting import predict_network
from ..preparing.scaling import PanelScaling
from ..preparing.windowing import NetworkWindows

__all__ = ["mean_outputs", "series_levels", "window_difficulty"]


def mean_outputs(members: list, windows: NetworkWindows) -> np.ndarray:
    """The members' mean output (n, horizon[, Q]) in network units, float64, for windows as the network reads them."""
    total = None
    for member in members:
        y = predict_network(member.network, windows.x, known=windows.known).astype(np.float64)  # (n, horizon[, Q])
        total = y if total is None else total + y
    return total / len(members)


def window_difficulty(fc, windows: NetworkWindows) -> np.ndarray:
    """How hard each window is to forecast, from its inputs alone (n,): the mean absolute seasonal
    difference of its normalised target (lag ``fc.season`` when it fits in the look-back, else 1),
    floored at 1e-3 so that a flat window still gets an interval."""
    n = windows.x.shape[0]
    target = windows.x.reshape(n, fc.look_back, -1)[:, :, 0].astype(np.float64)  # (n, look_back) un-patched
    lag = fc.season if fc.season is not None and fc.season < fc.look_back else 1
    return np.maximum(np.mean(np.abs(target[:, lag:] - target[:, :-lag]), axis=1), 1e-3)  # (n,)


def series_levels(fc, scaling: PanelScaling, windows: NetworkWindows, outputs: np.ndarray,
                  origins: dict[str, np.ndarray], values: dict[str, np.ndarray]) -> dict[str, tuple]:
    """Outputs (n, horizon[, Q]) of stacked windows -> ``{id: (origins, forecasts in original units)}``.

    ``origins`` gives each series' window origins in the order the windows were stacked;
    ``values`` each series' levels (N, F), whose row ``origin - 1`` is the last level seen.
    """
    y = outputs if outputs.ndim == 3 else outputs[:, :, None]  # (n, horizon, Q)
    scaled = np.stack([windows.restore(y[:, :, k]) for k in range(y.shape[2])], axis=2)  # (n, horizon, Q)
    result, start = {}, 0
    for name, series_origins in origins.items():
        block = scaled[start : start + len(series_origins)]  # (n_s, horizon, Q)
        start += len(series_origins)
        last = values[name][series_origins - 1, 0]  # (n_s,)
        levels = np.stack([scaling.to_levels(name, block[:, :, k], last) for k in range(block.shape[2])],
                          axis=2)  # (n_s, horizon, Q)
        result[name] = (series_origins, levels if outputs.ndim == 3 else levels[:, :, 0])
    return result
