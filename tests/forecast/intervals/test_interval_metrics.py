"""Interval scores against hand-computed values and their defining properties."""

import numpy as np
import pytest

from lstmcast.forecast.intervals.interval_metrics import (coverage_by_step, interval_score, interval_table, mean_width,
                                                msis, pinball)


def test_winkler_score_by_hand():
    # alpha = 0.2: penalty 2 / 0.2 = 10 per unit outside
    actual = np.array([[5.0, 0.0, 12.0]])
    lower, upper = np.array([[4.0, 1.0, 9.0]]), np.array([[6.0, 3.0, 11.0]])
    # widths 2, 2, 2; misses 0, 1 below, 1 above -> 2 + (2 + 10) + (2 + 10) = 26, mean 26 / 3
    assert interval_score(actual, lower, upper, 0.8) == pytest.approx(26 / 3)
    assert mean_width(lower, upper) == 2.0


def test_msis_is_the_winkler_score_over_the_seasonal_naive_scale():
    actual, lower, upper = np.array([[1.0]]), np.array([[0.0]]), np.array([[3.0]])
    train = np.array([0.0, 2.0, 0.0, 2.0, 0.0])  # |lag-1 differences| = 2, |lag-2 differences| = 0
    assert msis(actual, lower, upper, 0.9, train, season=1) == pytest.approx(3.0 / 2.0)
    assert msis(actual, lower, upper, 0.9, train, season=2) == np.inf


def test_the_true_quantiles_minimise_the_expected_pinball_loss():
    rng = np.random.default_rng(0)
    y = rng.standard_normal((20000, 1))
    taus = [0.05, 0.5, 0.95]
    true = np.array([-1.6449, 0.0, 1.6449])
    best = pinball(y, np.broadcast_to(true, (20000, 1, 3)), taus)
    for shift in (-0.2, 0.2):
        assert pinball(y, np.broadcast_to(true + shift, (20000, 1, 3)), taus) > best
    # by hand: y = 1, q = 0 at tau 0.9 -> 0.9; at tau 0.1 -> 0.1
    assert pinball(np.ones((1, 1)), np.zeros((1, 1, 2)), [0.1, 0.9]) == pytest.approx(0.5)


def test_coverage_by_step_and_the_table():
    actual = np.array([[0.0, 0.0], [0.0, 5.0]])
    lower, upper = -np.ones((2, 2)), np.ones((2, 2))
    assert coverage_by_step(actual, lower, upper).tolist() == [1.0, 0.5]
    table = interval_table(actual, {"aci": (lower, upper)}, 0.9, np.arange(10.0))
    assert table.loc["aci", "coverage"] == 0.75
    assert table.loc["aci", "ACD"] == pytest.approx(0.15)
    assert table.loc["aci", "MSIS"] == pytest.approx(table.loc["aci", "Winkler"])  # scale 1


def test_shape_mismatches_are_named():
    with pytest.raises(ValueError, match="one shape"):
        interval_score(np.ones(3), np.ones(2), np.ones(3), 0.9)
    with pytest.raises(ValueError, match="quantile_forecasts"):
        pinball(np.ones((2, 1)), np.ones((2, 1, 2)), [0.1, 0.5, 0.9])
