"""Inspect a Forecaster fitted on many series on one window of one series.

The same record as :func:`~lstmcast.inspection.inspect_window` (gates, states,
attention, the gradients of the sum of the forecast outputs), taken on the network
that forecasts the series (the global model's, or the series' own under
``mode="local"``), its first member, reading the window as its forecast does: scaled
with the series' own scaler and window-normalised.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..forecast.prediction.series_models import read_like_fitted, series_models, states_with_new_series
from ..forecast.preparing.windowing import network_windows
from .known_window import known_window
from .result import Inspection
from .tracing import check_window, objective, trace_network

__all__ = ["inspect_panel_window"]


def inspect_panel_window(forecaster, data=None, window: int = -1, series: str | None = None) -> Inspection:
    """Gate traces, attention weights and per-step gradient norms of one window of ``series``.

    Parameters
    ----------
    forecaster : lstmcast.Forecaster
        Fitted (or loaded) on a panel.
    data : path, DataFrame, Panel or None
        A long table with the model's columns; ``None``: the fitted panel. A global
        model may be inspected on a series it was not fitted on.
    window : int
        Which of the series' ``N - look_back + 1`` input windows; -1 is the one its forecast reads.
    series : str
        The series' id.

    Raises
    ------
    ValueError
        Without ``series``, with a series not in ``data``, or ``window`` out of range.
    """
    panel = read_like_fitted(forecaster, data)
    if series is None or str(series) not in panel:
        shown = ", ".join(map(repr, panel.ids[:5])) + (", ..." if len(panel) > 5 else "")
        what = "name the series to inspect with series=" if series is None else f"series={series!r} is not in the data"
        raise ValueError(f"{what} ({len(panel)} series: {shown})")
    name = str(series)
    values = panel.values(name)  # (N, F)
    look_back, horizon, patch = forecaster.look_back, forecaster.horizon, forecaster.patch_
    start = check_window(window, len(values) - look_back + 1, look_back)
    origin = np.array([start + look_back])  # (1,)
    state = states_with_new_series(forecaster, panel, {name: origin})[name]
    model = series_models(forecaster, panel, {name: origin})[name]
    decoded = known_window(model, values, int(origin[0]), lambda m: panel.future_times(name, m),
                           f"{panel.source}: series {name!r}", window)
    if decoded is None:
        x_scaled = state.scaling.scaled(name, values, panel.source)[start : start + look_back][None]  # (1, look_back, F)
        decoded = network_windows(x_scaled, None, state.window_norm, patch, forecaster.dtype,
                                  season=forecaster.season_).x, None, model  # (1, T, C)
    x, known, model = decoded
    traced = trace_network(state.members[0].network, x, forecaster._median, known)
    forecast = model._forecast_at(values, origin, panel.source)[0]
    times = panel.times(name)
    ahead = times[start + look_back : start + look_back + horizon]
    if len(ahead) < horizon:
        ahead = ahead.append(panel.future_times(name, horizon - len(ahead)))
    return Inspection(
        kind="forecast",
        window=start,
        labels=[_label(t) for t in times[start : start + look_back][patch - 1 :: patch]],  # each step's last row
        objective=objective(horizon, state.window_norm),
        output=forecast,
        output_labels=[_label(t) for t in ahead],
        series=panel.target_values(name)[start : start + look_back][patch - 1 :: patch],
        series_name=f"{panel.target} of {name}",
        **traced,
    )


def _label(time) -> str:
    if isinstance(time, pd.Timestamp):
        return time.strftime("%Y-%m-%d") if time == time.normalize() else time.strftime("%Y-%m-%d %H:%M")
    return str(int(time))
