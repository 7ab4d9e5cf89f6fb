"""Losses: values and gradients against torch.nn.functional, finite differences, checks."""

import numpy as np
import pytest

from lstmcast.nn.losses import cross_entropy, huber_loss, mse_loss


def numeric_gradient(fn, x, eps=1e-6):
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        plus = fn(x)[0]
        x[index] = original - eps
        minus = fn(x)[0]
        x[index] = original
        grad[index] = (plus - minus) / (2 * eps)
    return grad


def relative_error(a, n):
    return np.abs(a - n).max() / max(np.abs(a).max() + np.abs(n).max(), 1e-8)


def test_mse_against_torch_and_finite_differences():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    pred, target = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    loss, grad = mse_loss(pred, target)
    pt = torch.tensor(pred, requires_grad=True)
    lt = torch.nn.functional.mse_loss(pt, torch.from_numpy(target))
    lt.backward()
    assert abs(loss - lt.item()) < 1e-10
    assert np.allclose(grad, pt.grad.numpy(), rtol=0, atol=1e-10)
    assert relative_error(grad, numeric_gradient(lambda p: mse_loss(p, target), pred)) < 1e-6


@pytest.mark.parametrize("delta", [1.0, 0.5, 2.0])
def test_huber_against_torch_and_finite_differences(delta):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    pred, target = 2 * rng.standard_normal((5, 6)), rng.standard_normal((5, 6))
    diff = np.abs(pred - target)
    assert (diff < delta).any() and (diff > delta).any()  # both branches exercised
    loss, grad = huber_loss(pred, target, delta=delta)
    pt = torch.tensor(pred, requires_grad=True)
    lt = torch.nn.functional.huber_loss(pt, torch.from_numpy(target), delta=delta)
    lt.backward()
    assert abs(loss - lt.item()) < 1e-10
    assert np.allclose(grad, pt.grad.numpy(), rtol=0, atol=1e-10)
    assert relative_error(grad, numeric_gradient(lambda p: huber_loss(p, target, delta), pred)) < 1e-6


@pytest.mark.parametrize("shape", [(6, 5), (3, 4, 5)])
def test_cross_entropy_against_torch_and_finite_differences(shape):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    logits = 3 * rng.standard_normal(shape)
    targets = rng.integers(0, shape[-1], size=shape[:-1])
    loss, grad = cross_entropy(logits, targets)
    lt_in = torch.tensor(logits, requires_grad=True)
    # torch wants classes on axis 1: (B, V) or (B, V, T)
    lt = torch.nn.functional.cross_entropy(lt_in if len(shape) == 2 else lt_in.permute(0, 2, 1),
                                           torch.from_numpy(targets))
    lt.backward()
    assert grad.shape == shape
    assert abs(loss - lt.item()) < 1e-10
    assert np.allclose(grad, lt_in.grad.numpy(), rtol=0, atol=1e-10)
    assert relative_error(grad, numeric_gradient(lambda z: cross_entropy(z, targets), logits)) < 1e-6


def test_cross_entropy_is_stable_for_huge_logits():
    logits = np.array([[1000.0, 0.0, -1000.0], [0.0, 2000.0, 0.0]])
    loss, grad = cross_entropy(logits, np.array([0, 0]))
    assert np.isfinite(loss) and np.all(np.isfinite(grad))
    assert loss == pytest.approx(1000.0)  # (0 + 2000) / 2
    assert np.allclose(grad, [[0, 0, 0], [-0.5, 0.5, 0]])


def test_float32_gradients_stay_float32():
    pred = np.ones((2, 3), np.float32)
    assert mse_loss(pred, np.zeros((2, 3)))[1].dtype == np.float32
    assert huber_loss(pred, np.zeros((2, 3)))[1].dtype == np.float32
    assert cross_entropy(pred, np.array([0, 2]))[1].dtype == np.float32
    assert isinstance(mse_loss(pred, np.zeros((2, 3)))[0], float)


def test_bad_arguments_raise_value_error():
    with pytest.raises(ValueError, match=r"target must have the shape of pred \(2, 3\)"):
        mse_loss(np.ones((2, 3)), np.ones((3, 2)))
    with pytest.raises(ValueError, match="pred must not be empty"):
        mse_loss(np.ones((0, 3)), np.ones((0, 3)))
    with pytest.raises(ValueError, match="target must have the shape of pred"):
        huber_loss(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="delta must be positive"):
        huber_loss(np.ones(3), np.ones(3), delta=0.0)
    with pytest.raises(ValueError, match=r"logits must have shape \(B, V\) or \(B, T, V\)"):
        cross_entropy(np.ones(4), np.array(0))
    with pytest.raises(ValueError, match=r"targets must have shape \(2,\)"):
        cross_entropy(np.ones((2, 4)), np.array([[0, 1]]))
    with pytest.raises(ValueError, match="targets must be an integer array"):
        cross_entropy(np.ones((2, 4)), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 4\)"):
        cross_entropy(np.ones((2, 4)), np.array([0, 4]))


def test_pinball_against_torch_and_finite_differences():
    from lstmcast.nn.losses import pinball_loss

    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    taus = [0.05, 0.5, 0.95]
    pred, target = rng.standard_normal((4, 3, 3)), rng.standard_normal((4, 3))
    loss, grad = pinball_loss(pred, target, taus)
    assert relative_error(grad, numeric_gradient(lambda p: pinball_loss(p, target, taus), pred)) < 1e-6
    pt = torch.tensor(pred, requires_grad=True)
    d = torch.from_numpy(target)[..., None] - pt
    tau = torch.tensor(taus, dtype=torch.float64)
    lt = torch.maximum(tau * d, (tau - 1) * d).mean()
    lt.backward()
    assert abs(loss - lt.item()) < 1e-12
    assert np.allclose(grad, pt.grad.numpy(), rtol=0, atol=1e-12)


def test_pinball_is_minimised_by_the_quantile_and_checks_its_arguments():
    from lstmcast.nn.losses import pinball_loss

    sample = np.arange(1.0, 101.0)  # 1 .. 100
    candidates = np.linspace(0, 101, 1011)
    losses = [pinball_loss(np.full((100, 1), c), sample, [0.9])[0] for c in candidates]
    assert 90 <= candidates[int(np.argmin(losses))] <= 91  # the 0.9-quantile of 1 .. 100
    with pytest.raises(ValueError, match="quantiles"):
        pinball_loss(np.zeros((2, 2)), np.zeros(2), [0.5, 1.5])
    with pytest.raises(ValueError, match="target"):
        pinball_loss(np.zeros((2, 2)), np.zeros(3), [0.1, 0.9])
