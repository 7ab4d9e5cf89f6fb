"""Which window normalisations a fit tries: the one asked, or each candidate of ``window_norm="auto"``
(:func:`~lstmcast.forecast.training.global_fit.fit_global` fits them and keeps the one with the lowest
scale-free validation error)."""

from __future__ import annotations

from ..preparing.windowing import effective_norm

__all__ = ["AUTO_CANDIDATES", "candidate_norms"]

AUTO_CANDIDATES = ("mean_std", "log_mean_std", "last")
"""What ``window_norm="auto"`` compares on the validation windows, in this order (ties keep the first)."""


def candidate_norms(window_norm: str, target_transform: str, positive: bool) -> list[str]:
    """The window normalisations to fit: the :data:`AUTO_CANDIDATES` that suit the target for ``"auto"``
    (``log_mean_std`` needs ``positive`` levels in every series), else the one asked (``"none"`` with a
    target transform: changes have no level to remove)."""
    if window_norm == "auto" and target_transform == "none":
        return [k for k in AUTO_CANDIDATES if k != "log_mean_std" or positive]
    return [effective_norm(window_norm, target_transform)]
