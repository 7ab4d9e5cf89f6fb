"""One window through a ForecastNet with its gates recorded, and the gradients of its forecast.

Shared by :func:`~lstmcast.inspection.inspect_window` (one series) and
:func:`~lstmcast.inspection.panel.inspect_panel_window` (one series of a panel): the
window's range check, the words for what the gradients are of, and the trace itself.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np

from .gradients import state_gradients

__all__ = ["check_window", "objective", "trace_network"]


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
             "season_mean_std": "without the window's seasonal profile, relative to its mean, in units of its "
                                "standard deviation",
             "log_season_mean_std": "of the log without the window's seasonal profile, relative to its mean, in "
                                    "units of its standard deviation",
             "last": "scaled units, relative to the window's last value"}.get(window_norm, "scaled units")
    return f"sum of the {horizon} forecast outputs ({units})"


def trace_network(net, x: np.ndarray, median: int, known: np.ndarray | None = None) -> dict:
    """Run ``net`` on one window ``x`` (1, T, C) recording its gates; the gates, state and input gradients
    of the sum of its (median) outputs, and the attention weights, as :class:`Inspection` fields.
    ``known`` (1, horizon, K): the values a network with a decoder reads at the forecast steps; the
    gradients then flow through the decoder too."""
    was_training = net.training
    net.eval()
    try:
        y = net.forward(x, known, record=True)  # (1, horizon), or (1, horizon, Q) for a quantile model
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
    if net.decoder is not None:  # each step's decoder reads the summary too
        with _grads_kept(net.decoder):
            dcontext = net.decoder.backward(dy.reshape(B, net.horizon, net.quantiles))  # (B, context)
        dsummary = dsummary + np.asarray(dcontext[:, : dsummary.shape[1]], np.float64)  # (B, D*H)
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
    """Run a layer's backward for its input gradient without touching its parameter gradients (its
    sub-layers' included)."""
    saved = [(grad, grad.copy()) for _, _, grad in module.named_parameters()]
    try:
        yield
    finally:
        for grad, before in saved:
            grad[...] = before
