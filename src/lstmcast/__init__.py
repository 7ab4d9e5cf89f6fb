"""lstmcast: LSTM forecasting and text models, written from scratch in NumPy."""

from .version import __version__
from .data.datasets import load_dataset
from .forecast.forecaster import Forecaster
from .text.charmodel import CharModel
from .inspection import inspect_text, inspect_window

# The estimators' inspect methods call these; the inspection floor imports the estimators' floor,
# so the two are joined here, where Python always passes before any of the package's modules.
Forecaster.inspector = staticmethod(inspect_window)
CharModel.inspector = staticmethod(inspect_text)

__all__ = ["Forecaster", "CharModel", "load_dataset", "__version__"]
