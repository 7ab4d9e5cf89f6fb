"""Inspect a fitted Forecaster on one input window.

The scalar whose gradients are reported is the forecast itself: the **sum of the
``horizon`` outputs** of the network (the first ensemble member's), in its own
units: scaled and window-normalised (see ``Forecaster(window_norm=...)``). Summing
treats every forecast step alike; ``‖dL/dh_t‖`` then says how much step t of the window still moves the
forecast, i.e. how far back the model actually looks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..forecast.prediction.outputs import member_outputs, point_of, shrunk
from .panel import inspect_panel_window
from .known_window import known_window
from .result import Inspection
from .tracing import check_window, objective, trace_network


def inspect_window(forecaster, data=None, window: int = -1, series: str | None = None) -> Inspection:
    """Gate traces, attention weights and per-step gradient norms for one window.

    Parameters
    ----------
    forecaster : lstmcast.Forecaster
        A fitted (or loaded) forecaster.
    data : str, pathlib.Path, pandas.DataFrame or None
        A table with the model's columns; ``None`` uses the data stored in the model.
    window : int
        Which of the ``N - look_back + 1`` input windows of ``data`` (window k reads
        rows k .. k + look_back - 1); negative counts from the end, so -1 is the window
        :meth:`Forecaster.forecast` reads.
    series : str, optional
        Fitted on many series: the series' id (see
        :func:`~lstmcast.inspection.panel.inspect_panel_window`).

    Returns
    -------
    Inspection
        ``output`` is the forecast in the data's units (equal to ``forecast()`` for
        the last window); gradients are of the sum of the network's outputs.

    Raises
    ------
    ValueError
        If the forecaster is not fitted, or ``window`` is out of range (the message
        gives the valid range), or its forecast steps run past the data and the model reads a
        column of it known in advance.

    A model with values known in advance is traced on the window and its steps' known values,
    read as its forecast from that origin reads them; the gradients flow through the decoder too.
    """
    if forecaster._on_panel:  # checks it is fitted
        return inspect_panel_window(forecaster, data, window, series)
    if series is not None:
        raise ValueError(f"series={series!r}: this model was fitted on one series")
    table = forecaster._read(data)
    look_back, horizon = forecaster.look_back, forecaster.horizon
    start = check_window(window, len(table) - look_back + 1, look_back)
    rows = slice(start, start + look_back)
    origin = start + look_back
    decoded = known_window(forecaster._series_model(), table.values, origin, table.future_dates, table.source,
                           window)
    if decoded is None:
        x_scaled = forecaster.scaled(table.values, table.source)[rows][None]  # (1, look_back, F)
        traced = trace_network(forecaster.network_, forecaster.network_inputs(x_scaled).x, forecaster._median)
        first = member_outputs(forecaster, table.values, np.array([origin]), table.source)[0]  # (1, horizon[, Q])
        forecast = point_of(forecaster, shrunk(forecaster, first, table.values[origin - 1 : origin, 0]))[0]  # (H,)
    else:  # the window and its steps' known values (1, T, C), (1, horizon, K)
        x, known, model = decoded
        traced = trace_network(forecaster.network_, x, forecaster._median, known)
        forecast = model._forecast_at(table.values, np.array([origin]), table.source)[0]  # (horizon,)
    patch = forecaster.patch_
    return Inspection(
        kind="forecast",
        window=start,
        labels=[_date_label(d) for d in table.dates[rows][patch - 1 :: patch]],  # each step's last row
        objective=objective(horizon, forecaster.window_norm_),
        output=forecast,
        output_labels=[_date_label(d) for d in _dates_after(table, start + look_back, horizon)],
        series=table.target_values[rows][patch - 1 :: patch],  # the last value of each step
        series_name=str(table.target),
        **traced,
    )


def _dates_after(table, row: int, count: int) -> pd.DatetimeIndex:
    """The ``count`` dates from row ``row`` on, stepping past the table's end when needed."""
    known = table.dates[row : row + count]
    missing = count - len(known)
    return known if missing == 0 else known.append(table.future_dates(missing))


def _date_label(stamp: pd.Timestamp) -> str:
    return stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() else stamp.strftime("%Y-%m-%d %H:%M")
