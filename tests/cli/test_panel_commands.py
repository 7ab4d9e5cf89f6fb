"""`lstmcast train --id-column`, `forecast` and `evaluate` on a long table of many series."""

import pandas as pd
import pytest

from lstmcast.cli import main

from ..conftest import seasonal_panel

SMALL = ["--look-back", "24", "--horizon", "6", "--hidden", "16", "--date-column", "month", "--epochs", "20",
         "--season", "12", "--quiet", "--no-strong"]


@pytest.fixture(scope="module")
def panel_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("panel") / "stores.csv"
    seasonal_panel().rename(columns={"unique_id": "store", "ds": "month", "y": "sales"}).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def panel_model(panel_csv):
    out = panel_csv.parent / "model"
    assert main(["train", str(panel_csv), "--id-column", "store", "--target", "sales", "--out", str(out),
                 *SMALL]) == 0
    return out


def test_train_reports_the_series_and_saves(panel_model, capsys):
    assert (panel_model / "config.json").exists()


def test_forecast_writes_a_long_csv_for_every_series(panel_model, tmp_path, capsys):
    out = tmp_path / "fc.csv"
    assert main(["forecast", str(panel_model), "--out", str(out), "--coverage", "0.9"]) == 0
    frame = pd.read_csv(out, parse_dates=["month"])
    assert list(frame.columns) == ["store", "month", "forecast", "lower", "upper"]
    assert frame["store"].nunique() == 6 and len(frame) == 36
    assert (frame["lower"] <= frame["upper"]).all()


def test_evaluate_summarises_the_series(panel_model, panel_csv, capsys):
    assert main(["evaluate", str(panel_model), str(panel_csv), "--start", "150", "--coverage", "0.9"]) == 0
    out = capsys.readouterr().out
    for text in ("6 series", "best: ", "median: ", "worst: ", "Naive2", "OWA", "prediction intervals: coverage",
                 "AutoARIMA", "AutoETS", "AutoTheta"):
        assert text in out


def test_a_short_series_is_one_line_naming_it_or_skipped(panel_csv, tmp_path, capsys):
    frame = pd.read_csv(panel_csv)
    short = pd.DataFrame({"store": "tiny", "month": frame["month"].iloc[:5], "sales": 1.0})
    path = tmp_path / "with_short.csv"
    pd.concat([frame, short]).to_csv(path, index=False)
    args = ["train", str(path), "--id-column", "store", "--out", str(tmp_path / "m"), *SMALL[:8], "--epochs", "1",
            "--quiet", "--season", "12"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "'tiny' has 5 rows" in err and "--skip-short" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "m").exists()
    assert main(args + ["--skip-short"]) == 0
    assert "'tiny'" in capsys.readouterr().err


def test_local_models_on_two_workers(panel_csv, tmp_path, capsys):
    pytest.importorskip("distributed")
    out = tmp_path / "local"
    assert main(["train", str(panel_csv), "--id-column", "store", "--target", "sales", "--mode", "local",
                 "--workers", "2", "--out", str(out), *SMALL[:8], "--epochs", "2", "--quiet"]) == 0
    assert "one model per series" in capsys.readouterr().out
    forecast = tmp_path / "fc.csv"
    assert main(["forecast", str(out), "--out", str(forecast)]) == 0
    assert pd.read_csv(forecast)["store"].nunique() == 6


def test_forecast_a_new_store_with_the_global_model(panel_model, panel_csv, tmp_path, capsys):
    frame = pd.read_csv(panel_csv)
    path, out = tmp_path / "newer.csv", tmp_path / "fc.csv"
    pd.concat([frame, frame[frame.store == "s1"].assign(store="opened")]).to_csv(path, index=False)
    assert main(["forecast", str(panel_model), str(path), "--out", str(out)]) == 0
    forecast = pd.read_csv(out)
    assert forecast["store"].nunique() == 7
    copy, fitted = (forecast.loc[forecast.store == name, "forecast"].to_numpy() for name in ("opened", "s1"))
    assert copy == pytest.approx(fitted, rel=1e-4)


def test_info_describes_a_panel_model(panel_model, capsys):
    assert main(["info", str(panel_model)]) == 0
    out = capsys.readouterr().out
    assert "panel_forecaster" in out and "6: s0, s1" in out and "one network for every series" in out
    assert "20 epochs" in out


