"""Compiled (Numba) kernels for the LSTM's time loops, and the activations they use.

NumPy arrays in and out; one call per layer and direction.  Compiled code is cached
on disk next to these files (``cache=True``), so a user pays compilation once per
install.  :mod:`lstmcast.nn.lstm_compiled` lays the arrays out and calls them.
"""
