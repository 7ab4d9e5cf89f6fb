"""What the commands print and write: rich tables, atomic CSV files.

Every string the console shows is text, never markup or emoji codes (a column named
``[red]x`` or ``:fire:`` is shown as it is), with its control characters escaped
(:func:`~.shown.printable`): data cannot restyle, move or rewrite the terminal. Styles
are given as :class:`rich.text.Text` or ``style=`` instead of markup.
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..files import STDOUT, atomic_write
from .shown import printable


class SafeConsole(Console):
    """A rich Console that reads no markup or emoji in strings and escapes their control characters."""

    def __init__(self, **kwargs):
        super().__init__(markup=False, emoji=False, **kwargs)

    def render_str(self, text: str, **kwargs) -> Text:
        """The string as rich Text, its non-printable characters escaped; markup and emoji never read."""
        kwargs["markup"] = kwargs["emoji"] = False
        return super().render_str(printable(text), **kwargs)


console = SafeConsole()


def print_metrics(table: pd.DataFrame, title: str) -> None:
    """A metrics table (rows = models) with the best value of each column in bold."""
    lower_is_better = {"MAE", "RMSE", "MAPE", "sMAPE", "MASE", "MSE", "ACD", "width", "Winkler", "MSIS", "OWA"}
    out = Table(title=title, title_justify="left")
    out.add_column(table.index.name or "model")
    for column in table.columns:
        out.add_column(str(column), justify="right")
    best = {}
    for column in table.columns:
        values = table[column].astype(float)
        if values.notna().any() and column != "coverage":  # for coverage, ACD says which is best
            best[column] = values.idxmin() if column in lower_is_better else values.idxmax()
    for name, row in table.iterrows():
        cells = []
        for column in table.columns:
            value = float(row[column])
            text = "—" if math.isnan(value) else f"{value:.4g}"
            cells.append(Text(text, style="bold") if best.get(column) == name else text)
        out.add_row(str(name), *cells)
    console.print(out)


def print_frame(frame: pd.DataFrame, title: str, digits: int = 4) -> None:
    """Any small DataFrame as a rich table, index first."""
    out = Table(title=title, title_justify="left")
    out.add_column(str(frame.index.name or ""))
    for column in frame.columns:
        out.add_column(str(column), justify="right")
    for index, row in frame.iterrows():
        label = index.strftime("%Y-%m-%d %H:%M").removesuffix(" 00:00") if isinstance(index, pd.Timestamp) else str(index)
        out.add_row(label, *(f"{v:.{digits}g}" if isinstance(v, float) else str(v) for v in row))
    console.print(out)


def write_csv(frame: pd.DataFrame, path) -> Path:
    """Write ``frame`` to ``path`` through a temporary file, so a failure leaves nothing half-written."""
    return atomic_write(path, frame.to_csv)


def is_standard_output(path) -> bool:
    """Whether writing ``path`` writes this process's standard output (``-``, ``/dev/stdout``)."""
    if str(path) == STDOUT:
        return True
    try:
        return os.path.samestat(os.stat(path), os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError, AttributeError):  # no such file, or stdout has no descriptor (captured)
        return False
