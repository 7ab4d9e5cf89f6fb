"""The time column of a panel: dates (checked with :mod:`.dates` and :mod:`.frequency`) or integer steps.

A panel's time column holds dates, or whole numbers counting steps where a data set
has no dates (the M4 Competition's series, a simulation): ``1, 2, 3, ...`` or any
evenly spaced integers.  Which one is decided once for the whole column; each series
is then checked on its own, and every message names the series.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from lstmcast.data.errors import DataError
from lstmcast.data.rawtable import RawTable, is_missing, quote


def holds_steps(column: pd.Series) -> bool:
    """Whether a time column holds integer steps: whole numbers only (as numbers or as text)."""
    if ptypes.is_bool_dtype(column) or ptypes.is_datetime64_any_dtype(column):
        return False
    if ptypes.is_numeric_dtype(column):
        numbers = pd.to_numeric(column, errors="coerce").dropna()
    else:
        text = column.astype(str).str.strip()
        text = text[~text.map(is_missing)]
        numbers = pd.to_numeric(text, errors="coerce")
        if numbers.isna().any():
            return False  # some cell is not a number: a date column (or a mistake the date parser names)
    return len(numbers) > 0 and bool((numbers % 1 == 0).all())


def read_steps(raw: RawTable, time_column: str) -> np.ndarray:
    """The integer step of every row of ``raw``; a DataError names a missing or fractional one.

    Returns
    -------
    numpy.ndarray, shape (N,), int64
    """
    column = raw.frame[time_column]
    if ptypes.is_integer_dtype(column) and not ptypes.is_bool_dtype(column):
        return column.to_numpy(dtype=np.int64)  # (N,) already whole numbers, none missing
    text = column.astype(object).map(lambda v: v.strip() if isinstance(v, str) else v)
    missing = text.map(is_missing).to_numpy(dtype=bool)  # (N,)
    numbers = pd.to_numeric(text.where(~missing, None), errors="coerce").to_numpy(dtype=np.float64)  # (N,)
    bad = np.flatnonzero(missing | ~np.isfinite(numbers) | (numbers % 1 != 0))
    if len(bad):
        i = int(bad[0])
        what = "missing step" if missing[i] else f"{quote(column.iloc[i])} is not a whole number of steps"
        raise DataError(f"{raw.source}: column {time_column!r} {raw.where(i)}: {what}")
    return numbers.astype(np.int64)  # (N,)


def check_unique_steps(raw: RawTable, steps: np.ndarray) -> None:
    """Raise a DataError naming the first step that appears twice and its lines (or rows)."""
    values, counts = np.unique(steps, return_counts=True)
    if (counts == 1).all():
        return
    first = steps[np.isin(steps, values[counts > 1])][0]
    rows = np.flatnonzero(steps == first)  # (k,)
    places = ", ".join(str(raw.number(int(i))) for i in rows)
    raise DataError(f"{raw.source}: step {int(first)} appears {len(rows)} times ({raw.kind}s {places})")


def step_of(steps: np.ndarray) -> int | None:
    """The spacing of sorted unique ``steps``: the greatest common divisor of their gaps (None for one step)."""
    gaps = np.diff(steps)  # (N-1,)
    return int(np.gcd.reduce(gaps)) if len(gaps) else None


def regularise_steps(frame: pd.DataFrame, step: int, fill: str | None, source: str) -> pd.DataFrame:
    """Insert the steps missing from ``frame``'s grid of ``step`` (filling their values), or refuse.

    Parameters
    ----------
    frame : pandas.DataFrame
        Indexed by sorted, unique integer steps.
    step : int
        The panel's spacing.
    fill : {None, "ffill", "interpolate"}
        How inserted steps get their values; ``None`` raises a DataError instead.
    source : str
        The file and series, for messages.

    Raises
    ------
    DataError
        A gap that is not a multiple of ``step``, or missing steps without ``fill``.
    """
    steps = frame.index.to_numpy()  # (N,)
    if len(steps) < 2:
        return frame
    gaps = np.diff(steps)  # (N-1,)
    if (gaps % step != 0).any():
        i = int(np.flatnonzero(gaps % step != 0)[0])
        raise DataError(f"{source}: steps {steps[i]} and {steps[i + 1]} are not a multiple of the panel's "
                        f"spacing {step} apart")
    if (gaps == step).all():
        return frame
    grid = np.arange(steps[0], steps[-1] + 1, step, dtype=np.int64)  # (M,)
    missing = np.setdiff1d(grid, steps)  # (k,)
    what = f"{source}: {len(missing)} of {len(grid)} steps are missing, the first step {int(missing[0])}"
    if fill is None:
        raise DataError(f"{what}; pass fill='ffill' or fill='interpolate' to insert them and fill their values")
    frame = frame.reindex(pd.Index(grid, name=frame.index.name))
    return frame.ffill() if fill == "ffill" else frame.interpolate(method="index")


def common_frequency(frequencies: dict[str, str | int | None], source: str, what: str) -> str | int | None:
    """The one frequency (or step) every series follows; a DataError names the first series that differs.

    Series whose frequency could not be told (too few rows) are left out of the comparison.
    """
    known = {name: freq for name, freq in frequencies.items() if freq is not None}
    if not known:
        return None
    values, counts = np.unique([str(f) for f in known.values()], return_counts=True)
    usual = str(values[np.argmax(counts)])
    for name, freq in known.items():
        if str(freq) != usual:
            first = next(n for n, f in known.items() if str(f) == usual)
            others = int(counts.max()) - 1
            also = f" (and {others} other series)" if others else ""
            raise DataError(f"{source}: series {name!r} has {what} {freq!r} but series {first!r}{also} "
                            f"{usual!r}: one model needs one {what}; resample the series or pass freq= to name it")
    return next(iter(known.values()))
