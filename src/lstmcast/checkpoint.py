"""A model directory on disk: JSON for settings, safetensors for arrays, nothing pickled.

A model directory holds

=========================  ==================================================
``config.json``            ``{"format": "lstmcast", "format_version": 1,
                           "kind": ..., "lstmcast_version": ..., "config": {...}}``
``weights.safetensors``    the model's arrays, dtypes kept
``optimizer.safetensors``  optional: optimiser buffers; the optimiser's JSON meta
                           (step count, hyperparameters) is the safetensors
                           metadata entry ``"meta"``
``training_state.json``    optional: epoch, history, early stopping, RNG states
``resume.safetensors``     optional: extra arrays needed to resume exactly
=========================  ==================================================

Loading reads only JSON and safetensors, so opening a model cannot run code.

Saving is atomic: the whole directory is written under a hidden temporary sibling
(``.NAME.tmp-<pid>-<hex>``), every file is fsynced, and only then is it renamed
onto ``NAME`` (an existing model is first renamed aside, then deleted).  If anything
fails, the temporary directory is removed and ``NAME`` still holds the previous
complete model, or nothing if there was none.  A process killed outright (SIGKILL,
power loss) can leave a hidden ``.NAME.tmp-*`` sibling behind, never a half-written
``NAME``.  An existing directory is only replaced when it is empty or holds nothing
but model files, so a mistyped path cannot wipe unrelated files.

JSON rules, so that what is loaded equals what was saved:

* only ``dict`` (with ``str`` keys), ``list``, ``str``, ``int``, ``float``, ``bool``
  and ``None``; tuples and NumPy scalars or arrays are refused with a pointer to
  :func:`to_jsonable`, which converts them (a tuple comes back as a list, so
  converting is the caller's visible choice, not a silent change);
* ints of any size round-trip exactly (NumPy's PCG64 state holds 128-bit ints);
  floats round-trip bit for bit (JSON writes ``repr``);
* NaN and infinity are **refused** with the path of the offending value
  (``training_state['history']['val_loss'][3]``): JSON has no such numbers, and
  files that other tools can read matter more than storing them.  Store ``None``
  (or a string) instead.

Arrays may be bool, signed or unsigned ints (8 to 64 bits) or floats (16, 32, 64
bits); they come back bit-identical with the same dtype (big-endian input comes
back in little-endian byte order, same values).  Object, string, complex and other
arrays are refused with the key named.
"""

from __future__ import annotations

import json
import math
import os
import pathlib
import secrets
import shutil
from dataclasses import dataclass

import numpy as np
import safetensors
import safetensors.numpy

FORMAT_VERSION = 1
"""The newest model-directory format this lstmcast reads, and the one it writes."""

FORMAT_NAME = "lstmcast"
"""The value of ``"format"`` in every ``config.json`` lstmcast writes."""

CONFIG_FILE = "config.json"
WEIGHTS_FILE = "weights.safetensors"
OPTIMIZER_FILE = "optimizer.safetensors"
TRAINING_STATE_FILE = "training_state.json"
RESUME_FILE = "resume.safetensors"
MODEL_FILES = (CONFIG_FILE, WEIGHTS_FILE, OPTIMIZER_FILE, TRAINING_STATE_FILE, RESUME_FILE)
"""Every file name a model directory may hold."""

OPTIMIZER_META_KEY = "meta"
"""The safetensors metadata key under which the optimiser's JSON meta is stored."""

MAX_JSON_ARRAY_SIZE = 100_000
"""The largest array (in elements) :func:`to_jsonable` turns into a JSON list."""

_ARRAY_DTYPES = frozenset(
    np.dtype(name)
    for name in (
        "bool", "int8", "int16", "int32", "int64",
        "uint8", "uint16", "uint32", "uint64",
        "float16", "float32", "float64",
    )
)


class CheckpointError(ValueError):
    """A model directory that cannot be written or read, described in one line.

    The message names the directory or file and what is wrong with it.  It derives
    from ``ValueError`` so code catching bad input in general also catches it.
    """

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).splitlines()))


