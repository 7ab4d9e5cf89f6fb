"""M4 scoring (sMAPE, MASE, OWA, MSIS, ACD) and the published M4 Hourly benchmark values."""

from pathlib import Path

import numpy as np
import pytest

from lstmcast.data import read_wide_pair
from lstmcast.forecast.scores.baselines import naive, naive2, naive_bounds, seasonal_naive
from lstmcast.forecast.scores.m4 import M4_HORIZONS, M4_SEASONS, m4_table, owa, series_scores

SHARED = Path(__file__).parents[3] / ".." / "shared" / "data"
M4_TRAIN, M4_TEST = SHARED / "M4-Hourly-train.csv", SHARED / "M4-Hourly-test.csv"


def test_series_scores_follow_the_m4_definitions():
    histories = [np.array([1.0, 2.0, 4.0, 8.0]), np.array([10.0, 10.0, 10.0, 12.0, 13.0])]
    actual = np.array([[10.0, 12.0], [14.0, 14.0]])
    forecast = np.array([[8.0, 12.0], [14.0, 10.0]])
    scores = series_scores(actual, forecast, histories, season=2, ids=["p", "q"])
    assert list(scores.index) == ["p", "q"]
    assert scores.loc["p", "sMAPE"] == pytest.approx(np.mean([200 * 2 / 18, 0.0]))
    assert scores.loc["p", "MASE"] == pytest.approx(1.0 / np.mean([3.0, 6.0]))  # |4-1|, |8-2|
    assert scores.loc["q", "MASE"] == pytest.approx(2.0 / np.mean([0.0, 2.0, 3.0]))


def test_table_gives_owa_relative_to_naive2_and_pools_coverage_for_acd():
    histories = [np.arange(1.0, 11.0), np.arange(5.0, 25.0)]
    actual = np.array([[11.0, 12.0, 13.0], [25.0, 26.0, 27.0]])
    bands = {"good": (actual - 1, actual + 1), "Naive2": (actual + 0.5, actual + 2)}
    forecasts = {"Naive2": np.array([[10.0] * 3, [24.0] * 3]), "good": actual + 0.5}
    table = m4_table(actual, forecasts, histories, season=1, bands=bands, coverage=0.95)
    assert list(table.index) == ["Naive2", "good"] and list(table.columns) == ["sMAPE", "MASE", "OWA", "MSIS", "ACD"]
    assert table.loc["Naive2", "OWA"] == pytest.approx(1.0)
    expected = owa(table.loc["good", "sMAPE"], table.loc["good", "MASE"], table.loc["Naive2", "sMAPE"],
                   table.loc["Naive2", "MASE"])
    assert table.loc["good", "OWA"] == pytest.approx(expected) and expected < 1
    assert table.loc["good", "ACD"] == pytest.approx(0.05)  # every value inside: coverage 1
    assert table.loc["Naive2", "ACD"] == pytest.approx(0.95)  # none inside
    # MSIS: width 2 everywhere inside; the in-sample naive scale of both histories is 1
    assert table.loc["good", "MSIS"] == pytest.approx(2.0)
    no_bands = m4_table(actual, forecasts, histories, season=1)
    assert np.isnan(no_bands.loc["good", "MSIS"]) and np.isnan(no_bands.loc["good", "ACD"])


def test_bad_arguments_are_named():
    actual = np.ones((2, 3))
    with pytest.raises(ValueError, match="that includes 'Naive2'"):
        m4_table(actual, {"x": actual}, [np.arange(5.0)] * 2, 1)
    with pytest.raises(ValueError, match="histories must hold one series per row of actual"):
        series_scores(actual, actual, [np.arange(5.0)], 1)
    with pytest.raises(ValueError, match="lower and upper must be given together"):
        series_scores(actual, actual, [np.arange(5.0)] * 2, 1, lower=actual)
    with pytest.raises(ValueError, match="bands name methods that have no forecasts: 'ghost'"):
        m4_table(actual, {"Naive2": actual}, [np.arange(5.0)] * 2, 1, bands={"ghost": (actual, actual)})


@pytest.fixture(scope="module")
def hourly():
    if not (M4_TRAIN.exists() and M4_TEST.exists()):
        pytest.skip("the M4 Hourly files are not in ../shared/data next to the repository")
    history, future = read_wide_pair(M4_TRAIN, M4_TEST)
    histories = [history.target_values(i) for i in history.ids]
    actual = np.stack([future.target_values(i) for i in history.ids])  # (414, 48)
    return histories, actual


def test_benchmarks_reproduce_the_published_m4_hourly_table(hourly):
    histories, actual = hourly
    m, h = M4_SEASONS["Hourly"], M4_HORIZONS["Hourly"]
    assert actual.shape == (414, h)

    def each(method, *args):
        return np.concatenate([method(x, np.array([len(x)]), h, *args) for x in histories])  # (414, 48)

    forecasts = {"Naive2": each(naive2, m), "sNaive": each(seasonal_naive, m), "Naive": each(naive)}
    bounds = [naive_bounds(x, np.array([len(x)]), h, 0.95) for x in histories]
    bands = {"Naive": (np.concatenate([b[0] for b in bounds]), np.concatenate([b[1] for b in bounds]))}
    table = m4_table(actual, forecasts, histories, m, bands=bands, coverage=0.95)
    published = {"Naive2": (18.383, 2.395, 1.000), "sNaive": (13.912, 1.193, 0.627), "Naive": (43.003, 11.608, 3.593)}
    for method, (smape, mase, owa_value) in published.items():
        assert table.loc[method, "sMAPE"] == pytest.approx(smape, abs=0.01)
        assert table.loc[method, "MASE"] == pytest.approx(mase, abs=0.01)
        assert table.loc[method, "OWA"] == pytest.approx(owa_value, abs=0.002)
    assert table.loc["Naive", "MSIS"] == pytest.approx(71.245, abs=0.01)  # published 95% intervals of Naive
    assert table.loc["Naive", "ACD"] == pytest.approx(0.011, abs=0.001)
