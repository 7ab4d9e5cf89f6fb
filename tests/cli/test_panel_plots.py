"""`lstmcast forecast | backtest --plot [--series ID]` on many series: one series, or the best, median, worst."""

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster
from lstmcast.cli import forecast_commands, main
from lstmcast.cli.panel_plots import history_rows, series_backtest
from lstmcast.data import read_panel
from lstmcast.data.datasets import dataset_path
from lstmcast.plots import panel as panel_plots
from lstmcast.plots.panel import pick_series

from . import train_airline_model

PNG = b"\x89PNG\r\n\x1a\n"
TINY = ["--look-back", "6", "--horizon", "3", "--hidden", "4", "--epochs", "2", "--quiet", "--no-strong",
        "--season", "12"]


def _long_table(n_series=4, rows=48):
    rng = np.random.default_rng(1)
    frames = []
    for k in range(n_series):
        t = np.arange(rows)
        y = 10.0 * (k + 1) + (k + 1) * np.sin(2 * np.pi * t / 12 + k) + 0.3 * (k + 1) * rng.standard_normal(rows)
        frames.append(pd.DataFrame({"unique_id": f"s{k}", "ds": pd.date_range("2015-01-01", periods=rows, freq="MS"),
                                    "y": y}))
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def panel_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("panel_plots") / "stores.csv"
    _long_table().to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def panel_model(panel_csv):
    out = panel_csv.parent / "model"
    assert main(["train", str(panel_csv), "--out", str(out), *TINY]) == 0
    return out


@pytest.fixture
def titles(monkeypatch):
    """The left titles of every axis of the overview figures written while the test runs."""
    seen = []
    real = panel_plots.save_figure

    def spy(fig, path):
        seen.extend(ax.get_title(loc="left") for ax in fig.axes)
        return real(fig, path)

    monkeypatch.setattr(panel_plots, "save_figure", spy)
    return seen


