"""LSTM: against PyTorch, finite differences, golden values, the trace, determinism, errors.

Every test here runs on both backends: the compiled kernels and the NumPy reference.
"""

import math

import numpy as np
import pytest

from lstmcast.nn import set_backend
from lstmcast.nn.lstm import LSTM


@pytest.fixture(autouse=True, params=["numba", "numpy"])
def backend(request):
    """Run the test with every layer built without ``backend=`` on this backend."""
    previous = set_backend(request.param)
    yield request.param
    set_backend(previous)


def _torch_lstm(m: LSTM):
    torch = pytest.importorskip("torch")
    t = torch.nn.LSTM(
        m.input_size, m.hidden_size, m.num_layers, batch_first=True,
        bidirectional=m.bidirectional, dtype=torch.float64,
    )
    t.load_state_dict({k: torch.tensor(v) for k, v in m.state_dict().items()})
    return torch, t


@pytest.mark.parametrize("input_size", [1, 7])
@pytest.mark.parametrize("num_layers", [1, 2])
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("seq_len", [1, 50])
@pytest.mark.parametrize("with_state", [False, True])
@pytest.mark.parametrize("batch", [4, 9])  # 9: two chunks of 5 rows on two threads, one row of padding
def test_matches_torch_values_and_gradients(input_size, num_layers, bidirectional, seq_len, with_state, batch):
    m = LSTM(input_size, 6, num_layers, bidirectional, dtype="float64", seed=3)
    torch, t = _torch_lstm(m)
    rng = np.random.default_rng(11)
    B, D = batch, m.num_directions
    x = rng.standard_normal((B, seq_len, input_size))
    state = None
    if with_state:
        state = tuple(rng.standard_normal((num_layers * D, B, 6)) for _ in range(2))

    out, (h_n, c_n) = m.forward(x, state)
    xt = torch.tensor(x, requires_grad=True)
    if with_state:
        h0t, c0t = (torch.tensor(s, requires_grad=True) for s in state)
        out_t, (h_nt, c_nt) = t(xt, (h0t, c0t))
    else:
        out_t, (h_nt, c_nt) = t(xt)
    np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(h_n, h_nt.detach().numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(c_n, c_nt.detach().numpy(), rtol=0, atol=1e-10)

    # Gradients flow from the outputs and from h_n and c_n at once.
    dout, dh_n, dc_n = (rng.standard_normal(a.shape) for a in (out, h_n, c_n))
    loss = (out_t * torch.tensor(dout)).sum() + (h_nt * torch.tensor(dh_n)).sum() + (c_nt * torch.tensor(dc_n)).sum()
    loss.backward()
    dx = m.backward(dout, dh_n, dc_n)
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=0, atol=1e-10)
    for name, p in t.named_parameters():
        np.testing.assert_allclose(m.grads[name], p.grad.numpy(), rtol=0, atol=1e-10, err_msg=name)
    if with_state:
        np.testing.assert_allclose(m.state_grad[0], h0t.grad.numpy(), rtol=0, atol=1e-10)
        np.testing.assert_allclose(m.state_grad[1], c0t.grad.numpy(), rtol=0, atol=1e-10)


def test_only_final_state_gradient():
    m = LSTM(3, 4, 2, True, dtype="float64", seed=0)
    torch, t = _torch_lstm(m)
    x = np.random.default_rng(0).standard_normal((2, 9, 3))
    xt = torch.tensor(x, requires_grad=True)
    _, (h_nt, _) = t(xt)
    h_nt.sum().backward()
    m.forward(x)
    dx = m.backward(None, np.ones((4, 2, 4)), None)
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=0, atol=1e-10)
    for name, p in t.named_parameters():
        np.testing.assert_allclose(m.grads[name], p.grad.numpy(), rtol=0, atol=1e-10)