@dataclass
class Checkpoint:
    """Everything one model directory holds, as read by :func:`load_checkpoint`."""

    kind: str  # what the directory holds: "forecaster", "charmodel", ...
    config: dict  # the caller's JSON settings: hyperparameters, scaler state, columns...
    weights: dict[str, np.ndarray]  # the model's arrays, dtypes as saved
    optimizer: tuple[dict[str, np.ndarray], dict] | None  # (buffers, meta) or None
    training_state: dict | None  # epoch, history, early stopping, RNG states, or None
    resume_arrays: dict[str, np.ndarray] | None  # extra arrays for an exact resume, or None


# -- JSON values ------------------------------------------------------------------


def to_jsonable(obj):
    """Return ``obj`` with NumPy values and tuples turned into plain JSON types.

    NumPy bools, ints, floats and strings become ``bool``, ``int``, ``float`` and
    ``str``; arrays (at most :data:`MAX_JSON_ARRAY_SIZE` elements) become nested
    lists of those; tuples become lists; dicts and lists are converted item by
    item.  Python ``str``, ``int``, ``float``, ``bool`` and ``None`` are returned as
    they are (NaN and infinity too: :func:`save_checkpoint` refuses them).

    Parameters
    ----------
    obj : object
        A value built from dicts, lists, tuples, Python and NumPy scalars and small
        NumPy arrays.

    Returns
    -------
    object
        The same value made only of dict, list, str, int, float, bool and None.

    Raises
    ------
    ValueError
        If ``obj`` holds an array larger than ``MAX_JSON_ARRAY_SIZE``, a complex,
        object or date array or scalar, a dict key that is not a string, or any
        other type; the message gives the path to the value.
    """
    return _to_jsonable(obj, "obj")


def _to_jsonable(obj, where: str):
    if isinstance(obj, np.generic):  # first: np.float64 and np.str_ are also float and str
        if isinstance(obj, (np.bool_, np.integer, np.floating, np.str_)):
            return obj.item()
        raise ValueError(f"{where} is a numpy {obj.dtype} scalar, which has no JSON form")
    if obj is None or type(obj) in (bool, str, int, float):
        return obj
    if isinstance(obj, str):
        return str(obj)
    if isinstance(obj, int) and not isinstance(obj, bool):
        return int(obj)  # IntEnum and other int subclasses
    if isinstance(obj, float):
        return float(obj)
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind not in "biuf" and obj.dtype.kind != "U":
            raise ValueError(f"{where} is a numpy {obj.dtype} array, which has no JSON form")
        if obj.size > MAX_JSON_ARRAY_SIZE:
            raise ValueError(
                f"{where} is an array of {obj.size} elements, more than {MAX_JSON_ARRAY_SIZE} "
                "for JSON; store it with the weights instead"
            )
        return obj.tolist()
    if isinstance(obj, dict):
        out = {}
        for key, value in obj.items():
            if isinstance(key, np.str_):
                key = str(key)
            if not isinstance(key, str):
                raise ValueError(f"{where} has key {key!r}; JSON object keys must be strings")
            out[key] = _to_jsonable(value, f"{where}[{key!r}]")
        return out
    if isinstance(obj, (list, tuple)):
        return [_to_jsonable(value, f"{where}[{i}]") for i, value in enumerate(obj)]
    raise ValueError(f"{where} is a {type(obj).__name__}, which has no JSON form")


