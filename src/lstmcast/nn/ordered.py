"""OrderedQuantiles: raw outputs -> quantile forecasts that can never cross.

The last axis holds one raw output ``z_k`` per quantile ``τ_0 < ... < τ_{Q-1}``. The
``base`` quantile (the median, normally) is taken as it is, and every other one is
reached from its neighbour towards the base by a non-negative step::

    q_m = z_m                                   (m = base)
    q_k = q_{k-1} + softplus(z_k)               (k > m)
    q_k = q_{k+1} - softplus(z_k)               (k < m)

so ``q_0 <= q_1 <= ... <= q_{Q-1}`` for every input. Backward, with g = dL/dq::

    dL/dz_m = sum_j g_j
    dL/dz_k = σ(z_k) sum_{j >= k} g_j           (k > m)
    dL/dz_k = -σ(z_k) sum_{j <= k} g_j          (k < m)
"""

from __future__ import annotations

import numpy as np

from lstmcast.nn.functional import sigmoid
from lstmcast.nn.module import Module


def softplus(x: np.ndarray) -> np.ndarray:
    """log(1 + e^x) without overflow: max(x, 0) + log1p(e^-|x|)."""
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


class OrderedQuantiles(Module):
    """Ordered quantiles from unconstrained outputs; no parameters.

    Parameters
    ----------
    count : int
        Quantiles on the last axis, Q >= 1.
    base : int
        Index of the quantile taken as it is (0 <= base < Q).
    """

    def __init__(self, count: int, base: int) -> None:
        super().__init__()
        if not 0 <= base < count:
            raise ValueError(f"base must be in [0, {count}), got {base!r}")
        self.count, self.base = int(count), int(base)
        self._z: np.ndarray | None = None

    def forward(self, z: np.ndarray) -> np.ndarray:
        """z (..., Q) -> ordered quantiles (..., Q)."""
        if z.shape[-1] != self.count:
            raise ValueError(f"z must have {self.count} entries on its last axis, got shape {z.shape}")
        self._z = z
        m = self.base
        steps = softplus(z)  # (..., Q)
        up = np.cumsum(steps[..., m + 1 :], axis=-1)  # (..., Q-m-1)  q_k - q_m for k > m
        down = np.cumsum(steps[..., :m][..., ::-1], axis=-1)[..., ::-1]  # (..., m)  q_m - q_k for k < m
        centre = z[..., m : m + 1]  # (..., 1)
        return np.concatenate([centre - down, centre, centre + up], axis=-1)  # (..., Q)

    def backward(self, dq: np.ndarray) -> np.ndarray:
        """dL/dq (..., Q) -> dL/dz (..., Q)."""
        z, m = self._z, self.base
        slope = sigmoid(z)  # softplus'(z)
        dz = np.empty_like(dq)
        dz[..., m] = dq.sum(axis=-1)
        above = np.cumsum(dq[..., ::-1], axis=-1)[..., ::-1]  # (..., Q)  sum_{j >= k} g_j
        below = np.cumsum(dq, axis=-1)  # (..., Q)  sum_{j <= k} g_j
        dz[..., m + 1 :] = slope[..., m + 1 :] * above[..., m + 1 :]
        dz[..., :m] = -slope[..., :m] * below[..., :m]
        return dz
