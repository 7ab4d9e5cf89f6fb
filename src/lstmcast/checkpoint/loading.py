"""Reading a model directory: JSON and safetensors only, so loading cannot run code.

:func:`read_header` gives every array's dtype and shape from the safetensors header
without reading the data; callers compare those to the sizes in ``config.json``
(:func:`check_shapes`) before building a network, so a forged config cannot make a
load allocate more than the weights file holds.
"""

from __future__ import annotations

import json
import os
import pathlib
import struct
from dataclasses import dataclass

import numpy as np
import safetensors
import safetensors.numpy

from .entries import refuse_non_finite
from .folder import folder_to_read
from .format import (CONFIG_FILE, FORMAT_NAME, FORMAT_VERSION, OPTIMIZER_FILE, OPTIMIZER_META_KEY, RESUME_FILE,
                     TRAINING_STATE_FILE, WEIGHTS_FILE, Checkpoint, CheckpointError)
from .regular import check_regular, read_regular


@dataclass(frozen=True)
class ArrayInfo:
    """One array as a safetensors header describes it."""

    dtype: str  # safetensors' name: "F32", "F64", "I64", ...
    shape: tuple[int, ...]


def load_checkpoint(directory, kind: str | None = None) -> Checkpoint:
    """Read a model directory written by :func:`save_checkpoint`.

    Parameters
    ----------
    directory : str or os.PathLike
        The model directory.
    kind : str, optional
        The kind the caller expects (``"forecaster"``, ``"charmodel"``...); a
        directory holding another kind is refused.

    Returns
    -------
    Checkpoint
        The kind, config, weights and whichever optional parts were saved
        (``None`` for those that were not).

    Raises
    ------
    CheckpointError
        If the directory is missing or is not a model directory, a file is
        missing, unreadable, not valid JSON or safetensors, the format is not lstmcast's
        or has an unknown version, or the kind is not ``kind``.
    """
    root, document = _read_document(pathlib.Path(directory))
    stored_kind, config = document["kind"], document["config"]
    if kind is not None and stored_kind != kind:
        raise CheckpointError(f"{root} holds a {stored_kind}, not a {kind}")

    weights_path = root / WEIGHTS_FILE
    if not _present(weights_path):
        raise CheckpointError(
            f"{weights_path} is missing: the model directory has a config but no weights"
        )
    weights, _ = _read_arrays(weights_path)

    optimizer = None
    optimizer_path = root / OPTIMIZER_FILE
    if _present(optimizer_path):
        optimizer = _read_optimizer(optimizer_path)

    training_state = None
    state_path = root / TRAINING_STATE_FILE
    if _present(state_path):
        training_state = _read_json(state_path)
        if not isinstance(training_state, dict):
            raise CheckpointError(f"{state_path} does not hold a JSON object")

    resume_arrays = None
    resume_path = root / RESUME_FILE
    if _present(resume_path):
        resume_arrays, _ = _read_arrays(resume_path)

    return Checkpoint(
        kind=stored_kind,
        config=config,
        weights=weights,
        optimizer=optimizer,
        training_state=training_state,
        resume_arrays=resume_arrays,
    )


def read_document(directory) -> dict:
    """The checked ``config.json`` of a model directory, without reading any array.

    Returns
    -------
    dict
        ``format``, ``format_version``, ``kind``, ``lstmcast_version``, ``config`` and,
        for models saved since it was recorded, ``saved_at`` (UTC, ISO 8601).

    Raises
    ------
    CheckpointError
        As :func:`load_checkpoint` for the directory and its ``config.json``.
    """
    return _read_document(pathlib.Path(directory))[1]


