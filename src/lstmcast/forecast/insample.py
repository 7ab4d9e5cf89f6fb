"""Which evaluation windows a fitted model has already seen.

A window whose forecast dates fall on rows the model was trained on, or that early
stopping chose the epoch by, is in-sample: its score is optimistic. ``evaluate``
counts them and says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def seen_until(table, split, early_stopping: bool) -> pd.Timestamp | None:
    """The last date the model's fit looked at: the end of training, or of validation when
    early stopping chose the epoch by it. ``None`` if nothing was fitted."""
    stop = split.val.stop if early_stopping and split.val.stop > split.val.start else split.train.stop
    return table.dates[stop - 1] if stop > 0 else None


def in_sample_windows(dates: pd.DatetimeIndex, origins: np.ndarray, last_seen: pd.Timestamp | None) -> np.ndarray:
    """(n,) bool: True where the window starting at row ``origins[i]`` forecasts a date up to ``last_seen``.

    Dates in another time zone than ``last_seen`` (or with none) are compared in UTC;
    a naive date against an aware one cannot be compared and counts as unseen.
    """
    if last_seen is None or len(origins) == 0:
        return np.zeros(len(origins), dtype=bool)
    first_forecast = dates[origins]  # (n,)
    try:
        return np.asarray(first_forecast <= last_seen, dtype=bool)
    except TypeError:  # naive vs aware
        return np.zeros(len(origins), dtype=bool)
