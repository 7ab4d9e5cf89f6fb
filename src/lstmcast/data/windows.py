"""Cut a series into supervised windows: ``look_back`` rows in, ``horizon`` target values out.

For an origin ``o`` (the row of the first forecast step), a window takes rows
``[o - look_back, o)`` of every column as input and rows ``[o, o + horizon)`` of the
target column as output.  Origins run from ``look_back`` to ``N - horizon`` in steps
of ``stride``::

    rows     0 1 2 3 4 5 6 7 8 9
    window 0 x x x y y              look_back=3, horizon=2, origin 3
    window 1   x x x y y            origin 4
"""

from __future__ import annotations

import operator
import os

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from lstmcast.data.errors import DataError

WINDOW_COPIES = 3
"""Float64 copies of the windows a fit or a forecast holds at once: as cut, normalised, cast for the network."""

CHECK_FROM = 64 * 2**20
"""Windows smaller than this (bytes) are not checked against the available memory (no system call)."""


def make_windows(
    values: np.ndarray,
    look_back: int,
    horizon: int,
    target_col: int = 0,
    stride: int = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return every (input, target) window of ``values`` with its origin.

    Parameters
    ----------
    values : array_like, shape (N, F) or (N,)
        The series, rows in time order; a 1-D array is one column.
    look_back : int
        Input rows per window, at least 1.
    horizon : int
        Target steps per window, at least 1.
    target_col : int
        Column of ``values`` the targets are taken from.
    stride : int
        Rows between the origins of consecutive windows, at least 1.

    Returns
    -------
    X : numpy.ndarray, shape (n, look_back, F)
        Inputs, a contiguous copy (integers become float64, floats keep their dtype).
    Y : numpy.ndarray, shape (n, horizon)
        Targets from column ``target_col``, a contiguous copy.
    origins : numpy.ndarray of int64, shape (n,)
        Row of the first forecast step of each window:
        ``X[i] == values[o - look_back:o]`` and ``Y[i] == values[o:o + horizon, target_col]``.

    Raises
    ------
    ValueError
        If ``values`` is not 1-D or 2-D, an argument is not a positive integer,
        ``target_col`` is out of range, or ``N < look_back + horizon``.
    """
    look_back = check_positive_int(look_back, "look_back")
    horizon = check_positive_int(horizon, "horizon")
    stride = check_positive_int(stride, "stride")
    data = _as_2d(values)  # (N, F)
    n_rows, n_features = data.shape
    target_col = _column_index(target_col, n_features)
    if n_rows < look_back + horizon:
        raise ValueError(
            f"look_back + horizon = {look_back + horizon} needs at least that many rows, "
            f"values has {n_rows}"
        )
    origins = np.arange(look_back, n_rows - horizon + 1, stride, dtype=np.int64)  # (n,)
    check_window_memory(len(origins), look_back, n_features, "values", copies=1)
    inputs = sliding_window_view(data, look_back, axis=0)  # (N - look_back + 1, F, look_back), a view
    inputs = inputs.transpose(0, 2, 1)  # (N - look_back + 1, look_back, F)
    targets = sliding_window_view(data[:, target_col], horizon)  # (N - horizon + 1, horizon), a view
    X = np.ascontiguousarray(inputs[origins - look_back])  # (n, look_back, F)
    Y = np.ascontiguousarray(targets[origins])  # (n, horizon)
    return X, Y, origins


def check_window_memory(n_windows: int, look_back: int, n_features: int, source: str,
                        copies: int = WINDOW_COPIES) -> None:
    """Refuse windows that would not fit in the memory available now, before allocating them.

    Parameters
    ----------
    n_windows : int
        Windows to cut.
    look_back : int
        Input rows per window.
    n_features : int
        Columns per row.
    source : str
        The data, for the message (a file name).
    copies : int
        Float64 copies held at once (:data:`WINDOW_COPIES` through a fit or a forecast).

    Raises
    ------
    DataError
        With the memory the windows need and the memory available (``MemAvailable``
        of ``/proc/meminfo``, or the free physical pages where there is none).
    """
    need = int(n_windows) * int(look_back) * int(n_features) * 8 * int(copies)
    if need < CHECK_FROM:
        return
    available = available_memory()
    if available is None or need <= available:
        return
    raise DataError(f"{source}: {n_windows:,} windows of look_back = {look_back} rows x {n_features} column(s) "
                    f"need about {_size(need)} of memory, more than the {_size(available)} available; "
                    "use a shorter look_back or less data")


def available_memory() -> int | None:
    """Bytes of memory available to a new allocation now, or None where the system does not say:
    the system's available memory, capped by this process's address-space limit (``ulimit -v``,
    ``resource.RLIMIT_AS``) less what the process already maps."""
    found = [n for n in (_system_available(), _address_space_left()) if n is not None]
    return min(found) if found else None


def _system_available() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def _address_space_left() -> int | None:
    try:
        import resource

        limit = resource.getrlimit(resource.RLIMIT_AS)[0]
        if limit == resource.RLIM_INFINITY:
            return None
        with open("/proc/self/statm", encoding="ascii") as handle:
            mapped = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        return max(0, limit - mapped)
    except (ImportError, OSError, ValueError, IndexError):
        return None


def _size(n_bytes: int) -> str:
    """``"4.4 GB"``, ``"512 MB"``: bytes in decimal units, as a person reads them."""
    for unit, scale in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:.1f} {unit}"
    return f"{n_bytes / 1e3:.0f} kB"


def last_window(values: np.ndarray, look_back: int) -> np.ndarray:
    """Return the last ``look_back`` rows as one input window, the input for a forecast.

    Parameters
    ----------
    values : array_like, shape (N, F) or (N,)
        The series; a 1-D array is one column.
    look_back : int
        Rows in the window, at least 1 and at most N.

    Returns
    -------
    numpy.ndarray, shape (1, look_back, F)
        A contiguous copy of ``values[-look_back:]``.

    Raises
    ------
    ValueError
        If ``look_back`` is not a positive integer or exceeds the number of rows.
    """
    look_back = check_positive_int(look_back, "look_back")
    data = _as_2d(values)  # (N, F)
    if data.shape[0] < look_back:
        raise ValueError(f"look_back must be at most the number of rows ({data.shape[0]}), got {look_back}")
    return np.array(data[-look_back:][None], order="C", copy=True)  # (1, look_back, F)


def _as_2d(values) -> np.ndarray:
    data = np.asarray(values)
    if data.dtype.kind in "biu":
        data = data.astype(np.float64)
    if data.dtype.kind != "f":
        raise ValueError(f"values must hold numbers, got dtype {data.dtype}")
    if data.ndim == 1:
        data = data[:, None]  # (N, 1)
    if data.ndim != 2:
        raise ValueError(f"values must have shape (N, F) or (N,), got {data.shape}")
    return data


def _column_index(target_col, n_features: int) -> int:
    try:
        col = operator.index(target_col)
    except TypeError:
        raise ValueError(f"target_col must be an int, got {target_col!r}") from None
    if isinstance(target_col, bool) or not 0 <= col < n_features:
        raise ValueError(f"target_col must be in [0, {n_features}), got {target_col!r}")
    return col


def check_positive_int(value, name: str) -> int:
    """Return ``value`` as an int, or raise ValueError naming ``name`` unless it is an int >= 1."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)
