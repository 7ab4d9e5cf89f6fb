"""How a series' models are combined, from their forecasts on its validation windows.

``"best"``: all the weight on the model with the lowest mean absolute error there (the LSTM on a
tie). ``"weights"``: the non-negative weights adding up to one that minimise the squared error
there (a convex combination: it can never forecast outside the range of its models' forecasts),
solved exactly by non-negative least squares with the sum held by a heavily weighted extra row.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import nnls

__all__ = ["COMBINE", "COMBINE_WINDOWS", "DEFAULT_COMBINE", "LSTM", "check_combine", "combination_weights", "thinned"]

COMBINE = ("none", "best", "weights")
LSTM = "LSTM"
COMBINE_WINDOWS = 24
"""Validation windows per series that fit the combination weights and calibrate its intervals
(enough for 95% intervals, which need 19; each is a ``forward`` of every classical model)."""


def thinned(origins: np.ndarray, most: int = COMBINE_WINDOWS) -> np.ndarray:
    """At most ``most`` of ``origins`` (n,), evenly spaced, the last always among them."""
    if len(origins) <= most:
        return origins
    picks = np.round(np.linspace(0, len(origins) - 1, most)).astype(np.int64)  # (most,)
    return origins[picks]


DEFAULT_COMBINE = "none"
"""What ``combine=None`` does (where statsforecast is installed; without it, always ``"none"``), chosen on
the validation suite (``benchmarks/README.md``, "Combinations"): ``"weights"`` takes airline, M4 Hourly and
the synthetic panel 11-16% closer and costs temperatures, sunspots and ETTh1 1-5% (and ETTh1's
every-window evaluation 3.6 times the time), so the LSTM alone stays the default until the weights
hold on one long series too."""


def check_combine(combine) -> None:
    """Raise ValueError unless ``combine`` is one of :data:`COMBINE` or None."""
    if combine is not None and combine not in COMBINE:
        raise ValueError(f"combine must be 'none', 'best', 'weights' or None, got {combine!r}")


def combination_weights(actual: np.ndarray, forecasts: dict[str, np.ndarray], how: str) -> dict[str, float]:
    """Weights by model name (non-negative, adding up to one) from forecasts (n, horizon) of ``actual``.

    Parameters
    ----------
    actual : numpy.ndarray, shape (n, horizon)
    forecasts : dict of str to numpy.ndarray, shape (n, horizon)
        The LSTM's first (it wins ties), then the classical models'.
    how : {"best", "weights"}

    Returns
    -------
    dict of str to float
        Every model of ``forecasts``, in its order.
    """
    names = list(forecasts)
    y = np.asarray(actual, dtype=np.float64).ravel()  # (n * horizon,)
    stacked = np.stack([np.asarray(forecasts[name], dtype=np.float64).ravel() for name in names], axis=1)  # (n*h, M)
    if how == "best":
        errors = np.mean(np.abs(stacked - y[:, None]), axis=0)  # (M,)
        best = int(np.argmin(errors))  # the first of equal errors
        return {name: float(k == best) for k, name in enumerate(names)}
    if how != "weights":
        raise ValueError(f"how must be 'best' or 'weights', got {how!r}")
    scale = float(np.mean(np.abs(y))) or 1.0  # the problem in units of the series' level
    a, b = stacked / scale, y / scale  # (n*h, M), (n*h,)
    heavy = 1e3 * np.sqrt(len(b))  # the sum row outweighs every error
    a_sum = np.vstack([a, np.full((1, len(names)), heavy)])  # (n*h + 1, M)
    b_sum = np.append(b, heavy)  # (n*h + 1,)
    w, _ = nnls(a_sum, b_sum)  # (M,)
    w = np.where(w < 1e-9, 0.0, w)  # (M,) the sum row keeps their sum at 1 (to about 1e-6): made exact
    return {name: float(v / w.sum()) for name, v in zip(names, w)}
