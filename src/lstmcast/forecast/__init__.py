"""Floor 2, forecasting: the Forecaster estimator, its network, baselines, metrics, backtests."""

from .backtest import BacktestResult
from .forecaster import Forecaster
from .network import ForecastNet
from .tuning import TuningResult, tune

__all__ = ["Forecaster", "ForecastNet", "BacktestResult", "TuningResult", "tune"]
