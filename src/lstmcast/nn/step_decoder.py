"""StepDecoder: one small MLP per forecast step over a summary vector and that step's known values.

For a summary ``s`` (B, W) of what an encoder read, and the values known in advance for
each of T forecast steps ``k_t`` (B, K)::

    z_t = [s ; k_t]                      (B, W + K)   the same s beside every step's k_t
    u_t = ReLU(W_1 z_t + b_1)            (B, M)
    d_t = W_2 u_t + b_2                  (B, O)

The weights are shared by every step (a step is told apart only by its known values,
which include the calendar when it is asked for). NeuralForecast's LSTM decodes this way:
the known values of a step reach its output directly, instead of through the recurrence.
Parameters are two :class:`~lstmcast.nn.Dense` layers, ``hidden`` and ``out``, laid out as
``torch.nn.Linear``.
"""

from __future__ import annotations

import numpy as np

from lstmcast.nn.dense import Dense
from lstmcast.nn.init import make_rng
from lstmcast.nn.module import Module
from lstmcast.nn.shapes import dense_shapes, prefixed

__all__ = ["StepDecoder", "step_decoder_shapes", "step_inputs"]


def step_inputs(summary: np.ndarray, known: np.ndarray, summary_size: int, known_size: int, who: str) -> np.ndarray:
    """summary (B, W), known (B, T, K) -> z (B, T, W + K), the summary beside every step's known values;
    ValueError naming ``who`` on other shapes."""
    B, T, K = known.shape
    if K != known_size or summary.shape != (B, summary_size):
        raise ValueError(f"{who} expects summary (B, {summary_size}) and known (B, T, {known_size}), "
                         f"got {summary.shape} and {known.shape}")
    s = np.broadcast_to(summary[:, None, :], (B, T, summary_size))  # (B, T, W)
    return np.concatenate([s, known.astype(summary.dtype, copy=False)], axis=2)  # (B, T, W + K)


def step_decoder_shapes(summary_size: int, known_size: int, hidden_size: int,
                        out_features: int) -> dict[str, tuple[int, ...]]:
    """Shapes of :class:`StepDecoder`'s parameters, keyed as in its ``state_dict``."""
    shapes = prefixed("hidden", dense_shapes(int(summary_size) + int(known_size), hidden_size))
    shapes.update(prefixed("out", dense_shapes(hidden_size, out_features)))
    return shapes


class StepDecoder(Module):
    """``d_t = W_2 ReLU(W_1 [s; k_t] + b_1) + b_2`` for every step t.

    Parameters
    ----------
    summary_size : int
        W, the size of the summary vector.
    known_size : int
        K, the values known for each step.
    hidden_size : int
        M, the MLP's width.
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
        self.hidden = Dense(self.summary_size + self.known_size, hidden_size, dtype=dtype, seed=rng.spawn(1)[0])
        self.out = Dense(hidden_size, out_features, dtype=dtype, seed=rng.spawn(1)[0])
        self._active: np.ndarray | None = None

    def forward(self, summary: np.ndarray, known: np.ndarray) -> np.ndarray:
        """summary (B, W), known (B, T, K) -> d (B, T, O)."""
        z = step_inputs(summary, known, self.summary_size, self.known_size, "StepDecoder")  # (B, T, W + K)
        pre = self.hidden.forward(z)  # (B, T, M)
        self._active = pre > 0  # (B, T, M)   dReLU/dpre
        return self.out.forward(np.where(self._active, pre, 0))  # (B, T, O)

    def backward(self, dd: np.ndarray) -> np.ndarray:
        """dd (B, T, O) -> dsummary (B, W) (summed over the steps); gradients accumulate in both layers.
        The known values are data: their gradient is not returned."""
        if self._active is None:
            raise RuntimeError("backward called before forward")
        du = self.out.backward(dd)  # (B, T, M)
        dz = self.hidden.backward(np.where(self._active, du, 0))  # (B, T, W + K)
        return dz[:, :, : self.summary_size].sum(axis=1)  # (B, W)
