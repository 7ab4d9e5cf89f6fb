"""Bundled datasets: intact copies, the shapes and dates their sources state, frequencies."""

import hashlib

import numpy as np
import pandas as pd
import pytest

from lstmcast.data import DATASETS, dataset_path, list_datasets, load_dataset, load_text, read_series

# name -> (columns, rows, first date, last date, frequency, sha256 prefix) as stated in the
# data's README (origins and checksums recorded when the files were taken).
EXPECTED = {
    "airline": (["Passengers"], 144, "1949-01-01", "1960-12-01", "MS", "8cb51be753a718d9"),
    "sunspots": (["Sunspots"], 2820, "1749-01-01", "1983-12-01", "MS", "c4ec8cc57d9f6fb6"),
    "temperatures": (["Temp"], 3650, "1981-01-01", "1990-12-31", "D", "8b9de63ed6789492"),
    "apple": (["Open", "High", "Low", "Close", "Adj Close", "Volume"], 1258, "2018-02-12", "2023-02-09", "B", "0aad01ef758f1e25"),
}

# the day after each dataset ends, at its frequency
NEXT = {
    "airline": ["1961-01-01", "1961-02-01"],
    "sunspots": ["1984-01-01", "1984-02-01"],
    "temperatures": ["1991-01-01", "1991-01-02"],
    "apple": ["2023-02-10", "2023-02-13"],  # Thursday -> Friday, then Monday
}


def test_list_datasets():
    assert list_datasets() == ["airline", "sunspots", "temperatures", "apple"]
    assert set(DATASETS) == set(EXPECTED)


@pytest.mark.parametrize("name", list(EXPECTED) + ["shakespeare"])
def test_files_are_byte_for_byte_copies(name):
    digest = hashlib.sha256(dataset_path(name).read_bytes()).hexdigest()
    expected = "86c4e6aa9db7c042" if name == "shakespeare" else EXPECTED[name][5]
    assert digest[:16] == expected


@pytest.mark.parametrize("name", list(EXPECTED))
def test_load_dataset_shapes_columns_and_dates(name):
    columns, rows, first, last, freq, _ = EXPECTED[name]
    df = load_dataset(name)
    assert isinstance(df.index, pd.DatetimeIndex)
    assert list(df.columns) == columns
    assert df.shape == (rows, len(columns))
    assert df.index[0] == pd.Timestamp(first) and df.index[-1] == pd.Timestamp(last)
    assert df.index.is_monotonic_increasing and df.index.is_unique
    assert (df.dtypes == np.float64).all() and not df.isna().any().any()
    assert df.attrs["freq"] == freq
    assert df.attrs["target"] == DATASETS[name].target
    assert DATASETS[name].freq == freq and DATASETS[name].target in columns


def test_index_freq_is_set_where_no_timestamp_is_missing():
    assert load_dataset("airline").index.freqstr == "MS"
    assert load_dataset("sunspots").index.freqstr == "MS"
    # two Dec 31 missing in leap years, holidays missing: no .freq on those indexes
    assert load_dataset("temperatures").index.freq is None
    assert load_dataset("apple").index.freq is None


def test_temperatures_skip_dec_31_of_leap_years():
    index = load_dataset("temperatures").index
    full = pd.date_range("1981-01-01", "1990-12-31", freq="D")
    assert list(full.difference(index)) == [pd.Timestamp("1984-12-31"), pd.Timestamp("1988-12-31")]


def test_known_values():
    airline = load_dataset("airline")["Passengers"]
    assert airline.iloc[0] == 112 and airline.iloc[-1] == 432  # Box & Jenkins series G
    apple = load_dataset("apple")
    assert apple["Volume"].iloc[0] == 243278000
    assert apple["Close"].iloc[-1] == pytest.approx(150.869995)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_frequency_inference_and_future_dates_on_the_files(name):
    info = DATASETS[name]
    table = read_series(dataset_path(name), info.target)
    assert table.freq == EXPECTED[name][4]
    assert list(table.future_dates(2)) == list(pd.to_datetime(NEXT[name]))


@pytest.mark.parametrize("name", list(EXPECTED))
def test_reading_the_loaded_frame_again_agrees(name):
    df = load_dataset(name)
    table = read_series(df, DATASETS[name].target)
    assert table.freq == df.attrs["freq"]
    np.testing.assert_array_equal(table.target_values, df[DATASETS[name].target].to_numpy())


def test_load_dataset_returns_a_fresh_frame():
    df = load_dataset("airline")
    df.iloc[0, 0] = -1.0
    assert load_dataset("airline").iloc[0, 0] == 112


def test_load_text():
    text = load_text()
    assert len(text) == 1_115_394
    assert len(set(text)) == 65
    assert text.startswith("First Citizen:\n")
    assert load_text("shakespeare") == text


def test_unknown_names_list_the_known_ones():
    with pytest.raises(ValueError, match="name must be one of 'airline', 'sunspots', 'temperatures', 'apple', got 'ett'"):
        load_dataset("ett")
    with pytest.raises(ValueError, match="'shakespeare'"):
        load_text("hamlet")
    with pytest.raises(ValueError, match="'apple', 'shakespeare'"):
        dataset_path("nope")
    with pytest.raises(ValueError, match="got 'shakespeare'"):
        load_dataset("shakespeare")
