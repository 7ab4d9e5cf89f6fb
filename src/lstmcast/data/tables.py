"""Read a time series from a CSV file or a DataFrame, checking it on the way in.

``read_series`` turns what a person hands over (a path or a DataFrame) into a
``SeriesTable``: float64 columns ``[target, *features]`` indexed by sorted, unique
dates, with a pandas frequency alias when the dates follow one.  Everything that can
be wrong with the data raises a ``DataError`` whose one-line message names the file,
the column and the line (the header is line 1, the first data row line 2), or for a
DataFrame the 0-based row position and its date.

Frequency is taken from the ``freq`` argument, else from ``pandas.infer_freq``, else
from two cases real data often hits:

- daily data on weekdays only, with holidays missing (stock prices): ``"B"``;
- a regular grid with a few timestamps missing (a daily series that skips Dec 31 of
  leap years, a monthly series with a gap): the alias of the usual spacing (``"D"``,
  ``"h"``, ``"MS"``, ...).

Otherwise the frequency is ``None`` and ``future_dates`` steps by the median spacing.
"""

from __future__ import annotations

import csv
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api import types as ptypes
from pandas.tseries.frequencies import to_offset

from lstmcast.data.errors import DataError
from lstmcast.data.windows import check_positive_int

DATE_WORDS = frozenset({"date", "time", "datetime", "month", "timestamp", "day", "week", "year"})
"""Words that mark a column name as the date column (compared case-insensitively)."""

MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "-nan", "null", "none", "nat", "<na>", "#n/a"})
"""Cell texts (after stripping spaces, case-insensitive) read as a missing value."""

FILLS = (None, "ffill", "interpolate")
"""Accepted values of ``read_series(fill=...)``."""

REGULAR_COVERAGE = 0.9
"""Share of a regular grid's timestamps that must be present to call it that grid."""

DATE_UNIT = pd.date_range("2000-01-01", periods=1).unit
"""Resolution of every table's dates: pandas' default ("us" in pandas 3, "ns" before)."""

DATAFRAME = "DataFrame"
"""The ``source`` name of a table read from a DataFrame."""


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
                f"{self.source}: cannot step past the last date {_format_date(last)}: "
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
) -> SeriesTable:
    """Read and check a time series from a CSV file or a DataFrame.

    Parameters
    ----------
    source : str, pathlib.Path or pandas.DataFrame
        A CSV file with a header line, or a DataFrame with a date column, a
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
        in time between two known values.
    freq : str, optional
        Pandas offset alias; wins over the inferred frequency.

    Returns
    -------
    SeriesTable
        Sorted by date, columns ``[target, *features]`` as float64.

    Raises
    ------
    DataError
        Missing or empty file, unknown column, no or unparseable dates, duplicate
        dates, a non-numeric value or (without ``fill``) a missing value.
    ValueError
        Bad arguments: ``features``, ``date_column``, ``fill`` or ``freq``.
    """
    features = _check_features(target, features)
    if fill not in FILLS:
        raise ValueError(f"fill must be None, 'ffill' or 'interpolate', got {fill!r}")
    freq = None if freq is None else _check_freq(freq)
    raw = _read_csv(source) if not isinstance(source, pd.DataFrame) else _from_frame(source)
    columns = (target, *features)
    for role, name in [("target", target)] + [("feature", f) for f in features]:
        if name not in raw.frame.columns:
            raise DataError(
                f"{raw.source}: no column {name!r} ({role}); "
                f"available columns: {', '.join(map(str, raw.frame.columns))}"
            )
    dates = _find_dates(raw, date_column, columns)
    data = {name: _to_numbers(raw, name, dates) for name in columns}
    _check_unique(raw, dates)
    order = np.argsort(dates.asi8, kind="stable")  # (N,) ticks in the index's own unit
    frame = pd.DataFrame({name: data[name][order] for name in columns}, index=_default_unit(dates[order]))
    frame = _fill_missing(raw, frame, order, fill)  # row i of frame is raw row order[i]
    if freq is None:
        freq = infer_frequency(frame.index)
    frame.index = _with_freq(frame.index, freq)
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