def _check_json(obj, where: str, path_on_stack: frozenset = frozenset()) -> None:
    """Raise CheckpointError unless ``obj`` is plain JSON that loads back equal to itself."""
    kind = type(obj)
    if obj is None or kind in (bool, str, int):
        return
    if kind is float:
        if not math.isfinite(obj):
            raise CheckpointError(
                f"{where} is {obj!r}; JSON has no NaN or infinity, store None or a string instead"
            )
        return
    if kind in (dict, list):
        if id(obj) in path_on_stack:
            raise CheckpointError(f"{where} contains itself; JSON cannot hold a cycle")
        inner = path_on_stack | {id(obj)}
        if kind is dict:
            for key, value in obj.items():
                if type(key) is not str:
                    raise CheckpointError(
                        f"{where} has key {key!r} ({type(key).__name__}); "
                        "JSON object keys must be str"
                    )
                _check_json(value, f"{where}[{key!r}]", inner)
        else:
            for i, value in enumerate(obj):
                _check_json(value, f"{where}[{i}]", inner)
        return
    if isinstance(obj, (np.generic, np.ndarray, tuple)):
        raise CheckpointError(
            f"{where} is a {kind.__module__}.{kind.__name__}, not plain JSON; "
            "convert it with lstmcast.checkpoint.to_jsonable first"
        )
    raise CheckpointError(f"{where} is a {kind.__name__}, which has no JSON form")


def _check_arrays(arrays, where: str) -> dict[str, np.ndarray]:
    """Return ``arrays`` as contiguous little-endian ndarrays, or raise naming the bad key."""
    if not isinstance(arrays, dict):
        raise CheckpointError(
            f"{where} must be a dict of str -> numpy array, got {type(arrays).__name__}"
        )
    checked = {}
    for key, value in arrays.items():
        if not isinstance(key, str) or not key or key == "__metadata__":
            raise CheckpointError(
                f"{where} has key {key!r}; keys must be non-empty strings other than '__metadata__'"
            )
        try:
            array = np.asarray(value)
        except ValueError as error:
            raise CheckpointError(f"{where}[{key!r}] is not an array: {error}") from None
        if np.dtype(array.dtype.newbyteorder("<")) not in _ARRAY_DTYPES:
            raise CheckpointError(
                f"{where}[{key!r}] has dtype {array.dtype}; only bool, int8-64, uint8-64 and "
                "float16/32/64 arrays can be saved"
            )
        # np.asarray, not np.ascontiguousarray: the latter turns a 0-d array into shape (1,)
        checked[key] = np.asarray(array, dtype=array.dtype.newbyteorder("<"), order="C")
    return checked


# -- saving -------------------------------------------------------------------------


