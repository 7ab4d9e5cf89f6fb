"""A stacked, optionally bidirectional LSTM with full backpropagation through time.

For every layer and direction, at every time step t (PyTorch's equations and names)::

    z_t = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh      (4H) split into i, f, g, o
    i_t = σ(z_i)   f_t = σ(z_f)   g_t = tanh(z_g)   o_t = σ(z_o)
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
    h_t = o_t ⊙ tanh(c_t)

and, walking back in time with dh_t (from the output and from step t+1) and dc_t::

    dz_o = dh_t ⊙ tanh(c_t) ⊙ o_t(1 - o_t)
    dc_t += dh_t ⊙ o_t ⊙ (1 - tanh²(c_t))
    dz_i = dc_t ⊙ g_t ⊙ i_t(1 - i_t)      dz_f = dc_t ⊙ c_{t-1} ⊙ f_t(1 - f_t)
    dz_g = dc_t ⊙ i_t ⊙ (1 - g_t²)        dc_{t-1} = dc_t ⊙ f_t
    dh_{t-1} = W_hhᵀ dz_t

The time loops run in one of two backends with the same arrays and the same
equations: ``"numba"`` (the default), compiled kernels in :mod:`lstmcast.nn.kernels`
that fuse a step's gate math into one pass and run the batch rows on every core;
and ``"numpy"``, the readable reference in :mod:`lstmcast.nn.lstm_numpy` that every
compiled result is tested against.  ``LSTM(..., backend=...)`` picks one for a layer;
:func:`lstmcast.nn.set_backend` (or ``LSTMCAST_BACKEND=numpy`` in the environment)
picks it for every layer built without one.

Parameters keep PyTorch's names, shapes and gate order (``weight_ih_l0`` (4H, I),
``weight_hh_l0`` (4H, H), ``bias_ih_l0``, ``bias_hh_l0``, ``..._reverse``), so
``state_dict`` moves to and from ``torch.nn.LSTM`` unchanged.
"""

from __future__ import annotations

import numpy as np

import lstmcast.nn.lstm_compiled as lstm_compiled
import lstmcast.nn.lstm_numpy as lstm_numpy
from .backend import check_backend, get_backend
from .init import make_rng, orthogonal, uniform
from .lstm_numpy import GATES
from .module import Module, resolve_dtype

BACKENDS = {"numba": lstm_compiled, "numpy": lstm_numpy}


