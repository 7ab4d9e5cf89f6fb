"""Ctrl-C during training keeps the complete epochs and saves them; --resume finishes the run
with the same numbers, bit for bit, as one that was never interrupted."""

import json
import signal

import numpy as np
import pytest
import safetensors.numpy

from lstmcast.cli import main
from lstmcast.data.datasets import dataset_path

SMALL = ["--look-back", "12", "--horizon", "3", "--hidden", "4", "--batch-size", "16", "--quiet"]


def arrays(folder, name):
    return safetensors.numpy.load_file(folder / name)


def assert_same_model(a, b):
    for name in ("weights.safetensors", "resume.safetensors", "optimizer.safetensors"):
        left, right = arrays(a, name), arrays(b, name)
        assert left.keys() == right.keys()
        for key in left:
            np.testing.assert_array_equal(left[key], right[key], err_msg=f"{name}:{key}")
    history = [json.loads((folder / "config.json").read_text())["config"]["history"] for folder in (a, b)]
    assert history[0]["train_loss"] == history[1]["train_loss"] and history[0]["val_loss"] == history[1]["val_loss"]


@pytest.fixture(autouse=True)
def python_handles_ctrl_c():
    """Python's own SIGINT handler (a KeyboardInterrupt) while each test runs, whatever an earlier test or
    library left installed, and that one back afterwards."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def interrupt_at_step(monkeypatch, module, step):
    """A real SIGINT in the middle of training, at optimiser step ``step``."""
    real = module.apply_gradients
    calls = []

    def stepping(*args, **kwargs):
        calls.append(1)
        if len(calls) == step:
            signal.raise_signal(signal.SIGINT)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "apply_gradients", stepping)
    return calls


def train(out, *extra):
    return main(["train", str(dataset_path("airline")), "--target", "Passengers", "--out", str(out), *SMALL,
                 *map(str, extra)])


def test_ctrl_c_saves_the_complete_epochs_and_resume_finishes_bit_for_bit(tmp_path, monkeypatch, capsys):
    from lstmcast.forecast.training import fitting

    calls = interrupt_at_step(monkeypatch, fitting, 2 * 7 + 3)  # 7 batches an epoch: in epoch 3
    assert train(tmp_path / "cut", "--epochs", 6) == 130
    monkeypatch.undo()
    out = " ".join(capsys.readouterr().out.split())
    assert len(calls) == 17
    assert "interrupted after 2 complete epochs: saved the best weights so far (epoch" in out
    assert f"--out {tmp_path / 'cut'} --resume" in out
    assert train(tmp_path / "two", "--epochs", 2) == 0
    assert_same_model(tmp_path / "cut", tmp_path / "two")  # exactly the first two epochs

    assert train(tmp_path / "cut", "--epochs", 6, "--resume") == 0
    assert train(tmp_path / "whole", "--epochs", 6) == 0
    assert_same_model(tmp_path / "cut", tmp_path / "whole")
    assert json.loads((tmp_path / "cut" / "config.json").read_text())["config"]["params"]["epochs"] == 6


def test_ctrl_c_in_the_first_epoch_saves_nothing(tmp_path, monkeypatch, capsys):
    from lstmcast.forecast.training import fitting

    interrupt_at_step(monkeypatch, fitting, 3)
    assert train(tmp_path / "m", "--epochs", 6) == 130
    assert "lstmcast: interrupted" in capsys.readouterr().err
    assert not (tmp_path / "m").exists()


def test_resume_refuses_other_settings_and_a_finished_run(tmp_path, capsys):
    assert train(tmp_path / "m", "--epochs", 2) == 0
    capsys.readouterr()
    assert train(tmp_path / "m", "--epochs", 4, "--resume", "--hidden", 8) == 2
    err = capsys.readouterr().err
    assert "--hidden 8 differs from the 4 of the model in" in err and "own settings" in err
    assert train(tmp_path / "m", "--epochs", 2, "--resume") == 2
    assert "has trained 2 epochs, as many as --epochs 2" in capsys.readouterr().err


def text_train(text, out, *extra):
    return main(["text", "train", str(text), "--out", str(out), "--hidden", "8", "--embedding", "4",
                 "--seq-len", "8", "--batch-size", "4", "--steps-per-epoch", "5", "--patience", "0", "--quiet",
                 *map(str, extra)])


def test_text_train_ctrl_c_and_resume_bit_for_bit(tmp_path, monkeypatch, capsys):
    from lstmcast.text import charmodel

    text = tmp_path / "t.txt"
    text.write_text("the quick brown fox jumps over the lazy dog. " * 30)
    interrupt_at_step(monkeypatch, charmodel, 5 * 2 + 2)  # in epoch 3
    assert text_train(text, tmp_path / "cut", "--epochs", 5) == 130
    monkeypatch.undo()
    assert "interrupted after 2 complete epochs: saved the weights after epoch 2" in " ".join(
        capsys.readouterr().out.split())
    assert text_train(text, tmp_path / "cut", "--epochs", 5, "--resume") == 0
    assert text_train(text, tmp_path / "whole", "--epochs", 5) == 0
    assert_same_model(tmp_path / "cut", tmp_path / "whole")
