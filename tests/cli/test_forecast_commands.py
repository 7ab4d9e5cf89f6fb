"""`lstmcast train | forecast | evaluate | demo` on a bundled dataset, and user mistakes."""

import pandas as pd
import pytest

from lstmcast.cli import main
from lstmcast.data.datasets import dataset_path

from . import train_airline_model

PNG = b"\x89PNG\r\n\x1a\n"
SMALL = ["--look-back", "12", "--horizon", "6", "--hidden", "8", "--epochs", "3", "--quiet"]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    return train_airline_model(tmp_path_factory.mktemp("cli") / "model")


def test_train_writes_a_model_folder(model_dir, capsys):
    assert (model_dir / "config.json").exists() and (model_dir / "weights.safetensors").exists()


def test_forecast_writes_csv_and_plot(model_dir, tmp_path, capsys):
    csv, png = tmp_path / "fc.csv", tmp_path / "fc.png"
    assert main(["forecast", str(model_dir), "--out", str(csv), "--plot", str(png)]) == 0
    frame = pd.read_csv(csv, index_col=0, parse_dates=True)
    assert list(frame.columns) == ["Passengers"] and len(frame) == 6
    assert frame.index[0] == pd.Timestamp("1961-01-01")
    assert png.read_bytes()[:8] == PNG
    assert "forecast of Passengers" in capsys.readouterr().out


def test_evaluate_prints_model_and_baselines(model_dir, capsys):
    assert main(["evaluate", str(model_dir), str(dataset_path("airline")), "--start", "1959-01-01"]) == 0
    out = capsys.readouterr().out
    for name in ("LSTM", "naive", "seasonal naive", "drift", "MASE"):
        assert name in out


