"""The dispatcher's one place for mistakes: OSError, argparse, the flags' own words."""

import errno
import os

import pandas as pd
import pytest
import safetensors.numpy

from lstmcast.cli import main
from lstmcast.cli.errors import describe_os_error, in_flag_words
from lstmcast.data.datasets import dataset_path

from . import train_airline_model

SMALL = ["--look-back", "12", "--horizon", "6", "--hidden", "8", "--epochs", "1", "--quiet"]


def one_line_error(capsys, argv, status=2):
    assert main([str(a) for a in argv]) == status
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    return train_airline_model(tmp_path_factory.mktemp("errors") / "model", epochs=1)


def test_out_inside_a_regular_file_names_the_path_before_training(tmp_path, capsys):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine")
    err = one_line_error(capsys, ["train", dataset_path("airline"), "--target", "Passengers",
                                  "--out", blocker / "model", *SMALL])
    assert f"{blocker} is a file, not a folder" in err
    assert "epochs" not in capsys.readouterr().out  # refused before any training
    assert blocker.read_text() == "mine"


def test_disk_full_while_saving_is_one_line_and_leaves_nothing(tmp_path, capsys, monkeypatch):
    def full(arrays, path, metadata=None):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(safetensors.numpy, "save_file", full)
    out = tmp_path / "model"
    err = one_line_error(capsys, ["train", dataset_path("airline"), "--target", "Passengers", "--out", out, *SMALL])
    assert err == f"lstmcast: error: {out}: No space left on device\n"
    assert os.listdir(tmp_path) == []


def test_a_read_only_folder_is_one_line(tmp_path, capsys, monkeypatch, model_dir):
    monkeypatch.setattr(os, "access", lambda path, mode: False)  # as for a user without write permission
    err = one_line_error(capsys, ["train", dataset_path("airline"), "--target", "Passengers",
                                  "--out", tmp_path / "m", *SMALL])
    assert f"cannot save a model to {tmp_path / 'm'}: folder {tmp_path} is not writable" in err


def test_writing_a_forecast_into_a_missing_folder_or_a_folder(tmp_path, capsys, model_dir):
    err = one_line_error(capsys, ["forecast", model_dir, "--out", tmp_path / "nope" / "f.csv"])
    assert "folder" in err and "does not exist" in err
    err = one_line_error(capsys, ["forecast", model_dir, "--out", tmp_path])
    assert f"cannot write {tmp_path}: it is a folder" in err


def test_an_os_error_from_anywhere_names_path_and_reason(tmp_path, capsys, monkeypatch, model_dir):
    from lstmcast.cli import forecast_commands

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", "/some/where.csv")

    monkeypatch.setattr(forecast_commands, "write_csv", refuse)
    err = one_line_error(capsys, ["forecast", model_dir, "--out", tmp_path / "f.csv"])
    assert err == "lstmcast: error: /some/where.csv: Permission denied\n"


