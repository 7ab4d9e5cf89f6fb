"""The rows of a long table: which series each belongs to, and the checked table built back from the series."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lstmcast.data.errors import DataError
from lstmcast.data.panel_groups import Groups
from lstmcast.data.rawtable import RawTable, is_missing

__all__ = ["group_rows", "index_as_columns", "long_table"]


def group_rows(raw: RawTable, id_column: str) -> tuple[list[str], np.ndarray]:
    """The ids in order of first appearance, and the series of every row.

    Returns
    -------
    (ids, codes)
        ``codes`` (N,): the position in ``ids`` of each row's series.

    Raises
    ------
    DataError
        A missing id, naming its line or row.
    """
    column = raw.frame[id_column]
    codes, uniques = pd.factorize(column, sort=False)  # (N,), (U,) in order of first appearance; NaN -> -1
    missing = codes < 0  # (N,)
    blank = np.array([is_missing(u) for u in uniques], dtype=bool)  # (U,) "", "NA", ...
    if blank.any():
        missing |= blank[np.maximum(codes, 0)]
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        raise DataError(f"{raw.source}: column {id_column!r} {raw.where(i)}: missing series id")
    merged, names = pd.factorize(np.array([id_text(u) for u in uniques], dtype=object))  # " a" and "a" are one id
    return [str(u) for u in names], merged[codes]


def id_text(value) -> str:
    """An id as text: ``7`` and ``7.0`` (a float column) both read ``"7"``."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def index_as_columns(df: pd.DataFrame) -> pd.DataFrame:
    """A DataFrame whose id and time sit in its (Multi)Index, as plain columns (an unnamed date index as ``ds``)."""
    if isinstance(df.index, (pd.DatetimeIndex, pd.PeriodIndex)) and df.index.name is None and "ds" not in df.columns:
        return df.rename_axis("ds").reset_index()
    names = [n for n in df.index.names if n is not None]
    if names and not any(n in df.columns for n in names):
        return df.reset_index()
    return df


def long_table(ids: list[str], groups: Groups, frames: dict[int, pd.DataFrame], columns: tuple[str, ...],
               id_column: str, time_column: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The long table of every series: the clean ones as sorted, the others as read on their own.

    Parameters
    ----------
    ids : list of str
    groups : Groups
        The sorted rows (see :func:`~lstmcast.data.panel_groups.check_groups`), with times.
    frames : dict of int to pandas.DataFrame
        Series ``k`` read on its own (``columns`` indexed by its times), for every
        series that is not clean.
    columns : tuple of str
        The target and the features.
    id_column, time_column : str

    Returns
    -------
    (pandas.DataFrame, numpy.ndarray)
        The table ``[id_column, time_column, *columns]`` and its bounds (S + 1,).
    """
    if groups.times is None:  # every series read on its own (times with a zone among them)
        long = pd.concat([frames[k] for k in range(len(ids))])  # (rows, F) indexed by time
        lengths = np.array([len(frames[k]) for k in range(len(ids))], dtype=np.int64)  # (S,)
        times, values = long.index, {c: long[c].to_numpy(dtype=np.float64) for c in columns}
    else:
        lengths = np.diff(groups.bounds)  # (S,)
        times, values = groups.times, groups.values
    if frames and groups.times is not None:
        lengths = lengths.copy()
        parts_t, parts_v, start = [], {c: [] for c in columns}, 0
        for k in sorted(frames):
            frame, end = frames[k], int(groups.bounds[k])
            parts_t += [times[start:end], frame.index.to_numpy()]
            for name in columns:
                parts_v[name] += [values[name][start:end], frame[name].to_numpy(dtype=np.float64)]
            lengths[k], start = len(frame), int(groups.bounds[k + 1])
        times = np.concatenate(parts_t + [times[start:]])  # (rows,)
        values = {c: np.concatenate(parts_v[c] + [values[c][start:]]) for c in columns}
    table = pd.DataFrame({id_column: np.repeat(np.array(ids, dtype=object), lengths), time_column: times})
    for name in columns:
        table[name] = values[name]
    return table, np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
