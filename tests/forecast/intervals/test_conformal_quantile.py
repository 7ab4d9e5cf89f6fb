"""Split-conformal intervals: the finite-sample quantile, its guarantee, and the Forecaster's intervals."""

import math
import re

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster, load_dataset
from lstmcast.forecast.intervals.conformal_quantile import (TooFewCalibrationErrors, conformal_quantile, interval_bounds,
                                         interval_coverage, largest_coverage, weighted_conformal_quantile)


def brute_force_quantile(column, coverage):
    """The smallest residual r with #{residuals <= r} >= ceil((n + 1) * coverage), by counting."""
    need = math.ceil((len(column) + 1) * coverage - 1e-9)
    for r in sorted(column):
        if np.sum(column <= r) >= need:
            return r
    return np.inf


@pytest.mark.parametrize("n, coverage", [(1, 0.4), (9, 0.8), (19, 0.9), (50, 0.95), (200, 0.5), (7, 0.875)])
def test_quantile_is_the_finite_sample_rank(n, coverage):
    rng = np.random.default_rng(n)
    residuals = np.abs(rng.standard_t(3, size=(n, 3)))  # (n, horizon)
    q = conformal_quantile(residuals, coverage)
    assert q.shape == (3,)
    for h in range(3):
        assert q[h] == brute_force_quantile(residuals[:, h], coverage)


@pytest.mark.parametrize("n, coverage", [(1, 0.4), (9, 0.8), (19, 0.9), (50, 0.95), (200, 0.5), (8, 8 / 9)])
def test_equal_weights_give_the_finite_sample_rank(n, coverage):
    residuals = np.abs(np.random.default_rng(n).standard_t(3, size=(n, 3)))  # (n, horizon)
    np.testing.assert_array_equal(weighted_conformal_quantile(residuals, np.full(n, 2.5), coverage),
                                  conformal_quantile(residuals, coverage))


def test_weights_make_every_series_count_once():
    """Series A has 9 windows with error 1, series B one window with error 10: weighted per series,
    half the weight is B's, so a 60% interval must reach 10 (unweighted, 1 would do)."""
    residuals = np.array([[1.0]] * 9 + [[10.0]])  # (10, 1)
    weights = np.array([1 / 9] * 9 + [1.0])
    assert conformal_quantile(residuals, 0.6)[0] == 1.0
    assert weighted_conformal_quantile(residuals, weights, 0.6)[0] == 10.0
    # n_eff = 1 / (9 / 18² + 1 / 2²) = 3.6: the level is raised by 1 / 3.6
    assert weighted_conformal_quantile(residuals, weights, 0.3)[0] == 1.0  # 0.3 * 1.278 = 0.38 <= 0.5
    with pytest.raises(TooFewCalibrationErrors, match=r"coverage=0.8 needs at least 4 calibration errors and "
                       r"the validation windows give 10 \(worth 3.6 with each series weighing one\): the largest "
                       r"coverage they support is 0.782 "):  # 0.8 * 1.278 > 1; 3.6 / 4.6 = 0.7826
        weighted_conformal_quantile(residuals, weights, 0.8)
    assert weighted_conformal_quantile(residuals, weights, 0.782)[0] == 10.0  # the level named is supported
    with pytest.raises(ValueError, match="weights must be positive"):
        weighted_conformal_quantile(residuals, np.zeros(10), 0.6)


def test_too_few_residuals_are_refused_naming_the_coverage_the_count_and_the_largest_supported():
    with pytest.raises(TooFewCalibrationErrors) as refused:  # ceil(9 * 0.9) = 9 > 8: the interval would be ±inf
        conformal_quantile(np.ones((8, 2)), 0.9)
    assert str(refused.value) == ("coverage=0.9 needs at least 9 calibration errors and the validation windows "
                                  "give 8: the largest coverage they support is 0.888 (a larger val_fraction keeps "
                                  "more)")
    assert isinstance(refused.value, ValueError)  # the command line's one-line error, exit 2
    assert np.isfinite(conformal_quantile(np.ones((9, 2)), 0.9)).all()  # ceil(10 * 0.9) = 9 <= 9
    with pytest.raises(TooFewCalibrationErrors, match="coverage=0.999999 needs at least 999999 .* give 27: "
                                                      "the largest coverage they support is 0.9642 "):
        conformal_quantile(np.ones((27, 3)), 0.999999)


@pytest.mark.parametrize("n", [1, 2, 3, 7, 9, 19, 27, 99, 250, 999, 1000, 4321])
def test_the_largest_coverage_named_is_supported_and_anything_above_it_refused(n):
    residuals = np.arange(1.0, n + 1)[:, None]  # (n, 1)
    with pytest.raises(TooFewCalibrationErrors) as refused:
        conformal_quantile(residuals, n / (n + 1) + 1e-7)
    shown = float(re.search(r"support is ([0-9.]+)", str(refused.value)).group(1))
    assert n / (n + 1) - 10.0 ** -(2 + math.ceil(math.log10(n + 1))) <= shown <= n / (n + 1)
    assert math.isfinite(conformal_quantile(residuals, shown)[0])
    assert conformal_quantile(residuals, n / (n + 1))[0] == n  # the boundary itself: the largest residual
    assert largest_coverage(n) == n / (n + 1)
    np.testing.assert_array_equal(weighted_conformal_quantile(residuals, np.ones(n), n / (n + 1)), [n])
    with pytest.raises(TooFewCalibrationErrors):
        weighted_conformal_quantile(residuals, np.ones(n), n / (n + 1) + 1e-7)


