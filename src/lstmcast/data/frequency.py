"""The frequency a table's dates follow, and what to do when dates are missing from it.

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
from pandas.tseries.offsets import Tick

from lstmcast.data.errors import DataError, DataWarning
from lstmcast.data.rawtable import format_date

FILL_COVERAGE = 0.5
"""With ``fill``, missing dates are inserted when at least this share of the grid is present."""

_NO_GAPS = ("B", "C")  # business days: holidays are not missing data


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


def check_same_frequency(table, fitted) -> None:
    """Refuse new data whose dates follow another frequency than those a model was fitted on.

    Parameters
    ----------
    table, fitted : SeriesTable or Panel
        The new data and the data the model was fitted on (anything with ``freq``
        and ``source``).

    Raises
    ------
    DataError
        When both frequencies are known and differ (a daily model given monthly data
        would date its forecasts a day apart), naming both.
    """
    if table.freq is None or fitted.freq is None or str(table.freq) == str(fitted.freq):
        return
    raise DataError(f"{table.source}: the dates are spaced {table.freq!r}, but the model was fitted on "
                    f"{fitted.freq!r} data ({fitted.source}); its forecasts would step {fitted.freq!r}: resample "
                    f"the data to {fitted.freq!r}, or fit a model on these data")


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


def _month_grid(dates: pd.DatetimeIndex, coverage: float = REGULAR_COVERAGE) -> str | None:
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
    step = _grid_step(months, coverage)
    if step is None:
        return None
    return anchor if step == 1 else f"{step}{anchor}"


def _fixed_grid(dates: pd.DatetimeIndex, coverage: float = REGULAR_COVERAGE) -> str | None:
    """The alias of the usual spacing when every gap is a multiple of it, few missing."""
    ticks = dates.asi8  # (N,) in units of dates.unit
    step = _grid_step(ticks, coverage)
    if step is None:
        return None
    delta = pd.Timedelta(step, unit=dates.unit)
    day = pd.Timedelta(days=1)
    if delta % day == pd.Timedelta(0):
        days = delta // day
        return "D" if days == 1 else f"{days}D"
    return to_offset(delta).freqstr


def _grid_step(ticks: np.ndarray, coverage: float = REGULAR_COVERAGE) -> int | None:
    """The modal spacing of sorted integer ``ticks`` if they sit on its grid, few missing."""
    gaps = np.diff(ticks)  # (N-1,)
    if len(gaps) == 0 or (gaps <= 0).any():
        return None
    values, counts = np.unique(gaps, return_counts=True)
    step = int(values[np.argmax(counts)])
    if (gaps % step != 0).any():
        return None
    slots = (ticks[-1] - ticks[0]) // step + 1
    return step if len(ticks) >= coverage * slots else None


def with_freq(index: pd.DatetimeIndex, freq: str | None) -> pd.DatetimeIndex:
    """Attach ``freq`` to the index when every step follows it (no gaps); else leave it off.

    A fixed spacing (``"h"``, ``"15min"``, ``"D"``) on dates without a zone is checked
    with one ``np.diff``: pandas' own check infers the frequency, several times slower,
    and a panel attaches it once per series.
    """
    if freq is None:
        return index
    offset = to_offset(freq)
    tick = pd.Timedelta(1, unit=index.unit)
    if isinstance(offset, Tick) and index.tz is None and len(index) and pd.Timedelta(offset) % tick == pd.Timedelta(0):
        if not (np.diff(index.asi8) == pd.Timedelta(offset) // tick).all():
            return pd.DatetimeIndex(index, freq=None)
        return pd.date_range(index[0], periods=len(index), freq=offset, name=index.name, unit=index.unit)
    try:
        return pd.DatetimeIndex(index, freq=freq)
    except ValueError:
        return pd.DatetimeIndex(index, freq=None)


def regularise(frame: pd.DataFrame, freq: str | None, fill: str | None, source: str) -> tuple[pd.DataFrame, str | None]:
    """Say so when dates are missing from the table's grid, and insert them with ``fill``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Sorted by its unique dates, missing values already filled.
    freq : str or None
        The given or inferred frequency.
    fill : {None, "ffill", "interpolate"}
        How the values of inserted dates are filled; ``None`` inserts nothing.
    source : str
        The file name, for messages.

    Returns
    -------
    (pandas.DataFrame, str or None)
        The table (with the missing dates inserted when filled) and its frequency.

    Warns
    -----
    DataWarning
        A few dates missing from a grid (no ``fill``), or dates that follow no grid
        (forecasts are then dated by the median spacing).

    Raises
    ------
    DataError
        Many dates missing from a grid without ``fill``, or too many to fill.
    """
    dates = frame.index
    if len(dates) < 3 or freq in _NO_GAPS:
        return frame, freq
    loose = freq is None
    if loose:
        freq = _month_grid(dates, 0.0) or _fixed_grid(dates, 0.0)
    if freq is None:
        steps = np.diff(dates.asi8)  # (N-1,)
        unit = dates.unit
        warnings.warn(DataWarning(
            f"{source}: the dates follow no regular spacing (steps from {pd.Timedelta(int(steps.min()), unit)} "
            f"to {pd.Timedelta(int(steps.max()), unit)}); forecasts are dated by the median step, "
            f"{pd.Timedelta(int(np.median(steps)), unit)}: pass freq= to name the spacing"), stacklevel=3)
        return frame, None
    try:
        grid = pd.date_range(dates[0], dates[-1], freq=freq, name=dates.name, unit=dates.unit)
    except (ValueError, TypeError):
        return frame, freq
    if len(grid) == len(dates) or not dates.isin(grid).all():
        return frame, freq
    missing = grid.difference(dates)
    what = (f"{source}: {len(missing)} of {len(grid)} dates are missing from the {freq!r} spacing, "
            f"the first {format_date(missing[0])}")
    if fill is None:
        if not loose:  # a few: usable, but windows across a gap join values more than a step apart
            warnings.warn(DataWarning(f"{what}; windows across a gap join values more than one step apart: "
                                      "pass fill='ffill' or fill='interpolate' to insert them"), stacklevel=3)
            return frame, freq
        raise DataError(f"{what}, too many to leave out: pass fill='ffill' or fill='interpolate' to insert them "
                        "and fill their values, or resample the data")
    if len(dates) < FILL_COVERAGE * len(grid):
        raise DataError(f"{what}: more than half of the dates would be made up by fill={fill!r}; "
                        "resample the data to a coarser spacing first")
    frame = frame.reindex(grid)
    frame = frame.ffill() if fill == "ffill" else frame.interpolate(method="time")
    return frame, freq
