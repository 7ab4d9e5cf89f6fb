"""The window a model with values known in advance reads, as its forecast reads it, for inspection.

A network with a decoder (``future_features=``) reads, beside the window, the known values
of its forecast steps. Inspection takes both exactly as a forecast from the same origin
does (:func:`~lstmcast.forecast.preparing.windowing.forecast_windows`): the window's known
columns shifted by their window mean, the steps' values from the data's rows, or past the
data's end from the calendar.
"""

from __future__ import annotations

import numpy as np

from ..data.errors import DataError
from ..forecast.prediction.outputs import known_inputs
from ..forecast.prediction.series_models import with_future
from ..forecast.preparing.windowing import forecast_windows

__all__ = ["known_window"]


def known_window(model, values: np.ndarray, origin: int, future_times, source: str, window: int):
    """``(x, known, model)`` of the window before ``origin`` for ``model`` (a series model): x (1, T, C) as
    its networks read it, known (1, horizon, K), and the series model that forecasts from there (with the
    calendar of the steps past the data's end); None when its networks read no known values.

    Parameters
    ----------
    model : SeriesModel
    values : ndarray (N, F)
        The series' rows in original units.
    origin : int
        The window's first forecast row.
    future_times : callable
        ``future_times(m)``: the times of the ``m`` steps after the data's end.
    source : str
        Names the data in messages.
    window : int
        The window asked for, for messages.

    Raises
    ------
    ValueError
        The window's forecast steps run past the data and the model reads a column of the data
        known in advance (only its calendar can be derived there).
    """
    if model._known is None:
        return None
    horizon = model.horizon
    past_end = origin + horizon - len(values)
    if past_end > 0:
        try:
            model = with_future(model, future_times(horizon), None, source)  # the steps after the end
        except (DataError, ValueError):
            raise ValueError(f"window={window}: its forecast steps run {past_end} past the end of {source}, and the "
                             f"model reads {', '.join(map(repr, model.estimator.future_.columns))} known in advance "
                             f"there: inspect window={-(horizon + 1)} or earlier, or give data holding those rows"
                             ) from None
    windows = forecast_windows(values, np.array([origin]), model.scaler_, model.window_norm_, model.target_transform,
                               model.look_back, model.patch_, model.dtype, source, str(model.target_),
                               known_inputs(model, values), model.season_)
    return windows.x, windows.known, model  # (1, T, C), (1, horizon, K)
