"""Dense (fully connected) layer: ``y = x W^T + b``, laid out as ``torch.nn.Linear``."""

from __future__ import annotations

import numpy as np

from lstmcast.nn.init import make_rng, uniform
from lstmcast.nn.module import Module, resolve_dtype


class Dense(Module):
    """Affine map over the last axis: ``y = x @ weight.T + bias``.

    Parameters
    ----------
    in_features : int
        Size of the last axis of the input.
    out_features : int
        Size of the last axis of the output.
    bias : bool, default True
        Whether to add a learned bias.
    dtype : {"float32", "float64"}, default "float32"
        Dtype of the parameters; inputs are cast to it.
    seed : int, Generator or None
        Seed for the initialiser.

    Notes
    -----
    Parameters ``weight`` (out_features, in_features) and ``bias`` (out_features,)
    are drawn from U(-1/sqrt(in_features), 1/sqrt(in_features)), PyTorch's default,
    so a ``state_dict`` moves to and from ``torch.nn.Linear`` unchanged.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 dtype="float32", seed=None) -> None:
        super().__init__()
        if int(in_features) != in_features or in_features < 1:
            raise ValueError(f"in_features must be a positive int, got {in_features!r}")
        if int(out_features) != out_features or out_features < 1:
            raise ValueError(f"out_features must be a positive int, got {out_features!r}")
        self.in_features = int(in_features)
        self.out_features = int(out_features)
        self.bias = bool(bias)
        self.dtype = resolve_dtype(dtype)
        self.seed = seed
        rng = make_rng(seed)
        bound = 1.0 / np.sqrt(self.in_features)
        self.add_param("weight", uniform(rng, (self.out_features, self.in_features), bound, self.dtype))
        if self.bias:
            self.add_param("bias", uniform(rng, (self.out_features,), bound, self.dtype))
        self._cache: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Return ``x @ weight.T + bias`` for ``x`` of shape (..., in_features).

        Raises
        ------
        ValueError
            If the last axis of ``x`` is not ``in_features``.
        """
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim < 1 or x.shape[-1] != self.in_features:
            raise ValueError(f"x must have shape (..., {self.in_features}), got {x.shape}")
        y = x @ self.params["weight"].T  # (..., O)   dy/dx = W, dy/dW = x
        if self.bias:
            y = y + self.params["bias"]  # (..., O)   dy/db = 1
        self._cache = x
        return y

    def backward(self, dy: np.ndarray) -> np.ndarray:
        """Add dL/dweight, dL/dbias into ``grads`` and return dL/dx, shape (..., in_features).

        Raises
        ------
        ValueError
            If ``dy`` does not have the shape of the last output.
        """
        if self._cache is None:
            raise RuntimeError("backward called before forward")
        x = self._cache
        expected = x.shape[:-1] + (self.out_features,)
        dy = np.asarray(dy, dtype=self.dtype)
        if dy.shape != expected:
            raise ValueError(f"dy must have shape {expected}, got {dy.shape}")
        x2 = x.reshape(-1, self.in_features)  # (N, I)
        dy2 = dy.reshape(-1, self.out_features)  # (N, O)
        self.grads["weight"] += dy2.T @ x2  # (O, I)   dL/dW = sum_n dy_n x_n^T
        if self.bias:
            self.grads["bias"] += dy2.sum(axis=0)  # (O,)   dL/db = sum_n dy_n
        return dy @ self.params["weight"]  # (..., I)   dL/dx = dy W