def _read_document(root: pathlib.Path) -> tuple[pathlib.Path, dict]:
    """``(folder, document)``: the folder actually read (see :func:`folder_to_read`) and its config."""
    root = folder_to_read(root)
    if not root.exists():
        raise CheckpointError(f"model directory {root} does not exist")
    if not root.is_dir():
        raise CheckpointError(f"{root} is a file, not a model directory")
    config_path = root / CONFIG_FILE
    if not _present(config_path):
        raise CheckpointError(
            f"{root} is not an lstmcast model directory: expected {CONFIG_FILE} and "
            f"{WEIGHTS_FILE} inside, found {_describe_contents(root)}"
        )
    document = _read_json(config_path)
    _check_header(config_path, document)
    if not isinstance(document.get("config"), dict):
        raise CheckpointError(f"{config_path} has no \"config\" object")
    return root, document


def _read_optimizer(path: pathlib.Path) -> tuple[dict[str, np.ndarray], dict]:
    """Return ``(arrays, meta)`` from optimizer.safetensors, or raise naming the file."""
    arrays, metadata = _read_arrays(path)
    meta_text = metadata.get(OPTIMIZER_META_KEY)
    if meta_text is None:
        raise CheckpointError(f"{path} has no {OPTIMIZER_META_KEY!r} entry in its metadata")
    try:
        meta = json.loads(meta_text, parse_constant=_refuse_constant)
    except ValueError as error:  # json.JSONDecodeError included
        raise CheckpointError(
            f"{path}: its {OPTIMIZER_META_KEY!r} metadata is not valid JSON ({error})"
        ) from None
    except RecursionError:
        raise CheckpointError(f"{path}: its {OPTIMIZER_META_KEY!r} metadata is nested too deeply") from None
    if not isinstance(meta, dict):
        raise CheckpointError(f"{path}: its {OPTIMIZER_META_KEY!r} metadata is not a JSON object")
    refuse_non_finite(meta, f"{path} ({OPTIMIZER_META_KEY!r} metadata)")
    return arrays, meta


def _describe_contents(root: pathlib.Path) -> str:
    names = sorted(entry.name for entry in root.iterdir())
    if not names:
        return "an empty directory"
    shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
    return shown


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _present(path: pathlib.Path) -> bool:
    """Whether a model file is there at all (a dangling link counts: reading it then says why)."""
    return os.path.lexists(path)


