"""Chronological splits: sizes, order, no overlap, and the ETTh1 protocol rows."""

import numpy as np
import pytest

from lstmcast.data.split import Split, chronological_split, split_rows
from lstmcast.data.windows import make_windows


def rows(part: slice) -> list[int]:
    return list(range(part.start, part.stop))


@pytest.mark.parametrize(
    "n_rows, val_fraction, test_fraction, sizes",
    [
        (100, 0.2, 0.0, (80, 20, 0)),
        (100, 0.2, 0.1, (70, 20, 10)),
        (144, 0.2, 0.0, (115, 29, 0)),  # 28.8 rounds to 29
        (10, 0.25, 0.0, (7, 3, 0)),  # 2.5 rounds half up to 3
        (10, 0.01, 0.01, (8, 1, 1)),  # a nonzero fraction keeps at least one row
        (5, 0.0, 0.0, (5, 0, 0)),
    ],
)
def test_sizes(n_rows, val_fraction, test_fraction, sizes):
    split = chronological_split(n_rows, val_fraction, test_fraction)
    assert split.sizes == sizes


@pytest.mark.parametrize("n_rows, val_fraction, test_fraction", [(100, 0.2, 0.1), (37, 0.3, 0.2), (3, 0.3, 0.3)])
def test_parts_are_in_time_order_and_cover_every_row_once(n_rows, val_fraction, test_fraction):
    split = chronological_split(n_rows, val_fraction, test_fraction)
    train, val, test = rows(split.train), rows(split.val), rows(split.test)
    assert train + val + test == list(range(n_rows))  # contiguous, ordered, nothing shuffled
    assert train[0] == 0 and max(train) < min(val) and max(val) < min(test)


def test_slices_select_rows_of_an_array():
    values = np.arange(20)
    split = chronological_split(20, 0.25, 0.25)
    assert values[split.train].tolist() == list(range(10))
    assert values[split.val].tolist() == list(range(10, 15))
    assert values[split.test].tolist() == list(range(15, 20))


def test_etth1_protocol_rows():
    split = split_rows(17420, 8640, 11520, 14400)
    assert split == Split(train=slice(0, 8640), val=slice(8640, 11520), test=slice(11520, 14400))
    look_back = 96
    assert split.window_rows("val", look_back) == slice(8640 - 96, 11520)
    assert split.window_rows("test", look_back) == slice(11520 - 96, 14400)
    assert split.window_rows("train", look_back) == slice(0, 8640)


def test_window_rows_forecast_every_row_of_the_part():
    # Windows cut from window_rows("val") forecast val rows only, starting at its first row;
    # only their inputs reach back into training rows.
    values = np.arange(50.0)
    split = split_rows(50, 30, 40)
    look_back, horizon = 5, 3
    part = split.window_rows("val", look_back)
    X, Y, origins = make_windows(values[part], look_back, horizon)
    targets = origins + part.start
    assert targets[0] == 30 and targets[-1] + horizon == 40
    assert Y.min() >= 30 and Y.max() < 40
    assert X.min() == 25  # inputs reach back look_back rows into training rows


def test_window_rows_stops_at_row_zero():
    split = split_rows(10, 2, 6)
    assert split.window_rows("val", 5) == slice(0, 6)


def test_split_rows_defaults_test_to_the_end():
    split = split_rows(10, 6, 8)
    assert split.sizes == (6, 2, 2)
    assert split_rows(10, 10, 10).sizes == (10, 0, 0)


@pytest.mark.parametrize(
    "args, match",
    [
        ((10, 0, 5), "train_end"),
        ((10, 11, 11), "train_end"),
        ((10, 6, 5), "val_end"),
        ((10, 6, 11), "val_end"),
        ((10, 6, 8, 7), "test_end"),
        ((10, 6, 8, 11), "test_end"),
        ((0, 1, 1), "n_rows"),
    ],
)
def test_split_rows_checks_order(args, match):
    with pytest.raises(ValueError, match=match):
        split_rows(*args)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_rows": 10, "val_fraction": 1.0}, "val_fraction"),
        ({"n_rows": 10, "val_fraction": -0.1}, "val_fraction"),
        ({"n_rows": 10, "test_fraction": 1.5}, "test_fraction"),
        ({"n_rows": 10, "val_fraction": 0.5, "test_fraction": 0.5}, "leave training rows"),
        ({"n_rows": 2, "val_fraction": 0.1, "test_fraction": 0.1}, "leave training rows"),
        ({"n_rows": 0}, "n_rows"),
        ({"n_rows": 10.0}, "n_rows"),
    ],
)
def test_chronological_split_checks_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        chronological_split(**kwargs)


def test_window_rows_checks_arguments():
    split = chronological_split(10)
    with pytest.raises(ValueError, match="part"):
        split.window_rows("validation", 3)
    with pytest.raises(ValueError, match="look_back"):
        split.window_rows("val", 0)
