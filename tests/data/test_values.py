"""Numbers a model can scale: huge and subnormal values are refused when read, naming the column and row."""

import numpy as np
import pandas as pd
import pytest

from lstmcast.data import DataError, read_panel
from lstmcast.data.tables import read_series
from lstmcast.data.values import MAX_ABS


def series_file(tmp_path, values, name="data.csv"):
    dates = pd.date_range("2020-01-01", periods=len(values), freq="D").strftime("%Y-%m-%d")
    path = tmp_path / name
    pd.DataFrame({"date": dates, "y": values}).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("huge", [1e308, -1e308, 2 * MAX_ABS])
def test_one_huge_value_is_refused_naming_the_column_and_line(tmp_path, huge):
    values = np.linspace(1.0, 2.0, 20)
    values[7] = huge
    with pytest.raises(DataError, match=r"^data.csv: column 'y' line 9 \(2020-01-08\): .* is too large to scale "
                                        r"\(sizes up to 1e\+150\); divide the column"):
        read_series(series_file(tmp_path, values), "y")


def test_many_huge_values_name_the_first(tmp_path):
    values = np.linspace(1.0, 2.0, 20)
    values[3:15] = 1e308
    with pytest.raises(DataError, match=r"line 5 \(2020-01-04\): 1e\+308 is too large"):
        read_series(series_file(tmp_path, values), "y")


def test_huge_values_in_a_dataframe_name_the_row():
    frame = pd.DataFrame({"y": [1.0, 2.0, -5e300, 3.0]}, index=pd.date_range("2020-01-01", periods=4))
    with pytest.raises(DataError, match=r"^DataFrame: column 'y' row 2 \(2020-01-03\): -5e\+300 is too large"):
        read_series(frame, "y")


def test_values_up_to_the_limit_are_kept():
    values = np.linspace(-MAX_ABS, MAX_ABS, 10)
    frame = pd.DataFrame({"y": values}, index=pd.date_range("2020-01-01", periods=10))
    np.testing.assert_array_equal(read_series(frame, "y").target_values, values)


def test_subnormal_values_that_barely_differ_are_refused(tmp_path):
    with pytest.raises(DataError, match=r"^data.csv: column 'y': its values differ by only 1e-309, too little to "
                                        r"scale"):
        read_series(series_file(tmp_path, np.arange(11) * 1e-310), "y")


def test_a_constant_column_and_one_of_zeros_are_read():
    frame = pd.DataFrame({"y": [5.0] * 4, "z": [0.0] * 4}, index=pd.date_range("2020-01-01", periods=4))
    table = read_series(frame, "y", features=["z"])
    np.testing.assert_array_equal(table.values, [[5.0, 0.0]] * 4)


def test_a_huge_value_in_one_series_of_a_panel_names_the_series(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("unique_id,ds,y\na,2021-01-01,1\na,2021-01-02,2\nb,2021-01-01,3\nb,2021-01-02,5e300\n")
    with pytest.raises(DataError, match=r"^p.csv: series 'b': column 'y' line 5 \(2021-01-02\): 5e\+300 is too "
                                        r"large to scale"):
        read_panel(path)
