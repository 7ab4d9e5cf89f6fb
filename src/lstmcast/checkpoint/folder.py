"""Replacing a model folder safely: one writer at a time, never no model at the path.

A save writes the new model under a hidden sibling ``.NAME.tmp-<pid>-<hex>``, then,
holding the lock ``.NAME.lock``:

1. moves an existing ``NAME`` aside to ``.NAME.old-<pid>-<hex>``,
2. renames the new folder onto ``NAME``,
3. deletes the old one.

A process killed between 1 and 2 leaves no ``NAME`` but a complete ``.NAME.old-*``:
the next save of ``NAME`` takes the lock and renames it back
(:func:`recover`); a load meanwhile reads it where it is, writing nothing
(:func:`folder_to_read`). Temporaries of processes that no longer run (``.NAME.tmp-*``)
and old folders left beside a present ``NAME`` are deleted by the next save
(:func:`clean_stale`). A second process saving to the same ``NAME`` while the lock
is held gets a :class:`CheckpointError` saying so, and changes nothing.
"""

from __future__ import annotations

import json
import os
import pathlib
import secrets
import shutil
import stat

from .format import CONFIG_FILE, FORMAT_NAME, MODEL_FILES, WEIGHTS_FILE, CheckpointError
from .locking import describe, folder_lock, lock_path, wait_for_saver  # noqa: F401 (folder_lock: saving imports it here)
from .regular import read_regular


def sibling(target: pathlib.Path, tag: str) -> pathlib.Path:
    """A fresh unused hidden name ``.NAME.<tag>-<pid>-<hex>`` next to ``target`` (nothing is created)."""
    while True:
        path = target.parent / f".{target.name}.{tag}-{os.getpid()}-{secrets.token_hex(4)}"
        if not os.path.lexists(path):
            return path


def make_sibling(target: pathlib.Path, tag: str) -> pathlib.Path:
    """Create and return a new empty hidden directory next to ``target``."""
    while True:
        path = sibling(target, tag)
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path


def leftovers(target: pathlib.Path, tag: str) -> list[pathlib.Path]:
    """The hidden ``.NAME.<tag>-*`` folders beside ``target``, newest first."""
    prefix = f".{target.name}.{tag}-"
    try:
        found = [entry for entry in target.parent.iterdir() if entry.name.startswith(prefix)]
    except OSError:
        return []
    return sorted(found, key=_mtime, reverse=True)


def _mtime(path: pathlib.Path) -> float:
    try:
        return path.lstat().st_mtime
    except OSError:
        return 0.0


def _is_complete(path: pathlib.Path) -> bool:
    return path.is_dir() and (path / CONFIG_FILE).is_file() and (path / WEIGHTS_FILE).is_file()


def recover(target: pathlib.Path) -> bool:
    """If ``target`` is missing but a save moved a complete model aside, put it back.

    Call while holding :func:`folder_lock`. Returns whether a model was put back.
    """
    if os.path.lexists(target):
        return False
    for aside in leftovers(target, "old"):
        if _is_complete(aside):
            os.rename(aside, target)
            fsync_directory(target.parent)
            return True
    return False


def folder_to_read(target: pathlib.Path) -> pathlib.Path:
    """The folder holding the model saved at ``target``; a reader's view, writing nothing.

    ``target`` itself, once any save in progress is done (waited for up to
    :data:`.locking.LOCK_WAIT_SECONDS` through a read-only lock); when a killed save left no
    ``target`` but a complete model in ``.NAME.old-*``, that folder, read where it is
    (the next save puts it back). A reader creates, changes and deletes nothing, not
    even a lock file.

    Raises
    ------
    CheckpointError
        If a save still holds ``target``'s lock after the wait and ``target`` is missing.
    """
    if os.path.lexists(target) or not (leftovers(target, "old") or os.path.lexists(lock_path(target))):
        return target
    if not wait_for_saver(target) and not os.path.lexists(target):
        raise CheckpointError(f"{target} is being written by another lstmcast process right now; "
                              "try again when it has finished")
    if os.path.lexists(target):
        return target
    return next((aside for aside in leftovers(target, "old") if _is_complete(aside)), target)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # our own temporaries from before this save are leftovers of a failed one
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _pid_of(path: pathlib.Path) -> int | None:
    parts = path.name.rsplit("-", 2)  # .NAME.tmp-<pid>-<hex>
    return int(parts[-2]) if len(parts) == 3 and parts[-2].isdigit() else None


