"""Choices a fit makes from the data when the settings leave them open, each said in words.

- **The season** (``season=None``): from the dates' frequency (hourly 24, daily 7, monthly 12, ...);
  for integer steps or dates without a known frequency, the candidate lag (:data:`CANDIDATE_SEASONS`)
  that passes the M4 Competition's 90% seasonality test
  (:func:`~lstmcast.forecast.scores.decomposition.is_seasonal`) in the most series, if it passes in
  at least half of them; else none.
- **The patch** (``patch=None``): one season per LSTM step when the look-back holds at least
  :data:`PATCH_FROM_SEASONS` whole seasons (168 hours read as 7 days of 24), else one row per step.
  A shorter recurrence over a long look-back trains faster and, on M4 Hourly's validation hours,
  better (see the README's M4 section).

:func:`data_choices` returns them; the Forecaster keeps them as ``season_``, ``patch_`` and
``choices_`` (the sentences).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..scores.baselines import season_from_freq
from ..scores.decomposition import is_seasonal

__all__ = ["CANDIDATE_SEASONS", "DataChoices", "PATCH_FROM_SEASONS", "data_choices", "detect_season"]

CANDIDATE_SEASONS = (4, 5, 7, 12, 24, 52)
"""Lags tried when the season cannot come from the dates: quarters, working days, days of a week, months,
hours of a day, weeks of a year (in that order; the first of equally common ones is kept)."""

PATCH_FROM_SEASONS = 4
"""``patch=None`` reads a season per step when the look-back holds at least this many seasons."""

DETECT_SERIES = 1000
"""At most this many series (evenly spaced in the panel) are tested when detecting the season."""


@dataclass(frozen=True)
class DataChoices:
    """What a fit chose from the data.

    Attributes
    ----------
    season : int or None
    patch : int
    sentences : dict of str to str
        Why, by setting (``"season"``, ``"patch"``).
    """

    season: int | None
    patch: int
    sentences: dict


def detect_season(targets: list[np.ndarray], look_back: int) -> tuple[int | None, str]:
    """The candidate season most series pass the M4 seasonality test at, and the sentence saying so.

    Parameters
    ----------
    targets : list of numpy.ndarray
        Each series' training target (N,).
    look_back : int
        A season longer than the look-back cannot be read in one window and is not tried.
    """
    if len(targets) > DETECT_SERIES:
        targets = [targets[k] for k in np.linspace(0, len(targets) - 1, DETECT_SERIES).astype(int)]
    best, best_count = None, 0
    for season in CANDIDATE_SEASONS:
        if season > look_back:
            continue
        count = sum(is_seasonal(x, season) for x in targets)
        if count > best_count:
            best, best_count = season, count
    if best is None or 2 * best_count < len(targets):
        return None, f"no season: no lag of {', '.join(map(str, CANDIDATE_SEASONS))} passes the 90% " \
                     f"seasonality test in half of the {len(targets)} series tested"
    return best, f"season {best}: detected, it passes the 90% seasonality test in {best_count} of the " \
                 f"{len(targets)} series tested"


def data_choices(fc, freq, has_dates: bool, targets: list[np.ndarray]) -> DataChoices:
    """The season and the patch of a fit of ``fc`` on series with frequency ``freq`` and training
    targets ``targets``; what ``fc``'s settings give is kept as given."""
    sentences = {}
    if fc.season is not None:
        season, sentences["season"] = int(fc.season), f"season {fc.season}: given"
    else:
        season = season_from_freq(freq) if has_dates and isinstance(freq, str) else None
        if season is not None:
            sentences["season"] = f"season {season}: from the frequency {freq!r}"
        else:
            season, sentences["season"] = detect_season(targets, fc.look_back)
    if fc.patch is not None:
        patch, sentences["patch"] = int(fc.patch), f"patch {fc.patch}: given"
    elif season and season > 1 and fc.look_back % season == 0 and fc.look_back // season >= PATCH_FROM_SEASONS:
        patch = season
        sentences["patch"] = f"patch {season}: the look-back of {fc.look_back} read as {fc.look_back // season} " \
                             f"steps of one season"
    else:
        patch, sentences["patch"] = 1, "patch 1: one row per step"
    return DataChoices(season, patch, sentences)