def _one_line(capsys, argv) -> str:
    assert main([str(a) for a in argv]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err, captured.err
    return captured


# ------------------------------------------------------------------ forecast
def test_forecast_overview_draws_best_median_worst_by_validation_mase(panel_model, tmp_path, capsys, titles):
    png = tmp_path / "overview.png"
    assert main(["forecast", str(panel_model), "--plot", str(png), "--coverage", "0.9"]) == 0
    assert png.read_bytes()[:8] == PNG and str(png) in "".join(capsys.readouterr().out.split())
    scores = Forecaster.load(panel_model).evaluate(strong=False).attrs["per_series"]["MASE"]
    picked = pick_series(scores)
    assert [label for label, _ in picked] == ["best", "median", "worst"]
    assert titles == [f"{label}: {name} (validation MASE {scores[name]:.4g})" for label, name in picked]


def test_forecast_series_draws_that_series_as_the_one_series_figure(panel_model, tmp_path, monkeypatch, capsys):
    drawn = []
    real = forecast_commands.plot_forecast
    monkeypatch.setattr(forecast_commands, "plot_forecast",
                        lambda history, forecast, path, **kw: (drawn.append((history, forecast)),
                                                               real(history, forecast, path, **kw))[1])
    png, csv = tmp_path / "s2.png", tmp_path / "fc.csv"
    assert main(["forecast", str(panel_model), "--plot", str(png), "--series", "s2", "--coverage", "0.8",
                 "--out", str(csv)]) == 0
    assert png.read_bytes()[:8] == PNG
    (history, forecast), = drawn
    fc = Forecaster.load(panel_model)
    rows = history_rows(fc.look_back, fc.horizon)
    expected = fc.panel_.target_values("s2")[-rows:]
    np.testing.assert_allclose(history.to_numpy(), expected)
    written = pd.read_csv(csv, parse_dates=["ds"]).query("unique_id == 's2'")
    np.testing.assert_allclose(forecast["y"].to_numpy(), written["forecast"].to_numpy(), rtol=1e-6)
    np.testing.assert_allclose(forecast["lower"].to_numpy(), written["lower"].to_numpy(), rtol=1e-6)
    assert list(forecast.index) == list(written["ds"]) and forecast.attrs["interval_label"].startswith("80%")


def test_forecast_series_on_newer_data_draws_the_newer_history(panel_model, panel_csv, tmp_path, monkeypatch):
    drawn = []
    real = forecast_commands.plot_forecast
    monkeypatch.setattr(forecast_commands, "plot_forecast",
                        lambda history, forecast, path, **kw: (drawn.append(history), real(history, forecast, path,
                                                                                            **kw))[1])
    newer = _long_table(rows=52)
    path = tmp_path / "newer.csv"
    newer.to_csv(path, index=False)
    assert main(["forecast", str(panel_model), str(path), "--plot", str(tmp_path / "n.png"), "--series", "s1"]) == 0
    assert drawn[0].index[-1] == pd.Timestamp("2019-04-01")  # the 52nd month, not the 48th the model saw


def test_forecast_unknown_series_is_one_line_naming_it_and_writes_nothing(panel_model, tmp_path, capsys):
    png, csv = tmp_path / "x.png", tmp_path / "x.csv"
    captured = _one_line(capsys, ["forecast", panel_model, "--plot", png, "--series", "nope", "--out", csv])
    assert "--series 'nope' is not a series of model folder" in captured.err and "'s0'" in captured.err
    assert captured.out == "" and list(tmp_path.iterdir()) == []


def test_forecast_series_without_plot_is_one_line(panel_model, tmp_path, capsys):
    captured = _one_line(capsys, ["forecast", panel_model, "--series", "s1", "--out", tmp_path / "x.csv"])
    assert "--series 's1'" in captured.err and "--plot" in captured.err and list(tmp_path.iterdir()) == []


def test_forecast_series_on_a_one_series_model_is_one_line(tmp_path, capsys):
    model = train_airline_model(tmp_path / "airline", epochs=1)
    png = tmp_path / "f.png"
    captured = _one_line(capsys, ["forecast", model, "--plot", png, "--series", "s1"])
    assert "--series 's1'" in captured.err and "fitted on one series" in captured.err and not png.exists()


# ------------------------------------------------------------------ backtest
BACKTEST = ["--start", "0.8", *TINY]


def test_backtest_overview_draws_best_median_worst_by_backtest_mase(panel_csv, tmp_path, capsys, titles,
                                                                    monkeypatch):
    scored = []
    real = panel_plots.plot_panel_overview
    monkeypatch.setattr(panel_plots, "plot_panel_overview",
                        lambda histories, forecasts, scores, path, **kw: (scored.append(scores),
                                                                          real(histories, forecasts, scores, path,
                                                                               **kw))[1])
    png = tmp_path / "walk.png"
    assert main(["backtest", str(panel_csv), *BACKTEST, "--plot", str(png)]) == 0
    assert png.read_bytes()[:8] == PNG and str(png) in "".join(capsys.readouterr().out.split())
    scores, = scored
    assert len(scores) == 4 and scores.name == "MASE"
    assert titles == [f"{label}: {name} (MASE {scores[name]:.4g})" for label, name in pick_series(scores)]


def test_backtest_series_draws_the_one_series_backtest_figure(panel_csv, tmp_path, capsys):
    png = tmp_path / "s3.png"
    assert main(["backtest", str(panel_csv), *BACKTEST, "--plot", str(png), "--series", "s3"]) == 0
    assert png.read_bytes()[:8] == PNG


def test_one_series_of_a_panel_backtest_scores_as_the_backtest_did(panel_csv):
    fc = Forecaster(look_back=6, horizon=3, hidden_size=4, epochs=2, verbose=False, season=12)
    result = fc.backtest(str(panel_csv), start=0.8, coverage=0.9, strong=False)
    panel = read_panel(str(panel_csv))
    view = series_backtest(result, panel, "s1", 3)
    per = result.metrics.attrs["per_series"].loc["s1"]
    rows = result.forecasts[result.forecasts["unique_id"] == "s1"]
    assert len(view.forecasts) == len(rows) and view.n_origins == rows["origin"].nunique()
    origin = rows["origin"].iloc[0]
    values = pd.Series(panel.target_values("s1"), index=panel.times("s1"))
    assert view.forecasts["naive"].iloc[0] == values[values.index < origin].iloc[-1]  # the last value before it
    mae = view.metrics["MAE"]
    # MASE divides MAE by one scale per series: naive's MAE over LSTM's is naive's MASE over LSTM's
    assert mae["naive"] / mae["LSTM"] == pytest.approx(per["naive MASE"] / per["MASE"], rel=1e-6)
    assert view.coverage == pytest.approx(per["coverage"]) and list(view.fits["first_origin"]) == [origin]


def test_backtest_unknown_series_is_one_line_before_the_walk(panel_csv, tmp_path, capsys):
    png, csv = tmp_path / "x.png", tmp_path / "x.csv"
    captured = _one_line(capsys, ["backtest", panel_csv, *BACKTEST, "--plot", png, "--series", "s9", "--out", csv])
    assert "--series 's9' is not a series of" in captured.err and "stores.csv" in captured.err
    assert "done in" not in captured.out and list(tmp_path.iterdir()) == []


def test_backtest_series_on_one_series_data_is_one_line(tmp_path, capsys):
    png = tmp_path / "x.png"
    captured = _one_line(capsys, ["backtest", dataset_path("airline"), "--target", "Passengers", "--plot", png,
                                  "--series", "s1", "--epochs", "1", "--quiet", "--no-strong"])
    assert "--series 's1'" in captured.err and "is one series" in captured.err
    assert "done in" not in captured.out and not png.exists()
