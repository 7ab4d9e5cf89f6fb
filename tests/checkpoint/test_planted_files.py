"""A model folder whose files are not what a save writes: FIFOs, folders, links, deep nesting.

Each is refused in one line naming the file, without hanging and without reading past it.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from lstmcast.checkpoint import CheckpointError, load_checkpoint, read_document, save_checkpoint


@pytest.fixture
def model(tmp_path):
    return save_checkpoint(tmp_path / "model", kind="forecaster", config={"a": 1}, weights={"w": np.zeros(3)},
                           optimizer=({"m": np.zeros(3)}, {"step": 1}), training_state={"epoch": 1},
                           resume_arrays={"r": np.zeros(3)})


@pytest.mark.parametrize("name", ["config.json", "weights.safetensors", "optimizer.safetensors",
                                  "training_state.json", "resume.safetensors"])
def test_a_fifo_in_place_of_a_model_file_is_refused_without_hanging(model, name):
    (model / name).unlink()
    os.mkfifo(model / name)  # opened for reading the usual way, this waits for a writer forever
    with pytest.raises(CheckpointError, match=f"{name} is not a regular file") as caught:
        load_checkpoint(model)
    assert str(caught.value).startswith(str(model / name)) and "\n" not in str(caught.value)


@pytest.mark.parametrize("name", ["config.json", "weights.safetensors", "training_state.json"])
def test_a_folder_in_place_of_a_model_file_is_refused(model, name):
    (model / name).unlink()
    (model / name).mkdir()
    with pytest.raises(CheckpointError, match=f"{name} (is not a regular file|cannot be read)"):
        load_checkpoint(model)


def test_a_link_to_a_regular_file_is_followed_as_documented(model, tmp_path):
    kept = tmp_path / "kept.safetensors"
    os.replace(model / "weights.safetensors", kept)
    (model / "weights.safetensors").symlink_to(kept)
    assert np.array_equal(load_checkpoint(model).weights["w"], np.zeros(3))


def test_a_link_to_a_fifo_is_refused(model, tmp_path):
    os.mkfifo(tmp_path / "pipe")
    (model / "training_state.json").unlink()
    (model / "training_state.json").symlink_to(tmp_path / "pipe")
    with pytest.raises(CheckpointError, match="training_state.json is not a regular file"):
        load_checkpoint(model)


def test_a_deeply_nested_config_is_a_one_line_error(model):
    document = json.loads((model / "config.json").read_text())
    text = json.dumps(document)[:-1] + ', "deep": ' + "[" * 100_000 + "]" * 100_000 + "}"
    (model / "config.json").write_text(text)
    with pytest.raises(CheckpointError, match="config.json is nested too deeply"):
        read_document(model)


def test_a_deeply_nested_training_state_is_a_one_line_error(model):
    (model / "training_state.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(CheckpointError, match="training_state.json is nested too deeply"):
        load_checkpoint(model)


def test_saving_over_a_folder_whose_config_is_a_fifo_is_refused_without_hanging(model):
    (model / "config.json").unlink()
    os.mkfifo(model / "config.json")
    with pytest.raises(CheckpointError, match="config.json is not an lstmcast config; refusing to replace"):
        save_checkpoint(model, kind="forecaster", config={}, weights={"w": np.zeros(1)})
    assert (model / "config.json").is_fifo()
