"""The frequency a table's dates follow: from pandas, or from a regular grid with a few dates missing.

Frequency is taken from the ``freq`` argument, else from ``pandas.infer_freq``, else
from two cases real data often hits:

- daily data on weekdays only, with holidays missing (stock prices): ``"B"``;
- a regular grid with a few timestamps missing (a daily series that skips Dec 31 of
  leap years, a monthly series with a gap): the alias of the usual spacing (``"D"``,
  ``"h"``, ``"MS"``, ...).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset


REGULAR_COVERAGE = 0.9
"""Share of a regular grid's timestamps that must be present to call it that grid."""


def infer_frequency(dates: pd.DatetimeIndex) -> str | None:
    """Return the pandas offset alias the sorted, unique ``dates`` follow, or None.

    Tries ``pandas.infer_freq``; then weekday-only daily dates with holidays
    missing (``"B"``); then a regular grid of months or of a fixed spacing with a
    few timestamps missing (the alias of the usual spacing).

    Parameters
    ----------
    dates : pandas.DatetimeIndex
        Sorted ascending, no duplicates.

    Returns
    -------
    str or None
    """
    if len(dates) < 3:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas 3 warns that infer_freq will return an offset
        inferred = pd.infer_freq(dates)
    if inferred is not None:
        return to_offset(inferred).freqstr
    for guess in (_business_days, _month_grid, _fixed_grid):
        alias = guess(dates)
        if alias is not None:
            return alias
    return None


def check_freq(freq) -> str:
    try:
        return to_offset(freq).freqstr
    except (ValueError, TypeError):
        raise ValueError(f"freq must be a pandas offset alias such as 'D', 'B', 'MS' or 'h', got {freq!r}") from None


def _business_days(dates: pd.DatetimeIndex) -> str | None:
    """``"B"`` for midnight, weekday-only dates spanning weekends, few weekdays missing."""
    if not (dates == dates.normalize()).all() or (dates.day_of_week >= 5).any():
        return None
    if (dates[-1] - dates[0]).days < 7:
        return None
    grid = pd.bdate_range(dates[0], dates[-1])
    return "B" if len(dates) >= REGULAR_COVERAGE * len(grid) else None


def _month_grid(dates: pd.DatetimeIndex) -> str | None:
    """``"MS"`` / ``"ME"`` (or ``"3MS"`` ...) for month starts or ends with a few missing."""
    if not (dates == dates.normalize()).all():
        return None
    if (dates.day == 1).all():
        anchor = "MS"
    elif dates.is_month_end.all():
        anchor = "ME"
    else:
        return None
    months = np.asarray(dates.year * 12 + dates.month, dtype=np.int64)  # (N,)
    step = _grid_step(months)
    if step is None:
        return None
    return anchor if step == 1 else f"{step}{anchor}"


def _fixed_grid(dates: pd.DatetimeIndex) -> str | None:
    """The alias of the usual spacing when every gap is a multiple of it, few missing."""
    ticks = dates.asi8  # (N,) in units of dates.unit
    step = _grid_step(ticks)
    if step is None:
        return None
    delta = pd.Timedelta(step, unit=dates.unit)
    day = pd.Timedelta(days=1)
    if delta % day == pd.Timedelta(0):
        days = delta // day
        return "D" if days == 1 else f"{days}D"
    return to_offset(delta).freqstr


def _grid_step(ticks: np.ndarray) -> int | None:
    """The modal spacing of sorted integer ``ticks`` if they sit on its grid, few missing."""
    gaps = np.diff(ticks)  # (N-1,)
    if len(gaps) == 0 or (gaps <= 0).any():
        return None
    values, counts = np.unique(gaps, return_counts=True)
    step = int(values[np.argmax(counts)])
    if (gaps % step != 0).any():
        return None
    slots = (ticks[-1] - ticks[0]) // step + 1
    return step if len(ticks) >= REGULAR_COVERAGE * slots else None


def with_freq(index: pd.DatetimeIndex, freq: str | None) -> pd.DatetimeIndex:
    """Attach ``freq`` to the index when every step follows it (no gaps); else leave it off."""
    if freq is None:
        return index
    try:
        return pd.DatetimeIndex(index, freq=freq)
    except ValueError:
        return pd.DatetimeIndex(index, freq=None)
