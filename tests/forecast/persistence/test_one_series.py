"""Loading a forecaster folder that lies: sizes checked against the weights before allocating,
non-finite weights refused, one line naming the file."""

import json
import tracemalloc

import numpy as np
import pytest
import safetensors.numpy

from lstmcast import Forecaster, load_dataset
from lstmcast.checkpoint import CheckpointError



def forged(saved, tmp_path, **params):
    import shutil

    copy = tmp_path / "forged"
    shutil.copytree(saved, copy)
    config_path = copy / "config.json"
    document = json.loads(config_path.read_text())
    document["config"]["params"].update(params)
    config_path.write_text(json.dumps(document))
    return copy


@pytest.mark.parametrize("params, message", [
    ({"hidden_size": 3000}, r"array 'lstm.weight_ih_l0' has shape \(32, 1\), the config asks for \(12000, 1\)"),
    ({"hidden_size": 1_000_000}, r"the config asks for \(4000000, 1\)"),
    ({"horizon": 1_000_000_000}, r"array 'intervals.residuals' has shape \(\d+, 3\); expected \(any, 1000000000\)"),
    ({"num_layers": 50}, r"missing arrays \['lstm.weight_ih_l1'"),
])
def test_forged_sizes_are_refused_before_anything_is_allocated(saved, tmp_path, params, message):
    path = forged(saved, tmp_path, **params)
    tracemalloc.start()
    try:
        with pytest.raises(CheckpointError, match=message) as caught:
            Forecaster.load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(caught.value).startswith(str(path / "weights.safetensors"))
    assert "\n" not in str(caught.value)
    assert peak < 20e6  # hidden_size=3000 alone would be 144 MB of weights


def test_a_non_integer_size_in_the_config_is_refused(saved, tmp_path):
    path = forged(saved, tmp_path, horizon=1e9)
    with pytest.raises(CheckpointError, match=r"config.json is missing or has a bad entry: horizon must be"):
        Forecaster.load(path)


def test_nan_weights_are_refused_at_load(saved, tmp_path):
    path = forged(saved, tmp_path)
    weights = safetensors.numpy.load_file(path / "weights.safetensors")
    weights["network.head.bias"][1] = np.nan
    safetensors.numpy.save_file(weights, path / "weights.safetensors")
    with pytest.raises(CheckpointError, match=r"weights.safetensors: array 'network.head.bias' holds 1 NaN"):
        Forecaster.load(path)


def test_an_honest_folder_still_loads_and_forecasts_the_same(saved):
    fc = Forecaster.load(saved)
    again = Forecaster.load(saved)
    np.testing.assert_array_equal(fc.forecast().to_numpy(), again.forecast().to_numpy())