def test_a_damaged_panel_model_is_one_line(panel_model, tmp_path, capsys):
    import json
    import shutil

    copy = tmp_path / "damaged"
    shutil.copytree(panel_model, copy)
    config = json.loads((copy / "config.json").read_text())
    config["config"]["states"][0]["splits"].pop("s3")
    (copy / "config.json").write_text(json.dumps(config))
    assert main(["forecast", str(copy)]) == 2
    err = capsys.readouterr().err
    assert "config['states'][0]['splits'] is" in err and len(err.strip().splitlines()) == 1


def test_evaluate_start_as_a_share_or_a_date(panel_model, panel_csv, capsys):
    assert main(["evaluate", str(panel_model), str(panel_csv), "--start", "0.5", "--no-strong"]) == 0
    share = capsys.readouterr().out
    assert main(["evaluate", str(panel_model), str(panel_csv), "--start", "2010-01-01", "--no-strong"]) == 0
    date = capsys.readouterr().out
    assert "6 series" in share and "6 series" in date and share != date


def test_backtest_walks_every_series_forward(panel_csv, tmp_path, capsys):
    out = tmp_path / "walk.csv"
    argv = ["backtest", str(panel_csv), "--id-column", "store", "--target", "sales", "--date-column", "month",
            "--look-back", "24", "--horizon", "6", "--hidden", "8", "--epochs", "3", "--season", "12",
            "--start", "0.9", "--refit-every", "12", "--quiet", "--out", str(out), "--no-strong"]
    assert main(argv) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert "6 series" in printed and "fit(s)" in printed and "Naive2" in printed
    frame = pd.read_csv(out)
    assert frame["store"].nunique() == 6 and set(frame["fit"]) == {1, 2}


def test_inspect_one_series_of_a_panel_model(panel_model, capsys):
    assert main(["inspect", str(panel_model), "--series", "s2"]) == 0
    assert "of s2" in capsys.readouterr().out
    assert main(["inspect", str(panel_model)]) == 2
    err = capsys.readouterr().err
    assert "--series" in err
    assert len(err.strip().splitlines()) == 1


def test_train_resume_continues_a_panel_model_to_the_same_numbers(panel_csv, tmp_path, capsys):
    base = ["train", str(panel_csv), "--id-column", "store", "--target", "sales", *SMALL[:8], "--season", "12",
            "--quiet", "--no-strong"]
    assert main([*base, "--epochs", "4", "--out", str(tmp_path / "whole")]) == 0
    assert main([*base, "--epochs", "2", "--out", str(tmp_path / "part")]) == 0
    assert main(["train", str(panel_csv), "--out", str(tmp_path / "part"), "--resume", "--epochs", "4", "--quiet",
                 "--no-strong"]) == 0
    assert "4 epochs" in capsys.readouterr().out
    for name in ("whole", "part"):
        assert main(["forecast", str(tmp_path / name), "--out", str(tmp_path / f"{name}.csv")]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "part.csv"), pd.read_csv(tmp_path / "whole.csv"))


