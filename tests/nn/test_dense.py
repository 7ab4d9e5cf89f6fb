"""Dense: finite differences, PyTorch's nn.Linear, seeding, argument checks."""

import numpy as np
import pytest

from lstmcast.nn.dense import Dense
from lstmcast.nn.gradcheck import gradcheck
from lstmcast.nn.losses import mse_loss


def test_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    layer = Dense(4, 3, dtype="float64", seed=1)
    x = rng.standard_normal((2, 5, 4))
    target = rng.standard_normal((2, 5, 3))
    errors = gradcheck(layer, lambda y: mse_loss(y, target), (x,))
    assert set(errors) == {"weight", "bias", "input0"}
    assert max(errors.values()) < 1e-6


def test_without_bias_has_only_weight():
    layer = Dense(3, 2, bias=False, dtype="float64", seed=0)
    assert list(layer.params) == ["weight"]
    x = np.random.default_rng(1).standard_normal((4, 3))
    assert np.allclose(layer.forward(x), x @ layer.params["weight"].T)
    errors = gradcheck(layer, lambda y: mse_loss(y, np.zeros_like(y) + 0.3), (x,))
    assert max(errors.values()) < 1e-6


def test_matches_torch_linear_values_and_gradients():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    layer = Dense(6, 4, dtype="float64", seed=3)
    linear = torch.nn.Linear(6, 4).double()
    linear.load_state_dict({k: torch.from_numpy(v) for k, v in layer.state_dict().items()})
    x = rng.standard_normal((2, 3, 6))
    dy = rng.standard_normal((2, 3, 4))

    y = layer.forward(x)
    dx = layer.backward(dy)

    xt = torch.tensor(x, requires_grad=True)
    yt = linear(xt)
    yt.backward(torch.from_numpy(dy))
    assert np.allclose(y, yt.detach().numpy(), rtol=0, atol=1e-10)
    assert np.allclose(dx, xt.grad.numpy(), rtol=0, atol=1e-10)
    assert np.allclose(layer.grads["weight"], linear.weight.grad.numpy(), rtol=0, atol=1e-10)
    assert np.allclose(layer.grads["bias"], linear.bias.grad.numpy(), rtol=0, atol=1e-10)


def test_state_dict_keys_and_shapes_are_torchs():
    torch = pytest.importorskip("torch")
    layer = Dense(5, 2, seed=0)
    reference = torch.nn.Linear(5, 2).state_dict()
    assert {k: v.shape for k, v in layer.state_dict().items()} == {k: tuple(v.shape) for k, v in reference.items()}


def test_backward_adds_into_grads():
    rng = np.random.default_rng(4)
    layer = Dense(3, 2, dtype="float64", seed=0)
    x = rng.standard_normal((4, 3))
    dy = rng.standard_normal((4, 2))
    layer.forward(x)
    layer.backward(dy)
    once = layer.grads["weight"].copy()
    layer.forward(x)
    layer.backward(dy)
    assert np.allclose(layer.grads["weight"], 2 * once)
    assert np.allclose(once, dy.T @ x)


def test_init_is_torch_default_range_and_seeded():
    layer = Dense(16, 32, seed=7)
    bound = 1 / np.sqrt(16)
    for value in layer.params.values():
        assert value.dtype == np.float32
        assert np.abs(value).max() <= bound
        assert np.abs(value).max() > 0.8 * bound  # spread over the whole range
    again = Dense(16, 32, seed=7)
    other = Dense(16, 32, seed=8)
    assert all(np.array_equal(layer.params[k], again.params[k]) for k in layer.params)
    assert not np.array_equal(layer.params["weight"], other.params["weight"])


def test_float32_output_dtype():
    layer = Dense(3, 2, seed=0)
    assert layer.forward(np.ones((2, 3))).dtype == np.float32


def test_bad_arguments_raise_value_error():
    with pytest.raises(ValueError, match="in_features"):
        Dense(0, 3)
    with pytest.raises(ValueError, match="out_features"):
        Dense(3, 2.5)
    with pytest.raises(ValueError, match="dtype"):
        Dense(3, 2, dtype="int32")
    layer = Dense(3, 2, seed=0)
    with pytest.raises(ValueError, match=r"x must have shape \(\.\.\., 3\)"):
        layer.forward(np.ones((4, 5)))
    layer.forward(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"dy must have shape \(4, 2\)"):
        layer.backward(np.ones((4, 3)))
