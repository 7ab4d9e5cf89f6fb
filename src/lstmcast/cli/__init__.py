"""The ``lstmcast`` command: one sub-command module per area, one dispatcher here.

Each ``*_commands`` module has ``register(subparsers)``, which adds its commands
with ``set_defaults(handler=...)``; a handler takes the parsed arguments and
returns the exit status. A user mistake (bad file, column, argument) is a
``ValueError`` (``DataError`` and ``CheckpointError`` are ones), or a training loss
that diverged (``FloatingPointError``), and ends as one line on stderr with exit
status 2 — never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from .. import __version__
from . import forecast_commands, inspect_commands, stock_commands, text_commands

EXIT_USER_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lstmcast",
        description="Forecast time series and model text with LSTM networks written in NumPy. "
        "Start with `lstmcast demo`.",
    )
    parser.add_argument("--version", action="version", version=f"lstmcast {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module in (forecast_commands, stock_commands, inspect_commands, text_commands):
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 user error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return EXIT_USER_ERROR
    try:
        return int(args.handler(args) or 0)
    except (ValueError, FileNotFoundError, IsADirectoryError, PermissionError, FloatingPointError) as err:
        print(f"lstmcast: error: {err}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("lstmcast: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
