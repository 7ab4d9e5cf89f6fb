"""Walk-forward backtest: no peeking past an origin, refits on schedule, honest metrics and coverage."""

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster, load_dataset
from lstmcast.data.errors import DataError
from lstmcast.forecast.backtest.walk_forward import refit_origins

FAST = dict(look_back=10, horizon=2, hidden_size=6, epochs=3, batch_size=32, lr=1e-2, verbose=False)


@pytest.fixture(scope="module")
def apple():
    return load_dataset("apple").iloc[-260:]


@pytest.mark.parametrize("options, features", [
    (dict(), ["Volume", "HighLow"]),
    (dict(target_transform="log_return"), ["Return", "LogVolume"]),
])
def test_no_forecast_reads_data_at_or_after_its_origin(apple, options, features):
    """Poison every value from a refit origin on: forecasts up to that origin stay exactly the same."""
    settings = dict(target="Close", features=features, start=200, step=3, refit_every=20, coverage=0.8)
    clean = Forecaster(**FAST, **options).backtest(apple, **settings)
    fit_rows = clean.fits["rows"].to_list()
    assert fit_rows == [200, 221, 242]  # origins 200, 203, ...: a refit once 20 rows have passed
    cut_date = clean.fits["first_origin"].iloc[-1]  # the last refit origin
    poisoned = apple.copy()
    late = poisoned.index >= cut_date
    rng = np.random.default_rng(0)
    poisoned.loc[late] = 1e9 * (1 + rng.random((late.sum(), apple.shape[1])))  # huge nonsense
    dirty = Forecaster(**FAST, **options).backtest(poisoned, **settings)

    before = clean.forecasts["origin"] <= cut_date
    assert before.sum() == 15 * 2  # origins 200 .. 242, two steps each
    columns = ["origin", "date", "step", "forecast", "lower", "upper", "naive", "fitted_until"]
    pd.testing.assert_frame_equal(dirty.forecasts.loc[before, columns], clean.forecasts.loc[before, columns],
                                  check_exact=True)
    # the poison did reach the later forecasts, so the check above could have failed
    after = ~before
    assert not np.allclose(dirty.forecasts.loc[after, "forecast"], clean.forecasts.loc[after, "forecast"])


def test_each_origin_is_forecast_by_a_model_fitted_before_it(apple):
    result = Forecaster(**FAST).backtest(apple, target="Close", start=-40, step=1, refit_every=15)
    f = result.forecasts
    assert (f["fitted_until"] < f["origin"]).all()
    assert (f["date"] >= f["origin"]).all()
    n = len(apple)
    expected_fits = [n - 40, n - 25, n - 10]
    assert result.fits["rows"].to_list() == expected_fits
    assert result.n_origins == 40 - 1  # the last origin needs horizon = 2 actual values
    # the forecast at a refit origin is what a Forecaster fitted on the rows before it forecasts
    o = expected_fits[1]
    alone = Forecaster(**FAST).fit(apple.iloc[:o], target="Close").forecast()
    at_o = f[f["origin"] == apple.index[o]]
    np.testing.assert_allclose(at_o["forecast"].to_numpy(), alone["Close"].to_numpy(), rtol=1e-6)  # float32 network


def test_metrics_are_over_all_origins_against_baselines(apple):
    result = Forecaster(**FAST).backtest(apple, target="Close", start=0.8, step=2, coverage=None, strong=False)
    f = result.forecasts
    assert list(result.metrics.index) == ["LSTM", "naive", "seasonal naive", "drift"]
    assert result.metrics.loc["LSTM", "MAE"] == pytest.approx(np.mean(np.abs(f["actual"] - f["forecast"])))
    close = apple["Close"].to_numpy()
    origins = np.flatnonzero(apple.index.isin(f["origin"]))
    assert origins[0] == round(0.8 * len(apple)) and (np.diff(origins) == 2).all()
    actual = close[origins[:, None] + np.arange(2)]  # (M, 2)
    assert result.metrics.loc["naive", "MAE"] == pytest.approx(np.mean(np.abs(actual - close[origins - 1, None])))
    np.testing.assert_allclose(f["actual"].to_numpy(), actual.ravel())
    assert "naive" in result.verdict and result.metrics.attrs["windows"] == len(origins)
    assert result.coverage is None and f["lower"].isna().all()
    assert "not asked" in result.coverage_line()


def test_coverage_reported_is_the_share_inside(apple):
    result = Forecaster(**FAST).backtest(apple, target="Close", start=-60, coverage=0.9)
    f = result.forecasts
    inside = ((f["lower"] <= f["actual"]) & (f["actual"] <= f["upper"])).mean()
    assert result.coverage == pytest.approx(inside) and result.asked_coverage == 0.9
    assert "90% intervals held" in result.coverage_line()


