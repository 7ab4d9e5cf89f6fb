"""Generate text one character at a time from a character network.

At each step the logits z of the next character are turned into a choice::

    temperature == 0:  argmax z                                  (greedy, deterministic)
    otherwise:         p = softmax(z / temperature) over the top_k largest z, then draw

The draw is inverse-CDF sampling with one uniform number from a seeded generator, so
the same seed gives the same text.  As the temperature falls, p tends to a one-hot
vector on argmax z and the draw becomes the greedy choice.
"""

from __future__ import annotations

import numpy as np

from lstmcast.nn.module import Module


MAX_LENGTH = 10_000_000
"""The most characters one call generates (one step of the network each: hours at this size)."""


def check_sampling(length, temperature, top_k) -> None:
    """Raise ValueError naming the first bad argument of :func:`generate`."""
    if isinstance(length, bool) or not isinstance(length, (int, np.integer)) or length < 0:
        raise ValueError(f"length must be a non-negative integer, got {length!r}")
    if length > MAX_LENGTH:
        raise ValueError(f"length must be at most {MAX_LENGTH:,} characters per call, got {length:,}")
    if (isinstance(temperature, bool) or not isinstance(temperature, (int, float, np.floating))
            or not np.isfinite(temperature) or temperature < 0):
        raise ValueError(f"temperature must be a finite number >= 0, got {temperature!r}")
    if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, (int, np.integer))
                              or not 1 <= top_k):
        raise ValueError(f"top_k must be a positive integer or None, got {top_k!r}")


def choose(logits: np.ndarray, temperature: float, top_k: int | None, rng: np.random.Generator) -> int:
    """Pick the next character index from one row of logits (V,).

    Parameters
    ----------
    logits : ndarray, shape (V,)
    temperature : float
        0 for greedy; below 1 sharper, above 1 flatter.
    top_k : int or None
        Draw only among the ``top_k`` most likely characters.
    rng : Generator
        Source of the single uniform draw (not used when greedy).
    """
    z = logits.astype(np.float64)  # (V,)
    if temperature == 0:
        return int(np.argmax(z))
    z = z / temperature
    if top_k is not None and top_k < z.size:
        kth = np.partition(z, z.size - top_k)[z.size - top_k]  # the k-th largest
        z = np.where(z >= kth, z, -np.inf)
    p = np.exp(z - z.max())  # (V,) unnormalised, max entry exactly 1
    cdf = np.cumsum(p)  # (V,)
    index = int(np.searchsorted(cdf, rng.random() * cdf[-1], side="right"))
    return min(index, z.size - 1)


def generate(net: Module, prime_ids: np.ndarray, length: int, temperature: float,
             top_k: int | None, rng: np.random.Generator) -> np.ndarray:
    """Read ``prime_ids`` (P,), then generate ``length`` indices; returns them, shape (length,).

    ``net`` is a CharNet in eval mode: ``forward(ids (1, T), state) -> (logits (1, T, V), state)``.
    """
    out = np.empty(length, dtype=np.intp)  # (length,)
    if length == 0:
        return out
    logits, state = net.forward(np.asarray(prime_ids)[None, :])  # (1, P, V)
    step = np.empty((1, 1), dtype=np.intp)  # (1, 1) the character just chosen
    for i in range(length):
        out[i] = choose(logits[0, -1], temperature, top_k, rng)
        if i + 1 < length:
            step[0, 0] = out[i]
            logits, state = net.forward(step, state)  # (1, 1, V)
    return out
