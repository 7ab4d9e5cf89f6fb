"""Additive (Bahdanau-style) attention pooling of a sequence into one vector.

::

    u_t = tanh(W h_t + b)          (A)     W (A, H), b (A,)
    s_t = v . u_t                  scalar  v (A,)
    a   = softmax_t(s)             (T,)    masked steps get s_t = -inf, so a_t = 0
    context = sum_t a_t h_t        (H)
"""

from __future__ import annotations

import numpy as np

from lstmcast.nn.functional import softmax, tanh
from lstmcast.nn.init import make_rng, uniform
from lstmcast.nn.module import Module, resolve_dtype


class Attention(Module):
    """Score every time step, softmax the scores over time, return the weighted sum.

    Parameters
    ----------
    hidden_size : int
        H, the size of each step's vector h_t.
    attention_size : int or None
        A, the size of the scoring layer; ``None`` means ``hidden_size``.
    dtype : {"float32", "float64"}, default "float32"
        Dtype of the parameters; inputs are cast to it.
    seed : int, Generator or None
        Seed for the initialiser.

    Notes
    -----
    Parameters: ``weight`` (A, H) and ``bias`` (A,) drawn from U(-1/sqrt(H), 1/sqrt(H))
    (PyTorch's default for ``nn.Linear(H, A)``), ``v`` (A,) from U(-1/sqrt(A), 1/sqrt(A))
    (``nn.Linear(A, 1, bias=False)``). After each forward, ``self.weights`` (B, T) holds
    the attention weights for plotting.
    """

    def __init__(self, hidden_size: int, attention_size: int | None = None,
                 dtype="float32", seed=None) -> None:
        super().__init__()
        if int(hidden_size) != hidden_size or hidden_size < 1:
            raise ValueError(f"hidden_size must be a positive int, got {hidden_size!r}")
        if attention_size is not None and (int(attention_size) != attention_size or attention_size < 1):
            raise ValueError(f"attention_size must be a positive int or None, got {attention_size!r}")
        self.hidden_size = int(hidden_size)
        self.attention_size = attention_size
        self.dtype = resolve_dtype(dtype)
        self.seed = seed
        size = self.hidden_size if attention_size is None else int(attention_size)
        rng = make_rng(seed)
        bound_h = 1.0 / np.sqrt(self.hidden_size)
        self.add_param("weight", uniform(rng, (size, self.hidden_size), bound_h, self.dtype))
        self.add_param("bias", uniform(rng, (size,), bound_h, self.dtype))
        self.add_param("v", uniform(rng, (size,), 1.0 / np.sqrt(size), self.dtype))
        self.weights: np.ndarray | None = None
        self._cache: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def forward(self, h: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        """Pool ``h`` (B, T, H) into a context (B, H).

        Parameters
        ----------
        h : ndarray, shape (B, T, H)
            The sequence to pool.
        mask : ndarray of bool, shape (B, T), optional
            True where a step may be attended to; each row needs at least one True.

        Raises
        ------
        ValueError
            If ``h`` or ``mask`` has the wrong shape, or a ``mask`` row is all False.
        """
        h = np.asarray(h, dtype=self.dtype)
        if h.ndim != 3 or h.shape[2] != self.hidden_size:
            raise ValueError(f"h must have shape (B, T, {self.hidden_size}), got {h.shape}")
        weight, bias, v = self.params["weight"], self.params["bias"], self.params["v"]
        u = tanh(h @ weight.T + bias)  # (B, T, A)   du/dz = 1 - u^2
        s = u @ v  # (B, T)   ds/du = v
        if mask is not None:
            mask = np.asarray(mask)
            if mask.shape != h.shape[:2]:
                raise ValueError(f"mask must have shape {h.shape[:2]}, got {mask.shape}")
            mask = mask.astype(bool)
            if not mask.any(axis=1).all():
                raise ValueError("mask must have at least one True per row")
            s = np.where(mask, s, -np.inf)  # (B, T)   masked steps get no weight and no gradient
        a = softmax(s, axis=1)  # (B, T)   ds = a * (da - sum_t a_t da_t)
        context = np.einsum("bt,bth->bh", a, h)  # (B, H)   da_t = dc . h_t, dh_t = a_t dc
        self.weights = a
        self._cache = (h, u, a)
        return context

    def backward(self, dcontext: np.ndarray) -> np.ndarray:
        """Add dL/dweight, dL/dbias, dL/dv into ``grads``; return dL/dh, shape (B, T, H).

        Raises
        ------
        ValueError
            If ``dcontext`` is not (B, H) for the last forward.
        """
        if self._cache is None:
            raise RuntimeError("backward called before forward")
        h, u, a = self._cache
        batch, steps, hidden = h.shape
        dcontext = np.asarray(dcontext, dtype=self.dtype)
        if dcontext.shape != (batch, hidden):
            raise ValueError(f"dcontext must have shape {(batch, hidden)}, got {dcontext.shape}")
        weight, v = self.params["weight"], self.params["v"]
        da = np.einsum("bh,bth->bt", dcontext, h)  # (B, T)
        ds = a * (da - (a * da).sum(axis=1, keepdims=True))  # (B, T)   softmax Jacobian
        self.grads["v"] += np.einsum("bt,bta->a", ds, u)  # (A,)
        du = ds[:, :, None] * v  # (B, T, A)
        dz = du * (1.0 - u * u)  # (B, T, A)
        size = weight.shape[0]
        self.grads["weight"] += dz.reshape(-1, size).T @ h.reshape(-1, hidden)  # (A, B*T) @ (B*T, H)
        self.grads["bias"] += dz.sum(axis=(0, 1))  # (A,)
        dh = a[:, :, None] * dcontext[:, None, :]  # (B, T, H)   through the weighted sum
        dh += dz @ weight  # (B, T, H)   through the scores
        return dh
