"""Reading a loaded model folder's values key by key, each checked against what a save writes.

A model folder may have been edited or forged. Loaders read every value they use
through :class:`Entries` (JSON objects) and :func:`check_array` (arrays), which check
its type, its range and that it is finite, and refuse anything else with one
:class:`CheckpointError` line naming the file and the key::

    model/config.json: config['scaler']['std'][0] is -1.0; expected a number >= 0

Non-finite JSON numbers (``1e999`` reads as infinity) are refused for the whole
document when it is read (:func:`refuse_non_finite`), so ranges here are about finite
numbers only.
"""

from __future__ import annotations

import math
import pathlib

import numpy as np

from .format import OPTIMIZER_FILE, TRAINING_STATE_FILE, CheckpointError

MISSING = object()
"""``default`` of the readers: the key must be there."""


def refuse_non_finite(document, where: str) -> None:
    """Raise unless every number in the parsed JSON ``document`` is finite.

    Python's JSON reader turns ``1e999`` into infinity; a save never writes one.

    Raises
    ------
    CheckpointError
        Naming ``where`` and the path to the first non-finite number.
    """
    stack = [(document, "")]
    while stack:  # a loop, not recursion: a deep document cannot overflow the stack here
        value, path = stack.pop()
        if type(value) is float and not math.isfinite(value):
            raise CheckpointError(f"{where}: {path.lstrip('.') or 'the document'} is {value!r}, "
                                  "a number no save writes (JSON has no infinity)")
        if isinstance(value, dict):
            stack.extend((item, f"{path}[{key!r}]") for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]") for i, item in enumerate(value))


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _bounds(low, high) -> str:
    if low is not None and high is not None:
        return f"in [{low}, {high}]"
    if low is not None:
        return f">= {low}"
    return f"<= {high}" if high is not None else ""


class Entries:
    """A JSON object from a model folder, read key by key with checks.

    Parameters
    ----------
    mapping : object
        The parsed value; it must be a dict (or, with ``array=True``, a list read by index).
    where : str or os.PathLike
        The file it comes from, for messages.
    path : str
        Its place in the file, e.g. ``"config"`` or ``"config['scaler']"``.

    Raises
    ------
    CheckpointError
        If ``mapping`` is not a dict (not a list, with ``array=True``).
    """

    def __init__(self, mapping, where, path: str = "config", array: bool = False) -> None:
        self.where, self.path = str(where), path
        if not isinstance(mapping, list if array else dict):
            raise CheckpointError(f"{self.where}: {path} is {_shown(mapping)}; "
                                  f"expected {'a JSON list' if array else 'a JSON object'}")
        self.mapping = mapping

    def name(self, key) -> str:
        """The full name of ``key`` in messages: ``config['split']['train']``."""
        return f"{self.path}[{key!r}]"

    def error(self, key, value, expected: str) -> CheckpointError:
        """The one-line error for ``key`` holding ``value`` instead of ``expected``."""
        return CheckpointError(f"{self.where}: {self.name(key)} is {_shown(value)}; expected {expected}")

    def get(self, key, default=MISSING):
        """The raw value of ``key``; ``default`` when missing (an error when no default)."""
        if (0 <= key < len(self.mapping) if isinstance(self.mapping, list) else key in self.mapping):
            return self.mapping[key]
        if default is MISSING:
            raise CheckpointError(f"{self.where}: {self.name(key)} is missing")
        return default

    def child(self, key, default=MISSING) -> "Entries":
        """The JSON object under ``key``, as Entries (``default`` when missing)."""
        return Entries(self.get(key, default), self.where, self.name(key))

    def listed(self, key, default=MISSING) -> "Entries":
        """The JSON list under ``key``, as Entries read by index (``default`` when missing)."""
        return Entries(self.get(key, default), self.where, self.name(key), array=True)

    def keys(self) -> list:
        """The keys (indices of a list)."""
        return list(range(len(self.mapping))) if isinstance(self.mapping, list) else list(self.mapping)

    def integer(self, key, low=None, high=None, default=MISSING, none: bool = False) -> int | None:
        """An int (not a bool) in ``[low, high]``; ``None`` too when ``none``."""
        value = self.get(key, default)
        if value is None and none:
            return None
        if type(value) is not int or (low is not None and value < low) or (high is not None and value > high):
            raise self.error(key, value, " ".join(["an integer", _bounds(low, high)]).strip()
                             + (" or null" if none else ""))
        return value

    def number(self, key, low=None, high=None, default=MISSING, none: bool = False) -> float | None:
        """A finite int or float in ``[low, high]``, as float; ``None`` too when ``none``."""
        value = self.get(key, default)
        if value is None and none:
            return None
        if not _in_range(value, low, high):
            raise self.error(key, value, " ".join(["a finite number", _bounds(low, high)]).strip()
                             + (" or null" if none else ""))
        return float(value)

    def numbers(self, key, low=None, high=None, length: int | None = None, none: bool = False,
                default=MISSING) -> list:
        """A list of finite numbers in ``[low, high]`` (``None`` items too when ``none``), of ``length``."""
        values = self.get(key, default)
        if not isinstance(values, list) or (length is not None and len(values) != length):
            size = f"{length} " if length is not None else ""
            raise self.error(key, values, f"a list of {size}numbers")
        for i, value in enumerate(values):
            if not (value is None and none) and not _in_range(value, low, high):
                raise CheckpointError(f"{self.where}: {self.name(key)}[{i}] is {_shown(value)}; expected "
                                      + " ".join(["a finite number", _bounds(low, high)]).strip())
        return values

    def text(self, key, choices=None, default=MISSING, none: bool = False) -> str | None:
        """A string (one of ``choices`` when given); ``None`` too when ``none``."""
        value = self.get(key, default)
        if value is None and none:
            return None
        if not isinstance(value, str) or (choices is not None and value not in choices):
            expected = f"one of {', '.join(map(repr, choices))}" if choices is not None else "a string"
            raise self.error(key, value, expected + (" or null" if none else ""))
        return value

    def texts(self, key) -> list[str]:
        """A list of strings."""
        values = self.get(key)
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise self.error(key, values, "a list of strings")
        return values

    def flag(self, key, default=MISSING) -> bool:
        """A JSON true or false."""
        value = self.get(key, default)
        if type(value) is not bool:
            raise self.error(key, value, "true or false")
        return value


