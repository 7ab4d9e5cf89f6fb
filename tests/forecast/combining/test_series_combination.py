"""combine=: each series' forecast is the weighted sum of the LSTM's and its classical models', the weights
fitted on its validation windows; intervals conformal on it; kept in folders, pickles and the verdict."""

import json
import pickle
import shutil

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster
from lstmcast.checkpoint import CheckpointError
from lstmcast.forecast.combining import series_combination
from lstmcast.forecast.combining.pool import classical_model
from lstmcast.forecast.combining.weights import thinned
from lstmcast.forecast.prediction.outputs import validation_origins

pytest.importorskip("statsforecast")

SETTINGS = dict(look_back=12, horizon=4, hidden_size=8, epochs=3, batch_size=32, seed=0, verbose=False, season=12)
T = np.arange(132)


def _series(seed: int, depth: float = 8.0) -> np.ndarray:
    noise = np.random.default_rng(seed).normal(0, 1.0, len(T))
    return 100 + 0.4 * T + depth * np.sin(2 * np.pi * T / 12) + noise  # (132,)


def _frame(values) -> pd.DataFrame:
    return pd.DataFrame({"y": values}, index=pd.date_range("2010-01-01", periods=len(values), freq="MS"))


def _panel() -> pd.DataFrame:
    rows = [pd.DataFrame({"unique_id": name, "ds": pd.date_range("2010-01-01", periods=len(T), freq="MS"),
                          "y": _series(k, depth)}) for k, (name, depth) in enumerate([("a", 8.0), ("b", 0.0), ("c", 20.0)])]
    return pd.concat(rows, ignore_index=True)


@pytest.fixture(scope="module")
def pair():
    frame = _frame(_series(0))
    alone = Forecaster(**SETTINGS, combine="none").fit(frame, target="y")
    mixed = Forecaster(**SETTINGS, combine="weights").fit(frame, target="y")
    return frame, alone, mixed


def test_the_forecast_is_the_weighted_sum_of_the_lstm_and_the_classical_models(pair):
    frame, alone, mixed = pair
    weights = mixed.combination_
    assert list(weights)[0] == "LSTM" and sum(weights.values()) == pytest.approx(1.0)
    assert sum(w > 0 for w in weights.values()) >= 2  # on this series a mix beats every model alone
    target = frame["y"].to_numpy()
    fit_end = mixed.split_.train.stop
    expected = weights["LSTM"] * alone.forecast()["y"].to_numpy()
    for name, w in weights.items():
        if name != "LSTM" and w > 0:
            model = classical_model(name, 12, fit_end).fit(target[:fit_end])
            expected = expected + w * model.forward(target, h=4)["mean"]
    np.testing.assert_allclose(mixed.forecast()["y"].to_numpy(), expected, rtol=1e-10)


def test_the_weights_beat_the_lstm_alone_on_the_windows_they_were_fitted_on(pair):
    frame, alone, mixed = pair
    origins = validation_origins(mixed._series_model())
    np.testing.assert_array_equal(origins, thinned(validation_origins(alone._series_model())))
    assert mixed.residuals_.shape == (len(origins), 4)
    lstm = alone._forecast_at(alone.table_.values, origins)
    actual = frame["y"].to_numpy()[origins[:, None] + np.arange(4)]
    np.testing.assert_allclose(mixed.residuals_, np.abs(actual - mixed._forecast_at(mixed.table_.values, origins)))
    assert np.mean(mixed.residuals_ ** 2) < np.mean((actual - lstm) ** 2)


def test_intervals_are_conformal_on_the_combined_forecast(pair):
    frame, _, mixed = pair
    out = mixed.forecast(coverage=0.8)
    assert np.all(out["lower"] < out["y"]) and np.all(out["y"] < out["upper"])
    verdict = mixed.evaluate(_frame(_series(0)), start=100).attrs["verdict"]
    used = " + ".join(f"{name} {w:.2f}" for name, w in mixed.combination_.items() if w > 0)
    assert f"combine (weights, on the validation windows): {used}" in verdict


def test_best_uses_one_model_and_a_refit_forgets_the_last_combination():
    frame = _frame(_series(0))
    fc = Forecaster(**SETTINGS, combine="best").fit(frame, target="y")
    assert sorted(fc.combination_.values()) == [0.0] * (len(fc.combination_) - 1) + [1.0]
    fc.set_params(combine="none").fit(frame, target="y")
    assert fc.combination_ == {} and "_classical_pools" not in fc.__dict__


def test_a_folder_and_a_pickle_forecast_the_same_bit_for_bit(pair, tmp_path):
    _, _, mixed = pair
    expected = mixed.forecast(coverage=0.8)
    mixed.save(tmp_path / "m")
    config = json.loads((tmp_path / "m" / "config.json").read_text())
    assert config["config"]["choices"]["combination"]["weights"]["series"] == mixed.combination_
    loaded = Forecaster.load(tmp_path / "m")  # its pools are fitted again from the training rows
    pd.testing.assert_frame_equal(loaded.forecast(coverage=0.8), expected)
    pd.testing.assert_frame_equal(pickle.loads(pickle.dumps(mixed)).forecast(coverage=0.8), expected)


