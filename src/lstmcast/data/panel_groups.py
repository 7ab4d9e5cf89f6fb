"""The per-series checks of a long table done group-wise, over the whole table at once.

The rows are sorted once by (series, time); every check is then a NumPy operation on
the sorted arrays: ``np.diff`` of the times within each series (a time twice, uneven
spacing), missing values, the spread of each series' values, and its frequency (told
from its one spacing; asked of pandas only where the calendar can change the answer).
A series that passes every check reads to exactly what the series-by-series reading
gives it, so it is taken as it is. Any other series (a duplicate, a gap, a missing
value, a spacing the panel does not follow) is left to the series-by-series reading,
which fills it or raises the error naming it: :func:`check_groups` only sorts out
which series need that.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset
from pandas.tseries.offsets import Tick

from lstmcast.data.dates import DATE_UNIT, default_unit
from lstmcast.data.frequency import infer_frequency
from lstmcast.data.values import MIN_SPREAD

__all__ = ["Groups", "check_groups", "sort_rows"]

_NO_GAPS = ("B", "C")  # as frequency.regularise: business days are never regularised


class Groups(NamedTuple):
    """The rows of a long table sorted by series and time, and which series read as they are.

    Attributes
    ----------
    order : numpy.ndarray, shape (N,)
        Input rows, series by series (in id order), each series by time.
    bounds : numpy.ndarray, shape (S + 1,)
        Series ``k`` is ``order[bounds[k]:bounds[k + 1]]``.
    clean : numpy.ndarray of bool, shape (S,)
        The series that pass every check: sorted by ``order``, they are read.
    raw_cells : numpy.ndarray of bool, shape (S,)
        The series to read from their cells again (a wrong cell, or values that
        barely differ: the per-series reading names them).
    freqs : list, length S
        The frequency (or step) of each clean series, None where it cannot be told.
    times : numpy.ndarray or None, shape (N,)
        The times in ``order``: int64 steps, or datetime64 at :data:`DATE_UNIT`
        without a zone; None when no series is clean.
    values : dict of str to numpy.ndarray, shape (N,)
        The numbers of each column, in ``order``.
    """

    order: np.ndarray
    bounds: np.ndarray
    clean: np.ndarray
    raw_cells: np.ndarray
    freqs: list
    times: np.ndarray | None
    values: dict


def sort_rows(codes: np.ndarray, ticks: np.ndarray, n_series: int) -> tuple[np.ndarray, np.ndarray]:
    """The rows sorted by (series, time), with one sort of one int64 key where it fits.

    Parameters
    ----------
    codes : numpy.ndarray, shape (N,)
        The series of each row, 0 .. S-1.
    ticks : numpy.ndarray of int64, shape (N,)
        Its time, as an integer.
    n_series : int

    Returns
    -------
    (order, bounds)
        ``order`` (N,): the rows series by series, each by time (rows with the same
        series and time in no particular order); ``bounds`` (S + 1,).
    """
    lengths = np.bincount(codes, minlength=n_series)  # (S,)
    bounds = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)  # (S + 1,)
    low, high = int(ticks.min()), int(ticks.max())
    if high - low < 2 ** 62:
        rel = ticks - np.int64(low)  # (N,) >= 0
        step = int(np.gcd.reduce(rel)) or 1
        if step > 1:
            rel //= step
        span = (high - low) // step + 1
        if n_series * span < 2 ** 62:
            rel += codes.astype(np.int64) * np.int64(span)  # (N,) the key: series, then time
            return np.argsort(rel), bounds
    return np.lexsort((ticks, codes)), bounds


def check_groups(times, numbers: dict, codes: np.ndarray, n_series: int, steps: bool, freq,
                 spoiled: np.ndarray | None = None) -> Groups:
    """Sort a long table's parsed cells by series and time, and check every series at once.

    Parameters
    ----------
    times : pandas.DatetimeIndex, numpy.ndarray of int64 or None, shape (N,)
        The time of every row, in input order; None when the cells could not be
        read at once (every series is then read on its own).
    numbers : dict of str to numpy.ndarray, shape (N,)
        The target and the features, float64, NaN where missing.
    codes : numpy.ndarray, shape (N,)
        The series of each row.
    n_series : int
    steps : bool
        Integer steps, else dates.
    freq : str, int or None
        The frequency (or step) given, checked; None to infer it.
    spoiled : numpy.ndarray of bool, shape (S,), optional
        Series with a wrong cell, to read from their cells again.

    Returns
    -------
    Groups
    """
    if times is None:
        return _none_clean(codes, n_series)
    if steps:
        ticks = np.asarray(times, dtype=np.int64)  # (N,)
        unit = None
    else:
        converted = default_unit(times)
        if converted.tz is not None or converted.unit != DATE_UNIT:  # not one resolution, a zone: series by series
            return _none_clean(codes, n_series)
        ticks, unit = converted.asi8, converted.unit  # (N,)
    order, bounds = sort_rows(codes, ticks, n_series)
    first, lengths = bounds[:-1], np.diff(bounds)  # (S,), (S,)
    ticks = ticks[order]  # (N,)
    clean = np.ones(n_series, dtype=bool)  # (S,)
    gaps = np.diff(ticks)  # (N-1,) gap i: rows i and i + 1
    inner = np.ones(len(gaps), dtype=bool)  # (N-1,) both rows in one series
    inner[bounds[1:-1] - 1] = False
    _spoil(clean, bounds, np.flatnonzero(inner & (gaps <= 0)))  # a time twice
    uneven = (gaps[1:] != gaps[:-1]) & inner[1:] & inner[:-1]  # (N-2,)
    _spoil(clean, bounds, np.flatnonzero(uneven))  # a gap, or no one spacing
    del uneven
    values = {}
    raw_cells = np.zeros(n_series, dtype=bool)  # (S,)
    for name, column in numbers.items():
        values[name] = column = column[order]  # (N,)
        _spoil(clean, bounds, np.flatnonzero(np.isnan(column)))  # missing: fill it or name it
        spread = np.fmax.reduceat(column, first) - np.fmin.reduceat(column, first)  # (S,) NaN: all missing
        raw_cells |= (spread > 0) & (spread < MIN_SPREAD)
    if spoiled is not None:
        raw_cells |= spoiled
    clean &= ~raw_cells
    gap = np.where(lengths > 1, gaps[np.minimum(first, len(gaps) - 1)] if len(gaps) else 0, 0)  # (S,)
    if steps:
        freqs = _step_freqs(clean, lengths, gap, freq)
    else:
        freqs = _date_freqs(clean, lengths, gap, freq, ticks, bounds, unit)
    out = ticks if steps else ticks.view(f"M8[{unit}]")
    return Groups(order, bounds, clean, raw_cells, freqs, out, values)


def _none_clean(codes: np.ndarray, n_series: int) -> Groups:
    """Every series left to the series-by-series reading."""
    order = np.argsort(codes, kind="stable")  # (N,)
    bounds = np.concatenate([[0], np.cumsum(np.bincount(codes, minlength=n_series))]).astype(np.int64)
    return Groups(order, bounds, np.zeros(n_series, dtype=bool), np.zeros(n_series, dtype=bool),
                  [None] * n_series, None, {})


def _spoil(clean: np.ndarray, bounds: np.ndarray, rows: np.ndarray) -> None:
    """Mark the series of the sorted ``rows`` as not clean."""
    if len(rows):
        clean[np.searchsorted(bounds, rows, side="right") - 1] = False


def _step_freqs(clean: np.ndarray, lengths: np.ndarray, gap: np.ndarray, freq) -> list:
    """Each clean series' step, as ``step_of`` tells it (the panel's, when given and followed)."""
    if freq is not None:
        clean &= (lengths < 2) | (gap == freq)  # another spacing: regularised series by series
        return [freq] * len(clean)
    return [int(g) if n > 1 else None for g, n in zip(gap.tolist(), lengths.tolist())]


def _date_freqs(clean, lengths, gap, freq, ticks, bounds, unit) -> list:
    """Each clean series' frequency, as ``infer_frequency`` and ``regularise`` tell it.

    A series with one spacing shorter than a day, or of exactly one day, has the
    frequency of that spacing whatever its dates (pandas' rules: three days in a row
    are never all month starts or ends), so it is asked once per spacing; a spacing
    of several days depends on the calendar (weeks, months, years), so each such
    series is asked on its own. A clean series whose grid would not be its dates is
    left to the series-by-series reading.
    """
    n_series = len(clean)
    day = pd.Timedelta(days=1) // pd.Timedelta(1, unit=unit)
    if freq is not None:
        offset = to_offset(freq)
        follows = np.zeros(n_series, dtype=bool)  # (S,)
        if isinstance(offset, Tick):
            follows = gap == pd.Timedelta(offset) // pd.Timedelta(1, unit=unit)
        if freq not in _NO_GAPS:
            clean &= (lengths < 3) | follows
        return [freq] * n_series
    freqs = [None] * n_series
    asked: dict[int, str | None] = {}
    for k in np.flatnonzero(clean & (lengths >= 3)).tolist():
        g = int(gap[k])
        once = g % day != 0 or g == day  # the answer depends on the spacing only
        if once and g in asked:
            found = asked[g]
        else:
            found = _regular(_dates(ticks, bounds, k, unit))
            if once:
                asked[g] = found
        if found is None:
            clean[k] = False
        else:
            freqs[k] = found
    return freqs


def _dates(ticks: np.ndarray, bounds: np.ndarray, k: int, unit: str) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(ticks[bounds[k]:bounds[k + 1]].view(f"M8[{unit}]"))


def _regular(dates: pd.DatetimeIndex) -> str | None:
    """The frequency of evenly spaced ``dates`` when ``regularise`` leaves them as they are, else None."""
    found = infer_frequency(dates)
    if found is None or found in _NO_GAPS:
        return found
    try:
        grid = pd.date_range(dates[0], dates[-1], freq=found, unit=dates.unit)
    except (ValueError, TypeError):
        return found
    return found if len(grid) == len(dates) else None
