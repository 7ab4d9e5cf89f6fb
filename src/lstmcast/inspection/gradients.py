"""Gradients with respect to every h_t and c_t: BPTT over a recorded trace.

``LSTM.backward`` keeps dh and dc inside its time loop and returns only dx and the
parameter gradients; to see how far back a model looks we need them at every step.
This module walks back through ``LSTM.trace`` (filled by ``forward(x, record=True)``)
with the same equations as the engine, in float64::

    dh_t  = d_out_t + W_hhᵀ dz_{t+1}                    (from above, and from the next step)
    dc_t  = dc_{t+1} ⊙ f_{t+1} + dh_t ⊙ o_t ⊙ (1 - tanh² c_t)
    dz_i = dc_t ⊙ g_t ⊙ i_t(1 - i_t)    dz_f = dc_t ⊙ c_{t-1} ⊙ f_t(1 - f_t)
    dz_g = dc_t ⊙ i_t ⊙ (1 - g_t²)      dz_o = dh_t ⊙ tanh c_t ⊙ o_t(1 - o_t)
    d_in_t = W_ihᵀ dz_t                                 (d_out of the layer below)

"Next step" is t+1 for the forward direction and t-1 for the reverse one.

What the two gradients mean: ``dh_t`` is the effect of nudging h_t with c_t held
fixed (h_t feeds the next step, the layer above and the head); ``dc_t`` is the
effect of nudging c_t, counting every path through it, including
h_t = o_t ⊙ tanh(c_t). Both are total derivatives: everything after the nudge is
recomputed, everything before it is not.
"""

from __future__ import annotations

import numpy as np

Key = tuple[int, int]  # (layer, direction)


def state_gradients(lstm, d_out: np.ndarray) -> tuple[dict[Key, np.ndarray], dict[Key, np.ndarray], np.ndarray]:
    """dL/dh_t and dL/dc_t at every step of every layer and direction, from ``lstm.trace``.

    Parameters
    ----------
    lstm : lstmcast.nn.LSTM
        An LSTM whose last forward ran with ``record=True``, in evaluation mode
        (no dropout), from the zero initial state.
    d_out : ndarray, shape (B, T, D*H)
        Gradient of the scalar L with respect to the top layer's outputs.

    Returns
    -------
    grad_h, grad_c : dict[(layer, direction), ndarray (B, T, H)]
        Total derivatives of L with respect to h_t and c_t, in input time order, float64.
    dx : ndarray, shape (B, T, I)
        Gradient with respect to the LSTM's input (the engine's ``backward`` returns
        the same; a cross-check).

    Raises
    ------
    ValueError
        If there is no trace for every layer and direction, the LSTM is in training
        mode with dropout, or ``d_out`` has the wrong shape.
    """
    L, D, H = lstm.num_layers, lstm.num_directions, lstm.hidden_size
    keys = [(layer, direction) for layer in range(L) for direction in range(D)]
    if any(key not in lstm.trace for key in keys):
        raise ValueError("lstm.trace is incomplete: run lstm.forward(x, record=True) first")
    if lstm.training and (lstm.dropout > 0 or lstm.recurrent_dropout > 0):
        raise ValueError("lstm must be in evaluation mode (lstm.eval()) when it has dropout")
    B, T, _ = lstm.trace[(0, 0)]["h"].shape
    d_out = np.asarray(d_out, dtype=np.float64)
    if d_out.shape != (B, T, D * H):
        raise ValueError(f"d_out must have shape {(B, T, D * H)}, got {d_out.shape}")

    grad_h: dict[Key, np.ndarray] = {}
    grad_c: dict[Key, np.ndarray] = {}
    d_above = d_out  # (B, T, D*H): gradient with respect to this layer's outputs
    for layer in range(L - 1, -1, -1):
        d_in = None
        for direction in range(D):
            key = (layer, direction)
            sfx = f"_l{layer}" + ("_reverse" if direction == 1 else "")
            w_ih = lstm.params["weight_ih" + sfx].astype(np.float64)  # (4H, I_l)
            w_hh = lstm.params["weight_hh" + sfx].astype(np.float64)  # (4H, H)
            d_direct = d_above[:, :, direction * H : (direction + 1) * H]  # (B, T, H)
            grad_h[key], grad_c[key], dz = _sweep(lstm.trace[key], d_direct, w_hh, reverse=direction == 1)
            d_layer_in = dz @ w_ih  # (B, T, 4H) @ (4H, I_l) -> (B, T, I_l)
            d_in = d_layer_in if d_in is None else d_in + d_layer_in
        d_above = d_in
    return grad_h, grad_c, d_above


def _sweep(trace: dict[str, np.ndarray], d_direct: np.ndarray, w_hh: np.ndarray, reverse: bool):
    """One layer and direction, walked back in processing order; returns dh, dc, dz (time order)."""
    i, f, g, o, c = (np.asarray(trace[name], dtype=np.float64) for name in ("i", "f", "g", "o", "c"))  # (B, T, H) each
    B, T, H = c.shape
    tanh_c = np.tanh(c)  # (B, T, H)
    times = range(T - 1, -1, -1) if reverse else range(T)  # processing order
    grad_h = np.zeros((B, T, H))  # (B, T, H)
    grad_c = np.zeros((B, T, H))  # (B, T, H)
    dz = np.zeros((B, T, 4 * H))  # (B, T, 4H) gate order (i, f, g, o), as the weights
    dh_next = np.zeros((B, H))  # from the step processed after this one
    dc_next = np.zeros((B, H))
    for k in range(T - 1, -1, -1):
        t = times[k]
        c_prev = c[:, times[k - 1]] if k > 0 else np.zeros((B, H))  # zero initial state
        dh = d_direct[:, t] + dh_next
        dc = dc_next + dh * o[:, t] * (1.0 - tanh_c[:, t] ** 2)
        grad_h[:, t], grad_c[:, t] = dh, dc
        dz[:, t, :H] = dc * g[:, t] * i[:, t] * (1.0 - i[:, t])
        dz[:, t, H : 2 * H] = dc * c_prev * f[:, t] * (1.0 - f[:, t])
        dz[:, t, 2 * H : 3 * H] = dc * i[:, t] * (1.0 - g[:, t] ** 2)
        dz[:, t, 3 * H :] = dh * tanh_c[:, t] * o[:, t] * (1.0 - o[:, t])
        dh_next = dz[:, t] @ w_hh  # (B, 4H) @ (4H, H) -> (B, H)
        dc_next = dc * f[:, t]
    return grad_h, grad_c, dz
