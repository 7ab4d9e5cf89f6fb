"""The LSTM's forward and backward time loops as compiled kernels.

One call runs one layer and direction over the whole sequence.  The batch is cut
into C chunks of Bc rows (rows recur independently), laid out so that every array a
chunk touches at a step is one contiguous block, and the chunks run on separate
threads (:mod:`.pool`).  Shapes, in processing order k (k = t forwards, k = T-1-t for
the reverse direction), gates in PyTorch's order (i, f, g, o)::

    x      (C, T, Bc, I)     the layer's input
    gates  (C, T, Bc, 4H)    first W_ih x_k (one GEMM per chunk), then i, f, g, o
    cs     (C, T+1, Bc, H)   cs[:, k + 1] = c_k, cs[:, 0] = c_0
    hs     (C, T+1, Bc, H)   hs[:, k + 1] = h_k, hs[:, 0] = h_0
    hm     (C, T+1, Bc, H)   h_{k-1} ⊙ m fed to W_hh (the same array as hs without recurrent dropout)
    tanh_c (C, T, Bc, H)

The equations are the ones in :mod:`lstmcast.nn.lstm`::

    z_k = W_ih x_k + b_ih + W_hh (m ⊙ h_{k-1}) + b_hh
    i = σ(z_i)  f = σ(z_f)  g = tanh(z_g)  o = σ(z_o)
    c_k = f ⊙ c_{k-1} + i ⊙ g          h_k = o ⊙ tanh(c_k)

and backwards, with dh from the output and from step k+1::

    dz_o = dh ⊙ tanh c_k ⊙ o(1-o)      dc += dh ⊙ o ⊙ (1 - tanh² c_k)
    dz_i = dc ⊙ g ⊙ i(1-i)   dz_f = dc ⊙ c_{k-1} ⊙ f(1-f)   dz_g = dc ⊙ i ⊙ (1-g²)
    dc_{k-1} = dc ⊙ f                   dh_{k-1} = m ⊙ (W_hhᵀ dz_k)

After a chunk's backward loop, three GEMMs over all its steps give its share of
dW_hh, dW_ih and dx; the caller adds the C shares in a fixed order, so a fixed
thread count gives bit-identical results.  The matrix products call SciPy's BLAS
(through Numba's ``np.dot``), pinned to one thread by :mod:`.blas` because the chunks
already use every core.
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
    ``b_hh`` (4H,); ``mask`` (C, Bc, H) is the recurrent dropout mask (read when ``use_mask``).
    """
    C, T, Bc, G = gates.shape
    H = G // 4
    I = x.shape[3]
    w_hh_t = w_hh.T  # (H, 4H), a transposed view: BLAS reads it in place
    np.dot(x[c].reshape(T * Bc, I), w_ih.T, gates[c].reshape(T * Bc, G))  # (T*Bc, I) @ (I, 4H)
    if use_mask:
        for b in range(Bc):
            for j in range(H):
                hm[c, 0, b, j] = hs[c, 0, b, j] * mask[c, b, j]
    zr = z_rec[c]  # (Bc, 4H)
    for k in range(T):
        if Bc == 1:
            np.dot(hm[c, k, 0], w_hh_t, zr[0])  # (H,) @ (H, 4H): a matrix-vector product
        else:
            np.dot(hm[c, k], w_hh_t, zr)  # (Bc, H) @ (H, 4H)
        z = gates[c, k]  # (Bc, 4H): W_ih x_k in, i f g o out
        c_prev, c_new, h_new, tc = cs[c, k], cs[c, k + 1], hs[c, k + 1], tanh_c[c, k]
        for b in range(Bc):  # row by row, in short loops over one or two arrays, so each vectorises
            zb, zrb = z[b], zr[b]  # (4H,)
            for j in range(G):
                zb[j] += zrb[j] + b_ih[j] + b_hh[j]
            for j in range(2 * H):
                zb[j] = sigmoid(zb[j])  # i, f
            for j in range(2 * H, 3 * H):
                zb[j] = tanh(zb[j])  # g
            for j in range(3 * H, G):
                zb[j] = sigmoid(zb[j])  # o
            cp, cn, hn, tb = c_prev[b], c_new[b], h_new[b], tc[b]  # (H,)
            for j in range(H):
                cn[j] = zb[H + j] * cp[j] + zb[j] * zb[2 * H + j]  # c = f ⊙ c_prev + i ⊙ g
            for j in range(H):
                tb[j] = tanh(cn[j])
            for j in range(H):
                hn[j] = zb[3 * H + j] * tb[j]  # h = o ⊙ tanh c
        if use_mask:
            for b in range(Bc):
                for j in range(H):
                    hm[c, k + 1, b, j] = h_new[b, j] * mask[c, b, j]


