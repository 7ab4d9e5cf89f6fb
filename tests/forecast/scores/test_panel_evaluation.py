"""A panel's evaluation beside the classical models: each fitted in its own series on the rows before its
first scored window, scored on exactly the LSTM's windows, and said when not run."""

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster
from lstmcast.forecast.scores import panel_evaluation, strong
from lstmcast.forecast.scores.metrics import mase

pytest.importorskip("statsforecast")

SEASON = 4
PATTERN = np.array([1.0, -1.0, 2.0, -2.0])
START = 40  # every series is scored from this row on


def trended_panel(lengths=(52, 48, 56)):
    """Series with a known future: a level and trend of their own plus a pattern of period 4, no noise."""
    frames = []
    for k, n in enumerate(lengths):
        t = np.arange(n)
        y = 10.0 ** (k + 1) + (k + 1) * 0.5 * t + (k + 1) * np.tile(PATTERN, n // SEASON + 1)[:n]
        frames.append(pd.DataFrame({"unique_id": f"s{k}", "ds": t, "y": y}))
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def frame():
    return trended_panel()


@pytest.fixture(scope="module")
def model(frame):
    return Forecaster(look_back=8, horizon=4, hidden_size=4, epochs=2, verbose=False, season=SEASON,
                      seed=0).fit(frame, id_column="unique_id")


def test_the_classical_models_are_scored_on_the_lstms_windows_in_every_series(model, frame):
    table = model.evaluate(frame, start=START, strong=True)
    per = table.attrs["per_series"]
    for name, rows in frame.groupby("unique_id", sort=False):
        y = rows["y"].to_numpy()
        origins = np.arange(START, len(y) - 4 + 1)  # every window with 4 actual values from row START on
        assert per.loc[name, "windows"] == len(origins)
        expected = strong.strong_forecasts(y, START, origins, 4, season=SEASON)
        truth = y[origins[:, None] + np.arange(4)]  # (n, 4)
        for classical in strong.STRONG_MODELS:
            assert per.loc[name, f"{classical} MASE"] == pytest.approx(
                mase(truth, expected.forecasts[classical], y[:START], SEASON), rel=1e-12)
        assert per.loc[name, "AutoARIMA MASE"] < 1e-6  # trend plus season: forecast exactly
    for classical in strong.STRONG_MODELS:
        assert table.loc[classical, "MASE"] == pytest.approx(per[f"{classical} MASE"].mean())
    assert "the best baseline (Auto" in table.attrs["verdict"] and "not run" not in table.attrs["verdict"]
    assert table.attrs["not_run"] == {}


def test_without_statsforecast_the_verdict_says_what_was_not_run(model, frame, monkeypatch):
    monkeypatch.setattr(panel_evaluation, "statsforecast_installed", lambda: False)
    table = model.evaluate(frame, start=START)
    assert not set(strong.STRONG_MODELS) & set(table.index)
    assert "not run: AutoETS, AutoARIMA, AutoTheta" in table.attrs["verdict"]
    assert "pip install 'lstmcast[baselines]'" in table.attrs["verdict"]


def test_a_costly_default_run_is_skipped_and_said_so_and_true_runs_it(model, frame, monkeypatch):
    monkeypatch.setattr(panel_evaluation, "PANEL_FIT_LIMIT", 3 * START - 1)  # one row fewer than they need
    skipped = model.evaluate(frame, start=START)
    assert not set(strong.STRONG_MODELS) & set(skipped.index)
    assert "skipped: 3 series, 120 rows to fit them on" in skipped.attrs["verdict"]
    assert "strong=True runs them" in skipped.attrs["verdict"]
    forced = model.evaluate(frame, start=START, strong=True)
    assert set(strong.STRONG_MODELS) <= set(forced.index)
    monkeypatch.setattr(panel_evaluation, "PANEL_FIT_LIMIT", 3 * START)
    assert set(strong.STRONG_MODELS) <= set(model.evaluate(frame, start=START).index)


def test_a_model_that_fails_in_one_series_has_no_aggregate_and_is_named(model, frame, monkeypatch):
    real = panel_evaluation.strong_forecasts

    def failing_in_the_second(series, fit_end, origins, horizon, season=None):
        result = real(series, fit_end, origins, horizon, season)
        if len(series) == 48:  # s1
            del result.forecasts["AutoETS"]
            result.not_run["AutoETS"] = "failed on 40 rows: boom"
        return result

    monkeypatch.setattr(panel_evaluation, "strong_forecasts", failing_in_the_second)
    table = model.evaluate(frame, start=START, strong=True)
    per = table.attrs["per_series"]
    assert "AutoETS" not in table.index and {"AutoARIMA", "AutoTheta"} <= set(table.index)
    assert np.isnan(per.loc["s1", "AutoETS MASE"]) and np.isfinite(per.loc[["s0", "s2"], "AutoETS MASE"]).all()
    assert table.attrs["not_run"] == {"AutoETS": "in 1 of 3 series: failed on 40 rows: boom"}
    assert "not run: AutoETS (in 1 of 3 series: failed on 40 rows: boom)" in table.attrs["verdict"]


def test_strong_false_leaves_them_out_without_a_word(model, frame):
    table = model.evaluate(frame, start=START, strong=False)
    assert not set(strong.STRONG_MODELS) & set(table.index)
    assert "not run" not in table.attrs["verdict"]


def test_the_classical_rows_fitted_as_cluster_tasks_equal_those_fitted_here(model, frame):
    from lstmcast.parallel import TaskRunner

    here = model.evaluate(frame, start=START, strong=True)
    with TaskRunner(workers=2, progress=False) as runner:
        there = model.evaluate(frame, start=START, strong=True, client=runner)
    pd.testing.assert_frame_equal(there, here, check_exact=True)
    pd.testing.assert_frame_equal(there.attrs["per_series"], here.attrs["per_series"], check_exact=True)
    assert there.attrs["verdict"] == here.attrs["verdict"]
