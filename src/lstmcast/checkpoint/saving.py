"""Writing a model directory: checked JSON and arrays, written aside, swapped in whole."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import stat
from datetime import datetime, timezone

import numpy as np
import safetensors.numpy

from ..files import about_path
from ..version import __version__
from .folder import check_replaceable, clean_stale, folder_lock, fsync_directory, make_sibling, recover, swap_in
from .format import (CONFIG_FILE, FORMAT_NAME, FORMAT_VERSION, OPTIMIZER_FILE, OPTIMIZER_META_KEY, RESUME_FILE,
                     TRAINING_STATE_FILE, WEIGHTS_FILE, CheckpointError)
from .jsonvalues import check_arrays, check_json


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

    The folder is replaced as a whole under a lock (see :mod:`lstmcast.checkpoint.folder`):
    a reader finds the old model or the new one, never a mix, and a second process
    saving to the same folder at the same time is refused.

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
        ``directory`` exists and is not a model directory, or another process is
        saving to it right now.  Nothing is changed on disk in that case.
    OSError
        If the disk refuses; ``directory`` then still holds the previous model (or
        nothing) and the temporary directory is removed.
    """
    target = pathlib.Path(directory)
    if not isinstance(kind, str) or not kind:
        raise CheckpointError(f"kind must be a non-empty string, got {kind!r}")
    if not isinstance(config, dict):
        raise CheckpointError(f"config must be a dict, got {type(config).__name__}")
    check_json(config, "config")
    weights = check_arrays(weights, "weights")
    if optimizer is not None:
        if not isinstance(optimizer, tuple) or len(optimizer) != 2:
            raise CheckpointError("optimizer must be a tuple (arrays, meta) or None")
        optimizer_arrays = check_arrays(optimizer[0], "optimizer arrays")
        optimizer_meta = optimizer[1]
        if not isinstance(optimizer_meta, dict):
            raise CheckpointError(
                f"optimizer meta must be a dict, got {type(optimizer_meta).__name__}"
            )
        check_json(optimizer_meta, "optimizer meta")
    if training_state is not None:
        if not isinstance(training_state, dict):
            raise CheckpointError(
                f"training_state must be a dict or None, got {type(training_state).__name__}"
            )
        check_json(training_state, "training_state")
    if resume_arrays is not None:
        resume_arrays = check_arrays(resume_arrays, "resume_arrays")
    check_replaceable(target)

    document = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "kind": kind,
        "lstmcast_version": _lstmcast_version(),
        "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "config": config,
    }
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise about_path(error, target.parent) from None
    with folder_lock(target):
        recover(target)
        check_replaceable(target)  # again: what recovery put back, or what changed while we waited
        clean_stale(target)
        staging = make_sibling(target, "tmp")
        try:
            _write_json(staging / CONFIG_FILE, document)
            mode = stat.S_IMODE(os.stat(staging / CONFIG_FILE).st_mode)  # the JSON's, from the umask
            _write_arrays(staging / WEIGHTS_FILE, weights, None, mode)
            if optimizer is not None:
                meta_text = json.dumps(optimizer_meta, allow_nan=False)
                metadata = {OPTIMIZER_META_KEY: meta_text}
                _write_arrays(staging / OPTIMIZER_FILE, optimizer_arrays, metadata, mode)
            if training_state is not None:
                _write_json(staging / TRAINING_STATE_FILE, training_state)
            if resume_arrays is not None:
                _write_arrays(staging / RESUME_FILE, resume_arrays, None, mode)
            fsync_directory(staging)
            swap_in(staging, target)
        except OSError as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise about_path(error, target) from None
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return target


def _lstmcast_version() -> str:
    return __version__


def _write_json(path: pathlib.Path, document: dict) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=2, allow_nan=False)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())


def _write_arrays(
    path: pathlib.Path, arrays: dict[str, np.ndarray], metadata: dict[str, str] | None, mode: int
) -> None:
    safetensors.numpy.save_file(arrays, path, metadata=metadata)
    os.chmod(path, mode)  # safetensors creates its files 0600 whatever the umask
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())
