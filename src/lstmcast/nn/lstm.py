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

How it is fast in NumPy:

* Each step is one GEMM: [h_{t-1}, x_t, 1] (B, H+I+1) times [W_hhᵀ; W_ihᵀ; b], so the
  input projection and the bias ride along and no add is needed (for wider inputs,
  8(I+1) > H, ``W_ih x_t`` for all t is instead one GEMM before the loop).  After the
  backward sweep, one GEMM of the same stacked inputs gives dW_hh, dW_ih and the
  bias gradient together, and one more gives ``dx``.
* Inside the forward loop the gates of a step are one contiguous (B, 4H) block in
  the order (i, f, o, g).  The rows of the weights for i, f, o are pre-scaled by
  1/2, so a single ``tanh`` over the block gives tanh(z_g) and tanh(z/2) for the
  rest, and σ(z) = ½ + ½·tanh(z/2) is one multiply-add over the contiguous
  (i, f, o) part: nine NumPy calls per step in all.
* The backward loop works in PyTorch's order (i, f, g, o): everything that does
  not depend on the recurrence (the gate derivatives times g, c_{t-1}, i, tanh c)
  is computed for all steps at once before the loop, leaving seven NumPy calls
  per step, and the weight gradients come out in PyTorch's layout directly.

Parameters keep PyTorch's names, shapes and gate order (``weight_ih_l0`` (4H, I),
``weight_hh_l0`` (4H, H), ``bias_ih_l0``, ``bias_hh_l0``, ``..._reverse``), so
``state_dict`` moves to and from ``torch.nn.LSTM`` unchanged.
"""

from __future__ import annotations

import numpy as np

from .init import make_rng, orthogonal, uniform
from .module import Module, resolve_dtype

GATES = ("i", "f", "g", "o")


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
                sfx = self._suffix(layer, direction)
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

        # Forward-loop gate order (i, f, o, g) and the 1/2 pre-scale of the sigmoid gates.
        self._perm = np.r_[0 : 2 * H, 3 * H : 4 * H, 2 * H : 3 * H]  # torch (i,f,g,o) rows -> (i,f,o,g)
        self._scale = np.r_[np.full(3 * H, 0.5), np.ones(H)].astype(self.dtype)  # (4H,)

    @staticmethod
    def _suffix(layer: int, direction: int) -> str:
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
        if not np.issubdtype(x.dtype, np.number):
            raise ValueError(f"x must be numeric, got dtype {x.dtype}")
        x = x.astype(self.dtype, copy=False)
        if not np.isfinite(np.add.reduce(x, axis=None)) and not np.isfinite(x).all():  # cheap test first
            raise ValueError("x contains NaN or inf")
        B = x.shape[0]
        expected = (self.num_layers * self.num_directions, B, self.hidden_size)
        if state is None:
            zeros = np.zeros(expected, self.dtype)
            return x, zeros, zeros
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
        H, D = self.hidden_size, self.num_directions
        layer_in = np.ascontiguousarray(x.transpose(1, 0, 2))  # (T, B, I)
        h_n = np.empty((self.num_layers * D, B, H), self.dtype)
        c_n = np.empty_like(h_n)
        layers = []
        self.trace = {}
        for layer in range(self.num_layers):
            drop_mask = None
            if layer > 0 and self.training and self.dropout > 0:
                drop_mask = self._dropout_mask(layer_in.shape, self.dropout)  # (T, B, D*H)
                layer_in = layer_in * drop_mask
            out_tm = self._buffer((layer, "out"), (T, B, D * H))  # (T, B, D*H)
            sweeps = []
            for direction in range(D):
                k = layer * D + direction
                sweep = self._sweep_forward(layer_in, layer, direction, h0[k], c0[k])
                out_tm[:, :, direction * H : (direction + 1) * H] = sweep["out"]
                h_n[k] = sweep["h_last"]
                c_n[k] = sweep["c_last"]
                sweeps.append(sweep)
                if record:
                    self.trace[(layer, direction)] = self._trace_of(sweep)
            layers.append({"input": layer_in, "drop_mask": drop_mask, "sweeps": sweeps})
            layer_in = out_tm
        self._cache = {"layers": layers, "shape": (B, T)}
        out = layer_in.transpose(1, 0, 2).copy()  # (B, T, D*H), never a scratch buffer
        return out, (h_n, c_n)

    def _step_weights(self, sfx: str, fold_input: bool) -> np.ndarray:
        """The forward loop's matrix: rows [W_hhᵀ; W_ihᵀ; b] (or just W_hhᵀ), gates (i, f, o, g), i/f/o halved."""
        H = self.hidden_size
        perm, scale = self._perm, self._scale
        w_hh, w_ih = self.params["weight_hh" + sfx], self.params["weight_ih" + sfx]
        I = w_ih.shape[1]
        rows = H + I + 1 if fold_input else H
        w = np.empty((rows, 4 * H), self.dtype)  # (K, 4H)
        w[:H] = (w_hh[perm] * scale[:, None]).T
        if fold_input:
            w[H : H + I] = (w_ih[perm] * scale[:, None]).T
            w[H + I] = (self.params["bias_ih" + sfx] + self.params["bias_hh" + sfx])[perm] * scale
        return w

    def _sweep_forward(self, inp, layer, direction, h0, c0):
        """One layer, one direction. inp (T, B, I) time-major; returns a cache dict.

        When the input is narrow (8(I+1) <= H) it rides along with the bias in the recurrent product:
        each step multiplies [h_{k-1}, x_k, 1] (B, H+I+1) by [W_hhᵀ; W_ihᵀ; b], one GEMM
        and no add. For wider inputs W_ih x_t is one GEMM over all steps before the loop.
        """
        T, B, I = inp.shape
        H = self.hidden_size
        sfx = self._suffix(layer, direction)
        fold_input = 8 * (I + 1) <= H  # a narrow input costs little extra inside the step GEMM
        w_step = self._step_weights(sfx, fold_input)  # (K, 4H)
        x_k = inp if direction == 0 else inp[::-1]  # (T, B, I) processing order

        rec_mask = None
        if self.training and self.recurrent_dropout > 0:
            rec_mask = self._dropout_mask((B, H), self.recurrent_dropout)  # (B, H)

        # Buffers in processing order k (k = t forwards, k = T-1-t backwards).
        K = w_step.shape[0]
        key = (layer, direction)
        step_in = self._buffer(key + ("step_in",), (T + 1, B, K))  # (T+1, B, K): [h_{k-1} (masked), x_k, 1]
        step_in[0, :, :H] = h0 if rec_mask is None else h0 * rec_mask
        proj = None
        if fold_input:
            step_in[:T, :, H : H + I] = x_k
            step_in[:, :, H + I] = 1
        else:
            w_ih, perm, scale = self.params["weight_ih" + sfx], self._perm, self._scale
            w_ih_t = (w_ih[perm] * scale[:, None]).T  # (I, 4H)
            bias = (self.params["bias_ih" + sfx] + self.params["bias_hh" + sfx])[perm] * scale  # (4H,)
            proj = (x_k.reshape(T * B, I) @ w_ih_t).reshape(T, B, 4 * H)  # (T*B, I) @ (I, 4H) -> (T, B, 4H)
            proj += bias
        hs = step_in[:, :, :H] if rec_mask is None else self._buffer(key + ("hs",), (T + 1, B, H))  # (T+1, B, H)
        if rec_mask is not None:
            hs[0] = h0
        gates = self._buffer(key + ("gates",), (T, B, 4 * H))  # (T, B, 4H): i, f, o, g
        cs = self._buffer(key + ("cs",), (T + 1, B, H))  # (T+1, B, H): cs[k] = c_{k-1}
        cs[0] = c0
        tanh_c = self._buffer(key + ("tanh_c",), (T, B, H))  # (T, B, H)
        i_g = np.empty((B, H), self.dtype)
        H2, H3 = 2 * H, 3 * H
        matmul, add, mul, tanh = np.matmul, np.add, np.multiply, np.tanh
        for k in range(T):
            z = gates[k]  # (B, 4H)
            matmul(step_in[k], w_step, out=z)  # z = W_hh h + W_ih x + b (i, f, o halved)
            if proj is not None:
                add(z, proj[k], out=z)
            tanh(z, out=z)  # tanh(z_g), tanh(z/2) for i, f, o
            sig = z[:, :H3]
            mul(sig, 0.5, out=sig)
            add(sig, 0.5, out=sig)  # σ(z) = ½ + ½ tanh(z/2)
            c = cs[k + 1]
            mul(z[:, H:H2], cs[k], out=c)  # f ⊙ c_{k-1}
            mul(z[:, :H], z[:, H3:], out=i_g)  # i ⊙ g
            add(c, i_g, out=c)
            tanh(c, out=tanh_c[k])
            mul(z[:, H2:H3], tanh_c[k], out=hs[k + 1])  # h_k = o ⊙ tanh(c_k)
            if rec_mask is not None:
                mul(hs[k + 1], rec_mask, out=step_in[k + 1, :, :H])

        out = hs[1:] if direction == 0 else hs[:0:-1]  # (T, B, H) in time order
        return {
            "out": out,
            "h_last": hs[T],
            "c_last": cs[T],
            "gates": gates,
            "cs": cs,
            "hs": hs,
            "step_in": step_in,
            "fold_input": fold_input,
            "tanh_c": tanh_c,
            "rec_mask": rec_mask,
            "direction": direction,
            "suffix": sfx,
        }

    def _trace_of(self, sweep):
        """i, f, g, o, c, h as (B, T, H) arrays in input time order."""
        H = self.hidden_size
        gates, hs = sweep["gates"], sweep["hs"]
        blocks = {
            "i": gates[:, :, 0:H],
            "f": gates[:, :, H : 2 * H],
            "o": gates[:, :, 2 * H : 3 * H],
            "g": gates[:, :, 3 * H : 4 * H],
            "c": sweep["cs"][1:],
            "h": hs[1:],
        }  # each (T, B, H) in processing order
        step = 1 if sweep["direction"] == 0 else -1
        return {
            name: blocks[name][::step].transpose(1, 0, 2).copy()  # (B, T, H), a copy: never a scratch buffer
            for name in GATES + ("c", "h")
        }

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
        B, T = self._cache["shape"]
        H, D, L = self.hidden_size, self.num_directions, self.num_layers
        shapes = {"dout": (B, T, D * H), "dh_n": (L * D, B, H), "dc_n": (L * D, B, H)}
        given = {"dout": dout, "dh_n": dh_n, "dc_n": dc_n}
        for name, value in given.items():
            if value is not None and np.shape(value) != shapes[name]:
                raise ValueError(f"{name} must have shape {shapes[name]}, got {np.shape(value)}")
        d_layer_out = None
        if dout is not None:
            d_layer_out = np.asarray(dout, self.dtype).transpose(1, 0, 2)  # (T, B, D*H)
        dh0 = np.zeros((L * D, B, H), self.dtype)
        dc0 = np.zeros_like(dh0)
        for layer in range(L - 1, -1, -1):
            cache = self._cache["layers"][layer]
            inp = cache["input"]
            d_in = np.zeros(inp.shape, self.dtype)  # (T, B, I_l)
            for direction, sweep in enumerate(cache["sweeps"]):
                k = layer * D + direction
                d_h = None if d_layer_out is None else d_layer_out[:, :, direction * H : (direction + 1) * H]
                dhn = None if dh_n is None else np.asarray(dh_n[k], self.dtype)
                dcn = None if dc_n is None else np.asarray(dc_n[k], self.dtype)
                dh0[k], dc0[k] = self._sweep_backward(sweep, inp, d_h, dhn, dcn, d_in)
            if cache["drop_mask"] is not None:
                d_in *= cache["drop_mask"]
            d_layer_out = d_in
        self.state_grad = (dh0, dc0)
        return np.ascontiguousarray(d_layer_out.transpose(1, 0, 2))  # (B, T, I)

    def _sweep_backward(self, sweep, inp, d_h, dh_n, dc_n, d_in):
        """BPTT for one layer and direction; adds into grads and into d_in (T, B, I)."""
        H = self.hidden_size
        T, B, I = inp.shape
        direction, sfx = sweep["direction"], sweep["suffix"]
        gates, tanh_c, rec_mask = sweep["gates"], sweep["tanh_c"], sweep["rec_mask"]
        w_ih, w_hh = self.params["weight_ih" + sfx], self.params["weight_hh" + sfx]

        # Everything that does not depend on the recurrence, for all steps at once,
        # in reused buffers (processing order; slices are (T, B, H)).
        H2, H3 = 2 * H, 3 * H
        i, f, o, g = gates[:, :, :H], gates[:, :, H:H2], gates[:, :, H2:H3], gates[:, :, H3:]
        c_prev = sweep["cs"][:T]
        sig_d = self._buffer(("sig_d",), (T, B, H3))  # σ' = a(1-a) for i, f, o
        np.subtract(1, gates[:, :, :H3], out=sig_d)
        np.multiply(sig_d, gates[:, :, :H3], out=sig_d)
        # dz_{i,f,g} = dc ⊙ [g ⊙ i(1-i), c_{t-1} ⊙ f(1-f), i ⊙ (1-g²)]
        by_dc = self._buffer(("by_dc",), (T, B, 3, H))  # (T, B, 3, H)
        np.multiply(g, sig_d[:, :, :H], out=by_dc[:, :, 0])
        np.multiply(c_prev, sig_d[:, :, H:H2], out=by_dc[:, :, 1])
        np.multiply(g, g, out=by_dc[:, :, 2])
        np.subtract(1, by_dc[:, :, 2], out=by_dc[:, :, 2])
        np.multiply(i, by_dc[:, :, 2], out=by_dc[:, :, 2])
        o_by_dh = self._buffer(("o_by_dh",), (T, B, H))  # dz_o = dh ⊙ tanh c ⊙ o(1-o)
        np.multiply(tanh_c, sig_d[:, :, H2:], out=o_by_dh)
        c_by_dh = self._buffer(("c_by_dh",), (T, B, H))  # dc += dh ⊙ o ⊙ (1 - tanh² c)
        np.multiply(tanh_c, tanh_c, out=c_by_dh)
        np.subtract(1, c_by_dh, out=c_by_dh)
        np.multiply(o, c_by_dh, out=c_by_dh)

        dz = self._buffer(("dz",), (T, B, 4 * H))  # (T, B, 4H) torch order (i, f, g, o)
        dz4 = dz.reshape(T, B, 4, H)  # (T, B, 4, H) view
        dh = np.zeros((B, H), self.dtype) if dh_n is None else dh_n.copy()
        dc = np.zeros((B, H), self.dtype) if dc_n is None else dc_n.copy()
        tmp = np.empty((B, H), self.dtype)
        times = range(T) if direction == 0 else range(T - 1, -1, -1)
        matmul, add, mul = np.matmul, np.add, np.multiply
        dc_b = dc[:, None, :]  # (B, 1, H) view
        for k in range(T - 1, -1, -1):
            if d_h is not None:
                add(dh, d_h[times[k]], out=dh)
            mul(dh, o_by_dh[k], out=dz4[k, :, 3])
            mul(dh, c_by_dh[k], out=tmp)
            add(dc, tmp, out=dc)
            mul(dc_b, by_dc[k], out=dz4[k, :, :3])
            mul(dc, f[k], out=dc)
            matmul(dz[k], w_hh, out=dh)  # (B, 4H) @ (4H, H)
            if rec_mask is not None:
                mul(dh, rec_mask, out=dh)

        dz2 = dz.reshape(T * B, 4 * H)  # (T*B, 4H)
        step_in = sweep["step_in"][:T]  # (T, B, K): [h_{k-1} (masked), x_k, 1]
        if sweep["fold_input"]:
            # one GEMM gives [dW_hhᵀ; dW_ihᵀ; db]
            d_step = step_in.reshape(T * B, -1).T @ dz2  # (K, T*B) @ (T*B, 4H) -> (K, 4H)
            self.grads["weight_hh" + sfx] += d_step[:H].T
            self.grads["weight_ih" + sfx] += d_step[H : H + I].T
            db = d_step[H + I]  # (4H,)
        else:
            x_k = inp if direction == 0 else inp[::-1]  # (T, B, I) processing order
            self.grads["weight_ih" + sfx] += dz2.T @ x_k.reshape(T * B, I)  # (4H, I)
            self.grads["weight_hh" + sfx] += dz2.T @ step_in.reshape(T * B, H)  # (4H, H)
            db = dz2.sum(axis=0)  # (4H,)
        self.grads["bias_ih" + sfx] += db
        self.grads["bias_hh" + sfx] += db
        dx_k = (dz2 @ w_ih).reshape(T, B, I)  # (T, B, I) processing order
        d_in += dx_k if direction == 0 else dx_k[::-1]
        return dh, dc
