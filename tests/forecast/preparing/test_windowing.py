"""The steps between the scaler and the network: window normalisation, patches, the log encoding."""

import numpy as np
import pytest

from lstmcast.data.errors import DataError
from lstmcast.forecast.preparing.windowing import (WINDOW_NORMS, check_window_norm, decode_levels, encode_values,
                                         network_windows)

RNG = np.random.default_rng(0)
X = RNG.normal(size=(5, 12, 2))  # (n, look_back, F)
Y = RNG.normal(size=(5, 3))  # (n, horizon)


@pytest.mark.parametrize("kind", WINDOW_NORMS)
def test_targets_map_back_to_the_scaled_units(kind):
    windows = network_windows(X, Y, kind, patch=1, dtype="float64")
    np.testing.assert_allclose(windows.restore(windows.y), Y, rtol=0, atol=1e-14)


def test_mean_std_normalises_the_target_column_only():
    windows = network_windows(X, Y, "mean_std", patch=1, dtype="float64")
    np.testing.assert_allclose(windows.x[:, :, 0].mean(axis=1), 0.0, atol=1e-12)
    np.testing.assert_array_equal(windows.x[:, :, 1], X[:, :, 1])
    expected = (Y - X[:, :, 0].mean(axis=1, keepdims=True)) / np.sqrt(X[:, :, 0].var(axis=1, keepdims=True) + 1e-5)
    np.testing.assert_allclose(windows.y, expected, rtol=1e-12)


def test_patches_are_consecutive_rows():
    windows = network_windows(X, None, "none", patch=4, dtype="float64")
    assert windows.x.shape == (5, 3, 8)
    np.testing.assert_array_equal(windows.x[2, 1], X[2, 4:8].ravel())  # rows 4..7, every feature of each
    assert windows.y is None


def test_the_model_dtype_is_used():
    windows = network_windows(X, Y, "last", patch=1, dtype="float32")
    assert windows.x.dtype == windows.y.dtype == np.float32


def test_log_encoding_round_trips_and_refuses_non_positive_targets():
    values = np.array([[1.0, -3.0], [10.0, 0.0], [100.0, 2.0]])
    encoded = encode_values(values, "log_mean_std", "none")
    np.testing.assert_allclose(encoded[:, 0], np.log(values[:, 0]))
    np.testing.assert_array_equal(encoded[:, 1], values[:, 1])  # features untouched
    np.testing.assert_allclose(decode_levels(encoded[:, :1], "log_mean_std")[:, 0], values[:, 0], rtol=1e-15)
    with pytest.raises(DataError, match=r"sales.csv: window_norm='log_mean_std' needs a positive 'sales', found 0.0 at row 1"):
        encode_values(np.array([[1.0], [0.0]]), "log_mean_std", "none", "sales.csv", "sales")


def test_window_norm_choices_are_checked():
    with pytest.raises(ValueError, match="window_norm must be one of"):
        check_window_norm("revin", "none")
    with pytest.raises(ValueError, match="target_transform='none'"):
        check_window_norm("log_mean_std", "diff")
    assert check_window_norm("auto", "none") == "auto"


def test_a_panel_series_encoded_for_log_returns_is_named_when_it_is_not_positive():
    from lstmcast.data.panel_split import SeriesScalers
    from lstmcast.forecast.preparing.scaling import PanelScaling

    scaling = PanelScaling("none", "log_return", SeriesScalers({}), "p.csv")
    with pytest.raises(DataError, match=r"^p.csv: series 'b': target_transform='log_return' needs a positive target"):
        scaling.encoded("b", np.array([[1.0], [-2.0], [3.0]]), "p.csv")


def test_unscaled_windows_that_overflow_the_model_dtype_are_refused_before_training():
    import pandas as pd

    from lstmcast import Forecaster

    values = (np.arange(40.0) + 10.0) * 1e100  # beyond float32
    frame = pd.DataFrame({"y": values}, index=pd.date_range("2000-01-01", periods=40, freq="D"))
    settings = dict(look_back=6, horizon=3, scaler="none", window_norm="none", epochs=1, verbose=False)
    with pytest.raises(DataError, match=r"^DataFrame: the training windows overflow the model's float32 \(values of "
                                        r".*e\+101 after scaling\); use scaler='standard'"):
        Forecaster(**settings).fit(frame, target="y")
    fitted = Forecaster(**settings, dtype="float64").fit(frame, target="y")
    assert np.isfinite(fitted.forecast()["y"]).all()


def test_known_columns_are_read_relative_to_their_own_window_mean():
    from lstmcast.forecast.preparing.windowing import network_windows

    rng = np.random.default_rng(3)
    x = rng.normal(size=(4, 12, 3))  # target, a day-ahead column, a calendar column
    known = rng.normal(size=(4, 5, 2))  # the day-ahead column and the calendar column at 5 steps
    base = network_windows(x, None, "mean_std", 1, "float64", known, (1, -1))
    moved_x, moved_known = x.copy(), known.copy()
    moved_x[:, :, 1] += 7  # another level of the day-ahead column, in the window and at the steps
    moved_known[:, :, 0] += 7
    moved = network_windows(moved_x, None, "mean_std", 1, "float64", moved_known, (1, -1))
    np.testing.assert_allclose(moved.known, base.known, atol=1e-12)
    np.testing.assert_allclose(moved.x, base.x, atol=1e-12)
    window_mean = x[:, :, 1].mean(axis=1)  # (4,)
    np.testing.assert_allclose(base.known[:, :, 0], known[:, :, 0] - window_mean[:, None], atol=1e-12)  # not divided
    np.testing.assert_array_equal(base.known[:, :, 1], known[:, :, 1])  # the calendar column as it is
    raw = network_windows(x, None, "none", 1, "float64", known, (1, -1))  # windows left as they are: so are they
    np.testing.assert_array_equal(raw.known, known)
