"""Reversible window normalisation: each window by its own level (and spread), the output mapped back.

For a window x (B, T, C), per row b and channel c::

    "mean_std"  s = mean_t x_t          σ = sqrt(var_t x_t + eps)     (reversible instance normalisation)
    "last"      s = x_T                 σ = 1                         (changes from the last value)
    "none"      s = 0                   σ = 1

    forward:  x̂_t = (x_t - s) / σ                 inverse:  y = ŷ σ + s   (ŷ (B, K, C), any K)

The statistics are those of the last ``forward``; ``apply`` normalises another array
(the targets) with them. Derivatives, with g = dL/dx̂ and, after ``inverse_backward(dy)``,
the extra ds = Σ dy and dσ = Σ dy ŷ that reach the statistics through the output::

    dL/ds = -Σ_t g_t / σ + ds                dL/dσ = -Σ_t g_t x̂_t / σ + dσ
    dL/dx_t = g_t / σ + dL/ds · ∂s/∂x_t + dL/dσ · ∂σ/∂x_t
    ∂s/∂x_t = 1/T ("mean_std"), [t = T] ("last");   ∂σ/∂x_t = x̂_t / T ("mean_std"), 0 otherwise
"""

from __future__ import annotations

import numpy as np

from lstmcast.nn.module import Module

KINDS = ("mean_std", "last", "none")


class WindowNorm(Module):
    """Normalise each window by its own level and spread, and map outputs back.

    Parameters
    ----------
    kind : {"mean_std", "last", "none"}
    eps : float
        Added to the variance, so a constant window divides by ``sqrt(eps)``, not 0.
    """

    def __init__(self, kind: str = "mean_std", eps: float = 1e-5) -> None:
        super().__init__()
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))}, got {kind!r}")
        self.kind = kind
        self.eps = float(eps)
        self._cache = None  # (shift (B, 1, C), scale (B, 1, C), x̂ (B, T, C))
        self._stat_grads = None  # (ds, dσ) (B, 1, C) each, from inverse_backward

    def statistics(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Shift and scale (B, 1, C) each of windows ``x`` (B, T, C)."""
        if x.ndim != 3:
            raise ValueError(f"x must have shape (B, T, C), got {x.shape}")
        if self.kind == "mean_std":
            shift = x.mean(axis=1, keepdims=True)  # (B, 1, C)
            scale = np.sqrt(x.var(axis=1, keepdims=True) + x.dtype.type(self.eps))  # (B, 1, C)
        elif self.kind == "last":
            shift = x[:, -1:, :].copy()  # (B, 1, C)
            scale = np.ones_like(shift)  # (B, 1, C)
        else:
            shift = np.zeros((x.shape[0], 1, x.shape[2]), x.dtype)  # (B, 1, C)
            scale = np.ones_like(shift)  # (B, 1, C)
        return shift, scale

    def forward(self, x: np.ndarray) -> np.ndarray:
        """x (B, T, C) -> x̂ (B, T, C); keeps the statistics for ``apply`` and ``inverse``."""
        shift, scale = self.statistics(x)
        normalised = (x - shift) / scale  # (B, T, C)
        self._cache = (shift, scale, normalised)
        self._stat_grads = None
        return normalised

    def apply(self, y: np.ndarray) -> np.ndarray:
        """y (B, K, C) in the input's units -> (y - s) / σ with the last forward's statistics."""
        shift, scale, _ = self._checked_cache(y)
        return (y - shift) / scale  # (B, K, C)

    def inverse(self, y_normalised: np.ndarray) -> np.ndarray:
        """ŷ (B, K, C) -> ŷ σ + s: back in the input's units."""
        shift, scale, _ = self._checked_cache(y_normalised)
        self._inverse_input = y_normalised
        return y_normalised * scale + shift  # (B, K, C)

    def inverse_backward(self, dy: np.ndarray) -> np.ndarray:
        """dL/dy (B, K, C) -> dL/dŷ = dy σ; the statistics' share is added to the next ``backward``."""
        shift, scale, _ = self._checked_cache(dy)
        d_shift = dy.sum(axis=1, keepdims=True)  # (B, 1, C)
        d_scale = (dy * self._inverse_input).sum(axis=1, keepdims=True)  # (B, 1, C)
        self._stat_grads = (d_shift, d_scale)
        return dy * scale  # (B, K, C)

    def backward(self, dx_normalised: np.ndarray) -> np.ndarray:
        """dL/dx̂ (B, T, C) -> dL/dx (B, T, C), through x̂ and through the statistics."""
        shift, scale, normalised = self._checked_cache(dx_normalised)
        g = dx_normalised
        d_shift = -g.sum(axis=1, keepdims=True) / scale  # (B, 1, C)
        d_scale = -(g * normalised).sum(axis=1, keepdims=True) / scale  # (B, 1, C)
        if self._stat_grads is not None:
            d_shift = d_shift + self._stat_grads[0]
            d_scale = d_scale + self._stat_grads[1]
        dx = g / scale  # (B, T, C)
        steps = g.shape[1]
        if self.kind == "mean_std":
            dx = dx + d_shift / steps + d_scale * normalised / steps  # ∂s/∂x_t = 1/T, ∂σ/∂x_t = x̂_t/T
        elif self.kind == "last":
            dx[:, -1:, :] += d_shift  # ∂s/∂x_t = [t = T]
        self._stat_grads = None
        return dx

    def _checked_cache(self, array: np.ndarray):
        if self._cache is None:
            raise RuntimeError("WindowNorm: call forward(x) first; its statistics are used here")
        shift = self._cache[0]
        if array.ndim != 3 or array.shape[0] != shift.shape[0] or array.shape[2] != shift.shape[2]:
            raise ValueError(f"expected shape ({shift.shape[0]}, K, {shift.shape[2]}), got {array.shape}")
        return self._cache