class LSTM(Module):
    """Long short-term memory layers over a batch-first sequence.

    Parameters
    ----------
    input_size : int
        Features per time step, I.
    hidden_size : int
        Units per layer and direction, H.
    num_layers : int
        Stacked layers, L; layer l > 0 reads the outputs of layer l - 1.
    bidirectional : bool
        Also run each layer backwards in time (D = 2) and concatenate.
    dropout : float
        Dropout on the outputs of every layer but the last (training only), as PyTorch.
    recurrent_dropout : float
        Variational dropout on h_{t-1} before ``W_hh``: one mask per sequence and
        layer/direction, reused at every step (Gal & Ghahramani 2016). Training only.
    dtype : {"float32", "float64"}
        Parameter and computation dtype.
    seed : int, Generator or None
        Seeds initialisation and the dropout masks.
    recurrent_init : {"uniform", "orthogonal"}
        ``"uniform"`` is PyTorch's U(-1/sqrt(H), 1/sqrt(H)); ``"orthogonal"`` makes
        each gate's block of ``W_hh`` an orthogonal (H, H) matrix.
    forget_bias : float or None
        If given, ``bias_ih``'s forget block is set to it and ``bias_hh``'s to 0
        (so z_f starts at ``forget_bias``; 1.0 is the usual choice).
    backend : {"numba", "numpy"} or None
        Where the time loops run; ``None`` follows :func:`lstmcast.nn.get_backend`
        at every call.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bidirectional: bool = False,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        dtype="float32",
        seed=None,
        recurrent_init: str = "uniform",
        forget_bias: float | None = None,
        backend: str | None = None,
    ) -> None:
        super().__init__()
        for name, value in (("input_size", input_size), ("hidden_size", hidden_size), ("num_layers", num_layers)):
            if not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        for name, value in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if not 0.0 <= value < 1.0:
                raise ValueError(f"{name} must be in [0, 1), got {value!r}")
        if recurrent_init not in ("uniform", "orthogonal"):
            raise ValueError(f"recurrent_init must be 'uniform' or 'orthogonal', got {recurrent_init!r}")
        self.backend = None if backend is None else check_backend(backend, "backend")
        self.input_size = int(input_size)
        self.hidden_size = int(hidden_size)
        self.num_layers = int(num_layers)
        self.bidirectional = bool(bidirectional)
        self.num_directions = 2 if bidirectional else 1
        self.dropout = float(dropout)
        self.recurrent_dropout = float(recurrent_dropout)
        self.dtype = resolve_dtype(dtype)
        self.rng = make_rng(seed)
        self.trace: dict[tuple[int, int], dict[str, np.ndarray]] = {}
        self.state_grad: tuple[np.ndarray, np.ndarray] | None = None
        self._cache: dict | None = None
        self._buffers: dict[tuple, np.ndarray] = {}

        H = self.hidden_size
        bound = 1.0 / np.sqrt(H)
        for layer in range(self.num_layers):
            layer_input = self.input_size if layer == 0 else H * self.num_directions
            for direction in range(self.num_directions):
                sfx = self.suffix(layer, direction)
                self.add_param("weight_ih" + sfx, uniform(self.rng, (4 * H, layer_input), bound, self.dtype))
                if recurrent_init == "orthogonal":
                    w_hh = np.concatenate([orthogonal(self.rng, (H, H), self.dtype) for _ in GATES])  # (4H, H)
                else:
                    w_hh = uniform(self.rng, (4 * H, H), bound, self.dtype)
                self.add_param("weight_hh" + sfx, w_hh)
                b_ih = uniform(self.rng, (4 * H,), bound, self.dtype)
                b_hh = uniform(self.rng, (4 * H,), bound, self.dtype)
                if forget_bias is not None:
                    b_ih[H : 2 * H] = forget_bias
                    b_hh[H : 2 * H] = 0.0
                self.add_param("bias_ih" + sfx, b_ih)
                self.add_param("bias_hh" + sfx, b_hh)

    # --------------------------------------------------------------- pickling
    def __getstate__(self) -> dict:
        """What pickle and deepcopy keep: everything but the scratch buffers, with the cache of the last
        forward naming its backend (a module cannot be pickled) instead of holding it."""
        state = self.__dict__.copy()
        state["_buffers"] = {}  # refilled by the next forward
        if state["_cache"] is not None:
            name = next(key for key, module in BACKENDS.items() if module is state["_cache"]["backend"])
            state["_cache"] = {**state["_cache"], "backend": name}
        return state

    def __setstate__(self, state: dict) -> None:
        if state["_cache"] is not None:
            state = {**state, "_cache": {**state["_cache"], "backend": BACKENDS[state["_cache"]["backend"]]}}
        self.__dict__.update(state)

    @staticmethod
    def suffix(layer: int, direction: int) -> str:
        """The parameter-name suffix of a layer and direction: ``"_l0"``, ``"_l1_reverse"``."""
        return f"_l{layer}" + ("_reverse" if direction == 1 else "")

    # ------------------------------------------------------------------ checks
    def _check_input(self, x, state):
        x = np.asarray(x)
        if x.ndim != 3 or x.shape[2] != self.input_size:
            raise ValueError(
                f"x must have shape (batch, seq_len, input_size={self.input_size}), got {x.shape}"
            )
        if x.shape[0] == 0 or x.shape[1] == 0:
            raise ValueError(f"x must have at least one sequence and one time step, got {x.shape}")
        if x.dtype.kind not in "biuf":
            raise ValueError(f"x must be numeric, got dtype {x.dtype}")
        x = x.astype(self.dtype, copy=False)
        if not np.isfinite(np.add.reduce(x, axis=None)) and not np.isfinite(x).all():  # cheap test first
            raise ValueError("x contains NaN or inf")
        if state is None:
            return x, None, None  # the backends start from zeros
        expected = (self.num_layers * self.num_directions, x.shape[0], self.hidden_size)
        if not isinstance(state, (tuple, list)) or len(state) != 2:
            raise ValueError("state must be a tuple (h_0, c_0)")
        h0, c0 = (np.asarray(s, dtype=self.dtype) for s in state)
        for name, s in (("h_0", h0), ("c_0", c0)):
            if s.shape != expected:
                raise ValueError(f"state {name} must have shape (num_layers*num_directions, batch, hidden_size)={expected}, got {s.shape}")
            if not np.isfinite(s).all():
                raise ValueError(f"state {name} contains NaN or inf")
        return x, h0, c0

    def _buffer(self, key: tuple, shape: tuple) -> np.ndarray:
        """A scratch array reused by the next call with the same shape.

        Fresh large arrays cost page faults on every call; the time-loop buffers are
        only read until the next forward, which replaces the cache anyway. Nothing
        handed to a caller is one of these (outputs and traces are copies).
        """
        buf = self._buffers.get(key)
        if buf is None or buf.shape != shape:
            buf = np.empty(shape, self.dtype)
            self._buffers[key] = buf
        return buf

    def _dropout_mask(self, shape, p):
        keep = self.rng.random(shape) >= p
        return keep.astype(self.dtype) / self.dtype.type(1.0 - p)

    # ----------------------------------------------------------------- forward
    def forward(self, x, state=None, record: bool = False):
        """Run the whole sequence.

        Parameters
        ----------
        x : ndarray, shape (B, T, I)
            Batch-first input.
        state : tuple of ndarray (h_0, c_0), each (L*D, B, H), optional
            Initial state; zeros when omitted.
        record : bool
            Fill ``self.trace[(layer, direction)]`` with i, f, g, o, c, h, each (B, T, H),
            in the input's time order.

        Returns
        -------
        out : ndarray, shape (B, T, D*H)
            Top layer's h_t for every step (both directions concatenated).
        (h_n, c_n) : ndarrays, shape (L*D, B, H)
            Final states, indexed ``layer * D + direction`` as in PyTorch.
        """
        x, h0, c0 = self._check_input(x, state)
        B, T, _ = x.shape
        backend = BACKENDS[self.backend or get_backend()]
        masks = self._draw_masks(B, T)
        out, h_n, c_n, cache, trace = backend.forward_stack(self, x, h0, c0, masks, record)
        self._cache = {"backend": backend, "stack": cache, "masks": masks}
        self.trace = trace
        return out, (h_n, c_n)

    def _draw_masks(self, B: int, T: int) -> list:
        """Per layer: (dropout mask on its input (T, B, I_l) or None, [recurrent mask (B, H) or None per direction]).

        Drawn in one fixed order, so both backends see the same masks for the same seed.
        """
        masks = []
        for layer in range(self.num_layers):
            drop_mask = None
            if layer > 0 and self.training and self.dropout > 0:
                drop_mask = self._dropout_mask((T, B, self.hidden_size * self.num_directions), self.dropout)
            rec_masks = [
                self._dropout_mask((B, self.hidden_size), self.recurrent_dropout)
                if self.training and self.recurrent_dropout > 0 else None
                for _ in range(self.num_directions)
            ]
            masks.append((drop_mask, rec_masks))
        return masks

    # ---------------------------------------------------------------- backward
    def backward(self, dout=None, dh_n=None, dc_n=None):
        """Backpropagate through time; parameter gradients accumulate in ``self.grads``.

        Parameters
        ----------
        dout : ndarray (B, T, D*H) or None
            Gradient of the loss with respect to ``out``.
        dh_n, dc_n : ndarray (L*D, B, H) or None
            Gradients with respect to the final states.

        Returns
        -------
        dx : ndarray, shape (B, T, I)
            Gradient with respect to the input. The gradients with respect to the
            initial state are left in ``self.state_grad`` as ``(dh_0, dc_0)``.
        """
        if self._cache is None:
            raise ValueError("backward called before forward")
        B, T = self._cache["stack"]["shape"]
        H, D, L = self.hidden_size, self.num_directions, self.num_layers
        shapes = {"dout": (B, T, D * H), "dh_n": (L * D, B, H), "dc_n": (L * D, B, H)}
        given = {"dout": dout, "dh_n": dh_n, "dc_n": dc_n}
        for name, value in given.items():
            if value is not None and np.shape(value) != shapes[name]:
                raise ValueError(f"{name} must have shape {shapes[name]}, got {np.shape(value)}")
        dout, dh_n, dc_n = (None if a is None else np.asarray(a, self.dtype) for a in (dout, dh_n, dc_n))
        dx, dh0, dc0 = self._cache["backend"].backward_stack(self, self._cache["stack"], dout, dh_n, dc_n)
        self.state_grad = (dh0, dc0)
        return dx
