"""Gate heatmaps of one inspected window: what every unit did at every step, and what mattered.

From top to bottom, on one time axis: the input series, the sigmoid gates i, f, o
(one shared 0..1 colour scale), the candidate g (-1..1), the cell state c (a scale
symmetric about 0, shared by nothing else since c is unbounded), the attention
weights when the model has attention, and ‖dL/dh_t‖, ‖dL/dc_t‖ (and ‖dL/dx_t‖ for the
input) per step, on a log scale.
"""

from __future__ import annotations

import numpy as np

from .saving import plt, save_figure

GATE_CMAP, SIGNED_CMAP = "viridis", "RdBu_r"
GATE_NAMES = {"i": "i  input", "f": "f  forget", "o": "o  output", "g": "g  candidate", "c": "c  cell"}
LINE, SECOND, ATTENTION, INPUT = "#1f77b4", "#d62728", "#9467bd", "#7f7f7f"
MAX_TICKS = 8
MAX_CHAR_TICKS = 120  # a text passage up to this long gets every character on the time axis


def plot_gates(inspection, path, layer: int = -1, direction: int = 0, title: str | None = None):
    """Write the gate figure of one layer and direction of ``inspection``.

    Parameters
    ----------
    inspection : lstmcast.inspection.Inspection
        From ``inspect_window`` or ``inspect_text``.
    path : str or Path
        Where to write the figure (PNG unless the suffix says otherwise).
    layer : int
        Which layer; negative counts from the top (-1, the default, is the top layer).
    direction : {0, 1}
        0 forward, 1 the reverse direction of a bidirectional model.
    title : str, optional
        Replaces the default title.

    Returns
    -------
    pathlib.Path
        ``path``, written atomically.

    Raises
    ------
    ValueError
        If ``layer`` or ``direction`` does not exist.
    """
    key = inspection.key(layer, direction)
    trace = inspection.gates[key]
    T = inspection.steps
    steps = np.arange(T)
    rows = (["series"] if inspection.series is not None else []) + ["i", "f", "o", "g", "c"]
    rows += (["attention"] if inspection.attention is not None else []) + ["gradient"]
    heights = {"series": 1.3, "attention": 0.9, "gradient": 1.3}
    height = 1.05 * sum(heights.get(r, 1.0) for r in rows) + 1.3  # inches
    fig = plt.figure(figsize=(11, height))
    grid = fig.add_gridspec(len(rows), 2, width_ratios=[60, 1], height_ratios=[heights.get(r, 1.0) for r in rows],
                            hspace=0.12, wspace=0.02, top=1 - 0.85 / height, bottom=0.55 / height)
    axes = {}
    for n, row in enumerate(rows):
        axes[row] = fig.add_subplot(grid[n, 0], sharex=axes[rows[0]] if n else None)

    if inspection.series is not None:
        ax = axes["series"]
        ax.plot(steps, inspection.series, color=LINE, lw=1.6, marker="o", ms=2.5)
        ax.set_ylabel(_wrap(inspection.series_name), fontsize=9)
        ax.grid(alpha=0.3)

    H = trace["c"].shape[1]
    extent = (-0.5, T - 0.5, -0.5, H - 0.5)
    c_limit = float(np.max(np.abs(trace["c"]))) or 1.0
    scales = {"i": (GATE_CMAP, 0.0, 1.0), "f": (GATE_CMAP, 0.0, 1.0), "o": (GATE_CMAP, 0.0, 1.0),
              "g": (SIGNED_CMAP, -1.0, 1.0), "c": (SIGNED_CMAP, -c_limit, c_limit)}
    images = {}
    for name, (cmap, low, high) in scales.items():
        ax = axes[name]
        images[name] = ax.imshow(trace[name].T, aspect="auto", interpolation="nearest", origin="lower",  # (H, T)
                                 cmap=cmap, vmin=low, vmax=high, extent=extent)
        ax.set_ylabel(GATE_NAMES[name], fontsize=9)
        ax.yaxis.set_major_locator(plt.MaxNLocator(3, integer=True))
    first = rows.index("i")
    sigmoid_bar = fig.colorbar(images["i"], cax=fig.add_subplot(grid[first : first + 3, 1]))
    sigmoid_bar.set_label("i, f, o (shared)", fontsize=8)
    fig.colorbar(images["g"], cax=fig.add_subplot(grid[first + 3, 1])).set_label("g", fontsize=8)
    fig.colorbar(images["c"], cax=fig.add_subplot(grid[first + 4, 1])).set_label("c", fontsize=8)

    if inspection.attention is not None:
        ax = axes["attention"]
        ax.bar(steps, inspection.attention, width=0.8, color=ATTENTION)
        ax.set_ylabel("attention", fontsize=9)
        ax.set_ylim(0, max(float(inspection.attention.max()) * 1.15, 1e-12))
        ax.grid(alpha=0.3, axis="y")

    ax = axes["gradient"]
    for values, label, color in ((inspection.grad_h_norm(*key), "‖dL/dh$_t$‖", LINE),
                                 (inspection.grad_c_norm(*key), "‖dL/dc$_t$‖", SECOND)):
        ax.plot(steps, np.where(values > 0, values, np.nan), color=color, lw=1.5, marker="o", ms=2.5, label=label)
    if inspection.grad_x is not None:
        values = inspection.grad_x_norm()
        ax.plot(steps, np.where(values > 0, values, np.nan), color=INPUT, lw=1.2, ls="--",
                label="‖dL/dx$_t$‖ (input)")
    ax.set_yscale("log")
    low, high = ax.get_ylim()
    ax.set_ylim(low, high * (high / low) ** 0.35)  # headroom for the legend
    ax.set_ylabel("gradient\nnorm", fontsize=9)
    ax.grid(alpha=0.3, which="both", axis="y" if inspection.kind == "text" else "both")
    ax.legend(loc="upper right", fontsize=8, framealpha=0.8, ncol=3)

    for row in rows[:-1]:
        axes[row].tick_params(labelbottom=False)
    every_char = inspection.kind == "text" and T <= MAX_CHAR_TICKS
    ticks = steps if every_char else np.unique(np.linspace(0, T - 1, min(T, MAX_TICKS)).round().astype(int))
    ax.set_xticks(ticks)
    ax.set_xticklabels([_tick_label(inspection.labels[t]) for t in ticks], fontsize=7 if every_char else 8,
                       family="monospace" if inspection.kind == "text" else None)
    ax.set_xlim(-0.5, T - 0.5)
    ax.set_xlabel("character read at each step" if inspection.kind == "text" else "date")

    summary = inspection.summary(*key)
    where = f"layer {key[0]}" + (", reverse direction" if key[1] else "")
    detail = (f"forget-gate half-life median {summary['f']['median_half_life']:.3g} steps; "
              f"saturated: i {summary['i']['saturated']:.0%}, f {summary['f']['saturated']:.0%}, "
              f"o {summary['o']['saturated']:.0%}; heatmap rows are the {H} units")
    span = f"{T} characters" if inspection.kind == "text" else \
        f"{T} steps ({inspection.labels[0]} to {inspection.labels[-1]})"
    fig.suptitle(title or f"LSTM gates, {where}, over {span}",
                 fontsize=12, y=1 - 0.2 / height)
    axes[rows[0]].set_title(f"{detail}\ngradients of the {inspection.objective}", fontsize=8.5, loc="left")
    return save_figure(fig, path)


def _tick_label(label: str) -> str:
    return {"\n": "↵", " ": "␣", "\t": "→"}.get(label, label)


def _wrap(text: str, width: int = 14) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"
