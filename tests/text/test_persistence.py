"""Loading a character-model folder that lies: sizes and non-finite weights refused in one line."""

import json
import shutil

import numpy as np
import pytest
import safetensors.numpy

from lstmcast import CharModel
from lstmcast.checkpoint import CheckpointError



def copy(saved, tmp_path):
    target = tmp_path / "copy"
    shutil.copytree(saved, target)
    return target


def test_a_forged_hidden_size_is_refused_before_building(saved, tmp_path):
    path = copy(saved, tmp_path)
    document = json.loads((path / "config.json").read_text())
    document["config"]["params"]["hidden_size"] = 1_000_000
    (path / "config.json").write_text(json.dumps(document))
    with pytest.raises(CheckpointError, match=r"weights.safetensors does not fit the network its config.json "
                                              r"describes: array 'lstm.weight_ih_l0' has shape \(32, 4\), "
                                              r"the config asks for \(4000000, 4\)"):
        CharModel.load(path)


def test_infinite_weights_are_refused(saved, tmp_path):
    path = copy(saved, tmp_path)
    weights = safetensors.numpy.load_file(path / "weights.safetensors")
    weights["head.weight"][0, :2] = np.inf
    safetensors.numpy.save_file(weights, path / "weights.safetensors")
    with pytest.raises(CheckpointError, match=r"array 'head.weight' holds 2 NaN or infinite value\(s\)"):
        CharModel.load(path)
