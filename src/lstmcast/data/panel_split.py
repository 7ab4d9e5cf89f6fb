"""Per-series chronological splits of a panel, and per-series scalers fitted on training rows only.

Every series is split on its own (:mod:`.split`): its last rows are its validation
(and test) rows, so validation "uses the last part of every series" whatever their
lengths and start times.  Each series gets its own scaler (:mod:`.scalers`), fitted on
that series' training rows and nothing else, so series of any magnitude share one
network without a series' validation rows leaking into its statistics.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstmcast.data.errors import DataError
from lstmcast.data.panel import Panel
from lstmcast.data.scalers import Scaler, make_scaler, scaler_from_dict
from lstmcast.data.split import Split, rows_for, split_rows

__all__ = ["SeriesScalers", "fit_series_scalers", "split_panel"]


def split_panel(panel: Panel, val_fraction: float = 0.2, test_fraction: float = 0.0,
                val_rows: int | None = None, test_rows: int | None = None) -> dict[str, Split]:
    """A chronological :class:`~lstmcast.data.Split` of every series: train, then validation, then test.

    Parameters
    ----------
    panel : Panel
    val_fraction, test_fraction : float
        Shares of each series' rows, as :func:`~lstmcast.data.chronological_split`.
    val_rows, test_rows : int, optional
        Fixed numbers of rows at the end of every series instead (the horizon, in
        the M4 protocol); each wins over its fraction.

    Returns
    -------
    dict of str to Split
        One per series, in the panel's order.

    Raises
    ------
    DataError
        A series too short to keep a training row, named.
    ValueError
        Bad arguments.
    """
    for name, value in (("val_rows", val_rows), ("test_rows", test_rows)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0):
            raise ValueError(f"{name} must be an int >= 0, got {value!r}")
    splits = {}
    for name, n_rows in panel.lengths.items():
        n_rows = int(n_rows)
        n_test = test_rows if test_rows is not None else rows_for(n_rows, test_fraction, "test_fraction")
        n_val = val_rows if val_rows is not None else rows_for(n_rows, val_fraction, "val_fraction")
        if n_rows - n_val - n_test < 1:
            raise DataError(f"{panel.source}: series {name!r} has {n_rows} rows: {n_val} validation and "
                            f"{n_test} test rows leave none for training")
        splits[name] = split_rows(n_rows, n_rows - n_val - n_test, n_rows - n_test)
    return splits


@dataclass
class SeriesScalers:
    """One fitted scaler per series, by id.

    Attributes
    ----------
    scalers : dict of str to Scaler
    """

    scalers: dict[str, Scaler]

    def __len__(self) -> int:
        return len(self.scalers)

    def __getitem__(self, series_id: str) -> Scaler:
        try:
            return self.scalers[series_id]
        except KeyError:
            raise KeyError(f"no scaler for series {series_id!r}: it was not in the fitted panel") from None

    def transform(self, series_id: str, values: np.ndarray) -> np.ndarray:
        """Scale one series' rows (N, F) with its own scaler."""
        return self[series_id].transform(values)  # (N, F)

    def inverse_transform_target(self, series_id: str, y: np.ndarray) -> np.ndarray:
        """Undo one series' target scaling on an array of any shape (e.g. (B, horizon))."""
        return self[series_id].inverse_transform_target(y)

    def to_dict(self) -> dict:
        """Every scaler's state as JSON values, by id (see :meth:`Scaler.to_dict`)."""
        return {name: scaler.to_dict() for name, scaler in self.scalers.items()}

    @classmethod
    def from_dict(cls, state: dict) -> "SeriesScalers":
        """Rebuild from :meth:`to_dict`'s output."""
        if not isinstance(state, dict) or not state:
            raise ValueError("state must be a non-empty dict of series id -> scaler state")
        return cls({str(name): scaler_from_dict(part) for name, part in state.items()})


def fit_series_scalers(panel: Panel, splits: dict[str, Split], scaler: str | None = "standard") -> SeriesScalers:
    """Fit one scaler per series on that series' training rows only.

    Parameters
    ----------
    panel : Panel
    splits : dict of str to Split
        From :func:`split_panel`; every series of ``panel`` needs one.
    scaler : {"standard", "minmax", "none"} or None
        The kind of scaler, as :func:`~lstmcast.data.make_scaler`.

    Returns
    -------
    SeriesScalers
    """
    make_scaler(scaler)  # an unknown name fails before any series is read
    missing = [name for name in panel.ids if name not in splits]
    if missing:
        raise ValueError(f"splits has no split for series {missing[0]!r} ({len(missing)} series without)")
    fitted = {}
    for name in panel.ids:
        train = panel.values(name)[splits[name].train]  # (N_train, F) the training rows alone
        fitted[name] = make_scaler(scaler).fit(train)
    return SeriesScalers(fitted)
