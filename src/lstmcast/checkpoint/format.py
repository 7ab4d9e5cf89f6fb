"""The model-directory format: file names, version, the error type and what loading returns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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

ARRAY_FILES = (WEIGHTS_FILE, OPTIMIZER_FILE, RESUME_FILE)
"""The safetensors files of a model directory."""

OPTIMIZER_META_KEY = "meta"
"""The safetensors metadata key under which the optimiser's JSON meta is stored."""

MAX_JSON_ARRAY_SIZE = 100_000
"""The largest array (in elements) :func:`to_jsonable` turns into a JSON list."""

ARRAY_DTYPES = frozenset(
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
