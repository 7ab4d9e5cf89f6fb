"""The lock ``.NAME.lock`` that lets one process at a time replace the model folder ``NAME``.

The lock file is created new (``O_CREAT | O_EXCL | O_NOFOLLOW``) and holds its owner's
pid. An existing one is never opened for writing: one a running save holds is waited
for read-only, one a killed save left is deleted and created anew, and a link or
anything else that is not a regular file is refused, so nothing planted at that name
makes a save (or a load, which only ever reads the lock) write through it.
"""

from __future__ import annotations

import errno
import os
import pathlib
import stat
import time
from contextlib import contextmanager

from .format import CheckpointError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, saves are not serialised
    fcntl = None

LOCK_WAIT_SECONDS = 10.0
"""How long a load waits for a save in progress before reading a folder that is being replaced."""


def lock_path(target: pathlib.Path) -> pathlib.Path:
    """The lock file guarding ``target``: ``.NAME.lock`` beside it."""
    return target.parent / f".{target.name}.lock"


@contextmanager
def folder_lock(target: pathlib.Path, wait: float = 0.0):
    """Hold the lock on ``target`` for the ``with`` block.

    The lock file ``.NAME.lock`` is created new (``O_CREAT | O_EXCL | O_NOFOLLOW``) and
    holds the owner's pid. An existing one is never opened for writing: one a running
    save holds is waited for (read-only), one a killed save left is deleted and created
    anew, and a symbolic link, a folder or anything else that is not a regular file is
    refused, so a link planted at that name cannot make a save write through it.

    Parameters
    ----------
    target : pathlib.Path
        The model folder (its parent must exist).
    wait : float
        Seconds to wait for another holder; 0 fails at once.

    Raises
    ------
    CheckpointError
        If another process holds the lock (naming it) after ``wait`` seconds, or
        ``.NAME.lock`` is not a regular file.
    """
    if fcntl is None:  # pragma: no cover
        yield
        return
    path = lock_path(target)
    deadline = time.monotonic() + wait
    while True:
        descriptor, created = _open_lock(path, target)
        if descriptor is None:
            continue  # removed between our two tries: create it
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(descriptor)
            os.close(descriptor)
            if time.monotonic() < deadline:
                time.sleep(0.05)
                continue
            raise CheckpointError(
                f"{target} is being written by another lstmcast process{holder} right now; "
                "wait for it to finish or save to another folder"
            ) from None
        try:  # the file may have been removed by the holder we waited for: lock the one in place
            same = os.path.samestat(os.fstat(descriptor), os.lstat(path))
        except FileNotFoundError:
            same = False
        if same and not created:  # a killed save's lock, ours now: replace it by one of our own
            _unlink(path)
            same = False
        if same:
            break
        os.close(descriptor)
    try:
        os.write(descriptor, str(os.getpid()).encode())
        yield
    finally:
        _unlink(path)  # still holding it: nobody can lock this file from now on
        os.close(descriptor)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _open_lock(path: pathlib.Path, target: pathlib.Path) -> tuple[int | None, bool]:
    """``(descriptor, created)``: a new lock file, or an existing one opened read-only
    (``None`` when it vanished meanwhile); refuses what is not a regular file."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644), True
    except FileExistsError:
        pass
    except OSError as error:
        raise type(error)(error.errno, error.strerror, str(target.parent)) from None
    try:  # O_NONBLOCK: a FIFO planted there must not hang us
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW)
    except FileNotFoundError:
        return None, False
    except OSError as error:
        if error.errno != errno.ELOOP:  # not a link: the system's reason (permission...), naming the lock
            raise type(error)(error.errno, error.strerror, str(path)) from None
        descriptor = None
    if descriptor is not None and stat.S_ISREG(os.fstat(descriptor).st_mode):
        return descriptor, False
    if descriptor is not None:
        os.close(descriptor)
    raise CheckpointError(f"{path} is not a lock file lstmcast wrote (it is {describe(path)}); "
                          f"remove it, then save to {target} again")


def describe(path: pathlib.Path) -> str:
    """What stands at ``path`` in words: a symbolic link, a folder, not a regular file."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return "unreadable"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "a folder" if stat.S_ISDIR(mode) else "not a regular file"


def _unlink(path: pathlib.Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _read_holder(descriptor: int) -> str:
    try:
        pid = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


def wait_for_saver(target: pathlib.Path) -> bool:
    """Wait until no save holds ``target``'s lock, opening the lock read-only; False on timeout."""
    if fcntl is None:  # pragma: no cover
        return True
    try:  # O_NONBLOCK: a FIFO planted there must not hang us
        descriptor = os.open(lock_path(target), os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW)
    except OSError:  # gone, a link, unreadable: nobody is saving through it
        return True
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return True
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(0.05)
    finally:
        os.close(descriptor)
