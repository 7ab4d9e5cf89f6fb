"""Intervals and quantiles through the Forecaster: quantile forecasts, adaptive forecast intervals,
Monte-Carlo dropout, interval scores in evaluate and backtest."""

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster, load_dataset
from lstmcast.forecast.backtest.walk_forward import CALIBRATION_LEVELS
from lstmcast.forecast.intervals.uncertainty import band_at, mc_dropout_spread
from lstmcast.plots.calibration import calibration_path, plot_calibration

FAST = dict(look_back=14, horizon=3, hidden_size=8, epochs=4, batch_size=64, lr=1e-2, verbose=False, no_harm="none")


@pytest.fixture(scope="module")
def temperatures():
    return load_dataset("temperatures").iloc[-1100:]


@pytest.fixture(scope="module")
def quantile_model(temperatures):
    return Forecaster(**FAST, loss="quantile", quantiles=(0.05, 0.25, 0.5, 0.75, 0.95)).fit(
        temperatures.iloc[:-200], target="Temp")


def test_quantile_forecasts_are_ordered_columns_around_the_point(quantile_model, temperatures):
    out = quantile_model.forecast(coverage=0.9)
    assert list(out.columns) == ["Temp", "q0.05", "q0.25", "q0.5", "q0.75", "q0.95", "lower", "upper"]
    np.testing.assert_array_equal(out["Temp"], out["q0.5"])
    quantiles = out[["q0.05", "q0.25", "q0.5", "q0.75", "q0.95"]].to_numpy()
    assert np.all(np.diff(quantiles, axis=1) >= 0)
    origins = np.arange(400, 1000)
    band = band_at(quantile_model, temperatures.to_numpy(), origins, 0.5)
    assert band.quantiles.shape == (600, 3, 5)
    assert np.all(np.diff(band.quantiles, axis=2) >= 0)  # never cross, on every window and step
    np.testing.assert_array_equal(band.lower, band.quantiles[:, :, 1])  # the 0.25 / 0.75 pair for 50%
    np.testing.assert_array_equal(band.upper, band.quantiles[:, :, 3])


def test_evaluate_reports_the_pinball_loss_of_a_quantile_model(quantile_model, temperatures):
    from lstmcast.forecast.intervals.interval_metrics import pinball

    table = quantile_model.evaluate(temperatures, start=-100)
    origins = np.arange(len(temperatures) - 100, len(temperatures) - 2)  # windows with 3 actual values
    quantiles = band_at(quantile_model, temperatures.to_numpy(), origins, 0.9).quantiles
    actual = temperatures["Temp"].to_numpy()[origins[:, None] + np.arange(3)]
    assert table.attrs["pinball"] == pytest.approx(pinball(actual, quantiles, quantile_model.quantiles))
    assert table.attrs["pinball"] < np.mean(np.abs(actual - quantiles[:, :, 2]))  # below the median's MAE


def test_quantile_backtest_scores_pinball_and_conformalised_intervals(temperatures):
    fc = Forecaster(**dict(FAST, horizon=1), loss="quantile", val_fraction=0.35)
    result = fc.backtest(temperatures, target="Temp", start=-365, coverage=0.9)
    assert result.pinball is not None and result.pinball > 0
    assert abs(result.coverage - 0.9) <= 0.03
    assert list(result.intervals.index) == ["aci", "split"]
    assert list(result.calibration.index) == list(CALIBRATION_LEVELS)


def noise_series(seed, calm, stormy):
    rng = np.random.default_rng(seed)
    y = np.concatenate([rng.standard_normal(calm), 3 * rng.standard_normal(stormy)])
    return pd.DataFrame({"y": y}, index=pd.date_range("2020-01-01", periods=calm + stormy, freq="D"))


@pytest.mark.parametrize("method, widens", [("aci", True), ("rolling", True), ("split", False)])
def test_forecast_intervals_follow_the_errors_of_newer_data(method, widens):
    data = noise_series(0, 400, 300)
    fc = Forecaster(**dict(FAST, no_harm="select"), interval_method=method, interval_window=100)
    fc.fit(data.iloc[:400], target="y")
    before = fc.forecast(coverage=0.9)
    after = fc.forecast(data, coverage=0.9)
    ratio = np.mean(after["upper"] - after["lower"]) / np.mean(before["upper"] - before["lower"])
    if widens:
        assert ratio > 2  # the errors tripled after the fitted rows
    else:
        assert ratio == pytest.approx(1.0)
    # without newer rows the interval uses the validation errors only, whatever the data passed
    pd.testing.assert_frame_equal(fc.forecast(data.iloc[:400], coverage=0.9), before)


def test_mc_dropout_spread_is_repeatable_and_shapes_the_intervals(temperatures):
    fc = Forecaster(**dict(FAST, dropout=0.3), mc_passes=8).fit(temperatures.iloc[:600], target="Temp")
    values, origins = temperatures.to_numpy(), np.arange(600, 700)
    first = mc_dropout_spread(fc, values, origins)
    np.testing.assert_array_equal(first, mc_dropout_spread(fc, values, origins))  # same seed, same spread
    assert first.shape == (100, 3) and np.all(first > 0) and np.ptp(first) > 0
    before = fc.forecast()
    fc.forecast(coverage=0.9)
    pd.testing.assert_frame_equal(fc.forecast(), before)  # the passes leave the model as it was
    result = fc.backtest(temperatures, target="Temp", start=-300, coverage=0.9)
    assert abs(result.coverage - 0.9) <= 0.04


def test_mc_dropout_needs_dropout(temperatures):
    with pytest.raises(ValueError, match="mc_passes needs a model trained with dropout"):
        Forecaster(**FAST, mc_passes=5).fit(temperatures, target="Temp")


def test_evaluate_scores_intervals_beside_the_point_metrics(temperatures):
    fc = Forecaster(**FAST).fit(temperatures.iloc[:800], target="Temp")
    table = fc.evaluate(temperatures, start=800, coverage=0.8)
    scores, by_step = table.attrs["intervals"], table.attrs["by_step"]
    assert list(scores.columns) == ["coverage", "ACD", "width", "Winkler", "MSIS"]
    assert scores.loc["aci", "ACD"] == pytest.approx(abs(scores.loc["aci", "coverage"] - 0.8))
    assert list(by_step.index) == [1, 2, 3]
    assert by_step["coverage"].mean() == pytest.approx(scores.loc["aci", "coverage"])
    assert "evaluate" not in table.attrs["verdict"] and "LSTM" in table.attrs["verdict"]


def test_calibration_figure(temperatures, tmp_path):
    result = Forecaster(**FAST).backtest(temperatures, target="Temp", start=-200, coverage=0.9)
    observed = result.calibration["aci"].to_numpy()
    assert np.all(np.diff(observed) >= 0)  # wider intervals never cover less
    path = plot_calibration(result, calibration_path(tmp_path / "bt.png"))
    assert path.name == "bt_calibration.png" and path.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("kwargs, message", [
    (dict(loss="quantile", quantiles=(0.9, 0.1)), "quantiles must be at least two increasing numbers"),
    (dict(quantiles=(0.5,)), "quantiles must be at least two"),
    (dict(interval_method="bootstrap"), "interval_method must be one of split, rolling, aci"),
    (dict(interval_window=0), "interval_window must be a positive int"),
    (dict(mc_passes=-1), "mc_passes must be an int >= 0"),
])
def test_bad_interval_settings_are_named(kwargs, message, temperatures):
    with pytest.raises(ValueError, match=message):
        Forecaster(**FAST, **kwargs).fit(temperatures, target="Temp")
