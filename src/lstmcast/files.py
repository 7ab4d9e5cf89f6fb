"""Writing a file so that a failure never leaves it half-written.

Every file lstmcast writes for a user (figures, CSV forecasts, JSON reports, price
downloads) goes through :func:`atomic_write`. What happens depends on what the path
names:

- a regular file, or nothing yet: the content is written to a hidden temporary file
  beside it and renamed over it only once complete (an existing file keeps its
  permission bits, a new one gets those the umask gives). The temporary is created new
  with an unpredictable name (``O_CREAT | O_EXCL``, :func:`tempfile.mkstemp`), so a
  link planted beside the target cannot redirect the write;
- a symbolic link: the same, at the file the link points to; the link stays a link;
- ``-``: standard output;
- a device, a FIFO or a socket (``/dev/stdout``, ``/dev/null``, a named pipe): the
  content is first written whole to a private temporary file, then copied into it;
  such a path is never renamed over or deleted.

Model folders have their own whole-directory swap in :mod:`lstmcast.checkpoint`.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from typing import Callable

STDOUT = "-"
"""The path that means standard output."""


def atomic_write(path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` to fill a temporary file, then put it at ``path``.

    Parameters
    ----------
    path : str or Path
        The file to create or replace; a symbolic link is followed, ``-`` is
        standard output, a device or FIFO is written into (never replaced).
    write : callable
        Writes the whole content to the path it is given.

    Returns
    -------
    Path
        ``path`` as given.

    Raises
    ------
    ValueError
        If the folder of ``path`` does not exist or ``path`` is a folder (a user
        mistake, one line).
    OSError
        If the disk refuses; the previous content of ``path`` is then untouched.
    """
    given = Path(path)
    if not str(path):  # Path("") is ".": say what was given
        raise ValueError("cannot write to an empty file name; give a file name")
    if str(path) == STDOUT:
        try:
            _write_through(None, write, "stdout")
        except OSError as error:
            raise about_path(error, "standard output") from None
        return given
    try:
        mode = os.stat(given).st_mode  # through any links: what a write would reach
    except FileNotFoundError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise ValueError(f"cannot write {given}: it is a folder; give a file name")
    if mode is not None and not stat.S_ISREG(mode):
        try:
            _write_through(given, write, given.name)  # /dev/stdout opens the process's own output
        except OSError as error:
            raise about_path(error, given) from None
        return given
    target = Path(os.path.realpath(given)) if given.is_symlink() else given
    if not target.parent.is_dir():
        raise ValueError(f"cannot write {given}: folder {target.parent} does not exist")
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise about_path(error, given) from None
    os.close(descriptor)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as error:
        raise about_path(error, given) from None
    finally:
        if os.path.lexists(tmp):
            tmp.unlink()
    return given


def _umask() -> int:
    """The process's umask, read without changing it where Linux tells it."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def about_path(error: OSError, path) -> OSError:
    """The same error, naming ``path`` (what the user asked for) instead of a temporary name."""
    if error.errno is None:
        return error
    return type(error)(error.errno, error.strerror, str(path))


def _write_through(target: Path | None, write: Callable[[Path], None], name: str) -> None:
    """Write the whole content privately, then copy it to ``target`` (None: standard output)."""
    with tempfile.TemporaryDirectory(prefix="lstmcast-") as folder:
        tmp = Path(folder) / name
        write(tmp)
        with open(tmp, "rb") as source:
            if target is None:
                sys.stdout.flush()
                shutil.copyfileobj(source, sys.stdout.buffer)
                sys.stdout.buffer.flush()
            else:
                with open(target, "wb") as sink:
                    shutil.copyfileobj(source, sink)
