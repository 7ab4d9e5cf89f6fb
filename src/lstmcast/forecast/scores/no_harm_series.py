"""No harm, series by series: each fitted series' weight on the LSTM against naive, from its own
validation windows (:mod:`lstmcast.forecast.scores.no_harm` says how a weight is chosen), and the verdict's line for many.

A global model learns from every series and may still lose to the last value on some of them
(a random walk among seasonal series); each series keeps the LSTM only where its own validation
windows say it beats naive by more than noise.
"""

from __future__ import annotations

import numpy as np

from ..prediction.batched import prefetch_validation
from .no_harm import weight_line
from ..prediction.outputs import naive_weight

__all__ = ["fit_naive_weights", "weights_line"]


def fit_naive_weights(fc) -> dict[str, float]:
    """The weight on the LSTM of every series ``fc`` was fitted on (1.0 without validation windows,
    or with ``no_harm="none"``), by id, from the forecasts as trained."""
    if fc.no_harm == "none":
        return {name: 1.0 for name in fc.panel_.ids}
    models = {name: fc._series_model(name).with_weight(1.0) for name in fc.panel_.ids}
    prefetch_validation(models)  # the networks run once for the validation windows of many series
    return {name: float(naive_weight(model)) for name, model in models.items()}


def weights_line(weights: dict[str, float], mode: str) -> str:
    """One line for a verdict: what the weights did, for one series or many."""
    values = np.array(list(weights.values()), dtype=np.float64)
    if len(values) == 1 or mode == "none":
        return weight_line(float(values[0]), mode)
    naive = int(np.sum(values == 0.0))
    shrunk = int(np.sum((values > 0.0) & (values < 1.0)))
    line = f"no harm ({mode}): naive kept for {naive} of {len(values)} series"
    if shrunk:
        line += f", forecasts shrunk towards naive in {shrunk} (mean weight {float(np.mean(values)):.2f})"
    if naive + shrunk == len(values):
        return line
    return line + (", the LSTM as trained in the others" if naive + shrunk else "; the LSTM kept in every series")
