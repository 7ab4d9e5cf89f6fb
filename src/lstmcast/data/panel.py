"""Many series in one table: the long format, one row per (series, time).

``read_panel`` turns a CSV file or a DataFrame with an id column, a time column, the
target and optional feature columns into a :class:`Panel`: every series sorted by
time and checked on its own (its dates or integer steps, its numbers, its missing
values), the series in the order they first appear.  The checks run group-wise over
the whole table sorted once (:mod:`.panel_groups`); only a series one of them speaks
of is read on its own, to fill it or to name it.  Series may start and end at
different times and have different lengths.  Every message names the file, the
series and the line (or DataFrame row).

Columns are recognised by name when not given: the id ``unique_id`` (or
``series_id``, ``id``, ``series``, ``item_id``), the time ``ds`` (or ``timestamp``,
``date``, ``time``, ``datetime``, ``step``), the target ``y`` (or the only other
column); see :mod:`.panel_columns`.  The names are those of Nixtla's libraries, which most published panels use.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from lstmcast.data.csvfile import read_csv
from lstmcast.data.date_order import check_date_format, day_first
from lstmcast.data.dates import check_unique, date_texts, default_unit, find_dates
from lstmcast.data.errors import DataError, DataWarning
from lstmcast.data.panel_cells import read_cells, read_cells_marked
from lstmcast.data.panel_groups import check_groups
from lstmcast.data.panel_columns import ID_NAMES, TIME_NAMES, find_column, find_target, names_of
from lstmcast.data.frequency import check_freq, infer_frequency, regularise, with_freq
from lstmcast.data.panel_times import (
    check_unique_steps, common_frequency, holds_steps, read_steps, regularise_steps, step_of,
)
from lstmcast.data.panel_rows import group_rows, index_as_columns, long_table
from lstmcast.data.rawtable import RawTable, from_frame
from lstmcast.data.tables import FILLS
from lstmcast.data.values import fill_missing, to_numbers
from lstmcast.data.windows import check_positive_int

__all__ = ["Panel", "check_panel_length", "panel_from_raw", "read_panel"]


@dataclass(frozen=True, eq=False)
class Panel:
    """Checked series in the long format, each sorted by time.

    Attributes
    ----------
    frame : pandas.DataFrame
        Columns ``[id_column, time_column, target, *features]``; the rows of one series
        together, in time order, the series in ``ids`` order; a RangeIndex.  Ids are
        ``str``, values float64, times dates or int64 steps.
    id_column, time_column, target : str
    features : tuple of str
    freq : str, int or None
        The pandas offset alias every dated series follows (``"h"``, ``"D"``, ...), the
        spacing of integer steps, or None when it cannot be told.
    source : str
        The file name or ``"DataFrame"``.
    ids : tuple of str
        The series, in the order they first appear in the input.
    bounds : numpy.ndarray, shape (n_series + 1,)
        Series ``k`` is ``frame`` rows ``bounds[k]:bounds[k + 1]``.
    """

    frame: pd.DataFrame
    id_column: str
    time_column: str
    target: str
    features: tuple[str, ...]
    freq: str | int | None
    source: str
    ids: tuple[str, ...]
    bounds: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self):
        return iter(self.ids)

    def __contains__(self, series_id) -> bool:
        return series_id in self._position

    def __repr__(self) -> str:
        return (f"Panel({len(self)} series, {len(self.frame)} rows, target={self.target!r}, "
                f"freq={self.freq!r}, source={self.source!r})")

    @cached_property
    def _position(self) -> dict[str, int]:
        return {name: k for k, name in enumerate(self.ids)}

    @property
    def columns(self) -> tuple[str, ...]:
        """``(target, *features)``, the order of the columns of :meth:`values`."""
        return (self.target, *self.features)

    @property
    def has_dates(self) -> bool:
        """True when the times are dates, False for integer steps."""
        return isinstance(self._time_index, pd.DatetimeIndex)

    @cached_property
    def lengths(self) -> pd.Series:
        """Rows per series, indexed by id (made once: a loop over the series reads it per series)."""
        return pd.Series(np.diff(self.bounds), index=pd.Index(self.ids, name=self.id_column), name="rows")

    def length(self, series_id: str) -> int:
        """Rows of one series."""
        rows = self.rows(series_id)
        return rows.stop - rows.start

    def rows(self, series_id: str) -> slice:
        """The ``frame`` rows of one series."""
        if series_id not in self._position:
            raise KeyError(f"{self.source}: no series {series_id!r} in the panel")
        k = self._position[series_id]
        return slice(int(self.bounds[k]), int(self.bounds[k + 1]))

    @cached_property
    def _block(self) -> np.ndarray:
        """The float64 columns ``[target, *features]`` of every row, (rows, F), read once."""
        return self.frame[list(self.columns)].to_numpy(dtype=np.float64)

    @cached_property
    def _time_index(self) -> pd.Index:
        """The times of every row, a DatetimeIndex or an Index of int64 steps, read once."""
        times = self.frame[self.time_column]
        if pd.api.types.is_datetime64_any_dtype(times):
            return pd.DatetimeIndex(times, name=self.time_column)
        return pd.Index(times.to_numpy(dtype=np.int64), name=self.time_column)

    def values(self, series_id: str) -> np.ndarray:
        """A float64 copy of one series' columns ``[target, *features]``, shape (N, F)."""
        return self._block[self.rows(series_id)].copy()

    def target_values(self, series_id: str) -> np.ndarray:
        """A float64 copy of one series' target, shape (N,)."""
        return self._block[self.rows(series_id), 0].copy()

    def times(self, series_id: str) -> pd.Index:
        """One series' times: a DatetimeIndex (with the panel's frequency) or an Index of int64 steps."""
        times = self._time_index[self.rows(series_id)]
        if self.has_dates:
            return with_freq(times, self.freq)
        return pd.Index(times.to_numpy(dtype=np.int64, copy=True), name=self.time_column)

    def future_times(self, series_id: str, n: int) -> pd.Index:
        """The ``n`` times after the end of one series, at the panel's frequency or step.

        Raises
        ------
        DataError
            When the panel's frequency is unknown (every series has fewer than 3 rows).
        """
        n = check_positive_int(n, "n")
        last = self.times(series_id)[-1]
        if self.freq is None:
            raise DataError(f"{self.source}: series {series_id!r}: cannot step past its last time: "
                            "the panel's frequency is unknown; pass freq=")
        if self.has_dates:
            offset = to_offset(self.freq)
            return pd.date_range(start=last + offset, periods=n, freq=offset, name=self.time_column)
        return pd.Index(last + self.freq * np.arange(1, n + 1, dtype=np.int64), name=self.time_column)

    def select(self, ids) -> "Panel":
        """A panel of the given series only, in the order given."""
        ids = tuple(str(i) for i in ids)
        if not ids:
            raise ValueError("select needs at least one series id")
        return self.truncated({i: self.rows(i).stop - self.rows(i).start for i in ids})

    def truncated(self, ends: dict[str, int]) -> "Panel":
        """A panel of the series in ``ends``, each cut to its first ``ends[id]`` rows (in ``ends``' order)."""
        spans = [self.rows(i) for i in ends]
        starts = np.array([span.start for span in spans], dtype=np.int64)  # (K,)
        lengths = np.array([len(range(span.start, span.stop)[: int(n)]) for span, n in zip(spans, ends.values())],
                           dtype=np.int64)  # (K,) as iloc[:n] cuts
        bounds = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)  # (K + 1,)
        rows = np.repeat(starts - bounds[:-1], lengths) + np.arange(bounds[-1])  # (rows,) one take, not K slices
        return Panel(frame=self.frame.take(rows).reset_index(drop=True), id_column=self.id_column,
                     time_column=self.time_column, target=self.target, features=self.features, freq=self.freq,
                     source=self.source, ids=tuple(str(i) for i in ends), bounds=bounds)

    def to_frame(self) -> pd.DataFrame:
        """A copy of the long table."""
        return self.frame.copy()


