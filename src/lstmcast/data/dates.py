"""Finding and parsing the date column: one date per row, unique, at one resolution."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from lstmcast.data.date_order import day_first
from lstmcast.data.errors import DataError
from lstmcast.data.rawtable import RawTable, format_date, is_missing, quote


DATE_WORDS = frozenset({"date", "time", "datetime", "month", "timestamp", "day", "week", "year"})
"""Words that mark a column name as the date column (compared case-insensitively)."""


DATE_UNIT = pd.date_range("2000-01-01", periods=1).unit
"""Resolution of every table's dates: pandas' default ("us" in pandas 3, "ns" before)."""


def find_dates(raw: RawTable, date_column: str | None, used: tuple[str, ...],
               dayfirst: bool | None = None) -> pd.DatetimeIndex:
    """Return the parsed dates of every row, in file order.

    Dates are read with ``raw.date_format`` when there is one; else dates such as
    ``01/02/2020`` are read day first or month first as ``dayfirst`` says, or as
    :func:`~lstmcast.data.date_order.day_first` decides for the column when it is None.
    """
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
    if raw.date_format is None and dayfirst is None and not ptypes.is_numeric_dtype(column):
        dayfirst = day_first(date_texts(column), f"{raw.source}: column {date_column!r}")
    dates = parse_dates(column, raw.date_format, dayfirst)
    bad = np.flatnonzero(dates.isna())  # (k,)
    if len(bad):
        i = int(bad[0])
        value = column.iloc[i]
        what = "missing date" if is_missing(value) else f"{quote(value)} is not a date"
        if raw.date_format is not None and not is_missing(value):
            what += f" in date_format={raw.date_format!r}"
        raise DataError(f"{raw.source}: column {date_column!r} {raw.where(i)}: {what}")
    if dates.tz is not None and not ptypes.is_datetime64_any_dtype(column):
        _check_one_zone(raw, date_column, column)
    return dates.rename(date_column)


def _check_one_zone(raw: RawTable, date_column: str, column: pd.Series) -> None:
    """Refuse dates written with different UTC offsets (or some with and some without one).

    pandas would convert them all to UTC; the forecast would then be dated in UTC, not
    in the zone the person wrote, so lstmcast asks for one zone instead.
    """
    text = column.astype(str).str.strip()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            one_zone = ptypes.is_datetime64_any_dtype(pd.to_datetime(text, errors="coerce"))
    except (ValueError, TypeError):
        one_zone = False
    if one_zone:
        return
    zones = text.str.extract(r"(Z|[+-]\d\d:?\d\d)$")[0].fillna("no zone")  # (N,)
    other = int(np.flatnonzero((zones != zones.iloc[0]).to_numpy())[0])
    raise DataError(
        f"{raw.source}: column {date_column!r} mixes time zones ({raw.where(0)}: {zones.iloc[0]}, "
        f"{raw.where(other)}: {zones.iloc[other]}; daylight saving time?): a series needs one zone, or its "
        "forecast would be dated in UTC; write every date in UTC or in one offset, or pass a DataFrame "
        "whose index has a named zone (index.tz_convert('Europe/Berlin'))"
    )


def _guess_date_column(raw: RawTable, used: tuple[str, ...]) -> str:
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
    present = ~text.map(is_missing)
    if not present.any():
        return False
    if pd.to_numeric(text[present], errors="coerce").notna().all():
        return False  # numbers are values, not dates
    return not parse_dates(column)[present.to_numpy()].hasnans


def date_texts(column: pd.Series) -> pd.Series:
    """A column's cells as stripped text, None where missing."""
    text = column.astype(str).str.strip()
    return text.where(~text.map(is_missing), None)


def parse_dates(column: pd.Series, date_format: str | None = None, dayfirst: bool | None = None) -> pd.DatetimeIndex:
    """Parse a column to dates, NaT where a value is missing or not a date.

    ``date_format`` (a ``strftime`` format) reads every text cell that way;
    ``dayfirst`` reads ``01/02/2020`` as the 1st of February (True) or January 2nd.
    """
    if ptypes.is_datetime64_any_dtype(column):
        return pd.DatetimeIndex(column)
    if ptypes.is_numeric_dtype(column):
        numbers = pd.to_numeric(column, errors="coerce")
        years = numbers.where((numbers % 1 == 0) & numbers.between(1000, 9999))
        text = years.map(lambda y: "" if pd.isna(y) else str(int(y)))
        return pd.DatetimeIndex(pd.to_datetime(text, format="%Y", errors="coerce"))
    text = date_texts(column)
    options = {"format": date_format} if date_format is not None else {"dayfirst": bool(dayfirst)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "could not infer format": parsed one by one
        try:
            parsed = pd.to_datetime(text, errors="coerce", **options)
        except (ValueError, TypeError):  # e.g. mixed time zones
            parsed = pd.to_datetime(text, errors="coerce", utc=True, **options)
    if not ptypes.is_datetime64_any_dtype(parsed):
        parsed = pd.to_datetime(parsed, errors="coerce", utc=True)
    return pd.DatetimeIndex(parsed)


def check_unique(raw: RawTable, dates: pd.DatetimeIndex) -> None:
    repeated = dates.duplicated(keep=False)
    if not repeated.any():
        return
    first = dates[int(np.flatnonzero(repeated)[0])]
    rows = np.flatnonzero(dates == first)  # (k,)
    places = ", ".join(str(raw.number(int(i))) for i in rows)
    raise DataError(
        f"{raw.source}: date {format_date(first)} appears {len(rows)} times ({raw.kind}s {places})"
    )


def default_unit(dates: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Dates at the resolution ``pd.date_range`` uses, whatever the source.

    pandas stores dates at several resolutions (a file parses to one, a NumPy array may
    bring another); one resolution everywhere keeps tables from a file and from a
    DataFrame equal.  Dates that resolution cannot hold exactly keep their own.
    """
    if dates.unit == DATE_UNIT:
        return dates  # nothing to convert (the usual case: no copy of a long column)
    try:
        converted = dates.as_unit(DATE_UNIT)
    except (OverflowError, pd.errors.OutOfBoundsDatetime):
        return dates
    exact = np.array_equal(converted.as_unit(dates.unit).asi8, dates.asi8)
    return converted if exact else dates
