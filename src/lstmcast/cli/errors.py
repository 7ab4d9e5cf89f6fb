"""How the command line reports a mistake: one line, the command's own words, exit status 2.

The library's messages name arguments as Python spells them (``target=``,
``date_column``, ``fill='ffill'``); :func:`in_flag_words` rewrites them as the flags a
person typed (``--target``, ``--date-column``, ``--fill ffill``), but only the flags the
command has: advice to pass an argument it has no flag for stays in Python's words,
marked as such. :func:`describe_os_error`
turns any ``OSError`` into ``PATH: reason``, and :func:`os_error_status` says whether
it is the user's to fix (exit 2: a missing or read-only path, a full disk) or not (1).
Every line goes out through :func:`~.shown.one_line`: one line, lists cut, control
characters escaped.
"""

from __future__ import annotations

import argparse
import errno
import re
import sys
from typing import Iterable

from .shown import one_line

EXIT_USER_ERROR = 2
EXIT_FAILURE = 1

FLAGS = {
    "date_column": "--date-column", "look_back": "--look-back", "val_fraction": "--val-fraction",
    "hidden_size": "--hidden", "num_layers": "--layers", "batch_size": "--batch-size",
    "max_minutes": "--minutes", "target_transform": "--target-transform", "embedding_dim": "--embedding",
    "seq_len": "--seq-len", "steps_per_epoch": "--steps-per-epoch", "lr_decay": "--lr-decay",
    "clip_norm": "--clip-norm", "top_k": "--top-k", "id_column": "--id-column",
    "target": "--target", "fill": "--fill", "sep": "--sep", "encoding": "--encoding", "freq": "--freq",
    "horizon": "--horizon", "epochs": "--epochs", "patience": "--patience", "coverage": "--coverage",
    "length": "--length", "temperature": "--temperature", "dropout": "--dropout", "lr": "--lr",
    "seed": "--seed", "layers": "--layers", "time_column": "--date-column", "skip_short": "--skip-short",
    "window_norm": "--window-norm", "season": "--season", "mode": "--mode", "step": "--step",
    "refit_every": "--refit-every", "workers": "--workers", "out": "--out", "start": "--start", "end": "--end", "series": "--series", "window": "--window",
    "date_format": "--date-format", "future": "--future", "future_features": "--future-features",
    "static_features": "--static-features",
}
"""Python argument names and the command-line flags that set them."""

_ASSIGNMENT = re.compile(r"\b([a-z_]+)=('[^']*'|[^\s,;)]*)")  # fill='ffill', target=, hidden_size=100
_IDENTIFIER = re.compile(r"\b([a-z]+_[a-z_]+)\b")  # date_column, look_back (never plain words)
_QUOTED = re.compile(r"('[^']*')")
_SUBJECT = re.compile(r"^([a-z_]+)(?= must\b)")  # "length must be ..." at the start of a message

USER_ERRNOS = frozenset({
    errno.ENOENT, errno.EACCES, errno.EPERM, errno.EEXIST, errno.ENOTDIR, errno.EISDIR, errno.EROFS,
    errno.ENOSPC, errno.EDQUOT, errno.ENAMETOOLONG, errno.ELOOP, errno.ENOTEMPTY, errno.EXDEV,
    errno.ETXTBSY, errno.EFBIG,
})
"""Operating-system errors a user causes and can fix: exit status 2."""


class UsageError(Exception):
    """A command line argparse refused, already worded as one line."""


class CommandError(Exception):
    """A failure the command has already worded as one line (``lstmcast: error: ...``), with its exit status."""

    def __init__(self, message: str, status: int = EXIT_USER_ERROR):
        super().__init__(message)
        self.status = status


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose mistakes are one line (no usage block), exit status 2."""

    def error(self, message: str):
        raise UsageError(f"{self.prog}: error: {message} (see {self.prog} --help)")


def in_flag_words(message: str, flags: Iterable[str] | None = None, command: str = "this command") -> str:
    """Rewrite Python argument names in ``message`` as command-line flags, outside quoted names.

    Parameters
    ----------
    message : str
    flags : iterable of str, optional
        The flags of the command that failed (``--target``, ...); a name whose flag is not
        among them keeps its Python spelling, and the message ends by saying these are
        arguments of the Python API. None: every flag of :data:`FLAGS`.
    command : str
        The command, for that note (e.g. ``"lstmcast forecast"``).

    Returns
    -------
    str
    """
    known = None if flags is None else frozenset(flags)
    foreign: list[str] = []

    def flag(name: str) -> str | None:
        if name not in FLAGS or (known is not None and FLAGS[name] not in known):
            return None
        return FLAGS[name]

    def assignment(match):  # advice: "pass fill='ffill'"
        name, value = match.group(1), match.group(2)
        option = flag(name)
        if option is None:
            if name in FLAGS and name not in foreign:
                foreign.append(name)
            return match.group(0)
        if value == "True":  # skip_short=True: a switch
            return option
        return option + (" " + value.strip("'") if value else "")

    message = _ASSIGNMENT.sub(assignment, message)  # before quotes are protected: fill='ffill'
    message = _SUBJECT.sub(lambda m: flag(m.group(1)) or m.group(1), message)
    parts = _QUOTED.split(message)
    for i in range(0, len(parts), 2):  # even parts are outside quotes
        parts[i] = _IDENTIFIER.sub(lambda m: flag(m.group(1)) or m.group(1), parts[i])
    message = "".join(parts)
    if foreign:
        message += f" ({', '.join(name + '=' for name in foreign)}: argument{'s' if len(foreign) > 1 else ''} " \
                   f"of the Python API, not {'flags' if len(foreign) > 1 else 'a flag'} of {command})"
    return message


def describe_os_error(error: OSError) -> str:
    """``PATH: reason`` (both paths for a rename), one line."""
    reason = error.strerror or " ".join(str(error).splitlines()) or type(error).__name__
    if error.filename is not None and error.filename2 is not None:
        return f"{error.filename} -> {error.filename2}: {reason}"
    if error.filename is not None:
        return f"{error.filename}: {reason}"
    return reason


def os_error_status(error: OSError) -> int:
    """2 when the user can fix it (a path, permissions, space), 1 otherwise."""
    return EXIT_USER_ERROR if error.errno in USER_ERRNOS else EXIT_FAILURE


def warning_printer(flags: Iterable[str] | None = None, command: str = "this command"):
    """A ``warnings.showwarning`` for the command line: ``lstmcast: warning: ...`` on one line, in the
    words of the command's own flags (see :func:`in_flag_words`)."""
    def show_warning(message, category, filename, lineno, file=None, line=None) -> None:
        text = one_line(in_flag_words(" ".join(str(message).splitlines()), flags, command))
        print(f"lstmcast: warning: {text}", file=sys.stderr if file is None else file)

    return show_warning


show_warning = warning_printer()
"""``warnings.showwarning`` naming any flag of :data:`FLAGS`."""


def command_flags(parser: argparse.ArgumentParser) -> None:
    """Give every command under ``parser`` the defaults ``cli_flags`` (its own flags) and ``cli_prog``
    (e.g. ``"lstmcast forecast"``), so its messages name only flags it has."""
    for action in parser._actions:  # argparse has no public way to reach the sub-commands
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                command.set_defaults(cli_flags=frozenset(option for a in command._actions
                                                         for option in a.option_strings),
                                     cli_prog=command.prog)
                command_flags(command)