def read_panel(
    source: str | Path | pd.DataFrame,
    target: str | None = None,
    id_column: str | None = None,
    time_column: str | None = None,
    features: list[str] | tuple[str, ...] | None = None,
    fill: str | None = None,
    freq: str | int | None = None,
    date_format: str | None = None,
) -> Panel:
    """Read and check many series from a long table (one row per series and time).

    Parameters
    ----------
    source : str, pathlib.Path, CsvFile or pandas.DataFrame
        A CSV file with a header line, or a DataFrame (an index of id and time, e.g.
        after a ``groupby``, is read as columns).
    target : str, optional
        The column to forecast; default ``y``, or the only column besides the id,
        the time and the features.
    id_column : str, optional
        The column naming each row's series; default the first of :data:`ID_NAMES`.
        Ids are read as text.
    time_column : str, optional
        Dates, or whole numbers counting steps; default the first of :data:`TIME_NAMES`.
    features : sequence of str, optional
        Extra numeric input columns.
    fill : {None, "ffill", "interpolate"}
        What to do with missing values and with dates or steps missing inside a
        series, as :func:`~lstmcast.data.read_series`; ``None`` refuses them (a few
        missing dates only warn).
    freq : str or int, optional
        The pandas offset alias of dated series, or the spacing of integer steps;
        default inferred, one for the whole panel.
    date_format : str, optional
        The ``strftime`` format of text dates, as :func:`~lstmcast.data.read_series`;
        without it, day first or month first is decided once for the whole column.

    Returns
    -------
    Panel

    Raises
    ------
    DataError
        Any mistake in the data, in one line naming the file, the series, the column
        and the line: no id, time or target column, a missing id, a time that is not
        a date or a whole number, a time that appears twice in one series, a value
        that is not a number, a missing value (without ``fill``), series that follow
        different frequencies.
    ValueError
        Bad arguments.
    """
    if fill not in FILLS:
        raise ValueError(f"fill must be None, 'ffill' or 'interpolate', got {fill!r}")
    if isinstance(source, pd.DataFrame):
        raw = from_frame(index_as_columns(source))
    else:
        raw = read_csv(source)
    if check_date_format(date_format) is not None:
        raw = replace(raw, date_format=date_format)
    return panel_from_raw(raw, target, id_column, time_column, features, fill, freq)


