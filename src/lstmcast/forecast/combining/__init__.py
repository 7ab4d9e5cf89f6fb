"""Combinations with the classical models: the pool each series is combined with, the weights fitted
on its validation windows, and the verdict's line (see :mod:`lstmcast.forecast.combining.series_combination`)."""
