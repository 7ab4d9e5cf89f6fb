"""Walk-forward backtests on many series: each forecast from a fit on rows before its origin only."""

import numpy as np
import pandas as pd
import pytest

from lstmcast.data import DataError
from lstmcast.forecast.backtest.panel_walk_forward import fit_numbers

from ...conftest import seasonal_panel, small

HORIZON = 6  # small()'s


@pytest.fixture(scope="module")
def frame():
    return seasonal_panel()


@pytest.fixture(scope="module")
def result(frame):
    return small().backtest(frame, id_column="unique_id", refit_every=12, strong=False)


def test_every_series_is_walked_from_its_last_fifth_with_a_fit_every_12_rows(result, frame):
    lengths = frame.groupby("unique_id", sort=False).size()
    firsts = (0.8 * lengths).round().astype(int)
    out = result.forecasts
    assert list(out.columns) == ["unique_id", "origin", "ds", "step", "actual", "forecast", "lower", "upper", "fit"]
    for name, rows in out.groupby("unique_id", sort=False):
        times = frame.loc[frame.unique_id == name, "ds"].reset_index(drop=True)
        origins = np.arange(firsts[name], lengths[name] - HORIZON + 1)
        assert list(rows["origin"].iloc[::HORIZON]) == list(times[origins])
        assert list(rows["step"]) == list(np.tile(np.arange(1, HORIZON + 1), len(origins)))
        np.testing.assert_array_equal(rows["actual"], frame.loc[frame.unique_id == name, "y"].to_numpy()[
            (origins[:, None] + np.arange(HORIZON)).ravel()])
        assert list(rows["fit"].iloc[::HORIZON]) == list(1 + (origins - origins[0]) // 12)
    fits = result.fits
    assert list(fits["rows_after_first_origin"]) == [12 * k for k in range(len(fits))]
    assert list(fits["rows"]) == [int(np.minimum(firsts + cut, lengths).sum()) for cut in fits["rows_after_first_origin"]]


def test_nothing_after_a_fit_is_read_by_its_forecasts(result, frame):
    lengths = frame.groupby("unique_id", sort=False).size()
    poisoned = []
    for name, rows in frame.groupby("unique_id", sort=False):
        rows = rows.copy()
        rows.loc[rows.index[int(round(0.8 * lengths[name])) + 12 :], "y"] = 1e9  # from where fit 2 is made on
        poisoned.append(rows)
    again = small().backtest(pd.concat(poisoned), id_column="unique_id", refit_every=12, strong=False)
    first = result.forecasts["fit"] == 1
    pd.testing.assert_frame_equal(again.forecasts.loc[first, ["origin", "forecast", "lower", "upper"]],
                                  result.forecasts.loc[first, ["origin", "forecast", "lower", "upper"]])
    assert not np.allclose(again.forecasts.loc[~first, "forecast"], result.forecasts.loc[~first, "forecast"])


def test_one_fit_forecasts_as_a_model_fitted_on_the_rows_before_the_first_origins(frame):
    single = small().backtest(frame, id_column="unique_id", start=150, step=5, coverage=None, strong=False)
    assert len(single.fits) == 1 and single.coverage is None and single.forecasts["lower"].isna().all()
    cut = frame.groupby("unique_id", sort=False).head(150)
    model = small().fit(cut, id_column="unique_id")
    predicted = model.predict(frame).set_index(["unique_id", "ds"])
    for (name, origin), rows in single.forecasts.groupby(["unique_id", "origin"], sort=False):
        # to float32 rounding: the origins are batched differently (see test_panel_forecaster's chunk test)
        np.testing.assert_allclose(rows["forecast"].to_numpy(), predicted.loc[(name, origin)].to_numpy(), rtol=1e-6)
    assert (single.forecasts.groupby("unique_id")["origin"].nunique()
            == frame.groupby("unique_id").size().sub(150 + HORIZON).floordiv(5).add(1)).all()


def test_scores_are_the_panel_scores_on_the_backtest_origins(result):
    table = result.metrics
    per = table.attrs["per_series"]
    assert len(per) == 6 and table.loc["LSTM", "MASE"] == pytest.approx(per["MASE"].mean())
    assert table.loc["LSTM", "MASE"] < table.loc["naive", "MASE"]
    assert {"naive", "seasonal naive", "drift", "Naive2"} <= set(table.index)
    assert result.verdict == table.attrs["verdict"]
    inside = ((result.forecasts["actual"] >= result.forecasts["lower"])
              & (result.forecasts["actual"] <= result.forecasts["upper"])).groupby(result.forecasts["unique_id"])
    assert result.coverage == pytest.approx(inside.mean().mean()) and result.asked_coverage == 0.9


def test_fit_numbers():
    origins = {"a": np.arange(10, 30), "b": np.arange(50, 55)}
    assert all((n == 0).all() for n in fit_numbers(origins, None).values())
    numbers = fit_numbers(origins, 8)
    assert list(numbers["a"]) == [0] * 8 + [1] * 8 + [2] * 4 and list(numbers["b"]) == [0] * 5
    with pytest.raises(ValueError, match="refit_every"):
        fit_numbers(origins, 0)


def test_mistakes_are_named(frame):
    with pytest.raises(ValueError, match="end=180: a backtest on many series"):
        small().backtest(frame, id_column="unique_id", end=180)
    with pytest.raises(DataError, match="training rows before its validation rows"):  # too few to fit on
        small().backtest(frame, id_column="unique_id", start=30, strong=False)
