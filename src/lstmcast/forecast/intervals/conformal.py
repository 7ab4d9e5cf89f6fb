"""Online conformal intervals: thresholds that follow the errors as outcomes arrive.

Every interval method here works on one *conformity score* per forecast and step.
A forecast carries a raw band ``[lo, hi]`` and a scale ``s > 0``:

=================  ==================  ======  ===============================
band               ``lo``, ``hi``      ``s``   method
=================  ==================  ======  ===============================
point forecast     ``ŷ``, ``ŷ``        1       absolute residuals
MC dropout         ``ŷ``, ``ŷ``        ``σ``   residuals in units of the spread
quantile forecast  ``q_lo``, ``q_hi``  1       conformalised quantile regression
=================  ==================  ======  ===============================

The score of an outcome ``y`` is ``e = max(lo - y, y - hi) / s`` and the interval for
a threshold ``q`` is ``[lo - q s, hi + q s]``; ``y`` lies inside exactly when ``e <= q``.
(For a point forecast ``e = |y - ŷ|`` and the interval is ``ŷ ± q``.)

The threshold of step ``h`` for an origin is a conformal quantile of the scores of
step ``h`` known before that origin, calibrated by one of three updates:

``"split"``
    The validation scores only, never updated: exact when future errors are
    exchangeable with the validation ones, too narrow after a calm validation block.
``"rolling"``
    The last ``window`` scores (validation scores first, then each realised
    outcome): follows the current size of the errors.
``"aci"``
    Adaptive conformal inference (Gibbs & Candès 2021) on the rolling window: the
    miscoverage level ``α_t`` used for the quantile is nudged after every realised
    outcome, ``α_{t+1} = α_t + γ (α - miss_t)``, so that the long-run share of misses
    is ``α`` whatever the errors do:  ``|misses / T - α| <= (1 + γ) / (γ T)``.
    Where ``α_t`` falls so low that the quantile would be unbounded, the threshold is
    the largest score in the window instead (an infinite interval helps nobody);
    after a run of misses that large, ``α_t`` recovers as soon as outcomes fall inside.

A conformal quantile at coverage ``c`` needs at least ``ceil(c / (1 - c))`` scores
(9 for 90%, 99 for 99%): with fewer calibration scores (or a smaller ``window``) the
threshold would be infinite from the first origin on, so :func:`online_thresholds`
refuses with one line naming the coverage, the scores there are and the largest
coverage they support (:func:`~lstmcast.forecast.intervals.conformal_quantile.check_calibration_size`).

Multi-step forecasts: step ``h`` of the forecast from origin ``o`` (the row of
step 1) is realised at row ``o + h - 1`` and is used only by origins after that
row, so no threshold ever reads an outcome that was not yet known. Each step has
its own scores, window and ``α_t``: the interval widens with the horizon exactly as
much as the errors do.
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from .conformal_quantile import check_calibration_size, check_coverage

__all__ = ["INTERVAL_METHODS", "IntervalCalibration", "band_bounds", "check_interval_method", "check_kept_scores",
           "conformity_scores", "online_thresholds", "rank_quantile"]

INTERVAL_METHODS = ("split", "rolling", "aci")
DEFAULT_WINDOW = 250
"""Scores kept by ``"rolling"`` and ``"aci"``: about a year of daily data."""
DEFAULT_GAMMA = 0.02
"""ACI step size. Chosen on walk-forward periods that no reported figure uses (Apple
Feb 2019 - Feb 2022 in three one-year backtests and Melbourne temperatures 1987-1988,
90% intervals; ``python benchmarks/intervals.py --part gamma``): 0.02 gave coverage
88.4-89.6% and the lowest or near-lowest Winkler score in each, where Gibbs &
Candès' 0.005 stayed at 87.7-89.7% after a calm validation block and 0.05 gave
slightly wider intervals."""


def check_interval_method(method) -> str:
    """``method`` if it is one of :data:`INTERVAL_METHODS`, else ValueError naming it."""
    if method not in INTERVAL_METHODS:
        raise ValueError(f"interval_method must be one of {', '.join(INTERVAL_METHODS)}, got {method!r}")
    return method


@dataclass(frozen=True)
class IntervalCalibration:
    """How thresholds are calibrated.

    Attributes
    ----------
    coverage : float
        Wanted coverage ``1 - α`` in (0, 1).
    method : {"split", "rolling", "aci"}
    window : int
        Scores kept per step by ``"rolling"`` and ``"aci"``.
    gamma : float
        ACI step size (> 0); larger adapts faster and makes widths noisier.
    """

    coverage: float
    method: str = "aci"
    window: int = DEFAULT_WINDOW
    gamma: float = DEFAULT_GAMMA

    def __post_init__(self) -> None:
        check_coverage(self.coverage)
        check_interval_method(self.method)
        if isinstance(self.window, bool) or not isinstance(self.window, (int, np.integer)) or self.window < 1:
            raise ValueError(f"interval_window must be a positive int, got {self.window!r}")
        if not (isinstance(self.gamma, (int, float)) and 0 < self.gamma < 1):
            raise ValueError(f"gamma must be in (0, 1), got {self.gamma!r}")


def conformity_scores(actual, lower, upper, scale=1.0) -> np.ndarray:
    """``max(lower - y, y - upper) / scale`` elementwise: how far ``y`` lies outside the raw band.

    Parameters
    ----------
    actual, lower, upper : array_like, one shape (n, horizon)
        NaN in ``actual`` (an outcome not yet known) gives a NaN score.
    scale : array_like broadcastable to that shape, > 0

    Returns
    -------
    numpy.ndarray, float64
    """
    y = np.asarray(actual, dtype=np.float64)
    return np.maximum(np.asarray(lower, dtype=np.float64) - y, y - np.asarray(upper, dtype=np.float64)) \
        / np.asarray(scale, dtype=np.float64)


def band_bounds(lower, upper, threshold, scale=1.0) -> tuple[np.ndarray, np.ndarray]:
    """The interval ``[lower - q s, upper + q s]`` for thresholds ``q`` (same shapes, broadcast)."""
    widen = np.asarray(threshold, dtype=np.float64) * np.asarray(scale, dtype=np.float64)
    return np.asarray(lower, dtype=np.float64) - widen, np.asarray(upper, dtype=np.float64) + widen


def rank_quantile(sorted_scores: list, level: float) -> float:
    """The conformal quantile of ascending ``sorted_scores``: the ``ceil((n + 1) level)``-th smallest.

    ``inf`` when that rank exceeds ``n`` (too few scores for the level, or ACI's
    level at or above 1); the smallest score when the level is at or below 0.
    :func:`online_thresholds` refuses calibrations too small for the coverage asked
    and caps ACI's level, so its thresholds never take that ``inf``.
    """
    n = len(sorted_scores)
    if n == 0:
        return math.inf
    rank = math.ceil((n + 1) * level - 1e-9)
    if rank > n:
        return math.inf
    return float(sorted_scores[max(rank, 1) - 1])


def check_kept_scores(kept: int, available: int, settings: IntervalCalibration) -> None:
    """TooFewCalibrationErrors unless the ``kept`` starting scores of a step support the coverage asked.

    ``available`` is the number of calibration scores before the window took the last
    ``settings.window`` of them: the message names whichever is the limit.
    """
    if kept < available:  # the window, not the validation, is the limit
        check_calibration_size(kept, settings.coverage, f"interval_window={settings.window} keeps {kept}",
                               "a larger interval_window keeps more")
    else:
        check_calibration_size(kept, settings.coverage, f"the validation windows give {kept}")


def online_thresholds(calibration, scores, origins, calibration_settings: IntervalCalibration):
    """The threshold of every origin and step, from the scores known before it.

    Parameters
    ----------
    calibration : array_like, shape (n0, horizon)
        Scores from before the first origin (the validation windows), oldest first.
    scores : array_like, shape (M, horizon)
        Score of each origin and step; NaN where the outcome is never seen (past the
        end of the data, or a forecast to be issued).
    origins : array_like of int, shape (M,), ascending
        Row of step 1 of each forecast; step ``h`` (1-based) is realised at row
        ``origin + h - 1`` and is known to origins after that row.
    calibration_settings : IntervalCalibration

    Returns
    -------
    thresholds : numpy.ndarray, shape (M, horizon)
        Finite wherever the scores are.
    alpha : numpy.ndarray, shape (horizon,)
        The miscoverage level each step would use next (``α`` itself except for ACI).

    Raises
    ------
    TooFewCalibrationErrors
        When a step has fewer finite calibration scores (of those the window keeps)
        than the coverage needs, ``ceil(c / (1 - c))``: its thresholds would be
        infinite. The scores a window holds never drop below that number later.
    """
    settings = calibration_settings
    start = np.asarray(calibration, dtype=np.float64)
    stream = np.asarray(scores, dtype=np.float64)
    rows = np.asarray(origins, dtype=np.int64)
    if start.ndim != 2 or stream.ndim != 2 or start.shape[1] != stream.shape[1]:
        raise ValueError(f"calibration (n0, horizon) and scores (M, horizon) must share the horizon, "
                         f"got {start.shape} and {stream.shape}")
    if rows.shape != (stream.shape[0],) or np.any(np.diff(rows) < 0):
        raise ValueError(f"origins must be ascending with shape ({stream.shape[0]},), got {rows.shape}")
    target = 1.0 - settings.coverage
    horizon = stream.shape[1]
    thresholds = np.empty(stream.shape)  # (M, horizon)
    alphas = np.full(horizon, target)  # (horizon,)
    for h in range(horizon):
        kept = start[:, h][np.isfinite(start[:, h])]
        available = len(kept)
        if settings.method != "split":
            kept = kept[-settings.window :]
        check_kept_scores(len(kept), available, settings)
        window = deque(kept)  # oldest first, for dropping
        ordered = sorted(kept)  # the same scores, ascending, for the quantile
        alpha = target
        realised = 0  # origins whose step-h outcome has been taken in
        for j, origin in enumerate(rows):
            while realised < j and rows[realised] + h < origin:
                score = stream[realised, h]
                if np.isfinite(score) and settings.method != "split":
                    if settings.method == "aci":
                        miss = score > thresholds[realised, h]
                        alpha += settings.gamma * (target - miss)  # α_{t+1} = α_t + γ (α - err_t)
                    bisect.insort(ordered, score)
                    window.append(score)
                    if len(window) > settings.window:
                        ordered.pop(bisect.bisect_left(ordered, window.popleft()))
                realised += 1
            level = 1.0 - alpha
            if settings.method == "aci" and ordered:  # past the largest score: the widest the window supports
                level = min(level, len(ordered) / (len(ordered) + 1))
            thresholds[j, h] = rank_quantile(ordered, level)
        alphas[h] = alpha
    return thresholds, alphas
