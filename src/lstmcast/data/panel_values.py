"""Checks of a panel's values over the whole long table at once, naming the first series that fails."""

from __future__ import annotations

import numpy as np

from lstmcast.data.errors import DataError
from lstmcast.data.rawtable import format_date

__all__ = ["check_positive_target"]


def check_positive_target(panel, argument: str, instead: str) -> None:
    """Raise a DataError unless every target value of every series is positive.

    One vectorised pass over the long table; the message names the first series with
    a value that is not positive, its time and how many other series have one.

    Parameters
    ----------
    panel : Panel
    argument : str
        What needs the positive values (``"target_transform='log_return'"``).
    instead : str
        What to use instead, for the message (``"target_transform='diff'"``).

    Raises
    ------
    DataError
        One line: the file, the series, the value and its time.
    """
    target = panel.frame[panel.target].to_numpy(dtype=np.float64)  # (rows,)
    bad = np.flatnonzero(~(target > 0))  # (k,)
    if not len(bad):
        return
    series = np.searchsorted(panel.bounds, bad, side="right") - 1  # (k,) the series of each bad row
    i, k = int(bad[0]), int(series[0])
    time = panel.frame[panel.time_column].iloc[i]
    when = f"step {int(time)}" if isinstance(time, (int, np.integer)) else format_date(time)
    others = len(np.unique(series)) - 1
    more = f" (and {others} more series)" if others else ""
    raise DataError(f"{panel.source}: series {panel.ids[k]!r}: {argument} needs a positive {panel.target!r}, found "
                    f"{float(target[i])} at {when}{more}; use {instead}")