@njit(**JIT)
def backward_chunk(c, x, w_ih, w_hh, mask, use_mask, gates, cs, hm, tanh_c, d_out, use_d_out,
                   dh, dc, dz, dx, dw_ih, dw_hh, db):
    """Backward sweep of chunk ``c`` (the GIL released: chunks run on separate threads).

    On entry ``dh[c]``, ``dc[c]`` (Bc, H) hold dL/dh_T and dL/dc_T (zeros when none); on
    exit dL/dh_0 and dL/dc_0.  ``d_out`` (C, T, Bc, H) is dL/dh_k from above (read when
    ``use_d_out``).  Fills ``dx[c]`` (T, Bc, I) and the chunk's share of the weight
    gradients: ``dw_ih[c]`` (4H, I), ``dw_hh[c]`` (4H, H), ``db[c]`` (4H,).  ``dz`` is scratch.
    """
    C, T, Bc, G = gates.shape
    H = G // 4
    I = x.shape[3]
    dh_c, dc_c = dh[c], dc[c]  # (Bc, H)
    for k in range(T - 1, -1, -1):
        a, d, c_prev, tc = gates[c, k], dz[c, k], cs[c, k], tanh_c[c, k]  # (Bc, 4H), (Bc, 4H), (Bc, H), (Bc, H)
        for b in range(Bc):  # row by row, in loops over few arrays, so each vectorises
            ab, db_, cp, tb, dhb, dcb = a[b], d[b], c_prev[b], tc[b], dh_c[b], dc_c[b]  # (4H,) (4H,) then (H,)
            if use_d_out:
                dob = d_out[c, k, b]  # (H,)
                for j in range(H):
                    dhb[j] += dob[j]
            for j in range(H):  # dz_o = dh ⊙ tanh c ⊙ o(1-o)
                o = ab[3 * H + j]
                db_[3 * H + j] = dhb[j] * tb[j] * o * (1 - o)
            for j in range(H):  # dc += dh ⊙ o ⊙ (1 - tanh² c)
                dcb[j] += dhb[j] * ab[3 * H + j] * (1 - tb[j] * tb[j])
            for j in range(H):  # dz_i = dc ⊙ g ⊙ i(1-i)
                i = ab[j]
                db_[j] = dcb[j] * ab[2 * H + j] * i * (1 - i)
            for j in range(H):  # dz_f = dc ⊙ c_{k-1} ⊙ f(1-f)
                f = ab[H + j]
                db_[H + j] = dcb[j] * cp[j] * f * (1 - f)
            for j in range(H):  # dz_g = dc ⊙ i ⊙ (1-g²)
                g = ab[2 * H + j]
                db_[2 * H + j] = dcb[j] * ab[j] * (1 - g * g)
            for j in range(H):  # dc_{k-1} = dc ⊙ f
                dcb[j] *= ab[H + j]
        np.dot(d, w_hh, dh_c)  # dh_{k-1} (Bc, H) = dz_k (Bc, 4H) @ W_hh (4H, H)
        if use_mask:
            for b in range(Bc):
                dhb, mb = dh_c[b], mask[c, b]  # (H,)
                for j in range(H):
                    dhb[j] *= mb[j]
    dz2 = dz[c].reshape(T * Bc, G)  # (T*Bc, 4H)
    np.dot(dz2.T, hm[c][:T].reshape(T * Bc, H), dw_hh[c])  # (4H, T*Bc) @ (T*Bc, H)
    np.dot(dz2.T, x[c].reshape(T * Bc, I), dw_ih[c])  # (4H, T*Bc) @ (T*Bc, I)
    np.dot(dz2, w_ih, dx[c].reshape(T * Bc, I))  # (T*Bc, 4H) @ (4H, I)
    for g in range(G):
        db[c, g] = 0
    for r in range(T * Bc):
        for g in range(G):
            db[c, g] += dz2[r, g]
