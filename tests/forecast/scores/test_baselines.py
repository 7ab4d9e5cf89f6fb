"""Baselines: hand-derived forecasts, no look-ahead, argument checks, frequency aliases, Naive2."""

from statistics import NormalDist

import numpy as np
import pytest

from lstmcast.forecast.scores.baselines import (
    BASELINES,
    baseline_forecasts,
    drift,
    mean_forecast,
    naive,
    naive2,
    naive_bounds,
    season_from_freq,
    seasonal_naive,
)

# A short series with uneven steps, so a baseline that reads the wrong index shows.
SERIES = np.array([3.0, 5.0, 4.0, 8.0, 7.0, 10.0, 6.0, 9.0])


def test_naive_repeats_the_value_before_each_origin():
    out = naive(SERIES, [1, 4, 8], horizon=3)
    # series[0] = 3, series[3] = 8, series[7] = 9
    np.testing.assert_array_equal(out, [[3, 3, 3], [8, 8, 8], [9, 9, 9]])
    assert out.dtype == np.float64 and out.shape == (3, 3)


def test_seasonal_naive_takes_the_value_one_season_earlier():
    # season 3, origin 5: history ... series[2]=4, series[3]=8, series[4]=7
    out = seasonal_naive(SERIES, [5], horizon=3, season=3)
    np.testing.assert_array_equal(out, [[4.0, 8.0, 7.0]])


def test_seasonal_naive_repeats_the_season_when_horizon_exceeds_it():
    series = np.arange(10.0)
    out = seasonal_naive(series, [6, 10], horizon=7, season=3)
    # origin 6: last season is series[3:6] = 3, 4, 5, repeated
    # origin 10: last season is series[7:10] = 7, 8, 9, repeated
    np.testing.assert_array_equal(out, [[3, 4, 5, 3, 4, 5, 3], [7, 8, 9, 7, 8, 9, 7]])


def test_seasonal_naive_season_one_is_naive():
    origins = [2, 5, 8]
    np.testing.assert_array_equal(seasonal_naive(SERIES, origins, 4, season=1), naive(SERIES, origins, 4))


def test_drift_on_a_straight_line_continues_the_line():
    series = 2.0 + 0.5 * np.arange(12)  # slope 0.5
    out = drift(series, [3, 7, 12], horizon=4)
    expected = [[2.0 + 0.5 * (o - 1 + h) for h in range(1, 5)] for o in (3, 7, 12)]
    np.testing.assert_allclose(out, expected, rtol=0, atol=1e-12)


def test_drift_uses_first_and_last_of_the_history():
    # origin 5: first 3, last 7, slope (7 - 3) / 4 = 1
    out = drift(SERIES, [5], horizon=3)
    np.testing.assert_allclose(out, [[8.0, 9.0, 10.0]], atol=1e-12)


def test_drift_with_one_observation_is_naive():
    np.testing.assert_array_equal(drift(SERIES, [1], horizon=3), [[3.0, 3.0, 3.0]])


def test_mean_forecast_is_the_mean_of_the_history():
    out = mean_forecast(SERIES, [1, 2, 4, 8], horizon=2)
    means = [3.0, 4.0, 5.0, sum(SERIES) / 8]  # (3), (3+5)/2, (3+5+4+8)/4, all
    np.testing.assert_allclose(out, np.repeat(np.array(means)[:, None], 2, axis=1), atol=1e-12)


def test_mean_forecast_matches_a_plain_loop_on_random_data():
    rng = np.random.default_rng(0)
    series = rng.normal(100.0, 10.0, size=200)
    origins = rng.integers(1, 201, size=30)
    out = mean_forecast(series, origins, horizon=1)
    for row, o in zip(out, origins):
        total = 0.0
        for value in series[:o]:
            total += value
        assert row[0] == pytest.approx(total / o, rel=1e-12)


@pytest.mark.parametrize("name", ["naive", "seasonal naive", "drift", "mean", "naive2"])
def test_no_baseline_reads_at_or_after_the_origin(name):
    rng = np.random.default_rng(1)
    series = np.cumsum(rng.normal(size=40))
    function = BASELINES[name]
    extra = {"season": 4} if name in ("seasonal naive", "naive2") else {}
    for o in (4, 5, 17, 39, 40):
        clean = function(series, [o], 6, **extra)
        hidden = series.copy()
        hidden[o:] = np.nan
        blind = function(hidden, [o], 6, **extra)
        assert np.all(np.isfinite(blind))
        np.testing.assert_array_equal(blind, clean)


def test_baselines_on_many_origins_match_one_at_a_time():
    origins = np.array([8, 3, 5])
    for name, function in BASELINES.items():
        extra = {"season": 2} if name in ("seasonal naive", "naive2") else {}
        together = function(SERIES, origins, 3, **extra)
        for row, o in zip(together, origins):
            np.testing.assert_array_equal(row, function(SERIES, [o], 3, **extra)[0])


def test_origin_at_the_end_forecasts_past_the_data():
    assert naive(SERIES, [len(SERIES)], 2).tolist() == [[9.0, 9.0]]


def test_seasonal_naive_rejects_origins_with_too_little_history():
    with pytest.raises(ValueError, match="season"):
        seasonal_naive(SERIES, [2, 5], horizon=2, season=3)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"series": np.ones((3, 2))}, "series"),
        ({"series": np.array([])}, "series"),
        ({"origins": [[2, 3]]}, "origins"),
        ({"origins": [2.0, 3.0]}, "origins"),
        ({"origins": [0]}, "origins"),
        ({"origins": [9]}, "origins"),
        ({"horizon": 0}, "horizon"),
        ({"horizon": 2.0}, "horizon"),
        ({"horizon": True}, "horizon"),
        ({"series": np.array([1.0, np.nan, 3.0, 4.0])}, "series"),
    ],
)
def test_bad_arguments_name_themselves(kwargs, match):
    arguments = {"series": SERIES, "origins": [4], "horizon": 2} | kwargs
    for function in (naive, drift, mean_forecast):
        with pytest.raises(ValueError, match=match):
            function(**arguments)


