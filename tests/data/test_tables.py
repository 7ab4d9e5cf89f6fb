"""read_series: what it accepts, what it repairs on request, and every error message."""

import numpy as np
import pandas as pd
import pytest

from lstmcast.data.errors import DataError
from lstmcast.data.tables import SeriesTable, check_length, infer_frequency, read_series


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- what it reads


def test_reads_target_and_features_as_float64_sorted_by_date(tmp_path):
    path = write(
        tmp_path,
        "Date,Temp,Rain,Wind\n"
        "2020-01-03,3.5,0,7\n"
        "2020-01-01,1.5,2,5\n"
        "2020-01-02,2.5,1,6\n",
    )
    table = read_series(path, "Temp", features=["Wind", "Rain"])
    assert isinstance(table, SeriesTable)
    assert table.source == "data.csv"
    assert table.target == "Temp" and table.features == ("Wind", "Rain")
    assert table.columns == ("Temp", "Wind", "Rain")
    assert list(table.frame.columns) == ["Temp", "Wind", "Rain"]
    assert (table.frame.dtypes == np.float64).all()
    assert table.frame.index.name == "Date"
    assert list(table.dates) == list(pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-03"]))
    np.testing.assert_array_equal(table.values, [[1.5, 5, 2], [2.5, 6, 1], [3.5, 7, 0]])
    np.testing.assert_array_equal(table.target_values, [1.5, 2.5, 3.5])
    assert table.values.dtype == np.float64 and table.values.shape == (3, 3)
    assert len(table) == 3
    assert table.freq == "D"


def test_values_are_copies(tmp_path):
    table = read_series(write(tmp_path, "Date,y\n2020-01-01,1\n2020-01-02,2\n"), "y")
    table.values[0, 0] = 99.0
    table.target_values[0] = 99.0
    assert table.frame["y"].iloc[0] == 1.0


def test_spaces_quotes_blank_lines_and_a_byte_order_mark(tmp_path):
    path = tmp_path / "excel.csv"
    text = '\ufeff"Month", "Passengers" \n"1949-01", 112 \n\n 1949-02 ,"  118"\n1949-03,  132\n'
    path.write_text(text, encoding="utf-8")
    table = read_series(path, "Passengers")
    np.testing.assert_array_equal(table.target_values, [112, 118, 132])
    assert table.frame.index.name == "Month"
    assert table.freq == "MS"


def test_line_numbers_count_the_header_and_blank_lines(tmp_path):
    path = write(tmp_path, "Date,y\n2020-01-01,1\n\n2020-01-02,oops\n")
    with pytest.raises(DataError, match=r"^data.csv: column 'y' line 4 \(2020-01-02\): 'oops' is not a number$"):
        read_series(path, "y")


@pytest.mark.parametrize("name", ["date", "DATE", "Datetime", "timestamp", "Month", "week", "Year", "order_date", "dayOfObservation"])
def test_date_column_found_by_its_name(tmp_path, name):
    path = write(tmp_path, f"value,{name}\n1,2021-01-04\n2,2021-01-11\n3,2021-01-18\n")
    table = read_series(path, "value")
    assert table.frame.index.name == name
    assert table.dates[0] == pd.Timestamp("2021-01-04")


def test_date_column_found_by_its_values(tmp_path):
    path = write(tmp_path, "id,when,value\n7,2021-03-01 10:00,1\n8,2021-03-01 11:00,2\n9,2021-03-01 12:00,3\n")
    table = read_series(path, "value")
    assert table.frame.index.name == "when"  # 'id' holds numbers, not dates
    assert table.freq == "h"


def test_a_date_named_column_is_not_taken_when_it_is_the_target(tmp_path):
    path = write(tmp_path, "Day,Date\n1,2021-01-01\n2,2021-01-02\n3,2021-01-03\n")
    table = read_series(path, "Day")
    assert table.frame.index.name == "Date"


def test_explicit_date_column(tmp_path):
    path = write(tmp_path, "start,stop,y\n2020-01-01,2020-02-01,1\n2020-01-02,2020-02-03,2\n")
    assert read_series(path, "y", date_column="stop").dates[1] == pd.Timestamp("2020-02-03")
    assert read_series(path, "y").dates[1] == pd.Timestamp("2020-01-02")


def test_dataframe_with_datetime_index_or_date_column():
    index = pd.date_range("2021-01-01", periods=4, freq="D", name="day")
    df = pd.DataFrame({"y": [4, 3, 2, 1], "x": [1.0, 2.0, 3.0, 4.0]}, index=index)
    table = read_series(df, "y", features=["x"])
    assert table.source == "DataFrame"
    assert table.frame.index.name == "day"
    np.testing.assert_array_equal(table.values, [[4, 1], [3, 2], [2, 3], [1, 4]])
    shuffled = df.reset_index().iloc[[2, 0, 3, 1]]
    again = read_series(shuffled, "y", features=["x"])
    np.testing.assert_array_equal(again.values, table.values)
    assert list(again.dates) == list(index)


def test_dataframe_with_a_period_index_or_a_named_text_index():
    periods = pd.period_range("2020-01", periods=3, freq="M")
    table = read_series(pd.DataFrame({"y": [1.0, 2.0, 3.0]}, index=periods), "y")
    assert list(table.dates) == list(pd.to_datetime(["2020-01-01", "2020-02-01", "2020-03-01"]))
    assert table.freq == "MS"
    text = pd.DataFrame({"y": [1.0, 2.0]}, index=pd.Index(["2020-01-02", "2020-01-01"], name="Date"))
    table = read_series(text, "y")
    assert table.frame.index.name == "Date"
    np.testing.assert_array_equal(table.target_values, [2.0, 1.0])


def test_the_callers_dataframe_is_not_changed():
    df = pd.DataFrame({"d": ["2020-01-03", "2020-01-01", "2020-01-02"], "y": [3, 1, None]})
    before = df.copy()
    table = read_series(df, "y", fill="interpolate")
    np.testing.assert_array_equal(table.target_values, [1, 2, 3])
    pd.testing.assert_frame_equal(df, before)


# --------------------------------------------------------------------------- missing values


def test_forward_fill(tmp_path):
    path = write(tmp_path, "Date,y,x\n2020-01-01,1,10\n2020-01-02,,20\n2020-01-03,NA,\n2020-01-04,4,40\n")
    table = read_series(path, "y", features=["x"], fill="ffill")
    np.testing.assert_array_equal(table.values, [[1, 10], [1, 20], [1, 20], [4, 40]])


def test_interpolate_weights_by_time(tmp_path):
    # the gap sits one day after a value and two days before the next: 1/3 of the way
    path = write(tmp_path, "Date,y\n2020-01-01,0\n2020-01-02,\n2020-01-04,3\n2020-01-05,6\n")
    table = read_series(path, "y", fill="interpolate")
    # the missing date 2020-01-03 is inserted as well, and filled the same way
    assert list(table.dates.day) == [1, 2, 3, 4, 5] and table.freq == "D"
    np.testing.assert_allclose(table.target_values, [0, 1, 2, 3, 6])


def test_missing_values_in_unused_columns_are_ignored(tmp_path):
    path = write(tmp_path, "Date,y,notes\n2020-01-01,1,\n2020-01-02,2,n/a\n")
    np.testing.assert_array_equal(read_series(path, "y").target_values, [1, 2])


# --------------------------------------------------------------------------- errors


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.csv"
    with pytest.raises(DataError, match=r"nowhere\.csv: no such file$"):
        read_series(path, "y")


def test_a_directory_is_not_a_file(tmp_path):
    with pytest.raises(DataError, match="not a file"):
        read_series(tmp_path, "y")


def test_empty_file(tmp_path):
    with pytest.raises(DataError, match=r"^empty\.csv: the file is empty$"):
        read_series(write(tmp_path, "", "empty.csv"), "y")


def test_header_only(tmp_path):
    with pytest.raises(DataError, match=r"^data\.csv: no data rows, only the header line$"):
        read_series(write(tmp_path, "Date,y\n\n"), "y")


def test_empty_dataframe():
    with pytest.raises(DataError, match="^DataFrame: no data rows$"):
        read_series(pd.DataFrame({"Date": [], "y": []}), "y")


def test_unknown_target_lists_the_columns(tmp_path):
    path = write(tmp_path, "Date,Temp,Rain\n2020-01-01,1,2\n")
    with pytest.raises(DataError, match=r"^data\.csv: no column 'temp' \(target\); available columns: Date, Temp, Rain$"):
        read_series(path, "temp")


def test_unknown_feature_lists_the_columns(tmp_path):
    path = write(tmp_path, "Date,Temp,Rain\n2020-01-01,1,2\n")
    with pytest.raises(DataError, match=r"no column 'Wind' \(feature\); available columns: Date, Temp, Rain"):
        read_series(path, "Temp", features=["Rain", "Wind"])


def test_unknown_date_column(tmp_path):
    path = write(tmp_path, "Date,Temp\n2020-01-01,1\n")
    with pytest.raises(DataError, match=r"no column 'Day' \(date_column\); available columns: Date, Temp"):
        read_series(path, "Temp", date_column="Day")


def test_non_numeric_value_names_column_line_and_value(tmp_path):
    path = write(tmp_path, "Date,Temp,Rain\n2020-01-01,1.5,0\n2020-01-02,?0.2,1\n2020-01-03,x,2\n")
    with pytest.raises(DataError, match=r"^data\.csv: column 'Temp' line 3 \(2020-01-02\): '\?0\.2' is not a number$"):
        read_series(path, "Temp")


def test_non_numeric_value_in_a_feature(tmp_path):
    path = write(tmp_path, "Date,Temp,Rain\n2020-01-01,1.5,0\n2020-01-02,2,heavy\n")
    with pytest.raises(DataError, match=r"column 'Rain' line 3 \(2020-01-02\): 'heavy' is not a number"):
        read_series(path, "Temp", features=["Rain"])


def test_thousands_separators_are_refused_with_a_hint(tmp_path):
    path = write(tmp_path, 'Date,Sales\n2020-01-01,"1,234"\n2020-01-02,999\n')
    with pytest.raises(DataError, match=r"line 2 \(2020-01-01\): '1,234' is not a number \(remove the thousands separators\)"):
        read_series(path, "Sales")


@pytest.mark.parametrize("junk", ["inf", "1.2.3", "12abc", "true"])
def test_junk_is_never_accepted(tmp_path, junk):
    path = write(tmp_path, f"Date,y\n2020-01-01,1\n2020-01-02,{junk}\n")
    with pytest.raises(DataError, match=r"column 'y' line 3 \(2020-01-02\): '.*' is not a (finite )?number"):
        read_series(path, "y")


def test_non_numeric_value_in_a_dataframe_names_row_and_date():
    df = pd.DataFrame({"y": [1.0, "x", 3.0]}, index=pd.date_range("2020-01-01", periods=3))
    with pytest.raises(DataError, match=r"^DataFrame: column 'y' row 1 \(2020-01-02\): 'x' is not a number$"):
        read_series(df, "y")


def test_infinite_value_in_a_dataframe():
    df = pd.DataFrame({"y": [1.0, np.inf]}, index=pd.date_range("2020-01-01", periods=2))
    with pytest.raises(DataError, match=r"column 'y' row 1 \(2020-01-02\): inf is not a finite number"):
        read_series(df, "y")


def test_duplicate_dates_name_the_date_and_lines(tmp_path):
    path = write(tmp_path, "Date,y\n2020-01-01,1\n2020-01-02,2\n2020-01-03,3\n2020-01-02,4\n")
    with pytest.raises(DataError, match=r"^data\.csv: date 2020-01-02 appears 2 times \(lines 3, 5\)$"):
        read_series(path, "y")


def test_duplicate_dates_in_a_dataframe_name_the_rows():
    df = pd.DataFrame({"y": [1, 2, 3]}, index=pd.DatetimeIndex(["2020-01-01", "2020-01-02", "2020-01-01"]))
    with pytest.raises(DataError, match=r"^DataFrame: date 2020-01-01 appears 2 times \(rows 0, 2\)$"):
        read_series(df, "y")


def test_unparseable_date(tmp_path):
    path = write(tmp_path, "Date,y\n2020-01-01,1\n2020-01-02,2\n2020-13-45,3\n")
    with pytest.raises(DataError, match=r"^data\.csv: column 'Date' line 4: '2020-13-45' is not a date$"):
        read_series(path, "y")


def test_missing_date(tmp_path):
    path = write(tmp_path, "Date,y\n2020-01-01,1\n,2\n")
    with pytest.raises(DataError, match=r"^data\.csv: column 'Date' line 3: missing date$"):
        read_series(path, "y")


def test_no_date_column(tmp_path):
    path = write(tmp_path, "id,value\na,1\nb,2\n")
    with pytest.raises(DataError, match=r"^data\.csv: no date column found .* among id, value; pass date_column$"):
        read_series(path, "value")


def test_a_row_longer_than_the_header(tmp_path):
    path = write(tmp_path, "Date,y\n2020-01-01,1\n2020-01-02,2,3\n")
    with pytest.raises(DataError, match=r"^data\.csv: line 3 has 3 fields but the header has 2$"):
        read_series(path, "y")
    first = write(tmp_path, "Date,y\n2020-01-01,1,5\n2020-01-02,2\n", "first.csv")
    with pytest.raises(DataError, match=r"^first\.csv: line 2 has 3 fields but the header has 2$"):
        read_series(first, "y")


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("Date,Température\n2020-01-01,1\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"^latin\.csv: not UTF-8 text: byte 0xe9 on line 1 is not valid UTF-8; .*"
                                        r"pass encoding='latin-1'"):
        read_series(path, "y")


def test_missing_value_is_an_error_by_default(tmp_path):
    path = write(tmp_path, "Date,y\n2020-01-01,1\n2020-01-02,\n2020-01-03,3\n2020-01-04,NaN\n")
    with pytest.raises(
        DataError,
        match=r"^data\.csv: column 'y' has 2 missing value\(s\), the first at line 3 \(2020-01-02\); "
        r"pass fill='ffill' or fill='interpolate' to fill them on purpose$",
    ):
        read_series(path, "y")


def test_missing_value_position_follows_date_order(tmp_path):
    # unsorted file: the earliest missing date is reported, with its own line
    path = write(tmp_path, "Date,y\n2020-01-05,\n2020-01-01,1\n2020-01-03,\n")
    with pytest.raises(DataError, match=r"the first at line 4 \(2020-01-03\)"):
        read_series(path, "y")


def test_forward_fill_cannot_fill_a_leading_gap(tmp_path):
    path = write(tmp_path, "Date,y\n2020-01-01,\n2020-01-02,2\n")
    with pytest.raises(
        DataError,
        match=r"^data\.csv: column 'y' starts with a missing value at line 2 \(2020-01-01\) "
        r"that fill='ffill' cannot fill \(no earlier value\)$",
    ):
        read_series(path, "y", fill="ffill")


@pytest.mark.parametrize("text, line", [("Date,y\n2020-01-01,\n2020-01-02,2\n", 2), ("Date,y\n2020-01-01,1\n2020-01-02,\n", 3)])
def test_interpolate_fills_only_between_two_values(tmp_path, text, line):
    with pytest.raises(DataError, match=rf"missing value at line {line} .* fill='interpolate' cannot fill"):
        read_series(write(tmp_path, text), "y", fill="interpolate")


def test_error_messages_are_one_line(tmp_path):
    path = write(tmp_path, "Date,y\n2020-01-01,1\n2020-01-02,2,3\n")
    with pytest.raises(DataError) as info:
        read_series(path, "y")
    assert "\n" not in str(info.value)
    assert "\n" not in str(DataError("two\nlines"))
    assert issubclass(DataError, ValueError)


# --------------------------------------------------------------------------- argument errors


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"fill": "bfill"}, "fill must be None, 'ffill' or 'interpolate', got 'bfill'"),
        ({"freq": "hourly"}, "freq must be a pandas offset alias"),
        ({"features": ["y"]}, "features must not contain the target"),
        ({"features": ["x", "x"]}, "features must not repeat"),
        ({"date_column": "y"}, "date_column must not be the target"),
    ],
)
def test_bad_arguments_are_value_errors_naming_the_argument(tmp_path, kwargs, match):
    path = write(tmp_path, "Date,y,x\n2020-01-01,1,2\n")
    with pytest.raises(ValueError, match=match) as info:
        read_series(path, "y", **kwargs)
    assert not isinstance(info.value, DataError)


