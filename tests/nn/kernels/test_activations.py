"""The compiled sweeps' tanh and σ: their error against float64 NumPy, over every range that matters."""

import numpy as np
import pytest

from lstmcast.nn.kernels.activations import TANH32_CLAMP, sigmoid_array, tanh_array

# The bounds the engine promises (documented in lstmcast.nn.kernels.activations).
BOUND = {np.float32: 5e-7, np.float64: 1e-15}


def _grid(dtype):
    """Dense near 0 and the clamp, coarse far out, both signs, the exact zeros and the extremes."""
    dense = np.linspace(-10, 10, 400_001)
    near_zero = np.geomspace(1e-30, 1e-2, 2_000)
    far = np.geomspace(10, 1e6, 200)
    x = np.concatenate([dense, near_zero, -near_zero, far, -far, [0.0, -0.0, float(TANH32_CLAMP)]])
    finfo = np.finfo(dtype)
    return np.concatenate([x.astype(dtype), np.array([finfo.max, -finfo.max, finfo.tiny], dtype)])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_tanh_error_is_within_the_promised_bound(dtype):
    x = _grid(dtype)
    out = np.empty_like(x)
    tanh_array(x, out)
    exact = np.tanh(x.astype(np.float64))
    assert np.abs(out - exact).max() <= BOUND[dtype]
    assert np.all(np.abs(out) <= 1) and np.all(np.sign(out) == np.sign(exact))
    np.testing.assert_array_equal(out[x == 0], 0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_error_is_within_the_promised_bound(dtype):
    x = _grid(dtype)
    out = np.empty_like(x)
    sigmoid_array(x, out)
    with np.errstate(over="ignore"):
        exact = 1.0 / (1.0 + np.exp(-x.astype(np.float64)))
    assert np.abs(out - exact).max() <= BOUND[dtype] / 2
    assert np.all((out >= 0) & (out <= 1))


def test_float64_tanh_is_accurate_relative_to_its_size():
    """No cancellation near zero: the float64 path keeps a few ulp of relative error."""
    x = np.geomspace(1e-300, 20, 100_000)
    out = np.empty_like(x)
    tanh_array(x, out)
    exact = np.tanh(x)
    assert (np.abs(out - exact) / exact).max() < 4 * np.finfo(np.float64).eps