@pytest.mark.parametrize("season", [0, -2, 1.5, None])
def test_seasonal_naive_rejects_a_bad_season(season):
    with pytest.raises(ValueError, match="season"):
        seasonal_naive(SERIES, [4], 2, season=season)


def test_baseline_forecasts_without_season():
    out = baseline_forecasts(SERIES, [4, 6], 3)
    assert list(out) == ["naive", "drift"]
    np.testing.assert_array_equal(out["naive"], naive(SERIES, [4, 6], 3))
    np.testing.assert_array_equal(out["drift"], drift(SERIES, [4, 6], 3))


def test_baseline_forecasts_with_season_in_order():
    out = baseline_forecasts(SERIES, [4, 6], 3, season=2)
    assert list(out) == ["naive", "seasonal naive", "drift"]
    # origin 4: series[2], series[3], series[2] = 4, 8, 4; origin 6: series[4], series[5], series[4]
    np.testing.assert_array_equal(out["seasonal naive"], [[4, 8, 4], [7, 10, 7]])


def test_baseline_forecasts_leaves_out_seasonal_naive_without_enough_history():
    assert "seasonal naive" not in baseline_forecasts(SERIES, [3, 6], 2, season=4)
    assert "seasonal naive" not in baseline_forecasts(SERIES, [3, 6], 2, season=1)


@pytest.mark.parametrize(
    "freq, season",
    [
        ("M", 12), ("MS", 12), ("ME", 12), ("BMS", 12),
        ("Q", 4), ("QS", 4), ("QE", 4), ("QS-JAN", 4), ("Q-DEC", 4),
        ("W", 52), ("W-SUN", 52),
        ("D", 7), ("B", 5), ("H", 24), ("h", 24),
        ("2h", 12), ("3h", 8), ("3MS", 4), ("2Q", 2),
        ("5h", None), ("12M", None), ("2W", 26),
        ("min", None), ("T", None), ("s", None), ("ms", None), ("YS", None), ("A-DEC", None),
        ("nonsense", None), ("", None), (None, None),
    ],
)
def test_season_from_freq(freq, season):
    assert season_from_freq(freq) == season


def test_season_from_freq_rejects_a_non_string():
    with pytest.raises(ValueError, match="freq"):
        season_from_freq(12)


def test_season_from_freq_reads_real_pandas_frequencies():
    pd = pytest.importorskip("pandas")
    assert season_from_freq(pd.date_range("2000-01-01", periods=5, freq="MS").freqstr) == 12
    assert season_from_freq(pd.date_range("2000-01-02", periods=5, freq="W-SUN").freqstr) == 52
    assert season_from_freq(pd.date_range("2000-01-01", periods=5, freq="h").freqstr) == 24


# --- Naive2 and the naive intervals (M4 benchmarks) ---------------------------------------------

def test_naive2_carries_the_seasonal_pattern_of_a_seasonal_history():
    season = np.array([0.6, 0.9, 1.4, 1.1])
    x = 20.0 * np.tile(season, 12)  # 48 values, constant level: deseasonalised it is flat
    out = naive2(x, np.array([40, 48]), horizon=6, season=4)
    np.testing.assert_allclose(out[0], x[40:46], rtol=1e-12)
    np.testing.assert_allclose(out[1], 20.0 * season[np.arange(48, 54) % 4], rtol=1e-12)


def test_naive2_is_naive_without_a_season_and_never_reads_past_the_origin():
    rng = np.random.default_rng(2)
    noise = 50 + rng.normal(size=80)
    np.testing.assert_array_equal(naive2(noise, np.array([60]), 5, 4), naive(noise, np.array([60]), 5))
    seasonal = 10 + np.tile([1.0, 5.0, 2.0, 8.0], 20) + rng.normal(scale=0.1, size=80)
    poisoned = seasonal.copy()
    poisoned[60:] = 1e6
    np.testing.assert_array_equal(naive2(seasonal, np.array([60]), 8, 4), naive2(poisoned, np.array([60]), 8, 4))
    assert not np.allclose(naive2(seasonal, np.array([60]), 8, 4), naive(seasonal, np.array([60]), 8))


def test_naive_bounds_widen_with_the_square_root_of_the_step():
    x = np.array([1.0, 3.0, 2.0, 5.0, 4.0])
    lower, upper = naive_bounds(x, np.array([5, 3]), horizon=4, coverage=0.95)
    sigma = np.sqrt(np.mean(np.diff(x) ** 2))
    z = NormalDist().inv_cdf(0.975)
    np.testing.assert_allclose(upper[0], 4.0 + z * sigma * np.sqrt([1, 2, 3, 4]), rtol=1e-13)
    np.testing.assert_allclose(lower[0], 4.0 - z * sigma * np.sqrt([1, 2, 3, 4]), rtol=1e-13)
    early = np.sqrt(np.mean(np.diff(x[:3]) ** 2))  # origin 3 sees only x[:3]
    np.testing.assert_allclose(upper[1] - lower[1], 2 * z * early * np.sqrt([1, 2, 3, 4]), rtol=1e-13)
    with pytest.raises(ValueError, match="coverage must be a number between 0 and 1"):
        naive_bounds(x, np.array([5]), 2, 95)
