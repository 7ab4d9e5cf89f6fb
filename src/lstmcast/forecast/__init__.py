"""Floor 2, forecasting: the Forecaster estimator, its network, baselines and metrics."""

from .forecaster import Forecaster
from .network import ForecastNet

__all__ = ["Forecaster", "ForecastNet"]
