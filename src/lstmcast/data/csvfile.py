"""Reading a CSV file into a :class:`~lstmcast.data.rawtable.RawTable`, every cell as text.

A path is read as UTF-8 (with or without a byte-order mark) with commas between
fields; :class:`CsvFile` names another separator or encoding. The header is checked
first, so the common mistakes get their own message: a file separated by semicolons
or tabs (one column named ``"date;value"``), a file in another encoding (Latin-1 from
Excel), two columns with the same name.
"""

from __future__ import annotations

import codecs
import csv
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from lstmcast.data.date_order import check_date_format
from lstmcast.data.errors import DataError
from lstmcast.data.rawtable import RawTable, check_unique_names

SEPARATORS = (",", ";", "\t", "|")
"""Separators looked for when a header reads as one column."""

_SEPARATOR_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}


@dataclass(frozen=True)
class CsvFile:
    """A CSV file and how to read it.

    Attributes
    ----------
    path : pathlib.Path
        The file.
    sep : str
        The one character between fields (``","``, ``";"``, ``"\\t"``...).
    encoding : str
        A Python codec name (``"utf-8-sig"`` reads UTF-8 with or without a BOM;
        ``"latin-1"``, ``"cp1252"``...).
    date_format : str, optional
        The ``strftime`` format of the dates (``"%d/%m/%Y"``); default: found from the
        dates (dates such as ``01/02/2020`` day first or month first as their spacing says).
    """

    path: Path
    sep: str = ","
    encoding: str = "utf-8-sig"
    date_format: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", Path(self.path))
        if not isinstance(self.sep, str) or len(self.sep) != 1 or self.sep in "\"\r\n":
            raise ValueError(f"sep must be one character such as ',', ';' or '\\t', got {self.sep!r}")
        try:
            codecs.lookup(self.encoding)
        except (LookupError, TypeError):
            raise ValueError(f"encoding={self.encoding!r} is not an encoding Python knows "
                             "(try 'utf-8', 'latin-1' or 'cp1252')") from None
        check_date_format(self.date_format)

    @property
    def name(self) -> str:
        """The file name, as messages show it."""
        return self.path.name


def as_csv_file(source) -> CsvFile:
    """``source`` (a str, a Path or a CsvFile) as a :class:`CsvFile`."""
    if isinstance(source, CsvFile):
        return source
    if isinstance(source, (str, Path)):
        return CsvFile(Path(source))
    raise ValueError(f"source must be a path, a CsvFile or a pandas DataFrame, got {type(source).__name__}")


def read_columns(source) -> list[str]:
    """The column names in the header of a CSV file (stripped), after checking it.

    Raises
    ------
    DataError
        Missing or empty file, a header that reads as one column because the file
        uses another separator, text that is not in the file's encoding, or a
        column name that appears twice.
    """
    csv_file = as_csv_file(source)
    path = csv_file.path
    if not path.exists():
        raise DataError(f"{path}: no such file")
    if not path.is_file():
        raise DataError(f"{path}: not a file")
    try:
        with open(path, newline="", encoding=csv_file.encoding) as handle:
            line = handle.readline()
    except UnicodeDecodeError:
        raise DataError(_encoding_message(csv_file)) from None
    if not line.strip():
        raise DataError(f"{csv_file.name}: the file is empty" if not line else f"{csv_file.name}: the header line is empty")
    header = [name.strip() for name in next(csv.reader([line], delimiter=csv_file.sep, skipinitialspace=True))]
    _check_separator(csv_file, header, line)
    check_unique_names(header, csv_file.name)
    return header


def read_csv(source) -> RawTable:
    """Every cell of a CSV file as text, with the file line of each row (header = line 1)."""
    csv_file = as_csv_file(source)
    read_columns(csv_file)
    path, name = csv_file.path, csv_file.name
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)  # a row longer than the header
            frame = pd.read_csv(
                path,
                sep=csv_file.sep,
                dtype=str,
                index_col=False,  # never take the first column as an index
                na_filter=False,
                keep_default_na=False,
                skip_blank_lines=False,
                skipinitialspace=True,
                encoding=csv_file.encoding,
            )
    except pd.errors.EmptyDataError:
        raise DataError(f"{name}: the file is empty") from None
    except (pd.errors.ParserWarning, pd.errors.ParserError) as err:
        line, n_fields, n_header = _first_long_row(csv_file)
        if line:
            raise DataError(f"{name}: line {line} has {n_fields} fields but the header has {n_header}") from None
        raise DataError(f"{name}: cannot read as CSV: {str(err).strip()}") from None
    except UnicodeDecodeError:
        raise DataError(_encoding_message(csv_file)) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    lines = np.arange(len(frame)) + 2  # (N,) header is line 1
    blank = frame.apply(lambda col: col.isna() | (col.fillna("").str.strip() == "")).all(axis=1)
    frame = frame.loc[~blank.to_numpy()].reset_index(drop=True)
    lines = lines[~blank.to_numpy()]
    if len(frame) == 0:
        raise DataError(f"{name}: no data rows, only the header line")
    return RawTable(frame=frame, source=name, lines=lines, index_dates=None, index_name=None,
                    date_format=csv_file.date_format)


def _check_separator(csv_file: CsvFile, header: list[str], line: str) -> None:
    """A one-column header holding another separator: say which and how to pass it."""
    if len(header) != 1:
        return
    counts = {sep: line.count(sep) for sep in SEPARATORS if sep != csv_file.sep}
    found = max(counts, key=counts.get)
    if counts[found] == 0:
        return
    raise DataError(
        f"{csv_file.name}: the header reads as one column {_short(header[0])} with {csv_file.sep!r} between "
        f"fields, but it holds {counts[found]} {_SEPARATOR_NAMES[found]}: pass sep={found!r}"
    )


def _short(text: str, limit: int = 40) -> str:
    return repr(text) if len(text) <= limit else repr(text[: limit - 3] + "...")


def _encoding_message(csv_file: CsvFile) -> str:
    """Where the first byte the encoding cannot read is, and what to pass instead."""
    data = csv_file.path.read_bytes()
    try:
        data.decode(csv_file.encoding)
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        byte = data[err.start]
    else:  # pragma: no cover - the reader failed where a whole decode does not
        line, byte = 0, 0
    shown = "UTF-8" if codecs.lookup(csv_file.encoding).name.startswith("utf-8") else csv_file.encoding
    return (f"{csv_file.name}: not {shown} text: byte 0x{byte:02x} on line {line} is not valid {shown}; "
            "if the file was saved as Latin-1 or Windows-1252 (Excel often does), pass encoding='latin-1' "
            "or encoding='cp1252'")


def _first_long_row(csv_file: CsvFile) -> tuple[int, int, int]:
    """(line, fields, header fields) of the first row with more fields than the header."""
    with open(csv_file.path, newline="", encoding=csv_file.encoding) as handle:
        reader = csv.reader(handle, delimiter=csv_file.sep, skipinitialspace=True)
        n_header = len(next(reader))
        for row in reader:
            if len(row) > n_header:
                return reader.line_num, len(row), n_header
    return 0, 0, n_header  # the parser failed for another reason
