"""ForecastNet: gradients by finite differences in every configuration."""

import numpy as np
import pytest

from lstmcast.forecast.training.network import ForecastNet
from lstmcast.nn.gradcheck import gradcheck


@pytest.mark.parametrize(
    "bidirectional, attention, dropout, layers",
    [(False, False, 0.0, 1), (True, False, 0.0, 2), (False, True, 0.0, 1), (True, True, 0.3, 2)],
)
def test_gradients_match_finite_differences(bidirectional, attention, dropout, layers):
    net = ForecastNet(3, 4, 5, layers, bidirectional, dropout, 0.2, attention, dtype="float64", seed=0)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 6, 3))
    target = rng.standard_normal((2, 4))

    def loss(y):
        return float(((y - target) ** 2).sum()), (2 * (y - target),)

    errors = gradcheck(net, loss, (x,), eps=1e-5)
    assert max(errors.values()) < 1e-6, errors
    assert "lstm.weight_hh_l0" in errors and "head.weight" in errors
    assert ("attention.v" in errors) == attention


def test_output_shape_and_last_state_summary():
    net = ForecastNet(2, 7, 4, 1, False, 0.0, 0.0, False, dtype="float64", seed=0)
    x = np.random.default_rng(0).standard_normal((5, 9, 2))
    y = net.forward(x)
    assert y.shape == (5, 7)
    out, _ = net.lstm.forward(x)
    np.testing.assert_allclose(y, net.head.forward(out[:, -1]), rtol=0, atol=1e-14)
