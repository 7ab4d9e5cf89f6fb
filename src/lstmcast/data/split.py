"""Chronological train / validation / test splits of row indices, never shuffled.

Rows are split in time order: training first, validation after it, test last, so a
model is always judged on data later than anything it was fitted on.

Two rules decide what may touch which rows:

- Window INPUTS for a validation (or test) window may reach back ``look_back`` rows
  into the rows before it (``Split.window_rows``): the first validation forecast
  starts at the first validation row, and its inputs are the last training rows.
  That is how the standard protocols (Informer / ETTh1) cut their splits.
- The SCALER must be fitted on the training rows only (``values[split.train]``);
  fitting it on rows that include validation or test data leaks their statistics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lstmcast.data.windows import check_positive_int

PARTS = ("train", "val", "test")


@dataclass(frozen=True)
class Split:
    """Row ranges of one chronological split: ``train``, then ``val``, then ``test``.

    Attributes
    ----------
    train, val, test : slice
        Contiguous row ranges ``slice(start, stop)``; ``val`` starts where ``train``
        stops and ``test`` where ``val`` stops.  ``val`` and ``test`` may be empty.
    """

    train: slice
    val: slice
    test: slice

    @property
    def sizes(self) -> tuple[int, int, int]:
        """Number of rows in (train, val, test)."""
        return tuple(part.stop - part.start for part in (self.train, self.val, self.test))

    def window_rows(self, part: str, look_back: int) -> slice:
        """The rows to cut ``part``'s windows from: the part plus ``look_back`` rows before it.

        Windows made with ``make_windows(values[rows], look_back, horizon)`` then
        forecast every row of ``part`` that has ``horizon`` rows left in it, the
        first window's inputs being the ``look_back`` rows just before ``part``.
        Only inputs reach back; scale with a scaler fitted on ``train`` rows alone.

        Parameters
        ----------
        part : {"train", "val", "test"}
        look_back : int
            Input rows per window, at least 1.

        Returns
        -------
        slice
            ``slice(max(0, start - look_back), stop)``; for ``"train"`` the train slice.
        """
        if part not in PARTS:
            raise ValueError(f"part must be 'train', 'val' or 'test', got {part!r}")
        look_back = check_positive_int(look_back, "look_back")
        rows = getattr(self, part)
        if part == "train":
            return rows
        return slice(max(0, rows.start - look_back), rows.stop)


def chronological_split(n_rows: int, val_fraction: float = 0.2, test_fraction: float = 0.0) -> Split:
    """Split ``n_rows`` rows in time order into train, validation and test.

    Validation comes right after training and test last; nothing is shuffled.  The
    validation and test sizes are ``n_rows * fraction`` rounded half up, at least 1
    row when the fraction is above 0; training gets the rest.  Validation windows
    may take inputs from the last training rows (``Split.window_rows``), but fit the
    scaler on the training rows only.

    Parameters
    ----------
    n_rows : int
        Rows in the series, at least 1.
    val_fraction : float
        Share of rows for validation, in [0, 1).
    test_fraction : float
        Share of rows for the final test, in [0, 1).

    Returns
    -------
    Split

    Raises
    ------
    ValueError
        If an argument is out of range or no row is left for training.
    """
    n_rows = check_positive_int(n_rows, "n_rows")
    n_val = rows_for(n_rows, val_fraction, "val_fraction")
    n_test = rows_for(n_rows, test_fraction, "test_fraction")
    n_train = n_rows - n_val - n_test
    if n_train < 1:
        raise ValueError(
            f"val_fraction + test_fraction must leave training rows: {val_fraction} + {test_fraction} "
            f"of {n_rows} rows leaves {n_train}"
        )
    return split_rows(n_rows, n_train, n_train + n_val)


def split_rows(n_rows: int, train_end: int, val_end: int, test_end: int | None = None) -> Split:
    """Split by explicit row indices: train ``[0, train_end)``, val ``[train_end, val_end)``,
    test ``[val_end, test_end)``.

    The ETTh1 protocol (Informer) is ``split_rows(17420, 8640, 11520, 14400)``: rows
    from 14400 on are never used.  Its validation and test windows take inputs from
    ``look_back`` rows before each part (``Split.window_rows``), and its scaler is
    fitted on rows ``[0, 8640)`` only.

    Parameters
    ----------
    n_rows : int
        Rows in the series.
    train_end : int
        First row after training, in [1, n_rows].
    val_end : int
        First row after validation, in [train_end, n_rows].
    test_end : int, optional
        First row after test, in [val_end, n_rows]; default ``n_rows``.

    Returns
    -------
    Split

    Raises
    ------
    ValueError
        If the indices are not ordered ``0 < train_end <= val_end <= test_end <= n_rows``.
    """
    n_rows = check_positive_int(n_rows, "n_rows")
    train_end = check_positive_int(train_end, "train_end")
    val_end = check_positive_int(val_end, "val_end")
    test_end = n_rows if test_end is None else check_positive_int(test_end, "test_end")
    if train_end > n_rows:
        raise ValueError(f"train_end must be in [1, {n_rows}], got {train_end}")
    if not train_end <= val_end <= n_rows:
        raise ValueError(f"val_end must be in [{train_end}, {n_rows}], got {val_end}")
    if not val_end <= test_end <= n_rows:
        raise ValueError(f"test_end must be in [{val_end}, {n_rows}], got {test_end}")
    return Split(train=slice(0, train_end), val=slice(train_end, val_end), test=slice(val_end, test_end))


def rows_for(n_rows: int, fraction: float, name: str) -> int:
    """Rows a part gets for ``fraction`` of ``n_rows``: rounded half up, at least 1 when above 0."""
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) or not 0 <= fraction < 1:
        raise ValueError(f"{name} must be a number in [0, 1), got {fraction!r}")
    if fraction == 0:
        return 0
    return max(1, math.floor(n_rows * fraction + 0.5))
