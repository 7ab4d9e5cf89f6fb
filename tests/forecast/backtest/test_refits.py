"""A backtest's fits run as tasks: on a Dask cluster they give the numbers of a serial run, bit for bit."""

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster
from lstmcast.forecast.backtest.refits import FitCopy, fitted_in_order
from lstmcast.parallel import TaskError, TaskRunner

from ...conftest import seasonal_panel, small

pytest.importorskip("distributed")


def _series(n=230, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return pd.DataFrame({"date": pd.date_range("2020-01-01", periods=n, freq="D"),
                         "y": 10 + np.sin(2 * np.pi * t / 7) + 0.01 * t + rng.normal(0, 0.2, n)})


def _one_series_forecaster():
    return Forecaster(look_back=14, horizon=3, hidden_size=8, epochs=4, seed=3, verbose=False)


def test_one_series_refits_on_two_workers_equal_a_serial_run_bit_for_bit(cluster):
    data = _series()
    serial = _one_series_forecaster().backtest(data, target="y", refit_every=15, strong=False,
                                               client=TaskRunner(progress=False))
    spread = _one_series_forecaster().backtest(data, target="y", refit_every=15, strong=False, client=cluster)
    assert len(serial.fits) >= 3
    pd.testing.assert_frame_equal(serial.forecasts, spread.forecasts, check_exact=True)
    pd.testing.assert_frame_equal(serial.metrics, spread.metrics, check_exact=True)
    assert list(serial.fits["rows"]) == list(spread.fits["rows"])
    # the fits differ from one another (each saw more rows), so equality is not that of one model
    by_fit = serial.forecasts.groupby("origin")["forecast"].first()
    assert by_fit.nunique() > 10


def test_panel_refits_and_classical_rows_on_two_workers_equal_a_serial_run_bit_for_bit(cluster):
    frame = seasonal_panel(n_series=3, seed=4)
    model = small(epochs=5)
    serial = model.backtest(frame, id_column="unique_id", refit_every=12, strong=True,
                            client=TaskRunner(progress=False))
    spread = model.backtest(frame, id_column="unique_id", refit_every=12, strong=True, client=cluster)
    assert len(serial.fits) >= 3
    pd.testing.assert_frame_equal(serial.forecasts, spread.forecasts, check_exact=True)
    pd.testing.assert_frame_equal(serial.metrics, spread.metrics, check_exact=True)
    assert serial.verdict == spread.verdict


def test_serial_fits_are_made_one_at_a_time_when_asked_for():
    made = []

    def data(rows):
        def cut():
            made.append(rows)
            return _series().iloc[:rows]
        return cut

    fits = fitted_in_order(FitCopy(Forecaster, _one_series_forecaster().get_params(), {"target": "y"}),
                           {0: (data(150), "fit 1 of 2"), 1: (data(180), "fit 2 of 2")})
    key, model, seconds = next(fits)
    assert (key, made) == (0, [150]) and len(model.table_) == 150 and seconds > 0
    key, model, _ = next(fits)
    assert (key, made) == (1, [150, 180]) and len(model.table_) == 180


def test_a_fit_that_fails_on_the_cluster_is_named(cluster):
    fit_copy = FitCopy(Forecaster, _one_series_forecaster().get_params(), {"target": "y"})
    items = {0: (_series().iloc[:150], "fit 1 of 2"), 1: (_series().iloc[:10], "fit 2 of 2")}  # 10 rows: too few
    with pytest.raises(TaskError, match=r"1 of 2 fit tasks failed; fit '1' failed: DataError"):
        list(fitted_in_order(fit_copy, items, cluster))
