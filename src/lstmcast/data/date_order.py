"""Dates written with two small numbers first (``01/02/2020``): day first or month first?

pandas reads ``01/02/2020`` month first, whatever the rest of the file says, so a
day-first file whose days never pass 12 was read a month apart and its forecast dated
a year late. :func:`day_first` decides once for a whole column: a first number above
12 means day first, a second number above 12 month first; when every number is 12 or
less, the reading whose dates follow a regular spacing wins, and when both or neither
do, the column is refused with the ``date_format`` to pass.
"""

from __future__ import annotations

import re
import warnings

import pandas as pd

from lstmcast.data.errors import DataError
from lstmcast.data.frequency import infer_frequency
from lstmcast.data.rawtable import format_date

__all__ = ["check_date_format", "day_first"]

_NUMERIC = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?=$|[\sT])")
"""A date written as two numbers of one or two digits, then the year: ``01/02/2020``, ``1.2.20``."""


def check_date_format(date_format) -> str | None:
    """``date_format`` when it is None or a ``strftime`` format such as ``"%d/%m/%Y"``; ValueError otherwise."""
    if date_format is None:
        return None
    if not isinstance(date_format, str) or "%" not in date_format:
        raise ValueError(f"date_format must be a strftime format such as '%d/%m/%Y' or '%m/%d/%Y', "
                         f"got {date_format!r}")
    return date_format


def day_first(text: pd.Series, where: str) -> bool | None:
    """Whether the dates of a column are written day first.

    Parameters
    ----------
    text : pandas.Series of str
        The column's cells, stripped, None where missing.
    where : str
        The file and column, for the message.

    Returns
    -------
    bool or None
        True for day first, False for month first, None when the dates are not
        written as two small numbers and a year (pandas reads them as they are).

    Raises
    ------
    DataError
        When every first and second number is 12 or less and the spacing cannot tell
        the two readings apart (both regular, or neither); the message gives the
        ``date_format`` of each.
    """
    present = text.dropna()
    if not len(present) or not _NUMERIC.match(str(present.iloc[0])):
        return None
    parts = present.astype(str).str.extract(_NUMERIC)  # (n, 4): first, separator, second, year
    if parts[0].isna().any():
        return None  # not every date is written so: pandas reads them and names the odd one
    first, second = parts[0].astype(int), parts[2].astype(int)  # (n,), (n,)
    if (first > 12).any() or (second > 12).any():
        return bool((first > 12).any() and not (second > 12).any())  # both above 12: no order reads them all
    differ = (first != second).to_numpy()
    if not differ.any():
        return False  # 01/01, 02/02, ...: both orders read the same dates
    freq = {order: _spacing(present, order) for order in (True, False)}
    if (freq[True] is None) != (freq[False] is None):
        return freq[True] is not None
    example = str(present.iloc[int(differ.argmax())])
    sep, year = parts[1].iloc[0], "%Y" if len(parts[3].iloc[0]) == 4 else "%y"
    spacing = (f"both follow a spacing, {freq[True]!r} and {freq[False]!r}" if freq[True] is not None
               else "neither follows a regular spacing")
    raise DataError(f"{where}: {example!r} reads day first as {_read(example, True)} or month first as "
                    f"{_read(example, False)}, and the dates cannot tell which ({spacing}): pass "
                    f"date_format='%d{sep}%m{sep}{year}' (day first) or date_format='%m{sep}%d{sep}{year}' "
                    "(month first)")


def _parse(text: pd.Series, dayfirst: bool) -> pd.DatetimeIndex:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "could not infer format" / "parsing dates in ... format"
        return pd.DatetimeIndex(pd.to_datetime(text, dayfirst=dayfirst, errors="coerce"))


def _spacing(text: pd.Series, dayfirst: bool) -> str | None:
    """The frequency the dates follow when read ``dayfirst`` (sorted, once each), or None."""
    dates = _parse(text, dayfirst)
    if dates.hasnans:
        return None
    return infer_frequency(dates.unique().sort_values())


def _read(value: str, dayfirst: bool) -> str:
    return format_date(_parse(pd.Series([value]), dayfirst)[0])