def _read_json(path: pathlib.Path):
    try:
        text = read_regular(path).decode("utf-8")
    except UnicodeDecodeError:
        raise CheckpointError(f"{path} is not valid JSON: it is not UTF-8 text") from None
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise CheckpointError(
            f"{path} is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    except RecursionError:
        raise CheckpointError(f"{path} is nested too deeply to be a config lstmcast wrote") from None
    except ValueError as error:
        raise CheckpointError(f"{path} is not valid JSON: {error}") from None
    refuse_non_finite(document, path)
    return document


def _check_header(config_path: pathlib.Path, document) -> str:
    """Check format, version and kind in a parsed config.json; return the kind."""
    if not isinstance(document, dict):
        raise CheckpointError(f"{config_path} does not hold a JSON object")
    if "format" not in document:
        raise CheckpointError(
            f"{config_path} has no \"format\" entry: it was not written by lstmcast"
        )
    if document["format"] != FORMAT_NAME:
        raise CheckpointError(
            f"{config_path} has format {document['format']!r}, expected {FORMAT_NAME!r}: "
            "it was not written by lstmcast"
        )
    version = document.get("format_version")
    if type(version) is not int:
        raise CheckpointError(f"{config_path} has format_version {version!r}, expected an integer")
    if version > FORMAT_VERSION:
        raise CheckpointError(
            f"{config_path} was written by a newer lstmcast (format {version}); "
            f"this lstmcast reads format {FORMAT_VERSION}: upgrade lstmcast to load it"
        )
    if version < 1:
        raise CheckpointError(
            f"{config_path} has format_version {version}, which this lstmcast does not know "
            f"(it reads format {FORMAT_VERSION})"
        )
    kind = document.get("kind")
    if not isinstance(kind, str) or not kind:
        raise CheckpointError(f"{config_path} has no \"kind\" entry saying what model it holds")
    return kind


def read_header(path) -> dict[str, ArrayInfo]:
    """The dtype and shape of every array in a safetensors file, without reading the data.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.safetensors`` file.

    Returns
    -------
    dict of str to ArrayInfo
        In the file's key order.

    Raises
    ------
    CheckpointError
        If the file cannot be read or is not safetensors (naming the file).
    """
    path = pathlib.Path(path)
    with _open_arrays(path) as handle:
        return {key: ArrayInfo(dtype=str(handle.get_slice(key).get_dtype()),
                               shape=tuple(handle.get_slice(key).get_shape())) for key in handle.keys()}


def check_shapes(path, stored: dict[str, tuple[int, ...]], expected: dict[str, tuple[int, ...]]) -> None:
    """Raise unless the arrays ``stored`` in ``path`` have exactly the ``expected`` shapes.

    Call it before building anything from a config: the config's sizes then cannot
    ask for more memory than the weights file holds.

    Raises
    ------
    CheckpointError
        Naming the file and the first missing, unexpected or mis-shaped array.
    """
    missing = [key for key in expected if key not in stored]
    unexpected = [key for key in stored if key not in expected]
    if missing or unexpected:
        raise CheckpointError(
            f"{path} does not fit the network its config.json describes: "
            f"missing arrays {missing[:5]}, unexpected arrays {unexpected[:5]}"
        )
    for key, shape in expected.items():
        if tuple(stored[key]) != tuple(shape):
            raise CheckpointError(
                f"{path} does not fit the network its config.json describes: array {key!r} has shape "
                f"{tuple(stored[key])}, the config asks for {tuple(shape)}"
            )


def check_finite(path, arrays: dict[str, np.ndarray]) -> None:
    """Raise unless every float array in ``arrays`` (read from ``path``) is finite.

    The format stores NaN and infinity faithfully; a model's weights must not hold
    them (they would turn every prediction into NaN), so model loaders call this.

    Raises
    ------
    CheckpointError
        Naming the file, the array and how many values are not finite.
    """
    for key, value in arrays.items():
        if value.dtype.kind == "f" and not np.isfinite(value).all():
            bad = int(value.size - np.isfinite(value).sum())
            raise CheckpointError(
                f"{path}: array {key!r} holds {bad} NaN or infinite value(s); the model is damaged "
                "(a training that diverged, or a corrupted file): retrain it or restore a copy"
            )


class _open_arrays:
    """``safetensors.safe_open`` that says why a file cannot be opened, naming it."""

    def __init__(self, path: pathlib.Path) -> None:
        self.path = path

    def __enter__(self):
        check_regular(self.path)  # the operating system's reason (permission...) first
        try:
            self._handle = safetensors.safe_open(self.path, framework="np")
            return self._handle.__enter__()
        except (safetensors.SafetensorError, OSError, ValueError) as error:
            raise CheckpointError(f"{self.path} is not a readable safetensors file: {_reason(error)}") from None

    def __exit__(self, *exc) -> None:
        self._handle.__exit__(*exc)


def _reason(error: Exception) -> str:
    return " ".join(str(error).splitlines()) or type(error).__name__


def _read_arrays(path: pathlib.Path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Return ``(arrays, metadata)`` from a safetensors file, or raise naming the file."""
    data = read_regular(path)  # read once, from the file checked: no second open by name
    try:
        arrays = safetensors.numpy.load(data)
        metadata = _metadata(data)
    except (safetensors.SafetensorError, OSError, ValueError, TypeError) as error:
        raise CheckpointError(f"{path} is not a readable safetensors file: {_reason(error)}") from None
    arrays = {
        key: value if value.flags.writeable else value.copy() for key, value in arrays.items()
    }
    return arrays, metadata


def _metadata(data: bytes) -> dict[str, str]:
    """The ``__metadata__`` entry of a safetensors file's header (``safetensors.numpy.load``
    has already checked the header)."""
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    metadata = header.get("__metadata__") or {}
    return {str(key): str(value) for key, value in metadata.items()}
