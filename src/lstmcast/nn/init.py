"""Random generators and weight initialisers.

Every random draw in lstmcast comes from a ``numpy.random.Generator`` passed in or
made from a seed here; nothing touches NumPy's global random state.
"""

from __future__ import annotations

import numpy as np


def make_rng(seed) -> np.random.Generator:
    """Return a ``Generator``: ``seed`` may be a non-negative int (or a list of them), ``None`` (fresh
    entropy) or a Generator; a negative seed is a ValueError naming ``seed``."""
    if isinstance(seed, np.random.Generator):
        return seed
    parts = seed if isinstance(seed, (list, tuple)) else [seed]
    if any(isinstance(p, (int, np.integer)) and not isinstance(p, bool) and p < 0 for p in parts):
        raise ValueError(f"seed must be a non-negative integer or None, got {parts[0]!r}")
    return np.random.default_rng(seed)


def uniform(rng: np.random.Generator, shape, bound: float, dtype) -> np.ndarray:
    """U(-bound, bound), PyTorch's default for LSTM and Linear (bound = 1/sqrt(fan))."""
    return rng.uniform(-bound, bound, size=shape).astype(dtype)


def xavier_uniform(rng: np.random.Generator, shape, dtype) -> np.ndarray:
    """Glorot uniform: U(-a, a) with a = sqrt(6 / (fan_in + fan_out)) for a (fan_out, fan_in) matrix."""
    fan_out, fan_in = shape
    bound = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-bound, bound, size=shape).astype(dtype)


def orthogonal(rng: np.random.Generator, shape, dtype) -> np.ndarray:
    """A (rows, cols) matrix with orthonormal rows or columns (QR of a Gaussian, sign-corrected)."""
    rows, cols = shape
    a = rng.standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(a)
    q *= np.sign(np.diag(r))  # unique decomposition: positive diagonal of r
    if rows < cols:
        q = q.T
    return np.ascontiguousarray(q[:rows, :cols]).astype(dtype)