def _in_range(value, low, high) -> bool:
    return (type(value) in (int, float) and math.isfinite(value)
            and (low is None or value >= low) and (high is None or value <= high))


def history_entries(entries: Entries, key) -> dict:
    """The trainer history under ``key``, checked as :meth:`History.to_dict` writes it.

    Losses and seconds are numbers >= 0 (a validation loss may be null), one per epoch;
    ``best_epoch`` is null or an epoch number; the flags are booleans.

    Raises
    ------
    CheckpointError
        Naming the file and the key.
    """
    history = entries.child(key)
    train = history.numbers("train_loss", low=0)
    epochs = len(train)
    history.numbers("val_loss", low=0, length=epochs, none=True)
    history.numbers("seconds", low=0, length=epochs)
    history.integer("best_epoch", low=1, high=max(epochs, 1), none=True)
    history.flag("stopped_early")
    history.flag("interrupted", default=False)
    return history.mapping


def check_array(path, key: str, array: np.ndarray, low=None, high=None, shape=None,
                increasing: bool = False) -> np.ndarray:
    """Raise unless the array ``key`` read from ``path`` has ``shape`` and values in ``[low, high]``.

    ``shape`` may hold ``None`` for any size on that axis; ``increasing`` asks for
    strictly increasing values. NaN is never in range. Returns ``array``.

    Raises
    ------
    CheckpointError
        Naming the file, the array and what is wrong.
    """
    if shape is not None and (array.ndim != len(shape)
                              or any(want is not None and got != want for got, want in zip(array.shape, shape))):
        wanted = "(" + ", ".join("any" if n is None else str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"
        raise CheckpointError(f"{path}: array {key!r} has shape {array.shape}; expected {wanted}")
    if array.dtype.kind not in "biuf":
        raise CheckpointError(f"{path}: array {key!r} has dtype {array.dtype}; expected numbers")
    if array.size:
        inside = np.ones(array.shape, dtype=bool) if array.dtype.kind != "f" else np.isfinite(array)
        if low is not None:
            inside &= array >= low
        if high is not None:
            inside &= array <= high
        if not inside.all():
            first = array.reshape(-1)[int(np.flatnonzero(~inside.reshape(-1))[0])].item()
            raise CheckpointError(f"{path}: array {key!r} holds {first!r}; expected values "
                                  + " ".join(["finite", _bounds(low, high)]).strip())
        if increasing and array.ndim == 1 and array.size > 1 and not (np.diff(array) > 0).all():
            raise CheckpointError(f"{path}: array {key!r} is not strictly increasing, as a save writes it")
    return array


def optimizer_entries(meta: Entries) -> dict:
    """An optimiser's meta as ``Optimizer.state_dict`` writes it: its type, a step count >= 0,
    ``lr``, ``weight_decay``, ``eps`` and ``momentum`` >= 0, ``betas`` two numbers in [0, 1].

    Raises
    ------
    CheckpointError
        Naming the file and the key.
    """
    meta.text("type")
    meta.integer("step", low=0)
    meta.number("lr", low=0)
    for key in ("weight_decay", "eps", "momentum"):
        if key in meta.mapping:
            meta.number(key, low=0)
    if "betas" in meta.mapping:
        meta.numbers("betas", low=0, high=1, length=2)
    return meta.mapping


def trainer_entries(state: Entries) -> dict:
    """A trainer's resumable state as ``Trainer.state`` writes it (what ``Trainer.load_state`` reads):
    its history, ``best_loss`` >= 0 or null, ``bad_epochs`` >= 0, the generators' states by name
    and, when kept there, the optimiser's meta.

    Raises
    ------
    CheckpointError
        Naming the file and the key.
    """
    if "history" in state.mapping:
        history_entries(state, "history")
    state.number("best_loss", low=0, none=True, default=None)
    state.integer("bad_epochs", low=0, default=0)
    generators = state.child("rng_states", default={})
    for name in generators.keys():
        generators.child(name).text("bit_generator")
    if "optimizer" in state.mapping:
        optimizer_entries(state.child("optimizer"))
    return state.mapping


def check_checkpoint_state(checkpoint, root, nested=()) -> None:
    """Check the trainer state a loaded model folder keeps for resuming, naming file and key.

    Parameters
    ----------
    checkpoint : Checkpoint
        As :func:`load_checkpoint` returns it.
    root : str or os.PathLike
        The model folder, for messages.
    nested : iterable of str
        Keys of ``training_state.json`` that hold further trainer states (one per
        ensemble member or panel state); the rest of the file is the first trainer's
        state when it has one (``bad_epochs``).

    Raises
    ------
    CheckpointError
        Naming the file and the key.
    """
    if checkpoint.optimizer is not None:
        optimizer_entries(Entries(checkpoint.optimizer[1], pathlib.Path(root) / OPTIMIZER_FILE, "meta"))
    if checkpoint.training_state is None:
        return
    state = Entries(checkpoint.training_state, pathlib.Path(root) / TRAINING_STATE_FILE, "training_state")
    if "bad_epochs" in state.mapping:
        trainer_entries(state)
    for key in nested:
        if key in state.mapping:
            trainer_entries(state.child(key))
