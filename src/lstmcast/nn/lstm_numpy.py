"""The LSTM's time loops in NumPy: the readable reference the compiled kernels are tested against.

The equations are in :mod:`lstmcast.nn.lstm`.  How this backend is fast in NumPy:

* Each step is one GEMM: [h_{t-1}, x_t, 1] (B, H+I+1) times [W_hhᵀ; W_ihᵀ; b], so the
  input projection and the bias ride along and no add is needed (for wider inputs,
  8(I+1) > H, ``W_ih x_t`` for all t is instead one GEMM before the loop).  After the
  backward sweep, one GEMM of the same stacked inputs gives dW_hh, dW_ih and the
  bias gradient together, and one more gives ``dx``.
* Inside the forward loop the gates of a step are one contiguous (B, 4H) block in
  the order (i, f, o, g).  The rows of the weights for i, f, o are pre-scaled by
  1/2, so a single ``tanh`` over the block gives tanh(z_g) and tanh(z/2) for the
  rest, and σ(z) = ½ + ½·tanh(z/2) is one multiply-add over the contiguous
  (i, f, o) part: nine NumPy calls per step in all.
* The backward loop works in PyTorch's order (i, f, g, o): everything that does
  not depend on the recurrence (the gate derivatives times g, c_{t-1}, i, tanh c)
  is computed for all steps at once before the loop, leaving seven NumPy calls
  per step, and the weight gradients come out in PyTorch's layout directly.

Arrays are time-major here: a layer's input is (T, B, I).
"""

from __future__ import annotations

import numpy as np

GATES = ("i", "f", "g", "o")


def forward_stack(lstm, x, h0, c0, masks, record):
    """Every layer and direction; returns ``out (B, T, D*H), h_n, c_n, cache, trace``.

    ``h0``, ``c0`` are (L*D, B, H) or None for zeros; ``masks[layer]`` is
    ``(dropout mask (T, B, I_l) or None, [recurrent mask (B, H) or None per direction])``.
    """
    B, T, _ = x.shape
    H, D = lstm.hidden_size, lstm.num_directions
    if h0 is None:
        h0 = c0 = np.zeros((lstm.num_layers * D, B, H), lstm.dtype)
    perm = np.r_[0 : 2 * H, 3 * H : 4 * H, 2 * H : 3 * H]  # torch (i,f,g,o) rows -> (i,f,o,g)
    scale = np.r_[np.full(3 * H, 0.5), np.ones(H)].astype(lstm.dtype)  # (4H,): σ from tanh(z/2)
    layer_in = np.ascontiguousarray(x.transpose(1, 0, 2))  # (T, B, I)
    h_n = np.empty((lstm.num_layers * D, B, H), lstm.dtype)
    c_n = np.empty_like(h_n)
    layers, trace = [], {}
    for layer, (drop_mask, rec_masks) in enumerate(masks):
        if drop_mask is not None:
            layer_in = layer_in * drop_mask
        out_tm = lstm._buffer((layer, "out"), (T, B, D * H))  # (T, B, D*H)
        sweeps = []
        for direction in range(D):
            k = layer * D + direction
            sweep = _sweep_forward(lstm, layer_in, layer, direction, h0[k], c0[k], rec_masks[direction], perm, scale)
            out_tm[:, :, direction * H : (direction + 1) * H] = sweep["out"]
            h_n[k] = sweep["h_last"]
            c_n[k] = sweep["c_last"]
            sweeps.append(sweep)
            if record:
                trace[(layer, direction)] = _trace_of(sweep, H)
        layers.append({"input": layer_in, "drop_mask": drop_mask, "sweeps": sweeps})
        layer_in = out_tm
    out = layer_in.transpose(1, 0, 2).copy()  # (B, T, D*H), never a scratch buffer
    return out, h_n, c_n, {"layers": layers, "shape": (B, T)}, trace


