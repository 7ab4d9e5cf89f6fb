"""Per-series checks group-wise over the whole long table: same panel, same messages, a bad series still named."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest

import lstmcast.data.panel as panel_module
from lstmcast.data import DataError, DataWarning, read_panel
from lstmcast.data.panel_groups import sort_rows


def hourly(n_series=60, rows=30, seed=0):
    """``n_series`` hourly series starting at different hours, levels far apart, rows interleaved."""
    rng = np.random.default_rng(seed)
    parts = []
    for k in range(n_series):
        start = pd.Timestamp("2021-01-01") + pd.Timedelta(hours=int(rng.integers(0, 500)))
        parts.append(pd.DataFrame({"unique_id": f"s{k:03d}", "ds": pd.date_range(start, periods=rows, freq="h"),
                                   "y": 10.0 ** k % 7919 + rng.standard_normal(rows)}))
    frame = pd.concat(parts, ignore_index=True)
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def nth(frame, name, i):
    """The index label of series ``name``'s ``i``-th row in time."""
    return frame[frame.unique_id == name].sort_values("ds").index[i]


def series_by_series(monkeypatch, *args, **kwargs):
    """read_panel with every series read on its own (the reading before the group-wise checks)."""
    with monkeypatch.context() as patch:
        patch.setattr(panel_module, "read_cells", lambda *a, **k: None)
        patch.setattr(panel_module, "read_cells_marked", lambda *a, **k: None)
        return read_panel(*args, **kwargs)


def assert_same_panel(fast, slow):
    pd.testing.assert_frame_equal(fast.frame, slow.frame, check_exact=True)
    assert fast.ids == slow.ids and fast.freq == slow.freq and fast.source == slow.source
    np.testing.assert_array_equal(fast.bounds, slow.bounds)


def message(call):
    with pytest.raises(DataError) as caught:
        call()
    return str(caught.value)


def test_a_mixed_panel_reads_as_series_by_series(monkeypatch):
    """Irregular starts, a gap filled, missing values filled, a feature, one- and two-row series."""
    frame = hourly(40, 24)
    frame["price"] = np.arange(len(frame), dtype=float)
    frame = frame[~((frame.unique_id == "s005") & (frame.ds == frame[frame.unique_id == "s005"].ds.min()
                                                   + pd.Timedelta(hours=5)))]  # a missing hour
    frame.loc[nth(frame, "s007", 3), "y"] = np.nan  # a missing value
    frame.loc[nth(frame, "s009", 2), "price"] = np.nan
    short = pd.DataFrame({"unique_id": ["one", "two", "two"], "ds": pd.to_datetime(["2021-02-01 00:00", "2021-02-01 00:00",
                                                                                    "2021-02-01 01:00"]),
                          "y": [1.0, 2.0, 3.0], "price": [1.0, 1.0, 1.0]})
    frame = pd.concat([frame, short], ignore_index=True)
    for fill in ("ffill", "interpolate"):
        fast = read_panel(frame, features=["price"], fill=fill)
        assert_same_panel(fast, series_by_series(monkeypatch, frame, features=["price"], fill=fill))
        assert fast.freq == "h" and fast.lengths["s005"] == 24 and not np.isnan(fast.frame.y).any()


def test_integer_steps_with_gaps_filled_and_a_given_freq_read_as_series_by_series(monkeypatch):
    rng = np.random.default_rng(1)
    parts = [pd.DataFrame({"item": k, "t": np.arange(s, s + 3 * 12, 3), "v": rng.standard_normal(12)})
             for k, s in enumerate(rng.integers(0, 50, 30))]
    frame = pd.concat(parts, ignore_index=True).sample(frac=1.0, random_state=1)
    gappy = frame[~((frame["item"] == 4) & (frame.t == frame[frame["item"] == 4].t.min() + 6))]
    for table, options in [(frame, {}), (gappy, {"fill": "ffill"}), (frame, {"freq": 3})]:
        fast = read_panel(table, target="v", id_column="item", time_column="t", **options)
        assert_same_panel(fast, series_by_series(monkeypatch, table, target="v", id_column="item",
                                                 time_column="t", **options))
        assert fast.freq == 3 and not fast.has_dates
    fine = read_panel(frame, target="v", id_column="item", time_column="t", freq=1, fill="interpolate")
    assert_same_panel(fine, series_by_series(monkeypatch, frame, target="v", id_column="item", time_column="t",
                                             freq=1, fill="interpolate"))
    assert fine.lengths.iloc[0] == 34


