"""Online conformal thresholds: coverage on simulated error streams, no look-ahead, ACI's bound."""

import math

import numpy as np
import pytest

from lstmcast.forecast.intervals.conformal import (IntervalCalibration, band_bounds, conformity_scores,
                                         online_thresholds, rank_quantile)
from lstmcast.forecast.intervals.conformal_quantile import TooFewCalibrationErrors, conformal_quantile

ORIGINS = 2000
COVERAGE = 0.9


def garch_noise(n, rng, omega=0.05, a=0.1, b=0.85):
    """GARCH(1, 1) shocks: calm and stormy stretches, unconditional variance 1."""
    shocks = np.empty(n)
    variance = omega / (1 - a - b)
    for t in range(n):
        shocks[t] = math.sqrt(variance) * rng.standard_normal()
        variance = omega + a * shocks[t] ** 2 + b * variance
    return shocks


def noise(kind, n, seed):
    rng = np.random.default_rng(seed)
    return garch_noise(n, rng) if kind == "garch" else rng.standard_normal(n)


def random_walk_errors(shocks, horizon, n):
    """Step-h errors of the naive forecast of a random walk: the sum of the next h shocks (n, horizon)."""
    return np.stack([np.convolve(shocks, np.ones(h + 1))[h : h + n] for h in range(horizon)], axis=1)


def coverage_of(method, scores, calibration, origins=None):
    origins = np.arange(len(scores)) if origins is None else origins
    thresholds, _ = online_thresholds(calibration, scores, origins, IntervalCalibration(COVERAGE, method))
    return float(np.mean(scores <= thresholds)), thresholds


@pytest.mark.parametrize("method", ["rolling", "aci"])
@pytest.mark.parametrize("kind", ["iid", "garch"])
def test_adaptive_methods_hold_nominal_coverage_over_2000_origins(method, kind):
    horizon, n0 = 3, 250
    errors = random_walk_errors(noise(kind, n0 + ORIGINS + horizon, seed=1), horizon, n0 + ORIGINS)
    scores = np.abs(errors)  # (n0 + M, horizon)
    reached, thresholds = coverage_of(method, scores[n0:], scores[:n0])
    assert abs(reached - COVERAGE) <= 0.02
    assert np.all(np.diff(thresholds.mean(axis=0)) > 0)  # wider with every step, as the errors are


def test_split_holds_nominal_coverage_on_iid_errors():
    scores = np.abs(noise("iid", 2 * ORIGINS, seed=2))[:, None]  # (2M, 1)
    reached, thresholds = coverage_of("split", scores[ORIGINS:], scores[:ORIGINS])
    assert abs(reached - COVERAGE) <= 0.02
    assert np.all(thresholds == thresholds[0])  # never updated


def test_after_a_calm_calibration_only_the_adaptive_methods_recover():
    """Validation errors from a calm stretch, then errors three times as large."""
    rng = np.random.default_rng(3)
    calm = np.abs(rng.standard_normal((250, 1)))
    stormy = 3 * np.abs(garch_noise(ORIGINS, rng))[:, None]
    assert coverage_of("split", stormy, calm)[0] < 0.6
    assert abs(coverage_of("aci", stormy, calm)[0] - COVERAGE) <= 0.02


@pytest.mark.parametrize("kind", ["iid", "garch"])
def test_scaled_scores_hold_coverage_and_follow_a_known_spread(kind):
    """MC-dropout style: residuals in units of a spread that tracks the true volatility."""
    rng = np.random.default_rng(4)
    sigma = np.exp(np.sin(np.arange(250 + ORIGINS) / 40.0))[:, None]  # (n, 1) known, slowly varying
    shocks = noise(kind, 250 + ORIGINS, seed=5)[:, None] * sigma
    spread = 0.5 * sigma * np.exp(0.1 * rng.standard_normal(sigma.shape))  # right shape, wrong size
    scores = conformity_scores(shocks, 0.0, 0.0, spread)
    reached, thresholds = coverage_of("aci", scores[250:], scores[:250])
    assert abs(reached - COVERAGE) <= 0.02
    lower, upper = band_bounds(0.0, 0.0, thresholds, spread[250:])
    inside = (lower <= shocks[250:]) & (shocks[250:] <= upper)
    assert np.mean(inside) == reached
    plain = np.abs(shocks)
    plain_reached, plain_thresholds = coverage_of("aci", plain[250:], plain[:250])
    assert np.mean(upper - lower) < np.mean(2 * plain_thresholds)  # the known shape buys narrower intervals


@pytest.mark.parametrize("kind", ["iid", "garch"])
def test_conformalised_quantiles_repair_a_band_that_is_too_narrow(kind):
    shocks = noise(kind, 250 + ORIGINS, seed=6)[:, None]
    lo, hi = np.full_like(shocks, -0.8), np.full_like(shocks, 0.8)  # nominal 90% of N(0,1) is +-1.645
    assert np.mean((lo <= shocks) & (shocks <= hi)) < 0.65
    scores = conformity_scores(shocks, lo, hi)
    for method in ("rolling", "aci"):
        reached, _ = coverage_of(method, scores[250:], scores[:250])
        assert abs(reached - COVERAGE) <= 0.02


