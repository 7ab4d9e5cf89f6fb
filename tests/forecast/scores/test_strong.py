"""AutoETS / AutoARIMA / AutoTheta: known answers, no peeking, the LSTM's windows, and saying when not run."""

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster
from lstmcast.forecast.scores import strong
from lstmcast.forecast.scores.metrics import mae

pytest.importorskip("statsforecast")

T = np.arange(40)
PATTERN = np.tile([1.0, -1.0, 2.0, -2.0], 10)  # season 4
TRENDED = 10 + 0.5 * T + PATTERN  # (40,)
ORIGINS = np.array([32, 34, 36])


def test_a_trend_plus_season_is_forecast_exactly():
    result = strong.strong_forecasts(TRENDED, 32, ORIGINS, 4, season=4)
    truth = TRENDED[ORIGINS[:, None] + np.arange(4)]  # (3, 4)
    assert set(result.forecasts) == set(strong.STRONG_MODELS) and not result.not_run
    np.testing.assert_allclose(result.forecasts["AutoETS"], truth, atol=1e-6)
    np.testing.assert_allclose(result.forecasts["AutoARIMA"], truth, atol=1e-6)
    level = strong.strong_forecasts(3.0 + PATTERN, 32, ORIGINS, 4, season=4, models=("AutoTheta",))
    np.testing.assert_allclose(level.forecasts["AutoTheta"], (3.0 + PATTERN)[ORIGINS[:, None] + np.arange(4)], atol=1e-6)


def test_nothing_at_or_after_an_origin_is_read():
    series = TRENDED.copy()
    before = strong.strong_forecasts(series, 32, ORIGINS, 4, season=4)
    series[34:] = 1e6  # the future of the first origin, and more
    after = strong.strong_forecasts(series, 32, ORIGINS[:1], 4, season=4)
    for name in strong.STRONG_MODELS:
        np.testing.assert_array_equal(after.forecasts[name][0], before.forecasts[name][0])


def test_origins_before_the_fitting_rows_end_are_refused():
    with pytest.raises(ValueError, match=r"origins must lie in \[fit_end, len\(series\)\]"):
        strong.strong_forecasts(TRENDED, 33, ORIGINS, 4, season=4)


def _frame(values):
    return pd.DataFrame({"y": values}, index=pd.date_range("2000-01-01", periods=len(values), freq="QS"))


FAST = dict(look_back=8, horizon=4, hidden_size=4, epochs=2, verbose=False, season=4)


def test_evaluate_scores_the_classical_models_on_the_lstms_windows():
    frame = _frame(TRENDED)
    fc = Forecaster(**FAST).fit(frame.iloc[:32])
    table = fc.evaluate(frame, start=32)
    origins = np.arange(32, 37)  # every window with 4 actual values from row 32 on
    assert table.attrs["windows"] == len(origins)
    classical = strong.strong_forecasts(TRENDED, 32, origins, 4, season=4)
    truth = TRENDED[origins[:, None] + np.arange(4)]
    for name in strong.STRONG_MODELS:
        assert table.loc[name, "MAE"] == pytest.approx(mae(truth, classical.forecasts[name]), rel=1e-12)
    assert table.loc["AutoARIMA", "MAE"] < 1e-6
    assert "strongest: Auto" in table.attrs["verdict"]


def test_backtest_fits_the_classical_models_where_the_lstm_is_fitted():
    frame = _frame(TRENDED)
    result = Forecaster(**FAST).backtest(frame, start=30, refit_every=4, coverage=None)
    assert result.metrics.loc["AutoETS", "MAE"] < 1e-6
    assert "not run" not in result.verdict


def test_without_statsforecast_the_verdict_says_what_was_not_run(monkeypatch):
    monkeypatch.setattr(strong, "statsforecast_installed", lambda: False)
    frame = _frame(TRENDED)
    table = Forecaster(**FAST).fit(frame.iloc[:32]).evaluate(frame, start=32)
    assert not set(strong.STRONG_MODELS) & set(table.index)
    assert ("not run: AutoETS, AutoARIMA, AutoTheta, MSTL (statsforecast is not installed: "
            "pip install 'lstmcast[baselines]')") in table.attrs["verdict"]


def test_a_costly_default_run_is_skipped_and_said_so(monkeypatch):
    monkeypatch.setattr(strong, "WORK_LIMIT", 100)
    frame = _frame(TRENDED)
    fc = Forecaster(**FAST).fit(frame.iloc[:32])
    table = fc.evaluate(frame, start=32)  # 5 origins over 32-36 rows: 170 rows to filter
    assert not set(strong.STRONG_MODELS) & set(table.index)
    assert "not run: AutoETS, AutoARIMA, AutoTheta, MSTL (skipped: 5 origins over up to 36 rows" in table.attrs["verdict"]
    assert "AutoARIMA" in fc.evaluate(frame, start=32, strong=True).index
    quiet = fc.evaluate(frame, start=32, strong=False)
    assert "not run" not in quiet.attrs["verdict"] and "AutoETS" not in quiet.index


def test_a_costly_backtest_skips_every_fit_alike(monkeypatch):
    monkeypatch.setattr("lstmcast.forecast.backtest.walk_forward.WORK_LIMIT", 100)
    monkeypatch.setattr(strong, "WORK_LIMIT", 100)
    result = Forecaster(**FAST).backtest(_frame(TRENDED), start=30, refit_every=4, coverage=None)
    assert not set(strong.STRONG_MODELS) & set(result.metrics.index)
    assert "skipped: 7 origins" in result.verdict