def test_an_os_error_the_user_cannot_fix_exits_1(tmp_path, capsys, monkeypatch, model_dir):
    from lstmcast.cli import forecast_commands

    def broken(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error", "/dev/sdz")

    monkeypatch.setattr(forecast_commands, "write_csv", broken)
    err = one_line_error(capsys, ["forecast", model_dir, "--out", tmp_path / "f.csv"], status=1)
    assert err == "lstmcast: error: /dev/sdz: Input/output error\n"


def test_forecast_out_through_a_symlink_writes_the_target(tmp_path, capsys, model_dir):
    real = tmp_path / "real.csv"
    real.write_text("")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert main(["forecast", str(model_dir), "--out", str(link)]) == 0
    assert link.is_symlink() and real.read_text().splitlines()[0].endswith(",Passengers")


def test_forecast_out_dash_prints_the_csv_alone(capfd, model_dir):
    import io

    assert main(["forecast", str(model_dir), "--out", "-"]) == 0
    out = capfd.readouterr().out
    frame = pd.read_csv(io.StringIO(out), index_col=0)  # nothing but the CSV: it pipes into other tools
    assert list(frame.columns) == ["Passengers"] and len(frame) == 6


@pytest.mark.parametrize("argv, message", [
    (["train", "x.csv", "--out", "m", "--look-back", "ten"], "lstmcast train: error: argument --look-back: invalid int value: 'ten'"),
    (["train", "x.csv"], "lstmcast train: error: the following arguments are required: --out"),
    (["forecast"], "lstmcast forecast: error: the following arguments are required: DIR"),
    (["no-such-command"], "lstmcast: error: argument COMMAND: invalid choice: 'no-such-command'"),
    (["text", "generate", "m", "--temperature", "hot"], "lstmcast text generate: error: argument --temperature"),
])
def test_argparse_mistakes_are_one_line(capsys, argv, message):
    err = one_line_error(capsys, argv)
    assert err.startswith(message) and "--help)" in err


def test_too_large_sizes_are_refused_up_front_with_the_limit(tmp_path, capsys, model_dir):
    err = one_line_error(capsys, ["train", dataset_path("airline"), "--target", "Passengers", "--out",
                                  tmp_path / "m", "--hidden", "100000000", "--epochs", "1", "--quiet"])
    assert "--hidden 100000000" in err and "more than the limit of 200,000,000" in err
    assert not (tmp_path / "m").exists()


def test_text_generate_refuses_an_absurd_length(tmp_path, capsys):
    text = tmp_path / "t.txt"
    text.write_text("the cat sat on the mat. " * 40)
    assert main(["text", "train", str(text), "--out", str(tmp_path / "m"), "--hidden", "8", "--epochs", "1",
                 "--seq-len", "16", "--quiet"]) == 0
    capsys.readouterr()
    err = one_line_error(capsys, ["text", "generate", tmp_path / "m", "--length", str(10**12)])
    assert "--length must be at most 10,000,000 characters per call" in err


@pytest.mark.parametrize("message, expected", [
    ("name the column to forecast with target=; columns: a, b", "name the column to forecast with --target; columns: a, b"),
    ("pass fill='ffill' or fill='interpolate' to fill them", "pass --fill ffill or --fill interpolate to fill them"),
    ("no column 'x' (date_column); available", "no column 'x' (--date-column); available"),
    ("no column 'look_back' (target)", "no column 'look_back' (target)"),  # a column's name stays as it is
    ("hidden_size=100, num_layers=2 gives", "--hidden 100, --layers 2 gives"),
    ("epochs must be a positive integer, got 0", "--epochs must be a positive integer, got 0"),
])
def test_messages_use_the_flags_a_person_types(message, expected):
    assert in_flag_words(message) == expected


def test_describe_os_error_of_a_rename_names_both_paths():
    assert describe_os_error(OSError(errno.EXDEV, "Invalid cross-device link", "a", None, "b")) == \
        "a -> b: Invalid cross-device link"


def test_a_safetensors_error_while_saving_is_one_line_naming_the_folder(tmp_path, capsys, monkeypatch):
    from safetensors import SafetensorError

    def full(arrays, path, metadata=None):
        raise SafetensorError('Error while serializing: IoError(Os { code: 28, kind: StorageFull, '
                              'message: "No space left on device" })')

    monkeypatch.setattr(safetensors.numpy, "save_file", full)
    out = tmp_path / "model"
    err = one_line_error(capsys, ["train", dataset_path("airline"), "--target", "Passengers", "--out", out, *SMALL])
    assert err == f"lstmcast: error: cannot save model folder {out}: No space left on device\n"
    assert os.listdir(tmp_path) == []


def test_a_bug_in_lstmcast_still_shows_its_traceback(tmp_path, monkeypatch):
    from lstmcast.cli import forecast_commands

    def bug(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr(forecast_commands, "save_model", bug)
    with pytest.raises(KeyError):
        main(["train", str(dataset_path("airline")), "--target", "Passengers", "--out", str(tmp_path / "m"), *SMALL])


@pytest.mark.parametrize("message, flags, expected", [
    ("pass freq= to name the spacing", {"--target"},
     "pass freq= to name the spacing (freq=: argument of the Python API, not a flag of lstmcast forecast)"),
    ("pass fill='ffill' or fill='interpolate' to fill them", {"--target"},
     "pass fill='ffill' or fill='interpolate' to fill them (fill=: argument of the Python API, not a flag of "
     "lstmcast forecast)"),
    ("pass fill='ffill' to fill them", {"--fill"}, "pass --fill ffill to fill them"),
    ("epochs must be positive", {"--target"}, "epochs must be positive"),
])
def test_messages_name_only_the_flags_of_the_command(message, flags, expected):
    assert in_flag_words(message, flags, "lstmcast forecast") == expected


def test_forecast_advice_names_no_flag_forecast_lacks(tmp_path, capsys, model_dir):
    frame = pd.read_csv(dataset_path("airline"))
    frame.loc[140, "Passengers"] = None  # a gap the model's reading refuses
    path = tmp_path / "gap.csv"
    frame.to_csv(path, index=False)
    err = one_line_error(capsys, ["forecast", model_dir, path])
    assert "--fill" not in err and "fill='ffill'" in err and "not a flag of lstmcast forecast" in err


@pytest.mark.parametrize("argv", [
    ["train", dataset_path("airline"), "--target", "Passengers", "--out", "never", *SMALL, "--seed", "-1"],
    ["backtest", dataset_path("airline"), "--target", "Passengers", "--epochs", "1", "--quiet", "--no-strong",
     "--seed", "-1"],
])
def test_a_negative_seed_names_the_flag(capsys, argv):
    err = one_line_error(capsys, argv)
    assert err == "lstmcast: error: --seed must be a non-negative integer or None, got -1\n"


def test_an_empty_out_and_a_zero_workers_name_their_flags(tmp_path, capsys):
    from lstmcast.cli import main
    from lstmcast.data import dataset_path

    tiny = ["--look-back", "6", "--horizon", "3", "--hidden", "4", "--epochs", "2", "--quiet", "--no-strong"]
    assert main(["train", str(dataset_path("airline")), "--out", "", *tiny]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lstmcast: error: --out must name the model folder") and err.count("\n") == 1
    panel = tmp_path / "p.csv"
    panel.write_text("series,t,y\n" + "".join(f"{s},{t},{t % 7 + 1}\n" for s in "ab" for t in range(40)))
    assert main(["train", str(panel), "--id-column", "series", "--mode", "local", "--workers", "0",
                 "--out", str(tmp_path / "m"), *tiny]) == 2
    err = capsys.readouterr().err
    assert "--workers must be a positive whole number" in err and err.count("\n") == 1
