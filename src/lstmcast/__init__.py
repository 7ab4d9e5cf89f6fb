"""lstmcast: LSTM forecasting and text models, written from scratch in NumPy."""

__version__ = "0.1.0"

from .data.datasets import load_dataset
from .forecast.forecaster import Forecaster
from .text.charmodel import CharModel

__all__ = ["Forecaster", "CharModel", "load_dataset", "__version__"]
