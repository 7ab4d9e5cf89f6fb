"""Where ``start`` / ``end`` point in a series: one reading for the API and the command line.

A position is a row number (an int; negative counts from the end, so -12 is the
twelfth row from the last), a share of the rows (a float in (0, 1)), or a date (the
first row at or after it). A string is read the same way (``"120"``, ``"-12"``,
``"0.8"``, ``"1959-01"``), so ``--start`` on the command line and ``start=`` in Python
mean the same. A date without a time zone on zoned dates is read in their zone; a date
with a zone on dates without one is refused, never compared.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

__all__ = ["position_row", "read_position"]

_INTEGER = re.compile(r"[+-]?\d+")
_FRACTION = re.compile(r"[+-]?(\d+\.\d*|\.\d+)")


def _what(name: str, value) -> str:
    return f"{name} must be a row number, a fraction in (0, 1) or a date, got {value!r}"


def read_position(value, name: str = "start"):
    """``value`` read as a row number (int), a share of the rows (float) or a date (Timestamp).

    Parameters
    ----------
    value : int, float, str or date-like
    name : str
        The argument's name, for the message.

    Returns
    -------
    int, float or pandas.Timestamp

    Raises
    ------
    ValueError
        Naming ``name`` and ``value``: none of these, or a fraction outside (0, 1).
    """
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(_what(name, value))
    if isinstance(value, str):
        text = value.strip()
        if _INTEGER.fullmatch(text):
            return int(text)
        if _FRACTION.fullmatch(text):
            value = float(text)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        if not (math.isfinite(value) and 0.0 < value < 1.0):
            raise ValueError(f"{name} must be a share of the rows in (0, 1), a row or a date, got {value!r}")
        return float(value)
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        stamp = None
    if stamp is None or pd.isna(stamp):
        raise ValueError(_what(name, value))
    return stamp


def position_row(value, n_rows: int, times: pd.DatetimeIndex | None, name: str = "start") -> int:
    """The row of a series of ``n_rows`` rows that the position ``value`` points at.

    Parameters
    ----------
    value : int, float, str or date-like
        See :func:`read_position`.
    n_rows : int
        Rows in the series.
    times : pandas.DatetimeIndex or None
        The series' dates (sorted); None when its times are integer steps (then a date is refused).
    name : str
        The argument's name, for the message.

    Returns
    -------
    int
        In ``[0, n_rows]``: a negative row number counts from the end (before the first row: 0);
        a share rounds to the nearest row; a date gives the first row at or after it.

    Raises
    ------
    ValueError
        Naming ``name``: an unreadable position, a date for integer steps, a date with a time
        zone for dates without one.
    """
    position = read_position(value, name)
    if isinstance(position, int):
        return position if position >= 0 else max(0, n_rows + position)
    if isinstance(position, float):
        return int(round(position * n_rows))
    if times is None:
        raise ValueError(f"{name}={value!r}: the series count integer steps; give a row number (int) or a "
                         "share of the rows (float)")
    zone = getattr(times, "tz", None)
    if position.tz is not None and zone is None:
        raise ValueError(f"{name}={value!r} has a time zone but the dates have none: give it without the zone")
    if position.tz is None and zone is not None:
        position = position.tz_localize(zone)  # read in the dates' own zone
    return int(times.searchsorted(position))