def panel_from_raw(raw: RawTable, target: str | None, id_column: str | None, time_column: str | None,
                   features, fill: str | None, freq: str | int | None) -> Panel:
    """:func:`read_panel` on a table already read (its rows' lines or positions kept for messages)."""
    features = names_of(features, "features")
    id_column = find_column(raw, id_column, ID_NAMES, "id", "id_column")
    time_column = find_column(raw, time_column, TIME_NAMES, "time", "time_column")
    if id_column == time_column:
        raise ValueError(f"id_column and time_column must differ, got {id_column!r} for both")
    target = find_target(raw, target, (id_column, time_column, *features))
    for role, name in [("feature", f) for f in features]:
        if name not in raw.frame.columns:
            raise DataError(f"{raw.source}: no column {name!r} ({role}); "
                            f"available columns: {', '.join(raw.frame.columns)}")
        if name in (id_column, time_column, target):
            raise ValueError(f"features must not contain the id, time or target column, got {name!r}")
    steps = holds_steps(raw.frame[time_column])
    freq = _check_panel_freq(freq, steps)
    ids, codes = group_rows(raw, id_column)
    columns = (target, *features)
    dayfirst = False  # dates such as 01/02/2020: one reading for every series, decided on the whole column
    column = raw.frame[time_column]
    if (not steps and raw.date_format is None and not pd.api.types.is_numeric_dtype(column)
            and not pd.api.types.is_datetime64_any_dtype(column)):
        dayfirst = bool(day_first(date_texts(column), f"{raw.source}: column {time_column!r}"))
    cells = read_cells(raw, time_column, columns, steps, dayfirst)  # None: a series to name
    spoiled = None
    if cells is None and (marked := read_cells_marked(raw, time_column, columns, steps, dayfirst)) is not None:
        cells, spoiled = marked[:2], np.zeros(len(ids), dtype=bool)  # only the series with a wrong cell
        spoiled[codes[marked[2]]] = True
    if cells is None:
        groups = check_groups(None, {}, codes, len(ids), steps, freq)  # every series on its own
    else:
        groups = check_groups(*cells, codes, len(ids), steps, freq, spoiled)
    del codes
    frames, own = {}, {}
    for k in np.flatnonzero(~groups.clean).tolist():  # the series a check spoke of, read on their own
        name = ids[k]
        rows = np.sort(groups.order[groups.bounds[k]:groups.bounds[k + 1]])  # (n,) in input order
        series = raw.subset(rows, f"{raw.source}: series {name!r}")
        parsed = None
        if cells is not None and not groups.raw_cells[k]:
            parsed = (cells[0][rows], {c: v[rows] for c, v in cells[1].items()})
        frames[k], own[k] = _read_one(series, time_column, columns, steps, fill, freq, dayfirst, parsed)
    frequencies = {name: own[k] if k in own else groups.freqs[k] for k, name in enumerate(ids)}
    what = "a step" if steps else "frequency"
    panel_freq = freq if freq is not None else common_frequency(frequencies, raw.source, what)
    if steps and panel_freq is not None:
        frames = {k: regularise_steps(f, panel_freq, fill, f"{raw.source}: series {ids[k]!r}")
                  for k, f in frames.items()}
    table, bounds = long_table(ids, groups, frames, columns, id_column, time_column)
    return Panel(frame=table, id_column=id_column, time_column=time_column, target=target, features=features,
                 freq=panel_freq, source=raw.source, ids=tuple(ids), bounds=bounds)


