"""Model directories: exact round trips, every error message, atomic saves."""

from __future__ import annotations

import json
import math
import os
import struct
from datetime import datetime, timezone

import numpy as np
import pytest
import safetensors
import safetensors.numpy

import lstmcast
from lstmcast import checkpoint
from lstmcast.checkpoint import (
    FORMAT_VERSION,
    Checkpoint,
    CheckpointError,
    load_checkpoint,
    save_checkpoint,
    to_jsonable,
)

ALL_FILES = {
    "config.json",
    "weights.safetensors",
    "optimizer.safetensors",
    "training_state.json",
    "resume.safetensors",
}


# -- helpers ------------------------------------------------------------------------


def assert_same_json(actual, expected, where="value"):
    """Equal values AND equal types all the way down; floats compared bit for bit."""
    assert type(actual) is type(expected), f"{where}: {type(actual)} != {type(expected)}"
    if isinstance(expected, dict):
        assert list(actual) == list(expected), where
        for key in expected:
            assert_same_json(actual[key], expected[key], f"{where}[{key!r}]")
    elif isinstance(expected, list):
        assert len(actual) == len(expected), where
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_same_json(a, e, f"{where}[{i}]")
    elif isinstance(expected, float):
        same_bits = struct.pack("<d", actual) == struct.pack("<d", expected)
        assert same_bits, f"{where}: {actual!r} != {expected!r}"
    else:
        assert actual == expected, where


def assert_same_arrays(actual: dict, expected: dict):
    """Same keys, dtypes, shapes and bytes."""
    assert set(actual) == set(expected)
    for key, value in expected.items():
        assert actual[key].dtype == value.dtype, key
        assert actual[key].shape == value.shape, key
        assert actual[key].tobytes() == value.tobytes(), key


def sample_weights(rng) -> dict[str, np.ndarray]:
    weights = {
        "lstm.weight_ih_l0": rng.standard_normal((8, 3)).astype(np.float32),
        "lstm.weight_hh_l0": rng.standard_normal((8, 2)),
        "half": rng.standard_normal((2, 2)).astype(np.float16),
        "scalar": np.array(2.5, dtype=np.float64),  # 0-d
        "empty": np.zeros((2, 0, 3), dtype=np.float32),
        "mask": np.array([True, False, True]),
        "flag": np.array(True),  # 0-d bool
        "specials": np.array([np.nan, -np.inf, np.inf, -0.0, 5e-324, 1.7976931348623157e308]),
    }
    for name in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"):
        info = np.iinfo(name)
        weights[name] = np.array([info.min, 0, info.max], dtype=name)
    return weights


def listing(path):
    return sorted(os.listdir(path))


@pytest.fixture
def rng():
    return np.random.default_rng(20240611)


@pytest.fixture
def model_dir(tmp_path):
    return tmp_path / "model"


# -- round trips --------------------------------------------------------------------


def test_full_round_trip_is_exact(model_dir, rng):
    weights = sample_weights(rng)
    config = {
        "hidden_size": 64,
        "lr": 0.1,
        "third": 1 / 3,
        "tiny": 5e-324,
        "huge": 1.7976931348623157e308,
        "negative_zero": -0.0,
        "whole_float": 2.0,
        "big_int": 2**200,
        "negative_big_int": -(2**70) - 1,
        "flag": True,
        "nothing": None,
        "columns": ["Passengers", "Température", "日本", "tab\tquote\""],
        "scaler": {"kind": "standard", "center_": [1.25, -3.5], "scale_": [0.5, 7.0]},
        "empty_list": [],
        "empty_dict": {},
    }
    optimizer_arrays = {"m.w": rng.standard_normal(5), "v.w": rng.standard_normal(5) ** 2}
    optimizer_meta = {"type": "Adam", "step": 17, "lr": 0.001, "betas": [0.9, 0.999], "eps": 1e-8}
    training_state = {"epoch": 12, "history": {"loss": [0.5, 0.25], "val_loss": [0.6, 0.3]},
                      "best_epoch": 11, "wait": 1}
    resume_arrays = {"last.w": rng.standard_normal((3, 3)).astype(np.float32)}

    returned = save_checkpoint(model_dir, kind="forecaster", config=config, weights=weights,
                               optimizer=(optimizer_arrays, optimizer_meta),
                               training_state=training_state, resume_arrays=resume_arrays)
    assert returned == model_dir
    loaded = load_checkpoint(model_dir, kind="forecaster")

    assert isinstance(loaded, Checkpoint)
    assert loaded.kind == "forecaster"
    assert_same_json(loaded.config, config)
    assert_same_arrays(loaded.weights, weights)
    assert_same_arrays(loaded.optimizer[0], optimizer_arrays)
    assert_same_json(loaded.optimizer[1], optimizer_meta)
    assert_same_json(loaded.training_state, training_state)
    assert_same_arrays(loaded.resume_arrays, resume_arrays)
    assert math.copysign(1.0, loaded.config["negative_zero"]) == -1.0


