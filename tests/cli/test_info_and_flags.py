"""`lstmcast info`, `forecast --coverage`, `train --target-transform`: the API's options on the command line."""

import json
import math

import pandas as pd
import pytest

from lstmcast import Forecaster
from lstmcast.cli import main
from lstmcast.cli.info_commands import describe
from lstmcast.data.datasets import dataset_path

from . import train_airline_model

SMALL = ["--look-back", "12", "--horizon", "6", "--hidden", "8", "--epochs", "3", "--quiet"]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    return train_airline_model(tmp_path_factory.mktemp("info") / "model")


def test_info_describes_data_date_settings_score_and_size(model_dir):
    rows = dict(describe(model_dir))
    document = json.loads((model_dir / "config.json").read_text())
    assert rows["kind"].startswith("forecaster (lstmcast ")
    assert rows["saved"] == document["saved_at"]
    assert rows["trained on"] == "airline.csv: target 'Passengers', features none"
    assert rows["data"] == "144 rows from 1949-01-01 to 1960-12-01, frequency MS"
    assert "look_back=12" in rows["settings"] and "hidden_size=8" in rows["settings"]
    assert rows["training"].startswith("3 epochs in ")
    evaluated = Forecaster.load(model_dir).evaluate()
    assert rows["validation"].startswith(f"MAE {evaluated.loc['LSTM', 'MAE']:.4g} (naive "
                                         f"{evaluated.loc['naive', 'MAE']:.4g})")
    total = sum(p.stat().st_size for p in model_dir.iterdir())
    assert rows["size on disk"].startswith(f"{total / 1000:.1f} kB in 5 files")
    net = Forecaster.load(model_dir).network_
    assert rows["parameters"] == f"{net.num_parameters():,} in the network"


def test_info_on_a_character_model(tmp_path):
    text = tmp_path / "t.txt"
    text.write_text("to be or not to be, that is the question. " * 30)
    assert main(["text", "train", str(text), "--out", str(tmp_path / "m"), "--hidden", "8", "--epochs", "2",
                 "--seq-len", "16", "--quiet"]) == 0
    rows = dict(describe(tmp_path / "m"))
    from lstmcast import CharModel

    model = CharModel.load(tmp_path / "m")
    assert rows["vocabulary"] == f"{len(model.vocab_)} characters"
    best = model.history_.best_epoch
    assert rows["validation"] == f"{model.history_.val_loss[best - 1] / math.log(2):.3f} bits per character (epoch {best})"


def test_info_on_a_folder_that_is_not_a_model_is_one_line(tmp_path, capsys):
    assert main(["info", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not an lstmcast model directory" in err


def test_info_prints(model_dir, capsys):
    assert main(["info", str(model_dir)]) == 0
    out = capsys.readouterr().out
    assert "airline.csv" in out and "size on disk" in out


def test_forecast_coverage_writes_the_interval(model_dir, tmp_path):
    assert main(["forecast", str(model_dir), "--coverage", "0.9", "--out", str(tmp_path / "f.csv")]) == 0
    written = pd.read_csv(tmp_path / "f.csv", index_col=0, parse_dates=True)
    expected = Forecaster.load(model_dir).forecast(coverage=0.9)
    assert list(written.columns) == ["Passengers", "lower", "upper"]
    pd.testing.assert_frame_equal(written, expected, check_freq=False, check_names=False, rtol=1e-12)
    assert (written["lower"] <= written["Passengers"]).all() and (written["Passengers"] <= written["upper"]).all()


def test_forecast_coverage_out_of_range_is_one_line(model_dir, capsys):
    assert main(["forecast", str(model_dir), "--coverage", "1.5"]) == 2
    assert capsys.readouterr().err.startswith("lstmcast: error: --coverage must be")


def test_train_target_transform_is_stored(tmp_path):
    out = tmp_path / "m"
    assert main(["train", str(dataset_path("airline")), "--target", "Passengers", "--out", str(out), *SMALL,
                 "--target-transform", "log_return"]) == 0
    assert Forecaster.load(out).target_transform == "log_return"
