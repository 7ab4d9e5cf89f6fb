"""The LSTM's forward and backward time loops as compiled kernels.

One call runs one layer and direction of one chunk over the whole sequence.  The
batch is cut into C chunks of Bc rows (rows recur independently) that run on
separate threads (:mod:`.pool`).  Within a chunk every step is feature-major: a
step's gates are a (4H, Bc) block and its state an (H, Bc) block, each contiguous,
so that the per-step products have the weights on the left,
``W_hh (4H, H) @ h (H, Bc)``: BLAS runs 1.2-1.7x faster that way round for the
short, wide products of a recurrence than ``h (Bc, H) @ W_hhᵀ`` (measured here for
Bc = 16..64, H = 64..256), and each gate's block is one contiguous run that the
elementwise loops sweep whatever Bc is.  Shapes, in processing order k (k = t
forwards, k = T-1-t for the reverse direction), gates in PyTorch's order (i, f, g, o)::

    x      (C, T, I, Bc)     the layer's input
    gates  (C, T, 4H, Bc)    first W_ih x_k, then i, f, g, o
    cs     (C, T+1, H, Bc)   cs[:, k + 1] = c_k, cs[:, 0] = c_0
    hs     (C, T+1, H, Bc)   hs[:, k + 1] = h_k, hs[:, 0] = h_0
    hm     (C, T+1, H, Bc)   m ⊙ h_{k-1} fed to W_hh (the same array as hs without recurrent dropout)
    tanh_c (C, T, H, Bc)

The equations are the ones in :mod:`lstmcast.nn.lstm`::

    z_k = W_ih x_k + b_ih + W_hh (m ⊙ h_{k-1}) + b_hh
    i = σ(z_i)  f = σ(z_f)  g = tanh(z_g)  o = σ(z_o)
    c_k = f ⊙ c_{k-1} + i ⊙ g          h_k = o ⊙ tanh(c_k)

and backwards, with dh from the output and from step k+1::

    dz_o = dh ⊙ tanh c_k ⊙ o(1-o)      dc += dh ⊙ o ⊙ (1 - tanh² c_k)
    dz_i = dc ⊙ g ⊙ i(1-i)   dz_f = dc ⊙ c_{k-1} ⊙ f(1-f)   dz_g = dc ⊙ i ⊙ (1-g²)
    dc_{k-1} = dc ⊙ f                   dh_{k-1} = m ⊙ (W_hhᵀ dz_k)

After a chunk's backward loop its steps are laid side by side, (4H, T·Bc), and
three GEMMs give its share of dW_hh, dW_ih and dx; the caller adds the C shares in
a fixed order, so a fixed thread count gives bit-identical results.  The matrix
products call SciPy's BLAS (through Numba's ``np.dot``), pinned to one thread by
:mod:`.blas` because the chunks already use every core.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .activations import FASTMATH, sigmoid, tanh

JIT = {"cache": True, "fastmath": FASTMATH, "error_model": "numpy", "nogil": True}


@njit(**JIT)
def forward_chunk(c, x, w_ih, w_hh, b_ih, b_hh, mask, use_mask, gates, cs, hs, hm, tanh_c, z_rec):
    """Forward sweep of chunk ``c`` (the GIL released: chunks run on separate threads).

    ``hs[c, 0]`` and ``cs[c, 0]`` hold h_0 and c_0 on entry; the other arrays are filled.
    The weights come in PyTorch's layout, ``w_ih`` (4H, I), ``w_hh`` (4H, H), ``b_ih``,
    ``b_hh`` (4H,); ``mask`` (C, H, Bc) is the recurrent dropout mask (read when
    ``use_mask``); ``z_rec`` (C, 4H, Bc) is scratch.
    """
    C, T, G, Bc = gates.shape
    H = G // 4
    n = H * Bc  # one gate's block, flat
    zr = z_rec[c].reshape(G * Bc)  # (4H·Bc,)
    bias = np.empty(G * Bc, gates.dtype)  # (4H·Bc,): b_ih + b_hh laid out like a step's gates
    for j in range(G):
        for b in range(Bc):
            bias[j * Bc + b] = b_ih[j] + b_hh[j]
    if use_mask:
        h0, m0, mc = hs[c, 0].reshape(n), hm[c, 0].reshape(n), mask[c].reshape(n)
        for e in range(n):
            m0[e] = h0[e] * mc[e]
    I = x.shape[2]
    if Bc == 1:  # one row: W_ih x_k for every step in one product before the loop
        np.dot(x[c].reshape(T, I), w_ih.T, gates[c].reshape(T, G))  # (T, I) @ (I, 4H) -> (T, 4H)
    for k in range(T):
        if Bc == 1:
            np.dot(w_hh, hm[c, k].reshape(H), zr)  # (4H, H) @ (H,) -> (4H,): a matrix-vector product
        else:
            np.dot(w_ih, x[c, k], gates[c, k])  # (4H, I) @ (I, Bc) -> (4H, Bc)
            np.dot(w_hh, hm[c, k], z_rec[c])  # (4H, H) @ (H, Bc) -> (4H, Bc)
        z = gates[c, k].reshape(G * Bc)  # (4H·Bc,): W_ih x_k in; i | f | g | o out, each n long
        for e in range(2 * n):
            z[e] = sigmoid(z[e] + zr[e] + bias[e])  # i, f
        for e in range(2 * n, 3 * n):
            z[e] = tanh(z[e] + zr[e] + bias[e])  # g
        for e in range(3 * n, 4 * n):
            z[e] = sigmoid(z[e] + zr[e] + bias[e])  # o
        cp, cn = cs[c, k].reshape(n), cs[c, k + 1].reshape(n)  # (H·Bc,)
        hn, tc = hs[c, k + 1].reshape(n), tanh_c[c, k].reshape(n)
        for e in range(n):
            cn[e] = z[n + e] * cp[e] + z[e] * z[2 * n + e]  # c = f ⊙ c_prev + i ⊙ g
        for e in range(n):
            tc[e] = tanh(cn[e])
        for e in range(n):
            hn[e] = z[3 * n + e] * tc[e]  # h = o ⊙ tanh c
        if use_mask:
            mn, mc = hm[c, k + 1].reshape(n), mask[c].reshape(n)
            for e in range(n):
                mn[e] = hn[e] * mc[e]


@njit(**JIT)
def backward_chunk(c, x, w_ih, w_hh_t, mask, use_mask, gates, cs, hm, tanh_c, d_out, use_d_out,
                   dh, dc, dz, dx, dw_ih, dw_hh, db):
    """Backward sweep of chunk ``c`` (the GIL released: chunks run on separate threads).

    ``w_hh_t`` is W_hhᵀ as a contiguous (H, 4H) array (BLAS is faster on it than on a
    transposed view).
    On entry ``dh[c]``, ``dc[c]`` (H, Bc) hold dL/dh_T and dL/dc_T (zeros when none); on
    exit dL/dh_0 and dL/dc_0.  ``d_out`` (C, T, H, Bc) is dL/dh_k from above (read when
    ``use_d_out``).  Fills ``dx[c]`` (T, I, Bc) and the chunk's share of the weight
    gradients: ``dw_ih[c]`` (4H, I), ``dw_hh[c]`` (4H, H), ``db[c]`` (4H,).  ``dz`` is scratch.
    """
    C, T, G, Bc = gates.shape
    H = G // 4
    I = x.shape[2]
    n = H * Bc
    dhf, dcf = dh[c].reshape(n), dc[c].reshape(n)  # (H·Bc,)
    for k in range(T - 1, -1, -1):
        a, d = gates[c, k].reshape(G * Bc), dz[c, k].reshape(G * Bc)  # (4H·Bc,) i | f | g | o
        cp, tc = cs[c, k].reshape(n), tanh_c[c, k].reshape(n)  # (H·Bc,)
        if use_d_out:
            do = d_out[c, k].reshape(n)
            for e in range(n):
                dhf[e] += do[e]
        for e in range(n):  # dz_o = dh ⊙ tanh c ⊙ o(1-o)
            o = a[3 * n + e]
            d[3 * n + e] = dhf[e] * tc[e] * o * (1 - o)
        for e in range(n):  # dc += dh ⊙ o ⊙ (1 - tanh² c)
            dcf[e] += dhf[e] * a[3 * n + e] * (1 - tc[e] * tc[e])
        for e in range(n):  # dz_i = dc ⊙ g ⊙ i(1-i)
            i = a[e]
            d[e] = dcf[e] * a[2 * n + e] * i * (1 - i)
        for e in range(n):  # dz_f = dc ⊙ c_{k-1} ⊙ f(1-f)
            f = a[n + e]
            d[n + e] = dcf[e] * cp[e] * f * (1 - f)
        for e in range(n):  # dz_g = dc ⊙ i ⊙ (1-g²)
            g = a[2 * n + e]
            d[2 * n + e] = dcf[e] * a[e] * (1 - g * g)
        for e in range(n):  # dc_{k-1} = dc ⊙ f
            dcf[e] *= a[n + e]
        np.dot(w_hh_t, dz[c, k], dh[c])  # dh_{k-1} (H, Bc) = W_hhᵀ (H, 4H) @ dz_k (4H, Bc)
        if use_mask:
            mc = mask[c].reshape(n)
            for e in range(n):
                dhf[e] *= mc[e]
    # The steps side by side: (X, T·Bc), so that each weight gradient is one GEMM.
    dz_wide = np.empty((G, T * Bc), dz.dtype)  # (4H, T·Bc)
    h_wide = np.empty((H, T * Bc), dz.dtype)  # (H, T·Bc): m ⊙ h_{k-1}
    x_wide = np.empty((I, T * Bc), dz.dtype)  # (I, T·Bc)
    for k in range(T):
        dz_wide[:, k * Bc : (k + 1) * Bc] = dz[c, k]
        h_wide[:, k * Bc : (k + 1) * Bc] = hm[c, k]
        x_wide[:, k * Bc : (k + 1) * Bc] = x[c, k]
    np.dot(dz_wide, h_wide.T, dw_hh[c])  # (4H, T·Bc) @ (T·Bc, H)
    np.dot(dz_wide, x_wide.T, dw_ih[c])  # (4H, T·Bc) @ (T·Bc, I)
    dx_wide = np.dot(w_ih.T, dz_wide)  # (I, 4H) @ (4H, T·Bc) -> (I, T·Bc)
    for k in range(T):
        dx[c, k] = dx_wide[:, k * Bc : (k + 1) * Bc]
    for j in range(G):
        total = 0.0
        row = dz_wide[j]
        for r in range(T * Bc):
            total += row[r]
        db[c, j] = total
