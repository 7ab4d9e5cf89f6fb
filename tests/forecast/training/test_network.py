"""ForecastNet: gradients by finite differences in every configuration."""

import numpy as np
import pytest

from lstmcast.forecast.training import network
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


@pytest.mark.parametrize("decoder", network.DECODERS)
@pytest.mark.parametrize("quantiles, dropout", [(1, 0.0), (3, 0.3)])
def test_gradients_with_known_values_match_finite_differences(quantiles, dropout, decoder, monkeypatch):
    monkeypatch.setattr(network, "DECODER", decoder)  # every candidate of the choice, exact
    net = ForecastNet(3, 4, 5, 1, False, dropout, 0.0, False, dtype="float64", seed=0, quantiles=quantiles,
                      median=quantiles // 2, known_size=2)
    rng = np.random.default_rng(1)
    x, known = rng.standard_normal((2, 6, 3)), rng.standard_normal((2, 4, 2))
    shape = (2, 4) if quantiles == 1 else (2, 4, quantiles)
    target = rng.standard_normal(shape)

    def loss(y):
        return float(((y - target) ** 2).sum()), (2 * (y - target),)

    errors = gradcheck(net, loss, (x, known), eps=1e-5)
    assert max(errors.values()) < 1e-6, errors
    assert ("decoder.lstm.weight_hh_l0" if decoder == "sequence" else "decoder.hidden.weight") in errors
    assert "input0" in errors
    assert {k: v.shape for k, v in net.state_dict().items()} == ForecastNet.state_shapes(
        3, 4, 5, 1, False, False, quantiles, known_size=2)


def test_known_values_change_only_their_steps_and_are_required():
    net = ForecastNet(2, 3, 4, 1, False, 0.0, 0.0, False, dtype="float64", seed=0, known_size=1)
    rng = np.random.default_rng(0)
    x, known = rng.standard_normal((5, 8, 2)), rng.standard_normal((5, 3, 1))
    y = net.forward(x, known)
    other = known.copy()
    other[:, 0] += 2.0
    moved = net.forward(x, other)
    np.testing.assert_array_equal(moved[:, 1:], y[:, 1:])
    assert np.abs(moved[:, 0] - y[:, 0]).max() > 1e-3
    with pytest.raises(ValueError, match="known"):
        net.forward(x)
    with pytest.raises(ValueError, match="known"):
        ForecastNet(2, 3, 4, 1, False, 0.0, 0.0, False, dtype="float64", seed=0).forward(x, known)


def test_a_network_without_known_values_draws_the_weights_it_drew_before():
    plain = ForecastNet(2, 3, 4, 1, False, 0.0, 0.0, False, dtype="float64", seed=7)
    with_known = ForecastNet(2, 3, 4, 1, False, 0.0, 0.0, False, dtype="float64", seed=7, known_size=2)
    for name, value in plain.state_dict().items():
        np.testing.assert_array_equal(with_known.state_dict()[name], value)
