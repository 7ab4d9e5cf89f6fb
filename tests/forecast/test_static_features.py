"""Static attributes of many series (static_features=): encoded once, left unscaled, read at every step; a
category that decides each series' seasonal shape lets a global model beat the same model without it."""

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster
from lstmcast.data.errors import DataError

SETTINGS = dict(look_back=6, horizon=12, hidden_size=16, epochs=40, verbose=False, seed=0, no_harm="none")


def shaped_panel(n_series=12, n=240, seed=0):
    """Hourly series: a level, noise, and a daily shape chosen by each series' category: a wave up in the
    morning ("a"), down ("b"), or none ("c"). Six hours of history tell the shapes apart poorly."""
    rng = np.random.default_rng(seed)
    hours = np.arange(n)
    shapes = {"a": np.sin(2 * np.pi * hours / 24), "b": -np.sin(2 * np.pi * hours / 24), "c": 0 * hours}
    frames = []
    for k in range(n_series):
        kind = "abc"[k % 3]
        y = 10 + k + 2.0 * shapes[kind] + 0.5 * rng.normal(size=n)
        frames.append(pd.DataFrame({"unique_id": f"s{k}", "ds": pd.date_range("2024-01-01", periods=n, freq="h"),
                                    "y": y, "kind": kind, "size": float(k)}))
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def panel():
    return shaped_panel()


@pytest.fixture(scope="module")
def fitted(panel):
    return Forecaster(**SETTINGS).fit(panel, static_features=["kind"], future_features=["hour"])


def test_the_category_that_decides_the_shape_makes_the_global_model_better(panel, fitted):
    blind = Forecaster(**SETTINGS).fit(panel, future_features=["hour"])  # the hour known to both
    with_static = fitted.evaluate(strong=False).loc["LSTM", "MAE"]
    without = blind.evaluate(strong=False).loc["LSTM", "MAE"]
    assert with_static < 0.85 * without, (with_static, without)
    assert fitted.static_features_ == ("kind",)
    assert fitted.features_ == ("hour_sin", "hour_cos", "kind=a", "kind=b", "kind=c")


def test_static_columns_are_one_hot_and_no_per_series_scaler_moves_them(fitted):
    state = fitted.states_["s0"]
    for name in ("s0", "s1", "s5"):
        scaler = state.scaling.scalers[name]
        np.testing.assert_array_equal(scaler.mean_[3:], 0.0)
        np.testing.assert_array_equal(scaler.scale_[3:], 1.0)
        assert scaler.mean_[0] > 5  # the target is scaled per series
    values = fitted.panel_.values("s1")  # a "b" series
    np.testing.assert_array_equal(values[:, 3:], np.tile([0.0, 1.0, 0.0], (len(values), 1)))


def test_numbers_are_standardised_over_the_series_and_a_folder_keeps_the_encoding(panel, tmp_path):
    fc = Forecaster(**{**SETTINGS, "epochs": 2}).fit(panel, static_features=["kind", "size"])
    assert fc.features_ == ("kind=a", "kind=b", "kind=c", "size")
    sizes = np.array([fc.panel_.values(f"s{k}")[0, -1] for k in range(12)])
    np.testing.assert_allclose([sizes.mean(), sizes.std()], [0.0, 1.0], atol=1e-12)
    loaded = Forecaster.load(fc.save(tmp_path / "model"))
    assert loaded.static_features_ == ("kind", "size")
    pd.testing.assert_frame_equal(loaded.forecast(), fc.forecast())
    pd.testing.assert_frame_equal(loaded.forecast(panel), fc.forecast(panel))


def test_static_values_can_set_the_initial_state_and_a_folder_keeps_it(panel, tmp_path, monkeypatch):
    from lstmcast.forecast.training import network

    monkeypatch.setattr(network, "STATIC_STATE", True)
    fc = Forecaster(**{**SETTINGS, "epochs": 2}).fit(panel, static_features=["kind"], future_features=["hour"])
    net = fc.members_[0].network
    assert net.initial is not None and net.initial.in_features == 3  # kind=a, kind=b, kind=c
    x = np.zeros((1, 6, len(fc.panel_.columns)))
    outputs = []
    for kind in np.eye(3):  # the same window, each category: the state, and so the forecast, differs
        x[:, :, -3:] = kind
        outputs.append(net.replica().forward(x, np.zeros((1, 12, net.known_size))))
    assert np.abs(outputs[0] - outputs[1]).max() > 1e-4
    loaded = Forecaster.load(fc.save(tmp_path / "model"))
    assert "initial.weight" in loaded.members_[0].network.state_dict()
    pd.testing.assert_frame_equal(loaded.forecast(), fc.forecast())


def test_unseen_categories_changing_values_and_one_series_are_refused(panel, fitted):
    new = shaped_panel(n_series=1, seed=3).assign(unique_id="new", kind="d")
    with pytest.raises(DataError, match="series 'new' has 'kind' = 'd', a category the model was not fitted on"):
        fitted.forecast(new)
    known = fitted.forecast(new.assign(kind="b"))  # a new series of a known category: forecast by the global model
    assert len(known) == 12 and np.isfinite(known["forecast"]).all()
    changing = panel.copy()
    changing.loc[5, "kind"] = "b"  # series s0 is "a" elsewhere
    with pytest.raises(DataError, match="'kind' changes within series 's0'"):
        Forecaster(**SETTINGS).fit(changing, static_features=["kind"])
    with pytest.raises(ValueError, match="many series"):
        Forecaster(**SETTINGS).fit(panel[panel.unique_id == "s0"][["ds", "y", "kind"]], target="y",
                                   static_features=["kind"])
    with pytest.raises(DataError, match="no column 'shop'"):
        Forecaster(**SETTINGS).fit(panel, static_features=["shop"])
