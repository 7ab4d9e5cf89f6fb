"""Entries and check_array: each value read from a model folder checked, refused naming file and key."""

import numpy as np
import pytest

from lstmcast.checkpoint import CheckpointError
from lstmcast.checkpoint.entries import Entries, check_array, history_entries, refuse_non_finite


def test_each_reader_names_the_file_and_the_key():
    entries = Entries({"n": 3, "x": 0.5, "name": "a", "on": True, "xs": [1, None], "inner": {"k": -1}}, "m/config.json")
    assert (entries.integer("n", low=1), entries.number("x", 0, 1), entries.text("name", ("a", "b")),
            entries.flag("on"), entries.numbers("xs", none=True)) == (3, 0.5, "a", True, [1, None])
    cases = [
        (lambda: entries.integer("n", high=2), "m/config.json: config['n'] is 3; expected an integer <= 2"),
        (lambda: entries.integer("on"), "config['on'] is True; expected an integer"),  # a bool is not a number
        (lambda: entries.number("name"), "config['name'] is 'a'; expected a finite number"),
        (lambda: entries.text("name", ("b",)), "config['name'] is 'a'; expected one of 'b'"),
        (lambda: entries.numbers("xs"), r"config['xs'][1] is None; expected a finite number"),
        (lambda: entries.child("inner").integer("k", low=0), "config['inner']['k'] is -1; expected an integer >= 0"),
        (lambda: entries.get("gone"), "config['gone'] is missing"),
        (lambda: entries.child("n"), "config['n'] is 3; expected a JSON object"),
    ]
    for read, message in cases:
        with pytest.raises(CheckpointError) as caught:
            read()
        assert message in str(caught.value)


def test_non_finite_numbers_are_found_at_any_depth_without_recursion():
    deep = current = {}
    for _ in range(50_000):  # deeper than Python's recursion limit
        current["a"] = current = {}
    current["x"] = float("inf")
    with pytest.raises(CheckpointError, match=r"f.json: \['a'\].*\['x'\] is inf"):
        refuse_non_finite(deep, "f.json")
    refuse_non_finite({"a": [1.0, 2, None, "inf"]}, "f.json")  # a string is not a number


def test_history_entries_checks_lengths_and_ranges():
    good = {"train_loss": [1.0, 0.5], "val_loss": [None, 0.7], "seconds": [0.1, 0.1], "best_epoch": 2,
            "stopped_early": False}
    assert history_entries(Entries({"h": good}, "f"), "h") is good
    with pytest.raises(CheckpointError, match=r"config\['h'\]\['val_loss'\] is \[1.0\]; expected a list of 2 numbers"):
        history_entries(Entries({"h": {**good, "val_loss": [1.0]}}, "f"), "h")


def test_check_array_refuses_shape_range_nan_and_order():
    check_array("w", "a", np.array([0.0, 1.0]), low=0, high=1, shape=(2,), increasing=True)
    for array, kwargs, message in [
        (np.array([0.0, np.nan]), {}, "holds nan; expected values finite"),
        (np.array([2.0]), {"high": 1}, r"holds 2.0; expected values finite <= 1"),
        (np.zeros((2, 3)), {"shape": (None, 4)}, r"has shape \(2, 3\); expected \(any, 4\)"),
        (np.array([3, 3]), {"increasing": True}, "is not strictly increasing"),
    ]:
        with pytest.raises(CheckpointError, match="w: array 'a' " + message):
            check_array("w", "a", array, **kwargs)


def test_a_list_is_read_by_index_and_named_so():
    entries = Entries({"hs": [{"n": 1}, {"n": -2}]}, "f")
    listed = entries.listed("hs")
    assert listed.keys() == [0, 1] and listed.child(0).integer("n") == 1
    with pytest.raises(CheckpointError, match=r"f: config\['hs'\]\[1\]\['n'\] is -2; expected an integer >= 0"):
        listed.child(1).integer("n", low=0)
    with pytest.raises(CheckpointError, match=r"config\['hs'\]\[2\] is missing"):
        listed.child(2)
    with pytest.raises(CheckpointError, match=r"config\['hs'\]\[0\] is \{'n': 1\}; expected a JSON list"):
        listed.listed(0)
