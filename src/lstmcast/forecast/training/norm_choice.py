"""Which window normalisations a fit tries: the one asked, or the candidates of ``"auto"`` and of the
default (:func:`~lstmcast.forecast.training.global_fit.fit_global` fits them and keeps the one with the
lowest scale-free validation error).

The default (``window_norm=None``), chosen on the validation suite (``benchmarks/suite.py``):

- trained by a step budget (large data): every :data:`AUTO_CANDIDATES` that suits the target, ranked by
  short fits, the best fitted in full;
- trained by epochs: ``"mean_std"``, and beside it ``"log_season_mean_std"`` where every series is
  positive and the look-back holds two seasons (:data:`EPOCH_CANDIDATES`), each fitted in full. The
  seasonal profile of the log took airline's validation MAE from 27.71 to 15.41 and M4 Hourly's 40-series
  sample from OWA 0.598 to 0.496; on the others it cost 3-10% when forced (the additive
  ``"season_mean_std"`` too, on all but M4), so it is one candidate the validation windows must prefer.
"""

from __future__ import annotations

from ..preparing.windowing import SEASONAL, TAKES_LOG, effective_norm

__all__ = ["AUTO_CANDIDATES", "EPOCH_CANDIDATES", "candidate_norms"]

AUTO_CANDIDATES = ("mean_std", "log_mean_std", "last", "season_mean_std", "log_season_mean_std")
"""What ``window_norm="auto"`` compares on the validation windows, in this order (ties keep the first)."""

EPOCH_CANDIDATES = ("mean_std", "log_season_mean_std")
"""What the default compares on data trained by epochs (each a full fit)."""


def candidate_norms(window_norm: str | None, target_transform: str, positive: bool, by_steps: bool = False,
                    seasonal: bool = False) -> list[str]:
    """The window normalisations to fit, in order: for ``"auto"`` the :data:`AUTO_CANDIDATES` that suit
    the target (a log needs ``positive`` levels in every series, a seasonal profile two seasons in the
    look-back: ``seasonal``); for ``None`` those when training by a step budget, else the
    :data:`EPOCH_CANDIDATES` that suit it; else the one asked. With a target transform, ``"none"``:
    changes have no level to remove."""
    if target_transform != "none":
        return [effective_norm(window_norm or "mean_std", target_transform)]
    if window_norm is None:
        window_norm, pool = "auto", AUTO_CANDIDATES if by_steps else EPOCH_CANDIDATES
    else:
        pool = AUTO_CANDIDATES
    if window_norm == "auto":
        return [k for k in pool if (k not in TAKES_LOG or positive) and (k not in SEASONAL or seasonal)]
    return [window_norm]