def backward_stack(lstm, cache, dout, dh_n, dc_n):
    """BPTT through every layer; adds into ``lstm.grads`` and returns ``dx (B, T, I), dh_0, dc_0``."""
    B, T = cache["shape"]
    H, D, L = lstm.hidden_size, lstm.num_directions, lstm.num_layers
    d_layer_out = None if dout is None else dout.transpose(1, 0, 2)  # (T, B, D*H)
    dh0 = np.zeros((L * D, B, H), lstm.dtype)
    dc0 = np.zeros_like(dh0)
    for layer in range(L - 1, -1, -1):
        layer_cache = cache["layers"][layer]
        inp = layer_cache["input"]
        d_in = np.zeros(inp.shape, lstm.dtype)  # (T, B, I_l)
        for direction, sweep in enumerate(layer_cache["sweeps"]):
            k = layer * D + direction
            d_h = None if d_layer_out is None else d_layer_out[:, :, direction * H : (direction + 1) * H]
            dhn = None if dh_n is None else dh_n[k]
            dcn = None if dc_n is None else dc_n[k]
            dh0[k], dc0[k] = _sweep_backward(lstm, sweep, inp, d_h, dhn, dcn, d_in)
        if layer_cache["drop_mask"] is not None:
            d_in *= layer_cache["drop_mask"]
        d_layer_out = d_in
    return np.ascontiguousarray(d_layer_out.transpose(1, 0, 2)), dh0, dc0  # (B, T, I)


def _step_weights(lstm, sfx, fold_input, perm, scale):
    """The forward loop's matrix: rows [W_hhᵀ; W_ihᵀ; b] (or just W_hhᵀ), gates (i, f, o, g), i/f/o halved."""
    H = lstm.hidden_size
    w_hh, w_ih = lstm.params["weight_hh" + sfx], lstm.params["weight_ih" + sfx]
    I = w_ih.shape[1]
    rows = H + I + 1 if fold_input else H
    w = np.empty((rows, 4 * H), lstm.dtype)  # (K, 4H)
    w[:H] = (w_hh[perm] * scale[:, None]).T
    if fold_input:
        w[H : H + I] = (w_ih[perm] * scale[:, None]).T
        w[H + I] = (lstm.params["bias_ih" + sfx] + lstm.params["bias_hh" + sfx])[perm] * scale
    return w


