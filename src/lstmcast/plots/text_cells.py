"""A passage of text, each character on a background coloured by one LSTM cell's activation.

The classic look at what a single cell has learned (Karpathy, Johnson & Fei-Fei 2015,
"Visualizing and Understanding Recurrent Networks"): a cell that tracks quotes, line
length or indentation lights up over exactly those stretches of text. Character k
is coloured by the value after the model has read it.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import PatchCollection
from matplotlib.colors import Normalize
from matplotlib.patches import Rectangle

from .saving import plt, save_figure

CMAP = "coolwarm"
QUANTITIES = ("i", "f", "g", "o", "c", "h")
SIGMOID = ("i", "f", "o")
CELL_W, CELL_H = 0.085, 0.22  # inches per character
SHOWN = {"\n": "↵", "\t": "→"}


def plot_cell_text(inspection_or_arrays, text: str, cell: int, path, quantity: str = "c",
                   layer: int = -1, width: int = 80, title: str | None = None):
    """Write ``text`` with each character's background coloured by one cell's activation.

    Parameters
    ----------
    inspection_or_arrays : Inspection, dict of ndarray or ndarray
        An ``Inspection`` of the passage (from ``inspect_text``); or one layer's trace,
        a dict with ``quantity`` among its keys, each (T, H); or the (T, H) array itself.
    text : str
        The passage, one character per step (T characters).
    cell : int
        Which unit (column of the (T, H) arrays).
    path : str or Path
        Where to write the figure.
    quantity : {"c", "h", "i", "f", "g", "o"}
        What to show; the cell state is shown as tanh(c), in -1..1 like h and g;
        the sigmoid gates use 0..1. Ignored when a bare array is given (its own
        symmetric range is used).
    layer : int
        Which layer of an ``Inspection`` (forward direction); -1 is the top one.
    width : int
        Characters per line before wrapping; lines also break after each newline.
    title : str, optional

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        If ``cell`` is out of range, ``text`` does not have one character per step,
        or ``quantity`` or ``width`` is invalid.
    """
    if quantity not in QUANTITIES:
        raise ValueError(f"quantity must be one of {', '.join(QUANTITIES)}, got {quantity!r}")
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 1:
        raise ValueError(f"width must be a positive int, got {width!r}")
    values, low, high, label = _cell_values(inspection_or_arrays, cell, quantity, layer)
    if len(text) != len(values):
        raise ValueError(f"text must have one character per step ({len(values)}), got {len(text)} characters")

    positions = _layout(text, width)  # (T, 2) column, line
    lines = int(positions[:, 1].max()) + 1 if len(text) else 1
    columns = int(positions[:, 0].max()) + 1 if len(text) else 1
    fig_w, fig_h = max(columns * CELL_W + 1.0, 4.0), lines * CELL_H + 1.3
    fig = plt.figure(figsize=(fig_w, fig_h))
    ax = fig.add_axes((0.5 / fig_w, 0.75 / fig_h, columns * CELL_W / fig_w, lines * CELL_H / fig_h))
    norm = Normalize(low, high)
    cmap = plt.get_cmap(CMAP)
    boxes = PatchCollection([Rectangle((col, line), 1, 1) for col, line in positions], cmap=cmap, norm=norm,
                            edgecolor="none")
    boxes.set_array(values)
    ax.add_collection(boxes)
    for (col, line), char in zip(positions, text):
        ax.text(col + 0.5, line + 0.52, SHOWN.get(char, char), ha="center", va="center",
                fontsize=9, family="monospace", color="#8a8a8a" if char in SHOWN else "black")
    ax.set_xlim(0, columns)
    ax.set_ylim(lines, 0)
    ax.axis("off")
    bar_w = min(3.0, fig_w - 1.0)
    cax = fig.add_axes((0.5 / fig_w, 0.3 / fig_h, bar_w / fig_w, 0.12 / fig_h))
    bar = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), cax=cax, orientation="horizontal")
    bar.ax.tick_params(labelsize=7)
    fig.text(0.5 / fig_w + bar_w / fig_w + 0.02, 0.36 / fig_h, label, fontsize=8, va="center")
    fig.text(0.5 / fig_w, 1 - 0.3 / fig_h, title or f"cell {cell}: {label} after each character",
             fontsize=11, va="center")
    return save_figure(fig, path)


def _cell_values(source, cell: int, quantity: str, layer: int):
    """(values (T,), colour low, colour high, label) for one cell."""
    if hasattr(source, "gates") and hasattr(source, "key"):  # an Inspection
        key = source.key(layer, 0)
        arrays, where = source.gates[key][quantity], f"layer {key[0]}, "
    elif isinstance(source, dict):
        if quantity not in source:
            raise ValueError(f"inspection_or_arrays has no {quantity!r} array; keys: {', '.join(map(str, source))}")
        arrays, where = source[quantity], ""
    else:
        arrays, where, quantity = source, "", None
    arrays = np.asarray(arrays, dtype=np.float64)
    if arrays.ndim != 2:
        raise ValueError(f"the activations must have shape (T, H), got {arrays.shape}")
    H = arrays.shape[1]
    if isinstance(cell, bool) or not isinstance(cell, (int, np.integer)) or not 0 <= cell < H:
        raise ValueError(f"cell must be an int in [0, {H - 1}], got {cell!r}")
    values = arrays[:, cell]  # (T,)
    if quantity in SIGMOID:
        return values, 0.0, 1.0, f"{where}{quantity} (0..1)"
    if quantity == "c":
        return np.tanh(values), -1.0, 1.0, f"{where}tanh(c)"
    if quantity is not None:
        return values, -1.0, 1.0, f"{where}{quantity}"
    limit = float(np.max(np.abs(values))) or 1.0
    return values, -limit, limit, "activation"


def _layout(text: str, width: int) -> np.ndarray:
    """(column, line) of every character: wrap at ``width`` (a newline may overhang by one), break after newlines."""
    positions = np.zeros((len(text), 2), dtype=int)  # (T, 2)
    col = line = 0
    for k, char in enumerate(text):
        if col >= width and char != "\n":
            col, line = 0, line + 1
        positions[k] = (col, line)
        col += 1
        if char == "\n":
            col, line = 0, line + 1
    return positions
