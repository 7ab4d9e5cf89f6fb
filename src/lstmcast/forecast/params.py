"""The Forecaster's constructor arguments, checked when it is fitted (scikit-learn style)."""

from __future__ import annotations

from ..data.scalers import make_scaler
from ..data.transforms import check_target_transform
from ..data.windows import check_positive_int
from .training.fitting import LOSSES
from .scores.no_harm import check_no_harm
from .combining.weights import check_combine
from .intervals.uncertainty import check_uncertainty_settings
from .preparing.windowing import check_window_norm

MODES = ("global", "local")
"""A panel's fit: one network for every series, or one model per series."""


def validate_params(params: dict) -> None:
    """Raise ValueError naming the first bad argument in ``params`` (``Forecaster.get_params()``)."""
    p = params
    for name in ("look_back", "horizon", "hidden_size", "num_layers", "ensemble"):
        check_positive_int(p[name], name)
    for name in ("epochs", "patience", "season", "max_steps", "patch", "batch_size"):
        if p[name] is not None:
            check_positive_int(p[name], name)
    for name in ("dropout", "recurrent_dropout"):
        if not 0 <= p[name] < 1:
            raise ValueError(f"{name} must be in [0, 1), got {p[name]!r}")
    if p["epochs"] is not None and p["max_steps"] is not None:
        raise ValueError(f"epochs={p['epochs']!r} and max_steps={p['max_steps']!r}: give one of them (or neither: "
                         "decided by the number of windows)")
    if not 0 <= p["val_fraction"] < 1:
        raise ValueError(f"val_fraction must be in [0, 1), got {p['val_fraction']!r}")
    if not (isinstance(p["lr"], (int, float)) and p["lr"] > 0):
        raise ValueError(f"lr must be a positive number, got {p['lr']!r}")
    if p["clip_norm"] is not None and not p["clip_norm"] > 0:
        raise ValueError(f"clip_norm must be positive or None, got {p['clip_norm']!r}")
    if p["patch"] is not None and p["look_back"] % p["patch"]:
        raise ValueError(f"look_back ({p['look_back']}) must be a multiple of patch ({p['patch']})")
    if p["loss"] not in LOSSES:
        raise ValueError(f"loss must be 'mse', 'huber' or 'quantile', got {p['loss']!r}")
    check_target_transform(p["target_transform"])
    check_window_norm(p["window_norm"], p["target_transform"])
    if p["window_norm"] == "auto" and p["val_fraction"] == 0:  # (None on data without validation: mean_std)
        raise ValueError("window_norm='auto' chooses on the validation windows: use val_fraction > 0")
    make_scaler(p["scaler"])
    check_uncertainty_settings(p["quantiles"], p["interval_method"], p["interval_window"], p["mc_passes"],
                               p["dropout"] or p["recurrent_dropout"])
    check_no_harm(p["no_harm"])
    check_combine(p["combine"])
    if p["mode"] not in MODES:
        raise ValueError(f"mode must be 'global' or 'local', got {p['mode']!r}")