def _sweep_forward(lstm, inp, layer, direction, h0, c0, rec_mask, perm, scale):
    """One layer, one direction. inp (T, B, I) time-major; returns a cache dict.

    When the input is narrow (8(I+1) <= H) it rides along with the bias in the recurrent product:
    each step multiplies [h_{k-1}, x_k, 1] (B, H+I+1) by [W_hhᵀ; W_ihᵀ; b], one GEMM
    and no add. For wider inputs W_ih x_t is one GEMM over all steps before the loop.
    """
    T, B, I = inp.shape
    H = lstm.hidden_size
    sfx = lstm.suffix(layer, direction)
    fold_input = 8 * (I + 1) <= H  # a narrow input costs little extra inside the step GEMM
    w_step = _step_weights(lstm, sfx, fold_input, perm, scale)  # (K, 4H)
    x_k = inp if direction == 0 else inp[::-1]  # (T, B, I) processing order

    # Buffers in processing order k (k = t forwards, k = T-1-t backwards).
    K = w_step.shape[0]
    key = (layer, direction)
    step_in = lstm._buffer(key + ("step_in",), (T + 1, B, K))  # (T+1, B, K): [h_{k-1} (masked), x_k, 1]
    step_in[0, :, :H] = h0 if rec_mask is None else h0 * rec_mask
    proj = None
    if fold_input:
        step_in[:T, :, H : H + I] = x_k
        step_in[:, :, H + I] = 1
    else:
        w_ih = lstm.params["weight_ih" + sfx]
        w_ih_t = (w_ih[perm] * scale[:, None]).T  # (I, 4H)
        bias = (lstm.params["bias_ih" + sfx] + lstm.params["bias_hh" + sfx])[perm] * scale  # (4H,)
        proj = (x_k.reshape(T * B, I) @ w_ih_t).reshape(T, B, 4 * H)  # (T*B, I) @ (I, 4H) -> (T, B, 4H)
        proj += bias
    hs = step_in[:, :, :H] if rec_mask is None else lstm._buffer(key + ("hs",), (T + 1, B, H))  # (T+1, B, H)
    if rec_mask is not None:
        hs[0] = h0
    gates = lstm._buffer(key + ("gates",), (T, B, 4 * H))  # (T, B, 4H): i, f, o, g
    cs = lstm._buffer(key + ("cs",), (T + 1, B, H))  # (T+1, B, H): cs[k] = c_{k-1}
    cs[0] = c0
    tanh_c = lstm._buffer(key + ("tanh_c",), (T, B, H))  # (T, B, H)
    i_g = np.empty((B, H), lstm.dtype)
    H2, H3 = 2 * H, 3 * H
    matmul, add, mul, tanh = np.matmul, np.add, np.multiply, np.tanh
    for k in range(T):
        z = gates[k]  # (B, 4H)
        matmul(step_in[k], w_step, out=z)  # z = W_hh h + W_ih x + b (i, f, o halved)
        if proj is not None:
            add(z, proj[k], out=z)
        tanh(z, out=z)  # tanh(z_g), tanh(z/2) for i, f, o
        sig = z[:, :H3]
        mul(sig, 0.5, out=sig)
        add(sig, 0.5, out=sig)  # σ(z) = ½ + ½ tanh(z/2)
        c = cs[k + 1]
        mul(z[:, H:H2], cs[k], out=c)  # f ⊙ c_{k-1}
        mul(z[:, :H], z[:, H3:], out=i_g)  # i ⊙ g
        add(c, i_g, out=c)
        tanh(c, out=tanh_c[k])
        mul(z[:, H2:H3], tanh_c[k], out=hs[k + 1])  # h_k = o ⊙ tanh(c_k)
        if rec_mask is not None:
            mul(hs[k + 1], rec_mask, out=step_in[k + 1, :, :H])

    out = hs[1:] if direction == 0 else hs[:0:-1]  # (T, B, H) in time order
    return {
        "out": out,
        "h_last": hs[T],
        "c_last": cs[T],
        "gates": gates,
        "cs": cs,
        "hs": hs,
        "step_in": step_in,
        "fold_input": fold_input,
        "tanh_c": tanh_c,
        "rec_mask": rec_mask,
        "direction": direction,
        "suffix": sfx,
    }


def _trace_of(sweep, H):
    """i, f, g, o, c, h as (B, T, H) arrays in input time order."""
    gates, hs = sweep["gates"], sweep["hs"]
    blocks = {
        "i": gates[:, :, 0:H],
        "f": gates[:, :, H : 2 * H],
        "o": gates[:, :, 2 * H : 3 * H],
        "g": gates[:, :, 3 * H : 4 * H],
        "c": sweep["cs"][1:],
        "h": hs[1:],
    }  # each (T, B, H) in processing order
    step = 1 if sweep["direction"] == 0 else -1
    return {
        name: blocks[name][::step].transpose(1, 0, 2).copy()  # (B, T, H), a copy: never a scratch buffer
        for name in GATES + ("c", "h")
    }


