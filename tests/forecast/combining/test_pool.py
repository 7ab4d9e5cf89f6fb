"""The classical pool: fitted once on the training rows, forecasting from any origin without reading it or later."""

import numpy as np
import pytest

from lstmcast.forecast.combining.pool import ARIMA_MAX_SEASON, classical_model, fit_pool, mstl_seasons, pool_names

pytest.importorskip("statsforecast")

T = np.arange(80)
SERIES = 50 + 0.3 * T + 5 * np.sin(2 * np.pi * T / 12) + np.random.default_rng(1).normal(0, 0.5, 80)  # (80,)


def test_the_pool_forecasts_as_each_model_fitted_on_the_training_rows_alone():
    pool = fit_pool(SERIES[:60], season=12)
    origins = np.array([60, 66, 72])
    got = pool.forecasts(SERIES, origins, 4)
    assert set(got) == {"AutoETS", "AutoTheta", "MSTL", "AutoARIMA"} and not pool.not_run
    for name, forecasts in got.items():
        model = classical_model(name, 12, 60).fit(SERIES[:60])
        for k, origin in enumerate(origins):
            np.testing.assert_allclose(forecasts[k], model.forward(SERIES[:origin], h=4)["mean"], rtol=1e-12)


def test_nothing_at_or_after_an_origin_is_read():
    pool = fit_pool(SERIES[:60], season=12)
    changed = SERIES.copy()
    changed[66:] = 1e6
    before = pool.forecasts(SERIES, np.array([66]), 4)
    after = pool.forecasts(changed, np.array([66]), 4)
    for name in before:
        np.testing.assert_array_equal(before[name], after[name])


def test_the_pool_follows_what_each_model_costs():
    assert pool_names(None) == ("AutoETS", "AutoTheta", "AutoARIMA")
    assert pool_names(ARIMA_MAX_SEASON) == ("AutoETS", "AutoTheta", "MSTL", "AutoARIMA")
    assert pool_names(24) == ("AutoETS", "AutoTheta", "MSTL")
    assert mstl_seasons(24, 4 * 168) == [24, 168] and mstl_seasons(24, 4 * 168, weekly=False) == [24]
    assert mstl_seasons(12, 23) == [] and mstl_seasons(1, 100) == []


def test_missing_values_leave_every_model_out_with_the_reason():
    history = SERIES[:60].copy()
    history[5] = np.nan
    pool = fit_pool(history, season=12)
    assert not pool.fitted and set(pool.not_run.values()) == {"the fitting rows hold missing values"}
