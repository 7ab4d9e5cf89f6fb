"""Fit a global model: one set of networks trained on windows drawn from every series of a panel.

Every series is split on its own: its last ``max(horizon, val_fraction * rows)`` rows
validate (so every series has at least one validation window), the rows before them
train, and its scaler sees its training rows only (:mod:`lstmcast.forecast.preparing.scaling`).  Training
windows lie wholly inside a series' training rows (a window never joins two series);
validation windows forecast its validation rows, their inputs reaching back
``look_back`` rows.  The windows of all series are stacked and shuffled together.

The validation windows also give what intervals are built from: each window's
absolute error in network units (window-normalised and scaled), a scale-free score
that pools across series; see :mod:`lstmcast.forecast.training.validation_outputs`.

The functions take the estimator as their first argument (its settings) and return
the learned attributes by name; the estimator sets them on itself.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, replace

import numpy as np

from ...data.errors import DataError
from ...data.transforms import leading_rows
from ...data.panel import Panel
from ...data.split import Split, rows_for, split_rows
from ...data.window_index import WindowIndex, window_indexes
from .fitting import member_seed, train_member, training_plan
from .validation_outputs import mean_outputs, series_levels, window_difficulty
from ..preparing.scaling import PanelScaling, fit_panel_scaling
from .choices import DataChoices
from .norm_choice import candidate_norms
from ..preparing.seasonal_profile import has_profile
from ..preparing.windowing import LazyWindows, check_rows_fit_dtype

__all__ = ["PanelState", "fit_global", "panel_splits"]


@dataclass
class PanelState:
    """What one fit on a panel learned (a global model's, or one series' under ``mode="local"``).

    Attributes
    ----------
    members : list of Member
        The ensemble's networks, with their histories.
    scaling : PanelScaling
        Each series' encoding and scaler.
    window_norm : str
        The window normalisation used (resolved from ``"auto"``).
    interval_scores : numpy.ndarray, shape (n_val, horizon)
        Absolute errors of the validation windows in network units (intervals are built from them).
    interval_weights : numpy.ndarray, shape (n_val,)
        Each validation window's weight, 1 / (its series' validation windows): every series counts once.
    splits : dict of str to Split
        Each series' training and validation rows.
    validation_error : float
        Mean over series of the validation MAE over the mean absolute training change (NaN without validation).
    norm_scores : dict of str to float
        ``window_norm="auto"``: each candidate's validation error.
    """

    members: list
    scaling: PanelScaling
    window_norm: str
    interval_scores: np.ndarray
    interval_weights: np.ndarray
    splits: dict
    validation_error: float = float("nan")
    norm_scores: dict = field(default_factory=dict)


def panel_splits(panel: Panel, val_fraction: float, horizon: int) -> dict[str, Split]:
    """Train / validation rows of every series: the last ``max(horizon, val_fraction * rows)`` validate
    (none with ``val_fraction=0``).

    Raises
    ------
    DataError
        A series whose validation rows leave none to train on, named.
    """
    splits = {}
    for name, n_rows in panel.lengths.items():
        n_rows = int(n_rows)
        n_val = 0 if val_fraction == 0 else max(horizon, rows_for(n_rows, val_fraction, "val_fraction"))
        if n_rows - n_val < 1:
            raise DataError(f"{panel.source}: series {name!r} has {n_rows} rows: its {n_val} validation rows "
                            "leave none for training; lower val_fraction or horizon")
        splits[name] = split_rows(n_rows, n_rows - n_val, n_rows)
    return splits


def _fit_one_norm(fc, panel: Panel, values: dict[str, np.ndarray], splits: dict[str, Split],
                  kind: str, choices: DataChoices, resume: PanelState | None = None, max_steps: int | None = None
                  ) -> PanelState:
    """Members, scaling and validation scores of a global fit with window normalisation ``kind``, reading
    windows as ``choices`` say (patch, season; ``resume``: continue its members' training, with its scaling)."""
    patch = choices.patch
    scaling = resume.scaling if resume is not None else fit_panel_scaling(values, splits, fc.scaler, kind,
                                                                          fc.target_transform, panel.source,
                                                                          fc._unscaled_columns)
    known = fc._known
    parts = window_indexes(panel, fc.look_back, fc.horizon, splits, scaling, ("train", "val"), first_row=scaling.skip,
                           known=() if known is None else known.columns)
    train, val = parts["train"], validation_sample(parts["val"], fc.seed)
    if len(train) == 0:
        raise DataError(f"{panel.source}: no series has look_back + horizon = {fc.look_back + fc.horizon} "
                        "training rows before its validation rows; lower val_fraction, look_back or horizon")
    check_rows_fit_dtype(train.rows, kind, fc.dtype, panel.source)
    known_norm = () if known is None else known.normalised
    training = LazyWindows(train, kind, patch, fc.dtype, known_norm, choices.season)  # (look_back / patch, patch * F) each
    validation = (LazyWindows(val, kind, patch, fc.dtype, known_norm, choices.season).windows(np.arange(len(val)))
                  if len(val) else None)
    val_pair = None if validation is None else (validation.x, validation.y, validation.known)  # early stopping's
    spec = fc._network_spec(patch * len(panel.columns))
    if max_steps is not None:  # a short fit that ranks window normalisations
        spec = dataclasses.replace(spec, max_steps=max_steps, epochs=None)
    base = getattr(fc, "_progress_label", None) or ("fit" if len(values) == 1 else f"fit {len(values)} series")
    members = []
    for k in range(fc.ensemble):
        label = base if fc.ensemble == 1 else f"{base}, member {k + 1}/{fc.ensemble}"
        members.append(train_member(spec, training, val_pair, member_seed(fc.seed, k),
                                    None if resume is None else resume.members[k], label))
    state = PanelState(members, scaling, kind, np.zeros((0, fc.horizon)), np.zeros(0), splits)
    if validation is not None:
        outputs = mean_outputs(members, validation)  # (n_val, H[, Q]) network units
        point = outputs if outputs.ndim == 2 else outputs[:, :, fc._median]  # (n_val, H)
        errors = np.abs(validation.y.astype(np.float64) - point)  # (n_val, H)
        state.interval_scores = errors / window_difficulty(fc, validation)[:, None]  # (n_val, H)
        state.interval_weights = 1.0 / np.bincount(val.series)[val.series]  # (n_val,) each series weighs 1
        origins = {panel.ids[k]: val.origins[val.series == k] for k in np.unique(val.series)}  # stacking order
        forecasts = series_levels(fc, scaling, validation, outputs, origins, values)
        state.validation_error = _scaled_error(fc, values, forecasts)
    return state


VALIDATION_SAMPLE = 8192
"""At most this many validation windows are scored for early stopping, the window-normalisation choice
and the pooled interval scores: all of them up to that, else a fixed sample."""


def validation_sample(index: WindowIndex, seed) -> WindowIndex:
    """``index`` itself when it holds at most :data:`VALIDATION_SAMPLE` windows, else a fixed sample of
    that many (drawn from ``seed``, in their order), so that a check costs the same on any data size."""
    if len(index) <= VALIDATION_SAMPLE:
        return index
    rng = np.random.default_rng([*np.atleast_1d(seed).tolist(), 7001])
    keep = np.sort(rng.choice(len(index), VALIDATION_SAMPLE, replace=False))  # (VALIDATION_SAMPLE,)
    return replace(index, starts=index.starts[keep], series=index.series[keep], origins=index.origins[keep])


def _scaled_error(fc, values: dict[str, np.ndarray], forecasts: dict[str, tuple]) -> float:
    """Mean over series of the validation MAE divided by the series' mean absolute training change
    (a scale-free error that compares window normalisations across series)."""
    errors = []
    for name, (series_origins, forecast) in forecasts.items():
        target = values[name][:, 0]
        actual = target[series_origins[:, None] + np.arange(fc.horizon)]  # (n, H)
        point = forecast if forecast.ndim == 2 else forecast[:, :, fc._median]  # (n, H)
        train = target[: series_origins[0]]
        scale = np.mean(np.abs(np.diff(train))) if len(train) > 1 else 0.0
        errors.append(np.mean(np.abs(actual - point)) / (scale if scale > 0 else 1.0))
    return float(np.mean(errors))


def fit_global(fc, panel: Panel, choices: DataChoices, resume: PanelState | None = None) -> PanelState:
    """Fit ``fc``'s members on every series of ``panel``.

    Several window normalisations (:func:`~lstmcast.forecast.training.norm_choice.candidate_norms`:
    ``"auto"``, or ``None`` on data trained by a step budget) are each fitted and the one with the
    lowest scale-free validation error kept (by a step budget: ranked by fits of
    1/:data:`SHORT_FIT_SHARE` of it, then the best fitted in full); ``norm_scores`` holds each one's. ``resume``:
    continue that state's members exactly where they stopped, with its window
    normalisation and scalers. ``choices``: the season and patch made from the data
    (:mod:`lstmcast.forecast.training.choices`).
    """
    splits = panel_splits(panel, fc.val_fraction, fc.horizon)
    values = {name: panel.values(name) for name in panel.ids}  # (N, F) each
    if resume is not None:
        if len(resume.members) != fc.ensemble or not all(m.training_state for m in resume.members):
            raise ValueError(f"resume: the model has {len(resume.members)} member(s) and ensemble={fc.ensemble}, "
                             "or was saved without its training state; fit it again")
        state = _fit_one_norm(fc, panel, values, splits, resume.window_norm, choices, resume)
        state.norm_scores = resume.norm_scores
        return state
    positive = all(bool(np.all(v[:, 0] > 0)) for v in values.values())
    spec = fc._network_spec(choices.patch * len(panel.columns))
    plan = training_plan(spec, training_window_count(panel, splits, fc.look_back, fc.horizon, fc.target_transform))
    candidates = candidate_norms(fc.window_norm, fc.target_transform, positive, plan.by_steps,
                                 has_profile(fc.look_back, choices.season))
    if len(candidates) == 1:
        return _fit_one_norm(fc, panel, values, splits, candidates[0], choices)
    scores, best = {}, None
    if plan.by_steps:  # rank by short fits, then one fit of the budget with the best
        short = max(1, plan.rounds * plan.steps_per_round // SHORT_FIT_SHARE)
        for kind in candidates:
            scores[kind] = _fit_one_norm(fc, panel, values, splits, kind, choices, max_steps=short).validation_error
        best = _fit_one_norm(fc, panel, values, splits, min(scores, key=scores.get), choices)
    else:
        for kind in candidates:
            state = _fit_one_norm(fc, panel, values, splits, kind, choices)
            scores[kind] = state.validation_error
            if best is None or scores[kind] < best.validation_error:
                best = state
    best.norm_scores = scores
    return best


SHORT_FIT_SHARE = 8
"""Training by a step budget, window normalisations are ranked by fits of 1/8 of the budget each."""


def training_window_count(panel: Panel, splits: dict[str, Split], look_back: int, horizon: int,
                          target_transform: str) -> int:
    """How many training windows ``panel`` gives (what decides between epochs and a step budget)."""
    skip = leading_rows(target_transform)
    return int(sum(max(0, splits[name].train.stop - skip - look_back - horizon + 1) for name in panel.ids))
