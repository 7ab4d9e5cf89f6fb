"""Quantile forecasts: checking the levels, and which of them give the point and the interval.

A Forecaster fitted with ``loss="quantile"`` predicts, for every step, one value
per level in ``quantiles`` (pinball loss, :func:`lstmcast.nn.losses.pinball_loss`),
kept in order by :class:`lstmcast.nn.OrderedQuantiles` around the level nearest 0.5.
That level is the point forecast; the interval for a coverage ``c`` starts from the
pair of levels ``(τ_lo, τ_hi)`` whose nominal coverage ``τ_hi - τ_lo`` is nearest
``c``, and conformalised quantile regression (Romano et al. 2019) widens or narrows
it by what the validation errors say (see :mod:`lstmcast.forecast.conformal`).

With ``target_transform="diff"`` or ``"log_return"`` and ``horizon > 1`` each level's
changes are summed into levels as they are: a sum of quantiles is not the quantile
of the sum (it is wider), which the conformal step corrects.
"""

from __future__ import annotations

import numpy as np

__all__ = ["check_quantiles", "interval_pair", "median_index", "quantile_columns"]


def check_quantiles(quantiles) -> tuple[float, ...]:
    """``quantiles`` as a tuple of at least two increasing floats in (0, 1), or ValueError naming it."""
    try:
        levels = tuple(float(q) for q in quantiles)
    except (TypeError, ValueError):
        raise ValueError(f"quantiles must be a sequence of numbers in (0, 1), got {quantiles!r}") from None
    if len(levels) < 2 or not all(0 < q < 1 for q in levels) or any(b <= a for a, b in zip(levels, levels[1:])):
        raise ValueError(f"quantiles must be at least two increasing numbers in (0, 1) such as "
                         f"0.05,0.5,0.95, got {quantiles!r}")
    return levels


def median_index(quantiles) -> int:
    """Index of the level nearest 0.5 (the lower one on a tie): the point forecast."""
    levels = np.asarray(quantiles, dtype=np.float64)
    return int(np.argmin(np.abs(levels - 0.5)))


def interval_pair(quantiles, coverage: float) -> tuple[int, int]:
    """Indices ``(lo, hi)``, ``lo < hi``, whose ``τ_hi - τ_lo`` is nearest ``coverage`` (most central on a tie)."""
    levels = list(quantiles)
    pairs = [(i, j) for i in range(len(levels)) for j in range(i + 1, len(levels))]
    return min(pairs, key=lambda p: (abs(levels[p[1]] - levels[p[0]] - coverage),
                                     abs(levels[p[0]] + levels[p[1]] - 1.0)))


def quantile_columns(quantiles) -> list[str]:
    """Column names of quantile forecasts: ``q0.05``, ``q0.5``, ``q0.95``."""
    return [f"q{q:g}" for q in quantiles]