def test_a_threshold_never_reads_an_outcome_not_yet_known():
    rng = np.random.default_rng(7)
    horizon, origins = 4, np.arange(10, 310, 2)  # every second row
    scores = np.abs(rng.standard_normal((len(origins), horizon)))
    calibration = np.abs(rng.standard_normal((30, horizon)))
    settings = IntervalCalibration(COVERAGE, "aci", window=40, gamma=0.05)
    base, _ = online_thresholds(calibration, scores, origins, settings)
    i, h = 50, 3
    changed = scores.copy()
    changed[i, h] = 1e6  # realised at row origins[i] + h
    again, _ = online_thresholds(calibration, changed, origins, settings)
    known_after = origins > origins[i] + h
    assert np.array_equal(again[~known_after, h], base[~known_after, h])
    assert not np.array_equal(again[known_after, h], base[known_after, h])
    assert np.array_equal(np.delete(again, h, axis=1), np.delete(base, h, axis=1))  # other steps untouched


@pytest.mark.parametrize("gamma", [0.005, 0.05])
def test_aci_long_run_miss_rate_obeys_its_bound(gamma):
    """Gibbs & Candes, Prop. 4.1: |misses / T - alpha| <= (max(a1, 1 - a1) + gamma) / (gamma T)."""
    rng = np.random.default_rng(8)
    scale = np.where(np.arange(ORIGINS) % 500 < 250, 1.0, 5.0)[:, None]  # regime switches
    scores = np.abs(rng.standard_normal((ORIGINS, 1))) * scale
    settings = IntervalCalibration(COVERAGE, "aci", window=100, gamma=gamma)
    thresholds, _ = online_thresholds(scores[:100], scores, np.arange(ORIGINS), settings)
    misses = np.mean(scores > thresholds)
    bound = (COVERAGE + gamma) / (gamma * ORIGINS)
    assert abs(misses - (1 - COVERAGE)) <= bound


def test_rank_quantile_agrees_with_split_conformal():
    rng = np.random.default_rng(9)
    residuals = np.abs(rng.standard_normal((37, 1)))
    for level in (0.5, 0.8, 0.9, 37 / 38):
        assert rank_quantile(sorted(residuals[:, 0]), level) == conformal_quantile(residuals, level)[0]
    assert rank_quantile(sorted(residuals[:, 0]), 0.99) == math.inf  # the primitive; the callers refuse
    with pytest.raises(TooFewCalibrationErrors):
        conformal_quantile(residuals, 0.99)
    assert rank_quantile([], 0.9) == math.inf
    assert rank_quantile([1.0, 2.0], -0.3) == 1.0


def test_bad_settings_name_the_argument():
    with pytest.raises(ValueError, match="interval_method"):
        IntervalCalibration(0.9, "bootstrap")
    with pytest.raises(ValueError, match="coverage"):
        IntervalCalibration(1.5)
    with pytest.raises(ValueError, match="interval_window"):
        IntervalCalibration(0.9, window=0)
    with pytest.raises(ValueError, match="origins"):
        online_thresholds(np.ones((3, 1)), np.ones((4, 1)), np.array([3, 2, 1, 0]), IntervalCalibration(0.9))


@pytest.mark.parametrize("method", ["split", "rolling", "aci"])
def test_too_few_calibration_scores_are_refused_never_infinite_thresholds(method):
    """8 scores support coverages up to 8 / 9: ACI used to answer 0.99 with its largest score (a band
    of 8 / 9) and split / rolling with infinite thresholds; now each names what it would need."""
    rng = np.random.default_rng(3)
    calibration, scores = np.abs(rng.standard_normal((8, 2))), np.abs(rng.standard_normal((50, 2)))
    with pytest.raises(TooFewCalibrationErrors, match=r"^coverage=0.99 needs at least 99 calibration errors and "
                                                      r"the validation windows give 8: the largest coverage they "
                                                      r"support is 0.888 "):
        online_thresholds(calibration, scores, np.arange(50), IntervalCalibration(0.99, method))
    thresholds, _ = online_thresholds(calibration, scores, np.arange(50), IntervalCalibration(8 / 9, method))
    assert np.isfinite(thresholds).all()


@pytest.mark.parametrize("method", ["rolling", "aci"])
def test_a_window_too_small_for_the_coverage_names_interval_window(method):
    calibration, scores = np.ones((300, 1)), np.ones((20, 1))
    with pytest.raises(TooFewCalibrationErrors, match=r"coverage=0.99 needs at least 99 calibration errors and "
                                                      r"interval_window=50 keeps 50: the largest coverage they "
                                                      r"support is 0.9803 \(a larger interval_window keeps more\)"):
        online_thresholds(calibration, scores, np.arange(20), IntervalCalibration(0.99, method, window=50))
    # split keeps every validation score, whatever the window
    thresholds, _ = online_thresholds(calibration, scores, np.arange(20), IntervalCalibration(0.99, "split", window=50))
    assert np.isfinite(thresholds).all()


def test_aci_thresholds_stay_finite_after_a_run_of_misses():
    """After misses push α_t to 0 and below, the threshold is the window's largest score, never inf."""
    calibration = np.full((19, 1), 1.0)
    storm = 2.0 + np.arange(60.0)[:, None]  # each outcome beyond every score before it: 60 misses
    thresholds, alpha = online_thresholds(calibration, storm, np.arange(60),
                                          IntervalCalibration(0.95, "aci", window=19, gamma=0.05))
    assert np.isfinite(thresholds).all() and alpha[0] < 0
    np.testing.assert_array_equal(thresholds[1:, 0], storm[:-1, 0])  # the largest score the window holds
