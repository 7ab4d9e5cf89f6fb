"""The flags commands that read a CSV share: --sep, --encoding and --date-format, --no-strong.

``--start`` and ``--end`` go to the API as typed: :mod:`lstmcast.data.positions` reads them
(row numbers, shares of the rows, dates) the same way for every command and for Python.
"""

from __future__ import annotations

import argparse

from ..data.csvfile import CsvFile

SEPARATOR_WORDS = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


def add_csv_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--sep`` and ``--encoding`` to a command that reads DATA.csv."""
    parser.add_argument("--sep", help="field separator of DATA.csv: ',' (default), ';', 'tab', '|'")
    parser.add_argument("--encoding", help="text encoding of DATA.csv: utf-8 (default), latin-1, cp1252, ...")
    parser.add_argument("--date-format", metavar="FORMAT",
                        help="how the dates of DATA.csv are written, e.g. '%%d/%%m/%%Y' (day first) or '%%m/%%d/%%Y' "
                        "(default: found from the dates)")


def csv_source(path: str | None, args: argparse.Namespace):
    """``path`` as given, or a :class:`~lstmcast.data.CsvFile` when --sep, --encoding or --date-format was passed."""
    date_format = getattr(args, "date_format", None)
    if path is None or (args.sep is None and args.encoding is None and date_format is None):
        return path
    sep = SEPARATOR_WORDS.get(args.sep, args.sep) if args.sep is not None else ","
    return CsvFile(path, sep=sep, encoding=args.encoding or "utf-8-sig", date_format=date_format)


def add_no_strong(parser: argparse.ArgumentParser) -> None:
    """Add ``--no-strong`` (``args.strong``: False, else None) to a command that scores against baselines."""
    parser.add_argument("--no-strong", dest="strong", action="store_const", const=False, default=None,
                        help="leave AutoETS, AutoARIMA, AutoTheta and MSTL out of the report (quicker; by default they "
                        "run when lstmcast[baselines] is installed and the data are not too large)")