def test_generator_state_round_trip_gives_the_same_next_numbers(model_dir):
    original = np.random.default_rng(7)
    original.random(11)
    original.integers(0, 1000, size=3, dtype=np.uint32)  # leaves a buffered 32-bit half
    state = original.bit_generator.state
    assert state["state"]["state"] > 2**64  # the case JSON must carry exactly
    save_checkpoint(model_dir, kind="forecaster", config={}, weights={},
                    training_state={"rng": state})

    restored = np.random.default_rng()
    restored.bit_generator.state = load_checkpoint(model_dir).training_state["rng"]
    assert restored.bit_generator.state == original.bit_generator.state
    np.testing.assert_array_equal(restored.integers(0, 2**32, size=5, dtype=np.uint32),
                                  original.integers(0, 2**32, size=5, dtype=np.uint32))
    np.testing.assert_array_equal(restored.standard_normal(20), original.standard_normal(20))


def test_minimal_model_writes_exactly_config_and_weights(model_dir):
    save_checkpoint(model_dir, kind="charmodel", config={"vocab": ["a", "b"]},
                    weights={"w": np.ones(2, np.float32)})
    assert listing(model_dir) == ["config.json", "weights.safetensors"]
    assert listing(model_dir.parent) == ["model"]  # no temporary sibling left
    loaded = load_checkpoint(model_dir)
    assert loaded.kind == "charmodel"
    assert loaded.optimizer is None
    assert loaded.training_state is None
    assert loaded.resume_arrays is None


def test_full_model_writes_exactly_the_five_files(model_dir):
    save_checkpoint(model_dir, kind="forecaster", config={}, weights={"w": np.zeros(1)},
                    optimizer=({}, {"step": 0}), training_state={}, resume_arrays={})
    assert set(listing(model_dir)) == ALL_FILES
    assert listing(model_dir.parent) == ["model"]
    loaded = load_checkpoint(model_dir)
    # empty optional parts come back empty, not None
    assert loaded.optimizer == ({}, {"step": 0})
    assert loaded.training_state == {}
    assert loaded.resume_arrays == {}


def test_files_follow_the_documented_layout(model_dir):
    meta = {"type": "SGD", "step": 3, "lr": 0.01}
    save_checkpoint(model_dir, kind="forecaster", config={"look_back": 24},
                    weights={"w": np.arange(3.0)}, optimizer=({"momentum.w": np.ones(3)}, meta))
    document = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    saved_at = datetime.fromisoformat(document.pop("saved_at"))
    assert abs((datetime.now(timezone.utc) - saved_at).total_seconds()) < 60
    assert document == {
        "format": "lstmcast",
        "format_version": FORMAT_VERSION,
        "kind": "forecaster",
        "lstmcast_version": lstmcast.__version__,
        "config": {"look_back": 24},
    }
    with safetensors.safe_open(model_dir / "optimizer.safetensors", framework="np") as handle:
        assert json.loads(handle.metadata()["meta"]) == meta
        np.testing.assert_array_equal(handle.get_tensor("momentum.w"), np.ones(3))
    np.testing.assert_array_equal(
        safetensors.numpy.load_file(model_dir / "weights.safetensors")["w"], np.arange(3.0)
    )