@pytest.mark.parametrize("n, coverage", [(9, 0.8), (19, 0.9), (39, 0.95)])
def test_coverage_guarantee_holds_for_exchangeable_errors(n, coverage):
    """For continuous exchangeable errors P(new <= q) = ceil((n+1)c) / (n+1) exactly."""
    rng = np.random.default_rng(0)
    trials = 20000
    calibration = np.abs(rng.normal(size=(trials, n)))  # (trials, n)
    new = np.abs(rng.normal(size=trials))  # (trials,)
    k = math.ceil((n + 1) * coverage)
    q = np.sort(calibration, axis=1)[:, k - 1]  # same rank as conformal_quantile, vectorised over trials
    assert conformal_quantile(calibration[:1].T, coverage)[0] == q[0]
    hit = np.mean(new <= q)
    exact = k / (n + 1)
    assert exact >= coverage
    assert abs(hit - exact) < 4 * math.sqrt(exact * (1 - exact) / trials)


def test_bounds_and_coverage():
    lower, upper = interval_bounds(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0.5, 1.0]))
    np.testing.assert_array_equal(lower, [[0.5, 1.0], [2.5, 3.0]])
    np.testing.assert_array_equal(upper, [[1.5, 3.0], [3.5, 5.0]])
    assert interval_coverage(np.array([[1.5, 0.0], [3.0, 9.0]]), lower, upper) == 0.5  # edges count as inside


@pytest.mark.parametrize("coverage", [0, 1, 1.5, -0.1, True, "0.9"])
def test_bad_coverage_is_a_clear_error(coverage):
    with pytest.raises(ValueError, match="coverage must be a number between 0 and 1"):
        conformal_quantile(np.ones((5, 1)), coverage)


def test_no_residuals_is_a_clear_error():
    with pytest.raises(ValueError, match="fit with val_fraction > 0"):
        conformal_quantile(np.zeros((0, 3)), 0.9)


# ------------------------------------------------------------- in the Forecaster

FAST = dict(look_back=12, horizon=4, hidden_size=8, epochs=3, batch_size=32, lr=1e-2, verbose=False)


@pytest.fixture(scope="module")
def series():
    return load_dataset("temperatures").iloc[-400:]


@pytest.fixture(scope="module")
def fitted(series):
    return Forecaster(**FAST).fit(series, target="Temp")


def test_residuals_are_the_validation_errors(fitted, series):
    val = fitted.split_.val
    pred = fitted.predict(series)
    origins = np.flatnonzero(series.index.isin(pred.index))
    in_val = origins >= val.start
    y = series["Temp"].to_numpy()
    actual = y[origins[in_val][:, None] + np.arange(4)]  # (n_val, 4)
    assert fitted.residuals_.shape == (in_val.sum(), 4) == (val.stop - val.start - 3, 4)
    # float32 model: fit and predict cut the windows into different batches, and a row's rounding
    # in the compiled kernels depends on the rows it shares a BLAS call with.
    np.testing.assert_allclose(fitted.residuals_, np.abs(actual - pred.to_numpy()[in_val]), rtol=1e-4, atol=1e-5)


def test_forecast_with_coverage_adds_the_conformal_band(fitted):
    plain = fitted.forecast()
    banded = fitted.forecast(coverage=0.8)
    assert list(banded.columns) == ["Temp", "lower", "upper"]
    pd.testing.assert_series_equal(banded["Temp"], plain["Temp"])
    n = len(fitted.residuals_)
    q = np.sort(fitted.residuals_, axis=0)[math.ceil((n + 1) * 0.8) - 1]  # (4,)
    np.testing.assert_allclose(banded["upper"] - banded["Temp"], q, rtol=1e-12)
    np.testing.assert_allclose(banded["Temp"] - banded["lower"], q, rtol=1e-12)
    wider = fitted.forecast(coverage=0.95)
    assert (wider["upper"] - wider["lower"] >= banded["upper"] - banded["lower"]).all()


def test_a_coverage_the_validation_windows_cannot_support_is_refused(fitted, series):
    """77 validation windows support up to 77 / 78: for 0.99 forecast used to give the capped band of
    ACI (its largest score, a 98.7% band) without a word; forecast and evaluate now refuse."""
    n = len(fitted.residuals_)
    assert n == 77
    refusal = (r"^coverage=0.99 needs at least 99 calibration errors and the validation windows give 77: the "
               r"largest coverage they support is 0.9871 \(a larger val_fraction keeps more\)$")
    with pytest.raises(TooFewCalibrationErrors, match=refusal):
        fitted.forecast(coverage=0.99)
    with pytest.raises(TooFewCalibrationErrors, match=refusal):
        fitted.evaluate(series, coverage=0.99)
    band = fitted.forecast(coverage=0.9871)
    assert np.isfinite(band[["lower", "upper"]].to_numpy()).all()


def test_a_loaded_model_gives_the_same_intervals(fitted, tmp_path):
    loaded = Forecaster.load(fitted.save(tmp_path / "m"))
    np.testing.assert_array_equal(loaded.residuals_, fitted.residuals_)
    pd.testing.assert_frame_equal(loaded.forecast(coverage=0.9), fitted.forecast(coverage=0.9))


def test_without_validation_there_are_no_intervals(series):
    fc = Forecaster(**dict(FAST, val_fraction=0.0)).fit(series, target="Temp")
    assert fc.residuals_.shape == (0, 4)
    with pytest.raises(ValueError, match="fit it with val_fraction > 0"):
        fc.forecast(coverage=0.9)