def infer_frequency(dates: pd.DatetimeIndex) -> str | None:
    """Return the pandas offset alias the sorted, unique ``dates`` follow, or None.

    Tries ``pandas.infer_freq``; then weekday-only daily dates with holidays
    missing (``"B"``); then a regular grid of months or of a fixed spacing with a
    few timestamps missing (the alias of the usual spacing).

    Parameters
    ----------
    dates : pandas.DatetimeIndex
        Sorted ascending, no duplicates.

    Returns
    -------
    str or None
    """
    if len(dates) < 3:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas 3 warns that infer_freq will return an offset
        inferred = pd.infer_freq(dates)
    if inferred is not None:
        return to_offset(inferred).freqstr
    for guess in (_business_days, _month_grid, _fixed_grid):
        alias = guess(dates)
        if alias is not None:
            return alias
    return None


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True, eq=False)
class _Raw:
    """The untouched input: original columns, where each row came from, any index dates."""

    frame: pd.DataFrame  # original columns, RangeIndex
    source: str  # file name or "DataFrame"
    lines: np.ndarray | None  # (N,) 1-based file line of each row; None for a DataFrame
    index_dates: pd.DatetimeIndex | None  # a DataFrame's DatetimeIndex
    index_name: str | None  # its name

    @property
    def kind(self) -> str:
        """How rows are counted: ``"line"`` in a file, ``"row"`` (0-based) in a DataFrame."""
        return "line" if self.lines is not None else "row"

    def number(self, i: int) -> int:
        """The file line (header = line 1) or DataFrame row position of row ``i``."""
        return int(self.lines[i]) if self.lines is not None else int(i)

    def where(self, i: int, date: pd.Timestamp | None = None) -> str:
        """Describe row ``i``: ``"line 7"`` for a file, ``"row 5"`` for a DataFrame."""
        place = f"{self.kind} {self.number(i)}"
        return place if date is None or pd.isna(date) else f"{place} ({_format_date(date)})"


def _read_csv(path: str | Path) -> _Raw:
    if not isinstance(path, (str, Path)):
        raise ValueError(f"source must be a path or a pandas DataFrame, got {type(path).__name__}")
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file")
    if not path.is_file():
        raise DataError(f"{path}: not a file")
    name = path.name
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)  # a row longer than the header
            frame = pd.read_csv(
                path,
                dtype=str,
                index_col=False,  # never take the first column as an index
                na_filter=False,
                keep_default_na=False,
                skip_blank_lines=False,
                skipinitialspace=True,
                encoding="utf-8-sig",
            )
    except pd.errors.EmptyDataError:
        raise DataError(f"{name}: the file is empty") from None
    except (pd.errors.ParserWarning, pd.errors.ParserError) as err:
        line, n_fields, n_header = _first_long_row(path)
        if line:
            raise DataError(f"{name}: line {line} has {n_fields} fields but the header has {n_header}") from None
        raise DataError(f"{name}: cannot read as CSV: {str(err).strip()}") from None
    except UnicodeDecodeError:
        raise DataError(f"{name}: not a UTF-8 text file") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    lines = np.arange(len(frame)) + 2  # (N,) header is line 1
    blank = frame.apply(lambda col: col.isna() | (col.fillna("").str.strip() == "")).all(axis=1)
    frame = frame.loc[~blank.to_numpy()].reset_index(drop=True)
    lines = lines[~blank.to_numpy()]
    if len(frame) == 0:
        raise DataError(f"{name}: no data rows, only the header line")
    return _Raw(frame=frame, source=name, lines=lines, index_dates=None, index_name=None)


