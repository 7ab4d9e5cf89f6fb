"""One series as a panel of one: what lets a single table take the panel's path.

:func:`panel_of_series` turns a checked :class:`~lstmcast.data.SeriesTable` into a
:class:`~lstmcast.data.Panel` with one series, the same rows, columns, dates, frequency
and source, so that a one-series fit is a panel fit: nothing is read twice and no stage
exists twice.
"""

from __future__ import annotations

import numpy as np

from lstmcast.data.panel import Panel
from lstmcast.data.tables import SeriesTable

__all__ = ["SERIES_ID", "panel_of_series"]

SERIES_ID = "series"
"""The id of the only series of a one-series table read as a panel."""


def _free_name(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted`` with leading underscores until it is not one of ``taken``."""
    name = wanted
    while name in taken:
        name = "_" + name
    return name


def panel_of_series(table: SeriesTable) -> Panel:
    """A panel of one series (id :data:`SERIES_ID`) holding ``table``'s rows, dates and columns.

    Parameters
    ----------
    table : SeriesTable

    Returns
    -------
    Panel
        Its time column is the table's date column (``"date"`` when unnamed); its id column
        ``"unique_id"`` (underscores added in front if a column has that name).
    """
    taken = set(table.columns)
    time_column = _free_name(str(table.dates.name or "date"), taken)
    id_column = _free_name("unique_id", taken | {time_column})
    frame = table.frame.reset_index(drop=True)  # (N, F) float64
    frame.insert(0, time_column, table.dates.to_numpy() if table.dates.tz is None else table.dates)
    frame.insert(0, id_column, SERIES_ID)
    return Panel(frame=frame, id_column=id_column, time_column=time_column, target=table.target,
                 features=table.features, freq=table.freq, source=table.source, ids=(SERIES_ID,),
                 bounds=np.array([0, len(frame)], dtype=np.int64))
