"""From a fitted Forecaster's members to its forecasts, and what its validation windows say of them.

Every forecast the estimator gives goes through :func:`outputs_at`::

    each member's outputs in original units (members, n, horizon[, Q])  (windowing.member_forecasts)
      --mean over the members (each quantile level alike: means of ordered levels stay ordered)-->
      (n, horizon[, Q]) --no_harm: naive + naive_weight_ (mean - naive), every level moved with
      the point--> --combine: weights on the LSTM and the classical models' forecasts (fitted on the
      validation windows; every level moved with the point)--> the forecast

The validation windows (those whose first step lies in the validation rows) give the
residuals the intervals start from and the naive weight. The functions take the
estimator as their first argument; its methods call them.
"""

from __future__ import annotations

import hashlib

import numpy as np

from ...data.transforms import leading_rows
from ..scores.no_harm import fit_naive_weight, shrink_towards
from dataclasses import replace

from ..preparing.windowing import KnownInputs, future_rows, member_forecasts
from ..combining.weights import LSTM, thinned

__all__ = ["member_outputs", "naive_weight", "outputs_at", "point_of", "shrunk", "validation_origins",
           "validation_residuals"]


def member_outputs(fc, values: np.ndarray, origins: np.ndarray, source: str = "data", fitted: dict | None = None,
                   dropout=None) -> np.ndarray:
    """Each member's forecasts (members, n, horizon), or (members, n, horizon, Q) for a quantile model,
    in original units from the rows before each origin.

    Only rows ``origin - look_back - 1 .. origin - 1`` of each window are read.
    ``fitted`` holds the learned attributes while a fit is deciding (default: ``fc``'s);
    ``dropout``: a seed (sequence of int) keeps dropout on, masks drawn from it (Monte-Carlo passes).
    """
    known = known_inputs(fc, values)
    if fitted is None and dropout is None:  # made for many series at once (prediction.batched)?
        kept = getattr(fc, "_cache", {}).get(outputs_key(values, origins, known))
        if kept is not None:
            return kept
    state = fitted or {name: getattr(fc, name) for name in ("members_", "scaler_", "window_norm_")}
    return member_forecasts(values, origins, [m.network for m in state["members_"]], state["scaler_"],
                            state["window_norm_"], fc.target_transform, fc.look_back, fc.patch_, fc.dtype, source,
                            str(getattr(fc, "target_", "target")), dropout, known, fc.season_)


def known_inputs(fc, values: np.ndarray) -> KnownInputs | None:
    """What ``fc``'s networks read of the values known in advance when forecasting from ``values`` (N, F):
    None without any; with ``fc.future_known_`` (a series model's next steps), the rows after ``values``."""
    known = getattr(fc, "_known", None)
    ahead = getattr(fc, "future_known_", None)
    if known is None or ahead is None:
        return known
    return replace(known, future=future_rows(values, known.columns, ahead))  # (m, F) after values


def outputs_key(values: np.ndarray, origins: np.ndarray, known: KnownInputs | None = None) -> tuple:
    """What identifies a request for member outputs: the rows read (and the known rows after them) and
    the origins."""
    rows = values if known is None or known.future is None else np.concatenate([values, known.future])
    digest = hashlib.blake2b(np.ascontiguousarray(rows).view(np.uint8), digest_size=16).hexdigest()
    return rows.shape, digest, np.asarray(origins, dtype=np.int64).tobytes()


def point_of(fc, outputs: np.ndarray) -> np.ndarray:
    """The point forecast (n, horizon) among outputs (n, horizon[, Q])."""
    return outputs if outputs.ndim == 2 else outputs[:, :, fc._median]