def test_non_contiguous_and_big_endian_arrays_keep_their_values(model_dir):
    transposed = np.arange(12, dtype=np.float32).reshape(3, 4).T  # (4, 3), not C-contiguous
    big_endian = np.array([1.5, -2.25, 1e300], dtype=">f8")
    save_checkpoint(model_dir, kind="forecaster", config={},
                    weights={"t": transposed, "b": big_endian})
    loaded = load_checkpoint(model_dir).weights
    np.testing.assert_array_equal(loaded["t"], transposed)
    assert loaded["t"].dtype == np.float32
    np.testing.assert_array_equal(loaded["b"], big_endian)
    assert loaded["b"].dtype == np.dtype("<f8")


def test_loaded_arrays_are_writable_copies(model_dir):
    save_checkpoint(model_dir, kind="forecaster", config={}, weights={"w": np.zeros(4)})
    first = load_checkpoint(model_dir).weights["w"]
    first[:] = 9.0
    np.testing.assert_array_equal(load_checkpoint(model_dir).weights["w"], np.zeros(4))


def test_saving_again_replaces_the_whole_model(model_dir):
    save_checkpoint(model_dir, kind="forecaster", config={"v": 1}, weights={"w": np.zeros(2)},
                    optimizer=({"m": np.ones(2)}, {"step": 1}), training_state={"epoch": 1})
    save_checkpoint(model_dir, kind="forecaster", config={"v": 2}, weights={"w": np.ones(3)})
    assert listing(model_dir) == ["config.json", "weights.safetensors"]  # stale optional files gone
    assert listing(model_dir.parent) == ["model"]  # the old copy set aside is deleted
    loaded = load_checkpoint(model_dir)
    assert loaded.config == {"v": 2}
    np.testing.assert_array_equal(loaded.weights["w"], np.ones(3))
    assert loaded.optimizer is None and loaded.training_state is None