def _sweep_backward(lstm, sweep, inp, d_h, dh_n, dc_n, d_in):
    """BPTT for one layer and direction; adds into grads and into d_in (T, B, I)."""
    H = lstm.hidden_size
    T, B, I = inp.shape
    direction, sfx = sweep["direction"], sweep["suffix"]
    gates, tanh_c, rec_mask = sweep["gates"], sweep["tanh_c"], sweep["rec_mask"]
    w_ih, w_hh = lstm.params["weight_ih" + sfx], lstm.params["weight_hh" + sfx]

    # Everything that does not depend on the recurrence, for all steps at once,
    # in reused buffers (processing order; slices are (T, B, H)).
    H2, H3 = 2 * H, 3 * H
    i, f, o, g = gates[:, :, :H], gates[:, :, H:H2], gates[:, :, H2:H3], gates[:, :, H3:]
    c_prev = sweep["cs"][:T]
    sig_d = lstm._buffer(("sig_d",), (T, B, H3))  # σ' = a(1-a) for i, f, o
    np.subtract(1, gates[:, :, :H3], out=sig_d)
    np.multiply(sig_d, gates[:, :, :H3], out=sig_d)
    # dz_{i,f,g} = dc ⊙ [g ⊙ i(1-i), c_{t-1} ⊙ f(1-f), i ⊙ (1-g²)]
    by_dc = lstm._buffer(("by_dc",), (T, B, 3, H))  # (T, B, 3, H)
    np.multiply(g, sig_d[:, :, :H], out=by_dc[:, :, 0])
    np.multiply(c_prev, sig_d[:, :, H:H2], out=by_dc[:, :, 1])
    np.multiply(g, g, out=by_dc[:, :, 2])
    np.subtract(1, by_dc[:, :, 2], out=by_dc[:, :, 2])
    np.multiply(i, by_dc[:, :, 2], out=by_dc[:, :, 2])
    o_by_dh = lstm._buffer(("o_by_dh",), (T, B, H))  # dz_o = dh ⊙ tanh c ⊙ o(1-o)
    np.multiply(tanh_c, sig_d[:, :, H2:], out=o_by_dh)
    c_by_dh = lstm._buffer(("c_by_dh",), (T, B, H))  # dc += dh ⊙ o ⊙ (1 - tanh² c)
    np.multiply(tanh_c, tanh_c, out=c_by_dh)
    np.subtract(1, c_by_dh, out=c_by_dh)
    np.multiply(o, c_by_dh, out=c_by_dh)

    dz = lstm._buffer(("dz",), (T, B, 4 * H))  # (T, B, 4H) torch order (i, f, g, o)
    dz4 = dz.reshape(T, B, 4, H)  # (T, B, 4, H) view
    dh = np.zeros((B, H), lstm.dtype) if dh_n is None else dh_n.copy()
    dc = np.zeros((B, H), lstm.dtype) if dc_n is None else dc_n.copy()
    tmp = np.empty((B, H), lstm.dtype)
    times = range(T) if direction == 0 else range(T - 1, -1, -1)
    matmul, add, mul = np.matmul, np.add, np.multiply
    dc_b = dc[:, None, :]  # (B, 1, H) view
    for k in range(T - 1, -1, -1):
        if d_h is not None:
            add(dh, d_h[times[k]], out=dh)
        mul(dh, o_by_dh[k], out=dz4[k, :, 3])
        mul(dh, c_by_dh[k], out=tmp)
        add(dc, tmp, out=dc)
        mul(dc_b, by_dc[k], out=dz4[k, :, :3])
        mul(dc, f[k], out=dc)
        matmul(dz[k], w_hh, out=dh)  # (B, 4H) @ (4H, H)
        if rec_mask is not None:
            mul(dh, rec_mask, out=dh)

    dz2 = dz.reshape(T * B, 4 * H)  # (T*B, 4H)
    step_in = sweep["step_in"][:T]  # (T, B, K): [h_{k-1} (masked), x_k, 1]
    if sweep["fold_input"]:
        # one GEMM gives [dW_hhᵀ; dW_ihᵀ; db]
        d_step = step_in.reshape(T * B, -1).T @ dz2  # (K, T*B) @ (T*B, 4H) -> (K, 4H)
        lstm.grads["weight_hh" + sfx] += d_step[:H].T
        lstm.grads["weight_ih" + sfx] += d_step[H : H + I].T
        db = d_step[H + I]  # (4H,)
    else:
        x_k = inp if direction == 0 else inp[::-1]  # (T, B, I) processing order
        lstm.grads["weight_ih" + sfx] += dz2.T @ x_k.reshape(T * B, I)  # (4H, I)
        lstm.grads["weight_hh" + sfx] += dz2.T @ step_in.reshape(T * B, H)  # (4H, H)
        db = dz2.sum(axis=0)  # (4H,)
    lstm.grads["bias_ih" + sfx] += db
    lstm.grads["bias_hh" + sfx] += db
    dx_k = (dz2 @ w_ih).reshape(T, B, I)  # (T, B, I) processing order
    d_in += dx_k if direction == 0 else dx_k[::-1]
    return dh, dc