def shrunk(fc, outputs: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Outputs (n, horizon[, Q]) moved towards naive (``last`` (n,)) by ``fc.naive_weight_`` (no_harm)."""
    return shrink_towards(outputs, point_of(fc, outputs), last, getattr(fc, "naive_weight_", 1.0))


def outputs_at(fc, values: np.ndarray, origins: np.ndarray, source: str = "data", dropout=None,
               fitted: dict | None = None) -> np.ndarray:
    """The forecast (n, horizon), or every quantile (n, horizon, Q), in original units from the rows
    of ``values`` (N, F) before each origin: the members' mean, moved towards naive by the naive
    weight (not while a fit is deciding, ``fitted`` given)."""
    members = member_outputs(fc, values, origins, source, fitted, dropout)  # (members, n, horizon[, Q])
    mean = members[0] if len(members) == 1 else members.mean(axis=0)  # (n, horizon[, Q])
    return mean if fitted else combined(fc, shrunk(fc, mean, values[origins - 1, 0]), values, origins)


def combined(fc, outputs: np.ndarray, values: np.ndarray, origins: np.ndarray) -> np.ndarray:
    """Outputs (n, horizon[, Q]) combined with the classical models by ``fc.combination_`` (``combine``;
    unchanged when the LSTM has all the weight): the point is the weighted sum of the models' forecasts,
    and every quantile level moves with it. From an origin where a classical model cannot forecast
    (too few rows before it, early in the fitted rows), the others' weights are scaled up to one; where
    none with a weight can, the LSTM's forecast is kept."""
    if not getattr(fc, "combined_", False) or len(origins) == 0:
        return outputs
    point = point_of(fc, outputs)  # (n, horizon)
    weights = fc.combination_
    total = np.full(len(origins), weights.get(LSTM, 0.0))  # (n,) the weight of the models that forecast
    mixed = weights.get(LSTM, 0.0) * point  # (n, horizon)
    for name, forecast in fc.classical_forecasts(values[:, 0], origins).items():
        usable = np.all(np.isfinite(forecast), axis=1)  # (n,)
        mixed = mixed + weights[name] * np.where(usable[:, None], forecast, 0.0)
        total = total + weights[name] * usable
    mixed = np.where(total[:, None] > 0, mixed / np.where(total > 0, total, 1.0)[:, None], point)  # (n, horizon)
    return mixed if outputs.ndim == 2 else outputs + (mixed - point)[:, :, None]  # (n, horizon[, Q])


def validation_origins(fc, split=None) -> np.ndarray:
    """First-step rows of the validation windows (n_val,) of ``split`` (default: the fitted one); for a
    forecast combined with the classical models, the ones its weights were fitted on
    (:func:`~lstmcast.forecast.combining.weights.thinned`)."""
    val = (split or fc.split_).val
    first = max(val.start, fc.look_back + leading_rows(fc.target_transform))
    origins = np.arange(first, val.stop - fc.horizon + 1)  # (n_val,)
    return thinned(origins) if getattr(fc, "combined_", False) else origins


def validation_residuals(fc, table, split, fitted: dict | None = None) -> np.ndarray:
    """|actual - forecast| (n_val, horizon) on the validation windows of ``table``, original units."""
    origins = validation_origins(fc, split)  # (n_val,)
    if len(origins) == 0:
        return np.zeros((0, fc.horizon))
    actual = table.target_values[origins[:, None] + np.arange(fc.horizon)]  # (n_val, horizon)
    forecast = point_of(fc, outputs_at(fc, table.values, origins, table.source, fitted=fitted))  # (n_val, horizon)
    return np.abs(actual - forecast)


def naive_weight(fc) -> float:
    """The weight on the LSTM against naive from the fitted validation windows (see no_harm), with the
    forecasts as trained (``fc.naive_weight_`` must be 1 while it is fitted)."""
    origins = validation_origins(fc)
    if not len(origins):
        return 1.0
    actual = fc.table_.target_values[origins[:, None] + np.arange(fc.horizon)]  # (n_val, horizon)
    forecast = point_of(fc, outputs_at(fc, fc.table_.values, origins))  # (n_val, horizon)
    return fit_naive_weight(actual, forecast, fc.table_.target_values[origins - 1], fc.no_harm)
