"""A panel's times and numbers read once for the whole long table, not once per series.

Parsing dates and numbers is most of the time a panel takes to read; done column by
column over every row at once it costs one pandas call per column instead of one per
series. The per-series checks on the parsed values are group-wise NumPy operations
(:mod:`.panel_groups`). Whenever a cell is wrong, :func:`read_cells` gives up and
:func:`read_cells_marked` tells which rows are wrong: their series are read one by
one, so the message names the series (the first in id order) as before.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from lstmcast.data.dates import find_dates, parse_dates
from lstmcast.data.errors import DataError
from lstmcast.data.panel_times import read_steps
from lstmcast.data.rawtable import RawTable, is_missing
from lstmcast.data.values import MAX_ABS, to_numbers

__all__ = ["read_cells", "read_cells_marked"]


def read_cells(raw: RawTable, time_column: str, columns: tuple[str, ...], steps: bool, dayfirst: bool | None):
    """The time and the numbers of every row of ``raw``, or None when a series must be read on its own.

    Parameters
    ----------
    raw : RawTable
        The long table.
    time_column : str
    columns : tuple of str
        The target and the features.
    steps : bool
        Integer steps, else dates.
    dayfirst : bool or None
        How dates such as ``01/02/2020`` read (decided for the whole column).

    Returns
    -------
    (times, numbers) or None
        ``times``: a DatetimeIndex or int64 array (N,); ``numbers``: float64 (N,) by
        column.  None when some cell is wrong: the per-series reading then raises the
        error naming the series.
    """
    try:
        times = read_steps(raw, time_column) if steps else find_dates(raw, time_column, columns, dayfirst=dayfirst)
        numbers = {name: to_numbers(raw, name, times, spread=False) for name in columns}
    except DataError:
        return None
    return times, numbers


def read_cells_marked(raw: RawTable, time_column: str, columns: tuple[str, ...], steps: bool,
                      dayfirst: bool | None):
    """The cells of every row with the wrong ones marked instead of raised, or None.

    Where :func:`read_cells` gives up, this tells which rows hold a cell that is wrong
    (a date or step that is missing or cannot be read, a number that cannot be read
    or is too large), so that only their series are read on their own (the first of
    them names the error) and the others are checked group-wise as usual.

    Returns
    -------
    (times, numbers, bad) or None
        As :func:`read_cells`, a wrong time replaced by a good one and a wrong number
        by NaN; ``bad`` (N,) bool. None where no row can be blamed (say dates in
        several time zones): every series is then read on its own.
    """
    try:
        times, bad = _steps_marked(raw, time_column) if steps else _dates_marked(raw, time_column, dayfirst)
        numbers = {}
        for name in columns:
            numbers[name], wrong = _numbers_marked(raw, name)
            bad |= wrong
    except (DataError, ValueError, TypeError):
        return None
    if times is None or not bad.any():
        return None
    return times, numbers, bad


def _steps_marked(raw: RawTable, time_column: str):
    """As :func:`~lstmcast.data.panel_times.read_steps`, marking missing or fractional steps."""
    column = raw.frame[time_column]
    if ptypes.is_integer_dtype(column) and not ptypes.is_bool_dtype(column):
        return column.to_numpy(dtype=np.int64), np.zeros(len(column), dtype=bool)
    text = column.astype(object).map(lambda v: v.strip() if isinstance(v, str) else v)
    missing = text.map(is_missing).to_numpy(dtype=bool)  # (N,)
    numbers = pd.to_numeric(text.where(~missing, None), errors="coerce").to_numpy(dtype=np.float64)  # (N,)
    bad = missing | ~np.isfinite(numbers) | (numbers % 1 != 0)  # (N,)
    if bad.all():
        return None, bad
    numbers[bad] = numbers[~bad][0]
    return numbers.astype(np.int64), bad


def _dates_marked(raw: RawTable, time_column: str, dayfirst: bool | None):
    """As :func:`~lstmcast.data.dates.find_dates`, marking missing dates and cells that are not dates."""
    if raw.index_dates is not None and time_column == raw.index_name:
        dates = raw.index_dates
    else:
        dates = parse_dates(raw.frame[time_column], raw.date_format, dayfirst)
    if dates.tz is not None:
        return None, np.zeros(len(dates), dtype=bool)  # zones: checked on the whole column only
    bad = np.asarray(dates.isna())  # (N,)
    if bad.all():
        return None, bad
    ticks = dates.asi8.copy()  # (N,)
    ticks[bad] = ticks[~bad][0]
    return pd.DatetimeIndex(ticks.view(f"M8[{dates.unit}]")), bad


def _numbers_marked(raw: RawTable, name: str):
    """As :func:`~lstmcast.data.values.to_numbers`, marking cells that are not numbers or too large."""
    column = raw.frame[name]
    if ptypes.is_numeric_dtype(column):
        values = column.to_numpy(dtype=np.float64, na_value=np.nan)  # (N,)
        bad = np.isinf(values)
    else:
        text = column.astype(object).map(lambda v: v.strip() if isinstance(v, str) else v)
        missing = text.map(is_missing).to_numpy(dtype=bool)  # (N,)
        values = pd.to_numeric(text.where(~missing, None), errors="coerce").to_numpy(dtype=np.float64)  # (N,)
        bad = (~missing & np.isnan(values)) | np.isinf(values)
    bad |= np.abs(values) > MAX_ABS
    return np.where(bad, np.nan, values), bad