def _first_long_row(path: Path) -> tuple[int, int, int]:
    """(line, fields, header fields) of the first row with more fields than the header."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, skipinitialspace=True)
        n_header = len(next(reader))
        for row in reader:
            if len(row) > n_header:
                return reader.line_num, len(row), n_header
    return 0, 0, n_header  # the parser failed for another reason


def _from_frame(df: pd.DataFrame) -> _Raw:
    if len(df) == 0:
        raise DataError(f"{DATAFRAME}: no data rows")
    index = df.index
    if isinstance(index, pd.PeriodIndex):
        index = index.to_timestamp()  # (N,) the start of each period
    index_dates = index_name = None
    if isinstance(index, pd.DatetimeIndex):
        index_dates = pd.DatetimeIndex(index, freq=None)
        index_name = str(index.name) if index.name is not None else "date"
        frame = df.reset_index(drop=True)
    elif index.name is not None and index.name not in df.columns:
        frame = df.reset_index()  # a named index (say "Date" as text) becomes a column
    else:
        frame = df.reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    return _Raw(frame=frame, source=DATAFRAME, lines=None, index_dates=index_dates, index_name=index_name)


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


def _check_freq(freq) -> str:
    try:
        return to_offset(freq).freqstr
    except (ValueError, TypeError):
        raise ValueError(f"freq must be a pandas offset alias such as 'D', 'B', 'MS' or 'h', got {freq!r}") from None


# --------------------------------------------------------------------------- dates


def _find_dates(raw: _Raw, date_column: str | None, used: tuple[str, ...]) -> pd.DatetimeIndex:
    """Return the parsed dates of every row, in file order."""
    if date_column is not None and date_column in used:
        raise ValueError(f"date_column must not be the target or a feature, got {date_column!r}")
    if raw.index_dates is not None and (date_column is None or date_column == raw.index_name):
        if raw.index_dates.hasnans:
            i = int(np.flatnonzero(raw.index_dates.isna())[0])
            raise DataError(f"{raw.source}: index {raw.index_name!r} {raw.where(i)}: missing date")
        return raw.index_dates.rename(raw.index_name)
    if date_column is None:
        date_column = _guess_date_column(raw, used)
    elif date_column not in raw.frame.columns:
        raise DataError(
            f"{raw.source}: no column {date_column!r} (date_column); "
            f"available columns: {', '.join(raw.frame.columns)}"
        )
    column = raw.frame[date_column]
    dates = _parse_dates(column)
    bad = np.flatnonzero(dates.isna())  # (k,)
    if len(bad):
        i = int(bad[0])
        value = column.iloc[i]
        what = "missing date" if _is_missing(value) else f"{_quote(value)} is not a date"
        raise DataError(f"{raw.source}: column {date_column!r} {raw.where(i)}: {what}")
    return dates.rename(date_column)


def _guess_date_column(raw: _Raw, used: tuple[str, ...]) -> str:
    candidates = [c for c in raw.frame.columns if c not in used]
    for name in candidates:
        if _looks_like_date_name(name) or _parses_as_dates(raw.frame[name]):
            return name
    raise DataError(
        f"{raw.source}: no date column found (no column named like "
        f"{'/'.join(sorted(DATE_WORDS))} or holding dates) among "
        f"{', '.join(raw.frame.columns)}; pass date_column"
    )


def _looks_like_date_name(name: str) -> bool:
    words = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", name)  # "orderDate" -> order, Date
    return any(w.lower() in DATE_WORDS for w in words)


def _parses_as_dates(column: pd.Series) -> bool:
    if ptypes.is_datetime64_any_dtype(column):
        return True
    if ptypes.is_numeric_dtype(column) or ptypes.is_bool_dtype(column):
        return False
    text = column.astype(str).str.strip()
    present = ~text.map(_is_missing)
    if not present.any():
        return False
    if pd.to_numeric(text[present], errors="coerce").notna().all():
        return False  # numbers are values, not dates
    return not _parse_dates(column)[present.to_numpy()].hasnans


def _parse_dates(column: pd.Series) -> pd.DatetimeIndex:
    """Parse a column to dates, NaT where a value is missing or not a date."""
    if ptypes.is_datetime64_any_dtype(column):
        return pd.DatetimeIndex(column)
    if ptypes.is_numeric_dtype(column):
        numbers = pd.to_numeric(column, errors="coerce")
        years = numbers.where((numbers % 1 == 0) & numbers.between(1000, 9999))
        text = years.map(lambda y: "" if pd.isna(y) else str(int(y)))
        return pd.DatetimeIndex(pd.to_datetime(text, format="%Y", errors="coerce"))
    text = column.astype(str).str.strip()
    text = text.where(~text.map(_is_missing), None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "could not infer format": parsed one by one
        try:
            parsed = pd.to_datetime(text, errors="coerce")
        except (ValueError, TypeError):  # e.g. mixed time zones
            parsed = pd.to_datetime(text, errors="coerce", utc=True)
    if not ptypes.is_datetime64_any_dtype(parsed):
        parsed = pd.to_datetime(parsed, errors="coerce", utc=True)
    return pd.DatetimeIndex(parsed)


def _check_unique(raw: _Raw, dates: pd.DatetimeIndex) -> None:
    repeated = dates.duplicated(keep=False)
    if not repeated.any():
        return
    first = dates[int(np.flatnonzero(repeated)[0])]
    rows = np.flatnonzero(dates == first)  # (k,)
    places = ", ".join(str(raw.number(int(i))) for i in rows)
    raise DataError(
        f"{raw.source}: date {_format_date(first)} appears {len(rows)} times ({raw.kind}s {places})"
    )


# --------------------------------------------------------------------------- numbers


def _to_numbers(raw: _Raw, name: str, dates: pd.DatetimeIndex) -> np.ndarray:
    """Convert one column to float64, NaN where missing; junk raises a DataError."""
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
    missing = text.map(_is_missing).to_numpy(dtype=bool)  # (N,)
    numbers = pd.to_numeric(text.where(~missing, None), errors="coerce").to_numpy(dtype=np.float64)  # (N,)
    bad = np.flatnonzero((~missing & np.isnan(numbers)) | np.isinf(numbers))
    if len(bad):
        i = int(bad[0])
        value = column.iloc[i]
        hint = ""
        if isinstance(value, str) and re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?", value.strip()):
            hint = " (remove the thousands separators)"
        raise DataError(
            f"{raw.source}: column {name!r} {raw.where(i, dates[i])}: {_quote(value)} is not a number{hint}"
        )
    return numbers


def _fill_missing(raw: _Raw, frame: pd.DataFrame, positions: np.ndarray, fill: str | None) -> pd.DataFrame:
    """Apply ``fill`` and raise a DataError for any missing value it leaves."""
    if fill == "ffill":
        frame = frame.ffill()
    elif fill == "interpolate":
        frame = frame.interpolate(method="time", limit_area="inside")
    for name in frame.columns:
        gaps = np.flatnonzero(frame[name].isna().to_numpy())  # (k,)
        if not len(gaps):
            continue
        i = int(gaps[0])
        where = raw.where(int(positions[i]), frame.index[i])
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


# --------------------------------------------------------------------------- frequency


def _business_days(dates: pd.DatetimeIndex) -> str | None:
    """``"B"`` for midnight, weekday-only dates spanning weekends, few weekdays missing."""
    if not (dates == dates.normalize()).all() or (dates.day_of_week >= 5).any():
        return None
    if (dates[-1] - dates[0]).days < 7:
        return None
    grid = pd.bdate_range(dates[0], dates[-1])
    return "B" if len(dates) >= REGULAR_COVERAGE * len(grid) else None


def _month_grid(dates: pd.DatetimeIndex) -> str | None:
    """``"MS"`` / ``"ME"`` (or ``"3MS"`` ...) for month starts or ends with a few missing."""
    if not (dates == dates.normalize()).all():
        return None
    if (dates.day == 1).all():
        anchor = "MS"
    elif dates.is_month_end.all():
        anchor = "ME"
    else:
        return None
    months = np.asarray(dates.year * 12 + dates.month, dtype=np.int64)  # (N,)
    step = _grid_step(months)
    if step is None:
        return None
    return anchor if step == 1 else f"{step}{anchor}"


def _fixed_grid(dates: pd.DatetimeIndex) -> str | None:
    """The alias of the usual spacing when every gap is a multiple of it, few missing."""
    ticks = dates.asi8  # (N,) in units of dates.unit
    step = _grid_step(ticks)
    if step is None:
        return None
    delta = pd.Timedelta(step, unit=dates.unit)
    day = pd.Timedelta(days=1)
    if delta % day == pd.Timedelta(0):
        days = delta // day
        return "D" if days == 1 else f"{days}D"
    return to_offset(delta).freqstr


def _grid_step(ticks: np.ndarray) -> int | None:
    """The modal spacing of sorted integer ``ticks`` if they sit on its grid, few missing."""
    gaps = np.diff(ticks)  # (N-1,)
    if len(gaps) == 0 or (gaps <= 0).any():
        return None
    values, counts = np.unique(gaps, return_counts=True)
    step = int(values[np.argmax(counts)])
    if (gaps % step != 0).any():
        return None
    slots = (ticks[-1] - ticks[0]) // step + 1
    return step if len(ticks) >= REGULAR_COVERAGE * slots else None


def _default_unit(dates: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Dates at the resolution ``pd.date_range`` uses, whatever the source.

    pandas stores dates at several resolutions (a file parses to one, a NumPy array may
    bring another); one resolution everywhere keeps tables from a file and from a
    DataFrame equal.  Dates that resolution cannot hold exactly keep their own.
    """
    try:
        converted = dates.as_unit(DATE_UNIT)
    except (OverflowError, pd.errors.OutOfBoundsDatetime):
        return dates
    exact = np.array_equal(converted.as_unit(dates.unit).asi8, dates.asi8)
    return converted if exact else dates


