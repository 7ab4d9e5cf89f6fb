"""The flags every command that reads a CSV shares: --sep and --encoding."""

from __future__ import annotations

import argparse

from ..data.csvfile import CsvFile

SEPARATOR_WORDS = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


def add_csv_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--sep`` and ``--encoding`` to a command that reads DATA.csv."""
    parser.add_argument("--sep", help="field separator of DATA.csv: ',' (default), ';', 'tab', '|'")
    parser.add_argument("--encoding", help="text encoding of DATA.csv: utf-8 (default), latin-1, cp1252, ...")


def csv_source(path: str | None, args: argparse.Namespace):
    """``path`` as given, or a :class:`~lstmcast.data.CsvFile` when --sep or --encoding was passed."""
    if path is None or (args.sep is None and args.encoding is None):
        return path
    sep = SEPARATOR_WORDS.get(args.sep, args.sep) if args.sep is not None else ","
    return CsvFile(path, sep=sep, encoding=args.encoding or "utf-8-sig")