def test_dates_in_a_zone_or_at_another_resolution_read_as_series_by_series(monkeypatch):
    frame = hourly(6, 30)
    zoned = frame.assign(ds=frame.ds.dt.tz_localize("Europe/Berlin", ambiguous="NaT", nonexistent="NaT")).dropna()
    seconds = frame.assign(ds=frame.ds.astype("datetime64[s]"))
    for table, dtype in [(zoned, zoned.ds.dtype), (seconds, np.dtype("datetime64[ns]"))]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)
            fast = read_panel(table, fill="ffill")
            assert_same_panel(fast, series_by_series(monkeypatch, table, fill="ffill"))
        assert fast.frame.ds.dtype == dtype and fast.freq == "h"


@pytest.mark.parametrize("freq", ["D", "W-WED", "MS", "YS"])
def test_calendar_frequencies_read_as_series_by_series(monkeypatch, freq):
    """A spacing of whole days depends on the calendar: weeks, months and years are told per series."""
    parts = [pd.DataFrame({"unique_id": f"s{k}", "ds": pd.date_range(start, periods=8, freq=freq), "y": k + 1.0})
             for k, start in enumerate(["2019-01-01", "2019-03-04", "2020-02-26", "2020-12-31"])]
    for k, part in enumerate(parts):
        part["y"] = part["y"] + np.arange(8) * (k + 1)
    frame = pd.concat(parts, ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        fast = read_panel(frame)
        assert_same_panel(fast, series_by_series(monkeypatch, frame))


def test_daily_series_starting_on_every_day_of_two_years_read_as_series_by_series(monkeypatch):
    """One day apart is "D" whatever the start: month and year ends, February 29th, three days or more."""
    starts = pd.date_range("2019-12-01", "2021-01-05", freq="D")
    frame = pd.concat([pd.DataFrame({"unique_id": f"d{k}", "ds": pd.date_range(start, periods=3 + k % 4, freq="D"),
                                     "y": np.arange(3 + k % 4) * (k + 1.0)}) for k, start in enumerate(starts)],
                      ignore_index=True)
    fast = read_panel(frame)
    assert_same_panel(fast, series_by_series(monkeypatch, frame))
    assert fast.freq == "D"


def test_a_bad_series_among_many_is_named_as_series_by_series(monkeypatch):
    frame = hourly(200, 20)
    twice = frame[frame.unique_id == "s150"].iloc[[3]]
    cases = {
        "a time twice": pd.concat([frame, twice], ignore_index=True),
        "a missing value": frame.assign(y=frame.y.where(~((frame.unique_id == "s123") & (frame.y == frame[
            frame.unique_id == "s123"].y.max())))),
        "another frequency": pd.concat([frame, pd.DataFrame({"unique_id": "daily", "ds": pd.date_range(
            "2021-01-01", periods=20, freq="D"), "y": np.arange(20.0)})], ignore_index=True),
        "values that barely differ": pd.concat([frame, pd.DataFrame({"unique_id": "tiny", "ds": pd.date_range(
            "2021-01-01", periods=20, freq="h"), "y": np.arange(20.0) * 1e-160})], ignore_index=True),
    }
    expected = {"a time twice": r"^DataFrame: series 's150': date 2021-[\d-]+( [\d:]+)? appears 2 times \(rows \d+, 4000\)$",
                "a missing value": r"^DataFrame: series 's123': column 'y' has 1 missing value\(s\), the first at row ",
                "another frequency": r"^DataFrame: series 'daily' has frequency 'D' but series 's\d+' \(and 199 "
                                     r"other series\) 'h'",
                "values that barely differ": r"^DataFrame: series 'tiny': column 'y': its values differ by only "}
    for what, table in cases.items():
        fast = message(lambda: read_panel(table))
        assert fast == message(lambda: series_by_series(monkeypatch, table)), what
        assert re.search(expected[what], fast), (what, fast)


def test_a_wrong_cell_among_many_series_is_named_reading_few_on_their_own(monkeypatch, tmp_path):
    frame = hourly(200, 20)
    text = frame.assign(y=frame.y.astype(object))
    text.loc[nth(text, "s150", 7), "y"] = "oops"
    undated = frame.copy()
    undated.loc[nth(undated, "s090", 3), "ds"] = pd.NaT
    both = pd.concat([text, frame[frame.unique_id == "s150"].iloc[[0]]], ignore_index=True)  # s150 twice too
    huge = frame.copy()
    huge.loc[nth(huge, "s042", 0), "y"] = 1e200
    steps = pd.DataFrame({"unique_id": np.repeat([f"s{k}" for k in range(50)], 6),
                          "step": np.tile(np.arange(6.0), 50), "y": np.arange(300.0)})
    steps.loc[200, "step"] = np.nan
    cases = {"a number": (text, r"^DataFrame: series 's150': column 'y' row \d+ \([^)]+\): 'oops' is not "
                                r"a number$"),
             "a date": (undated, r"^DataFrame: series 's090': column 'ds' row \d+: missing date$"),
             "the first check in the series": (both, r"^DataFrame: series 's150': date [\d-]+( [\d:]+)? appears 2 times"),
             "a value too large": (huge, r"^DataFrame: series 's042': column 'y' row \d+ \([^)]+\): 1e\+200 "
                                         "is too large to scale"),
             "a step": (steps, r"^DataFrame: series 's33': column 'step' row 200: missing step$")}
    read_one, calls = panel_module._read_one, []
    monkeypatch.setattr(panel_module, "_read_one", lambda *a, **k: calls.append(1) or read_one(*a, **k))
    for what, (table, expected) in cases.items():
        calls.clear()
        fast = message(lambda: read_panel(table))
        assert len(calls) <= 2, what
        assert fast == message(lambda: series_by_series(monkeypatch, table)), what
        assert re.search(expected, fast), (what, fast)
    path = tmp_path / "long.csv"
    text.to_csv(path, index=False)
    assert re.search(r"^long.csv: series 's150': column 'y' line \d+ \([^)]+\): 'oops' is not a number$",
                     message(lambda: read_panel(path)))


def test_only_the_series_a_check_speaks_of_are_read_on_their_own(monkeypatch):
    frame = hourly(50, 20)
    frame.loc[nth(frame, "s020", 4), "y"] = np.nan
    read_one, calls = panel_module._read_one, []
    monkeypatch.setattr(panel_module, "_read_one", lambda raw, *a, **k: calls.append(raw.source) or read_one(raw, *a,
                                                                                                              **k))
    panel = read_panel(frame, fill="ffill")
    assert calls == ["DataFrame: series 's020'"] and len(panel) == 50


def test_one_spacing_shorter_than_a_day_is_told_once_not_per_series(monkeypatch):
    from lstmcast.data import frequency

    infer, calls = frequency.pd.infer_freq, []
    monkeypatch.setattr(frequency.pd, "infer_freq", lambda *a, **k: calls.append(1) or infer(*a, **k))
    panel = read_panel(hourly(80, 12))
    assert panel.freq == "h" and len(calls) == 1
    daily = pd.concat([pd.DataFrame({"unique_id": f"d{k}", "ds": pd.date_range(start, periods=12, freq="D"),
                                     "y": np.arange(12.0) + k}) for k, start in enumerate(
        pd.date_range("2020-02-20", periods=30, freq="D"))], ignore_index=True)
    calls.clear()
    assert read_panel(daily).freq == "D" and len(calls) == 1


def test_values_and_times_of_every_series_are_its_rows():
    frame = hourly(70, 15)
    frame["price"] = -frame.y * 2
    panel = read_panel(frame, features=["price"])
    for name, rows in frame.groupby("unique_id"):
        rows = rows.sort_values("ds")
        np.testing.assert_array_equal(panel.values(name), rows[["y", "price"]].to_numpy())
        np.testing.assert_array_equal(panel.target_values(name), rows.y.to_numpy())
        times = panel.times(name)
        assert list(times) == list(rows.ds) and times.freq == "h" and times.name == "ds"
    copy = panel.values("s003")
    copy[:] = 0.0
    assert panel.values("s003")[0, 0] == frame[frame.unique_id == "s003"].sort_values("ds").y.iloc[0]
    with pytest.raises(AttributeError):
        panel.freq = "D"  # still a frozen dataclass


def test_select_and_truncated_keep_the_rows_of_each_series():
    panel = read_panel(hourly(12, 10))
    cut = panel.truncated({"s007": 4, "s002": 99, "s010": 0})
    assert cut.ids == ("s007", "s002", "s010") and list(cut.lengths) == [4, 10, 0]
    expected = pd.concat([panel.frame.iloc[panel.rows("s007")].iloc[:4], panel.frame.iloc[panel.rows("s002")]],
                         ignore_index=True)
    pd.testing.assert_frame_equal(cut.frame, expected, check_exact=True)
    np.testing.assert_array_equal(cut.values("s002"), panel.values("s002"))
    assert list(panel.select(["s011", "s000"]).times("s000")) == list(panel.times("s000"))


def test_sort_rows_orders_by_series_then_time_and_falls_back_beyond_one_key():
    rng = np.random.default_rng(2)
    codes = rng.integers(0, 40, 3000)
    ticks = rng.choice(np.arange(0, 10 ** 6, 250, dtype=np.int64), 3000, replace=False)
    for spread in (ticks, ticks * 2 ** 40 + ticks % 7):  # the second spans more than one int64 key holds: lexsort
        order, bounds = sort_rows(codes, spread, 40)
        np.testing.assert_array_equal(order, np.lexsort((ticks, codes)))
        np.testing.assert_array_equal(bounds, np.concatenate([[0], np.cumsum(np.bincount(codes, minlength=40))]))
