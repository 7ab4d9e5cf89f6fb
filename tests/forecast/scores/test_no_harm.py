"""No harm: the validation weight falls back to naive on a random walk and keeps a real signal."""

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster
from lstmcast.forecast.scores.no_harm import fit_naive_weight, shrink_towards, weight_line


def random_walk(seed, n=700, drift=0.05):
    rng = np.random.default_rng(seed)
    y = 100 + np.cumsum(drift + rng.standard_normal(n))
    return pd.DataFrame({"y": y}, index=pd.date_range("2015-01-01", periods=n, freq="D"))


RW_MODEL = dict(look_back=20, horizon=1, hidden_size=16, epochs=15, patience=5, lr=1e-2,
                target_transform="log_return", loss="mse", verbose=False)  # mse: a model that does harm here


def rw_backtest(seed, no_harm):
    fc = Forecaster(**RW_MODEL, no_harm=no_harm)
    return fc.backtest(random_walk(seed), target="y", start=-300, refit_every=100, coverage=None)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_backtest_on_a_random_walk_with_drift_stays_within_1pc_of_naive(seed):
    result = rw_backtest(seed, "select")
    mae = result.metrics["MAE"]
    assert mae["LSTM"] <= 1.01 * mae["naive"]
    assert "validation" in result.verdict  # the verdict says what the weight did


def test_without_the_fallback_the_lstm_does_harm_on_that_walk():
    """The same set-up as above with no_harm="none": the harm the fallback removes."""
    mae = rw_backtest(1, "none").metrics["MAE"]
    assert mae["LSTM"] > 1.01 * mae["naive"]


def test_weights_on_simulated_validation_windows():
    rng = np.random.default_rng(0)
    n, horizon = 400, 3
    last = rng.standard_normal(n) * 10  # (n,)
    actual = last[:, None] + rng.standard_normal((n, horizon))  # a random walk: naive is right
    noisy = last[:, None] + 0.5 * rng.standard_normal((n, horizon))  # a forecast that only adds noise
    for mode in ("select", "shrink"):
        assert fit_naive_weight(actual, noisy, last, mode) == 0.0
    assert fit_naive_weight(actual, noisy, last, "none") == 1.0
    signal = rng.standard_normal((n, horizon))
    actual = last[:, None] + signal + 0.3 * rng.standard_normal((n, horizon))
    good = last[:, None] + signal  # a forecast that knows the move
    assert fit_naive_weight(actual, good, last, "select") == 1.0
    assert fit_naive_weight(actual, good, last, "shrink") >= 0.9


def signal_windows(seed=0, n=200, horizon=3):
    """Validation windows where the forecast knows the move: the LSTM (weight 1) is right to use."""
    rng = np.random.default_rng(seed)
    last = 100 + rng.standard_normal(n)  # (n,)
    signal = rng.standard_normal((n, horizon))
    return last[:, None] + signal + 0.3 * rng.standard_normal((n, horizon)), last[:, None] + signal, last


@pytest.mark.parametrize("mode", ["select", "shrink"])
def test_one_huge_value_never_crashes_and_the_weight_stays_in_0_1(mode):
    """A value of 1e308 overflows its window's mean error to inf for every weight: that window says
    nothing and is left out (it used to end in an IndexError)."""
    actual, good, last = signal_windows()
    clean = fit_naive_weight(actual, good, last, mode)
    actual[57, 1] = 1e308
    assert fit_naive_weight(actual, good, last, mode) == clean
    actual[:, :] = 1e308  # every window: nothing to go on, the LSTM as trained
    assert fit_naive_weight(actual, good, last, mode) == 1.0


@pytest.mark.parametrize("mode", ["select", "shrink"])
def test_a_forecast_that_is_not_finite_is_never_chosen(mode):
    actual, good, last = signal_windows()
    good[3, 0] = np.nan  # a weight > 0 has a NaN error there: only naive can be scored on every window
    assert fit_naive_weight(actual, good, last, mode) == 0.0
    good[:, :] = np.inf
    assert fit_naive_weight(actual, good, last, mode) == 0.0
    actual[:, :] = np.nan  # no window can be scored
    assert fit_naive_weight(actual, good, last, mode) == 1.0


@pytest.mark.parametrize("mode", ["select", "shrink"])
def test_the_weight_does_not_depend_on_the_units_however_large(mode):
    """Errors near 1e300 used to overflow the standard error to inf, which let every weight through
    and picked naive for a forecast that knows the move."""
    actual, good, last = signal_windows()
    weight = fit_naive_weight(actual, good, last, mode)
    assert weight >= 0.9
    assert fit_naive_weight(actual * 1e300, good * 1e300, last * 1e300, mode) == weight


def test_shrinking_moves_every_quantile_with_the_point():
    naive = np.array([10.0, 20.0])
    point = np.array([[12.0, 14.0], [18.0, 18.0]])  # (n, horizon)
    quantiles = np.stack([point - 1, point, point + 2], axis=2)  # (n, horizon, 3)
    moved = shrink_towards(quantiles, point, naive, 0.25)
    np.testing.assert_allclose(moved[:, :, 1], naive[:, None] + 0.25 * (point - naive[:, None]))
    np.testing.assert_allclose(np.diff(moved, axis=2), np.diff(quantiles, axis=2))  # widths kept
    assert shrink_towards(point, point, naive, 1.0) is point
    assert "naive wins" in weight_line(0.0, "select") and "kept the LSTM" in weight_line(1.0, "select")


def test_the_weight_is_saved_with_the_model(tmp_path):
    df = random_walk(3, n=300)
    fc = Forecaster(look_back=10, horizon=2, hidden_size=4, epochs=2, verbose=False).fit(df, target="y")
    fc.naive_weight_ = 0.0  # as if validation had chosen naive
    loaded = Forecaster.load(fc.save(tmp_path / "m"))
    assert loaded.naive_weight_ == 0.0
    np.testing.assert_allclose(loaded.forecast()["y"].to_numpy(), df["y"].iloc[-1])  # the naive forecast


def test_bad_mode_is_named():
    with pytest.raises(ValueError, match="no_harm must be one of"):
        Forecaster(no_harm="always").fit(random_walk(0, 200), target="y")


def test_the_verdict_names_the_strongest_model_and_what_the_naive_weight_did():
    from lstmcast import load_dataset

    airline = load_dataset("airline")
    fast = dict(look_back=12, horizon=3, hidden_size=4, epochs=2, batch_size=16, verbose=False, no_harm="shrink")
    fc = Forecaster(**fast).fit(airline, target="Passengers")
    verdict = fc.evaluate(strong=False).attrs["verdict"]
    assert "LSTM MAE is" in verdict and "strongest: " in verdict
    assert weight_line(fc.naive_weight_, "shrink") in verdict
    result = fc.backtest(airline, start=0.85, refit_every=10, strong=False, coverage=None)
    assert "LSTM MAE is" in result.verdict and "strongest: " in result.verdict
    weights = result.fits["naive_weight"]
    assert (weights.between(0, 1)).all()
    if weights.nunique() == 1:
        assert weight_line(float(weights.iloc[0]), "shrink") in result.verdict
    else:
        assert "one per fit" in result.verdict
