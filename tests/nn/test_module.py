"""Module.replica: one call's copy of a network, sharing its parameters, with its own mode,
dropout generators and scratch space."""

import numpy as np
import pytest

from lstmcast.forecast.training.network import ForecastNet


def _net():
    return ForecastNet(3, 2, 8, 2, False, 0.3, 0.2, False, dtype="float64", seed=0).eval()


def test_a_replica_shares_the_parameters_and_leaves_the_network_as_it_was():
    net = _net()
    x = np.random.default_rng(1).normal(size=(5, 7, 3))  # (B, T, F)
    expected = net.forward(x)
    rng_state = repr(net.lstm.rng.bit_generator.state)
    view = net.replica()
    assert view.lstm.params["weight_ih_l0"] is net.lstm.params["weight_ih_l0"]
    assert view.lstm is not net.lstm and view.lstm._buffers is not net.lstm._buffers
    np.testing.assert_array_equal(view.forward(x), expected)
    train_view = net.replica(training=True, seed=[4, 2])
    assert train_view.training and train_view.lstm.training and train_view.drop.training
    assert not net.training and not net.lstm.training and not net.drop.training
    with_dropout = train_view.forward(x)
    assert not np.array_equal(with_dropout, expected)
    np.testing.assert_array_equal(net.replica(training=True, seed=[4, 2]).forward(x), with_dropout)  # seeded
    assert not np.array_equal(net.replica(training=True, seed=[4, 3]).forward(x), with_dropout)
    assert repr(net.lstm.rng.bit_generator.state) == rng_state  # nothing drawn from the network's generators
    np.testing.assert_array_equal(net.forward(x), expected)


def test_a_training_replica_needs_a_seed():
    with pytest.raises(ValueError, match="needs a seed"):
        _net().replica(training=True)
