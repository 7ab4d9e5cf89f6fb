"""Long-format panels: column recognition, ragged series, dates and integer steps, errors naming the series."""

import warnings

import numpy as np
import pandas as pd
import pytest

from lstmcast.data import DataError, DataWarning, check_panel_length, read_panel


def dated(name, start, periods, freq="D", first=0.0):
    times = pd.date_range(start, periods=periods, freq=freq)
    return pd.DataFrame({"unique_id": name, "ds": times, "y": first + np.arange(periods, dtype=float)})


@pytest.fixture
def ragged():
    """Three daily series that start and end on different days, rows shuffled."""
    frame = pd.concat([dated("a", "2021-01-01", 10), dated("b", "2021-01-04", 6, first=100.0),
                       dated("c", "2020-12-25", 12, first=-5.0)], ignore_index=True)
    return frame.sample(frac=1.0, random_state=3).reset_index(drop=True)


def test_ragged_dated_series_are_sorted_and_kept_apart(ragged):
    panel = read_panel(ragged)
    assert panel.id_column == "unique_id" and panel.time_column == "ds" and panel.target == "y"
    assert set(panel.ids) == {"a", "b", "c"} and panel.freq == "D" and panel.has_dates
    assert panel.lengths.to_dict() == {name: n for name, n in zip(panel.ids, [len(ragged[ragged.unique_id == i])
                                                                              for i in panel.ids])}
    np.testing.assert_array_equal(panel.target_values("b"), 100.0 + np.arange(6))
    assert panel.times("b")[0] == pd.Timestamp("2021-01-04") and panel.times("b").freq == "D"
    assert panel.times("c")[-1] == pd.Timestamp("2021-01-05")
    future = panel.future_times("a", 3)
    assert list(future) == list(pd.date_range("2021-01-11", periods=3, freq="D"))
    assert panel.values("a").shape == (10, 1)


def test_ids_keep_the_order_they_first_appear_in():
    frame = pd.concat([dated("z", "2021-01-01", 5), dated("b", "2021-01-01", 5), dated("m", "2021-01-01", 5)])
    assert read_panel(frame).ids == ("z", "b", "m")


def test_integer_steps_from_a_csv_file_with_explicit_columns(tmp_path):
    path = tmp_path / "stores.csv"
    path.write_text("store,week,sales,price\n"
                    "7,3,10,1.5\n7,1,8,1.0\n7,2,9,1.2\n"  # out of order
                    "9,10,1,2.0\n9,11,2,2.0\n9,12,3,2.5\n9,13,4,2.5\n")
    panel = read_panel(path, target="sales", id_column="store", time_column="week", features=["price"])
    assert panel.ids == ("7", "9") and panel.freq == 1 and not panel.has_dates
    np.testing.assert_array_equal(panel.times("7"), [1, 2, 3])
    np.testing.assert_array_equal(panel.values("7"), [[8, 1.0], [9, 1.2], [10, 1.5]])
    np.testing.assert_array_equal(panel.future_times("9", 2), [14, 15])
    assert panel.source == "stores.csv"


def test_a_step_spacing_other_than_one_is_inferred_and_continued():
    frame = pd.DataFrame({"id": ["x"] * 4 + ["y"] * 3, "step": [0, 5, 10, 15, 5, 10, 15], "y": np.arange(7.0)})
    panel = read_panel(frame)
    assert panel.freq == 5
    np.testing.assert_array_equal(panel.future_times("y", 2), [20, 25])


def test_a_multiindex_of_id_and_time_is_read_as_columns(ragged):
    indexed = ragged.set_index(["unique_id", "ds"])
    panel = read_panel(indexed)
    np.testing.assert_array_equal(panel.target_values("a"), np.arange(10.0))


def test_dates_in_an_unnamed_index_are_the_time(ragged):
    indexed = ragged.set_index("ds").rename_axis(None)
    panel = read_panel(indexed)
    assert panel.time_column == "ds" and panel.times("a")[0] == pd.Timestamp("2021-01-01")


def test_missing_steps_are_refused_naming_the_series_or_filled_on_request():
    frame = pd.DataFrame({"unique_id": ["ok"] * 4 + ["gap"] * 4, "ds": [1, 2, 3, 4, 1, 2, 4, 5],
                          "y": [1, 2, 3, 4, 10, 20, 40, 50.0]})
    with pytest.raises(DataError, match=r"series 'gap': 1 of 5 steps are missing, the first step 3"):
        read_panel(frame)
    filled = read_panel(frame, fill="interpolate")
    np.testing.assert_array_equal(filled.target_values("gap"), [10, 20, 30, 40, 50])


def test_missing_value_is_named_by_series_and_row():
    frame = pd.DataFrame({"unique_id": ["a"] * 3 + ["b"] * 3, "ds": [1, 2, 3] * 2, "y": [1, 2, 3, 4, np.nan, 6]})
    with pytest.raises(DataError, match=r"^DataFrame: series 'b': column 'y' has 1 missing value\(s\), "
                                        r"the first at row 4 \(step 2\)"):
        read_panel(frame)
    np.testing.assert_array_equal(read_panel(frame, fill="ffill").target_values("b"), [4, 4, 6])


