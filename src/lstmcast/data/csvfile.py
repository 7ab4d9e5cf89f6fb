"""Reading a CSV file into a :class:`~lstmcast.data.rawtable.RawTable`, every cell as text."""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from lstmcast.data.errors import DataError
from lstmcast.data.rawtable import RawTable


def read_csv(path: str | Path) -> RawTable:
    if not isinstance(path, (str, Path)):
        raise ValueError(f"source must be a path or a pandas DataFrame, got {type(path).__name__}")
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file")
    if not path.is_file():
        raise DataError(f"{path}: not a file")
    name = path.name
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)  # a row longer than the header
            frame = pd.read_csv(
                path,
                dtype=str,
                index_col=False,  # never take the first column as an index
                na_filter=False,
                keep_default_na=False,
                skip_blank_lines=False,
                skipinitialspace=True,
                encoding="utf-8-sig",
            )
    except pd.errors.EmptyDataError:
        raise DataError(f"{name}: the file is empty") from None
    except (pd.errors.ParserWarning, pd.errors.ParserError) as err:
        line, n_fields, n_header = _first_long_row(path)
        if line:
            raise DataError(f"{name}: line {line} has {n_fields} fields but the header has {n_header}") from None
        raise DataError(f"{name}: cannot read as CSV: {str(err).strip()}") from None
    except UnicodeDecodeError:
        raise DataError(f"{name}: not a UTF-8 text file") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    lines = np.arange(len(frame)) + 2  # (N,) header is line 1
    blank = frame.apply(lambda col: col.isna() | (col.fillna("").str.strip() == "")).all(axis=1)
    frame = frame.loc[~blank.to_numpy()].reset_index(drop=True)
    lines = lines[~blank.to_numpy()]
    if len(frame) == 0:
        raise DataError(f"{name}: no data rows, only the header line")
    return RawTable(frame=frame, source=name, lines=lines, index_dates=None, index_name=None)


def _first_long_row(path: Path) -> tuple[int, int, int]:
    """(line, fields, header fields) of the first row with more fields than the header."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, skipinitialspace=True)
        n_header = len(next(reader))
        for row in reader:
            if len(row) > n_header:
                return reader.line_num, len(row), n_header
    return 0, 0, n_header  # the parser failed for another reason
