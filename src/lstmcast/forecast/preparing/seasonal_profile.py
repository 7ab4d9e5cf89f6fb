"""A window's own seasonal profile: taken out before the network reads the window, put back into its forecast.

With ``window_norm="season_mean_std"`` (or ``"log_season_mean_std"``, on the log of the target, where
the profile is multiplicative in the levels) each window's target, before its mean and spread are
taken, loses the seasonal shape of its own rows. For a window's target ``x_1 .. x_T`` (scaled) and a
season ``m`` with ``2 m <= T``::

    fit       x_t ≈ a + b t + p_phase(t)      least squares over the window's T rows, Σ_j p_j = 0
    phase     of row t: (t - T - 1) mod m, counting back from the origin; of forecast step k = 1..H: (k - 1) mod m
    reads     x_t - p_phase(t)       (then minus its mean, over its spread: "mean_std")
    learns    y_k - p_phase(k)       forecasts get p_phase(k) back

so the network's zero output is the window's deseasonalised level with its own season repeated. This is
the idea of ES-RNN's hybrid (the LSTM reads and forecasts deseasonalised, level-divided values), with the
level and the seasonal indices estimated from each window instead of by exponential smoothing over the
whole history: nothing is stored per series, a window's forecast reads only its own rows, and a forecast
from any data (a new series, a table cut anywhere) needs no phase from a calendar. The trend is fitted
with the profile so that a rising window does not put its slope into the profile (the classical
decomposition's moving average does the same over a whole series). The least-squares map depends only on
``T`` and ``m``, so every window's profile is one product with the same matrix.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["has_profile", "step_offsets", "window_offsets", "window_profiles"]


def has_profile(look_back: int, season: int | None) -> bool:
    """Whether a window of ``look_back`` rows holds the two whole seasons a profile needs."""
    return season is not None and season >= 2 and look_back >= 2 * season


def window_profiles(target: np.ndarray, season: int) -> np.ndarray:
    """Each window's seasonal profile (n, season), phase 0 the origin's, from its target (n, T), float64."""
    steps = target.shape[1]
    return np.asarray(target, np.float64) @ _profile_map(steps, season).T  # (n, T) @ (T, m) -> (n, m)


@lru_cache(maxsize=32)
def _profile_map(steps: int, season: int) -> np.ndarray:
    """The (m, T) matrix that takes a window's target to its profile: the phase coefficients of the least
    squares fit of a + b t + p_phase(t), centred to sum 0."""
    if not has_profile(steps, season):
        raise ValueError(f"a seasonal profile of season {season} needs at least {2 * season} rows, got {steps}")
    t = np.arange(steps, dtype=np.float64)  # (T,)
    phase = (np.arange(steps) - steps) % season  # (T,)
    design = np.column_stack([t - t.mean(), np.eye(season)[phase]])  # (T, 1 + m): the dummies span the level
    coefficients = np.linalg.pinv(design)[1:]  # (m, T): each phase's coefficient
    return coefficients - coefficients.mean(axis=0, keepdims=True)  # (m, T), the profile centred


def window_offsets(profile: np.ndarray, steps: int) -> np.ndarray:
    """The profile at each of a window's ``steps`` rows (n, steps); its last row has phase m - 1."""
    season = profile.shape[1]
    return profile[:, (np.arange(steps) - steps) % season]  # (n, steps)


def step_offsets(profile: np.ndarray, horizon: int) -> np.ndarray:
    """The profile at each forecast step 1..horizon after the window (n, horizon)."""
    return profile[:, np.arange(horizon) % profile.shape[1]]  # (n, horizon)
