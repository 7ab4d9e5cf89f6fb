"""lstmcast: LSTM forecasting and text models, written from scratch in NumPy."""

__version__ = "0.1.0"

from .data.datasets import load_dataset
from .forecast.forecaster import Forecaster

__all__ = ["Forecaster", "load_dataset", "__version__"]
