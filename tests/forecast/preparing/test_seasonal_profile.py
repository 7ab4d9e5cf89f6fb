"""Each window's own seasonal profile: found, taken out before the network, put back into its forecast."""

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster
from lstmcast.data.datasets import load_dataset
from lstmcast.forecast.preparing.seasonal_profile import has_profile, step_offsets, window_offsets, window_profiles
from lstmcast.forecast.preparing.windowing import forecast_windows, network_windows

SEASON = 4
SHAPE = np.array([3.0, -1.0, 0.5, -2.5])  # mean 0: the profile of a phase-0 origin


def seasonal_windows(look_back: int, horizon: int, slope: float = 0.7, level: float = 5.0):
    """Windows (2, look_back) and what follows (2, horizon) of level + slope t + SHAPE (the second
    window twice the level and slope of the first), SHAPE's phase 0 at the first step after the window."""
    t = np.arange(look_back + horizon)  # the origin at t = look_back
    one = level + slope * t + SHAPE[(t - look_back) % SEASON]  # (look_back + horizon,)
    rows = np.stack([one, 2.0 * one - SHAPE[(t - look_back) % SEASON]])  # (2, look_back + horizon)
    return rows[:, :look_back], rows[:, look_back:]


def test_the_profile_of_a_trend_plus_a_season_is_that_season_whatever_the_slope():
    for look_back in (8, 11, 13):  # two whole seasons, with and without a part season before them
        x, _ = seasonal_windows(look_back, 3)
        profile = window_profiles(x, SEASON)  # (2, m)
        assert profile.shape == (2, SEASON)
        np.testing.assert_allclose(profile, np.tile(SHAPE, (2, 1)), atol=1e-12)
        # without it, each window is a straight line
        flat = x - window_offsets(profile, look_back)  # (2, look_back)
        np.testing.assert_allclose(np.diff(flat, 2, axis=1), 0.0, atol=1e-12)


def test_the_forecast_steps_continue_the_phase_of_the_window():
    x, after = seasonal_windows(12, 7)
    profile = window_profiles(x, SEASON)
    line = after - step_offsets(profile, 7)  # (2, 7): the steps after the window, less the profile
    np.testing.assert_allclose(np.diff(line, 2, axis=1), 0.0, atol=1e-12)


def test_a_profile_needs_two_whole_seasons_in_the_window():
    assert has_profile(8, 4) and not has_profile(7, 4)
    assert not has_profile(24, 1) and not has_profile(24, None)
    with pytest.raises(ValueError, match="needs at least 8 rows"):
        window_profiles(np.zeros((1, 7)), 4)


@pytest.mark.parametrize("kind", ["season_mean_std", "log_season_mean_std"])
def test_the_network_reads_the_window_without_its_profile_and_its_zero_output_repeats_it(kind):
    x, after = seasonal_windows(12, 6, slope=0.0)  # a flat level with a season
    features = np.stack([x, np.ones_like(x)], axis=2)  # (2, 12, 2): a second column left alone
    windows = network_windows(features, after, kind, patch=1, dtype="float64", season=SEASON)
    np.testing.assert_allclose(windows.x[:, :, 0], 0.0, atol=1e-9)  # nothing left but the level
    np.testing.assert_allclose(windows.y, 0.0, atol=1e-9)
    np.testing.assert_array_equal(windows.x[:, :, 1], 1.0)
    np.testing.assert_allclose(windows.restore(np.zeros((2, 6))), after, atol=1e-12)  # the season, continued
    np.testing.assert_allclose(windows.restore(windows.y), after, atol=1e-12)


def test_without_two_seasons_or_a_season_a_seasonal_normalisation_is_mean_std():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(3, 7, 1)), rng.normal(size=(3, 2))
    plain = network_windows(x, y, "mean_std", 1, "float64")
    for season in (None, 1, 4):
        seasonal = network_windows(x, y, "season_mean_std", 1, "float64", season=season)
        assert seasonal.profile is None
        np.testing.assert_array_equal(seasonal.x, plain.x)
        np.testing.assert_array_equal(seasonal.y, plain.y)


# ---- through the Forecaster ----------------------------------------------------------------------------------

SMALL = dict(look_back=24, horizon=6, hidden_size=8, epochs=4, batch_size=16, lr=1e-2, verbose=False)


@pytest.fixture(scope="module")
def airline_fit():
    airline = load_dataset("airline")
    return airline, Forecaster(**SMALL, window_norm="log_season_mean_std").fit(airline, target="Passengers")


def test_a_forecast_reads_its_own_window_and_no_calendar(airline_fit):
    airline, fc = airline_fit
    assert fc.season_ == 12 and fc.window_norm_ == "log_season_mean_std"
    whole = fc.forecast(airline)
    for start in (1, 5, len(airline) - SMALL["look_back"]):  # the table cut at another phase of the year
        pd.testing.assert_frame_equal(fc.forecast(airline.iloc[start:]), whole)


def test_the_profile_is_put_back_into_the_forecast(airline_fit):
    airline, fc = airline_fit

    values = fc.table_.values  # (N, F)
    windows = forecast_windows(values, np.array([len(values)]), fc.scaler_, fc.window_norm_, "none", 24, fc.patch_,
                               "float64", season=fc.season_)
    plain = forecast_windows(values, np.array([len(values)]), fc.scaler_, "log_mean_std", "none", 24, fc.patch_,
                             "float64")
    zero = np.zeros((1, 6))
    deseasonalised = np.exp(fc.scaler_.inverse_transform_target(windows.restore(zero)))  # (1, 6) levels
    flat = np.exp(fc.scaler_.inverse_transform_target(plain.restore(zero)))
    assert np.corrcoef(deseasonalised[0], airline["Passengers"].to_numpy()[-12:-6])[0, 1] > 0.8  # a year before
    assert np.ptp(flat) < 1e-9 < np.ptp(deseasonalised)  # mean_std's zero output is flat, the profile's is not


def test_a_saved_seasonal_model_forecasts_the_same(airline_fit, tmp_path):
    airline, fc = airline_fit
    fc.save(tmp_path / "m")
    pd.testing.assert_frame_equal(Forecaster.load(tmp_path / "m").forecast(airline), fc.forecast(airline))


def test_a_seasonal_normalisation_refuses_changes_and_a_log_refuses_levels_below_zero(airline_fit):
    airline, _ = airline_fit
    with pytest.raises(ValueError, match="window_norm='season_mean_std' works on levels"):
        Forecaster(**SMALL, window_norm="season_mean_std", target_transform="diff").fit(airline, target="Passengers")
    with pytest.raises(Exception, match="needs a positive 'Passengers'.*use window_norm='season_mean_std'"):
        Forecaster(**SMALL, window_norm="log_season_mean_std").fit(airline - 200.0, target="Passengers")
