"""The compiled backend against the NumPy reference and torch in float32; threads; the backend switch."""

import os
import subprocess
import sys

import numpy as np
import pytest

from lstmcast.nn import get_backend, get_threads, set_backend, set_threads
from lstmcast.nn.lstm import LSTM
from lstmcast.nn.lstm_compiled import chunking


def _run(backend, dtype="float32", batch=13, seed=0, **kwargs):
    """Forward and backward of a 2-layer bidirectional LSTM with dropout; everything it computes."""
    m = LSTM(3, 16, 2, bidirectional=True, dropout=0.2, recurrent_dropout=0.3, dtype=dtype, seed=seed,
             backend=backend, **kwargs)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((batch, 11, 3))
    state = tuple(rng.standard_normal((4, batch, 16)) for _ in range(2))
    out, (h_n, c_n) = m.forward(x, state, record=True)
    dx = m.backward(rng.standard_normal(out.shape), rng.standard_normal(h_n.shape), rng.standard_normal(c_n.shape))
    return [out, h_n, c_n, dx, *m.state_grad, *m.grads.values(), *m.trace[(1, 1)].values()]


@pytest.mark.parametrize("batch", [1, 5, 13])
def test_backends_agree_to_rounding_with_dropout_and_initial_state(batch):
    """Same seed, same masks: the compiled sweeps compute what the NumPy reference does."""
    for compiled, reference in zip(_run("numba", "float64", batch), _run("numpy", "float64", batch)):
        np.testing.assert_allclose(compiled, reference, rtol=0, atol=1e-12)


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_float32_matches_torch_within_1e_5(backend):
    torch = pytest.importorskip("torch")
    m = LSTM(5, 32, 2, bidirectional=True, dtype="float32", seed=2, backend=backend)
    t = torch.nn.LSTM(5, 32, 2, batch_first=True, bidirectional=True)
    t.load_state_dict({k: torch.tensor(v) for k, v in m.state_dict().items()})
    rng = np.random.default_rng(0)
    x = rng.standard_normal((16, 40, 5)).astype(np.float32)
    out, (h_n, _) = m.forward(x)
    xt = torch.tensor(x, requires_grad=True)
    out_t, (h_nt, _) = t(xt)
    np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=0, atol=1e-5)
    dout = rng.standard_normal(out.shape).astype(np.float32) / out.size ** 0.5
    (out_t * torch.tensor(dout)).sum().backward()
    dx = m.backward(dout)
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=0, atol=1e-5)
    for name, p in t.named_parameters():
        np.testing.assert_allclose(m.grads[name], p.grad.numpy(), rtol=0, atol=1e-5, err_msg=name)


@pytest.fixture
def threads():
    """Set the sweeps' thread count inside a test; restored afterwards."""
    previous = get_threads()
    yield set_threads
    set_threads(previous)


def test_batch_is_cut_into_one_chunk_per_thread(threads):
    threads(3)
    assert chunking(1) == (1, 1)
    assert chunking(7) == (1, 7)  # fewer than 4 rows a chunk: one chunk
    assert chunking(64) == (3, 22)  # the last chunk has 20 rows and 2 of padding
    threads(1)
    assert chunking(64) == (1, 64)


def test_same_seed_same_numbers_bit_for_bit_on_several_threads(threads):
    threads(3)
    for a, b in zip(_run("numba", batch=40), _run("numba", batch=40)):
        np.testing.assert_array_equal(a, b)


def test_thread_count_changes_numbers_only_by_rounding(threads):
    threads(2)
    two = _run("numba", batch=40)
    threads(1)
    one = _run("numba", batch=40)
    for a, b in zip(two, one):
        scale = max(1.0, float(np.abs(b).max()))
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-6 * scale)


def test_calls_from_several_user_threads_at_once_agree_with_one(threads):
    """Each call cuts its batch over the pool; calls from many threads do not mix up their chunks."""
    from concurrent.futures import ThreadPoolExecutor

    threads(2)
    alone = _run("numba", batch=24)
    with ThreadPoolExecutor(4) as users:
        runs = list(users.map(lambda _: _run("numba", batch=24), range(4)))
    for run in runs:
        for a, b in zip(run, alone):
            np.testing.assert_array_equal(a, b)


def test_thread_count_errors():
    with pytest.raises(ValueError, match="threads must be a positive whole number, got 0"):
        set_threads(0)
    code = "from lstmcast.nn import get_threads; print(get_threads())"
    env = dict(os.environ, LSTMCAST_THREADS="3")
    assert subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True).stdout.strip() == "3"
    env["LSTMCAST_THREADS"] = "many"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert "the environment variable LSTMCAST_THREADS must be a positive whole number" in result.stderr


def test_backend_switch_and_its_errors():
    previous = set_backend("numpy")
    try:
        assert get_backend() == "numpy"
        assert LSTM(1, 2).backend is None  # follows the switch at every call
        assert LSTM(1, 2, backend="numba").backend == "numba"
    finally:
        set_backend(previous)
    with pytest.raises(ValueError, match="backend must be one of 'numba', 'numpy', got 'cuda'"):
        LSTM(1, 2, backend="cuda")
    with pytest.raises(ValueError, match="backend must be one of"):
        set_backend("torch")


def test_environment_variable_picks_the_backend():
    code = "from lstmcast.nn import get_backend; print(get_backend())"
    env = dict(os.environ, LSTMCAST_BACKEND="numpy")
    assert subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True).stdout.strip() == "numpy"
    env["LSTMCAST_BACKEND"] = "fast"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "the environment variable LSTMCAST_BACKEND must be one of" in result.stderr
