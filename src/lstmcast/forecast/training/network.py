"""ForecastNet: LSTM stack -> (attention pooling | last state) -> dropout -> Dense head (+ a step decoder).

The network maps a window (B, T, F) to the next ``horizon`` values of the target
(B, horizon), or to ``quantiles`` ordered quantiles of each (B, horizon, Q), forward
and backward only; the Forecaster owns windows, scaling and
fitting and builds the network once the data's dimensions are known.

With values known in advance for the horizon (``known_size`` K > 0: calendars, day-ahead
forecasts), each step's output also reads them through a :class:`~lstmcast.nn.StepDecoder`::

    s = dropout(summary of the LSTM's outputs)            (B, W)
    y_t = head(s)_t + W_2 ReLU(W_1 [s ; k_t] + b_1) + b_2  (B, Q) for t = 1 .. horizon

so a step's known values reach its forecast directly; the window itself may hold their past.

A panel's static attributes (``static_size`` S > 0, the last S columns of every row) are read as inputs
at every step and by the decoder; with :data:`STATIC_STATE` they also set the encoder's initial state::

    z = the window's static values (its last row's last S columns)    (B, S)
    [h_0 ; c_0] = [tanh(W_h z + b_h) ; W_c z + b_c]                    one (H,) pair per layer and direction
"""

from __future__ import annotations

import numpy as np

from ...nn.attention import Attention
from ...nn.dense import Dense
from ...nn.dropout import Dropout
from ...nn.init import make_rng
from ...nn.lstm import LSTM
from ...nn.module import Module
from ...nn.ordered import OrderedQuantiles
from ...nn.shapes import attention_shapes, check_parameter_count, dense_shapes, lstm_shapes, prefixed
from ...nn.sequence_decoder import SequenceDecoder, sequence_decoder_shapes
from ...nn.step_decoder import StepDecoder, step_decoder_shapes


DECODERS = ("step", "horizon", "sequence")
DECODER = "step"
"""How the known values of the horizon reach the output (only with ``known_size``), among ``DECODERS``:

- ``"step"``: :class:`~lstmcast.nn.StepDecoder`, an MLP per step over ``[s; k_t]``;
- ``"horizon"``: the same MLP over ``[s; k_1 .. k_T; k_t]``, every step's known values beside its own;
- ``"sequence"``: :class:`~lstmcast.nn.SequenceDecoder`, an LSTM over the steps reading ``[s; k_t]``.

Chosen on the electricity markets' validation year (``benchmarks/epf.py --validation --decoder``; the
figures are in ``benchmarks/README.md``). A model folder does not record it: the folders of one
choice load only where it is the same."""


STATIC_STATE = False
"""Whether a panel's static attributes also set the encoder's initial state (see the module's docstring).
Off, chosen on validation: the BE and DE markets as a panel with a static market attribute
(``benchmarks/epf.py --validation --runs with --panel --static-state on|off``) scored BE 5.011 / 4.995 and
DE 3.648 / 3.651 with / without it, and a synthetic panel whose daily shape a category decides 0.5538 /
0.5563 (median of 3 seeds): level, for more weights. The static values are read at every step and by the
decoder either way. Like :data:`DECODER`, a model folder does not record it."""


def _state_size(num_layers: int, bidirectional: bool, hidden_size: int) -> int:
    """Values in one of (h_0, c_0) per window: L*D*H, what the static initial state's Dense gives twice."""
    return int(num_layers) * (2 if bidirectional else 1) * int(hidden_size)


def _context_size(width: int, horizon: int, known_size: int) -> int:
    """What the decoder reads beside each step's own known values: the summary, and every step's with
    ``DECODER="horizon"``."""
    return int(width) + (int(horizon) * int(known_size) if DECODER == "horizon" else 0)


def _decoder_class(decoder: str):
    if decoder not in DECODERS:
        raise ValueError(f"DECODER must be one of {', '.join(DECODERS)}, got {decoder!r}")
    return (SequenceDecoder, sequence_decoder_shapes) if decoder == "sequence" else (StepDecoder, step_decoder_shapes)


