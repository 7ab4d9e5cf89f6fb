"""Calendar features from dates: cyclic pairs, holidays by country, and clear refusals."""

import numpy as np
import pandas as pd
import pytest

from lstmcast.data.calendar import calendar_columns, calendar_values, check_calendar_names, is_calendar_name
from lstmcast.data.errors import DataError


def test_cyclic_pairs_put_the_end_of_a_cycle_next_to_its_start():
    dates = pd.date_range("2024-01-01 00:00", periods=48, freq="h")
    values = calendar_values(("hour",), dates)
    assert calendar_columns(("hour",)) == ["hour_sin", "hour_cos"] and values.shape == (48, 2)
    np.testing.assert_allclose(values[0], [0.0, 1.0], atol=1e-12)  # midnight
    np.testing.assert_allclose(values[6], [1.0, 0.0], atol=1e-12)  # 06:00, a quarter of the day
    np.testing.assert_array_equal(values[:24], values[24:])  # every day alike
    gap_end = np.linalg.norm(values[23] - values[0])
    assert gap_end == pytest.approx(np.linalg.norm(values[1] - values[0]))  # 23:00 is as near 00:00 as 01:00 is
    week = calendar_values(("dayofweek",), pd.date_range("2024-01-01", periods=14, freq="D"))  # a Monday first
    np.testing.assert_array_equal(week[:7], week[7:])
    np.testing.assert_allclose(week[0], [0.0, 1.0], atol=1e-12)


def test_holidays_mark_the_country_s_public_holidays():
    pytest.importorskip("holidays")
    days = pd.to_datetime(["2016-12-25", "2016-12-27", "2016-07-21", "2016-10-03"])
    np.testing.assert_array_equal(calendar_values(("holiday:BE",), days)[:, 0], [1, 0, 1, 0])  # 21 July: Belgium
    np.testing.assert_array_equal(calendar_values(("holiday:DE",), days)[:, 0], [1, 0, 0, 1])  # 3 October: Germany
    hours = pd.date_range("2016-10-03 22:00", periods=4, freq="h")  # the holiday ends at midnight
    np.testing.assert_array_equal(calendar_values(("holiday:DE",), hours)[:, 0], [1, 1, 0, 0])
    with pytest.raises(ValueError, match="no country 'XX'"):
        check_calendar_names(["holiday:XX"])


def test_names_are_checked_and_steps_have_no_calendar():
    assert is_calendar_name("month") and is_calendar_name("holiday:DE") and not is_calendar_name("weekday")
    with pytest.raises(ValueError, match="not a calendar feature"):
        check_calendar_names(["weekday"])
    with pytest.raises(DataError, match="need dates"):
        calendar_values(("hour",), pd.Index(np.arange(5)), "panel.csv")


def test_the_one_hot_encoding_marks_each_value_in_its_own_column(monkeypatch):
    from lstmcast.data import calendar

    monkeypatch.setattr(calendar, "ENCODING", "onehot")
    dates = pd.date_range("2024-01-06 22:00", periods=4, freq="h")  # Saturday 22:00 .. Sunday 01:00
    columns = calendar.calendar_columns(["hour", "dayofweek", "month"])
    assert columns[:2] == ["hour_0", "hour_1"] and columns[24:26] == ["dayofweek_0", "dayofweek_1"]
    assert columns[-1] == "month_12" and len(columns) == 24 + 7 + 12
    values = calendar.calendar_values(["hour", "dayofweek", "month"], dates)
    assert values.shape == (4, 43) and (values.sum(axis=1) == 3).all()
    assert [columns[i] for i in np.flatnonzero(values[1])] == ["hour_23", "dayofweek_5", "month_1"]
    assert [columns[i] for i in np.flatnonzero(values[2])] == ["hour_0", "dayofweek_6", "month_1"]
