"""gradcheck itself: it must pass correct backwards and catch wrong ones."""

import numpy as np
import pytest

from lstmcast.nn.dense import Dense
from lstmcast.nn.dropout import Dropout
from lstmcast.nn.gradcheck import gradcheck
from lstmcast.nn.losses import mse_loss
from lstmcast.nn.module import Module


class DenseForgetsBatchInBias(Dense):
    """A deliberate bug: the bias gradient uses only the first row of the batch."""

    def backward(self, dy):
        bias_grad_before = self.grads["bias"].copy()
        dx = super().backward(dy)
        self.grads["bias"][...] = bias_grad_before + dy[0]
        return dx


class DenseWrongInputGradient(Dense):
    """A deliberate bug: dx is 1% too large."""

    def backward(self, dy):
        super().backward(dy)
        return dy @ self.params["weight"] * 1.01


class Product(Module):
    """y = a * b * w with two float inputs; backward returns (da, db), db optionally wrong."""

    def __init__(self, wrong_db=False):
        super().__init__()
        self.add_param("w", np.array([0.7, -1.3, 2.0]))
        self.wrong_db = wrong_db

    def forward(self, a, b):
        self.cache = (a, b)
        return a * b * self.params["w"]

    def backward(self, dy):
        a, b = self.cache
        w = self.params["w"]
        self.grads["w"] += (dy * a * b).sum(axis=0)
        db = dy * a * (w if not self.wrong_db else 1.0)
        return dy * b * w, db


class DropoutThenDense(Module):
    """A stochastic sub-module inside a tree: its generator must be replayed."""

    def __init__(self):
        super().__init__()
        self.drop = Dropout(0.5, seed=1)
        self.dense = Dense(6, 2, dtype="float64", seed=2)

    def forward(self, x):
        return self.dense.forward(self.drop.forward(x))

    def backward(self, dy):
        return self.drop.backward(self.dense.backward(dy))


def data(shape_in=(5, 4), shape_out=(5, 3), seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape_in), rng.standard_normal(shape_out)


def test_passes_a_correct_backward():
    x, target = data()
    errors = gradcheck(Dense(4, 3, dtype="float64", seed=0), lambda y: mse_loss(y, target), (x,))
    assert max(errors.values()) < 1e-6


def test_catches_a_wrong_parameter_gradient():
    x, target = data()
    errors = gradcheck(DenseForgetsBatchInBias(4, 3, dtype="float64", seed=0),
                       lambda y: mse_loss(y, target), (x,))
    assert errors["bias"] > 1e-2
    assert errors["weight"] < 1e-6 and errors["input0"] < 1e-6


def test_catches_a_slightly_wrong_input_gradient():
    x, target = data()
    errors = gradcheck(DenseWrongInputGradient(4, 3, dtype="float64", seed=0),
                       lambda y: mse_loss(y, target), (x,))
    assert errors["input0"] > 1e-3
    assert errors["weight"] < 1e-6


def test_tuple_of_input_gradients_is_matched_in_order():
    rng = np.random.default_rng(1)
    a, b, target = rng.standard_normal((4, 3)), rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    good = gradcheck(Product(), lambda y: mse_loss(y, target), (a, b))
    assert set(good) == {"w", "input0", "input1"}
    assert max(good.values()) < 1e-6
    bad = gradcheck(Product(wrong_db=True), lambda y: mse_loss(y, target), (a, b))
    assert bad["input1"] > 1e-2 and bad["input0"] < 1e-6


def test_replays_dropout_masks_in_nested_modules():
    x, target = data((5, 6), (5, 2), seed=3)
    net = DropoutThenDense()
    errors = gradcheck(net, lambda y: mse_loss(y, target), (x,))
    assert max(errors.values()) < 1e-6
    # the generator is left where it started: the next mask is the first mask of a fresh seed
    assert np.array_equal(net.drop.forward(np.ones(8)), Dropout(0.5, seed=1).forward(np.ones(8)))


class HiddenGeneratorDropout(Dropout):
    """Keeps its generator under a name gradcheck does not look for."""

    def __init__(self, p, seed):
        super().__init__(p, seed)
        self.generator, self.rng = self.rng, None

    def forward(self, x):
        keep = self.generator.random(x.shape) >= self.p
        self._cache = keep / (1 - self.p)
        return x * self._cache


def test_without_replay_the_check_would_fail():
    """A generator gradcheck cannot see draws a new mask every evaluation: errors are large."""
    x, target = data((5, 6), (5, 2), seed=3)
    net = DropoutThenDense()
    net.drop = HiddenGeneratorDropout(0.5, seed=1)
    errors = gradcheck(net, lambda y: mse_loss(y, target), (x,))
    assert max(errors.values()) > 1e-2


def test_restores_parameters_and_inputs_exactly():
    x, target = data()
    layer = Dense(4, 3, dtype="float64", seed=0)
    before = layer.state_dict()
    x_before = x.copy()
    gradcheck(layer, lambda y: mse_loss(y, target), (x,))
    assert all(np.array_equal(layer.params[k], before[k]) for k in before)
    assert np.array_equal(x, x_before)


def test_grads_hold_one_analytic_pass():
    x, target = data()
    layer = Dense(4, 3, dtype="float64", seed=0)
    layer.grads["weight"][...] = 100.0  # stale gradient must be cleared first
    gradcheck(layer, lambda y: mse_loss(y, target), (x,))
    _, dy = mse_loss(layer.forward(x), target)
    assert np.allclose(layer.grads["weight"], dy.T @ x)


def test_bad_arguments_raise_value_error():
    x, target = data()
    with pytest.raises(ValueError, match="module parameter 'weight' is float32; gradcheck needs float64"):
        gradcheck(Dense(4, 3, seed=0), lambda y: mse_loss(y, target), (x,))
    with pytest.raises(ValueError, match=r"inputs\[0\] is float32; gradcheck needs float64"):
        gradcheck(Dense(4, 3, dtype="float64", seed=0), lambda y: mse_loss(y, target), (x.astype(np.float32),))
    with pytest.raises(ValueError, match="eps must be positive"):
        gradcheck(Dense(4, 3, dtype="float64", seed=0), lambda y: mse_loss(y, target), (x,), eps=0.0)