def test_save_into_an_existing_empty_directory_and_missing_parents(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    save_checkpoint(str(empty), kind="forecaster", config={}, weights={})
    assert listing(empty) == ["config.json", "weights.safetensors"]
    nested = tmp_path / "a" / "b" / "model"
    save_checkpoint(nested, kind="forecaster", config={}, weights={})
    assert load_checkpoint(str(nested)).kind == "forecaster"


# -- to_jsonable ----------------------------------------------------------------------


def test_to_jsonable_turns_numpy_values_and_tuples_into_plain_json(model_dir):
    value = {
        np.str_("mean"): np.float32(0.1),
        "count": np.int64(2**62),
        "unsigned": np.uint64(2**64 - 1),
        "flag": np.bool_(True),
        "name": np.str_("airline"),
        "shape": (24, np.int32(12)),
        "centers": np.array([[1.5, -2.0], [0.25, 3.0]]),
        "halves": np.array([0.1], dtype=np.float16),
        "nested": [(1, 2.5), {"x": np.float64(1 / 3)}],
        "plain": [None, "s", 3, 1.5, False],
    }
    expected = {
        "mean": float(np.float32(0.1)),
        "count": 2**62,
        "unsigned": 2**64 - 1,
        "flag": True,
        "name": "airline",
        "shape": [24, 12],
        "centers": [[1.5, -2.0], [0.25, 3.0]],
        "halves": [float(np.float16(0.1))],
        "nested": [[1, 2.5], {"x": 1 / 3}],
        "plain": [None, "s", 3, 1.5, False],
    }
    converted = to_jsonable(value)
    assert_same_json(converted, expected)
    save_checkpoint(model_dir, kind="forecaster", config=converted, weights={})
    assert_same_json(load_checkpoint(model_dir).config, expected)


@pytest.mark.parametrize(
    "value, fragment",
    [
        ({"w": np.zeros(checkpoint.MAX_JSON_ARRAY_SIZE + 1)}, "obj['w'] is an array of"),
        ({"z": [np.complex128(1 + 2j)]}, "obj['z'][0] is a numpy complex128 scalar"),
        ({"o": np.array([object()])}, "obj['o'] is a numpy object array"),
        ({3: 1.0}, "obj has key 3"),
        ({"s": {1, 2}}, "obj['s'] is a set"),
    ],
)
def test_to_jsonable_refuses_what_json_cannot_hold(value, fragment):
    with pytest.raises(ValueError) as caught:
        to_jsonable(value)
    assert fragment in str(caught.value)


# -- what save refuses ---------------------------------------------------------------


@pytest.mark.parametrize(
    "array, dtype_text",
    [
        (np.array(["a", "b"]), "<U1"),
        (np.array([1 + 2j]), "complex128"),
        (np.array([{"a": 1}], dtype=object), "object"),
        (np.array([1.0], dtype=np.longdouble), str(np.dtype(np.longdouble))),
    ],
)
@pytest.mark.parametrize("part", ["weights", "optimizer", "resume_arrays"])
def test_save_refuses_arrays_that_are_not_plain_numbers(tmp_path, array, dtype_text, part):
    if array.dtype == np.float64:
        pytest.skip("long double is float64 on this platform, which is allowed")
    target = tmp_path / "model"
    arguments = {"weights": {"ok": np.zeros(1)}}
    if part == "weights":
        arguments["weights"] = {"ok": np.zeros(1), "bad.key": array}
        expected = "weights['bad.key'] has dtype"
    elif part == "optimizer":
        arguments["optimizer"] = ({"bad.key": array}, {"step": 1})
        expected = "optimizer arrays['bad.key'] has dtype"
    else:
        arguments["resume_arrays"] = {"bad.key": array}
        expected = "resume_arrays['bad.key'] has dtype"
    with pytest.raises(CheckpointError) as caught:
        save_checkpoint(target, kind="forecaster", config={}, **arguments)
    assert expected in str(caught.value)
    assert dtype_text in str(caught.value)
    assert listing(tmp_path) == []


@pytest.mark.parametrize(
    "config, training_state, fragment",
    [
        ({"lr": float("nan")}, None, "config['lr'] is nan; JSON has no NaN or infinity"),
        ({}, {"history": {"val_loss": [0.5, float("inf")]}},
         "training_state['history']['val_loss'][1] is inf; JSON has no NaN or infinity"),
        ({"betas": (0.9, 0.999)}, None, "config['betas'] is a builtins.tuple, not plain JSON; "
                                        "convert it with lstmcast.checkpoint.to_jsonable"),
        ({"mean": np.float64(1.5)}, None, "config['mean'] is a numpy.float64, not plain JSON"),
        ({"n": np.int64(3)}, None, "config['n'] is a numpy.int64, not plain JSON"),
        ({"w": np.zeros(2)}, None, "config['w'] is a numpy.ndarray, not plain JSON"),
        ({1: "a"}, None, "config has key 1 (int); JSON object keys must be str"),
        ({"s": {1}}, None, "config['s'] is a set, which has no JSON form"),
    ],
)
def test_save_refuses_values_that_would_not_load_back_equal(tmp_path, config, training_state,
                                                           fragment):
    with pytest.raises(CheckpointError) as caught:
        save_checkpoint(tmp_path / "model", kind="forecaster", config=config, weights={},
                        training_state=training_state)
    assert fragment in str(caught.value)
    assert listing(tmp_path) == []


def test_save_refuses_a_cycle_and_bad_arguments(tmp_path):
    looped = {"a": []}
    looped["a"].append(looped)
    cases = [
        (dict(kind="forecaster", config=looped, weights={}), "config['a'][0] contains itself"),
        (dict(kind="", config={}, weights={}), "kind must be a non-empty string"),
        (dict(kind="forecaster", config=[1], weights={}), "config must be a dict, got list"),
        (dict(kind="forecaster", config={}, weights=[np.zeros(1)]), "weights must be a dict"),
        (dict(kind="forecaster", config={}, weights={"": np.zeros(1)}), "weights has key ''"),
        (dict(kind="forecaster", config={}, weights={"r": [[1.0], [1.0, 2.0]]}),
         "weights['r'] is not an array"),
        (dict(kind="forecaster", config={}, weights={}, optimizer={"m": np.zeros(1)}),
         "optimizer must be a tuple (arrays, meta)"),
        (dict(kind="forecaster", config={}, weights={}, optimizer=({}, {"lr": float("-inf")})),
         "optimizer meta['lr'] is -inf"),
        (dict(kind="forecaster", config={}, weights={}, training_state=[1]),
         "training_state must be a dict or None"),
    ]
    for arguments, fragment in cases:
        with pytest.raises(CheckpointError) as caught:
            save_checkpoint(tmp_path / "model", **arguments)
        assert fragment in str(caught.value)
    assert listing(tmp_path) == []


def test_save_refuses_to_replace_what_is_not_a_model(tmp_path):
    precious = tmp_path / "home"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    expected = "holds files that are not part of a model \\(notes.txt\\)"
    with pytest.raises(CheckpointError, match=expected):
        save_checkpoint(precious, kind="forecaster", config={}, weights={})
    assert (precious / "notes.txt").read_text() == "keep me"

    other_tool = tmp_path / "other"
    other_tool.mkdir()
    (other_tool / "config.json").write_text('{"model_type": "bert"}')
    with pytest.raises(CheckpointError, match="is not an lstmcast config; refusing to replace"):
        save_checkpoint(other_tool, kind="forecaster", config={}, weights={})
    assert (other_tool / "config.json").read_text() == '{"model_type": "bert"}'

    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(CheckpointError, match="exists and is not a directory"):
        save_checkpoint(a_file, kind="forecaster", config={}, weights={})
    assert a_file.read_text() == "x"
    assert listing(tmp_path) == ["file", "home", "other"]


# -- what load refuses ---------------------------------------------------------------


def write_config(directory, document):
    directory.mkdir(exist_ok=True)
    (directory / "config.json").write_text(json.dumps(document), encoding="utf-8")
    safetensors.numpy.save_file({"w": np.zeros(1)}, directory / "weights.safetensors")


def good_document(**changes):
    document = {"format": "lstmcast", "format_version": 1, "kind": "forecaster",
                "lstmcast_version": "0.1.0", "config": {}}
    document.update(changes)
    return {key: value for key, value in document.items() if value is not ...}


def load_error(directory, kind=None) -> str:
    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(directory, kind=kind)
    message = str(caught.value)
    assert "\n" not in message
    assert isinstance(caught.value, ValueError)
    return message


def test_load_missing_directory(tmp_path):
    message = load_error(tmp_path / "nowhere")
    assert message == f"model directory {tmp_path / 'nowhere'} does not exist"


def test_load_a_file_instead_of_a_directory(tmp_path):
    (tmp_path / "model.csv").write_text("a,b\n")
    message = load_error(tmp_path / "model.csv")
    assert message == f"{tmp_path / 'model.csv'} is a file, not a model directory"


def test_load_a_directory_that_is_not_a_model(tmp_path):
    (tmp_path / "data.csv").write_text("a,b\n")
    message = load_error(tmp_path)
    assert message == (f"{tmp_path} is not an lstmcast model directory: expected config.json and "
                       "weights.safetensors inside, found data.csv")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert load_error(empty).endswith("found an empty directory")


def test_load_config_that_is_not_json(model_dir):
    write_config(model_dir, {})
    (model_dir / "config.json").write_text('{"format": "lstmcast",', encoding="utf-8")
    message = load_error(model_dir)
    assert message.startswith(f"{model_dir / 'config.json'} is not valid JSON: ")
    assert "line 1" in message
    (model_dir / "config.json").write_bytes(b"\xff\xfe{}")
    message = load_error(model_dir)
    assert message == f"{model_dir / 'config.json'} is not valid JSON: it is not UTF-8 text"
    (model_dir / "config.json").write_text('{"format": "lstmcast", "x": NaN}', encoding="utf-8")
    assert "NaN is not a JSON number" in load_error(model_dir)


@pytest.mark.parametrize(
    "document, expected",
    [
        ([1, 2], "does not hold a JSON object"),
        (good_document(format=...), 'has no "format" entry: it was not written by lstmcast'),
        (good_document(format="keras"),
         "has format 'keras', expected 'lstmcast': it was not written by lstmcast"),
        (good_document(format_version=2),
         "was written by a newer lstmcast (format 2); this lstmcast reads format 1"),
        (good_document(format_version=0),
         "has format_version 0, which this lstmcast does not know (it reads format 1)"),
        (good_document(format_version="1"), "has format_version '1', expected an integer"),
        (good_document(format_version=...), "has format_version None, expected an integer"),
        (good_document(kind=...), 'has no "kind" entry'),
        (good_document(config=...), 'has no "config" object'),
        (good_document(config=[1]), 'has no "config" object'),
    ],
)
def test_load_config_with_a_bad_header(model_dir, document, expected):
    write_config(model_dir, document)
    message = load_error(model_dir)
    assert message.startswith(str(model_dir / "config.json"))
    assert expected in message


def test_load_the_wrong_kind(model_dir):
    save_checkpoint(model_dir, kind="charmodel", config={}, weights={})
    message = load_error(model_dir, kind="forecaster")
    assert message == f"{model_dir} holds a charmodel, not a forecaster"
    assert load_checkpoint(model_dir, kind="charmodel").kind == "charmodel"


def test_load_without_weights(model_dir):
    save_checkpoint(model_dir, kind="forecaster", config={}, weights={"w": np.zeros(2)})
    (model_dir / "weights.safetensors").unlink()
    message = load_error(model_dir)
    assert message.startswith(f"{model_dir / 'weights.safetensors'} is missing")


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
@pytest.mark.parametrize("name", ["weights.safetensors", "optimizer.safetensors",
                                  "resume.safetensors"])
def test_load_corrupt_array_files(model_dir, damage, name):
    save_checkpoint(model_dir, kind="forecaster", config={}, weights={"w": np.arange(10.0)},
                    optimizer=({"m": np.arange(10.0)}, {"step": 1}),
                    resume_arrays={"r": np.arange(10.0)})
    path = model_dir / name
    content = path.read_bytes()
    path.write_bytes({"garbage": b"not a safetensors file at all",
                      "truncated": content[:-7],
                      "empty": b""}[damage])
    message = load_error(model_dir)
    assert message.startswith(f"{path} is not a readable safetensors file")


def test_load_optimizer_without_or_with_bad_meta(model_dir):
    save_checkpoint(model_dir, kind="forecaster", config={}, weights={})
    path = model_dir / "optimizer.safetensors"
    safetensors.numpy.save_file({"m": np.zeros(1)}, path)
    assert load_error(model_dir) == f"{path} has no 'meta' entry in its metadata"
    safetensors.numpy.save_file({"m": np.zeros(1)}, path, metadata={"meta": "{step: 1"})
    assert load_error(model_dir).startswith(f"{path}: its 'meta' metadata is not valid JSON")
    safetensors.numpy.save_file({"m": np.zeros(1)}, path, metadata={"meta": "[1]"})
    assert load_error(model_dir) == f"{path}: its 'meta' metadata is not a JSON object"


def test_load_bad_training_state(model_dir):
    save_checkpoint(model_dir, kind="forecaster", config={}, weights={},
                    training_state={"epoch": 1})
    path = model_dir / "training_state.json"
    path.write_text('{"epoch": ', encoding="utf-8")
    assert load_error(model_dir).startswith(f"{path} is not valid JSON: ")
    path.write_text("[1]", encoding="utf-8")
    assert load_error(model_dir) == f"{path} does not hold a JSON object"


# -- atomic saves ---------------------------------------------------------------------


class Boom(RuntimeError):
    pass


def fail_on_call(monkeypatch, module, name, call_number, exception=Boom):
    """Make ``module.name`` work normally until its ``call_number``-th call, which writes
    half of its output (where it writes one) and raises."""
    real = getattr(module, name)
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) < call_number:
            return real(*args, **kwargs)
        if name == "save_file":
            path = args[1]
            real(*args, **kwargs)
            content = open(path, "rb").read()
            with open(path, "wb") as handle:
                handle.write(content[: len(content) // 2])
        elif name == "dump":
            document, handle = args[0], args[1]
            text = json.dumps(document)
            handle.write(text[: len(text) // 2])
        raise exception("disk full")

    monkeypatch.setattr(module, name, flaky)
    return calls


FAILURES = [
    (safetensors.numpy, "save_file", 1, Boom),  # weights, the first array file
    (safetensors.numpy, "save_file", 2, Boom),  # optimizer: config and weights already written
    (safetensors.numpy, "save_file", 3, KeyboardInterrupt),  # resume arrays, the last file
    (json, "dump", 1, Boom),  # config.json, the first file
    (json, "dump", 2, Boom),  # training_state.json, after the array files
]


def save_full(directory, version):
    return save_checkpoint(
        directory, kind="forecaster", config={"version": version},
        weights={"w": np.full(50, float(version))},
        optimizer=({"m": np.zeros(50)}, {"step": version}),
        training_state={"epoch": version}, resume_arrays={"last": np.ones(50)},
    )


@pytest.mark.parametrize("module, name, call_number, exception", FAILURES)
def test_failed_save_leaves_nothing_when_there_was_no_model(tmp_path, monkeypatch, module, name,
                                                            call_number, exception):
    calls = fail_on_call(monkeypatch, module, name, call_number, exception)
    with pytest.raises(exception):
        save_full(tmp_path / "model", 1)
    assert len(calls) == call_number  # the failure happened where intended
    assert listing(tmp_path) == []  # no model, no temporary directory


@pytest.mark.parametrize("module, name, call_number, exception", FAILURES)
def test_failed_save_keeps_the_previous_model(tmp_path, monkeypatch, module, name, call_number,
                                              exception):
    model_dir = tmp_path / "model"
    save_full(model_dir, 1)
    before = {path.name: path.read_bytes() for path in model_dir.iterdir()}
    calls = fail_on_call(monkeypatch, module, name, call_number, exception)
    with pytest.raises(exception):
        save_full(model_dir, 2)
    assert len(calls) == call_number
    assert listing(tmp_path) == ["model"]
    assert {path.name: path.read_bytes() for path in model_dir.iterdir()} == before
    monkeypatch.undo()
    loaded = load_checkpoint(model_dir)
    assert loaded.config == {"version": 1}
    assert loaded.training_state == {"epoch": 1}


def test_failed_swap_restores_the_previous_model(tmp_path, monkeypatch):
    model_dir = tmp_path / "model"
    save_full(model_dir, 1)
    real_rename = os.rename
    renames = []

    def rename(source, destination):
        renames.append((os.path.basename(source), os.path.basename(destination)))
        if ".tmp-" in os.path.basename(source):
            raise OSError("rename refused")
        return real_rename(source, destination)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OSError, match="rename refused"):
        save_full(model_dir, 2)
    monkeypatch.undo()
    # the old model was moved aside, the new one failed to move in, the old came back
    assert [".old-" in source for source, _ in renames] == [False, False, True]
    assert listing(tmp_path) == ["model"]
    assert load_checkpoint(model_dir).config == {"version": 1}
