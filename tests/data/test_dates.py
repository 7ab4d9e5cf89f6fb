"""Time zones are kept (or refused with a reason), and survive a saved model."""

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster
from lstmcast.data import DataError, read_series


def hourly(tz, periods=120, start="2021-06-01"):
    return pd.date_range(start, periods=periods, freq="h", tz=tz, name="date")


def test_a_fixed_offset_in_a_file_is_kept(tmp_path):
    path = tmp_path / "tz.csv"
    index = hourly("Asia/Kolkata", 5)
    pd.DataFrame({"date": index.strftime("%Y-%m-%dT%H:%M:%S%z"), "y": np.arange(5.0)}).to_csv(path, index=False)
    table = read_series(path, "y")
    assert str(table.dates.tz) == "UTC+05:30" and table.dates[0].hour == 0
    assert table.future_dates(1)[0] == pd.Timestamp("2021-06-01 05:00", tz="Asia/Kolkata")


def test_offsets_that_change_in_a_file_are_refused_with_the_reason(tmp_path):
    path = tmp_path / "dst.csv"
    index = hourly("Europe/Berlin", 60, start="2021-03-27")  # the clocks go forward on 2021-03-28
    pd.DataFrame({"date": index.strftime("%Y-%m-%dT%H:%M:%S%z"), "y": np.arange(60.0)}).to_csv(path, index=False)
    with pytest.raises(DataError, match=r"^dst\.csv: column 'date' mixes time zones \(line 2: \+0100, "
                                        r"line 28: \+0200; daylight saving time\?\)"):
        read_series(path, "y")


def test_a_named_zone_is_kept_through_fit_save_and_load(tmp_path):
    index = hourly("America/New_York")
    frame = pd.DataFrame({"y": np.sin(np.arange(len(index)) / 5.0)}, index=index)
    fc = Forecaster(look_back=12, horizon=3, hidden_size=4, epochs=1, verbose=False).fit(frame, target="y")
    before = fc.forecast()
    assert before.index[0] == pd.Timestamp("2021-06-06 00:00", tz="America/New_York")
    loaded = Forecaster.load(fc.save(tmp_path / "m"))
    after = loaded.forecast()
    pd.testing.assert_index_equal(after.index, before.index)  # the same local hours, not UTC
    np.testing.assert_array_equal(after.to_numpy(), before.to_numpy())
