"""Which columns of a long table are the series id, the time and the target, when not named."""

from __future__ import annotations

from lstmcast.data.errors import DataError
from lstmcast.data.rawtable import RawTable

__all__ = ["ID_NAMES", "TARGET_NAME", "TIME_NAMES", "find_column", "find_target", "names_of"]

ID_NAMES = ("unique_id", "series_id", "id", "series", "item_id")
"""Column names taken as the series id when ``id_column`` is not given (case-insensitive, in this order)."""

TIME_NAMES = ("ds", "timestamp", "date", "time", "datetime", "step")
"""Column names taken as the time when ``time_column`` is not given (case-insensitive, in this order)."""

TARGET_NAME = "y"
"""The target column's name when ``target`` is not given and the table has it."""


def check_given(raw: RawTable, given, argument: str) -> str:
    """``given`` if it names a column of ``raw``; a one-line error naming ``argument`` otherwise."""
    if not isinstance(given, str) or not given:
        raise ValueError(f"{argument} must be a column name (a non-empty str), got {given!r}")
    columns = list(raw.frame.columns)
    if given not in columns:
        raise DataError(f"{raw.source}: no column {given!r} ({argument}); available columns: {', '.join(columns)}")
    return given


def find_column(raw: RawTable, given: str | None, names: tuple[str, ...], role: str, argument: str) -> str:
    """``given`` when it is a column of ``raw``, else the first column named like ``names`` (any case)."""
    if given is not None:
        return check_given(raw, given, argument)
    columns = list(raw.frame.columns)
    lower = {c.lower(): c for c in reversed(columns)}
    for name in names:
        if name in lower:
            return lower[name]
    raise DataError(f"{raw.source}: no {role} column (none named {', '.join(names)}) among {', '.join(columns)}; "
                    f"pass {argument}=")


def find_target(raw: RawTable, target: str | None, taken: tuple[str, ...]) -> str:
    """``target`` as given, else ``y``, else the only column not ``taken`` by the id, time and features."""
    columns = list(raw.frame.columns)
    if target is not None:
        check_given(raw, target, "target")
        if target in taken:
            raise ValueError(f"target must not be the id, time or a feature column, got {target!r}")
        return target
    if TARGET_NAME in columns and TARGET_NAME not in taken:
        return TARGET_NAME
    rest = [c for c in columns if c not in taken]
    if len(rest) == 1:
        return rest[0]
    raise DataError(f"{raw.source}: name the column to forecast with target=; columns besides the id and time: "
                    f"{', '.join(rest) or 'none'}")


def names_of(features, argument: str) -> tuple[str, ...]:
    """A column name or a sequence of them as a tuple, checked."""
    if features is None:
        return ()
    if isinstance(features, str):
        features = (features,)
    features = tuple(features)
    if not all(isinstance(f, str) and f for f in features):
        raise ValueError(f"{argument} must be column names (str), got {features!r}")
    if len(set(features)) != len(features):
        raise ValueError(f"{argument} must not repeat a column, got {features!r}")
    return features
