"""Which validation scores calibrate each series' intervals: its own, or the pooled, scale-free ones.

Every series is calibrated on the conformity scores of its own validation windows
(:func:`~lstmcast.forecast.intervals.uncertainty.calibration_for`), and adaptive intervals then follow its own errors.
A series of a panel whose own windows are too few for the coverage asked (a short monthly
series at 90% needs 9), or one the global model was not fitted on, is calibrated instead on
the scores of every fitted series, each divided by its series' scale (the mean absolute
change of its training target, as MASE scales errors) and multiplied back by this series'
scale: the panel's errors in this series' units. A fit on one series never pools: too few
windows there is a one-line error, as it always was.
"""

from __future__ import annotations

import numpy as np

from .conformal import IntervalCalibration
from .conformal_quantile import TooFewCalibrationErrors, check_calibration_size
from .uncertainty import calibration_for, check_interval_support

__all__ = ["PooledScores", "series_scale"]


def series_scale(target: np.ndarray) -> float:
    """The scale a series' errors are divided by to pool them: the mean absolute step-to-step change
    of ``target`` (N,), or, for a flat series, 1e-3 of its mean absolute level (1 when that is 0)."""
    target = np.asarray(target, dtype=np.float64)
    scale = float(np.mean(np.abs(np.diff(target)))) if len(target) > 1 else 0.0
    if scale > 0:
        return scale
    level = float(np.mean(np.abs(target))) if len(target) else 0.0
    return 1e-3 * level if level > 0 else 1.0


class PooledScores:
    """The validation scores of every fitted series in scale-free units, computed when first needed.

    Parameters
    ----------
    models : callable
        ``models()`` -> the fitted series' :class:`~lstmcast.forecast.prediction.series_model.SeriesModel` objects.
    coverage : float
    """

    def __init__(self, models, coverage: float) -> None:
        self._models = models
        self._coverage = coverage
        self._scores: np.ndarray | None = None

    @property
    def scores(self) -> np.ndarray:
        """(n, horizon): each fitted series' validation scores over its scale, stacked."""
        if self._scores is None:
            models = self._models()
            parts = [calibration_for(model, self._coverage) / model_scale(model) for model in models]
            scores = np.concatenate(parts)  # (n, horizon)
            settings = IntervalCalibration(self._coverage, models[0].interval_method, models[0].interval_window)
            kept = len(scores) if settings.method == "split" else min(len(scores), settings.window)
            where = f"series {models[0].series_id!r}" if len(models) == 1 else f"the {len(models)} series"
            if kept < len(scores):
                check_calibration_size(kept, self._coverage, f"interval_window={settings.window} keeps {kept}",
                                       "a larger interval_window keeps more")
            check_calibration_size(kept, self._coverage, f"the validation windows of {where} give {kept}")
            self._scores = scores
        return self._scores

    def for_series(self, model, target_before: np.ndarray | None = None) -> np.ndarray | None:
        """The calibration scores (n, horizon) of ``model``: None (its own) when its validation windows
        support the coverage, else the pooled scores in its units (``target_before``: the target a
        series the model was not fitted on is forecast from, for its scale)."""
        if model.table_ is not None:
            try:
                check_interval_support(model, self._coverage)
                return None
            except TooFewCalibrationErrors:
                pass
        scale = model_scale(model) if model.table_ is not None else series_scale(target_before)
        return self.scores * scale


def model_scale(model) -> float:
    """The scale of a fitted series: :func:`series_scale` of its training target."""
    return series_scale(model.table_.target_values[model.split_.train])
