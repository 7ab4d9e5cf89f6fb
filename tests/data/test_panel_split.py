"""Per-series splits and scalers: the last rows of every series validate, scalers see training rows only."""

import json

import numpy as np
import pandas as pd
import pytest

from lstmcast.data import DataError, SeriesScalers, fit_series_scalers, read_panel, split_panel


@pytest.fixture
def frame():
    rng = np.random.default_rng(0)
    parts = []
    for name, n, level in [("small", 30, 1.0), ("big", 50, 1000.0), ("late", 20, -50.0)]:
        parts.append(pd.DataFrame({"unique_id": name, "ds": np.arange(n) + (7 if name == "late" else 0),
                                   "y": level + rng.normal(size=n) * abs(level) / 10}))
    return pd.concat(parts, ignore_index=True)


def test_every_series_is_split_at_its_own_end(frame):
    splits = split_panel(read_panel(frame), val_fraction=0.2)
    assert splits["small"].sizes == (24, 6, 0) and splits["big"].sizes == (40, 10, 0)
    assert splits["late"].sizes == (16, 4, 0)
    fixed = split_panel(read_panel(frame), val_rows=5, test_rows=3)
    assert {name: s.sizes for name, s in fixed.items()} == {"small": (22, 5, 3), "big": (42, 5, 3),
                                                             "late": (12, 5, 3)}


def test_a_series_left_without_training_rows_is_named(frame):
    with pytest.raises(DataError, match=r"series 'late' has 20 rows: 15 validation and 5 test rows leave none"):
        split_panel(read_panel(frame), val_rows=15, test_rows=5)
    with pytest.raises(ValueError, match="val_rows must be an int >= 0"):
        split_panel(read_panel(frame), val_rows=-1)


def test_each_scaler_is_fitted_on_its_own_training_rows(frame):
    panel = read_panel(frame)
    splits = split_panel(panel, val_fraction=0.25)
    scalers = fit_series_scalers(panel, splits, "standard")
    for name in panel.ids:
        train = panel.target_values(name)[splits[name].train]
        assert scalers[name].mean_[0] == pytest.approx(train.mean(), rel=1e-12)
        assert scalers[name].scale_[0] == pytest.approx(train.std(), rel=1e-12)
    scaled = scalers.transform("big", panel.values("big")[splits["big"].train])
    assert abs(scaled.mean()) < 1e-12 and scaled.std() == pytest.approx(1.0)
    back = scalers.inverse_transform_target("big", scaled[:, 0])
    np.testing.assert_allclose(back, panel.target_values("big")[splits["big"].train], rtol=1e-12)


def test_scalers_never_see_validation_rows(frame):
    panel = read_panel(frame)
    splits = split_panel(panel, val_fraction=0.2)
    clean = fit_series_scalers(panel, splits, "minmax")
    poisoned = frame.copy()
    for name, split in splits.items():
        rows = np.flatnonzero((poisoned.unique_id == name).to_numpy())[split.val]  # the series' validation rows
        poisoned.loc[rows, "y"] = 1e9  # nonsense in every validation row
    dirty_panel = read_panel(poisoned)
    assert dirty_panel.target_values("big").max() == 1e9  # the poison is in the data the scalers are fitted from
    dirty = fit_series_scalers(dirty_panel, split_panel(dirty_panel, val_fraction=0.2), "minmax")
    assert dirty.to_dict() == clean.to_dict()


def test_scalers_round_trip_through_json(frame):
    panel = read_panel(frame)
    scalers = fit_series_scalers(panel, split_panel(panel), "standard")
    again = SeriesScalers.from_dict(json.loads(json.dumps(scalers.to_dict())))
    values = panel.values("late")
    np.testing.assert_array_equal(again.transform("late", values), scalers.transform("late", values))
    with pytest.raises(KeyError, match="no scaler for series 'other'"):
        again["other"]
    with pytest.raises(ValueError, match="scaler must be one of"):
        fit_series_scalers(panel, split_panel(panel), "robust")
