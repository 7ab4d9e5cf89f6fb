"""Read a time series from a CSV file or a DataFrame, checking it on the way in.

``read_series`` turns what a person hands over (a path or a DataFrame) into a
``SeriesTable``: float64 columns ``[target, *features]`` indexed by sorted, unique
dates, with a pandas frequency alias when the dates follow one.  Everything that can
be wrong with the data raises a ``DataError`` whose one-line message names the file,
the column and the line (the header is line 1, the first data row line 2), or for a
DataFrame the 0-based row position and its date.

The pieces: :mod:`.csvfile` and :mod:`.rawtable` read what was handed over,
:mod:`.dates` finds the dates, :mod:`.values` the numbers, :mod:`.frequency` the
spacing the dates follow.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from lstmcast.data.csvfile import CsvFile, as_csv_file, read_columns, read_csv
from lstmcast.data.date_order import check_date_format
from lstmcast.data.dates import check_unique, default_unit, find_dates
from lstmcast.data.errors import DataError
from lstmcast.data.frequency import check_freq, infer_frequency, regularise, with_freq
from lstmcast.data.positions import position_row
from lstmcast.data.rawtable import DATAFRAME, format_date, from_frame
from lstmcast.data.values import fill_missing, to_numbers
from lstmcast.data.windows import check_positive_int

__all__ = ["DATAFRAME", "FILLS", "CsvFile", "SeriesTable", "check_length", "choose_target", "infer_frequency",
           "read_series", "row_position"]


FILLS = (None, "ffill", "interpolate")
"""Accepted values of ``read_series(fill=...)``."""


@dataclass(frozen=True, eq=False)
class SeriesTable:
    """A checked time series: float64 columns ``[target, *features]`` on sorted dates.

    Attributes
    ----------
    frame : pandas.DataFrame
        Columns ``[target, *features]`` as float64, indexed by a sorted, unique
        ``DatetimeIndex`` named after the date column.
    target : str
        The column to forecast; always the first column of ``frame``.
    features : tuple of str
        Extra input columns, in the order given.
    freq : str or None
        Pandas offset alias of the dates (``"MS"``, ``"D"``, ``"B"``, ``"h"``, ...), or
        ``None`` when the dates follow no frequency.
    source : str
        The file name the table came from, or ``"DataFrame"``.
    """

    frame: pd.DataFrame
    target: str
    features: tuple[str, ...]
    freq: str | None
    source: str

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def columns(self) -> tuple[str, ...]:
        """``(target, *features)``, the order of the columns of ``values``."""
        return (self.target, *self.features)

    @property
    def values(self) -> np.ndarray:
        """A float64 copy of the data, shape (N, F), with the target in column 0."""
        return self.frame.to_numpy(dtype=np.float64, copy=True)  # (N, F)

    @property
    def target_values(self) -> np.ndarray:
        """A float64 copy of the target column, shape (N,)."""
        return self.frame[self.target].to_numpy(dtype=np.float64, copy=True)  # (N,)

    @property
    def dates(self) -> pd.DatetimeIndex:
        """The sorted dates, one per row."""
        return self.frame.index

    def future_dates(self, n: int) -> pd.DatetimeIndex:
        """Return the ``n`` timestamps after the last date.

        Parameters
        ----------
        n : int
            How many future timestamps, at least 1.

        Returns
        -------
        pandas.DatetimeIndex
            At the table's frequency (business days for ``"B"``); without a frequency,
            spaced by the median spacing of the dates.

        Raises
        ------
        ValueError
            If ``n`` is not a positive integer.
        DataError
            If there is no frequency and fewer than two dates to measure a spacing.
        """
        n = check_positive_int(n, "n")
        last = self.dates[-1]
        if self.freq is not None:
            offset = to_offset(self.freq)
            return pd.date_range(start=last + offset, periods=n, freq=offset, name=self.dates.name)
        if len(self.dates) < 2:
            raise DataError(
                f"{self.source}: cannot step past the last date {format_date(last)}: "
                "one row and no frequency"
            )
        step = pd.Series(self.dates).diff().median()
        return pd.DatetimeIndex([last + step * k for k in range(1, n + 1)], name=self.dates.name)


def read_series(
    source: str | Path | pd.DataFrame,
    target: str,
    features: list[str] | tuple[str, ...] | None = None,
    date_column: str | None = None,
    fill: str | None = None,
    freq: str | None = None,
    date_format: str | None = None,
) -> SeriesTable:
    """Read and check a time series from a CSV file or a DataFrame.

    Parameters
    ----------
    source : str, pathlib.Path, CsvFile or pandas.DataFrame
        A CSV file with a header line (a :class:`CsvFile` for another separator or
        encoding), or a DataFrame with a date column, a
        ``DatetimeIndex`` or a ``PeriodIndex`` (read as each period's start).
    target : str
        Column to forecast.
    features : sequence of str, optional
        Extra numeric input columns.
    date_column : str, optional
        Column holding the dates.  When omitted: a DataFrame's ``DatetimeIndex``,
        else the first other column whose name looks like a date (date, time,
        datetime, month, timestamp, day, week, year) or whose values all parse as
        dates.
    fill : {None, "ffill", "interpolate"}
        What to do with missing values in the used columns: ``None`` raises,
        ``"ffill"`` carries the last value forward, ``"interpolate"`` interpolates
        in time between two known values.  Dates missing from the table's spacing
        (a monthly file without some months) are inserted and filled the same way;
        without ``fill`` a few missing dates give a ``DataWarning``, many a
        ``DataError`` (see :func:`lstmcast.data.frequency.regularise`).
    freq : str, optional
        Pandas offset alias; wins over the inferred frequency.
    date_format : str, optional
        The ``strftime`` format of text dates (``"%d/%m/%Y"``), winning over a
        :class:`CsvFile`'s.  Default: found from the dates; dates such as
        ``01/02/2020`` are read day first or month first as a number above 12 or
        their spacing says, and refused when neither can tell.

    Returns
    -------
    SeriesTable
        Sorted by date, columns ``[target, *features]`` as float64.

    Raises
    ------
    DataError
        Missing or empty file, a file in another separator or encoding, a column
        name that appears twice, unknown column, no or unparseable dates, dates that
        read day first or month first alike, dates in mixed time zones, duplicate
        dates, a non-numeric value, a value too large or values too close to scale,
        or (without ``fill``) a missing value or many missing dates.
    ValueError
        Bad arguments: ``features``, ``date_column``, ``fill``, ``freq`` or ``date_format``.
    """
    features = _check_features(target, features)
    if fill not in FILLS:
        raise ValueError(f"fill must be None, 'ffill' or 'interpolate', got {fill!r}")
    freq = None if freq is None else check_freq(freq)
    raw = read_csv(source) if not isinstance(source, pd.DataFrame) else from_frame(source)
    if check_date_format(date_format) is not None:
        raw = replace(raw, date_format=date_format)
    columns = (target, *features)
    for role, name in [("target", target)] + [("feature", f) for f in features]:
        if name not in raw.frame.columns:
            raise DataError(
                f"{raw.source}: no column {name!r} ({role}); "
                f"available columns: {', '.join(map(str, raw.frame.columns))}"
            )
    dates = find_dates(raw, date_column, columns)
    data = {name: to_numbers(raw, name, dates) for name in columns}
    check_unique(raw, dates)
    order = np.argsort(dates.asi8, kind="stable")  # (N,) ticks in the index's own unit
    frame = pd.DataFrame({name: data[name][order] for name in columns}, index=default_unit(dates[order]))
    frame = fill_missing(raw, frame, order, fill)  # row i of frame is raw row order[i]
    if freq is None:
        freq = infer_frequency(frame.index)
    frame, freq = regularise(frame, freq, fill, raw.source)
    frame.index = with_freq(frame.index, freq)
    return SeriesTable(frame=frame, target=target, features=features, freq=freq, source=raw.source)


def check_length(table: SeriesTable, look_back: int, horizon: int) -> None:
    """Raise a DataError unless ``table`` has at least ``look_back + horizon`` rows.

    Parameters
    ----------
    table : SeriesTable
        The data to cut into windows.
    look_back : int
        Input steps per window, at least 1.
    horizon : int
        Forecast steps per window, at least 1.

    Raises
    ------
    DataError
        If one window of ``look_back + horizon`` rows does not fit.
    ValueError
        If ``look_back`` or ``horizon`` is not a positive integer.
    """
    look_back = check_positive_int(look_back, "look_back")
    horizon = check_positive_int(horizon, "horizon")
    need = look_back + horizon
    if len(table) < need:
        raise DataError(
            f"{table.source}: column {table.target!r} has {len(table)} rows; "
            f"look_back + horizon = {need} needs at least {need}"
        )


def _check_features(target: str, features) -> tuple[str, ...]:
    if not isinstance(target, str) or not target:
        raise ValueError(f"target must be a column name (a non-empty str), got {target!r}")
    if features is None:
        return ()
    if isinstance(features, str):
        features = (features,)
    features = tuple(features)
    if not all(isinstance(f, str) for f in features):
        raise ValueError(f"features must be column names (str), got {features!r}")
    if target in features:
        raise ValueError(f"features must not contain the target {target!r}, got {features!r}")
    if len(set(features)) != len(features):
        raise ValueError(f"features must not repeat a column, got {features!r}")
    return features


def row_position(table: SeriesTable, value, name: str) -> int:
    """The row a user's ``start`` / ``end`` points at (see :func:`~lstmcast.data.positions.position_row`).

    Parameters
    ----------
    table : SeriesTable
    value : int, float, str or date-like
        A row number (negative counts from the end), a fraction of the rows in
        (0, 1), or a date (the first row at or after it); a string is read as one of these.
    name : str
        The argument's name, for the error message.

    Raises
    ------
    ValueError
        Naming ``name`` when ``value`` is none of these.
    """
    return position_row(value, len(table), table.dates, name)


def choose_target(source, target: str | None, date_column: str | None) -> str:
    """The column to forecast: ``target`` as given, or the only value column of ``source``.

    Raises
    ------
    DataError
        When ``target`` is omitted and the table has several value columns (listing
        them) or one with an empty header, or ``date_column`` is not one of its columns.
    """
    if target is not None:
        return target
    if isinstance(source, pd.DataFrame):
        name = DATAFRAME
        values = [str(c) for c in source.columns if str(c) != date_column]
    else:
        columns, name = read_columns(source), as_csv_file(source).name
        if date_column is None:
            date_column = columns[0]  # where the dates of a CSV file usually are
        if date_column not in columns:
            raise DataError(f"{name}: no column {date_column!r} (date_column); available columns: "
                            f"{', '.join(columns)}")
        values = [c for c in columns if c != date_column]
    if len(values) == 1 and not values[0].strip():
        raise DataError(f"{name}: the column to forecast has an empty header: name it in the file's first line")
    if len(values) == 1:
        return values[0]
    raise DataError(f"{name}: name the column to forecast with target=; columns: {', '.join(values)}")
