"""Fit a Forecaster's members with one window normalisation, or with each candidate of
``window_norm="auto"`` and keep the one with the lowest validation MAE.

The functions take the estimator as their first argument (its settings, and its
members when resuming) and return the learned attributes by name; the estimator
sets them on itself.
"""

from __future__ import annotations

import numpy as np

from ..data.scalers import make_scaler
from ..data.split import Split
from ..data.tables import SeriesTable
from ..data.transforms import leading_rows
from .fitting import member_seed, train_member
from .outputs import validation_residuals
from .resume_data import check_same_data
from .windowing import effective_norm, encode_values, training_windows

__all__ = ["AUTO_CANDIDATES", "candidate_norms", "fit_members", "fit_best"]

AUTO_CANDIDATES = ("mean_std", "log_mean_std", "last")
"""What ``window_norm="auto"`` compares on the validation windows, in this order (ties keep the first)."""


def candidate_norms(fc, table: SeriesTable, resume: bool) -> list[str]:
    """The window normalisations to fit: the fitted one when resuming, the :data:`AUTO_CANDIDATES`
    that suit the target for ``"auto"`` (``log_mean_std`` needs positive levels), else the one asked."""
    if resume:
        return [fc.window_norm_]
    if fc.window_norm == "auto" and fc.target_transform == "none":
        positive = bool(np.all(table.target_values > 0))
        return [k for k in AUTO_CANDIDATES if k != "log_mean_std" or positive]
    return [effective_norm(fc.window_norm, fc.target_transform)]


def fit_members(fc, table: SeriesTable, split: Split, kind: str, resume: bool) -> dict:
    """Fit every member of ``fc`` with window normalisation ``kind``; the learned attributes, by name.

    Progress bars are labelled ``fc._progress_label`` when set (a backtest's ``"fit k of n"``),
    with ``", member k/n"`` for each member of an ensemble.
    """
    encoded = encode_values(table.values, kind, fc.target_transform, table.source, str(table.target))  # (N, F)
    scaler = fc.scaler_ if resume else make_scaler(fc.scaler)
    training, validation = training_windows(encoded, split, scaler, not resume, kind, fc.look_back, fc.horizon,
                                            fc.patch, fc.dtype, leading_rows(fc.target_transform), table.source)
    spec = fc._network_spec(training.x.shape[2])
    base = getattr(fc, "_progress_label", None) or "fit"
    members = []
    for k in range(fc.ensemble):
        label = base if fc.ensemble == 1 else f"{base}, member {k + 1}/{fc.ensemble}"
        members.append(train_member(spec, training.x, training.y, validation, member_seed(fc.seed, k),
                                    fc.members_[k] if resume else None, label))
    fitted = {"members_": members, "scaler_": scaler, "window_norm_": kind, "history_": members[0].history,
              "training_state_": members[0].training_state, "resume_arrays_": members[0].resume_arrays}
    fitted["residuals_"] = validation_residuals(fc, table, split, fitted)
    return fitted


def fit_best(fc, table: SeriesTable, split: Split, resume: bool) -> tuple[dict, dict[str, float]]:
    """Fit each candidate of :func:`candidate_norms`; the learned attributes of the one with the lowest
    validation MAE, and every candidate's MAE (empty when there was one candidate). A resumed fit must be
    given the data the model was fitted on (:func:`~.resume_data.check_same_data`)."""
    if resume:
        check_same_data(table, fc.table_)
    candidates = candidate_norms(fc, table, resume)
    if len(candidates) == 1:
        return fit_members(fc, table, split, candidates[0], resume), {}
    scores, best = {}, None
    for kind in candidates:
        fitted = fit_members(fc, table, split, kind, resume)
        scores[kind] = float(np.mean(fitted["residuals_"]))
        if kind == min(scores, key=scores.get):
            best = fitted
    return best, scores
