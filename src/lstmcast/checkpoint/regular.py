"""Opening a model folder's files: regular files only, checked on the opened file.

A FIFO, device, socket or folder planted under a model file's name is refused
without being read (``O_NONBLOCK``: opening a FIFO does not wait for a writer), so a
forged folder cannot hang or flood a load or a save. A symbolic link is followed
(the documented choice: a model file may be a link to a regular file elsewhere).
"""

from __future__ import annotations

import os
import pathlib
import stat

from .format import CheckpointError


def read_regular(path: pathlib.Path) -> bytes:
    """The bytes of ``path``, which must be a regular file (a link to one is followed).

    A FIFO, device, socket or folder is refused without being read, so a forged model
    folder cannot hang or flood a load; the check is on the opened file, not the name.
    """
    try:  # O_NONBLOCK: opening a FIFO must not wait for a writer
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise CheckpointError(f"{path} cannot be read: {error.strerror or error}") from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise CheckpointError(f"{path} is not a regular file; a model folder holds only regular files")
    with os.fdopen(descriptor, "rb") as handle:
        try:
            return handle.read()
        except OSError as error:
            raise CheckpointError(f"{path} cannot be read: {error.strerror or error}") from None


def check_regular(path: pathlib.Path) -> None:
    """Raise unless ``path`` opens as a regular file (as :func:`read_regular`, reading nothing)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise CheckpointError(f"{path} cannot be read: {error.strerror or error}") from None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise CheckpointError(f"{path} is not a regular file; a model folder holds only regular files")
    finally:
        os.close(descriptor)