def test_check_length(tmp_path):
    table = read_series(write(tmp_path, "Date,y\n" + "".join(f"2020-01-{d:02d},{d}\n" for d in range(1, 11))), "y")
    check_length(table, 7, 3)  # exactly enough
    with pytest.raises(DataError, match=r"^data\.csv: column 'y' has 10 rows; look_back \+ horizon = 11 needs at least 11$"):
        check_length(table, 8, 3)
    with pytest.raises(ValueError, match="horizon"):
        check_length(table, 8, 0)


# --------------------------------------------------------------------------- frequency


def dated(dates, freq=None):
    index = pd.DatetimeIndex(dates, name="date")
    return read_series(pd.DataFrame({"y": np.arange(len(index), dtype=float)}, index=index), "y", freq=freq)


def test_regular_frequencies_come_from_pandas():
    assert dated(pd.date_range("2020-01-01", periods=10, freq="D")).freq == "D"
    assert dated(pd.date_range("2020-01-01", periods=10, freq="h")).freq == "h"
    assert dated(pd.date_range("2020-01-01", periods=10, freq="MS")).freq == "MS"
    assert dated(pd.date_range("2020-01-31", periods=10, freq="ME")).freq == "ME"
    assert dated(pd.date_range("2020-01-05", periods=10, freq="W-SUN")).freq == "W-SUN"


