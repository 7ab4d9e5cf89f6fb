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


@pytest.fixture
def static_state(monkeypatch):
    monkeypatch.setattr(network, "STATIC_STATE", True)


def _static_windows(rng, batch=3, steps=5, features=4, static=2):
    x = rng.standard_normal((batch, steps, features))
    x[:, :, -static:] = rng.standard_normal((batch, 1, static))  # the last columns constant in each window
    return x


@pytest.mark.parametrize("bidirectional, attention, layers", [(False, False, 1), (True, True, 2)])
def test_static_values_that_set_the_initial_state_match_finite_differences(static_state, bidirectional, attention,
                                                                           layers):
    net = ForecastNet(4, 3, 5, layers, bidirectional, 0.0, 0.0, attention, dtype="float64", seed=0, static_size=2)
    rng = np.random.default_rng(3)
    x, target = _static_windows(rng), rng.standard_normal((3, 3))

    def loss(y):
        return float(((y - target) ** 2).sum()), (2 * (y - target),)

    errors = gradcheck(net, loss, (x,), eps=1e-6)
    assert max(errors.values()) < 1e-6, errors
    assert {"initial.weight", "initial.bias", "input0"} <= set(errors)
    assert {k: v.shape for k, v in net.state_dict().items()} == ForecastNet.state_shapes(
        4, 3, 5, layers, bidirectional, attention, static_size=2)


def test_without_static_state_the_network_and_its_weights_are_as_before():
    plain = ForecastNet(4, 3, 5, 1, False, 0.0, 0.0, False, dtype="float64", seed=0)
    with_size = ForecastNet(4, 3, 5, 1, False, 0.0, 0.0, False, dtype="float64", seed=0, static_size=2)
    assert with_size.initial is None and set(with_size.state_dict()) == set(plain.state_dict())
    x = _static_windows(np.random.default_rng(0))
    np.testing.assert_array_equal(with_size.forward(x), plain.forward(x))


def test_static_state_matches_torch_values_and_gradients(static_state):
    torch = pytest.importorskip("torch")
    net = ForecastNet(4, 3, 5, 2, False, 0.0, 0.0, False, dtype="float64", seed=1, static_size=2)
    rng = np.random.default_rng(5)
    x = _static_windows(rng)
    weights = rng.standard_normal((3, 3))
    state = {k: torch.from_numpy(v) for k, v in net.state_dict().items()}
    lstm, head = torch.nn.LSTM(4, 5, 2, batch_first=True).double(), torch.nn.Linear(5, 3).double()
    initial = torch.nn.Linear(2, 2 * 2 * 5).double()
    for module, prefix in ((lstm, "lstm."), (head, "head."), (initial, "initial.")):
        module.load_state_dict({k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)})
    xt = torch.from_numpy(x).requires_grad_(True)
    raw = initial(xt[:, -1, -2:]).reshape(3, 2, 2, 5).permute(1, 2, 0, 3)  # (2, L, B, H)
    out, _ = lstm(xt, (torch.tanh(raw[0]).contiguous(), raw[1].contiguous()))
    expected = head(out[:, -1])
    (expected * torch.from_numpy(weights)).sum().backward()
    y = net.forward(x)
    np.testing.assert_allclose(y, expected.detach().numpy(), rtol=0, atol=1e-12)
    dx = net.backward(weights)
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=0, atol=1e-12)
    ours = {name: grad for name, _, grad in net.named_parameters()}
    for module, prefix in ((lstm, "lstm."), (initial, "initial.")):
        for name, parameter in module.named_parameters():
            np.testing.assert_allclose(ours[prefix + name], parameter.grad.numpy(), rtol=0, atol=1e-12)
