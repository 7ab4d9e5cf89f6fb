"""Summary statistics of one layer's gates: how open they are, how saturated, how long memory lasts.

* ``mean`` — the mean activation over time and units.
* ``saturated`` — the share of (step, unit) values pinned near a limit: below 0.05 or
  above 0.95 for the sigmoid gates i, f, o; ``|g| > 0.95`` for the tanh candidate g.
* forget-gate ``half_life`` per unit — after k steps the cell keeps
  f_{t+1} ⋯ f_{t+k} of what it held, about ``exp(k · mean ln f)``, so half is gone after
  ``-ln 2 / mean_t(ln f_t)`` steps (the mean of ln f is the log of the geometric
  mean of f, which is what a product of gates follows). A unit whose gate never
  leaves 1.0 has an infinite half-life. ``median_half_life`` is over the units.
"""

from __future__ import annotations

import numpy as np

SIGMOID_GATES = ("i", "f", "o")
LOW, HIGH = 0.05, 0.95  # saturation thresholds of the sigmoid gates
TANH_LIMIT = 0.95  # |g| above this counts as saturated


def saturated_share(values: np.ndarray, gate: str) -> float:
    """Share of ``values`` that are saturated for ``gate`` (see the module docstring)."""
    values = np.asarray(values, dtype=np.float64)
    if gate in SIGMOID_GATES:
        pinned = (values < LOW) | (values > HIGH)
    elif gate == "g":
        pinned = np.abs(values) > TANH_LIMIT
    else:
        raise ValueError(f"gate must be one of 'i', 'f', 'g', 'o', got {gate!r}")
    return float(pinned.mean())


def forget_half_life(f: np.ndarray) -> np.ndarray:
    """Half-life in steps of each unit's memory, ``-ln 2 / mean_t(ln f_t)``.

    Parameters
    ----------
    f : ndarray, shape (T, H)
        Forget-gate activations of one sequence.

    Returns
    -------
    ndarray, shape (H,)
        Steps until the cell keeps half of what it held; ``inf`` where f stays 1.
    """
    f = np.asarray(f, dtype=np.float64)
    if f.ndim != 2:
        raise ValueError(f"f must have shape (T, H), got {f.shape}")
    with np.errstate(divide="ignore"):
        mean_log = np.log(f).mean(axis=0)  # (H,)  <= 0
        return np.where(mean_log < 0, -np.log(2.0) / np.where(mean_log < 0, mean_log, -1.0), np.inf)


def gate_summary(gates: dict[str, np.ndarray]) -> dict:
    """Mean activation and saturated share per gate, and the forget gate's half-lives.

    Parameters
    ----------
    gates : dict with keys "i", "f", "g", "o", each ndarray (T, H)
        One layer and direction's gate activations over one sequence.

    Returns
    -------
    dict
        ``{"i": {"mean", "saturated"}, "f": {"mean", "saturated", "half_life" (H,),
        "median_half_life"}, "g": {...}, "o": {...}}`` (floats, and one ndarray).
    """
    out = {}
    for gate in ("i", "f", "g", "o"):
        values = np.asarray(gates[gate], dtype=np.float64)  # (T, H)
        out[gate] = {"mean": float(values.mean()), "saturated": saturated_share(values, gate)}
    half_life = forget_half_life(gates["f"])  # (H,)
    out["f"]["half_life"] = half_life
    out["f"]["median_half_life"] = float(np.median(half_life))
    return out
