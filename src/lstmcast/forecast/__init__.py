"""Floor 2, forecasting: the Forecaster estimator, its network, baselines, metrics, backtests."""

from .backtest.walk_forward import BacktestResult
from .forecaster import Forecaster
from .training.network import ForecastNet
from .training.tuning import TuningResult, tune

__all__ = ["Forecaster", "ForecastNet", "BacktestResult", "TuningResult", "tune"]
