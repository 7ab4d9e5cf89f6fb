"""lstmcast: LSTM forecasting and text models, written from scratch in NumPy."""

__version__ = "0.1.0"