def _read_one(raw: RawTable, time_column: str, columns: tuple[str, ...], steps: bool, fill, freq, dayfirst,
              parsed=None):
    """One series: (frame of ``columns`` indexed by its sorted times, its frequency or step).

    ``parsed``: its times and numbers already read with the whole table's (see :mod:`.panel_cells`).
    """
    if parsed is not None:
        times, data = parsed
    elif steps:
        times = read_steps(raw, time_column)  # (N,)
    else:
        times = find_dates(raw, time_column, columns, dayfirst=dayfirst)
    if steps:
        check_unique_steps(raw, times)
    else:
        check_unique(raw, times)
    if parsed is None:
        data = {name: to_numbers(raw, name, times) for name in columns}
    order = np.argsort(np.asarray(times.asi8 if not steps else times), kind="stable")  # (N,)
    index = pd.Index(times[order], name=time_column) if steps else default_unit(times[order])
    frame = pd.DataFrame({name: data[name][order] for name in columns}, index=index)
    frame = fill_missing(raw, frame, order, fill)
    if steps:
        return frame, (freq if freq is not None else step_of(frame.index.to_numpy()))
    series_freq = freq if freq is not None else infer_frequency(frame.index)
    frame, series_freq = regularise(frame, series_freq, fill, raw.source)
    frame.index = pd.DatetimeIndex(frame.index, freq=None, name=time_column)
    return frame, series_freq


def _check_panel_freq(freq, steps: bool):
    if freq is None:
        return None
    if steps:
        return check_positive_int(freq, "freq (the spacing of integer steps)")
    if not isinstance(freq, str):
        raise ValueError(f"freq must be a pandas offset alias such as 'h' or 'D' for dated series, got {freq!r}")
    return check_freq(freq)


def check_panel_length(panel: Panel, look_back: int, horizon: int, skip_short: bool = False) -> Panel:
    """The series long enough for one window of ``look_back + horizon`` rows.

    Parameters
    ----------
    panel : Panel
    look_back, horizon : int
        Input and forecast steps per window, each at least 1.
    skip_short : bool
        False: a short series is an error.  True: short series are left out, with
        one :class:`DataWarning` per series.

    Returns
    -------
    Panel
        ``panel`` itself when every series is long enough, else the long ones.

    Raises
    ------
    DataError
        A short series without ``skip_short`` (naming it and how many more), or no
        series long enough. (A fit gathers its windows batch by batch: their number is no limit.)
    """
    look_back = check_positive_int(look_back, "look_back")
    horizon = check_positive_int(horizon, "horizon")
    need = look_back + horizon
    lengths = panel.lengths
    short = lengths[lengths < need]
    if short.empty:
        return panel
    if not skip_short:
        more = f" (and {len(short) - 1} more series)" if len(short) > 1 else ""
        raise DataError(f"{panel.source}: series {short.index[0]!r} has {int(short.iloc[0])} rows; look_back + "
                        f"horizon = {need} needs at least {need}{more}; pass skip_short=True to leave such "
                        "series out")
    if len(short) == len(lengths):
        raise DataError(f"{panel.source}: no series has look_back + horizon = {need} rows (the longest has "
                        f"{int(lengths.max())})")
    for name, rows in short.items():
        warnings.warn(DataWarning(f"{panel.source}: series {name!r} has {int(rows)} rows, fewer than look_back + "
                                  f"horizon = {need}: left out"), stacklevel=2)
    return panel.select([name for name in panel.ids if lengths[name] >= need])
