"""Attention: finite differences, the same formula built from torch primitives, masks, checks."""

import numpy as np
import pytest

from lstmcast.nn.attention import Attention
from lstmcast.nn.gradcheck import gradcheck
from lstmcast.nn.losses import mse_loss


def torch_attention(torch, layer, h, mask=None):
    """s_t = v . tanh(W h_t + b), a = softmax_t(s), context = sum_t a_t h_t, in torch."""
    weight = torch.tensor(layer.params["weight"], requires_grad=True)
    bias = torch.tensor(layer.params["bias"], requires_grad=True)
    v = torch.tensor(layer.params["v"], requires_grad=True)
    ht = torch.tensor(h, requires_grad=True)
    scores = torch.tanh(ht @ weight.T + bias) @ v
    if mask is not None:
        scores = scores.masked_fill(~torch.from_numpy(mask), float("-inf"))
    weights = torch.softmax(scores, dim=1)
    context = (weights.unsqueeze(-1) * ht).sum(dim=1)
    return context, weights, {"weight": weight, "bias": bias, "v": v, "h": ht}


def test_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    layer = Attention(4, attention_size=6, dtype="float64", seed=1)
    h = rng.standard_normal((3, 5, 4))
    target = rng.standard_normal((3, 4))
    errors = gradcheck(layer, lambda c: mse_loss(c, target), (h,))
    assert set(errors) == {"weight", "bias", "v", "input0"}
    assert max(errors.values()) < 1e-6


def test_gradients_with_mask_match_finite_differences():
    rng = np.random.default_rng(2)
    layer = Attention(4, dtype="float64", seed=3)
    h = rng.standard_normal((3, 5, 4))
    mask = np.ones((3, 5), bool)
    mask[0, 3:] = False
    mask[2, :4] = False
    target = rng.standard_normal((3, 4))
    errors = gradcheck(layer, lambda c: mse_loss(c, target), (h, mask))
    assert max(errors.values()) < 1e-6


@pytest.mark.parametrize("masked", [False, True])
def test_matches_torch_values_and_gradients(masked):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    layer = Attention(6, attention_size=5, dtype="float64", seed=5)
    h = rng.standard_normal((3, 7, 6))
    mask = rng.random((3, 7)) < 0.6 if masked else None
    if masked:
        mask[:, 0] = True
    dcontext = rng.standard_normal((3, 6))

    context = layer.forward(h, mask)
    dh = layer.backward(dcontext)

    context_t, weights_t, leaves = torch_attention(torch, layer, h, mask)
    context_t.backward(torch.from_numpy(dcontext))
    assert np.allclose(context, context_t.detach().numpy(), rtol=0, atol=1e-10)
    assert np.allclose(layer.weights, weights_t.detach().numpy(), rtol=0, atol=1e-10)
    assert np.allclose(dh, leaves["h"].grad.numpy(), rtol=0, atol=1e-10)
    for name in ("weight", "bias", "v"):
        assert np.allclose(layer.grads[name], leaves[name].grad.numpy(), rtol=0, atol=1e-10), name


def test_weights_are_a_distribution_and_masked_steps_get_zero():
    rng = np.random.default_rng(6)
    layer = Attention(3, seed=0)
    mask = np.array([[True, True, False, False], [False, True, True, True]])
    layer.forward(rng.standard_normal((2, 4, 3)), mask)
    assert layer.weights.shape == (2, 4)
    assert np.allclose(layer.weights.sum(axis=1), 1.0)
    assert np.all(layer.weights[~mask] == 0)
    assert np.all(layer.weights[mask] > 0)


def test_single_step_context_is_that_step():
    h = np.random.default_rng(7).standard_normal((2, 1, 3))
    assert np.allclose(Attention(3, dtype="float64", seed=0).forward(h), h[:, 0])


def test_parameter_shapes_init_and_seeding():
    layer = Attention(8, attention_size=4, seed=9)
    assert {k: v.shape for k, v in layer.params.items()} == {"weight": (4, 8), "bias": (4,), "v": (4,)}
    assert np.abs(layer.params["weight"]).max() <= 1 / np.sqrt(8)
    assert np.abs(layer.params["v"]).max() <= 1 / np.sqrt(4)
    assert Attention(8, seed=0).params["weight"].shape == (8, 8)
    again = Attention(8, attention_size=4, seed=9)
    assert all(np.array_equal(layer.params[k], again.params[k]) for k in layer.params)
    assert not np.array_equal(layer.params["v"], Attention(8, attention_size=4, seed=10).params["v"])


def test_bad_arguments_raise_value_error():
    with pytest.raises(ValueError, match="hidden_size"):
        Attention(0)
    with pytest.raises(ValueError, match="attention_size"):
        Attention(4, attention_size=0)
    layer = Attention(4, seed=0)
    with pytest.raises(ValueError, match=r"h must have shape \(B, T, 4\)"):
        layer.forward(np.ones((2, 3, 5)))
    with pytest.raises(ValueError, match=r"mask must have shape \(2, 3\)"):
        layer.forward(np.ones((2, 3, 4)), np.ones((3, 2), bool))
    with pytest.raises(ValueError, match="mask must have at least one True per row"):
        layer.forward(np.ones((2, 3, 4)), np.array([[True, False, False], [False] * 3]))
    layer.forward(np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match=r"dcontext must have shape \(2, 4\)"):
        layer.backward(np.ones((2, 3, 4)))
