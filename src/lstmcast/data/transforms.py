"""Target transforms: let a model predict changes, and rebuild levels from its forecasts.

A network fed raw price levels mostly learns to copy yesterday's value. With a
target transform the target column is replaced, row by row, by its change from the
row before; the model forecasts changes, and the forecasts are turned back into
levels from the last observed level before each window::

    "diff"        d_t = y_t - y_{t-1}             y_{o+k} = y_{o-1} + (d_o + ... + d_{o+k})
    "log_return"  r_t = log(y_t) - log(y_{t-1})   y_{o+k} = y_{o-1} * exp(r_o + ... + r_{o+k})
    "none"        the target as it is

Row 0 has no change: it is NaN in the encoded table, so the first usable window
starts one row later (:func:`leading_rows`). The change at row ``t`` reads rows
``t - 1`` and ``t`` only, so encoding never lets a window see past its origin.
Features (columns 1..F-1) are never transformed.
"""

from __future__ import annotations

import numpy as np

from lstmcast.data.errors import DataError

TARGET_TRANSFORMS = ("none", "diff", "log_return")
"""Accepted values of ``Forecaster(target_transform=...)``."""


def check_target_transform(kind) -> str:
    """Return ``kind`` if it is one of :data:`TARGET_TRANSFORMS`, else raise ValueError naming it."""
    if kind not in TARGET_TRANSFORMS:
        raise ValueError(f"target_transform must be 'none', 'diff' or 'log_return', got {kind!r}")
    return kind


def leading_rows(kind: str) -> int:
    """Rows at the start of a table that have no encoded target (0 for "none", else 1)."""
    return 0 if check_target_transform(kind) == "none" else 1


def encode_target(values: np.ndarray, kind: str, source: str = "data") -> np.ndarray:
    """Replace the target column (column 0) by its changes; row 0 becomes NaN.

    Parameters
    ----------
    values : array_like, shape (N, F)
        Levels in original units, target first.
    kind : {"none", "diff", "log_return"}
    source : str
        Name of the data, for error messages.

    Returns
    -------
    numpy.ndarray, shape (N, F), float64
        A new array; unchanged values for ``"none"``.

    Raises
    ------
    DataError
        ``"log_return"`` with a target value that is not positive.
    """
    check_target_transform(kind)
    data = np.array(values, dtype=np.float64)  # (N, F) copy
    if data.ndim != 2:
        raise ValueError(f"values must have shape (N, F), got {data.shape}")
    if kind == "none":
        return data
    level = data[:, 0].copy()  # (N,)
    if kind == "log_return":
        bad = np.flatnonzero(~(level > 0))
        if len(bad):
            raise DataError(
                f"{source}: target_transform='log_return' needs a positive target, "
                f"found {float(level[bad[0]])} at row {int(bad[0])}; use target_transform='diff'"
            )
        level = np.log(level)  # (N,)
    data[0, 0] = np.nan
    data[1:, 0] = np.diff(level)  # (N-1,)
    return data


def decode_forecasts(changes: np.ndarray, last_levels: np.ndarray, kind: str) -> np.ndarray:
    """Turn forecast changes back into levels, step after step from the last level.

    Parameters
    ----------
    changes : array_like, shape (n, horizon)
        Forecast changes in original units (for ``"none"``: the levels themselves).
    last_levels : array_like, shape (n,)
        The last observed level before each window, ``y[o - 1]``.
    kind : {"none", "diff", "log_return"}

    Returns
    -------
    numpy.ndarray, shape (n, horizon), float64
    """
    check_target_transform(kind)
    steps = np.asarray(changes, dtype=np.float64)  # (n, horizon)
    if steps.ndim != 2:
        raise ValueError(f"changes must have shape (n, horizon), got {steps.shape}")
    if kind == "none":
        return steps.copy()
    last = np.asarray(last_levels, dtype=np.float64)
    if last.shape != (steps.shape[0],):
        raise ValueError(f"last_levels must have shape ({steps.shape[0]},), got {last.shape}")
    total = np.cumsum(steps, axis=1)  # (n, horizon)
    if kind == "diff":
        return last[:, None] + total  # (n, horizon)
    return last[:, None] * np.exp(total)  # (n, horizon)
