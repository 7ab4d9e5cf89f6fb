"""Intervals and quantiles on the command line: a coverage the validation windows cannot support and
quantile levels without 0.5 are one-line errors, exit status 2, and nothing is written."""

from lstmcast.cli import main
from lstmcast.data.datasets import dataset_path

from . import train_airline_model

TINY = ["--look-back", "6", "--horizon", "3", "--hidden", "4", "--epochs", "2", "--quiet", "--no-strong"]


def test_a_coverage_too_high_for_the_validation_windows_is_one_line_naming_the_flag(tmp_path, capsys):
    model = train_airline_model(tmp_path / "m", epochs=1)  # 144 rows, 29 of them validating: 24 windows of 6 steps
    capsys.readouterr()
    csv = tmp_path / "f.csv"
    assert main(["forecast", str(model), "--coverage", "0.999999", "--out", str(csv)]) == 2
    err = capsys.readouterr().err
    assert err == ("lstmcast: error: --coverage 0.999999 needs at least 999999 calibration errors and the "
                   "validation windows give 24: the largest coverage they support is 0.96 (a larger "
                   "val_fraction keeps more)\n")  # forecast has no --val-fraction: train's setting, not a flag here
    assert not csv.exists()
    assert main(["evaluate", str(model), str(dataset_path("airline")), "--coverage", "0.99", "--no-strong"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lstmcast: error: --coverage 0.99 needs at least 99 ") and err.count("\n") == 1


def test_quantiles_without_0_5_are_refused_before_training(tmp_path, capsys):
    out = tmp_path / "q"
    argv = ["train", str(dataset_path("airline")), "--out", str(out), *TINY, "--loss", "quantile",
            "--quantiles", "0.1,0.9"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "--quantiles" in err and "must include 0.5" in err and err.count("\n") == 1
    assert not out.exists()
