"""The M4 seasonality test and classical multiplicative decomposition."""

import numpy as np
import pytest

from lstmcast.forecast.scores.decomposition import autocorrelations, is_seasonal, seasonal_indices


def test_autocorrelations_follow_the_definition():
    x = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0])
    d = x - x.mean()
    expected = [sum(d[t] * d[t + k] for t in range(len(x) - k)) / sum(d * d) for k in (1, 2, 3)]
    np.testing.assert_allclose(autocorrelations(x, 3), expected, rtol=1e-13)
    np.testing.assert_array_equal(autocorrelations(np.full(6, 2.0), 2), [0.0, 0.0])
    with pytest.raises(ValueError, match="max_lag must be below"):
        autocorrelations(x, 8)


def test_a_clear_daily_cycle_is_seasonal_and_noise_is_not():
    rng = np.random.default_rng(0)
    hours = np.arange(24 * 10)
    cycle = 100 + 30 * np.sin(2 * np.pi * hours / 24) + rng.normal(size=hours.size)
    assert is_seasonal(cycle, 24)
    assert not is_seasonal(rng.normal(size=hours.size) + 100, 24)
    assert not is_seasonal(cycle[: 3 * 24 - 1], 24)  # fewer than 3 m values: never seasonal
    assert is_seasonal(cycle[: 5 * 24], 24)
    assert not is_seasonal(cycle, 1)


def test_seasonal_indices_recover_a_multiplicative_season():
    season = np.array([0.5, 1.0, 1.5, 1.2, 0.8, 1.0])  # mean 1, even period
    n = 6 * 8
    trend = np.linspace(50.0, 80.0, n)
    x = trend * season[np.arange(n) % 6]
    # a linear trend is reproduced exactly by the 2x6 moving average, up to the season's own ripple
    np.testing.assert_allclose(seasonal_indices(x, 6), season, rtol=0.02)
    flat = 40.0 * np.tile(season, 8)
    np.testing.assert_allclose(seasonal_indices(flat, 6), season, rtol=1e-12)
    odd = np.array([0.7, 1.1, 1.2])
    np.testing.assert_allclose(seasonal_indices(10.0 * np.tile(odd, 5), 3), odd / odd.mean(), rtol=1e-12)
    # positions count from the first value: shifting the series rotates the indices
    np.testing.assert_allclose(seasonal_indices(flat[2:], 6), np.roll(season, -2), rtol=1e-12)
    with pytest.raises(ValueError, match="need at least 12 values"):
        seasonal_indices(flat[:11], 6)
