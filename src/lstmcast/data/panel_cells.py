"""A panel's times and numbers read once for the whole long table, not once per series.

Parsing dates and numbers is most of the time a panel takes to read; done column by
column over every row at once it costs one pandas call per column instead of one per
series. The per-series checks on the parsed values are group-wise NumPy operations
(:mod:`.panel_groups`). Whenever a cell is wrong, :func:`read_cells` gives up and the
series are read one by one, so the message names the series as before.
"""

from __future__ import annotations

from lstmcast.data.dates import find_dates
from lstmcast.data.errors import DataError
from lstmcast.data.panel_times import read_steps
from lstmcast.data.rawtable import RawTable
from lstmcast.data.values import to_numbers

__all__ = ["read_cells"]


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
