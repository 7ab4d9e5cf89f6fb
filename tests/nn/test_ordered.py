"""OrderedQuantiles: quantiles never cross, the base passes through, gradients by finite differences and PyTorch."""

import numpy as np
import pytest

from lstmcast.nn import OrderedQuantiles, gradcheck
from lstmcast.nn.ordered import softplus


@pytest.mark.parametrize("count, base", [(3, 1), (5, 2), (4, 0), (4, 3), (1, 0)])
def test_gradient_matches_finite_differences(count, base):
    layer = OrderedQuantiles(count, base)
    rng = np.random.default_rng(count + base)
    z = rng.standard_normal((3, 2, count))
    weights = rng.standard_normal((3, 2, count))
    errors = gradcheck(layer, lambda q: (float(np.sum(weights * q)), weights), [z])
    assert max(errors.values()) < 1e-7


def test_against_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    z = rng.standard_normal((4, 5)) * 3
    g = rng.standard_normal((4, 5))
    layer = OrderedQuantiles(5, 2)
    q = layer.forward(z)
    dz = layer.backward(g)
    zt = torch.tensor(z, requires_grad=True)
    sp = torch.nn.functional.softplus(zt)
    centre = zt[:, 2:3]
    up = torch.cumsum(sp[:, 3:], dim=1)
    down = torch.flip(torch.cumsum(torch.flip(sp[:, :2], [1]), dim=1), [1])
    qt = torch.cat([centre - down, centre, centre + up], dim=1)
    (qt * torch.from_numpy(g)).sum().backward()
    assert np.allclose(q, qt.detach().numpy(), atol=1e-12)
    assert np.allclose(dz, zt.grad.numpy(), atol=1e-12)


def test_quantiles_never_cross_and_the_base_is_untouched():
    rng = np.random.default_rng(1)
    z = rng.standard_normal((1000, 7)) * 50  # extreme raw outputs, either sign
    q = OrderedQuantiles(7, 3).forward(z)
    assert np.all(np.diff(q, axis=-1) >= 0)
    assert np.array_equal(q[:, 3], z[:, 3])
    assert np.all(np.isfinite(softplus(np.array([-1e4, 0.0, 1e4]))))


def test_bad_base_is_named():
    with pytest.raises(ValueError, match="base"):
        OrderedQuantiles(3, 3)