def test_state_dict_loads_from_torch():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    t = torch.nn.LSTM(2, 5, 2, batch_first=True, bidirectional=True, dtype=torch.float64)
    m = LSTM(2, 5, 2, True, dtype="float64", seed=0)
    m.load_state_dict({k: v.detach().numpy() for k, v in t.state_dict().items()})
    x = np.random.default_rng(1).standard_normal((3, 8, 2))
    out, _ = m.forward(x)
    np.testing.assert_allclose(out, t(torch.tensor(x))[0].detach().numpy(), rtol=0, atol=1e-12)
    assert list(m.state_dict()) == list(t.state_dict())


def _gradcheck():
    return pytest.importorskip("lstmcast.nn.gradcheck").gradcheck


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(num_layers=1),
        dict(num_layers=2, bidirectional=True),
        dict(num_layers=2, dropout=0.3, recurrent_dropout=0.4),
    ],
)
def test_finite_differences(kwargs):
    gradcheck = _gradcheck()
    m = LSTM(3, 4, dtype="float64", seed=5, **kwargs)
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 6, 3))
    D = m.num_directions
    h0 = rng.standard_normal((m.num_layers * D, 2, 4))
    c0 = rng.standard_normal((m.num_layers * D, 2, 4))
    w_out = rng.standard_normal((2, 6, D * 4))
    w_h, w_c = rng.standard_normal(h0.shape), rng.standard_normal(c0.shape)

    def loss(outputs):
        out, (h_n, c_n) = outputs
        value = float((out * w_out).sum() + (h_n * w_h).sum() + (c_n**2).sum())
        return value, (w_out, w_h, 2 * c_n)

    errors = gradcheck(m, loss, (x, (h0, c0)))
    assert max(errors.values()) < 1e-6, errors
    assert "input0" in errors and "weight_hh_l0" in errors


def _scalar_lstm(w, b, x_seq, n_in, n_hidden):
    """Every weight = w, every bias = b: each unit follows the same scalar recurrence."""
    sig = lambda v: 1.0 / (1.0 + math.exp(-v))
    h = c = 0.0
    hs, cs = [], []
    for x in x_seq:
        z = w * n_in * x + w * n_hidden * h + 2 * b
        i, f, g, o = sig(z), sig(z), math.tanh(z), sig(z)
        c = f * c + i * g
        h = o * math.tanh(c)
        hs.append(h)
        cs.append(c)
    return hs, cs


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_golden_values_from_constant_weights(dtype):
    m = LSTM(2, 3, dtype=dtype, seed=0)
    for name, p in m.params.items():
        p[...] = 0.1 if name.startswith("weight") else -0.05
    x_seq = [1.0, -0.5, 2.0, 0.25]
    x = np.repeat(np.array(x_seq)[None, :, None], 2, axis=2)  # (1, 4, 2)
    out, (h_n, c_n) = m.forward(x)
    hs, cs = _scalar_lstm(0.1, -0.05, x_seq, 2, 3)
    tol = 1e-6 if dtype == "float32" else 1e-14
    np.testing.assert_allclose(out[0, :, 0], hs, rtol=0, atol=tol)
    np.testing.assert_allclose(c_n[0, 0], [cs[-1]] * 3, rtol=0, atol=tol)
    # Literal values, from the scalar recurrence above, so a refactor cannot move them.
    np.testing.assert_allclose(out[0, :, 1], [0.0274438, -0.0280050, 0.0722141, 0.0239160], rtol=0, atol=2e-6)


