"""Embedding: finite differences, PyTorch's nn.Embedding, repeated indices, checks."""

import numpy as np
import pytest

from lstmcast.nn.embedding import Embedding
from lstmcast.nn.gradcheck import gradcheck
from lstmcast.nn.losses import mse_loss


def test_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    layer = Embedding(7, 3, dtype="float64", seed=1)
    indices = np.array([[0, 3, 3], [6, 0, 2]])
    target = rng.standard_normal((2, 3, 3))
    errors = gradcheck(layer, lambda y: mse_loss(y, target), (indices,))
    assert set(errors) == {"weight"}  # integer indices have no gradient
    assert errors["weight"] < 1e-6


def test_matches_torch_embedding():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    layer = Embedding(10, 4, dtype="float64", seed=2)
    reference = torch.nn.Embedding(10, 4).double()
    reference.load_state_dict({k: torch.from_numpy(v) for k, v in layer.state_dict().items()})
    indices = rng.integers(0, 10, size=(3, 8))
    dy = rng.standard_normal((3, 8, 4))

    y = layer.forward(indices)
    assert layer.backward(dy) is None
    yt = reference(torch.from_numpy(indices))
    yt.backward(torch.from_numpy(dy))
    assert y.shape == (3, 8, 4)
    assert np.allclose(y, yt.detach().numpy(), rtol=0, atol=1e-10)
    assert np.allclose(layer.grads["weight"], reference.weight.grad.numpy(), rtol=0, atol=1e-10)


def test_repeated_indices_accumulate():
    layer = Embedding(4, 2, dtype="float64", seed=0)
    layer.forward(np.array([1, 1, 1, 3]))
    layer.backward(np.ones((4, 2)))
    assert np.array_equal(layer.grads["weight"], np.array([[0, 0], [3, 3], [0, 0], [1, 1]], float))


def test_init_is_standard_normal_and_seeded():
    table = Embedding(2000, 50, seed=3).params["weight"]
    assert table.dtype == np.float32
    assert abs(table.mean()) < 0.01 and abs(table.std() - 1) < 0.01
    assert np.array_equal(table, Embedding(2000, 50, seed=3).params["weight"])
    assert not np.array_equal(table, Embedding(2000, 50, seed=4).params["weight"])


def test_bad_arguments_raise_value_error():
    with pytest.raises(ValueError, match="num_embeddings"):
        Embedding(0, 3)
    with pytest.raises(ValueError, match="embedding_dim"):
        Embedding(3, -1)
    layer = Embedding(5, 2, seed=0)
    with pytest.raises(ValueError, match=r"indices must lie in \[0, 5\)"):
        layer.forward(np.array([0, 5]))
    with pytest.raises(ValueError, match=r"indices must lie in \[0, 5\)"):
        layer.forward(np.array([-1, 2]))
    with pytest.raises(ValueError, match="indices must be an integer array"):
        layer.forward(np.array([0.0, 1.0]))
    layer.forward(np.array([[0, 1]]))
    with pytest.raises(ValueError, match=r"dy must have shape \(1, 2, 2\)"):
        layer.backward(np.ones((2, 2)))