def test_weekdays_with_holidays_are_business_days():
    days = pd.bdate_range("2021-01-04", "2021-03-31")
    holidays = pd.DatetimeIndex(["2021-01-18", "2021-02-15"])  # two Mondays off
    table = dated(days.difference(holidays))
    assert table.freq == "B"
    assert table.frame.index.freq is None  # the index itself has gaps
    # Wednesday 2021-03-31 -> Thu, Fri, then Monday
    assert list(table.future_dates(3)) == list(pd.to_datetime(["2021-04-01", "2021-04-02", "2021-04-05"]))


def test_daily_with_a_few_missing_days_is_daily():
    days = pd.date_range("2020-01-01", periods=60, freq="D")
    table = dated(days.delete([10, 40]))
    assert table.freq == "D"
    assert table.future_dates(1)[0] == pd.Timestamp("2020-03-01")


def test_hourly_and_monthly_with_a_missing_step():
    hours = pd.date_range("2020-01-01", periods=48, freq="h").delete(5)
    assert dated(hours).freq == "h"
    months = pd.date_range("2000-01-01", periods=30, freq="MS").delete(12)
    table = dated(months)
    assert table.freq == "MS"
    assert table.frame.index.freq is None
    assert table.future_dates(1)[0] == pd.Timestamp("2002-07-01")


