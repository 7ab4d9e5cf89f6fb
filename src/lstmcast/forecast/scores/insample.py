"""Which evaluation windows a fitted model has already seen, and the note that says so.

A window whose forecast dates fall on rows the model was trained on is in-sample: its
score is optimistic. One that falls on the validation rows early stopping chose the
epoch by is slightly optimistic. ``evaluate`` counts both and says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...data.rawtable import format_date


def _up_to(dates: pd.DatetimeIndex, origins: np.ndarray, last: pd.Timestamp | None) -> np.ndarray:
    """(n,) bool: the window at row ``origins[i]`` forecasts a date at or before ``last``."""
    if last is None or len(origins) == 0:
        return np.zeros(len(origins), dtype=bool)
    try:
        return np.asarray(dates[origins] <= last, dtype=bool)
    except TypeError:  # a naive date against an aware one: not comparable, counted as unseen
        return np.zeros(len(origins), dtype=bool)


def in_sample_windows(dates: pd.DatetimeIndex, origins: np.ndarray, fitted, split,
                      early_stopping: bool) -> tuple[np.ndarray, np.ndarray]:
    """``(trained, validated)``, each (n,) bool, for the windows starting at rows ``origins`` of ``dates``.

    ``trained``: the window forecasts a date up to the last training row of ``fitted``
    (the model's table); ``validated``: not trained, but up to the last validation row,
    when early stopping chose the epoch on those rows.
    """
    last_train = fitted.dates[split.train.stop - 1] if split.train.stop > 0 else None
    trained = _up_to(dates, origins, last_train)
    validated = np.zeros_like(trained)
    if early_stopping and split.val.stop > split.val.start:
        validated = _up_to(dates, origins, fitted.dates[split.val.stop - 1]) & ~trained
    return trained, validated


def in_sample_note(dates: pd.DatetimeIndex, origins: np.ndarray, fitted, split,
                   early_stopping: bool) -> tuple[int, str | None]:
    """How many windows the fit saw, and one line saying so (``None`` when none did)."""
    trained, validated = in_sample_windows(dates, origins, fitted, split, early_stopping)
    notes = []
    if trained.any():
        notes.append(f"{int(trained.sum())} of {len(origins)} windows forecast rows the model was trained on "
                     f"(up to {format_date(fitted.dates[split.train.stop - 1])}): in-sample, so optimistic")
    if validated.any():
        notes.append(f"{int(validated.sum())} of {len(origins)} windows forecast the validation rows early "
                     f"stopping chose the epoch on (up to {format_date(fitted.dates[split.val.stop - 1])}): "
                     "slightly optimistic")
    return int(trained.sum() + validated.sum()), "; ".join(notes) or None