def save_checkpoint(
    directory,
    *,
    kind: str,
    config: dict,
    weights: dict[str, np.ndarray],
    optimizer: tuple[dict[str, np.ndarray], dict] | None = None,
    training_state: dict | None = None,
    resume_arrays: dict[str, np.ndarray] | None = None,
) -> pathlib.Path:
    """Write a model directory atomically and return its path.

    Parameters
    ----------
    directory : str or os.PathLike
        Where the model goes.  Missing parent folders are created.  If it exists,
        it must be a directory that is empty or holds only model files (a previous
        model), which is then replaced as a whole.
    kind : str
        What the directory holds, e.g. ``"forecaster"`` or ``"charmodel"``.
    config : dict
        Plain JSON settings (see the module docstring; use :func:`to_jsonable`).
    weights : dict of str to ndarray
        The model's arrays.
    optimizer : (dict of str to ndarray, dict), optional
        The optimiser's buffers and its JSON meta (step count, hyperparameters).
    training_state : dict, optional
        Plain JSON state for resuming: epoch, history, random generator states...
    resume_arrays : dict of str to ndarray, optional
        Extra arrays needed to resume exactly (e.g. the last epoch's weights when
        ``weights`` are the best epoch's).

    Returns
    -------
    pathlib.Path
        ``directory`` as a path.

    Raises
    ------
    CheckpointError
        If an argument cannot be stored (naming the key or the path to the value),
        or ``directory`` exists and is not a model directory.  Nothing is changed
        on disk in that case.
    OSError
        If the disk refuses; ``directory`` then still holds the previous model (or
        nothing) and the temporary directory is removed.
    """
    target = pathlib.Path(directory)
    if not isinstance(kind, str) or not kind:
        raise CheckpointError(f"kind must be a non-empty string, got {kind!r}")
    if not isinstance(config, dict):
        raise CheckpointError(f"config must be a dict, got {type(config).__name__}")
    _check_json(config, "config")
    weights = _check_arrays(weights, "weights")
    if optimizer is not None:
        if not isinstance(optimizer, tuple) or len(optimizer) != 2:
            raise CheckpointError("optimizer must be a tuple (arrays, meta) or None")
        optimizer_arrays = _check_arrays(optimizer[0], "optimizer arrays")
        optimizer_meta = optimizer[1]
        if not isinstance(optimizer_meta, dict):
            raise CheckpointError(
                f"optimizer meta must be a dict, got {type(optimizer_meta).__name__}"
            )
        _check_json(optimizer_meta, "optimizer meta")
    if training_state is not None:
        if not isinstance(training_state, dict):
            raise CheckpointError(
                f"training_state must be a dict or None, got {type(training_state).__name__}"
            )
        _check_json(training_state, "training_state")
    if resume_arrays is not None:
        resume_arrays = _check_arrays(resume_arrays, "resume_arrays")
    _check_replaceable(target)

    document = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "kind": kind,
        "lstmcast_version": _lstmcast_version(),
        "config": config,
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = _make_sibling(target, "tmp")
    try:
        _write_json(staging / CONFIG_FILE, document)
        _write_arrays(staging / WEIGHTS_FILE, weights, None)
        if optimizer is not None:
            meta_text = json.dumps(optimizer_meta, allow_nan=False)
            metadata = {OPTIMIZER_META_KEY: meta_text}
            _write_arrays(staging / OPTIMIZER_FILE, optimizer_arrays, metadata)
        if training_state is not None:
            _write_json(staging / TRAINING_STATE_FILE, training_state)
        if resume_arrays is not None:
            _write_arrays(staging / RESUME_FILE, resume_arrays, None)
        _fsync_directory(staging)
        _swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _lstmcast_version() -> str:
    # Imported here, not at the top: the package's __init__ imports the estimators,
    # which import this module, so at import time the package is only half built.
    import lstmcast

    return str(getattr(lstmcast, "__version__", "unknown"))


def _check_replaceable(target: pathlib.Path) -> None:
    """Refuse to overwrite anything but nothing, an empty directory or a model directory."""
    if target.is_symlink():
        raise CheckpointError(
            f"{target} is a symbolic link; save to the directory it points to instead"
        )
    if not target.exists():
        return
    if not target.is_dir():
        raise CheckpointError(
            f"{target} exists and is not a directory; refusing to replace it with a model"
        )
    foreign = sorted(entry.name for entry in target.iterdir() if entry.name not in MODEL_FILES)
    if foreign:
        shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
        raise CheckpointError(
            f"{target} exists and holds files that are not part of a model ({shown}); "
            "refusing to replace it: save somewhere else or remove them first"
        )
    config_path = target / CONFIG_FILE
    if config_path.exists():
        try:
            document = json.loads(config_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            document = None
        if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
            raise CheckpointError(
                f"{config_path} is not an lstmcast config; refusing to replace {target}: "
                "save somewhere else or remove it first"
            )


def _make_sibling(target: pathlib.Path, tag: str) -> pathlib.Path:
    """Create and return a new empty hidden directory next to ``target``."""
    while True:
        path = target.parent / f".{target.name}.{tag}-{os.getpid()}-{secrets.token_hex(4)}"
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path


def _sibling_name(target: pathlib.Path, tag: str) -> pathlib.Path:
    """A fresh unused hidden name next to ``target`` (nothing is created)."""
    while True:
        path = target.parent / f".{target.name}.{tag}-{os.getpid()}-{secrets.token_hex(4)}"
        if not os.path.lexists(path):
            return path


def _write_json(path: pathlib.Path, document: dict) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=2, allow_nan=False)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())


