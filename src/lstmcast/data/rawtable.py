"""The untouched input of :func:`~lstmcast.data.read_series`: the original columns, where each
row came from (file line or DataFrame position), and the small text helpers its messages use.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lstmcast.data.errors import DataError


MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "-nan", "null", "none", "nat", "<na>", "#n/a"})
"""Cell texts (after stripping spaces, case-insensitive) read as a missing value."""


DATAFRAME = "DataFrame"
"""The ``source`` name of a table read from a DataFrame."""


@dataclass(frozen=True, eq=False)
class RawTable:
    """The untouched input: original columns, where each row came from, any index dates."""

    frame: pd.DataFrame  # original columns, RangeIndex
    source: str  # file name or "DataFrame"
    lines: np.ndarray | None  # (N,) 1-based file line of each row; None for a DataFrame
    index_dates: pd.DatetimeIndex | None  # a DataFrame's DatetimeIndex
    index_name: str | None  # its name
    positions: np.ndarray | None = None  # (N,) 0-based DataFrame row of each row of a subset; None: 0 .. N-1
    date_format: str | None = None  # strftime format of the dates (CsvFile.date_format, date_format=)

    @property
    def kind(self) -> str:
        """How rows are counted: ``"line"`` in a file, ``"row"`` (0-based) in a DataFrame."""
        return "line" if self.lines is not None else "row"

    def number(self, i: int) -> int:
        """The file line (header = line 1) or DataFrame row position of row ``i``."""
        if self.lines is not None:
            return int(self.lines[i])
        return int(self.positions[i]) if self.positions is not None else int(i)

    def where(self, i: int, date: pd.Timestamp | int | None = None) -> str:
        """Describe row ``i``: ``"line 7"`` for a file, ``"row 5"`` for a DataFrame.

        With its time: ``"line 7 (2020-01-05)"``, or ``"line 7 (step 12)"`` for an integer step.
        """
        place = f"{self.kind} {self.number(i)}"
        if isinstance(date, (int, np.integer)) and not isinstance(date, (bool, np.bool_)):
            return f"{place} (step {int(date)})"
        return place if date is None or pd.isna(date) else f"{place} ({format_date(date)})"

    def subset(self, rows: np.ndarray, source: str) -> "RawTable":
        """The rows ``rows`` (0-based, in the given order) as a table of their own named ``source``.

        Messages about the subset still name the file line or DataFrame row of the whole table.
        """
        return RawTable(
            frame=self.frame.iloc[rows].reset_index(drop=True),
            source=source,
            lines=None if self.lines is None else self.lines[rows],
            index_dates=None if self.index_dates is None else self.index_dates[rows],
            index_name=self.index_name,
            positions=None if self.lines is not None else self._positions(rows),
            date_format=self.date_format,
        )

    def _positions(self, rows: np.ndarray) -> np.ndarray:
        """The DataFrame row positions of ``rows`` (0-based, of this table), int64 (n,)."""
        rows = np.asarray(rows, dtype=np.int64)
        return rows.copy() if self.positions is None else self.positions[rows]


def from_frame(df: pd.DataFrame) -> RawTable:
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
    check_unique_names(list(frame.columns), DATAFRAME)
    return RawTable(frame=frame, source=DATAFRAME, lines=None, index_dates=index_dates, index_name=index_name)


def check_unique_names(names: list[str], source: str) -> None:
    """Raise a DataError naming the first column name that appears more than once."""
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if name in seen:
            raise DataError(f"{source}: column name {name!r} appears twice (columns {seen[name]} and {position}); "
                            "rename one so each column has its own name")
        seen[name] = position


def is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().lower() in MISSING_TOKENS
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def quote(value, limit: int = 40) -> str:
    text = repr(value.strip() if isinstance(value, str) else value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def format_date(date: pd.Timestamp) -> str:
    date = pd.Timestamp(date)
    return date.strftime("%Y-%m-%d") if date == date.normalize() else str(date)
