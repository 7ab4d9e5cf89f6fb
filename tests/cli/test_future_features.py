"""`lstmcast train --future-features` and `lstmcast forecast --future`: the known values of the next horizon
read from a file, and a one-line refusal when they are missing."""

import numpy as np
import pandas as pd

from lstmcast.cli import main

SMALL = ["--look-back", "24", "--horizon", "6", "--hidden", "8", "--epochs", "3", "--quiet", "--no-strong"]


def _write(tmp_path):
    rng = np.random.default_rng(0)
    dates = pd.date_range("2024-01-01", periods=300, freq="h")
    known = rng.normal(size=300)
    frame = pd.DataFrame({"date": dates, "load": 10 + 3 * known + 0.1 * rng.normal(size=300), "plan": known})
    frame.to_csv(tmp_path / "data.csv", index=False)
    future = pd.DataFrame({"date": pd.date_range(dates[-1] + pd.Timedelta(hours=1), periods=6, freq="h"),
                           "plan": np.linspace(-1, 1, 6)})
    future.to_csv(tmp_path / "future.csv", index=False)
    return tmp_path / "data.csv", tmp_path / "future.csv"


def test_train_with_future_features_then_forecast_with_the_next_values(tmp_path, capsys):
    data, future = _write(tmp_path)
    model = tmp_path / "model"
    assert main(["train", str(data), "--target", "load", "--future-features", "plan,hour", "--out", str(model),
                 *SMALL]) == 0
    out = tmp_path / "forecast.csv"
    assert main(["forecast", str(model), "--future", str(future), "--out", str(out)]) == 0
    frame = pd.read_csv(out, index_col=0, parse_dates=True)
    assert len(frame) == 6 and np.isfinite(frame["load"]).all()
    capsys.readouterr()
    assert main(["forecast", str(model)]) == 2  # the next values of 'plan' are not known
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "'plan'" in err[0] and "future" in err[0]
    broken = tmp_path / "broken.csv"
    pd.read_csv(future).drop(columns=["plan"]).to_csv(broken, index=False)
    assert main(["forecast", str(model), "--future", str(broken), "--out", str(tmp_path / "no.csv")]) == 2
    assert "no column 'plan'" in capsys.readouterr().err
    assert not (tmp_path / "no.csv").exists()


def test_an_unknown_future_feature_is_refused_before_training(tmp_path, capsys):
    data, _ = _write(tmp_path)
    assert main(["train", str(data), "--target", "load", "--future-features", "weekday", "--out",
                 str(tmp_path / "model"), *SMALL]) == 2
    err = capsys.readouterr().err
    assert "no column 'weekday'" in err and "calendar features" in err
    assert not (tmp_path / "model").exists()


def test_train_reads_static_features_of_many_series_and_refuses_them_on_one(tmp_path, capsys):
    rng = np.random.default_rng(1)
    dates = pd.date_range("2024-01-01", periods=200, freq="h")
    frame = pd.concat([pd.DataFrame({"unique_id": name, "ds": dates, "y": 5 + k + rng.normal(size=200),
                                     "market": name.upper()}) for k, name in enumerate(["be", "de"])])
    frame.to_csv(tmp_path / "panel.csv", index=False)
    model = tmp_path / "model"
    assert main(["train", str(tmp_path / "panel.csv"), "--static-features", "market", "--out", str(model), *SMALL]) == 0
    assert main(["forecast", str(model), "--out", str(tmp_path / "f.csv")]) == 0
    assert len(pd.read_csv(tmp_path / "f.csv")) == 12
    data, _ = _write(tmp_path)
    capsys.readouterr()
    assert main(["train", str(data), "--target", "load", "--static-features", "plan", "--out",
                 str(tmp_path / "one"), *SMALL]) == 2
    err = capsys.readouterr().err
    assert "--static-features hold one value per series" in err and not (tmp_path / "one").exists()
