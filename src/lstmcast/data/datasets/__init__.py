"""Real datasets shipped with the package (origins and licences in README.md here).

>>> from lstmcast.data import load_dataset
>>> df = load_dataset("airline")        # DataFrame, DatetimeIndex with freq "MS"
>>> df.columns.tolist()
['Passengers']

Tables are read through ``read_series``, so their dates, order and frequency are the
same as reading the CSV files yourself.  ``DATASETS[name]`` tells each table's file,
target column, description and frequency.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pandas as pd

from lstmcast.data.errors import quiet_data_warnings
from lstmcast.data.tables import read_series

HERE = Path(__file__).parent


class DatasetInfo(NamedTuple):
    """What one bundled table is."""

    file: str  # file name in this folder
    target: str  # the column to forecast by default
    description: str  # one line for people
    freq: str  # pandas offset alias of its dates


class TextInfo(NamedTuple):
    """What one bundled text is."""

    file: str  # file name in this folder
    description: str  # one line for people


DATASETS: dict[str, DatasetInfo] = {
    "airline": DatasetInfo(
        "airline.csv", "Passengers", "monthly international airline passengers (thousands), 1949-1960", "MS"
    ),
    "sunspots": DatasetInfo(
        "sunspots.csv", "Sunspots", "monthly mean Zurich sunspot numbers, 1749-1983", "MS"
    ),
    "temperatures": DatasetInfo(
        "temperatures.csv", "Temp", "daily minimum temperature in Melbourne (degrees C), 1981-1990", "D"
    ),
    "apple": DatasetInfo(
        "apple.csv", "Close", "Apple (AAPL) daily prices and volume on trading days, 2018-02 to 2023-02", "B"
    ),
}

TEXTS: dict[str, TextInfo] = {
    "shakespeare": TextInfo("shakespeare.txt", "tiny shakespeare: 1.1 million characters of plays (char-rnn)"),
}


def list_datasets() -> list[str]:
    """Names ``load_dataset`` accepts; ``DATASETS[name]`` has each one's target and frequency."""
    return list(DATASETS)


def dataset_path(name: str) -> Path:
    """Path of a bundled file, for a table name (``"airline"``) or a text name (``"shakespeare"``).

    Raises
    ------
    ValueError
        If ``name`` is not a bundled dataset.
    """
    if name in DATASETS:
        return HERE / DATASETS[name].file
    if name in TEXTS:
        return HERE / TEXTS[name].file
    raise ValueError(f"name must be one of {', '.join(map(repr, [*DATASETS, *TEXTS]))}, got {name!r}")


def load_dataset(name: str) -> pd.DataFrame:
    """Load a bundled table as a DataFrame.

    Parameters
    ----------
    name : {"airline", "sunspots", "temperatures", "apple"}

    Returns
    -------
    pandas.DataFrame
        Every numeric column of the file as float64, in file order, indexed by the
        sorted dates (a ``DatetimeIndex`` named after the date column).  The index
        carries ``.freq`` when no timestamp is missing (airline and sunspots ``"MS"``);
        ``df.attrs["freq"]`` always holds the frequency (temperatures ``"D"``, apple
        ``"B"``) and ``df.attrs["target"]`` the default target column.

    Raises
    ------
    ValueError
        If ``name`` is not one of the bundled tables.
    """
    if name not in DATASETS:
        raise ValueError(f"name must be one of {', '.join(map(repr, DATASETS))}, got {name!r}")
    info = DATASETS[name]
    path = HERE / info.file
    header = pd.read_csv(path, nrows=0).columns.tolist()
    date_column = header[0]
    others = [c for c in header[1:] if c != info.target]
    with quiet_data_warnings():  # the gaps of a bundled table are documented in its description
        table = read_series(path, info.target, features=others, date_column=date_column)
    frame = table.frame[header[1:]].copy()  # file order, target included
    frame.attrs["freq"] = table.freq
    frame.attrs["target"] = info.target
    return frame


def load_text(name: str = "shakespeare") -> str:
    """Return a bundled text as one string.

    Parameters
    ----------
    name : {"shakespeare"}

    Raises
    ------
    ValueError
        If ``name`` is not a bundled text.
    """
    if name not in TEXTS:
        raise ValueError(f"name must be one of {', '.join(map(repr, TEXTS))}, got {name!r}")
    return (HERE / TEXTS[name].file).read_text(encoding="utf-8")