def _one_line(capsys, argv) -> str:
    assert main([str(a) for a in argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_workers_without_dask_is_one_line_naming_the_extra_before_training(panel_csv, tmp_path, capsys,
                                                                           monkeypatch):
    import sys

    for name in [m for m in sys.modules if m == "distributed" or m.startswith(("distributed.", "dask.distributed"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if Dask were not installed
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    err = _one_line(capsys, ["train", panel_csv, "--id-column", "store", "--target", "sales", "--mode", "local",
                             "--workers", "2", "--out", tmp_path / "m", *SMALL])
    assert "pip install 'lstmcast[dask]'" in err and "--workers" in err
    assert not (tmp_path / "m").exists()


@pytest.mark.parametrize("extra, named", [
    (["--workers", "2"], "--workers run the per-series fits of --mode local"),
    (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler run the per-series fits of --mode local"),
])
def test_flags_a_panel_fit_would_ignore_are_refused_before_training(panel_csv, tmp_path, capsys, extra, named):
    err = _one_line(capsys, ["train", panel_csv, "--id-column", "store", "--target", "sales",
                             "--out", tmp_path / "m", *SMALL, *extra])
    assert named in err and "epochs" not in capsys.readouterr().out
    assert not (tmp_path / "m").exists()


@pytest.mark.parametrize("extra", [["--workers", "2", "--mode", "local"], ["--skip-short"], ["--mode", "local"]])
def test_flags_of_many_series_on_one_series_are_refused(tmp_path, capsys, extra):
    from lstmcast.data.datasets import dataset_path

    err = _one_line(capsys, ["train", dataset_path("airline"), "--target", "Passengers", "--out", tmp_path / "m",
                             "--epochs", "1", "--quiet", *extra])
    assert "named by --id-column" in err and extra[0] in err


@pytest.mark.parametrize("mode, said", [("none", "forecasts are the LSTM's as trained"),
                                       ("select", "no harm (select): naive kept for")])
def test_no_harm_is_applied_per_series_of_a_panel(panel_csv, tmp_path, capsys, mode, said):
    from lstmcast import Forecaster

    assert main(["train", str(panel_csv), "--id-column", "store", "--target", "sales", "--out", str(tmp_path / "m"),
                 *SMALL, "--no-harm", mode]) == 0
    assert said in " ".join(capsys.readouterr().out.split())
    model = Forecaster.load(tmp_path / "m")
    assert model.no_harm == mode and set(model.naive_weights_) == set(model.panel_.ids)


def test_backtest_start_before_enough_rows_names_start_not_a_missing_flag(panel_csv, capsys):
    err = _one_line(capsys, ["backtest", panel_csv, "--id-column", "store", "--target", "sales", "--date-column",
                             "month", "--look-back", "24", "--horizon", "6", "--start", "7", "--epochs", "1",
                             "--quiet", "--no-strong"])
    assert "--start 7" in err and "skip" not in err and "has 7 rows" not in err


def test_panel_start_means_what_it_means_for_one_series(panel_model, panel_csv, capsys):
    from lstmcast import Forecaster

    fc = Forecaster.load(panel_model)
    negative = fc.evaluate(str(panel_csv), start=-30, strong=False).attrs["per_series"]["windows"]
    lengths = pd.read_csv(panel_csv).groupby("store").size()
    assert (negative == 30 - 6 + 1).all() and len(negative) == len(lengths)  # the last 30 rows of each series
    assert main(["evaluate", str(panel_model), str(panel_csv), "--start", "abc", "--no-strong"]) == 2
    err = capsys.readouterr().err
    assert err == "lstmcast: error: --start must be a row number, a fraction in (0, 1) or a date, got 'abc'\n"



def test_a_panel_with_zoned_dates_trains_saves_and_forecasts(panel_csv, tmp_path, capsys):
    frame = pd.read_csv(panel_csv, parse_dates=["month"])
    frame["month"] = frame["month"].dt.tz_localize("UTC")
    path, out = tmp_path / "zoned.csv", tmp_path / "m"
    frame.to_csv(path, index=False)
    assert main(["train", str(path), "--id-column", "store", "--target", "sales", "--out", str(out), *SMALL[:8],
                 "--epochs", "1", "--quiet", "--no-strong"]) == 0
    assert main(["forecast", str(out), "--out", str(tmp_path / "f.csv")]) == 0
    written = pd.read_csv(tmp_path / "f.csv")
    assert written["month"].iloc[0].endswith("+00:00")
    assert main(["evaluate", str(out), str(path), "--start", "2010-01-01", "--no-strong"]) == 0


def test_combine_is_fitted_per_series_and_said(panel_csv, tmp_path, capsys):
    from lstmcast import Forecaster

    pytest.importorskip("statsforecast")
    assert main(["train", str(panel_csv), "--id-column", "store", "--target", "sales", "--out", str(tmp_path / "m"),
                 *SMALL, "--combine", "best"]) == 0
    assert "combine (best, per series on its validation windows): mean weights" in " ".join(
        capsys.readouterr().out.split())
    model = Forecaster.load(tmp_path / "m")
    assert model.combine == "best" and set(model.combinations_) == set(model.panel_.ids)
    assert all(sorted(w.values())[-1] == 1.0 for w in model.combinations_.values())
