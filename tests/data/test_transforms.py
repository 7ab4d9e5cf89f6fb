"""Target transforms: changes in, levels out, and a Forecaster that predicts changes."""

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster
from lstmcast.data.errors import DataError
from lstmcast.data.transforms import decode_forecasts, encode_target, leading_rows


@pytest.fixture
def levels():
    rng = np.random.default_rng(3)
    close = 100 * np.exp(np.cumsum(rng.normal(0, 0.02, 40)))  # (40,) positive, like prices
    volume = rng.uniform(1e6, 2e6, 40)  # (40,)
    return np.column_stack([close, volume])  # (40, 2)


@pytest.mark.parametrize("kind", ["diff", "log_return"])
def test_encode_matches_a_plain_loop_and_leaves_features_alone(levels, kind):
    before = levels.copy()
    encoded = encode_target(levels, kind)
    np.testing.assert_array_equal(levels, before)  # input untouched
    assert np.isnan(encoded[0, 0])
    for t in range(1, len(levels)):
        a, b = levels[t - 1, 0], levels[t, 0]
        expected = b - a if kind == "diff" else np.log(b / a)
        assert encoded[t, 0] == pytest.approx(expected, rel=1e-12, abs=1e-12)
    np.testing.assert_array_equal(encoded[:, 1], levels[:, 1])


def test_none_is_the_identity(levels):
    np.testing.assert_array_equal(encode_target(levels, "none"), levels)
    assert leading_rows("none") == 0 and leading_rows("diff") == 1 and leading_rows("log_return") == 1


@pytest.mark.parametrize("kind", ["diff", "log_return"])
def test_decoding_the_true_changes_gives_back_the_levels(levels, kind):
    encoded = encode_target(levels, kind)
    origins = np.array([1, 5, 17, 37])  # each needs 3 steps: o + 2 < 40
    steps = origins[:, None] + np.arange(3)  # (4, 3)
    rebuilt = decode_forecasts(encoded[steps, 0], levels[origins - 1, 0], kind)
    np.testing.assert_allclose(rebuilt, levels[steps, 0], rtol=1e-12)


def test_log_return_needs_a_positive_target(levels):
    levels[7, 0] = 0.0
    with pytest.raises(DataError, match="log_return' needs a positive target, found 0.0 at row 7"):
        encode_target(levels, "log_return", source="prices.csv")
    encode_target(levels, "diff")  # differences are fine with zeros


def test_bad_arguments():
    with pytest.raises(ValueError, match="target_transform must be 'none', 'diff' or 'log_return', got 'pct'"):
        encode_target(np.ones((3, 1)), "pct")
    with pytest.raises(ValueError, match=r"last_levels must have shape \(2,\)"):
        decode_forecasts(np.zeros((2, 3)), np.zeros(3), "diff")


# ------------------------------------------------------------- in the Forecaster

FAST = dict(look_back=8, horizon=3, hidden_size=4, epochs=2, batch_size=32, lr=1e-2, verbose=False)


@pytest.fixture(scope="module")
def ramp():
    rng = np.random.default_rng(0)
    values = 50 + 0.5 * np.arange(200) + rng.normal(0, 1, 200).cumsum() * 0.3  # (200,) trending, positive
    return pd.DataFrame({"y": values}, index=pd.date_range("2020-01-01", periods=200, freq="D"))


@pytest.mark.parametrize("kind", ["diff", "log_return"])
def test_a_constant_output_is_a_constant_change_from_the_last_level(ramp, kind):
    # window_norm="none": the network's output is the scaled change itself
    fc = Forecaster(**FAST, target_transform=kind, window_norm="none").fit(ramp, target="y")
    head = fc.network_.head.params
    for name, p in head.items():
        p[...] = 0.0
    head["bias"][...] = np.array([0.5, -1.0, 2.0], dtype=head["bias"].dtype)  # scaled changes, steps 1..3
    change = fc.scaler_.inverse_transform_target(head["bias"].astype(np.float64))  # (3,) in target units
    last = ramp["y"].iloc[-1]
    expected = last + np.cumsum(change) if kind == "diff" else last * np.exp(np.cumsum(change))
    np.testing.assert_allclose(fc.forecast()["y"].to_numpy(), expected, rtol=1e-6)
    # the scaler was fitted on the changes of the training rows, not on the levels
    y = ramp["y"].to_numpy()[: fc.split_.train.stop]
    changes = np.diff(y) if kind == "diff" else np.diff(np.log(y))
    np.testing.assert_allclose(fc.scaler_.transform(np.c_[changes])[:, 0].mean(), 0.0, atol=1e-9)


def test_metrics_are_on_levels(ramp):
    fc = Forecaster(**FAST, target_transform="diff").fit(ramp, target="y")
    table = fc.evaluate(ramp, start=150)
    pred = fc.predict(ramp)
    origins = np.flatnonzero(ramp.index.isin(pred.index))
    kept = origins >= 150
    y = ramp["y"].to_numpy()
    actual = y[origins[kept][:, None] + np.arange(3)]  # (n, 3)
    assert table.loc["LSTM", "MAE"] == pytest.approx(np.mean(np.abs(actual - pred.to_numpy()[kept])))
    naive = y[origins[kept] - 1][:, None]
    assert table.loc["naive", "MAE"] == pytest.approx(np.mean(np.abs(actual - naive)))
    assert pred.index[0] == ramp.index[9]  # look_back + the one row that has no change


def test_transform_is_stored_and_survives_save_load(ramp, tmp_path):
    fc = Forecaster(**FAST, target_transform="log_return").fit(ramp, target="y")
    loaded = Forecaster.load(fc.save(tmp_path / "m"))
    assert loaded.target_transform == "log_return"
    pd.testing.assert_frame_equal(loaded.forecast(), fc.forecast())
    with pytest.raises(ValueError, match="target_transform must be"):
        Forecaster(**FAST, target_transform="returns").fit(ramp, target="y")