def test_bad_cells_in_a_file_name_the_series_and_the_line(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("unique_id,ds,y\na,2021-01-01,1\na,2021-01-02,2\nb,2021-01-01,3\nb,2021-01-02,oops\n")
    with pytest.raises(DataError,
                       match=r"^p.csv: series 'b': column 'y' line 5 \(2021-01-02\): 'oops' is not a number$"):
        read_panel(path)
    path.write_text("unique_id,ds,y\na,2021-01-01,1\na,2021-01-02,2\nb,2021-01-01,3\nb,someday,4\n")
    with pytest.raises(DataError, match=r"^p.csv: series 'b': column 'ds' line 5: 'someday' is not a date$"):
        read_panel(path)
    path.write_text("unique_id,ds,y\na,2021-01-01,1\n,2021-01-02,2\n")
    with pytest.raises(DataError, match=r"^p.csv: column 'unique_id' line 3: missing series id$"):
        read_panel(path)


def test_a_time_repeated_within_a_series_is_an_error_but_not_across_series():
    frame = pd.DataFrame({"unique_id": ["a", "a", "b", "b"], "ds": [1, 2, 1, 1], "y": [1.0, 2, 3, 4]})
    with pytest.raises(DataError, match=r"series 'b': step 1 appears 2 times \(rows 2, 3\)"):
        read_panel(frame)
    dates = pd.DataFrame({"unique_id": ["a", "a", "b", "b"], "ds": ["2021-01-01", "2021-01-02"] * 2, "y": [1.0] * 4})
    assert read_panel(dates).lengths.tolist() == [2, 2]  # the same dates in two series are fine


def test_series_of_different_frequencies_are_refused():
    frame = pd.concat([dated("daily", "2021-01-01", 6), dated("hourly", "2021-01-01", 6, freq="h"),
                       dated("daily2", "2021-02-01", 6)])
    with pytest.raises(DataError,
                       match=r"series 'hourly' has frequency 'h' but series 'daily' \(and 1 other series\) 'D'"):
        read_panel(frame)


def test_dates_missing_from_one_series_are_named_and_filled_on_request():
    gappy = dated("gappy", "2021-01-01", 30, freq="h").drop(index=[10])  # one hour missing
    frame = pd.concat([dated("full", "2021-01-01", 30, freq="h"), gappy])
    with pytest.warns(DataWarning, match=r"^DataFrame: series 'gappy': 1 of 30 dates are missing from the 'h' "
                                         r"spacing, the first 2021-01-01 10:00:00"):
        panel = read_panel(frame)
    assert panel.freq == "h" and panel.lengths.tolist() == [30, 29]
    filled = read_panel(frame, fill="interpolate")
    np.testing.assert_array_equal(filled.target_values("gappy"), np.arange(30.0))


def test_columns_that_cannot_be_recognised_are_named():
    frame = pd.DataFrame({"key": ["a"], "when": [1], "sales": [1.0], "price": [2.0]})
    with pytest.raises(DataError, match=r"no id column \(none named unique_id, .*\) among key, when, sales, price; "
                                        r"pass id_column="):
        read_panel(frame)
    with pytest.raises(DataError, match=r"name the column to forecast with target=; .*: sales, price"):
        read_panel(frame, id_column="key", time_column="when")
    with pytest.raises(DataError, match=r"no column 'store' \(id_column\)"):
        read_panel(frame, id_column="store")


def test_short_series_are_an_error_by_default_or_left_out_with_one_warning_each():
    frame = pd.concat([dated("long", "2021-01-01", 20), dated("tiny", "2021-01-01", 4),
                       dated("small", "2021-01-01", 7)])
    panel = read_panel(frame)
    with pytest.raises(DataError, match=r"^DataFrame: series 'tiny' has 4 rows; look_back \+ horizon = 8 needs "
                                        r"at least 8 \(and 1 more series\); pass skip_short=True"):
        check_panel_length(panel, look_back=5, horizon=3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kept = check_panel_length(panel, look_back=5, horizon=3, skip_short=True)
    assert kept.ids == ("long",)
    messages = [str(w.message) for w in caught if issubclass(w.category, DataWarning)]
    assert len(messages) == 2 and "series 'tiny' has 4 rows" in messages[0] and "'small'" in messages[1]
    np.testing.assert_array_equal(kept.target_values("long"), panel.target_values("long"))
    assert check_panel_length(panel, look_back=2, horizon=2) is panel
    with pytest.raises(DataError, match="no series has look_back"):
        check_panel_length(panel, look_back=30, horizon=3, skip_short=True)


def test_the_number_of_windows_is_no_limit_a_fit_gathers_them_batch_by_batch(ragged, monkeypatch):
    from lstmcast.data import windows

    monkeypatch.setattr(windows, "CHECK_FROM", 0)
    monkeypatch.setattr(windows, "available_memory", lambda: 100)  # far less than all 16 windows at once
    panel = read_panel(ragged)
    assert check_panel_length(panel, 3, 2) is panel  # windows per series: 6 + 2 + 8
