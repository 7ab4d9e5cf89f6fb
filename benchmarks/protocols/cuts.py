"""Where a protocol cuts a series, and the checks that no scored row lies in a test part."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Cut:
    """A fixed-origin protocol on one series.

    Attributes
    ----------
    fit_end : int
        Every model is fitted on rows ``[0, fit_end)``.
    origins : numpy.ndarray of int, shape (M,)
        Row of the first forecast step of each scored window; a forecast reads only the rows before it.
    horizon : int
        Steps forecast from each origin.
    test_start : int
        The first row of the part that is never scored (a published test split, or a held-out
        tail); every scored row lies before it.
    """

    fit_end: int
    origins: np.ndarray
    horizon: int
    test_start: int

    def __post_init__(self) -> None:
        check_cut(self.fit_end, self.origins, self.horizon, self.test_start)

    @property
    def targets(self) -> np.ndarray:
        """Row of every scored value, (M, horizon)."""
        return self.origins[:, None] + np.arange(self.horizon)

    def describe(self, index) -> str:
        """The cut in words, dated by ``index`` (the frame's index)."""
        last = int(self.targets.max())
        return (f"fit {_label(index[0])}..{_label(index[self.fit_end - 1])}, {len(self.origins)} origins "
                f"{_label(index[self.origins[0]])}..{_label(index[self.origins[-1]])}, scored up to "
                f"{_label(index[last])} < test {_label(index[self.test_start]) if self.test_start < len(index) else 'end'}")


def _label(value) -> str:
    return str(value.date()) if hasattr(value, "date") else str(value)


def check_cut(fit_end: int, origins, horizon: int, test_start: int) -> None:
    """Assert that every scored row lies in ``[fit_end, test_start)``.

    Parameters
    ----------
    fit_end : int
        First row the models were not fitted on.
    origins : array_like of int, shape (M,)
        First forecast row of each scored window.
    horizon : int
        Steps per window.
    test_start : int
        First row of the never-scored part.

    Raises
    ------
    AssertionError
        If a window starts before ``fit_end`` or reaches ``test_start``, or there is none.
    """
    starts = np.asarray(origins, dtype=np.int64)
    assert starts.size > 0, "a protocol with no scored window"
    assert horizon >= 1, f"horizon {horizon}"
    assert starts.min() >= fit_end, f"an origin (row {starts.min()}) inside the fitted rows [0, {fit_end})"
    assert starts.max() + horizon <= test_start, (
        f"a scored row ({starts.max() + horizon - 1}) in the test part starting at row {test_start}")


def check_held_out(history_lengths, scored: int, full_lengths) -> None:
    """Assert that a panel's held-out values are the last ``scored`` rows of its training part.

    Parameters
    ----------
    history_lengths : sequence of int
        Rows each series was fitted on.
    scored : int
        Rows scored after each history.
    full_lengths : sequence of int
        Rows of each series' training part (the file the protocol may read).

    Raises
    ------
    AssertionError
        If a history and its scored rows do not add up to the training part exactly.
    """
    for fitted, full in zip(history_lengths, full_lengths):
        assert fitted + scored == full, f"fitted {fitted} + scored {scored} rows != training part {full}"
