"""The verdict's line on a combination with the classical models, for one series or many."""

from __future__ import annotations

import numpy as np

from .weights import LSTM

__all__ = ["combination_line"]


def combination_line(combinations: dict[str, dict[str, float]], how: str, skipped: str = "") -> str:
    """One line for a verdict: what the forecast is made of, for one series or many."""
    if skipped:
        return skipped
    if not combinations:
        return f"combine ({how}): no validation windows, the LSTM alone"
    if len(combinations) == 1:
        (weights,) = combinations.values()
        used = [f"{name} {w:.2f}" for name, w in weights.items() if w > 0]
        return f"combine ({how}, on the validation windows): " + " + ".join(used)
    names = list(dict.fromkeys(name for weights in combinations.values() for name in weights))
    means = {name: float(np.mean([weights.get(name, 0.0) for weights in combinations.values()])) for name in names}
    alone = sum(1 for weights in combinations.values() if weights.get(LSTM, 0.0) == 1.0)
    parts = ", ".join(f"{name} {w:.2f}" for name, w in means.items() if w > 0)
    return (f"combine ({how}, per series on its validation windows): mean weights {parts}; the LSTM alone in "
            f"{alone} of {len(combinations)} series")
