"""Supervised windows drawn from every series of a panel, for one network trained across all of them.

Each series is cut on its own with :func:`~lstmcast.data.make_windows` (a window never
joins the end of one series to the start of another), after scaling it with its own
scaler when one is given; the windows of all series are then stacked, each remembering
its series and origin.  Training windows lie wholly in a series' training rows;
validation (and test) windows forecast that part's rows, their inputs reaching back
``look_back`` rows before it (:meth:`~lstmcast.data.Split.window_rows`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstmcast.data.panel import Panel
from lstmcast.data.panel_split import SeriesScalers
from lstmcast.data.split import PARTS, Split
from lstmcast.data.windows import check_positive_int, make_windows

__all__ = ["PanelWindows", "panel_windows"]


@dataclass(frozen=True, eq=False)
class PanelWindows:
    """Windows of many series, stacked.

    Attributes
    ----------
    X : numpy.ndarray, shape (W, look_back, F)
        Inputs (scaled when scalers were given).
    Y : numpy.ndarray, shape (W, horizon)
        Targets, scaled the same way.
    series : numpy.ndarray of int64, shape (W,)
        Position in ``ids`` of each window's series.
    origins : numpy.ndarray of int64, shape (W,)
        Row of each window's first forecast step within its series.
    ids : tuple of str
        The panel's series, in order.
    """

    X: np.ndarray
    Y: np.ndarray
    series: np.ndarray
    origins: np.ndarray
    ids: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.Y)

    def counts(self) -> dict[str, int]:
        """Windows per series, by id (0 for a series too short for any)."""
        per = np.bincount(self.series, minlength=len(self.ids))  # (S,)
        return {name: int(n) for name, n in zip(self.ids, per)}


def panel_windows(panel: Panel, look_back: int, horizon: int, splits: dict[str, Split], part: str = "train",
                  scalers: SeriesScalers | None = None, stride: int = 1, first_row: int = 0) -> PanelWindows:
    """Every window of ``part`` in every series, scaled per series, stacked.

    Parameters
    ----------
    panel : Panel
    look_back, horizon : int
        Input rows and forecast steps per window.
    splits : dict of str to Split
        One per series (:func:`~lstmcast.data.split_panel`).
    part : {"train", "val", "test"}
        Which rows the windows forecast.
    scalers : SeriesScalers, optional
        Scale each series with its own scaler first (fitted on its training rows); anything
        with ``transform(series_id, values)`` does (the Forecaster's
        :class:`~lstmcast.forecast.preparing.scaling.PanelScaling` also encodes the target).
    stride : int
        Rows between the origins of consecutive windows of one series.
    first_row : int
        No window reads a row before this one (1 when the first row has no encoded
        change, with a target transform).

    Returns
    -------
    PanelWindows
        A series whose part is too short for a window contributes none.

    Raises
    ------
    ValueError
        Bad arguments, or a series without a split or a scaler.
    """
    look_back = check_positive_int(look_back, "look_back")
    horizon = check_positive_int(horizon, "horizon")
    if part not in PARTS:
        raise ValueError(f"part must be 'train', 'val' or 'test', got {part!r}")
    missing = [name for name in panel.ids if name not in splits]
    if missing:
        raise ValueError(f"splits has no split for series {missing[0]!r} ({len(missing)} series without)")
    n_features = len(panel.columns)
    inputs, targets, series, origins = [], [], [], []
    for k, name in enumerate(panel.ids):
        values = panel.values(name)  # (N, F)
        if scalers is not None:
            values = scalers.transform(name, values)  # (N, F) with this series' own training statistics
        rows = splits[name].window_rows(part, look_back)
        rows = slice(max(rows.start, first_row), rows.stop)
        if rows.stop - rows.start < look_back + horizon:
            continue
        X, Y, starts = make_windows(values[rows], look_back, horizon, stride=stride)  # (n, L, F), (n, H), (n,)
        inputs.append(X)
        targets.append(Y)
        series.append(np.full(len(Y), k, dtype=np.int64))  # (n,)
        origins.append(starts + rows.start)  # (n,) rows of the series, not of the slice
    if not inputs:
        return PanelWindows(X=np.empty((0, look_back, n_features)), Y=np.empty((0, horizon)),
                            series=np.empty(0, dtype=np.int64), origins=np.empty(0, dtype=np.int64), ids=panel.ids)
    return PanelWindows(X=np.concatenate(inputs), Y=np.concatenate(targets), series=np.concatenate(series),
                        origins=np.concatenate(origins), ids=panel.ids)
