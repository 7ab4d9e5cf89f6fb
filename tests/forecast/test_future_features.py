"""Inputs known in advance (future_features=): they reach the forecast, never leak, are scaled on training
rows only, survive a model folder, and a forecast without them says what is missing."""

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster
from lstmcast.data.errors import DataError

SETTINGS = dict(look_back=24, horizon=6, hidden_size=16, epochs=25, verbose=False, seed=0)


def driven_series(n=480, seed=0):
    """Hourly: y_t = 10 + 3 k_t + a daily wave + small noise, with k_t known in advance (random) and p_t a
    past-only feature."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2024-01-01", periods=n, freq="h")
    known = rng.normal(size=n)
    y = 10 + 3 * known + np.sin(2 * np.pi * np.arange(n) / 24) + 0.05 * rng.normal(size=n)
    return pd.DataFrame({"date": dates, "y": y, "k": known, "p": rng.normal(size=n)})


@pytest.fixture(scope="module")
def fitted():
    frame = driven_series()
    return frame, Forecaster(**SETTINGS).fit(frame, target="y", features=["p"], future_features=["k", "hour"])


def test_the_known_values_make_the_forecast(fitted):
    frame, fc = fitted
    assert fc.future_features_ == ("k", "hour_sin", "hour_cos")
    assert fc.features_ == ("p", "k", "hour_sin", "hour_cos")
    blind = Forecaster(**SETTINGS).fit(frame, target="y", features=["p"])
    with_known = fc.evaluate().loc["LSTM", "MAE"]
    without = blind.evaluate().loc["LSTM", "MAE"]
    assert with_known < 0.5 * without, (with_known, without)


def test_an_origin_reads_nothing_at_or_after_it_but_its_steps_known_values(fitted):
    frame, fc = fitted
    origin = 400
    base = fc.predict(frame)
    changed = frame.copy()
    changed.loc[origin:, "y"] += 50.0  # the target at and after the origin
    changed.loc[origin:, "p"] -= 7.0  # the past-only feature at and after it
    changed.loc[origin + 6 :, "k"] += 3.0  # known values past the origin's horizon
    moved = fc.predict(changed)
    at = frame["date"][origin]
    pd.testing.assert_series_equal(moved.loc[at], base.loc[at])
    known = frame.copy()
    known.loc[origin + 2, "k"] += 2.0  # the known value of the origin's third step
    assert abs(fc.predict(known).loc[at, "t+3"] - base.loc[at, "t+3"]) > 0.1


def test_the_covariates_scalers_see_no_validation_rows(fitted):
    frame, fc = fitted
    poisoned = frame.copy()
    val_start = fc.split_.val.start
    poisoned.loc[val_start:, ["k", "p"]] *= 1000.0
    other = Forecaster(**{**SETTINGS, "epochs": 1}).fit(poisoned, target="y", features=["p"],
                                                          future_features=["k", "hour"])
    columns = list(("y",) + other.features_)
    for name in ("k", "p"):
        k = columns.index(name)
        np.testing.assert_array_equal(other.scaler_.mean_[k], fc.scaler_.mean_[k])
        np.testing.assert_array_equal(other.scaler_.scale_[k], fc.scaler_.scale_[k])


def test_forecast_takes_the_next_known_values_and_names_what_is_missing(fitted):
    frame, fc = fitted
    dates = pd.date_range(frame["date"].iloc[-1] + pd.Timedelta(hours=1), periods=6, freq="h")
    future = pd.DataFrame({"date": dates, "k": np.linspace(-2, 2, 6)})
    out = fc.forecast(future=future, coverage=0.9)
    assert list(out.index) == list(dates) and (out["lower"] <= out["y"]).all()
    slope = np.polyfit(future["k"], out["y"], 1)[0]  # it follows the known k (y = 10 + 3 k + a wave of 1)
    assert 2.0 < slope < 4.5, slope
    with pytest.raises(DataError, match="'k'.*future="):
        fc.forecast()
    with pytest.raises(DataError, match="no column 'k'"):
        fc.forecast(future=future.rename(columns={"k": "K"}))
    with pytest.raises(DataError, match="no row for"):
        fc.forecast(future=future.iloc[:5])
    bad = future.astype({"k": object})
    bad.loc[3, "k"] = "n/a"
    with pytest.raises(DataError, match="'k' at .* 'n/a'"):
        fc.forecast(future=bad)
    with pytest.raises(ValueError, match="without future_features"):
        Forecaster(**{**SETTINGS, "epochs": 1}).fit(frame, target="y").forecast(future=future)


def test_a_model_folder_keeps_the_known_columns(fitted, tmp_path):
    frame, fc = fitted
    dates = pd.date_range(frame["date"].iloc[-1] + pd.Timedelta(hours=1), periods=6, freq="h")
    future = pd.DataFrame({"k": np.arange(6.0)}, index=dates)
    loaded = Forecaster.load(fc.save(tmp_path / "model"))
    assert loaded.future_features_ == fc.future_features_
    pd.testing.assert_frame_equal(loaded.forecast(future=future), fc.forecast(future=future))
    pd.testing.assert_frame_equal(loaded.predict(frame.iloc[-100:]), fc.predict(frame.iloc[-100:]))


def test_calendar_features_alone_need_no_future_frame():
    frame = driven_series()
    fc = Forecaster(**{**SETTINGS, "epochs": 2}).fit(frame[["date", "y"]], target="y",
                                                     future_features=["hour", "dayofweek"])
    out = fc.forecast()
    assert len(out) == 6 and np.isfinite(out["y"]).all()
    with pytest.raises(DataError, match="no column 'weekday' and no calendar feature"):
        Forecaster(**SETTINGS).fit(frame, target="y", future_features=["weekday"])


def test_many_series_read_their_known_values_by_id():
    frames = []
    for k, name in enumerate(["a", "b"]):
        one = driven_series(seed=k).rename(columns={"date": "ds"})
        one.insert(0, "unique_id", name)
        one["y"] += 20 * k
        frames.append(one)
    panel = pd.concat(frames, ignore_index=True)
    fc = Forecaster(**{**SETTINGS, "epochs": 8}).fit(panel, future_features=["k"])
    last = panel["ds"].max()
    dates = pd.date_range(last + pd.Timedelta(hours=1), periods=6, freq="h")
    future = pd.DataFrame({"unique_id": np.repeat(["a", "b"], 6), "ds": np.tile(dates, 2), "k": 1.0})
    out = fc.forecast(future=future)
    assert len(out) == 12 and np.isfinite(out["forecast"]).all()
    assert out.groupby("unique_id")["forecast"].mean()["b"] > out.groupby("unique_id")["forecast"].mean()["a"] + 10
    with pytest.raises(DataError, match="series 'b'.*no row for"):
        fc.forecast(future=future.iloc[:8])
    evaluated = fc.evaluate()
    assert np.isfinite(evaluated.loc["LSTM", "MAE"])


def test_a_backtest_reads_each_origin_s_known_values_from_the_table():
    frame = driven_series(n=360)
    settings = {**SETTINGS, "epochs": 15}
    with_known = Forecaster(**settings).backtest(frame, target="y", features=["p"], future_features=["k", "hour"],
                                                 start=300, step=6, coverage=None, strong=False)
    without = Forecaster(**settings).backtest(frame, target="y", features=["p"], start=300, step=6, coverage=None,
                                              strong=False)
    mae, blind = with_known.metrics.loc["LSTM", "MAE"], without.metrics.loc["LSTM", "MAE"]
    assert mae < 0.6 * blind, (mae, blind)