def test_irregular_dates_have_no_frequency_and_step_by_the_median_spacing():
    table = dated(pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-04", "2020-01-07", "2020-01-09"]))
    assert table.freq is None
    # spacings 1, 2, 3, 2 days: median 2 days
    assert list(table.future_dates(2)) == list(pd.to_datetime(["2020-01-11", "2020-01-13"]))


def test_given_freq_wins():
    table = dated(pd.date_range("2020-01-01", periods=10, freq="D"), freq="B")
    assert table.freq == "B"
    assert table.future_dates(1)[0] == pd.Timestamp("2020-01-13")  # Friday 2020-01-10 -> Monday


def test_dates_have_one_resolution_whatever_the_source(tmp_path):
    from_file = read_series(write(tmp_path, "Date,y\n2020-01-01,1\n2020-01-02,2\n2020-01-03,3\n"), "y")
    nanoseconds = from_file.frame.set_axis(from_file.dates.as_unit("ns"))
    seconds = from_file.frame.set_axis(from_file.dates.as_unit("s"))
    default = pd.date_range("2020", periods=1).dtype
    assert from_file.dates.dtype == default
    assert read_series(nanoseconds, "y").dates.dtype == read_series(seconds, "y").dates.dtype == default
    pd.testing.assert_index_equal(from_file.future_dates(2), pd.date_range("2020-01-04", periods=2, freq="D", name="Date"))
    old = read_series(pd.DataFrame({"y": [1.0, 2.0, 3.0]}, index=pd.DatetimeIndex(np.array(["1500-01-01", "1500-01-02", "1500-01-03"], dtype="M8[s]"))), "y")
    assert old.dates[0] == pd.Timestamp("1500-01-01")
    precise = pd.DatetimeIndex(np.array(["2020-01-01T00:00:00.000000001", "2020-01-02", "2020-01-03"], dtype="M8[ns]"))
    table = read_series(pd.DataFrame({"y": [1.0, 2.0, 3.0]}, index=precise), "y")
    assert table.dates[0] == precise[0]  # never rounded to a coarser resolution


def test_index_carries_freq_when_the_dates_follow_it():
    table = dated(pd.date_range("2020-01-01", periods=10, freq="D"))
    assert table.frame.index.freqstr == "D"


def test_future_dates_for_monthly_data():
    table = dated(pd.date_range("1949-01-01", "1960-12-01", freq="MS"))
    future = table.future_dates(3)
    assert list(future) == list(pd.to_datetime(["1961-01-01", "1961-02-01", "1961-03-01"]))
    assert future.name == "date"
    with pytest.raises(ValueError, match="n must be a positive int"):
        table.future_dates(0)


def test_future_dates_need_two_dates_without_a_frequency():
    table = dated(pd.to_datetime(["2020-01-01"]))
    assert table.freq is None
    with pytest.raises(DataError, match="cannot step past the last date 2020-01-01: one row and no frequency"):
        table.future_dates(1)


def test_infer_frequency_needs_three_dates():
    assert infer_frequency(pd.DatetimeIndex(["2020-01-01", "2020-01-02"])) is None


def test_row_position_reads_rows_fractions_and_dates():
    from lstmcast.data.datasets import load_dataset
    from lstmcast.data.tables import read_series, row_position

    table = read_series(load_dataset("airline"), "Passengers")  # 144 monthly rows from 1949-01
    assert row_position(table, 10, "start") == 10
    assert row_position(table, -12, "start") == 132
    assert row_position(table, 0.5, "start") == 72
    assert row_position(table, "1959-01", "start") == 120
    for bad in (True, "not a date"):
        with pytest.raises(ValueError, match="start must be a row number, a fraction in"):
            row_position(table, bad, "start")
    with pytest.raises(ValueError, match=r"start must be a share of the rows in \(0, 1\)"):
        row_position(table, 1.5, "start")