def clean_stale(target: pathlib.Path) -> list[pathlib.Path]:
    """Delete what killed saves left beside ``target``; call while holding :func:`folder_lock`.

    Removes ``.NAME.tmp-*`` folders of processes that no longer run, and ``.NAME.old-*``
    folders when ``target`` exists (run :func:`recover` first). Returns what was removed.
    """
    removed = []
    for tmp in leftovers(target, "tmp"):
        pid = _pid_of(tmp)
        if pid is None or not _pid_alive(pid):
            shutil.rmtree(tmp, ignore_errors=True)
            removed.append(tmp)
    if os.path.lexists(target):
        for old in leftovers(target, "old"):
            shutil.rmtree(old, ignore_errors=True)
            removed.append(old)
    return removed


def check_replaceable(target: pathlib.Path) -> None:
    """Refuse to overwrite anything but nothing, an empty directory or a model directory."""
    if target.name in ("", ".", ".."):  # ".", "..", "/", "a/..": no name to put the lock and temporaries beside
        raise CheckpointError(f"cannot save a model to {str(target)!r}: give a folder name, "
                              f"such as {str(target / 'model')!r}")
    if target.is_symlink():
        raise CheckpointError(
            f"{target} is a symbolic link; save to the directory it points to instead"
        )
    for parent in target.parents:  # the nearest existing folder above must be a folder
        if os.path.lexists(parent):
            if not parent.is_dir():
                raise CheckpointError(f"cannot save a model to {target}: {parent} is a file, not a folder")
            break
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
    if os.path.lexists(config_path):
        try:  # a regular file only: a FIFO planted there must not hang the save
            document = json.loads(read_regular(config_path).decode("utf-8"))
        except (CheckpointError, UnicodeDecodeError, ValueError, RecursionError):
            document = None
        if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
            raise CheckpointError(
                f"{config_path} is not an lstmcast config; refusing to replace {target}: "
                "save somewhere else or remove it first"
            )


def check_writable(target) -> pathlib.Path:
    """Refuse, before any work, a model folder that saving would refuse.

    Call it before a long training whose result goes to ``target``: a path that is a
    file, a folder of other files, inside a file, in a folder that cannot be written,
    or whose lock name holds something else than a lock file fails now, not after the
    training.

    Raises
    ------
    CheckpointError
        As :func:`save_checkpoint` would, in one line naming the path.
    """
    if not str(target):  # pathlib.Path("") is "."
        raise CheckpointError("cannot save a model to an empty folder name; give a folder name")
    target = pathlib.Path(target)
    check_replaceable(target)
    existing = next(parent for parent in (target, *target.parents) if os.path.lexists(parent))
    if existing == target:
        existing = target.parent
    if not os.access(existing, os.W_OK | os.X_OK):
        raise CheckpointError(f"cannot save a model to {target}: folder {existing} is not writable")
    lock = lock_path(target)
    if os.path.lexists(lock) and not stat.S_ISREG(os.lstat(lock).st_mode):  # as folder_lock would refuse it
        raise CheckpointError(f"{lock} is not a lock file lstmcast wrote (it is {describe(lock)}); "
                              f"remove it, then save to {target} again")
    return target


def swap_in(staging: pathlib.Path, target: pathlib.Path) -> None:
    """Rename ``staging`` onto ``target``; an existing target is moved aside first, then deleted.

    Call while holding :func:`folder_lock`.
    """
    if not os.path.lexists(target):
        os.rename(staging, target)
        fsync_directory(target.parent)
        return
    aside = sibling(target, "old")
    os.rename(target, aside)
    try:
        os.rename(staging, target)
    except BaseException:
        os.rename(aside, target)
        raise
    fsync_directory(target.parent)
    shutil.rmtree(aside, ignore_errors=True)


def fsync_directory(path: pathlib.Path) -> None:
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
