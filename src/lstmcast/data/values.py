"""The numbers of a table: text cells to float64, and missing values filled on request.

Every number must also be one the model can scale: standardising a column squares its
values, so a value beyond :data:`MAX_ABS` in size (1e308 still fits a float64) would
overflow to infinity, and a column whose values differ by less than :data:`MIN_SPREAD`
(subnormal numbers) would be read as constant. Both are refused when the column is read,
naming the column and the row, before anything is trained.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from lstmcast.data.errors import DataError
from lstmcast.data.rawtable import RawTable, is_missing, quote

MAX_ABS = 1e150
"""Largest size of a value: its square, summed over a billion rows, stays finite in float64."""

MIN_SPREAD = 1e-150
"""Smallest difference between a column's largest and smallest value (other than none at all)."""


def to_numbers(raw: RawTable, name: str, dates: pd.DatetimeIndex | np.ndarray, spread: bool = True) -> np.ndarray:
    """Convert one column to float64, NaN where missing; junk raises a DataError.

    ``dates`` (a date or an integer step per row) only describe the row in messages.
    Every value is checked with :func:`check_scalable` (its spread too unless ``spread``
    is False: a panel checks each series' own).
    """
    column = raw.frame[name]
    if ptypes.is_numeric_dtype(column):
        values = column.to_numpy(dtype=np.float64, na_value=np.nan)  # (N,)
        bad = np.flatnonzero(np.isinf(values))
        if len(bad):
            i = int(bad[0])
            raise DataError(
                f"{raw.source}: column {name!r} {raw.where(i, dates[i])}: {float(values[i])} is not a finite number"
            )
        check_scalable(raw, name, values, dates, spread)
        return values
    text = column.astype(object).map(lambda v: v.strip() if isinstance(v, str) else v)
    missing = text.map(is_missing).to_numpy(dtype=bool)  # (N,)
    numbers = pd.to_numeric(text.where(~missing, None), errors="coerce").to_numpy(dtype=np.float64)  # (N,)
    bad = np.flatnonzero((~missing & np.isnan(numbers)) | np.isinf(numbers))
    if len(bad):
        i = int(bad[0])
        value = column.iloc[i]
        hint = ""
        if isinstance(value, str) and re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?", value.strip()):
            hint = " (remove the thousands separators)"
        raise DataError(
            f"{raw.source}: column {name!r} {raw.where(i, dates[i])}: {quote(value)} is not a number{hint}"
        )
    check_scalable(raw, name, numbers, dates, spread)
    return numbers


def check_scalable(raw: RawTable, name: str, values: np.ndarray, dates, spread: bool = True) -> None:
    """Raise a DataError unless every value of a column can be scaled in float64.

    Parameters
    ----------
    raw : RawTable
        Where the rows came from, for the message.
    name : str
        The column.
    values : numpy.ndarray, shape (N,)
        Its numbers, NaN where missing.
    dates : pandas.DatetimeIndex or numpy.ndarray
        A date or integer step per row, for the message.
    spread : bool
        Also refuse values that differ by less than :data:`MIN_SPREAD`.

    Raises
    ------
    DataError
        A value larger than :data:`MAX_ABS` in size (naming its row), or values that
        differ, but by less than :data:`MIN_SPREAD`.
    """
    size = np.abs(values)  # (N,) NaN where missing
    if not (size > MAX_ABS).any():  # the usual case: one comparison
        if not spread or not len(values) or np.isnan(values).all():
            return
        spread = float(np.nanmax(values) - np.nanmin(values))
        if 0.0 < spread < MIN_SPREAD:
            raise DataError(f"{raw.source}: column {name!r}: its values differ by only {spread:.3g}, too little to "
                            f"scale (at least {MIN_SPREAD:.0e}); multiply the column by a power of ten first")
        return
    i = int(np.flatnonzero(size > MAX_ABS)[0])
    raise DataError(f"{raw.source}: column {name!r} {raw.where(i, dates[i])}: {float(values[i]):.6g} is too large "
                    f"to scale (sizes up to {MAX_ABS:.0e}); divide the column by a power of ten first")


def fill_missing(raw: RawTable, frame: pd.DataFrame, positions: np.ndarray, fill: str | None) -> pd.DataFrame:
    """Apply ``fill`` and raise a DataError for any missing value it leaves.

    ``frame`` is indexed by dates, or by integer steps (interpolated linearly in the step).
    """
    dated = isinstance(frame.index, pd.DatetimeIndex)  # else integer steps
    if fill == "ffill":
        frame = frame.ffill()
    elif fill == "interpolate":
        frame = frame.interpolate(method="time" if dated else "index", limit_area="inside")
    for name in frame.columns:
        gaps = np.flatnonzero(frame[name].isna().to_numpy())  # (k,)
        if not len(gaps):
            continue
        i = int(gaps[0])
        where = raw.where(int(positions[i]), frame.index[i] if dated else int(frame.index[i]))
        if fill is None:
            raise DataError(
                f"{raw.source}: column {name!r} has {len(gaps)} missing value(s), the first at {where}; "
                "pass fill='ffill' or fill='interpolate' to fill them on purpose"
            )
        if fill == "ffill":
            raise DataError(
                f"{raw.source}: column {name!r} starts with a missing value at {where} "
                "that fill='ffill' cannot fill (no earlier value)"
            )
        raise DataError(
            f"{raw.source}: column {name!r} has a missing value at {where} "
            "that fill='interpolate' cannot fill (it fills only between two values)"
        )
    return frame