def _with_freq(index: pd.DatetimeIndex, freq: str | None) -> pd.DatetimeIndex:
    """Attach ``freq`` to the index when every step follows it (no gaps); else leave it off."""
    if freq is None:
        return index
    try:
        return pd.DatetimeIndex(index, freq=freq)
    except ValueError:
        return pd.DatetimeIndex(index, freq=None)


# --------------------------------------------------------------------------- small pieces


def _is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().lower() in MISSING_TOKENS
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _quote(value, limit: int = 40) -> str:
    text = repr(value.strip() if isinstance(value, str) else value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def _format_date(date: pd.Timestamp) -> str:
    date = pd.Timestamp(date)
    return date.strftime("%Y-%m-%d") if date == date.normalize() else str(date)


def row_position(table: SeriesTable, value, name: str) -> int:
    """The row a user's ``start`` / ``end`` points at.

    Parameters
    ----------
    table : SeriesTable
    value : int, float or date-like
        A row number (negative counts from the end), a fraction of the rows in
        (0, 1), or a date (the first row at or after it).
    name : str
        The argument's name, for the error message.

    Raises
    ------
    ValueError
        Naming ``name`` when ``value`` is none of these.
    """
    n = len(table)
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be a row number, a fraction in (0, 1) or a date, got {value!r}")
    if isinstance(value, (int, np.integer)):
        return int(value) if value >= 0 else n + int(value)
    if isinstance(value, (float, np.floating)):
        if not 0.0 < value < 1.0:
            raise ValueError(f"{name} as a fraction of the rows must be in (0, 1), got {value!r}")
        return int(round(value * n))
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        stamp = None
    if stamp is None or pd.isna(stamp):
        raise ValueError(f"{name} must be a row number, a fraction in (0, 1) or a date, got {value!r}")
    return int(table.dates.searchsorted(stamp))
