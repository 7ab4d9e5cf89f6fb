"""Inverted dropout: zero each entry with probability ``p`` and scale the rest by 1/(1-p)."""

from __future__ import annotations

import numpy as np

from lstmcast.nn.init import make_rng
from lstmcast.nn.module import Module


class Dropout(Module):
    """Inverted dropout in training mode, the identity in evaluation mode.

    Parameters
    ----------
    p : float, default 0.5
        Probability of zeroing an entry, 0 <= p < 1.
    seed : int, Generator or None
        Seed for the mask generator, kept in ``self.rng`` (every stochastic module
        keeps its generator under that name, so gradcheck can replay its draws).
    """

    def __init__(self, p: float = 0.5, seed=None) -> None:
        super().__init__()
        if not 0.0 <= p < 1.0:
            raise ValueError(f"p must satisfy 0 <= p < 1, got {p!r}")
        self.p = float(p)
        self.seed = seed
        self.rng = make_rng(seed)
        self._cache: np.ndarray | None = None  # the scaled mask, or None for the identity

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Return ``x * mask / (1 - p)`` in training mode (a fresh mask per call), else ``x``."""
        x = np.asarray(x)
        if not np.issubdtype(x.dtype, np.floating):
            x = x.astype(np.float64)
        if not self.training or self.p == 0.0:
            self._cache = None
            return x  # dy/dx = 1
        keep = self.rng.random(x.shape) >= self.p  # (...)   True with probability 1 - p
        mask = keep.astype(x.dtype) * x.dtype.type(1.0 / (1.0 - self.p))
        self._cache = mask
        return x * mask  # dy/dx = mask

    def backward(self, dy: np.ndarray) -> np.ndarray:
        """Return dL/dx = dy * mask (the mask of the last forward)."""
        dy = np.asarray(dy)
        if self._cache is None:
            return dy
        if dy.shape != self._cache.shape:
            raise ValueError(f"dy must have shape {self._cache.shape}, got {dy.shape}")
        return dy * self._cache
