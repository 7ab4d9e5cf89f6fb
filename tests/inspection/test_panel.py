"""Looking inside a model fitted on many series: one window of one series, read as its forecast reads it."""

import numpy as np
import pandas as pd
import pytest

from lstmcast.data import DataError

from ..conftest import small


def test_the_last_window_of_a_series_is_the_one_its_forecast_reads(global_model, panel_frame):
    ins = global_model.inspect(series="s3")
    rows = panel_frame[panel_frame.unique_id == "s3"]
    forecast = global_model.forecast()
    # float32 sums in a batch of 6 windows or of 1 differ in the last bits
    np.testing.assert_allclose(ins.output, forecast.loc[forecast.unique_id == "s3", "forecast"], rtol=1e-6)
    assert ins.labels == [d.strftime("%Y-%m-%d") for d in rows["ds"].iloc[-24:]]
    np.testing.assert_array_equal(ins.series, rows["y"].to_numpy()[-24:])
    assert ins.gates[(0, 0)]["f"].shape == (24, 16) and ins.grad_h_norm().shape == (24,)
    earlier = global_model.inspect(series="s3", window=0)
    assert earlier.labels[0] == rows["ds"].iloc[0].strftime("%Y-%m-%d")
    assert not np.allclose(earlier.gates[(0, 0)]["f"], ins.gates[(0, 0)]["f"])


def test_each_series_is_scaled_as_its_own_and_a_copy_reads_the_same(global_model, panel_frame):
    s3 = panel_frame[panel_frame.unique_id == "s3"]
    data = pd.concat([panel_frame, s3.assign(unique_id="copy")])
    copy, own, other = (global_model.inspect(data, series=name) for name in ("copy", "s3", "s4"))
    np.testing.assert_allclose(copy.gates[(0, 0)]["f"], own.gates[(0, 0)]["f"], rtol=1e-4, atol=1e-6)
    assert not np.allclose(other.gates[(0, 0)]["f"], own.gates[(0, 0)]["f"], atol=1e-3)


def test_the_series_must_be_named_and_known(global_model, panel_frame):
    with pytest.raises(ValueError, match=r"name the series to inspect with series= \(6 series: 's0', 's1'"):
        global_model.inspect()
    with pytest.raises(ValueError, match="series='nope' is not in the data"):
        global_model.inspect(series="nope")
    with pytest.raises(ValueError, match=r"window must be an int in \["):
        global_model.inspect(series="s0", window=10_000)
    one = small(epochs=1).fit(panel_frame[panel_frame.unique_id == "s0"].drop(columns="unique_id").set_index("ds"), target="y")
    with pytest.raises(ValueError, match="fitted on one series"):
        one.inspect(series="s0")
    local = small(epochs=1, mode="local").fit(panel_frame[panel_frame.unique_id.isin(["s0", "s1"])], id_column="unique_id")
    assert local.inspect(series="s1").gates[(0, 0)]["f"].shape == (24, 16)
    with pytest.raises(DataError, match="per-series models"):
        local.inspect(panel_frame, series="s2")