def test_evaluate_names_the_classical_models_or_what_was_not_run(model_dir, capsys):
    assert main(["evaluate", str(model_dir), str(dataset_path("airline")), "--start", "1959-01-01"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # rich wraps long lines
    try:
        import statsforecast  # noqa: F401
    except ImportError:
        assert "not run: AutoETS, AutoARIMA, AutoTheta" in out
    else:
        assert "AutoARIMA" in out and "strongest:" in out


def test_no_strong_leaves_the_classical_models_out_without_a_word(model_dir, capsys):
    argv = ["evaluate", str(model_dir), str(dataset_path("airline")), "--start", "1959-01-01", "--no-strong"]
    assert main(argv) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "seasonal naive" in out and "AutoARIMA" not in out and "not run" not in out


def test_train_with_auto_normalisation_and_an_ensemble(tmp_path, capsys):
    out = tmp_path / "auto"
    argv = ["train", str(dataset_path("airline")), "--target", "Passengers", "--out", str(out), *SMALL,
            "--window-norm", "auto", "--ensemble", "2", "--patch", "3"]
    assert main(argv) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert "the lowest scale-free validation error (mean_std" in printed and "log_mean_std" in printed
    assert "training: " in printed and "patch 3: given" in printed and "season 12: from the frequency 'MS'" in printed
    assert main(["forecast", str(out)]) == 0


@pytest.mark.parametrize(
    "argv, message",
    [
        (["train", "missing.csv", "--target", "x", "--out", "m"], "missing.csv"),
        (["train", "{airline}", "--target", "Sales", "--out", "m"], "no column 'Sales'"),
        (["train", "{airline}", "--target", "Passengers", "--out", "m", "--look-back", "0"], "--look-back must be a positive integer"),
        (["forecast", "no-such-model"], "no-such-model"),
        (["evaluate", "{model}", "missing.csv"], "missing.csv"),
    ],
)
def test_user_mistakes_exit_2_with_one_line(argv, message, model_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = [a.format(airline=dataset_path("airline"), model=model_dir) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("lstmcast: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "m").exists()  # nothing written half-way


def test_help_is_written_for_newcomers(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "--look-back" in out and "column to forecast" in out


def test_quantile_model_forecast_with_interval_and_evaluate_scores(tmp_path, capsys):
    model = tmp_path / "q"
    assert main(["train", str(dataset_path("airline")), "--target", "Passengers", "--out", str(model), *SMALL,
                 "--loss", "quantile", "--quantiles", "0.1,0.5,0.9", "--interval-method", "rolling"]) == 0
    csv, png = tmp_path / "fc.csv", tmp_path / "fc.png"
    assert main(["forecast", str(model), "--coverage", "0.8", "--out", str(csv), "--plot", str(png)]) == 0
    frame = pd.read_csv(csv, index_col=0, parse_dates=True)
    assert list(frame.columns) == ["Passengers", "q0.1", "q0.5", "q0.9", "lower", "upper"]
    assert (frame["q0.1"] <= frame["q0.5"]).all() and (frame["q0.5"] <= frame["q0.9"]).all()
    assert (frame["lower"] <= frame["Passengers"]).all() and (frame["Passengers"] <= frame["upper"]).all()
    assert png.read_bytes()[:8] == PNG
    capsys.readouterr()
    assert main(["evaluate", str(model), str(dataset_path("airline")), "--coverage", "0.8"]) == 0
    out = capsys.readouterr().out
    assert "ACD" in out and "Winkler" in out and "MSIS" in out and "by forecast step" in out


@pytest.mark.parametrize("argv, message", [
    (["forecast", "{model}", "--coverage", "90"], "--coverage must be between 0 and 1"),
    (["evaluate", "{model}", "{airline}", "--coverage", "0"], "--coverage must be between 0 and 1"),
    (["train", "{airline}", "--target", "Passengers", "--out", "m", "--mc-passes", "5"],
     "mc_passes needs a model trained with dropout"),
])
def test_interval_mistakes_exit_2_with_one_line(argv, message, model_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = [a.format(airline=dataset_path("airline"), model=model_dir) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("lstmcast: error: ") and message in err and err.count("\n") == 1
    assert not (tmp_path / "m").exists()


def test_bad_quantiles_are_named(capsys):
    assert main(["train", str(dataset_path("airline")), "--out", "m", "--quantiles", "0.9,0.1"]) == 2
    err = capsys.readouterr().err
    assert "--quantiles" in err and "0.9, 0.1" in err and len(err.strip().splitlines()) == 1


def test_a_verdict_with_brackets_prints_as_written(capsys):
    """The verdict names extras as pip spells them (lstmcast[baselines]); rich must not read them as markup."""
    from lstmcast.cli.forecast_commands import _report

    table = pd.DataFrame({"MAE": [1.0, 2.0]}, index=pd.Index(["LSTM", "naive"], name="model"))
    table.attrs.update(windows=3, verdict="not run: AutoETS (pip install 'lstmcast[baselines]')")
    _report(table, "t")
    assert "pip install 'lstmcast[baselines]'" in capsys.readouterr().out


def _windows(capsys) -> str:
    import re

    return re.search(r"(\d+) windows", " ".join(capsys.readouterr().out.split())).group(1)


def test_evaluate_start_as_a_negative_row_counts_from_the_end_like_a_date(model_dir, capsys):
    airline = str(dataset_path("airline"))
    assert main(["evaluate", str(model_dir), airline, "--start", "-24", "--no-strong"]) == 0
    from_end = _windows(capsys)
    assert main(["evaluate", str(model_dir), airline, "--start", "1959-01", "--no-strong"]) == 0
    assert from_end == _windows(capsys) == "19"  # rows 120 to 138: the same windows


@pytest.mark.parametrize("start, message", [
    ("abc", "--start must be a row number, a fraction in (0, 1) or a date, got 'abc'"),
    ("1959-01-01T00:00+01:00", "has a time zone but the dates have none"),
])
def test_evaluate_start_mistakes_are_one_line(model_dir, capsys, start, message):
    assert main(["evaluate", str(model_dir), str(dataset_path("airline")), "--start", start, "--no-strong"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
