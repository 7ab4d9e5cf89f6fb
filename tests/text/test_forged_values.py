"""A character-model folder with a forged value in its config or its trainer state: one line naming
the file and the key (the trainer state is read by every model kind through the same check)."""

import json
import shutil

import pytest
import safetensors
import safetensors.numpy

from lstmcast import CharModel
from lstmcast.checkpoint import CheckpointError



def edited(saved, tmp_path, name, change):
    path = tmp_path / "copy"
    shutil.copytree(saved, path)
    document = json.loads((path / name).read_text())
    change(document)
    (path / name).write_text(json.dumps(document))
    return path


@pytest.mark.parametrize("name, change, message", [
    ("config.json", lambda d: d["config"]["history"].update(best_epoch=5),
     r"config.json: config\['history'\]\['best_epoch'\] is 5; expected an integer in \[1, 1\]"),
    ("config.json", lambda d: d["config"].update(stopped_by_time="no"),
     r"config.json: config\['stopped_by_time'\] is 'no'; expected true or false"),
    ("training_state.json", lambda d: d.update(bad_epochs=-1),
     r"training_state.json: training_state\['bad_epochs'\] is -1; expected an integer >= 0"),
    ("training_state.json", lambda d: d.update(best_loss="low"),
     r"training_state.json: training_state\['best_loss'\] is 'low'; expected a finite number >= 0 or null"),
    ("training_state.json", lambda d: d["rng_states"].update(trainer=7),
     r"training_state\['rng_states'\]\['trainer'\] is 7; expected a JSON object"),
])
def test_a_forged_value_is_refused_naming_file_and_key(saved, tmp_path, name, change, message):
    path = edited(saved, tmp_path, name, change)
    with pytest.raises(CheckpointError, match=message) as caught:
        CharModel.load(path)
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


@pytest.mark.parametrize("meta_change, message", [
    ({"lr": -0.5}, r"meta\['lr'\] is -0.5; expected a finite number >= 0"),
    ({"betas": [0.9, 3.0]}, r"meta\['betas'\]\[1\] is 3.0; expected a finite number in \[0, 1\]"),
    ({"step": 2.5}, r"meta\['step'\] is 2.5; expected an integer >= 0"),
])
def test_a_forged_optimizer_meta_is_refused_naming_the_key(saved, tmp_path, meta_change, message):
    path = tmp_path / "copy"
    shutil.copytree(saved, path)
    with safetensors.safe_open(path / "optimizer.safetensors", framework="np") as handle:
        meta = json.loads(handle.metadata()["meta"])
        arrays = {key: handle.get_tensor(key) for key in handle.keys()}
    meta.update(meta_change)
    safetensors.numpy.save_file(arrays, path / "optimizer.safetensors", metadata={"meta": json.dumps(meta)})
    with pytest.raises(CheckpointError, match=r"optimizer.safetensors: " + message):
        CharModel.load(path)


def test_an_honest_folder_still_loads(saved):
    assert CharModel.load(saved).history_.epochs == 1
