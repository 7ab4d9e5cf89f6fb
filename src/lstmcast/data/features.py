"""Derived input features for daily price tables (Yahoo-style OHLCV CSVs).

A Yahoo Finance CSV has the columns ``Date,Open,High,Low,Close,Adj Close,Volume``.
Besides those columns, ``target=`` and ``features=`` may name a derived feature,
computed from the raw columns on the rows sorted by date:

============  ====================  ==================================================
name          needs                 value at row t
============  ====================  ==================================================
HighLow       High, Low             ``High_t - Low_t``: the day's trading range
Return        Close                 ``Close_t / Close_{t-1} - 1``: the daily return
LogVolume     Volume                ``log(1 + Volume_t)``: volume on a usable scale
============  ====================  ==================================================

``Return`` has no value on the first row, so when it is asked for, the first row
is dropped. A real column with one of these names wins over the derived feature.
Each value reads only its own row and the one before, so no feature can leak the
future into a window. The classic set-up: target ``Close``, features
``Volume`` and ``HighLow``.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, NamedTuple

import numpy as np
import pandas as pd

from lstmcast.data.csvfile import as_csv_file, read_columns
from lstmcast.data.errors import DataError, quiet_data_warnings
from lstmcast.data.frequency import check_same_frequency
from lstmcast.data.tables import SeriesTable, read_series


class DerivedFeature(NamedTuple):
    """One feature computed from raw columns."""

    needs: tuple[str, ...]  # raw columns it reads
    description: str  # one line for people
    compute: Callable[[pd.DataFrame, str], np.ndarray]  # (sorted frame, source) -> (N,) values


def _high_low(frame: pd.DataFrame, source: str) -> np.ndarray:
    return (frame["High"] - frame["Low"]).to_numpy(dtype=np.float64)  # (N,)


def _daily_return(frame: pd.DataFrame, source: str) -> np.ndarray:
    close = frame["Close"].to_numpy(dtype=np.float64)  # (N,)
    zero = np.flatnonzero(close[:-1] == 0)
    if len(zero):
        raise DataError(f"{source}: 'Return' divides by column 'Close', which is 0 on {_day(frame, zero[0])}")
    out = np.full_like(close, np.nan)  # (N,) the first row has no previous close
    out[1:] = close[1:] / close[:-1] - 1.0
    return out


def _log_volume(frame: pd.DataFrame, source: str) -> np.ndarray:
    volume = frame["Volume"].to_numpy(dtype=np.float64)  # (N,)
    negative = np.flatnonzero(volume < 0)
    if len(negative):
        raise DataError(f"{source}: 'LogVolume' needs column 'Volume' >= 0, found {volume[negative[0]]} "
                        f"on {_day(frame, negative[0])}")
    return np.log1p(volume)


DERIVED_FEATURES: dict[str, DerivedFeature] = {
    "HighLow": DerivedFeature(("High", "Low"), "High - Low, the day's trading range", _high_low),
    "Return": DerivedFeature(("Close",), "Close / previous Close - 1, the daily return", _daily_return),
    "LogVolume": DerivedFeature(("Volume",), "log(1 + Volume)", _log_volume),
}
"""Derived feature names, what each needs and how it is computed."""


def describe_derived() -> str:
    """One line listing the derived features and the columns each needs."""
    return "; ".join(f"{name} (from {', '.join(f.needs)})" for name, f in DERIVED_FEATURES.items())


def read_with_features(source, target: str, features=None, date_column: str | None = None,
                       fill: str | None = None, freq: str | None = None, like: SeriesTable | None = None
                       ) -> SeriesTable:
    """:func:`~lstmcast.data.read_series`, where ``target`` and ``features`` may name derived features.

    Parameters
    ----------
    source : str, pathlib.Path or pandas.DataFrame
    target : str
        Column to forecast (a column or a derived feature name).
    features : sequence of str, optional
        Input columns: columns of the data, or names from :data:`DERIVED_FEATURES`.
    date_column, fill, freq
        As in :func:`~lstmcast.data.read_series`; ``fill`` applies to the raw columns.
    like : SeriesTable, optional
        The table a model was fitted on: the new data must follow its frequency.

    Returns
    -------
    SeriesTable
        Columns ``[target, *features]``; ``source`` names the file as read_series does.

    Raises
    ------
    DataError
        A name that is neither a column nor a derived feature, a derived feature
        whose raw columns are missing, dates spaced otherwise than ``like``'s, or any
        problem ``read_series`` finds.
    """
    table = _read_with_features(source, target, features, date_column, fill, freq)
    if like is not None:
        check_same_frequency(table, like)
    return table


def _read_with_features(source, target: str, features, date_column, fill, freq) -> SeriesTable:
    features = () if features is None else (features,) if isinstance(features, str) else tuple(features)
    columns = columns_of(source, date_column)
    if columns is None:  # unreadable: read_series says why
        return read_series(source, target, features, date_column, fill, freq)
    wanted = (target, *features)
    derived = [name for name in wanted if name not in columns and name in DERIVED_FEATURES]
    unknown = [name for name in wanted if name not in columns and name not in DERIVED_FEATURES]
    name_of = _source_name(source)
    if unknown:
        role = "target" if unknown[0] == target else "feature"
        raise DataError(f"{name_of}: no column {unknown[0]!r} ({role}); available columns: "
                        f"{', '.join(columns)}; derived features: {describe_derived()}")
    if not derived:
        return read_series(source, target, features, date_column, fill, freq)
    if len(set(wanted)) != len(wanted):
        raise ValueError(f"features must not repeat a column or the target, got target {target!r}, features {features!r}")
    for name in derived:
        missing = [c for c in DERIVED_FEATURES[name].needs if c not in columns]
        if missing:
            raise DataError(f"{name_of}: derived feature {name!r} needs column(s) {', '.join(map(repr, missing))}; "
                            f"available columns: {', '.join(columns)}")
    raw_names = list(dict.fromkeys([n for n in wanted if n in columns]
                                   + [c for n in derived for c in DERIVED_FEATURES[n].needs]))
    raw = read_series(source, raw_names[0], raw_names[1:], date_column, fill, freq)
    frame = raw.frame.copy()
    for name in derived:
        frame[name] = DERIVED_FEATURES[name].compute(raw.frame, raw.source)
    first = int(np.argmax(frame[list(wanted)].notna().all(axis=1).to_numpy()))  # rows before have no Return
    frame = frame.iloc[first:][list(wanted)]
    with quiet_data_warnings():  # said when the raw columns were read
        table = read_series(frame, target, features, freq=raw.freq)
    return dataclasses.replace(table, source=raw.source)


def columns_of(source, date_column: str | None) -> list[str] | None:
    """The value columns of a DataFrame or CSV header (stripped); None if it cannot be read."""
    if isinstance(source, pd.DataFrame):
        return [str(c) for c in source.columns if str(c) != date_column]
    try:
        header = read_columns(source)
    except (OSError, ValueError):  # DataError included
        return None
    return [name for name in header if name != date_column]


def _source_name(source) -> str:
    return "DataFrame" if isinstance(source, pd.DataFrame) else as_csv_file(source).name


def _day(frame: pd.DataFrame, i) -> str:
    return str(frame.index[int(i)].date())

