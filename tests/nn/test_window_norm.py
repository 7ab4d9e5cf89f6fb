"""WindowNorm: round trips, the statistics, finite differences through both paths, and PyTorch."""

import numpy as np
import pytest

from lstmcast.nn.gradcheck import gradcheck
from lstmcast.nn.module import Module
from lstmcast.nn.window_norm import KINDS, WindowNorm

RNG = np.random.default_rng(0)
X = RNG.normal(5.0, 3.0, size=(4, 9, 2))  # (B, T, C)
Y = RNG.normal(5.0, 3.0, size=(4, 6, 2))  # (B, K, C)


class _Forecast(Module):
    """normalise -> a linear map over time (K, T) -> map back: every path a forecaster's gradient takes."""

    def __init__(self, kind, steps_in, steps_out, seed=0):
        super().__init__()
        self.norm = WindowNorm(kind)
        self.add_param("weight", np.random.default_rng(seed).normal(size=(steps_out, steps_in)))

    def forward(self, x):
        self._xh = self.norm.forward(x)  # (B, T, C)
        yh = np.einsum("kt,btc->bkc", self.params["weight"], self._xh)  # (B, K, C)
        return self.norm.inverse(yh)

    def backward(self, dy):
        dyh = self.norm.inverse_backward(dy)  # (B, K, C)
        self.grads["weight"] += np.einsum("bkc,btc->kt", dyh, self._xh)
        return self.norm.backward(np.einsum("kt,bkc->btc", self.params["weight"], dyh))


@pytest.mark.parametrize("kind", KINDS)
def test_round_trip_gives_the_values_back(kind):
    norm = WindowNorm(kind)
    xh = norm.forward(X)
    np.testing.assert_allclose(norm.inverse(xh), X, rtol=0, atol=8 * np.finfo(float).eps * np.abs(X).max())
    np.testing.assert_allclose(norm.inverse(norm.apply(Y)), Y, rtol=0, atol=8 * np.finfo(float).eps * np.abs(Y).max())


def test_statistics_are_the_windows_level_and_spread():
    xh = WindowNorm("mean_std", eps=0.0).forward(X)
    np.testing.assert_allclose(xh.mean(axis=1), 0.0, atol=1e-12)
    np.testing.assert_allclose(xh.std(axis=1), 1.0, rtol=1e-12)
    last = WindowNorm("last").forward(X)
    np.testing.assert_array_equal(last[:, -1], 0.0)
    np.testing.assert_array_equal(last, X - X[:, -1:])
    assert np.array_equal(WindowNorm("none").forward(X), X)


def test_a_level_and_a_spread_change_leave_the_normalised_window_unchanged():
    a = WindowNorm("mean_std", eps=0.0).forward(X)
    b = WindowNorm("mean_std", eps=0.0).forward(3.0 * X + 100.0)
    np.testing.assert_allclose(a, b, atol=1e-12)


def test_a_constant_window_is_finite():
    out = WindowNorm("mean_std").forward(np.full((1, 5, 1), 7.0))
    assert np.all(out == 0.0)


@pytest.mark.parametrize("kind", KINDS)
def test_backward_matches_finite_differences(kind):
    norm = WindowNorm(kind)
    weights = RNG.normal(size=X.shape)
    errors = gradcheck(norm, lambda out: (float(np.sum(out * weights)), out * 0 + weights), [X.copy()])
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("kind", KINDS)
def test_gradients_through_the_inverse_match_finite_differences(kind):
    model = _Forecast(kind, X.shape[1], Y.shape[1])
    weights = RNG.normal(size=Y.shape)
    errors = gradcheck(model, lambda out: (float(np.sum(out * weights)), out * 0 + weights), [X.copy()])
    assert max(errors.values()) < 1e-7, errors


def test_mean_std_matches_torch_autograd():
    torch = pytest.importorskip("torch")
    model = _Forecast("mean_std", X.shape[1], Y.shape[1])
    weights = RNG.normal(size=Y.shape)
    out = model.forward(X)
    dx = model.backward(weights)

    x = torch.tensor(X, requires_grad=True)
    w = torch.tensor(model.params["weight"], requires_grad=True)
    mean = x.mean(dim=1, keepdim=True)
    std = torch.sqrt(x.var(dim=1, unbiased=False, keepdim=True) + 1e-5)
    y = torch.einsum("kt,btc->bkc", w, (x - mean) / std) * std + mean
    (y * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(out, y.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(dx, x.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(model.grads["weight"], w.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_bad_kind_and_missing_forward_are_clear_errors():
    with pytest.raises(ValueError, match="kind must be one of"):
        WindowNorm("mean")
    with pytest.raises(RuntimeError, match="call forward"):
        WindowNorm().inverse(Y)
