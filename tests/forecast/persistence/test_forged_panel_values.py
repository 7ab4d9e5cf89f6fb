"""A panel model folder with a forged value: refused in one line naming the file and the key."""

import json
import shutil

import numpy as np
import pytest
import safetensors.numpy

from lstmcast import Forecaster
from lstmcast.checkpoint import CheckpointError

from ...conftest import seasonal_panel, small


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    path = tmp_path_factory.mktemp("panel") / "model"
    small(epochs=2, hidden_size=4, look_back=12, horizon=3).fit(seasonal_panel(n_series=3),
                                                                 id_column="unique_id").save(path)
    return path


def forged(saved, tmp_path, config=None, weights=None):
    path = tmp_path / "forged"
    shutil.copytree(saved, path)
    if config:
        document = json.loads((path / "config.json").read_text())
        config(document["config"])
        (path / "config.json").write_text(json.dumps(document))
    if weights:
        arrays = safetensors.numpy.load_file(path / "weights.safetensors")
        weights(arrays)
        safetensors.numpy.save_file(arrays, path / "weights.safetensors")
    return path


def state(c):
    return c["states"][0]


@pytest.mark.parametrize("change, message", [
    (lambda c: state(c)["splits"].update(s0=[0, 5]), r"config\['states'\]\[0\]\['splits'\]\['s0'\] is \[0, 5\]; expected \[train_end, val_end\]"),
    (lambda c: state(c)["splits"].update(s1=[10, 10_000]), r"\['splits'\]\['s1'\] is \[10, 10000\]; expected"),
    (lambda c: state(c)["scalers"]["s0"].update(std=[-2.0]), r"\['scalers'\]\['s0'\]\['std'\]\[0\] is -2.0; expected a finite number >= 0"),
    (lambda c: state(c).update(validation_error=-1), r"\['states'\]\[0\]\['validation_error'\] is -1; expected a finite number >= 0"),
    (lambda c: state(c).update(window_norm="up"), r"\['window_norm'\] is 'up'; expected one of"),
    (lambda c: state(c).update(target_transform="cube"), r"\['target_transform'\] is 'cube'; expected one of"),
    (lambda c: state(c).update(input_size=-3), r"\['input_size'\] is -3; expected an integer >= 1"),
    (lambda c: state(c)["histories"][0].update(best_epoch=0), r"\['histories'\]\[0\]\['best_epoch'\] is 0; expected an integer in"),
    (lambda c: c.update(mode="sideways"), r"config\['mode'\] is 'sideways'; expected one of 'global', 'local'"),
    (lambda c: c.update(freq="every now and then"), r"config\['freq'\] is 'every now and then'; expected a pandas frequency"),
    (lambda c: c.update(ids=["s0", "s0", "s1"]), r"config\['ids'\] is \['s0', 's0', 's1'\]; expected series ids, each once"),
    (lambda c: state(c).update(ids=["s0", "s9"]), r"config\['states'\]\[0\]\['ids'\] is \['s0', 's9'\]; expected series of the panel"),
    (lambda c: c.update(has_dates="yes"), r"config\['has_dates'\] is 'yes'; expected true or false"),
])
def test_a_forged_panel_config_value_is_refused_naming_the_key(saved, tmp_path, change, message):
    path = forged(saved, tmp_path, config=change)
    with pytest.raises(CheckpointError, match=str(path / "config.json").replace(".", r"\.") + ": .*" + message) as caught:
        Forecaster.load(path)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("change, message", [
    (lambda w: w["state.0.interval_weights"].__setitem__(0, -1.0), r"array 'state.0.interval_weights' holds -1.0"),
    (lambda w: w["state.0.interval_scores"].__setitem__((0, 0), -1.0), r"array 'state.0.interval_scores' holds -1.0"),
    (lambda w: w.update({"panel.bounds": w["panel.bounds"][[0, 2, 1, 3]].copy()}), r"array 'panel.bounds' is not strictly"),
    (lambda w: w.update({"panel.times": w["panel.times"][::-1].copy()}), r"array 'panel.times' is not increasing within each series"),
])
def test_a_forged_panel_array_is_refused_naming_it(saved, tmp_path, change, message):
    path = forged(saved, tmp_path, weights=change)
    with pytest.raises(CheckpointError, match=r"weights\.safetensors: " + message):
        Forecaster.load(path)


def test_an_honest_panel_folder_still_loads_and_forecasts(saved):
    assert np.isfinite(Forecaster.load(saved).forecast().select_dtypes("number").to_numpy()).all()
