"""Windows of many series drawn by index when they are needed, never all at once.

:func:`panel_windows` stacks every window: ``windows × look_back × features`` values, which
for 100,000 series of a few hundred rows is gigabytes before the first step. Here each
series' rows are scaled once and stored one after another (``rows``, (R, F)), and a window
is only its first row there (``starts``): a batch of windows is gathered from ``rows`` by
index (:meth:`WindowIndex.gather`) when training asks for it. Memory is O(rows), and a
gathered window is a copy of exactly the rows :func:`~lstmcast.data.make_windows` would have
cut, bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstmcast.data.panel import Panel
from lstmcast.data.split import PARTS, Split
from lstmcast.data.windows import check_positive_int

__all__ = ["WindowIndex", "window_indexes"]


@dataclass(frozen=True, eq=False)
class WindowIndex:
    """The windows of one part (training or validation) of many series, as positions in shared rows.

    Attributes
    ----------
    rows : numpy.ndarray, shape (R, F)
        Every series' scaled rows, one series after another (shared between parts).
    starts : numpy.ndarray of int64, shape (W,)
        Position in ``rows`` of each window's first input row.
    series : numpy.ndarray of int64, shape (W,)
        Position in ``ids`` of each window's series.
    origins : numpy.ndarray of int64, shape (W,)
        Row of each window's first forecast step within its series.
    look_back, horizon : int
    ids : tuple of str
    known : tuple of int
        Columns of ``rows`` known in advance: their values at a window's forecast steps are read too.
    """

    rows: np.ndarray
    starts: np.ndarray
    series: np.ndarray
    origins: np.ndarray
    look_back: int
    horizon: int
    ids: tuple[str, ...]
    known: tuple[int, ...] = ()

    def __len__(self) -> int:
        return len(self.starts)

    def gather(self, idx) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Windows ``idx`` (B,): inputs (B, look_back, F), targets (B, horizon) (column 0) and the known
        columns at the forecast steps (B, horizon, K), or None without known columns; copies."""
        first = self.starts[np.asarray(idx, dtype=np.int64)]  # (B,)
        x = self.rows[first[:, None] + np.arange(self.look_back)]  # (B, look_back, F)
        steps = self.rows[first[:, None] + self.look_back + np.arange(self.horizon)]  # (B, horizon, F)
        return x, steps[:, :, 0], steps[:, :, list(self.known)] if self.known else None

    def counts(self) -> dict[str, int]:
        """Windows per series, by id (0 for a series too short for any)."""
        per = np.bincount(self.series, minlength=len(self.ids))  # (S,)
        return {name: int(n) for name, n in zip(self.ids, per)}


def window_indexes(panel: Panel, look_back: int, horizon: int, splits: dict[str, Split], scalers,
                   parts=("train", "val"), first_row: int = 0, known: tuple[int, ...] = ()) -> dict[str, WindowIndex]:
    """The windows of each of ``parts`` in every series, over rows scaled once per series.

    Parameters
    ----------
    panel : Panel
    look_back, horizon : int
    splits : dict of str to Split
        One per series.
    scalers
        ``scalers.transform(series_id, values)`` scales one series' rows (N, F) (the
        Forecaster's :class:`~lstmcast.forecast.preparing.scaling.PanelScaling` also encodes).
    parts : sequence of {"train", "val", "test"}
    first_row : int
        No window reads a row before this one (1 with a target transform).
    known : tuple of int
        Columns known in advance (see :attr:`WindowIndex.known`).

    Returns
    -------
    dict of str to WindowIndex
        The same windows, in the same order, as :func:`~lstmcast.data.panel_windows` stacks.
    """
    look_back = check_positive_int(look_back, "look_back")
    horizon = check_positive_int(horizon, "horizon")
    for part in parts:
        if part not in PARTS:
            raise ValueError(f"part must be 'train', 'val' or 'test', got {part!r}")
    blocks, offset = [], 0
    found = {part: ([], [], []) for part in parts}  # part -> starts, series, origins
    for k, name in enumerate(panel.ids):
        values = scalers.transform(name, panel.values(name))  # (N, F) with this series' own statistics
        blocks.append(values)
        for part in parts:
            rows = splits[name].window_rows(part, look_back)
            begin = max(rows.start, first_row)
            n = rows.stop - begin - look_back - horizon + 1  # windows of this part
            if n < 1:
                continue
            starts, series, origins = found[part]
            starts.append(offset + begin + np.arange(n, dtype=np.int64))  # (n,)
            series.append(np.full(n, k, dtype=np.int64))  # (n,)
            origins.append(begin + look_back + np.arange(n, dtype=np.int64))  # (n,)
        offset += len(values)
    rows = np.concatenate(blocks) if blocks else np.empty((0, len(panel.columns)))  # (R, F)
    empty = np.empty(0, dtype=np.int64)
    return {part: WindowIndex(rows, np.concatenate(s) if s else empty, np.concatenate(c) if c else empty,
                              np.concatenate(o) if o else empty, look_back, horizon, panel.ids,
                              tuple(known))
            for part, (s, c, o) in found.items()}
