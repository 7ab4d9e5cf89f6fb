"""The ``lstmcast`` command: one sub-command module per area, one dispatcher here.

Each ``*_commands`` module has ``register(subparsers)``, which adds its commands
with ``set_defaults(handler=...)``; a handler takes the parsed arguments and
returns the exit status. A user mistake (bad file, column, argument) is a
``ValueError`` (``DataError`` and ``CheckpointError`` are ones), a training loss
that diverged (``FloatingPointError``) or a run whose every task failed (``TaskError``),
and ends as one line on stderr with exit status 2 — never a traceback; the message names arguments as the flags a person
types, only those of the command that failed (see :mod:`.errors`). A failure a command words itself
(``CommandError``: a model folder that cannot be saved, ...) and a missing optional extra
(``DaskMissing``) are one line too; any other exception is a bug and shows its traceback.
Every line is safe to show (control characters escaped, long lists cut: :mod:`.shown`). Every ``OSError`` becomes one line naming the path and
the reason (exit 2 when the user can fix it), and a command line argparse refuses is
one line too.
"""

from __future__ import annotations

import argparse
import sys
import warnings

from .. import __version__
from ..parallel import DaskMissing, TaskError
from . import forecast_commands, info_commands, inspect_commands, stock_commands, text_commands
from .errors import (EXIT_USER_ERROR, CommandError, OneLineParser, UsageError, command_flags, describe_os_error,
                     in_flag_words, os_error_status, warning_printer)
from .shown import one_line


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="lstmcast",
        description="Forecast time series and model text with LSTM networks written in NumPy. "
        "Start with `lstmcast demo`.",
    )
    parser.add_argument("--version", action="version", version=f"lstmcast {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module in (forecast_commands, stock_commands, inspect_commands, info_commands, text_commands):
        module.register(subparsers)
    command_flags(parser)
    return parser


def _say(line: str) -> None:
    print(one_line(line), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 user error, 1 other failure, 130 interrupted)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as err:
        _say(str(err))
        return EXIT_USER_ERROR
    if not hasattr(args, "handler"):
        parser.print_help()
        return EXIT_USER_ERROR
    flags, prog = getattr(args, "cli_flags", None), getattr(args, "cli_prog", "lstmcast")
    try:
        with warnings.catch_warnings():
            warnings.showwarning = warning_printer(flags, prog)
            return int(args.handler(args) or 0)
    except UsageError as err:
        _say(str(err))
        return EXIT_USER_ERROR
    except CommandError as err:
        _say(f"lstmcast: error: {err}")
        return err.status
    except DaskMissing as err:  # --workers / --scheduler without the optional extra
        _say(f"lstmcast: error: {in_flag_words(str(err), flags, prog)}")
        return EXIT_USER_ERROR
    except (ValueError, FloatingPointError, TaskError) as err:
        _say(f"lstmcast: error: {in_flag_words(' '.join(str(err).splitlines()), flags, prog)}")
        return EXIT_USER_ERROR
    except OSError as err:
        _say(f"lstmcast: error: {describe_os_error(err)}")
        return os_error_status(err)
    except MemoryError:
        _say("lstmcast: error: out of memory; use smaller sizes (--hidden, --batch-size, --look-back) "
             "or less data")
        return 1
    except KeyboardInterrupt:
        _say("lstmcast: interrupted")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
