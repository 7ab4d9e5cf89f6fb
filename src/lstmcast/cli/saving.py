"""Saving a model folder from a command: what the weights library refuses becomes one line naming the folder."""

from __future__ import annotations

import re
from pathlib import Path

from safetensors import SafetensorError

from ..checkpoint import check_writable
from .errors import EXIT_FAILURE, EXIT_USER_ERROR, USER_ERRNOS, CommandError

_OS_ERROR = re.compile(r'Os \{ code: (\d+),.*?message: "([^"]*)"')  # how safetensors wraps an OS error


def save_model(model, path) -> Path:
    """``model.save(path)``; a :class:`safetensors.SafetensorError` raised while writing is a
    :class:`~.errors.CommandError` ``cannot save model folder PATH: reason`` (exit 2 when the
    user can fix it: a full disk, permissions; 1 otherwise).

    Parameters
    ----------
    model : Forecaster or CharModel
        A fitted model.
    path : str or os.PathLike
        The model folder (``--out``).

    Returns
    -------
    pathlib.Path
        What ``model.save`` returns.
    """
    try:
        return model.save(path)
    except SafetensorError as err:
        text = " ".join(str(err).split())
        found = _OS_ERROR.search(text)
        status = EXIT_USER_ERROR if found and int(found.group(1)) in USER_ERRNOS else EXIT_FAILURE
        raise CommandError(f"cannot save model folder {path}: {found.group(2) if found else text}",
                           status) from None


def check_out_folder(path: str) -> None:
    """Refuse, before any training, an ``--out`` that saving would refuse (an empty name among them).

    Raises
    ------
    ValueError
        ``--out ''``: one line naming the flag.
    CheckpointError
        As :func:`lstmcast.checkpoint.check_writable`.
    """
    if not str(path).strip():
        raise ValueError(f"out must name the model folder to write, got {str(path)!r}")
    check_writable(path)