@pytest.mark.parametrize("bidirectional", [False, True])
def test_trace_obeys_the_equations(bidirectional):
    m = LSTM(2, 5, 2, bidirectional, dtype="float64", seed=1)
    x = np.random.default_rng(0).standard_normal((3, 7, 2))
    out, (h_n, c_n) = m.forward(x, record=True)
    assert set(m.trace) == {(l, d) for l in range(2) for d in range(m.num_directions)}
    for (layer, direction), tr in m.trace.items():
        for name in "ifgoch":
            assert tr[name].shape == (3, 7, 5)
        # the previous step is t-1 forwards and t+1 backwards in time
        c = tr["c"]
        if direction == 0:
            c_prev = np.concatenate([np.zeros((3, 1, 5)), c[:, :-1]], axis=1)
        else:
            c_prev = np.concatenate([c[:, 1:], np.zeros((3, 1, 5))], axis=1)
        np.testing.assert_allclose(c, tr["f"] * c_prev + tr["i"] * tr["g"], rtol=0, atol=1e-14)
        np.testing.assert_allclose(tr["h"], tr["o"] * np.tanh(c), rtol=0, atol=1e-14)
        assert ((tr["i"] > 0) & (tr["i"] < 1)).all() and (np.abs(tr["g"]) < 1).all()
    top = m.trace[(1, 0)]["h"]
    np.testing.assert_array_equal(out[:, :, :5], top)
    last = m.trace[(1, m.num_directions - 1)]
    np.testing.assert_array_equal(h_n[-1], last["h"][:, -1 if not bidirectional else 0])


def test_recurrent_dropout_uses_one_mask_per_sequence():
    m = LSTM(1, 4, recurrent_dropout=0.5, dtype="float64", seed=0)
    x = np.random.default_rng(0).standard_normal((3, 6, 1))
    m.forward(x, record=True)
    mask = m._cache["masks"][0][1][0]  # layer 0: (input mask, [recurrent mask per direction])
    assert mask.shape == (3, 4) and set(np.unique(mask)) <= {0.0, 2.0}
    tr = m.trace[(0, 0)]
    p = m.params
    h_prev = np.concatenate([np.zeros((3, 1, 4)), tr["h"][:, :-1]], axis=1)
    z = x @ p["weight_ih_l0"].T + (h_prev * mask[:, None, :]) @ p["weight_hh_l0"].T + p["bias_ih_l0"] + p["bias_hh_l0"]
    np.testing.assert_allclose(tr["f"], 1 / (1 + np.exp(-z[..., 4:8])), rtol=0, atol=1e-13)
    # In evaluation mode dropout is off: identical to a model without it.
    m.eval()
    plain = LSTM(1, 4, dtype="float64", seed=0)
    np.testing.assert_array_equal(m.forward(x)[0], plain.forward(x)[0])


def test_same_seed_same_numbers_bit_for_bit():
    def run():
        m = LSTM(3, 8, 2, True, dropout=0.2, recurrent_dropout=0.2, seed=42)
        x = np.random.default_rng(7).standard_normal((4, 10, 3)).astype(np.float32)
        out, _ = m.forward(x)
        dx = m.backward(np.ones_like(out))
        return out, dx, m.grads["weight_hh_l1_reverse"].copy()

    for a, b in zip(run(), run()):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(LSTM(3, 8, seed=1).params["weight_ih_l0"], LSTM(3, 8, seed=2).params["weight_ih_l0"])


def test_float32_agrees_with_float64():
    m64 = LSTM(4, 16, 2, True, dtype="float64", seed=0)
    m32 = LSTM(4, 16, 2, True, dtype="float32", seed=0)
    m32.load_state_dict(m64.state_dict())
    x = np.random.default_rng(0).standard_normal((5, 40, 4))
    out64, _ = m64.forward(x)
    out32, _ = m32.forward(x)
    assert out32.dtype == np.float32
    np.testing.assert_allclose(out32, out64, atol=1e-5)
    dx64, dx32 = m64.backward(np.ones_like(out64)), m32.backward(np.ones_like(out32))
    np.testing.assert_allclose(dx32, dx64, atol=1e-4)


def test_initialisation_options():
    H = 6
    m = LSTM(2, H, seed=0, recurrent_init="orthogonal", forget_bias=1.0, dtype="float64")
    w = m.params["weight_hh_l0"]
    for gate in range(4):
        block = w[gate * H : (gate + 1) * H]
        np.testing.assert_allclose(block @ block.T, np.eye(H), atol=1e-12)
    b = m.params["bias_ih_l0"] + m.params["bias_hh_l0"]
    np.testing.assert_array_equal(b[H : 2 * H], 1.0)
    bound = 1 / math.sqrt(H)
    default = LSTM(2, H, seed=0)
    assert all(np.abs(p).max() <= bound for p in default.params.values())


