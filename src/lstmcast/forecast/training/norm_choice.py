"""Which window normalisations a fit tries: the one asked, or each candidate of ``window_norm="auto"``
(:func:`~lstmcast.forecast.training.global_fit.fit_global` fits them and keeps the one with the lowest
scale-free validation error)."""

from __future__ import annotations

from ..preparing.windowing import effective_norm

__all__ = ["AUTO_CANDIDATES", "candidate_norms"]

AUTO_CANDIDATES = ("mean_std", "log_mean_std", "last")
"""What ``window_norm="auto"`` compares on the validation windows, in this order (ties keep the first)."""


def candidate_norms(window_norm: str | None, target_transform: str, positive: bool, by_steps: bool = False
                    ) -> list[str]:
    """The window normalisations to fit: the :data:`AUTO_CANDIDATES` that suit the target for ``"auto"``,
    and for ``None`` when training by a step budget (``log_mean_std`` needs ``positive`` levels in every
    series); ``None`` by epochs is ``"mean_std"``; else the one asked (``"none"`` with a target
    transform: changes have no level to remove).

    ``None`` chooses only on large data: there the choice costs a fraction of the fit, and on M4
    Hourly's validation hours ``log_mean_std`` took OWA from 0.632 (``mean_std``) to 0.578; on small
    series the default stays the ``mean_std`` chosen on airline and temperatures."""
    if window_norm is None:
        window_norm = "auto" if by_steps else "mean_std"
    if window_norm == "auto" and target_transform == "none":
        return [k for k in AUTO_CANDIDATES if k != "log_mean_std" or positive]
    return [effective_norm(window_norm, target_transform)]
