"""Wide files of many series, one series per row, read into the long format (a :class:`~lstmcast.data.panel.Panel`).

The M4 Competition ships its data this way: a header ``"V1","V2",...``, then one row
per series whose first cell is its id (``"H1"``) and the others its values in time
order.  Series have different lengths, so shorter rows end in empty cells; those are
padding and dropped.  An empty cell *between* two values is a missing value, refused
as :func:`~lstmcast.data.read_panel` refuses one (or filled with ``fill``).  The
series have no dates: their times are integer steps ``first_step, first_step + 1,
...``, and a test file continues its training file with ``first_step=`` the step
after each series' last training step (:func:`read_wide_pair`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lstmcast.data.csvfile import as_csv_file, read_columns
from lstmcast.data.errors import DataError
from lstmcast.data.panel import Panel, panel_from_raw
from lstmcast.data.rawtable import MISSING_TOKENS, RawTable, is_missing, quote

__all__ = ["read_wide", "read_wide_pair"]

ID, TIME, TARGET = "unique_id", "ds", "y"
"""The long panel's column names."""


def read_wide(source, first_step: int | dict[str, int] = 1, fill: str | None = None) -> Panel:
    """Read a wide file (one series per row: id, then values) as a panel of integer steps.

    Parameters
    ----------
    source : str, pathlib.Path or CsvFile
        The file, e.g. ``M4-Hourly-train.csv``.
    first_step : int or dict of str to int
        The step of each series' first value: one for all, or per id (every id of
        the file must be a key).
    fill : {None, "ffill", "interpolate"}
        What to do with a missing value inside a row.

    Returns
    -------
    Panel
        Columns ``unique_id``, ``ds`` (int64 steps), ``y``; series in file order.

    Raises
    ------
    DataError
        Missing file, an empty or repeated id, a cell that is not a number, a row
        with no values, a missing value inside a row without ``fill``, an id
        missing from ``first_step``.
    """
    csv_file = as_csv_file(source)
    name = csv_file.name
    header = read_columns(csv_file)  # a missing file, another separator or encoding, repeated names
    id_name = header[0]
    try:
        frame = pd.read_csv(csv_file.path, sep=csv_file.sep, encoding=csv_file.encoding, index_col=False,
                            dtype={id_name: str}, skipinitialspace=True, skip_blank_lines=False)
    except (pd.errors.ParserError, ValueError) as err:
        raise DataError(f"{name}: cannot read as a wide CSV file: {' '.join(str(err).split())}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    lines = np.arange(len(frame)) + 2  # (S,) header is line 1
    blank = frame.isna().all(axis=1).to_numpy()  # (S,) empty lines
    frame, lines = frame.loc[~blank].reset_index(drop=True), lines[~blank]
    if len(frame) == 0:
        raise DataError(f"{name}: no data rows, only the header line")
    raw = RawTable(frame=frame, source=name, lines=lines, index_dates=None, index_name=None)
    ids = frame[id_name].fillna("").str.strip()  # (S,)
    bad_id = ((ids == "") | ids.str.lower().isin(MISSING_TOKENS)).to_numpy()  # (S,)
    if bad_id.any():
        raise DataError(f"{name}: column {id_name!r} {raw.where(int(np.flatnonzero(bad_id)[0]))}: missing series id")
    repeated = ids.duplicated(keep=False)
    if repeated.any():
        first = ids[repeated].iloc[0]
        places = ", ".join(str(raw.number(int(i))) for i in np.flatnonzero((ids == first).to_numpy()))
        raise DataError(f"{name}: series {first!r} appears on more than one line ({places})")
    cells = frame.iloc[:, 1:]  # (S, T)
    for column in cells.columns:
        if not pd.api.types.is_numeric_dtype(cells[column]):  # text among the numbers
            _check_numbers(raw, ids, cells[column], column)
    values = cells.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=np.float64)  # (S, T)
    present = np.isfinite(values)  # (S, T)
    lengths = np.where(present.any(axis=1), present.shape[1] - np.argmax(present[:, ::-1], axis=1), 0)  # (S,)
    if (lengths == 0).any():
        i = int(np.flatnonzero(lengths == 0)[0])
        raise DataError(f"{name}: series {ids.iloc[i]!r} ({raw.where(i)}) has no values")
    starts = _first_steps(first_step, list(ids), name)  # (S,)
    rows = np.repeat(np.arange(len(ids)), lengths)  # (R,) the wide row of each long row
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)  # (R,) position in its row
    long = pd.DataFrame({
        ID: ids.to_numpy()[rows],
        TIME: starts[rows] + offsets,
        TARGET: np.where(present[rows, offsets], values[rows, offsets], np.nan),
    })
    table = RawTable(frame=long, source=name, lines=lines[rows], index_dates=None, index_name=None)
    return panel_from_raw(table, TARGET, ID, TIME, None, fill, 1)


def read_wide_pair(train, test, fill: str | None = None) -> tuple[Panel, Panel]:
    """A training file and the test file that continues it (M4's ``*-train.csv`` and ``*-test.csv``).

    Each test series' steps continue from the last step of the same series in the
    training file.

    Raises
    ------
    DataError
        A test series with no training series of the same id (or the reverse).
    """
    history = read_wide(train, fill=fill)
    test_name = Path(as_csv_file(test).path).name
    future = read_wide(test, first_step={i: int(history.times(i)[-1]) + 1 for i in history.ids}, fill=fill)
    extra = [i for i in history.ids if i not in future]
    if extra:
        raise DataError(f"{test_name}: no row for series {extra[0]!r} of {history.source} "
                        f"({len(extra)} series missing)")
    return history, future


def _first_steps(first_step, ids: list[str], name: str) -> np.ndarray:
    if isinstance(first_step, dict):
        missing = [i for i in ids if i not in first_step]
        if missing:
            raise DataError(f"{name}: series {missing[0]!r} has no first step given ({len(missing)} series without)")
        return np.array([int(first_step[i]) for i in ids], dtype=np.int64)  # (S,)
    if isinstance(first_step, bool) or not isinstance(first_step, (int, np.integer)):
        raise ValueError(f"first_step must be an int or a dict of id -> int, got {first_step!r}")
    return np.full(len(ids), int(first_step), dtype=np.int64)  # (S,)


def _check_numbers(raw: RawTable, ids: pd.Series, column: pd.Series, name: str) -> None:
    """A DataError naming the series, line and column of the first cell that is neither a number nor empty."""
    text = column.astype(object).map(lambda v: v.strip() if isinstance(v, str) else v)
    numbers = pd.to_numeric(text, errors="coerce")
    junk = (numbers.isna() & ~text.map(is_missing)).to_numpy() | np.isinf(numbers.to_numpy(dtype=np.float64))
    if junk.any():
        i = int(np.flatnonzero(junk)[0])
        raise DataError(f"{raw.source}: series {ids.iloc[i]!r} ({raw.where(i)}), column {name!r}: "
                        f"{quote(column.iloc[i])} is not a number")
