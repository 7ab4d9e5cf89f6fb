"""Inspect a fitted Forecaster on one input window.

The scalar whose gradients are reported is the forecast itself: the **sum of the
``horizon`` outputs** of the network (the first ensemble member's), in its own
units: scaled and window-normalised (see ``Forecaster(window_norm=...)``). Summing
treats every forecast step alike; ``‖dL/dh_t‖`` then says how much step t of the window still moves the
forecast, i.e. how far back the model actually looks.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import pandas as pd

from ..forecast.outputs import member_outputs, point_of, shrunk
from .gradients import state_gradients
from .result import Inspection


def inspect_window(forecaster, data=None, window: int = -1, series: str | None = None) -> Inspection:
    """Gate traces, attention weights and per-step gradient norms for one window.

    Parameters
    ----------
    forecaster : lstmcast.Forecaster
        A fitted (or loaded) forecaster.
    data : str, pathlib.Path, pandas.DataFrame or None
        A table with the model's columns; ``None`` uses the data stored in the model.
    window : int
        Which of the ``N - look_back + 1`` input windows of ``data`` (window k reads
        rows k .. k + look_back - 1); negative counts from the end, so -1 is the window
        :meth:`Forecaster.forecast` reads.
    series : str, optional
        Fitted on many series: the series' id (see
        :func:`~lstmcast.inspection.panel.inspect_panel_window`).

    Returns
    -------
    Inspection
        ``output`` is the forecast in the data's units (equal to ``forecast()`` for
        the last window); gradients are of the sum of the network's outputs.

    Raises
    ------
    ValueError
        If the forecaster is not fitted, or ``window`` is out of range (the message
        gives the valid range).
    """
    if forecaster._on_panel:  # checks it is fitted
        from .panel import inspect_panel_window  # the panel modules import the forecast package

        return inspect_panel_window(forecaster, data, window, series)
    if series is not None:
        raise ValueError(f"series={series!r}: this model was fitted on one series")
    table = forecaster._read(data)
    look_back, horizon = forecaster.look_back, forecaster.horizon
    start = check_window(window, len(table) - look_back + 1, look_back)
    rows = slice(start, start + look_back)
    x_scaled = forecaster.scaled(table.values, table.source)[rows][None]  # (1, look_back, F)
    x = forecaster.network_inputs(x_scaled).x  # (1, look_back / patch, patch * F)

    traced = trace_network(forecaster.network_, x, forecaster._median)
    origin = start + look_back
    first = member_outputs(forecaster, table.values, np.array([origin]), table.source)[0]  # (1, horizon[, Q])
    forecast = point_of(forecaster, shrunk(forecaster, first, table.values[origin - 1 : origin, 0]))[0]  # (horizon,)
    patch = forecaster.patch
    return Inspection(
        kind="forecast",
        window=start,
        labels=[_date_label(d) for d in table.dates[rows][patch - 1 :: patch]],  # each step's last row
        objective=objective(horizon, forecaster.window_norm_),
        output=forecast,
        output_labels=[_date_label(d) for d in _dates_after(table, start + look_back, horizon)],
        series=table.target_values[rows][patch - 1 :: patch],  # the last value of each step
        series_name=str(table.target),
        **traced,
    )


def check_window(window, n: int, look_back: int) -> int:
    """The window's first row, ``window`` counting from the end when negative; ValueError giving the range."""
    if n < 1:
        raise ValueError(f"the data has {n + look_back - 1} rows; look_back = {look_back} needs at least that many")
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or not -n <= window < n:
        raise ValueError(f"window must be an int in [{-n}, {n - 1}] (the data has {n} windows of "
                         f"look_back = {look_back} rows), got {window!r}")
    return int(window) % n


def objective(horizon: int, window_norm: str) -> str:
    """What the gradients are of, in words."""
    units = {"mean_std": "relative to the window's mean, in units of its standard deviation",
             "log_mean_std": "of the log, relative to the window's mean, in units of its standard deviation",
             "last": "scaled units, relative to the window's last value"}.get(window_norm, "scaled units")
    return f"sum of the {horizon} forecast outputs ({units})"


def trace_network(net, x: np.ndarray, median: int) -> dict:
    """Run ``net`` on one window ``x`` (1, T, C) recording its gates; the gates, state and input gradients
    of the sum of its (median) outputs, and the attention weights, as :class:`Inspection` fields."""
    was_training = net.training
    net.eval()
    try:
        y = net.forward(x, record=True)  # (1, horizon), or (1, horizon, Q) for a quantile model
        dy = np.ones(y.shape)  # (1, horizon)
        if y.ndim == 3:  # the median's outputs, through the ordering layer to the head's outputs
            dy[..., np.arange(y.shape[2]) != median] = 0.0
            dy = net.order.backward(dy).reshape(1, -1)  # (1, horizon * Q)
        d_out = _output_gradient(net, dy)  # (1, T, D*H)
        grad_h, grad_c, grad_x = state_gradients(net.lstm, d_out)
        gates = {key: {name: np.asarray(v[0], np.float64) for name, v in trace.items()}  # (T, H) each
                 for key, trace in net.lstm.trace.items()}
        attention = None if net.attention is None else np.asarray(net.attention.weights[0], np.float64)
    finally:
        net.train(was_training)
    return {"gates": gates, "grad_h": {key: g[0] for key, g in grad_h.items()},
            "grad_c": {key: g[0] for key, g in grad_c.items()}, "attention": attention, "grad_x": grad_x[0]}


def _output_gradient(net, dy: np.ndarray) -> np.ndarray:
    """dy (B, head outputs) -> gradient with respect to the LSTM's outputs (B, T, D*H), as ForecastNet.backward."""
    dsummary = dy @ net.head.params["weight"].astype(np.float64)  # (B, D*H); dropout is off in eval
    B, T, H = dy.shape[0], net._seq_len, net.hidden_size
    if net.attention is not None:
        with _grads_kept(net.attention):
            return np.asarray(net.attention.backward(dsummary), np.float64)  # (B, T, D*H)
    dout = np.zeros((B, T, dsummary.shape[1]))  # (B, T, D*H)
    if net.lstm.num_directions == 1:
        dout[:, -1] = dsummary
    else:
        dout[:, -1, :H] = dsummary[:, :H]
        dout[:, 0, H:] = dsummary[:, H:]
    return dout


@contextmanager
def _grads_kept(module):
    """Run a layer's backward for its input gradient without touching its parameter gradients."""
    saved = {name: grad.copy() for name, grad in module.grads.items()}
    try:
        yield
    finally:
        for name, grad in saved.items():
            module.grads[name][...] = grad


def _dates_after(table, row: int, count: int) -> pd.DatetimeIndex:
    """The ``count`` dates from row ``row`` on, stepping past the table's end when needed."""
    known = table.dates[row : row + count]
    missing = count - len(known)
    return known if missing == 0 else known.append(table.future_dates(missing))


def _date_label(stamp: pd.Timestamp) -> str:
    return stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() else stamp.strftime("%Y-%m-%d %H:%M")
