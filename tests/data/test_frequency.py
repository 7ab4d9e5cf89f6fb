"""Dates missing from the spacing: said (warning or error) and repaired with fill."""

import warnings

import numpy as np
import pandas as pd
import pytest

from lstmcast.data import DataError, read_series
from lstmcast.data.errors import DataWarning


def monthly_file(tmp_path, drop):
    months = pd.date_range("1949-01-01", periods=144, freq="MS").delete(drop)
    path = tmp_path / "monthly.csv"
    pd.DataFrame({"Month": months.strftime("%Y-%m-%d"), "y": np.arange(len(months), dtype=float)}).to_csv(path, index=False)
    return path


def test_many_missing_months_are_an_error_that_offers_fill(tmp_path):
    path = monthly_file(tmp_path, list(range(3, 140, 4)))  # every fourth month missing: 35 of 144
    with pytest.raises(DataError, match=r"^monthly\.csv: 35 of 144 dates are missing from the 'MS' spacing, the first "
                                        r"1949-04-01, too many to leave out: pass fill='ffill' or fill='interpolate'"):
        read_series(path, "y")


def test_fill_inserts_the_missing_months_and_dates_the_forecast_right(tmp_path):
    path = monthly_file(tmp_path, list(range(3, 140, 4)))
    table = read_series(path, "y", fill="interpolate")
    assert len(table) == 144 and table.freq == "MS" and table.frame.index.freqstr == "MS"
    # between March (2) and May (3), weighted by days: 31 of 61
    assert table.frame.loc["1949-04-01", "y"] == pytest.approx(2 + 31 / 61)
    assert table.future_dates(1)[0] == pd.Timestamp("1961-01-01")
    carried = read_series(path, "y", fill="ffill")
    assert carried.frame.loc["1949-04-01", "y"] == 2.0


def test_a_few_missing_dates_warn_once_and_name_the_first(tmp_path):
    path = monthly_file(tmp_path, [30])
    with pytest.warns(DataWarning, match=r"^monthly\.csv: 1 of 144 dates are missing from the 'MS' spacing, the first "
                                         r"1951-07-01; windows across a gap join values"):
        table = read_series(path, "y")
    assert table.freq == "MS" and len(table) == 143


def test_complete_dates_say_nothing(tmp_path):
    path = monthly_file(tmp_path, [])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_series(path, "y").freq == "MS"


def test_business_days_with_holidays_say_nothing():
    days = pd.bdate_range("2021-01-04", "2021-03-31").difference(pd.DatetimeIndex(["2021-01-18"]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = read_series(pd.DataFrame({"y": np.arange(len(days), dtype=float)}, index=days), "y")
    assert table.freq == "B"


def test_irregular_dates_warn_how_forecasts_are_dated():
    index = pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-04", "2020-01-07", "2020-01-09"])
    with pytest.warns(DataWarning, match=r"follow no regular spacing \(steps from 1 days 00:00:00 to 3 days "
                                         r"00:00:00\); forecasts are dated by the median step, 2 days"):
        read_series(pd.DataFrame({"y": np.arange(5.0)}, index=index), "y")


def test_too_sparse_to_fill_is_refused(tmp_path):
    path = monthly_file(tmp_path, [i for i in range(144) if i % 5 > 1])  # three of every five months missing
    with pytest.raises(DataError, match=r"more than half of the dates would be made up by fill='ffill'"):
        read_series(path, "y", fill="ffill")


def test_new_data_at_another_frequency_than_the_fitted_data_is_refused_naming_both():
    from types import SimpleNamespace

    from lstmcast.data.errors import DataError
    from lstmcast.data.frequency import check_same_frequency

    daily = SimpleNamespace(freq="D", source="train.csv")
    with pytest.raises(DataError, match=r"^new.csv: the dates are spaced 'MS', but the model was fitted on 'D' data "
                                        r"\(train.csv\); its forecasts would step 'D'"):
        check_same_frequency(SimpleNamespace(freq="MS", source="new.csv"), daily)
    for same in ("D", None):
        check_same_frequency(SimpleNamespace(freq=same, source="new.csv"), daily)
    check_same_frequency(SimpleNamespace(freq="MS", source="new.csv"), SimpleNamespace(freq=None, source="x"))


@pytest.mark.parametrize("dates, freq", [
    (pd.date_range("2021-01-01", periods=50, freq="h", name="ds"), "h"),
    (pd.date_range("2021-01-01", periods=50, freq="h").delete(7), "h"),  # a gap: no frequency
    (pd.date_range("2021-01-01", periods=1, freq="D"), "D"),
    (pd.date_range("2021-01-01", periods=9, freq="D", unit="s"), "D"),
    (pd.date_range("2021-01-01", periods=9, freq="D", unit="s"), "500ms"),  # finer than the dates' unit
    (pd.date_range("2021-01-01", periods=1, unit="s"), "500ms"),
    (pd.date_range("2021-01-01", periods=9, freq="15min"), "15min"),
    (pd.date_range("2021-01-01", periods=9, freq="15min"), "h"),
    (pd.date_range("2021-01-01", periods=9, freq="MS"), "MS"),
    (pd.date_range("2021-03-27", periods=9, freq="h", tz="Europe/Berlin"), "h"),  # across a clock change
])
def test_with_freq_attaches_a_fixed_spacing_as_pandas_own_check_does(dates, freq):
    from lstmcast.data.frequency import with_freq

    dates = pd.DatetimeIndex(dates, freq=None)
    try:
        expected = pd.DatetimeIndex(dates, freq=freq)
    except ValueError:
        expected = pd.DatetimeIndex(dates, freq=None)
    found = with_freq(dates, freq)
    assert found.equals(expected) and found.freq == expected.freq
    assert found.dtype == expected.dtype and found.name == expected.name
