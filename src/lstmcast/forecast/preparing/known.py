"""Inputs known in advance (``future_features=``): which columns they are, the calendar columns
derived from the dates, and their values for the steps after the data (``forecast(future=...)``).

A future feature is a column of the data (a day-ahead forecast, a planned price) or a calendar
name (:mod:`lstmcast.data.calendar`: ``hour``, ``dayofweek``, ``holiday:DE`` ...). Both become
columns of the table or panel, after the past features, so they are encoded, scaled per series on
training rows only, and read in the look-back window like any column; the network's decoder also
reads their values at each forecast step (:class:`~lstmcast.forecast.preparing.windowing.KnownInputs`).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ...data.calendar import CYCLES, calendar_columns, calendar_values, check_calendar_names, is_calendar_name
from ...data.errors import DataError

__all__ = ["FutureSpec", "columns_read", "future_frame", "future_spec", "future_values", "with_calendar"]


@dataclasses.dataclass(frozen=True)
class FutureSpec:
    """The future features of a fit: data columns read from the table, and calendar names derived."""

    columns: tuple[str, ...] = ()  # columns of the data, known in advance
    calendar: tuple[str, ...] = ()  # calendar names (each one or two derived columns)

    @property
    def derived(self) -> tuple[str, ...]:
        """The calendar's columns."""
        return tuple(calendar_columns(self.calendar))

    @property
    def names(self) -> tuple[str, ...]:
        """Every column known in advance, in the order they follow the past features."""
        return (*self.columns, *self.derived)

    def __bool__(self) -> bool:
        return bool(self.columns or self.calendar)


def future_spec(future_features, available) -> FutureSpec:
    """``future_features`` (None, a name, or names) split into data columns and calendar names; a name
    that is a column of the data (``available``) is that column.

    Raises
    ------
    ValueError
        A repeated name, or a holiday calendar the holidays package lacks.
    DataError
        A name that is neither a column of the data nor a calendar feature.
    """
    if future_features is None:
        return FutureSpec()
    names = (future_features,) if isinstance(future_features, str) else tuple(future_features)
    if len(set(names)) != len(names):
        raise ValueError(f"future_features repeats a name: {list(names)!r}")
    columns = [str(c) for c in available]
    available = set(columns)
    calendar = tuple(n for n in names if n not in available and is_calendar_name(n))
    unknown = [n for n in names if n not in available and n not in calendar]
    if unknown and columns:
        raise DataError(f"future_features: no column {unknown[0]!r} and no calendar feature of that name; columns: "
                        f"{', '.join(columns[:20])}; calendar features: {', '.join(CYCLES)}, holiday:CC")
    return FutureSpec(tuple(n for n in names if n not in calendar), check_calendar_names(calendar))


def columns_read(features, derived) -> list[str]:
    """The ``features`` a model reads from new data: all but the ``derived`` ones (the calendar's columns,
    a panel's encoded static attributes), which are made again from the dates and the raw values."""
    return [name for name in features if name not in derived]


def with_calendar(table, calendar: tuple[str, ...]):
    """``table`` (a SeriesTable or a Panel) with the calendar columns of ``calendar`` added after its
    features (computed from its dates; a Panel's are its time column)."""
    columns = calendar_columns(calendar)
    if not columns or all(name in table.features for name in columns):  # none asked, or added already
        return table
    frame = table.frame.copy()
    if hasattr(table, "time_column"):  # a Panel
        times = pd.DatetimeIndex(frame[table.time_column]) if table.has_dates else frame[table.time_column]
        values = calendar_values(calendar, times, table.source)  # (rows, C)
    else:
        values = calendar_values(calendar, table.dates, table.source)  # (N, C)
    for k, name in enumerate(columns):
        frame[name] = values[:, k]
    return dataclasses.replace(table, frame=frame, features=(*table.features, *columns))


def future_values(spec: FutureSpec, frame: pd.DataFrame | None, dates: pd.Index, source: str) -> np.ndarray:
    """The known values (m, K) for the steps at ``dates`` (m,) after a series' data: its data columns read
    from ``frame`` (indexed by those dates) and its calendar computed from the dates.

    Raises
    ------
    DataError
        ``frame`` missing (with data columns to read), a column, a date, or a value that is not a
        finite number, naming it.
    """
    blocks = []
    if spec.columns:
        if frame is None:
            raise DataError(f"{source}: the forecast needs the next {len(dates)} values of "
                            f"{', '.join(map(repr, spec.columns))}, known in advance: give them with future=")
        missing = [name for name in spec.columns if name not in frame.columns]
        if missing:
            raise DataError(f"{source}: future= has no column {missing[0]!r} (a future feature of this model)")
        absent = dates.difference(frame.index)
        if len(absent):
            raise DataError(f"{source}: future= has no row for {absent[0]} ({len(absent)} of the {len(dates)} "
                            f"forecast times missing)")
        rows = frame.loc[dates, list(spec.columns)]
        numbers = rows.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=np.float64)  # (m, K_data)
        bad = np.argwhere(~np.isfinite(numbers))
        if len(bad):
            r, c = bad[0]
            raise DataError(f"{source}: future= column {spec.columns[c]!r} at {dates[r]} is "
                            f"{rows.iloc[r, c]!r}, not a finite number")
        blocks.append(numbers)
    if spec.calendar:
        blocks.append(calendar_values(spec.calendar, dates, source))  # (m, C)
    return np.concatenate(blocks, axis=1)  # (m, K)


def future_frame(future, time_column: str | None, id_column: str | None = None) -> pd.DataFrame | None:
    """``forecast(future=...)`` (a DataFrame or a CSV path) as a frame indexed by time (with the id as a
    column for many series): its index when it holds dates, else its column ``time_column`` (or ``ds``,
    ``date``, ``time``, ``timestamp``). None stays None.

    Raises
    ------
    DataError
        No time column, or times that are not dates, naming it.
    """
    if future is None:
        return None
    source = "future=" if isinstance(future, pd.DataFrame) else f"future={str(future)!r}"
    if not isinstance(future, pd.DataFrame):
        try:
            future = pd.read_csv(future, skipinitialspace=True)
        except (OSError, ValueError) as error:
            raise DataError(f"{source}: cannot read it ({error})") from None
    frame = future.copy()
    if id_column is None and isinstance(frame.index, pd.DatetimeIndex):
        return frame
    names = [n for n in (time_column, "ds", "date", "time", "timestamp", "Date") if n is not None]
    column = next((n for n in names if n in frame.columns), None)
    if column is None:
        raise DataError(f"{source}: no time column (looked for {', '.join(map(repr, dict.fromkeys(names)))})")
    try:
        times = pd.DatetimeIndex(pd.to_datetime(frame[column]))
    except (ValueError, TypeError):
        raise DataError(f"{source}: column {column!r} does not hold dates") from None
    frame = frame.drop(columns=[column])
    frame.index = times
    if id_column is not None and id_column not in frame.columns:
        raise DataError(f"{source}: no column {id_column!r} naming each row's series")
    return frame
