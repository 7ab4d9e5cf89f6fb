"""Inspection: what one LSTM did over one sequence, step by step, and what mattered."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .summary import gate_summary

Key = tuple[int, int]  # (layer, direction)
QUANTITIES = ("i", "f", "g", "o", "c", "h")
DIRECTIONS = ("forward", "reverse")


@dataclass(eq=False)
class Inspection:
    """Gate traces, attention and per-step gradient norms of one window or passage.

    Attributes
    ----------
    kind : {"forecast", "text"}
        What was inspected.
    window : int
        The window's non-negative index (0 for a text passage).
    labels : list of str
        One label per step, in time order: the dates of a forecast window, the
        characters of a passage.
    gates : dict[(layer, direction), dict[str, ndarray (T, H)]]
        i, f, g, o, c, h over time for every layer and direction (0 forward, 1 reverse).
    grad_h, grad_c : dict[(layer, direction), ndarray (T, H)]
        Gradient of ``objective`` with respect to h_t and c_t at every step.
    objective : str
        In words, the scalar the gradients are of.
    output : ndarray
        What the network produced: the forecast in the data's units (horizon,), or the
        next-character probabilities (V,).
    output_labels : list of str
        A label per output value: forecast dates, or the vocabulary's characters.
    attention : ndarray (T,) or None
        The attention weights over the steps, when the model has attention.
    series : ndarray (T,) or None
        The input drawn above the heatmaps: the target over the window, in its units.
    series_name : str
        What ``series`` is.
    grad_x : ndarray (T, F) or None
        Gradient of ``objective`` with respect to the network's input at every step
        (the scaled window, or the character embeddings).
    """

    kind: str
    window: int
    labels: list[str]
    gates: dict[Key, dict[str, np.ndarray]]
    grad_h: dict[Key, np.ndarray]
    grad_c: dict[Key, np.ndarray]
    objective: str
    output: np.ndarray
    output_labels: list[str]
    attention: np.ndarray | None = None
    series: np.ndarray | None = None
    series_name: str = ""
    grad_x: np.ndarray | None = None

    @property
    def keys(self) -> list[Key]:
        """Every (layer, direction), bottom layer first."""
        return sorted(self.gates)

    @property
    def num_layers(self) -> int:
        return 1 + max(layer for layer, _ in self.gates)

    @property
    def num_directions(self) -> int:
        return 1 + max(direction for _, direction in self.gates)

    @property
    def steps(self) -> int:
        """T, the number of time steps."""
        return len(self.labels)

    def key(self, layer: int = -1, direction: int = 0) -> Key:
        """Normalise ``layer`` (negative counts from the top) and check both.

        Raises
        ------
        ValueError
            If ``layer`` or ``direction`` does not exist in this model.
        """
        L, D = self.num_layers, self.num_directions
        if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) or not -L <= layer < L:
            raise ValueError(f"layer must be an int in [{-L}, {L - 1}], got {layer!r}")
        if direction not in range(D):
            valid = "0 (forward)" if D == 1 else "0 (forward) or 1 (reverse)"
            raise ValueError(f"direction must be {valid}, got {direction!r}")
        return (int(layer) % L, int(direction))

    def grad_h_norm(self, layer: int = -1, direction: int = 0) -> np.ndarray:
        """‖dL/dh_t‖ over the units, shape (T,)."""
        return np.linalg.norm(self.grad_h[self.key(layer, direction)], axis=1)  # (T,)

    def grad_c_norm(self, layer: int = -1, direction: int = 0) -> np.ndarray:
        """‖dL/dc_t‖ over the units, shape (T,)."""
        return np.linalg.norm(self.grad_c[self.key(layer, direction)], axis=1)  # (T,)

    def grad_x_norm(self) -> np.ndarray | None:
        """‖dL/dx_t‖ over the input features, shape (T,), or None when not recorded."""
        return None if self.grad_x is None else np.linalg.norm(self.grad_x, axis=1)  # (T,)

    def summary(self, layer: int = -1, direction: int = 0) -> dict:
        """Per-gate mean and saturated share, forget-gate half-lives (see ``gate_summary``)."""
        return gate_summary(self.gates[self.key(layer, direction)])

    def to_dict(self) -> dict:
        """Every number, as JSON-ready lists and floats (non-finite values become None)."""
        layers = []
        for layer, direction in self.keys:
            entry = {"layer": layer, "direction": DIRECTIONS[direction]}
            entry.update({name: self.gates[(layer, direction)][name] for name in QUANTITIES})
            entry["grad_h"] = self.grad_h[(layer, direction)]
            entry["grad_c"] = self.grad_c[(layer, direction)]
            entry["grad_h_norm"] = self.grad_h_norm(layer, direction)
            entry["grad_c_norm"] = self.grad_c_norm(layer, direction)
            entry["summary"] = self.summary(layer, direction)
            layers.append(entry)
        return _jsonable({
            "kind": self.kind,
            "window": self.window,
            "objective": self.objective,
            "labels": list(self.labels),
            "series_name": self.series_name,
            "series": self.series,
            "output": self.output,
            "output_labels": list(self.output_labels),
            "attention": self.attention,
            "grad_x": self.grad_x,
            "grad_x_norm": self.grad_x_norm(),
            "layers": layers,
        })


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, (np.floating, float)):
        value = float(value)
        return value if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value