def test_a_forged_combination_in_a_folder_is_one_line(pair, tmp_path):
    _, _, mixed = pair
    mixed.save(tmp_path / "m")
    for forged, words in (({"LSTM": 0.5, "AutoETS": 0.2}, "weights adding up to 1"),
                          ({"LSTM": 0.5, "Prophet": 0.5}, "one of LSTM, AutoETS")):
        folder = tmp_path / f"forged{len(words)}"
        shutil.copytree(tmp_path / "m", folder)
        config = json.loads((folder / "config.json").read_text())
        config["config"]["choices"]["combination"]["weights"]["series"] = forged
        (folder / "config.json").write_text(json.dumps(config))
        with pytest.raises(CheckpointError, match=words) as info:
            Forecaster.load(folder)
        assert "\n" not in str(info.value)


def test_a_panel_is_combined_series_by_series_and_says_so():
    panel = _panel()
    fc = Forecaster(**SETTINGS, combine="weights").fit(panel)
    assert set(fc.combinations_) == {"a", "b", "c"}
    assert len({tuple(w.values()) for w in fc.combinations_.values()}) == 3  # each its own weights
    one = fc._series_model("b")
    out = fc.forecast()
    assert out.loc[out["unique_id"] == "b", "forecast"].to_numpy() == pytest.approx(
        one._forecast_at(one.table_.values, np.array([len(T)]))[0], rel=1e-12)
    verdict = fc.evaluate().attrs["verdict"]
    alone = sum(w["LSTM"] == 1.0 for w in fc.combinations_.values())
    assert "combine (weights, per series on its validation windows): mean weights " in verdict
    assert f"; the LSTM alone in {alone} of 3 series" in verdict


def test_without_statsforecast_or_past_the_work_limit_it_says_why(monkeypatch):
    frame = _frame(_series(0))
    monkeypatch.setattr(series_combination, "statsforecast_installed", lambda: False)
    with pytest.raises(ValueError, match=r"combine='weights' combines with the classical models: statsforecast "
                                         r"is not installed: pip install 'lstmcast\[baselines\]'"):
        Forecaster(**SETTINGS, combine="weights").fit(frame, target="y")
    monkeypatch.undo()
    monkeypatch.setattr(series_combination, "COMBINE_WORK_LIMIT", 100)
    fc = Forecaster(**SETTINGS, combine="weights").fit(frame, target="y")
    assert fc.combination_ == {}
    assert "combine='weights' skipped: 1 series, 0.0 million rows" in fc.evaluate(frame, start=100).attrs["verdict"]


def test_origins_too_early_for_a_classical_model_take_the_others(pair):
    frame, alone, mixed = pair
    early = mixed.predict(frame).iloc[:3].to_numpy()  # from row 12: too few rows for a seasonal fit of 12
    assert np.all(np.isfinite(early))
    pool = mixed.__dict__["_classical_pools"]["series"]
    forecasts = pool.forecasts(frame["y"].to_numpy(), np.array([12]), 4)
    assert any(np.isnan(f).all() for f in forecasts.values())  # (what this test is about)
    usable = {name: w for name, w in mixed.combination_.items()
              if w > 0 and (name == "LSTM" or np.isfinite(forecasts[name]).all())}
    lstm = alone.predict(frame).iloc[0].to_numpy()
    expected = sum(w * (lstm if name == "LSTM" else forecasts[name][0]) for name, w in usable.items())
    expected = expected / sum(usable.values()) if usable else lstm
    np.testing.assert_allclose(early[0], expected, rtol=1e-10)


def test_the_default_is_the_suites_choice_and_said(monkeypatch):
    frame = _frame(_series(0))
    today = Forecaster(**SETTINGS).fit(frame, target="y")
    assert today.combine is None and today.combine_ == "none" and today.combination_ == {}
    assert "combine='none': the default, chosen on the validation suite" in today.choices_["combine"]
    monkeypatch.setattr(series_combination, "DEFAULT_COMBINE", "weights")  # a suite that chose the weights
    fc = Forecaster(**SETTINGS).fit(frame, target="y")
    assert fc.combine is None and fc.combine_ == "weights" and fc.combination_
    assert "the default where statsforecast is installed" in fc.choices_["combine"]
    monkeypatch.setattr(series_combination, "statsforecast_installed", lambda: False)
    bare = Forecaster(**SETTINGS).fit(frame, target="y")
    assert bare.combine_ == "none" and bare.combination_ == {}
    assert "statsforecast is not installed" in bare.choices_["combine"]
    assert "combine" not in bare.evaluate(frame, start=100).attrs["verdict"]


def test_a_panel_of_more_series_than_the_limit_is_not_combined_and_says_so(monkeypatch):
    monkeypatch.setattr(series_combination, "COMBINE_SERIES_LIMIT", 2)
    fc = Forecaster(**SETTINGS, combine="weights").fit(_panel())
    assert fc.combinations_ == {} and fc.combine_ == "weights"
    assert "combine='weights' skipped: 3 series to fit the classical models in (the limit is 2): the LSTM alone" in (
        fc.evaluate().attrs["verdict"])