@pytest.mark.parametrize(
    "x, message",
    [
        (np.zeros((3, 4)), r"x must have shape \(batch, seq_len, input_size=2\), got \(3, 4\)"),
        (np.zeros((3, 4, 5)), r"input_size=2\), got \(3, 4, 5\)"),
        (np.full((1, 2, 2), np.nan), "x contains NaN or inf"),
        (np.zeros((1, 0, 2)), "at least one sequence and one time step"),
    ],
)
def test_bad_input_is_a_clear_error(x, message):
    with pytest.raises(ValueError, match=message):
        LSTM(2, 3).forward(x)


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="dtype must be 'float32' or 'float64'"):
        LSTM(2, 3, dtype="float16")
    with pytest.raises(ValueError, match="hidden_size must be a positive integer"):
        LSTM(2, 0)
    with pytest.raises(ValueError, match="dropout must be in"):
        LSTM(2, 3, dropout=1.0)
    m = LSTM(2, 3, num_layers=2)
    with pytest.raises(ValueError, match=r"state h_0 must have shape .*\(2, 1, 3\)"):
        m.forward(np.zeros((1, 4, 2)), (np.zeros((1, 1, 3)), np.zeros((2, 1, 3))))
    with pytest.raises(ValueError, match="backward called before forward"):
        LSTM(2, 3).backward(np.zeros((1, 1, 3)))
    m.forward(np.zeros((1, 4, 2)))
    with pytest.raises(ValueError, match=r"dout must have shape \(1, 4, 3\)"):
        m.backward(np.zeros((1, 4, 4)))


def test_finite_differences_wide_input_with_recurrent_dropout():
    """Inputs wider than H take the path with the input projection outside the loop."""
    gradcheck = _gradcheck()
    m = LSTM(9, 3, num_layers=2, bidirectional=True, recurrent_dropout=0.3, dtype="float64", seed=4)
    x = np.random.default_rng(3).standard_normal((2, 5, 9))
    w = np.random.default_rng(4).standard_normal((2, 5, 6))

    def loss(outputs):
        out, _ = outputs
        return float((out * w).sum()), (w, None, None)

    errors = gradcheck(m, loss, (x,))
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("batch, seq_len", [(1, 6), (3, 1), (2, 5)])
def test_outputs_and_traces_survive_the_next_call(batch, seq_len):
    """The time-loop buffers are reused between calls; nothing returned may alias them."""
    m = LSTM(2, 4, 2, True, dtype="float64", seed=0)
    rng = np.random.default_rng(0)
    x1, x2 = rng.standard_normal((2, batch, seq_len, 2))
    out1, (h1, c1) = m.forward(x1, record=True)
    kept = [out1.copy(), h1.copy(), c1.copy(), m.trace[(1, 1)]["c"].copy()]
    trace1 = m.trace[(1, 1)]["c"]
    m.forward(x2, record=True)
    for before, after in zip(kept, [out1, h1, c1, trace1]):
        np.testing.assert_array_equal(before, after)


@pytest.mark.parametrize("how", ["pickle", "deepcopy"])
def test_pickle_and_deepcopy_between_forward_and_backward(how):
    """The cache of the last forward names its backend (a module cannot be pickled); the copy goes on."""
    import copy
    import pickle

    lstm = LSTM(3, 5, num_layers=2, recurrent_dropout=0.2, dtype="float64", seed=0)
    x = np.random.default_rng(0).normal(size=(4, 6, 3))  # (B, T, I)
    out, _ = lstm.forward(x)
    copied = pickle.loads(pickle.dumps(lstm)) if how == "pickle" else copy.deepcopy(lstm)
    assert copied._cache["backend"] is lstm._cache["backend"] and copied._buffers == {}
    dout = np.ones_like(out)  # (B, T, H)
    np.testing.assert_array_equal(copied.backward(dout), lstm.backward(dout))
    np.testing.assert_array_equal(copied.forward(x)[0], lstm.forward(x)[0])  # the generators were copied too
