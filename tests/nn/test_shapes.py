"""Parameter shapes computed without building: equal to the real layers', and the size limit."""

import itertools

import pytest

from lstmcast.forecast.training.network import ForecastNet
from lstmcast.nn.shapes import MAX_PARAMETERS, check_parameter_count
from lstmcast.text.network import CharNet


@pytest.mark.parametrize("attention, bidirectional, layers", list(itertools.product([False, True], [False, True], [1, 3])))
def test_forecast_net_shapes_match_the_built_network(attention, bidirectional, layers):
    net = ForecastNet(3, 5, 7, layers, bidirectional, 0.1, 0.0, attention, seed=0)
    built = {name: value.shape for name, value in net.state_dict().items()}
    assert ForecastNet.state_shapes(3, 5, 7, layers, bidirectional, attention) == built
    assert list(ForecastNet.state_shapes(3, 5, 7, layers, bidirectional, attention)) == list(built)


@pytest.mark.parametrize("layers", [1, 2])
def test_char_net_shapes_match_the_built_network(layers):
    net = CharNet(11, 4, 6, layers, 0.1, seed=0)
    assert CharNet.state_shapes(11, 4, 6, layers) == {k: v.shape for k, v in net.state_dict().items()}


def test_too_large_a_network_is_refused_before_allocating():
    with pytest.raises(ValueError, match=f"hidden_size=100000000, num_layers=1 gives a network of 4e\\+16 parameters, "
                                         f"more than the limit of {MAX_PARAMETERS:,}"):
        ForecastNet(1, 12, 100_000_000, 1, False, 0.0, 0.0, False)
    with pytest.raises(ValueError, match="more than the limit"):
        CharNet(65, 32, 10**6, 1, 0.0)


def test_the_limit_itself_is_allowed():
    assert check_parameter_count({"w": (MAX_PARAMETERS,)}, "x") == MAX_PARAMETERS
    with pytest.raises(ValueError):
        check_parameter_count({"w": (MAX_PARAMETERS + 1,)}, "x")
