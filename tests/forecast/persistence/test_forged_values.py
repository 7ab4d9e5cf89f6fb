"""A forecaster folder with a forged value: each number, name and range is checked against what
a save writes, and refused in one line naming the file and the key (no traceback, no nonsense forecast)."""

import json
import shutil

import numpy as np
import pytest
import safetensors.numpy

from lstmcast import Forecaster, load_dataset
from lstmcast.checkpoint import CheckpointError



def copy_of(saved, tmp_path):
    copy = tmp_path / "forged"
    shutil.copytree(saved, copy)
    return copy


def with_config(saved, tmp_path, change, text=None):
    path = copy_of(saved, tmp_path)
    document = json.loads((path / "config.json").read_text())
    change(document["config"])
    (path / "config.json").write_text(text(document) if text else json.dumps(document))
    return path


def with_weights(saved, tmp_path, change):
    path = copy_of(saved, tmp_path)
    weights = safetensors.numpy.load_file(path / "weights.safetensors")
    change(weights)
    safetensors.numpy.save_file(weights, path / "weights.safetensors")
    return path


def refused(path, message):
    with pytest.raises(CheckpointError, match=message) as caught:
        Forecaster.load(path)
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)
    return str(caught.value)


def test_an_infinite_number_written_as_1e999_is_refused_naming_its_key(saved, tmp_path):
    path = with_config(saved, tmp_path, lambda c: c["scaler"].update(std=[12345.0]),
                       text=lambda d: json.dumps(d).replace("12345.0", "1e999"))
    refused(path, r"config.json: \['config'\]\['scaler'\]\['std'\]\[0\] is inf, a number no save writes")


@pytest.mark.parametrize("change, message", [
    (lambda c: c["scaler"].update(std=[-1.0]), r"config\['scaler'\]\['std'\]\[0\] is -1.0; expected a finite number >= 0"),
    (lambda c: c["scaler"].update(mean=[1.0, 2.0]), r"config\['scaler'\]\['mean'\] is \[1.0, 2.0\]; expected a list of 1 numbers"),
    (lambda c: c["scaler"].update(kind="robust"), r"config\['scaler'\]\['kind'\] is 'robust'; expected one of"),
    (lambda c: c["split"].update(train=[0, 500]), r"config\['split'\] is .*expected consecutive row ranges from 0"),
    (lambda c: c["split"].update(val=["a", 1]), r"config\['split'\]\['val'\] is \['a', 1\]; expected \[start, stop\]"),
    (lambda c: c.update(freq="XYZ"), r"config\['freq'\] is 'XYZ'; expected a pandas frequency"),
    (lambda c: c.update(date_tz="Mars/Olympus"), r"config\['date_tz'\] is 'Mars/Olympus'; expected a time-zone name"),
    (lambda c: c.update(date_unit="fortnight"), r"config\['date_unit'\] is 'fortnight'; expected one of 's'"),
    (lambda c: c.update(window_norm="sideways"), r"config\['window_norm'\] is 'sideways'; expected one of"),
    (lambda c: c.update(target=7), r"config\['target'\] is 7; expected a string"),
    (lambda c: c.update(input_size=0), r"config\['input_size'\] is 0; expected an integer >= 1"),
    (lambda c: c["params"].update(seed=-3), r"config\['params'\]\['seed'\] is -3; expected an integer >= 0 or null"),
    (lambda c: c["history"].update(best_epoch=99), r"config\['history'\]\['best_epoch'\] is 99; expected an integer in"),
    (lambda c: c["history"].update(train_loss=[-1.0, 1.0]), r"config\['history'\]\['train_loss'\]\[0\] is -1.0; expected a finite number >= 0"),
    (lambda c: c["history"].update(seconds="soon"), r"config\['history'\]\['seconds'\] is 'soon'; expected a list"),
])
def test_a_forged_config_value_is_refused_naming_the_key(saved, tmp_path, change, message):
    refused(with_config(saved, tmp_path, change), "config.json: " + message)


@pytest.mark.parametrize("change, message", [
    (lambda w: w.update({"no_harm.weight": np.array([-50.0])}),
     r"array 'no_harm.weight' holds -50.0; expected values finite in \[0, 1\]"),
    (lambda w: w.update({"no_harm.weight": np.array([0.5, 0.5])}), r"array 'no_harm.weight' has shape \(2,\)"),
    (lambda w: w["intervals.residuals"].__setitem__((0, 0), -3.0), r"array 'intervals.residuals' holds -3.0"),
    (lambda w: w.update({"data.dates": w["data.dates"][::-1].copy()}), r"array 'data.dates' is not strictly increasing"),
])
def test_a_forged_array_is_refused_naming_it(saved, tmp_path, change, message):
    refused(with_weights(saved, tmp_path, change), "weights.safetensors: " + message)


def test_the_forecast_with_a_forged_naive_weight_is_not_made(saved, tmp_path, capsys):
    from lstmcast.cli import main

    path = with_weights(saved, tmp_path, lambda w: w.update({"no_harm.weight": np.array([-50.0])}))
    assert main(["forecast", str(path)]) == 2
    err = capsys.readouterr().err
    assert "no_harm.weight" in err and len(err.strip().splitlines()) == 1


def test_an_honest_folder_still_loads_and_forecasts(saved):
    fc = Forecaster.load(saved)
    assert np.isfinite(fc.forecast().to_numpy()).all()


def test_a_forged_trainer_state_is_refused_naming_the_key(saved, tmp_path):
    path = copy_of(saved, tmp_path)
    state = json.loads((path / "training_state.json").read_text())
    state["history"]["seconds"] = [-1.0] * len(state["history"]["seconds"])
    (path / "training_state.json").write_text(json.dumps(state))
    refused(path, r"training_state.json: training_state\['history'\]\['seconds'\]\[0\] is -1.0; expected a finite "
                  r"number >= 0")
