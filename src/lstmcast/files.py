"""Writing a file so that a failure never leaves it half-written.

Every file lstmcast writes for a user (figures, CSV forecasts, JSON reports, price
downloads) goes through :func:`atomic_write`: the content is written to a hidden
temporary name beside the target and renamed over it only once complete. Model
folders have their own whole-directory swap in :mod:`lstmcast.checkpoint`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable


def atomic_write(path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` to fill a temporary file, then rename it to ``path``.

    Parameters
    ----------
    path : str or Path
        The file to create or replace.
    write : callable
        Writes the whole content to the path it is given.

    Returns
    -------
    Path

    Raises
    ------
    ValueError
        If the folder of ``path`` does not exist (a user mistake, one line).
    """
    path = Path(path)
    if not path.parent.exists():
        raise ValueError(f"cannot write {path}: folder {path.parent} does not exist")
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path