def test_interval_coverage_on_daily_temperatures_is_near_the_asked_coverage():
    """A shortened version of the README run (which reaches 91.8% for 90% asked over 1989-1990)."""
    temperatures = load_dataset("temperatures").iloc[-1460:]
    fc = Forecaster(look_back=14, hidden_size=8, epochs=4, horizon=3, val_fraction=0.35, batch_size=64,
                    lr=1e-2, verbose=False)
    result = fc.backtest(temperatures, target="Temp", start=-365, coverage=0.9)
    assert result.n_origins == 363
    assert abs(result.coverage - 0.9) <= 0.05


def test_the_estimator_is_left_as_it_was(apple):
    fc = Forecaster(**FAST)
    fc.backtest(apple, target="Close", start=-10)
    assert not hasattr(fc, "network_")
    fitted = Forecaster(**FAST).fit(apple, target="Close", features=["Volume"])
    before = fitted.forecast()
    result = fitted.backtest(apple, start=-10)  # target and features from the fitted model
    pd.testing.assert_frame_equal(fitted.forecast(), before)
    assert result.target == "Close"


def test_refit_schedule():
    origins = np.arange(100, 130, 4)  # 100, 104, ..., 128
    assert refit_origins(origins, None).tolist() == [100]
    assert refit_origins(origins, 10).tolist() == [100, 112, 124]
    assert refit_origins(origins, 1).tolist() == origins.tolist()


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(step=0), ValueError, "step must be a positive integer, got 0"),
    (dict(refit_every=0), ValueError, "refit_every must be a positive integer, got 0"),
    (dict(coverage=1.2), ValueError, "coverage must be a number between 0 and 1"),
    (dict(start=1.5), ValueError, r"start must be a share of the rows in \(0, 1\)"),
    (dict(start="not a date"), ValueError, "start must be a row number, a fraction"),
    (dict(start=-1), DataError, "no origin between start=-1"),
    (dict(start=5), DataError, "fitting on the 5 rows before"),
])
def test_bad_arguments_are_clear_errors(apple, kwargs, error, message):
    with pytest.raises(error, match=message):
        Forecaster(**FAST).backtest(apple, target="Close", **kwargs)


def test_coverage_needs_validation_rows(apple):
    with pytest.raises(ValueError, match="coverage needs validation residuals"):
        Forecaster(**dict(FAST, val_fraction=0.0)).backtest(apple, target="Close", start=-5)


def test_each_refit_is_labelled_fit_k_of_n(capsys):
    fc = Forecaster(look_back=12, horizon=3, hidden_size=4, epochs=1, verbose=True)
    fc.backtest(load_dataset("airline"), target="Passengers", start=120, refit_every=8, step=4, coverage=None)
    out = capsys.readouterr().out
    assert [line.split(" ━")[0] for line in out.splitlines() if line.startswith("fit ")] == \
        ["fit 1 of 3", "fit 2 of 3", "fit 3 of 3"]


def test_a_table_with_gaps_warns_once_not_once_per_refit():
    import warnings

    from lstmcast.data.errors import DataWarning

    frame = load_dataset("airline").drop(pd.Timestamp("1955-06-01"))
    fc = Forecaster(look_back=12, horizon=3, hidden_size=4, epochs=1, verbose=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fc.backtest(frame, target="Passengers", start=120, refit_every=8, step=4, coverage=None)
    said = [w for w in caught if issubclass(w.category, DataWarning)]
    assert len(said) == 1 and "1 of 144 dates are missing" in str(said[0].message)


def test_a_coverage_the_validation_windows_cannot_support_is_refused_after_the_first_fit(capsys):
    """120 rows, the last 24 validating: 19 windows support coverages up to 0.95; 0.99 is refused with
    one line as soon as the first model shows it (the other fits never run), never ±inf or a capped band."""
    from lstmcast.forecast.intervals.conformal_quantile import TooFewCalibrationErrors

    fc = Forecaster(look_back=12, horizon=6, hidden_size=4, epochs=1, verbose=True)
    with pytest.raises(TooFewCalibrationErrors, match=r"^coverage=0.99 needs at least 99 calibration errors and "
                                                      r"the validation windows give 19: the largest coverage they "
                                                      r"support is 0.95 "):
        fc.backtest(load_dataset("airline"), target="Passengers", start=120, refit_every=8, step=4, coverage=0.99)
    fits = [line.split(" ━")[0] for line in capsys.readouterr().out.splitlines() if line.startswith("fit ")]
    assert fits == ["fit 1 of 3"]


def test_calibration_levels_the_validation_windows_cannot_support_are_nan(apple):
    """39 validation windows: the 0.99 row (99 needed) is NaN, not the 100% of an infinite interval."""
    result = Forecaster(**FAST).backtest(apple, target="Close", start=-60, coverage=0.9)
    table = result.calibration
    assert table.loc[0.99].isna().all()
    assert table.drop(index=0.99).notna().all().all() and (table.drop(index=0.99) < 1).any().any()
