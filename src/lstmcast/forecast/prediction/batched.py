"""The networks run once for the windows of many series: member outputs made in chunks and kept on
each series' model, so the per-series stages that follow read them instead of running the networks
one series at a time.

A global model's 100,000 series would otherwise be 100,000 small passes of every member. Here
the windows of series that share their networks are stacked, about :data:`WINDOWS_PER_PASS` at a
time (memory stays bounded), each member reads them in one pass, and each series' block is mapped
back to its own units exactly as :func:`~lstmcast.forecast.preparing.windowing.member_forecasts`
does. Monte-Carlo dropout passes are left to the series (their masks are drawn per pass).
"""

from __future__ import annotations

import numpy as np

from ..preparing.windowing import forecast_windows, outputs_to_levels
from ..training.fitting import predict_network
from .outputs import known_inputs, outputs_key, validation_origins

__all__ = ["WINDOWS_PER_PASS", "pass_chunks", "prefetch_outputs", "prefetch_validation"]

WINDOWS_PER_PASS = 16384
"""At most about this many windows (or one series' windows, if more) are stacked for one pass."""


def prefetch_outputs(models: dict, values: dict[str, np.ndarray], origins: dict[str, np.ndarray],
                     source: str = "data", per_pass: int | None = None) -> None:
    """Make every series' member outputs for its ``origins`` of its ``values`` (N, F) and keep them on its
    model (``models``: series id -> SeriesModel), so that
    :func:`~lstmcast.forecast.prediction.outputs.member_outputs` finds them (``per_pass``: windows a
    pass, default :data:`WINDOWS_PER_PASS`)."""
    groups: dict[int, list[str]] = {}
    for name in origins:
        if len(origins[name]):
            groups.setdefault(id(models[name].members_), []).append(name)
    for names in groups.values():
        for chunk in pass_chunks(names, [len(origins[name]) for name in names], per_pass):
            _run_chunk(models, values, origins, chunk, source)


def pass_chunks(names: list[str], counts: list[int], per_pass: int | None = None) -> list[list[str]]:
    """``names`` cut, in order, into runs of at most :data:`WINDOWS_PER_PASS` windows (``counts``: each
    one's windows; a name with more is a run of its own): the series one pass of the networks reads,
    and the series one task of a cluster forecasts, so that both give the same numbers."""
    per_pass = WINDOWS_PER_PASS if per_pass is None else per_pass
    chunks, chunk, count = [], [], 0
    for k, name in enumerate(names):
        chunk.append(name)
        count += counts[k]
        if k + 1 == len(names) or count + counts[k + 1] > per_pass:
            chunks.append(chunk)
            chunk, count = [], 0
    return chunks


def prefetch_validation(models: dict, per_pass: int | None = None) -> list:
    """:func:`prefetch_outputs` for the validation windows of every fitted series' model (those that
    calibrate its intervals and decide its weight against naive); returns the models, in order."""
    fitted = {name: model for name, model in models.items() if model.table_ is not None}
    prefetch_outputs(fitted, {name: model.table_.values for name, model in fitted.items()},
                     {name: validation_origins(model) for name, model in fitted.items()}, per_pass=per_pass)
    return list(models.values())


def _run_chunk(models: dict, values: dict, origins: dict, names: list[str], source: str) -> None:
    first = models[names[0]]
    known = {name: known_inputs(models[name], values[name]) for name in names}
    windows = {name: forecast_windows(values[name], origins[name], models[name].scaler_, first.window_norm_,
                                      first.target_transform, first.look_back, first.patch_, first.dtype, source,
                                      str(first.target_), known[name], first.season_)
               for name in names}
    x = np.concatenate([windows[name].x for name in names])  # (n, look_back / patch, patch * F)
    steps = None if known[names[0]] is None else np.concatenate([windows[name].known for name in names])  # (n, H, K)
    bounds = np.cumsum([0] + [len(origins[name]) for name in names])
    outputs = [predict_network(member.network, x, known=steps) for member in first.members_]  # each (n, horizon[, Q])
    for k, name in enumerate(names):
        model, part = models[name], slice(bounds[k], bounds[k + 1])
        last = values[name][origins[name] - 1, 0]  # (n_s,)
        levels = np.stack([outputs_to_levels(y[part], windows[name], model.scaler_, model.window_norm_,
                                             model.target_transform, last) for y in outputs])  # (members, n_s, H[, Q])
        model._cache[outputs_key(values[name], origins[name], known[name])] = levels
