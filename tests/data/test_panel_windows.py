"""Windows across a panel: cut per series (never across two), scaled per series, origins kept."""

import numpy as np
import pandas as pd
import pytest

from lstmcast.data import fit_series_scalers, panel_windows, read_panel, split_panel


@pytest.fixture
def panel():
    frame = pd.concat([
        pd.DataFrame({"unique_id": "a", "ds": np.arange(20), "y": np.arange(20.0)}),
        pd.DataFrame({"unique_id": "b", "ds": np.arange(5, 17), "y": 1000.0 + np.arange(12.0)}),
        pd.DataFrame({"unique_id": "tiny", "ds": np.arange(6), "y": np.arange(1.0, 7.0)}),
    ])
    return read_panel(frame)


def test_training_windows_never_join_two_series(panel):
    splits = split_panel(panel, val_rows=4)
    windows = panel_windows(panel, look_back=3, horizon=2, splits=splits, part="train")
    assert windows.counts() == {"a": 16 - 5 + 1, "b": 8 - 5 + 1, "tiny": 0}
    for X, Y, k, origin in zip(windows.X, windows.Y, windows.series, windows.origins):
        values = panel.target_values(windows.ids[k])
        np.testing.assert_array_equal(X[:, 0], values[origin - 3:origin])
        np.testing.assert_array_equal(Y, values[origin:origin + 2])
        assert origin + 2 <= splits[windows.ids[k]].train.stop  # targets inside the training rows


def test_validation_windows_forecast_the_last_rows_of_every_series(panel):
    splits = split_panel(panel, val_rows=4)
    windows = panel_windows(panel, look_back=3, horizon=2, splits=splits, part="val")
    # tiny has 2 training rows: its first validation window starts once look_back rows exist, at row 3
    assert windows.counts() == {"a": 3, "b": 3, "tiny": 2}
    assert set(windows.origins[windows.series == 2]) == {3, 4}
    first_a = int(np.flatnonzero(windows.series == 0)[0])
    assert windows.origins[first_a] == 16  # the first validation row, inputs from the last training rows
    np.testing.assert_array_equal(windows.X[first_a, :, 0], [13.0, 14.0, 15.0])


def test_each_series_is_scaled_with_its_own_training_statistics(panel):
    splits = split_panel(panel.select(["a", "b"]), val_rows=4)
    small = panel.select(["a", "b"])
    scalers = fit_series_scalers(small, splits, "standard")
    windows = panel_windows(small, 3, 2, splits, "train", scalers=scalers)
    for k, name in enumerate(small.ids):
        train = small.target_values(name)[splits[name].train]
        ours = windows.X[windows.series == k][0, :, 0]
        np.testing.assert_allclose(ours, (train[:3] - train.mean()) / train.std(), rtol=1e-12)
    assert abs(windows.Y).max() < 3  # series 1000 times apart end up on one scale


def test_bad_arguments_are_named(panel):
    with pytest.raises(ValueError, match="part must be 'train', 'val' or 'test'"):
        panel_windows(panel, 3, 2, split_panel(panel, val_rows=1), part="validation")
    with pytest.raises(ValueError, match="splits has no split for series 'b'"):
        panel_windows(panel, 3, 2, {"a": split_panel(panel, val_rows=1)["a"]})
