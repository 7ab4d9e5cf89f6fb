"""Quantile forecasts: checking the levels, and which of them give the point and the interval.

A Forecaster fitted with ``loss="quantile"`` predicts, for every step, one value
per level in ``quantiles`` (pinball loss, :func:`lstmcast.nn.losses.pinball_loss`),
kept in order by :class:`lstmcast.nn.OrderedQuantiles` around the median. The levels
must include 0.5, and at least one level on each side of it: the 0.5 level is the
point forecast (a point forecast taken from another level, the 10% quantile of
levels 0.1 and 0.9 say, would be biased by design), and the interval for a coverage
``c`` starts from a pair of levels ``(τ_lo, τ_hi)`` with ``τ_lo < 0.5 < τ_hi``, the
one whose nominal coverage ``τ_hi - τ_lo`` is nearest ``c`` (the most central on a
tie). Conformalised quantile regression (Romano et al. 2019) then widens or narrows
it by what the validation errors say (see :mod:`lstmcast.forecast.intervals.conformal`); a
pair on one side of the median, narrowed, would give an interval that does not hold
the point forecast.

With ``target_transform="diff"`` or ``"log_return"`` and ``horizon > 1`` each level's
changes are summed into levels as they are: a sum of quantiles is not the quantile
of the sum (it is wider), which the conformal step corrects.
"""

from __future__ import annotations

import numpy as np

__all__ = ["check_quantiles", "interval_pair", "median_index", "quantile_columns"]


def check_quantiles(quantiles) -> tuple[float, ...]:
    """``quantiles`` as a tuple of increasing floats in (0, 1) that include 0.5 with a level on each
    side of it, or a one-line ValueError naming them.

    0.5 is the point forecast of a quantile model, and every interval starts from a
    level below it and one above it (see the module's notes).
    """
    try:
        levels = tuple(float(q) for q in quantiles)
    except (TypeError, ValueError):
        raise ValueError(f"quantiles must be a sequence of numbers in (0, 1), got {quantiles!r}") from None
    if len(levels) < 2 or not all(0 < q < 1 for q in levels) or any(b <= a for a, b in zip(levels, levels[1:])):
        raise ValueError(f"quantiles must be at least two increasing numbers in (0, 1) such as "
                         f"0.05,0.5,0.95, got {quantiles!r}")
    if 0.5 not in levels or levels[0] == 0.5 or levels[-1] == 0.5:
        raise ValueError(f"quantiles must include 0.5 (the point forecast is the median) and a level on each "
                         f"side of it, such as 0.05,0.5,0.95, got {quantiles!r}")
    return levels


def median_index(quantiles) -> int:
    """Index of the point forecast among the levels: that of 0.5 (of the level nearest 0.5, the lower
    one on a tie, in levels :func:`check_quantiles` would refuse)."""
    levels = np.asarray(quantiles, dtype=np.float64)
    return int(np.argmin(np.abs(levels - 0.5)))


def interval_pair(quantiles, coverage: float) -> tuple[int, int]:
    """Indices ``(lo, hi)`` of levels either side of the median whose ``τ_hi - τ_lo`` is nearest ``coverage``.

    Only pairs with ``lo < median < hi`` (:func:`median_index`) are candidates, so the
    raw band always holds the point forecast. Distances are compared rounded to 12
    decimals, so that levels such as 0.1, 0.5, 0.9 tie exactly where they tie on
    paper; a tie goes to the most central pair (``τ_lo + τ_hi`` nearest 1), then to
    the lower one.

    Raises
    ------
    ValueError
        When no level lies on each side of the median (levels :func:`check_quantiles` refuses).
    """
    levels = [float(q) for q in quantiles]
    middle = median_index(levels)
    pairs = [(i, j) for i in range(middle) for j in range(middle + 1, len(levels))]
    if not pairs:
        check_quantiles(levels)  # names the levels
    return min(pairs, key=lambda p: (round(abs(levels[p[1]] - levels[p[0]] - coverage), 12),
                                     round(abs(levels[p[0]] + levels[p[1]] - 1.0), 12), p))


def quantile_columns(quantiles) -> list[str]:
    """Column names of quantile forecasts: ``q0.05``, ``q0.5``, ``q0.95``."""
    return [f"q{q:g}" for q in quantiles]