def _write_arrays(
    path: pathlib.Path, arrays: dict[str, np.ndarray], metadata: dict[str, str] | None
) -> None:
    safetensors.numpy.save_file(arrays, path, metadata=metadata)
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_directory(path: pathlib.Path) -> None:
    """Make the directory's entries durable (a no-op where directories cannot be opened)."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _swap_in(staging: pathlib.Path, target: pathlib.Path) -> None:
    """Rename ``staging`` onto ``target``; an existing target is moved aside first, then deleted."""
    if not os.path.lexists(target):
        os.rename(staging, target)
        _fsync_directory(target.parent)
        return
    aside = _sibling_name(target, "old")
    os.rename(target, aside)
    try:
        os.rename(staging, target)
    except BaseException:
        os.rename(aside, target)
        raise
    _fsync_directory(target.parent)
    shutil.rmtree(aside, ignore_errors=True)


# -- loading ------------------------------------------------------------------------


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
        missing, is not valid JSON or safetensors, the format is not lstmcast's
        or has an unknown version, or the kind is not ``kind``.
    """
    root = pathlib.Path(directory)
    if not root.exists():
        raise CheckpointError(f"model directory {root} does not exist")
    if not root.is_dir():
        raise CheckpointError(f"{root} is a file, not a model directory")
    config_path = root / CONFIG_FILE
    if not config_path.is_file():
        raise CheckpointError(
            f"{root} is not an lstmcast model directory: expected {CONFIG_FILE} and "
            f"{WEIGHTS_FILE} inside, found {_describe_contents(root)}"
        )
    document = _read_json(config_path)
    stored_kind = _check_header(config_path, document)
    if kind is not None and stored_kind != kind:
        raise CheckpointError(f"{root} holds a {stored_kind}, not a {kind}")
    config = document.get("config")
    if not isinstance(config, dict):
        raise CheckpointError(f"{config_path} has no \"config\" object")

    weights_path = root / WEIGHTS_FILE
    if not weights_path.exists():
        raise CheckpointError(
            f"{weights_path} is missing: the model directory has a config but no weights"
        )
    weights, _ = _read_arrays(weights_path)

    optimizer = None
    optimizer_path = root / OPTIMIZER_FILE
    if optimizer_path.exists():
        optimizer = _read_optimizer(optimizer_path)

    training_state = None
    state_path = root / TRAINING_STATE_FILE
    if state_path.exists():
        training_state = _read_json(state_path)
        if not isinstance(training_state, dict):
            raise CheckpointError(f"{state_path} does not hold a JSON object")

    resume_arrays = None
    resume_path = root / RESUME_FILE
    if resume_path.exists():
        resume_arrays, _ = _read_arrays(resume_path)

    return Checkpoint(
        kind=stored_kind,
        config=config,
        weights=weights,
        optimizer=optimizer,
        training_state=training_state,
        resume_arrays=resume_arrays,
    )


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
    if not isinstance(meta, dict):
        raise CheckpointError(f"{path}: its {OPTIMIZER_META_KEY!r} metadata is not a JSON object")
    return arrays, meta


def _describe_contents(root: pathlib.Path) -> str:
    names = sorted(entry.name for entry in root.iterdir())
    if not names:
        return "an empty directory"
    shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
    return shown


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _read_json(path: pathlib.Path):
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CheckpointError(f"{path} is not valid JSON: it is not UTF-8 text") from None
    except OSError as error:
        raise CheckpointError(f"{path} cannot be read: {error.strerror or error}") from None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise CheckpointError(
            f"{path} is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    except ValueError as error:
        raise CheckpointError(f"{path} is not valid JSON: {error}") from None


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


def _read_arrays(path: pathlib.Path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Return ``(arrays, metadata)`` from a safetensors file, or raise naming the file."""
    try:
        with safetensors.safe_open(path, framework="np") as handle:
            metadata = dict(handle.metadata() or {})
            arrays = {key: handle.get_tensor(key) for key in handle.keys()}
    except (safetensors.SafetensorError, OSError, ValueError) as error:
        reason = " ".join(str(error).splitlines()) or type(error).__name__
        raise CheckpointError(f"{path} is not a readable safetensors file: {reason}") from None
    arrays = {
        key: value if value.flags.writeable else value.copy() for key, value in arrays.items()
    }
    return arrays, metadata
