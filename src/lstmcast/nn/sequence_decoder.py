"""SequenceDecoder: an LSTM over the forecast steps, reading a summary vector and each step's known values.

For a summary ``s`` (B, W) of what an encoder read, and the values known in advance for
each of T forecast steps ``k_t`` (B, K)::

    z_t = [s ; k_t]                              (B, W + K)   the same s beside every step's k_t
    i_t, f_t, g_t, o_t, c_t, h_t = LSTM(z_t, h_{t-1}, c_{t-1}),  h_0 = c_0 = 0    (B, M)
    d_t = W_o h_t + b_o                          (B, O)

The sequence-to-sequence decoder (Cho et al. 2014, the context beside every step's input):
unlike :class:`~lstmcast.nn.StepDecoder`, a step's output also reads the known values of
the steps before it, through the recurrence. Parameters: an :class:`~lstmcast.nn.LSTM`
``lstm`` (one layer) and a :class:`~lstmcast.nn.Dense` ``out``, in PyTorch's layout.
"""

from __future__ import annotations

import numpy as np

from lstmcast.nn.dense import Dense
from lstmcast.nn.init import make_rng
from lstmcast.nn.lstm import LSTM
from lstmcast.nn.module import Module
from lstmcast.nn.shapes import dense_shapes, lstm_shapes, prefixed
from lstmcast.nn.step_decoder import step_inputs

__all__ = ["SequenceDecoder", "sequence_decoder_shapes"]


def sequence_decoder_shapes(summary_size: int, known_size: int, hidden_size: int,
                            out_features: int) -> dict[str, tuple[int, ...]]:
    """Shapes of :class:`SequenceDecoder`'s parameters, keyed as in its ``state_dict``."""
    shapes = prefixed("lstm", lstm_shapes(int(summary_size) + int(known_size), hidden_size))
    shapes.update(prefixed("out", dense_shapes(hidden_size, out_features)))
    return shapes


class SequenceDecoder(Module):
    """``d_t = W_o h_t + b_o``, ``h_t`` an LSTM's state over ``z_t = [s; k_t]``, for every step t.

    Parameters
    ----------
    summary_size : int
        W, the size of the summary vector.
    known_size : int
        K, the values known for each step.
    hidden_size : int
        M, the decoder LSTM's units.
    out_features : int
        O, the outputs per step.
    dtype : {"float32", "float64"}
    seed : int, Generator or None
    """

    def __init__(self, summary_size: int, known_size: int, hidden_size: int, out_features: int,
                 dtype="float32", seed=None) -> None:
        super().__init__()
        rng = make_rng(seed)
        self.summary_size, self.known_size = int(summary_size), int(known_size)
        self.lstm = LSTM(self.summary_size + self.known_size, hidden_size, dtype=dtype, seed=rng.spawn(1)[0],
                         forget_bias=1.0)
        self.out = Dense(hidden_size, out_features, dtype=dtype, seed=rng.spawn(1)[0])

    def forward(self, summary: np.ndarray, known: np.ndarray) -> np.ndarray:
        """summary (B, W), known (B, T, K) -> d (B, T, O)."""
        z = step_inputs(summary, known, self.summary_size, self.known_size, "SequenceDecoder")  # (B, T, W + K)
        h, _ = self.lstm.forward(z)  # (B, T, M)
        return self.out.forward(h)  # (B, T, O)

    def backward(self, dd: np.ndarray) -> np.ndarray:
        """dd (B, T, O) -> dsummary (B, W) (summed over the steps); gradients accumulate in both layers.
        The known values are data: their gradient is not returned."""
        dh = self.out.backward(dd)  # (B, T, M)
        dz = self.lstm.backward(dh)  # (B, T, W + K)
        return dz[:, :, : self.summary_size].sum(axis=1)  # (B, W)