class ForecastNet(Module):
    """LSTM encoder with a linear multi-step head.

    Parameters
    ----------
    input_size : int
        Features per step, F.
    horizon : int
        Outputs per window.
    hidden_size, num_layers, bidirectional, dropout, recurrent_dropout
        Passed to :class:`lstmcast.nn.LSTM`; ``dropout`` is also applied to the
        summary vector before the head.
    attention : bool
        Pool all of the top layer's outputs with additive attention instead of
        taking the last state.
    dtype : {"float32", "float64"}
    seed : int, Generator or None
        One generator seeds every sub-layer in turn.
    quantiles : int
        Outputs per step: 1 for a point forecast; Q > 1 for Q quantiles kept in
        order by :class:`lstmcast.nn.OrderedQuantiles` around ``median``.
    median : int
        Index of the base quantile (see :class:`~lstmcast.nn.OrderedQuantiles`).
    known_size : int
        K, the values known in advance for every forecast step (0: none, no decoder).
    static_size : int
        S, the static attributes among the inputs: the last S columns of each row (0: none); with
        :data:`STATIC_STATE` they set the initial state.
    """

    def __init__(self, input_size: int, horizon: int, hidden_size: int, num_layers: int,
                 bidirectional: bool, dropout: float, recurrent_dropout: float, attention: bool,
                 dtype="float32", seed=None, quantiles: int = 1, median: int = 0, known_size: int = 0,
                 static_size: int = 0) -> None:
        super().__init__()
        check_parameter_count(
            self.state_shapes(input_size, horizon, hidden_size, num_layers, bidirectional, attention, quantiles,
                              known_size, static_size),
            f"input_size={input_size}, horizon={horizon}, hidden_size={hidden_size}, num_layers={num_layers}",
        )
        rng = make_rng(seed)
        self.hidden_size = hidden_size
        self.lstm = LSTM(input_size, hidden_size, num_layers, bidirectional, dropout,
                         recurrent_dropout, dtype=dtype, seed=rng.spawn(1)[0], forget_bias=1.0)
        width = hidden_size * self.lstm.num_directions
        self.attention = Attention(width, dtype=dtype, seed=rng.spawn(1)[0]) if attention else None
        self.drop = Dropout(dropout, seed=rng.spawn(1)[0]) if dropout > 0 else None
        self.horizon, self.quantiles = horizon, quantiles
        self.head = Dense(width, horizon * quantiles, dtype=dtype, seed=rng.spawn(1)[0])
        self.order = OrderedQuantiles(quantiles, median) if quantiles > 1 else None
        self.known_size = int(known_size)  # (spawned after the head: known_size=0 draws the same weights as before)
        self.context = _context_size(width, horizon, self.known_size)
        decoder, _ = _decoder_class(DECODER)
        self.decoder = (decoder(self.context, known_size, width, quantiles, dtype=dtype, seed=rng.spawn(1)[0])
                        if known_size else None)
        self.static_size = int(static_size) if STATIC_STATE else 0  # (spawned last: the other weights stay as they were)
        states = _state_size(num_layers, bidirectional, hidden_size)
        self.initial = Dense(self.static_size, 2 * states, dtype=dtype, seed=rng.spawn(1)[0]) if self.static_size else None
        self._seq_len = None
        self._h0 = None  # tanh(W_h z + b_h) (L*D, B, H) of the last forward, for backward

    @staticmethod
    def state_shapes(input_size: int, horizon: int, hidden_size: int, num_layers: int,
                     bidirectional: bool, attention: bool, quantiles: int = 1,
                     known_size: int = 0, static_size: int = 0) -> dict[str, tuple[int, ...]]:
        """The ``state_dict`` shapes this network would have, computed without building it."""
        width = int(hidden_size) * (2 if bidirectional else 1)
        shapes = prefixed("lstm", lstm_shapes(input_size, hidden_size, num_layers, bidirectional))
        if attention:
            shapes.update(prefixed("attention", attention_shapes(width)))
        shapes.update(prefixed("head", dense_shapes(width, horizon * int(quantiles))))
        if known_size:
            _, decoder_shapes = _decoder_class(DECODER)
            shapes.update(prefixed("decoder", decoder_shapes(_context_size(width, horizon, known_size), known_size,
                                                             width, quantiles)))
        if STATIC_STATE and static_size:
            states = _state_size(num_layers, bidirectional, hidden_size)
            shapes.update(prefixed("initial", dense_shapes(static_size, 2 * states)))
        return shapes

    def forward(self, x: np.ndarray, known: np.ndarray | None = None, record: bool = False) -> np.ndarray:
        """x (B, T, F) and, with ``known_size``, known (B, horizon, K) -> forecasts (B, horizon) [or
        (B, horizon, Q)] in the scaled, window-normalised units."""
        if (known is None) != (self.decoder is None):
            raise ValueError(f"this network reads {self.known_size} known values a step: "
                             + ("give known=" if known is None else "it takes no known="))
        out, _ = self.lstm.forward(x, self._initial_state(x), record=record)  # (B, T, D*H)
        self._seq_len = out.shape[1]
        summary = self._summarise(out)  # (B, D*H)
        if self.drop is not None:
            summary = self.drop.forward(summary)
        out = self.head.forward(summary)  # (B, horizon * Q)
        if self.decoder is not None:
            steps = out.reshape(len(out), self.horizon, self.quantiles)  # (B, horizon, Q)
            context = summary if self.context == summary.shape[1] else np.concatenate(
                [summary, known.reshape(len(known), -1).astype(summary.dtype, copy=False)], axis=1)  # (B, W + horizon*K)
            out = (steps + self.decoder.forward(context, known)).reshape(len(out), -1)  # (B, horizon * Q)
        if self.order is None:
            return out  # (B, horizon)
        return self.order.forward(out.reshape(len(out), self.horizon, self.quantiles))  # (B, horizon, Q)

    def _initial_state(self, x: np.ndarray):
        """(h_0, c_0) (L*D, B, H) each from the window's static values, or None (zeros) without them."""
        if self.initial is None:
            return None
        B, LD = len(x), self.lstm.num_layers * self.lstm.num_directions
        raw = self.initial.forward(np.ascontiguousarray(x[:, -1, -self.static_size:]))  # (B, 2 * L*D*H)
        raw = raw.reshape(B, 2, LD, self.hidden_size).transpose(1, 2, 0, 3)  # (2, L*D, B, H)
        self._h0 = np.tanh(raw[0])  # (L*D, B, H)
        return np.ascontiguousarray(self._h0), np.ascontiguousarray(raw[1])

    def _summarise(self, out: np.ndarray) -> np.ndarray:
        if self.attention is not None:
            return self.attention.forward(out)  # (B, D*H)
        H = self.hidden_size
        if self.lstm.num_directions == 1:
            return out[:, -1]  # (B, H): h_T
        return np.concatenate([out[:, -1, :H], out[:, 0, H:]], axis=1)  # (B, 2H): both final states

    def backward(self, dy: np.ndarray) -> np.ndarray:
        """dy (B, horizon) [or (B, horizon, Q)] -> dx (B, T, F); gradients accumulate in every layer."""
        if self.order is not None:
            dy = self.order.backward(dy).reshape(len(dy), -1)  # (B, horizon * Q)
        dsummary = self.head.backward(dy)  # (B, D*H)
        if self.decoder is not None:
            dcontext = self.decoder.backward(dy.reshape(len(dy), self.horizon, self.quantiles))  # (B, context)
            dsummary = dsummary + dcontext[:, : dsummary.shape[1]]  # (B, D*H): the known values are data
        if self.drop is not None:
            dsummary = self.drop.backward(dsummary)
        B, H = dsummary.shape[0], self.hidden_size
        if self.attention is not None:
            dx = self.lstm.backward(self.attention.backward(dsummary))  # dout (B, T, D*H)
        else:  # the summary is the top layer's final state(s): its gradient is dh_n there
            D, L = self.lstm.num_directions, self.lstm.num_layers
            dh_n = np.zeros((L * D, B, H), dsummary.dtype)  # (L*D, B, H)
            dh_n[(L - 1) * D :] = dsummary.reshape(B, D, H).transpose(1, 0, 2)  # (D, B, H)
            dx = self.lstm.backward(None, dh_n, None)
        if self.initial is not None:  # through (h_0, c_0) to W_h, W_c and the static values
            dh0, dc0 = self.lstm.state_grad  # (L*D, B, H) each
            draw = np.stack([dh0 * (1 - self._h0 * self._h0), dc0])  # (2, L*D, B, H)
            draw = draw.transpose(2, 0, 1, 3).reshape(B, -1)  # (B, 2 * L*D*H)
            dx[:, -1, -self.static_size:] += self.initial.backward(draw)  # (B, S)
        return dx
