"""A CharModel to and from a model directory (safetensors + JSON, never pickle).

``config.json`` holds the constructor arguments, the vocabulary and the history;
``weights.safetensors`` the network (the best epoch's weights with early stopping);
``optimizer.safetensors``, ``training_state.json`` and ``resume.safetensors`` the
Trainer's state (last weights, random generators, early-stopping counters) and the
place in the training text, so ``fit(text, resume=True)`` continues exactly.
"""

from __future__ import annotations

from pathlib import Path

from ..checkpoint import (WEIGHTS_FILE, CheckpointError, check_finite, check_shapes, load_checkpoint, save_checkpoint,
                          to_jsonable)
from ..checkpoint import CONFIG_FILE
from ..checkpoint.entries import Entries, check_checkpoint_state, history_entries
from ..training import History, resume_parts, resume_state
from .network import CharNet
from .vocab import Vocab

KIND = "charmodel"


def save_charmodel(model, path) -> Path:
    """Write a fitted ``model`` to the directory ``path``, atomically."""
    config = {
        "params": model.get_params(deep=False),
        "vocab": model.vocab_.to_dict(),
        "history": model.history_.to_dict(),
        "stopped_by_time": bool(getattr(model, "stopped_by_time_", False)),
    }
    parts = resume_parts(model.training_state_, model.resume_arrays_)
    parts["training_state"] = to_jsonable(parts["training_state"])
    return save_checkpoint(path, kind=KIND, config=to_jsonable(config), weights=model.network_.state_dict(),
                           **parts)


def load_charmodel(path, make):
    """Rebuild a fitted CharModel from a directory written by :func:`save_charmodel`.

    Parameters
    ----------
    path : str or pathlib.Path
    make : callable
        ``make(params)`` -> an unfitted model with these constructor arguments (the
        estimator passes its own class, so this module does not import it).

    Raises
    ------
    CheckpointError
        If the directory is not a character model or its files do not fit together.
    """
    ckpt = load_checkpoint(path, kind=KIND)
    config = ckpt.config
    check_checkpoint_state(ckpt, path)
    entries = Entries(config, Path(path) / CONFIG_FILE)
    try:
        model = make(entries.child("params").mapping)
        model._validate()
        model.vocab_ = Vocab.from_dict(config["vocab"])
        model.history_ = History.from_dict(history_entries(entries, "history"))
        model.stopped_by_time_ = entries.flag("stopped_by_time", default=False)
    except (KeyError, TypeError, ValueError) as err:
        raise CheckpointError(f"{path}: config.json is missing or has a bad entry ({err})") from None
    weights_path = Path(path) / WEIGHTS_FILE
    check_finite(weights_path, ckpt.weights)
    check_shapes(weights_path, {k: v.shape for k, v in ckpt.weights.items()},  # before building anything
                 CharNet.state_shapes(len(model.vocab_), model.embedding_dim, model.hidden_size, model.num_layers))
    model.network_ = CharNet(len(model.vocab_), model.embedding_dim, model.hidden_size, model.num_layers,
                             model.dropout, dtype=model.dtype, seed=model.seed)
    model.network_.load_state_dict(ckpt.weights)
    model.network_.eval()
    model.training_state_, model.resume_arrays_ = resume_state(ckpt)
    return model
