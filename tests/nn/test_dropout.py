"""Dropout: inverted scaling, eval identity, seeded masks, finite differences in training."""

import numpy as np
import pytest

from lstmcast.nn.dropout import Dropout
from lstmcast.nn.gradcheck import gradcheck
from lstmcast.nn.losses import mse_loss


def test_training_zeroes_about_p_and_scales_the_rest():
    layer = Dropout(p=0.3, seed=0)
    x = np.random.default_rng(1).uniform(1, 2, size=(200, 500))
    y = layer.forward(x)
    kept = y != 0
    assert abs(kept.mean() - 0.7) < 0.01
    assert np.allclose(y[kept], x[kept] / 0.7)
    assert abs(y.mean() - x.mean()) < 0.01 * x.mean()  # expectation preserved


def test_backward_uses_the_forward_mask():
    layer = Dropout(p=0.5, seed=2)
    x = np.ones((6, 7))
    y = layer.forward(x)
    dx = layer.backward(np.full((6, 7), 3.0))
    assert np.array_equal(dx, 3.0 * y)
    assert 0 < (y == 0).sum() < y.size


def test_eval_mode_and_zero_p_are_identity():
    x = np.random.default_rng(3).standard_normal((4, 5))
    layer = Dropout(p=0.9, seed=0).eval()
    assert np.array_equal(layer.forward(x), x)
    assert np.array_equal(layer.backward(x * 2), x * 2)
    assert np.array_equal(Dropout(p=0.0, seed=0).forward(x), x)


def test_same_seed_same_masks_and_fresh_mask_per_call():
    x = np.ones((50, 50))
    a, b = Dropout(0.5, seed=4), Dropout(0.5, seed=4)
    first = a.forward(x)
    assert np.array_equal(first, b.forward(x))
    assert not np.array_equal(first, a.forward(x))
    assert isinstance(a.rng, np.random.Generator)


def test_gradients_in_training_mode_match_finite_differences():
    rng = np.random.default_rng(5)
    layer = Dropout(p=0.4, seed=6)
    x = rng.standard_normal((3, 8))
    target = rng.standard_normal((3, 8))
    errors = gradcheck(layer, lambda y: mse_loss(y, target), (x,))
    assert errors["input0"] < 1e-6


def test_float32_stays_float32():
    assert Dropout(0.5, seed=0).forward(np.ones((3, 3), np.float32)).dtype == np.float32


def test_bad_p_raises_value_error():
    with pytest.raises(ValueError, match=r"p must satisfy 0 <= p < 1, got 1"):
        Dropout(p=1.0)
    with pytest.raises(ValueError, match="p must satisfy"):
        Dropout(p=-0.1)
