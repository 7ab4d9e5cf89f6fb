"""The LSTM's time loops as compiled kernels (:mod:`lstmcast.nn.kernels`): the default backend.

Same interface as :mod:`lstmcast.nn.lstm_numpy` (``forward_stack`` / ``backward_stack``)
and the same masks, so the two backends agree to rounding.  Here a layer's arrays are
chunk-major: the batch is cut into C chunks of Bc rows (the last one padded with
zero rows, which get zero gradients and so add nothing), ``(C, T, Bc, X)``, so that a
chunk's step is one contiguous block and each chunk can run on its own core.
"""

from __future__ import annotations

import numpy as np

from .kernels import sweeps
from .kernels.blas import pin_blas
from .kernels.pool import get_threads, run_chunks
from .lstm_numpy import GATES

MIN_CHUNK_ROWS = 4  # below this many batch rows a chunk, a second thread costs more than it saves


def chunking(batch: int) -> tuple[int, int]:
    """``(C, Bc)``: how many chunks the batch is cut into, and the rows of each.

    One chunk per thread (:func:`lstmcast.nn.set_threads`), at least ``MIN_CHUNK_ROWS``
    rows each.  The result depends only on the batch and the thread count, so a fixed
    thread count gives bit-identical results.
    """
    chunks = max(1, min(get_threads(), batch // MIN_CHUNK_ROWS))
    return chunks, -(-batch // chunks)


def to_chunks(a, chunks, rows):
    """(B, T, X) batch-first -> (C, T, Bc, X) chunk-major, padded with zero rows."""
    B, T, X = a.shape
    if chunks * rows == B:  # no padding: one copy
        return np.ascontiguousarray(a.reshape(chunks, rows, T, X).transpose(0, 2, 1, 3))  # (C, T, Bc, X)
    out = np.zeros((chunks, T, rows, X), a.dtype)  # (C, T, Bc, X)
    for c in range(chunks):
        block = a[c * rows : (c + 1) * rows]  # (n_c, T, X)
        out[c, :, : len(block)] = block.transpose(1, 0, 2)  # (T, n_c, X)
    return out


def from_chunks(a, batch):
    """(C, T, Bc, X) chunk-major -> a new (B, T, X) batch-first array, the padding dropped."""
    C, T, Bc, X = a.shape
    out = np.empty((batch, T, X), a.dtype)  # (B, T, X), never a view of a scratch buffer
    for c in range(C):
        rows = out[c * Bc : (c + 1) * Bc]  # (n_c, T, X)
        rows[...] = a[c, :, : len(rows)].transpose(1, 0, 2)
    return out


def state_to_chunks(s, chunks, rows):
    """(B, H) -> (C, Bc, H), padded with zero rows."""
    out = np.zeros((chunks * rows, s.shape[1]), s.dtype)  # (C*Bc, H)
    out[: len(s)] = s
    return out.reshape(chunks, rows, s.shape[1])  # (C, Bc, H)


def forward_stack(lstm, x, h0, c0, masks, record):
    """Every layer and direction; returns ``out (B, T, D*H), h_n, c_n, cache, trace``.

    ``h0``, ``c0`` are (L*D, B, H) or None for zeros; ``masks`` as in :mod:`.lstm_numpy`.
    """
    pin_blas()
    B, T, _ = x.shape
    H, D = lstm.hidden_size, lstm.num_directions
    C, Bc = chunking(B)
    layer_in = to_chunks(x, C, Bc)  # (C, T, Bc, I)
    h_n = np.empty((lstm.num_layers * D, B, H), lstm.dtype)
    c_n = np.empty_like(h_n)
    layers, trace = [], {}
    for layer, (drop_mask, rec_masks) in enumerate(masks):
        if drop_mask is not None:
            layer_in = layer_in * to_chunks(drop_mask.transpose(1, 0, 2), C, Bc)  # mask (T, B, I_l) -> (C, T, Bc, I_l)
        out = np.empty((C, T, Bc, D * H), lstm.dtype)  # (C, T, Bc, D*H)
        sweeps_done = []
        for direction in range(D):
            k = layer * D + direction
            sfx = lstm.suffix(layer, direction)
            inp = layer_in if direction == 0 else np.ascontiguousarray(layer_in[:, ::-1])  # processing order
            key = ("compiled", layer, direction)
            gates = lstm._buffer(key + ("gates",), (C, T, Bc, 4 * H))  # (C, T, Bc, 4H)
            cs = lstm._buffer(key + ("cs",), (C, T + 1, Bc, H))  # (C, T+1, Bc, H)
            hs = lstm._buffer(key + ("hs",), (C, T + 1, Bc, H))  # (C, T+1, Bc, H)
            tanh_c = lstm._buffer(key + ("tanh_c",), (C, T, Bc, H))  # (C, T, Bc, H)
            z_rec = lstm._buffer(key + ("z_rec",), (C, Bc, 4 * H))  # (C, Bc, 4H)
            rec_mask = rec_masks[direction]
            use_mask = rec_mask is not None
            hm = lstm._buffer(key + ("hm",), (C, T + 1, Bc, H)) if use_mask else hs  # (C, T+1, Bc, H)
            mask = lstm._buffer(key + ("mask",), (C, Bc, H))  # (C, Bc, H); unread without a mask
            if use_mask:
                mask[...] = state_to_chunks(rec_mask, C, Bc)
            hs[:, 0] = 0 if h0 is None else state_to_chunks(h0[k], C, Bc)
            cs[:, 0] = 0 if c0 is None else state_to_chunks(c0[k], C, Bc)
            p = lstm.params
            run_chunks(sweeps.forward_chunk, C, inp, p["weight_ih" + sfx], p["weight_hh" + sfx], p["bias_ih" + sfx],
                       p["bias_hh" + sfx], mask, use_mask, gates, cs, hs, hm, tanh_c, z_rec)
            h_seq = hs[:, 1:] if direction == 0 else hs[:, :0:-1]  # (C, T, Bc, H) in time order
            out[..., direction * H : (direction + 1) * H] = h_seq
            h_n[k] = hs[:, T].reshape(C * Bc, H)[:B]  # (C, Bc, H) -> (B, H)
            c_n[k] = cs[:, T].reshape(C * Bc, H)[:B]
            sweep = {"input": inp, "gates": gates, "cs": cs, "hm": hm, "tanh_c": tanh_c, "mask": mask,
                     "use_mask": use_mask, "suffix": sfx}
            sweeps_done.append(sweep)
            if record:
                trace[(layer, direction)] = _trace_of(sweep, hs, direction, B)
        layers.append({"drop_mask": drop_mask, "sweeps": sweeps_done, "input_size": layer_in.shape[3]})
        layer_in = out
    return from_chunks(layer_in, B), h_n, c_n, {"layers": layers, "shape": (B, T), "chunks": (C, Bc)}, trace


def _trace_of(sweep, hs, direction, batch):
    """i, f, g, o, c, h as (B, T, H) arrays in input time order (copies, never scratch buffers)."""
    gates = sweep["gates"]  # (C, T, Bc, 4H)
    H = gates.shape[3] // 4
    blocks = {name: gates[..., n * H : (n + 1) * H] for n, name in enumerate(GATES)}  # each (C, T, Bc, H)
    blocks["c"], blocks["h"] = sweep["cs"][:, 1:], hs[:, 1:]
    step = 1 if direction == 0 else -1
    return {name: from_chunks(blocks[name][:, ::step], batch) for name in GATES + ("c", "h")}


def backward_stack(lstm, cache, dout, dh_n, dc_n):
    """BPTT through every layer; adds into ``lstm.grads`` and returns ``dx (B, T, I), dh_0, dc_0``."""
    B, T = cache["shape"]
    C, Bc = cache["chunks"]
    H, D, L = lstm.hidden_size, lstm.num_directions, lstm.num_layers
    d_layer_out = None if dout is None else to_chunks(dout, C, Bc)  # (C, T, Bc, D*H)
    dh0 = np.zeros((L * D, B, H), lstm.dtype)
    dc0 = np.zeros_like(dh0)
    for layer in range(L - 1, -1, -1):
        layer_cache = cache["layers"][layer]
        I = layer_cache["input_size"]
        d_in = np.zeros((C, T, Bc, I), lstm.dtype)  # (C, T, Bc, I_l)
        for direction, sweep in enumerate(layer_cache["sweeps"]):
            k = layer * D + direction
            sfx = sweep["suffix"]
            use_d_out = d_layer_out is not None
            if use_d_out:
                d_h = d_layer_out[..., direction * H : (direction + 1) * H]  # (C, T, Bc, H) time order
                d_h = np.ascontiguousarray(d_h if direction == 0 else d_h[:, ::-1])  # processing order
            else:
                d_h = sweep["tanh_c"]  # unread
            dh = state_to_chunks(dh_n[k], C, Bc) if dh_n is not None else np.zeros((C, Bc, H), lstm.dtype)
            dc = state_to_chunks(dc_n[k], C, Bc) if dc_n is not None else np.zeros((C, Bc, H), lstm.dtype)
            key = ("compiled", layer, direction)
            dz = lstm._buffer(key + ("dz",), (C, T, Bc, 4 * H))  # (C, T, Bc, 4H)
            dx = np.empty((C, T, Bc, I), lstm.dtype)  # (C, T, Bc, I) processing order
            dw_ih = np.empty((C, 4 * H, I), lstm.dtype)  # each chunk's share
            dw_hh = np.empty((C, 4 * H, H), lstm.dtype)
            db = np.empty((C, 4 * H), lstm.dtype)
            run_chunks(sweeps.backward_chunk, C, sweep["input"], lstm.params["weight_ih" + sfx],
                       lstm.params["weight_hh" + sfx], sweep["mask"], sweep["use_mask"], sweep["gates"], sweep["cs"],
                       sweep["hm"], sweep["tanh_c"], d_h, use_d_out, dh, dc, dz, dx, dw_ih, dw_hh, db)
            for c in range(C):  # the chunks' shares in a fixed order
                lstm.grads["weight_ih" + sfx] += dw_ih[c]
                lstm.grads["weight_hh" + sfx] += dw_hh[c]
                lstm.grads["bias_ih" + sfx] += db[c]
                lstm.grads["bias_hh" + sfx] += db[c]
            d_in += dx if direction == 0 else dx[:, ::-1]
            dh0[k] = dh.reshape(C * Bc, H)[:B]  # (C, Bc, H) -> (B, H)
            dc0[k] = dc.reshape(C * Bc, H)[:B]
        if layer_cache["drop_mask"] is not None:
            d_in *= to_chunks(layer_cache["drop_mask"].transpose(1, 0, 2), C, Bc)
        d_layer_out = d_in
    return from_chunks(d_layer_out, B), dh0, dc0
