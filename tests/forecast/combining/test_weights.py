"""Combination weights: a known mix recovered, non-negative and adding up to one, the best model picked."""

import numpy as np
import pytest

from lstmcast.forecast.combining.weights import check_combine, combination_weights, thinned

RNG = np.random.default_rng(0)
ACTUAL_SHAPE = (6, 4)


def test_a_convex_mix_of_two_models_is_recovered():
    a = RNG.normal(10, 2, ACTUAL_SHAPE)
    b = RNG.normal(10, 2, ACTUAL_SHAPE)
    c = RNG.normal(10, 2, ACTUAL_SHAPE)
    actual = 0.3 * a + 0.7 * b
    weights = combination_weights(actual, {"LSTM": a, "AutoETS": b, "AutoTheta": c}, "weights")
    assert list(weights) == ["LSTM", "AutoETS", "AutoTheta"]
    np.testing.assert_allclose([weights["LSTM"], weights["AutoETS"], weights["AutoTheta"]], [0.3, 0.7, 0.0],
                               atol=1e-5)
    assert sum(weights.values()) == pytest.approx(1.0, abs=1e-12)


def test_weights_stay_non_negative_where_least_squares_would_go_below_zero():
    actual = RNG.normal(0, 1, ACTUAL_SHAPE)
    opposite = -actual + RNG.normal(0, 0.1, ACTUAL_SHAPE)  # unconstrained, it would get a negative weight
    close = actual + RNG.normal(0, 0.5, ACTUAL_SHAPE)
    forecasts = {"LSTM": close, "MSTL": opposite}
    free, *_ = np.linalg.lstsq(np.stack([close.ravel(), opposite.ravel()], 1), actual.ravel(), rcond=None)
    assert free[1] < 0
    weights = combination_weights(actual, forecasts, "weights")
    assert min(weights.values()) >= 0 and sum(weights.values()) == pytest.approx(1.0, abs=1e-12)
    assert weights["LSTM"] > 0.5


def test_best_puts_every_weight_on_the_lowest_mae_and_the_lstm_wins_ties():
    actual = np.zeros(ACTUAL_SHAPE)
    weights = combination_weights(actual, {"LSTM": actual + 2, "AutoETS": actual + 1, "MSTL": actual - 3}, "best")
    assert weights == {"LSTM": 0.0, "AutoETS": 1.0, "MSTL": 0.0}
    tie = combination_weights(actual, {"LSTM": actual + 1, "AutoETS": actual - 1}, "best")
    assert tie == {"LSTM": 1.0, "AutoETS": 0.0}


def test_thinned_origins_are_evenly_spaced_and_end_with_the_last():
    origins = np.arange(100, 200)
    picked = thinned(origins, 24)
    assert len(picked) == 24 and picked[0] == 100 and picked[-1] == 199
    assert np.all(np.diff(picked) >= 4) and np.all(np.diff(picked) <= 5)
    np.testing.assert_array_equal(thinned(origins[:10], 24), origins[:10])


def test_an_unknown_combine_is_a_one_line_error():
    with pytest.raises(ValueError, match=r"combine must be 'none', 'best', 'weights' or None, got 'mean'"):
        check_combine("mean")
