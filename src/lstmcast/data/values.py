"""The numbers of a table: text cells to float64, and missing values filled on request."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from lstmcast.data.errors import DataError
from lstmcast.data.rawtable import RawTable, is_missing, quote


def to_numbers(raw: RawTable, name: str, dates: pd.DatetimeIndex | np.ndarray) -> np.ndarray:
    """Convert one column to float64, NaN where missing; junk raises a DataError.

    ``dates`` (a date or an integer step per row) only describe the row in messages.
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
    return numbers


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
