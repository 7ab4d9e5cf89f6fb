"""Derived OHLCV features: HighLow, Return, LogVolume, read from a Yahoo-style CSV."""

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster
from lstmcast.data import dataset_path, read_series
from lstmcast.data.errors import DataError
from lstmcast.data.features import DERIVED_FEATURES, read_with_features

APPLE = dataset_path("apple")


@pytest.fixture(scope="module")
def raw():
    """The CSV as plain pandas reads it, for independent reference values."""
    return pd.read_csv(APPLE, parse_dates=["Date"]).set_index("Date").sort_index()


def test_derived_values_match_pandas(raw):
    table = read_with_features(APPLE, "Close", ["Volume", "HighLow", "Return", "LogVolume"])
    assert table.source == "apple.csv" and table.freq == "B"
    assert table.columns == ("Close", "Volume", "HighLow", "Return", "LogVolume")
    assert len(table) == len(raw) - 1  # Return has no value on the first day
    assert table.dates[0] == raw.index[1]
    expected = pd.DataFrame({
        "Close": raw["Close"],
        "Volume": raw["Volume"].astype(float),
        "HighLow": raw["High"] - raw["Low"],
        "Return": raw["Close"].pct_change(),
        "LogVolume": np.log(raw["Volume"] + 1.0),
    }).iloc[1:]
    np.testing.assert_allclose(table.values, expected.to_numpy(), rtol=1e-12)


def test_without_derived_names_it_is_read_series():
    plain = read_series(APPLE, "Close", ["Volume"])
    same = read_with_features(APPLE, "Close", ["Volume"])
    pd.testing.assert_frame_equal(same.frame, plain.frame)
    assert (same.freq, same.source) == (plain.freq, plain.source)


def test_return_follows_dates_not_row_order(raw):
    shuffled = raw.iloc[:50].sample(frac=1.0, random_state=0)
    table = read_with_features(shuffled, "Close", ["Return"])
    close = raw["Close"].to_numpy()[:50]
    np.testing.assert_allclose(table.frame["Return"].to_numpy(), close[1:] / close[:-1] - 1, rtol=1e-12)


def test_a_real_column_wins_over_a_derived_name(raw):
    frame = raw.iloc[:30][["Close"]].assign(HighLow=7.0)
    table = read_with_features(frame, "Close", ["HighLow"])
    assert (table.frame["HighLow"] == 7.0).all() and len(table) == 30


def test_unknown_and_unusable_names_are_clear_errors(raw):
    with pytest.raises(DataError, match=r"apple.csv: no column 'Volatility' \(feature\); available columns: "
                                        r"Date, Open.*derived features: HighLow \(from High, Low\)"):
        read_with_features(APPLE, "Close", ["Volatility"])
    with pytest.raises(DataError, match=r"derived feature 'HighLow' needs column\(s\) 'High', 'Low'"):
        read_with_features(raw[["Close", "Volume"]], "Close", ["HighLow"])
    bad = raw.iloc[:20].copy()
    bad.iloc[5, bad.columns.get_loc("Volume")] = -1.0
    with pytest.raises(DataError, match=r"'LogVolume' needs column 'Volume' >= 0, found -1.0 on 2018-02-20"):
        read_with_features(bad, "Close", ["LogVolume"])
    with pytest.raises(ValueError, match="must not repeat"):
        read_with_features(APPLE, "Close", ["HighLow", "HighLow"])


def test_every_documented_feature_is_in_the_module_docstring():
    import lstmcast.data.features as module

    for name, feature in DERIVED_FEATURES.items():
        assert name in module.__doc__ and all(c in module.__doc__ for c in feature.needs)


def test_the_classic_set_up_feeds_three_inputs(raw):
    fc = Forecaster(look_back=10, horizon=1, hidden_size=4, epochs=1, verbose=False)
    fc.fit(raw.iloc[-200:], target="Close", features=["Volume", "HighLow"])
    assert fc.network_.lstm.input_size == 3 and fc.features_ == ("Volume", "HighLow")
    newer = raw.iloc[-150:]
    forecast = fc.forecast(newer)  # derived features are rebuilt from newer raw data
    assert forecast.index[0] > newer.index[-1] and np.isfinite(forecast.to_numpy()).all()
