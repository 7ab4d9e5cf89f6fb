"""Resume only on the data a model was fitted on.

A resumed fit keeps the model's scaler, its validation rows and its optimiser state;
on other data it would go on with statistics of a file it no longer reads, without a
word. The fitted table (or panel) is saved in the model folder, so a resumed fit
compares the data it is given with it, row by row, and names the first difference.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...data.errors import DataError
from ...data.panel import Panel
from ...data.rawtable import format_date

__all__ = ["check_same_data"]


def check_same_data(new, fitted) -> None:
    """Raise a DataError unless ``new`` holds the same rows as ``fitted``.

    Parameters
    ----------
    new, fitted : SeriesTable or Panel
        The data given to the resumed fit, and the data the model was fitted on.

    Raises
    ------
    DataError
        One line naming both sources and the first difference: the columns, the
        number of rows, a date or a value.
    """
    reason = _panel_difference(new, fitted) if isinstance(fitted, Panel) else _table_difference(new, fitted)
    if reason is None:
        return
    raise DataError(f"{new.source}: resume continues the model fitted on {fitted.source}, but {reason}; its scaler "
                    f"and validation rows come from {fitted.source}: resume with that file, or fit a new model")


def _table_difference(new, fitted) -> str | None:
    if new.columns != fitted.columns:
        return f"the columns are {', '.join(new.columns)}, not {', '.join(fitted.columns)}"
    if len(new) != len(fitted):
        return f"it has {len(new)} rows, not {len(fitted)}"
    dates = _ticks(new.dates) != _ticks(fitted.dates)  # (N,)
    if dates.any():
        i = int(np.argmax(dates))
        return f"row {i} is dated {format_date(new.dates[i])}, not {format_date(fitted.dates[i])}"
    return _value_difference(new.values, fitted.values, new.columns, lambda i: format_date(new.dates[i]))


def _panel_difference(new, fitted: Panel) -> str | None:
    if not isinstance(new, Panel) or new.columns != fitted.columns:
        return f"the columns are {', '.join(new.columns)}, not {', '.join(fitted.columns)}"
    if new.ids != fitted.ids or not np.array_equal(new.bounds, fitted.bounds):
        return f"it has {len(new)} series of {len(new.frame)} rows, not {len(fitted)} of {len(fitted.frame)}"
    times_new, times_fitted = new.frame[new.time_column], fitted.frame[fitted.time_column]
    times = _ticks(times_new) != _ticks(times_fitted)  # (R,)
    if times.any():
        i = int(np.argmax(times))
        return f"{_series_row(new, i)} is at {times_new.iloc[i]}, not {times_fitted.iloc[i]}"
    values = [new.frame[c].to_numpy(np.float64) for c in new.columns]
    return _value_difference(np.stack(values, axis=1), np.stack([fitted.frame[c].to_numpy(np.float64)
                                                                 for c in fitted.columns], axis=1),
                             new.columns, lambda i: _series_row(new, i))


def _value_difference(new: np.ndarray, fitted: np.ndarray, columns, where) -> str | None:
    """The first cell where the (N, F) arrays differ (NaN equals NaN), described; None when none does."""
    differ = ~((new == fitted) | (np.isnan(new) & np.isnan(fitted)))  # (N, F)
    if not differ.any():
        return None
    i, j = (int(v) for v in np.argwhere(differ)[0])
    return f"column {columns[j]!r} at {where(i)} holds {new[i, j]:.6g}, not {fitted[i, j]:.6g}"


def _series_row(panel: Panel, i: int) -> str:
    k = int(np.searchsorted(panel.bounds, i, side="right") - 1)
    return f"series {panel.ids[k]!r} row {i - int(panel.bounds[k])}"


def _ticks(times) -> np.ndarray:
    """Dates as int64 nanoseconds (UTC), integer steps as they are."""
    if pd.api.types.is_datetime64_any_dtype(times):
        return pd.DatetimeIndex(times).as_unit("ns").asi8
    return np.asarray(times, dtype=np.int64)
