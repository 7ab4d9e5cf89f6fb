"""Choices a fit makes from the data when the settings leave them open, each said in words.

- **The season** (``season=None``): from the dates' frequency (hourly 24, daily 7, monthly 12, ...);
  for integer steps or dates without a known frequency, detected on the series' changes among
  :data:`CANDIDATE_SEASONS` (:func:`detect_season`); else none.
- **The patch** (``patch=None``): one season per LSTM step when the look-back is long (at least
  :data:`PATCH_FROM_ROWS` rows) and holds at least :data:`PATCH_FROM_SEASONS` whole seasons (168 hours
  read as 7 days of 24), else one row per step.
  A shorter recurrence over a long look-back trains faster and, on M4 Hourly's validation hours,
  better (see the README's M4 section).

:func:`data_choices` returns them; the Forecaster keeps them as ``season_``, ``patch_`` and
``choices_`` (the sentences).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..scores.baselines import season_from_freq
from ..scores.decomposition import autocorrelations, is_seasonal

__all__ = ["CANDIDATE_SEASONS", "DataChoices", "PATCH_FROM_SEASONS", "data_choices", "detect_season"]

CANDIDATE_SEASONS = (4, 5, 7, 12, 24, 52)
"""Lags tried when the season cannot come from the dates: quarters, working days, days of a week, months,
hours of a day, weeks of a year (in that order; the first of equally common ones is kept)."""

PATCH_FROM_SEASONS = 4
"""``patch=None`` reads a season per step when the look-back holds at least this many seasons..."""
PATCH_FROM_ROWS = 96
"""... and at least this many rows (a long look-back: the evidence is M4 Hourly's 168 hours; a daily
look-back of 30 business days stays one row a step)."""

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
    """The season of series without a known frequency, and the sentence saying so.

    The test is on each series' step-to-step changes: a random walk or a trend has
    autocorrelations near 1 at every lag of its levels, and would pass the M4 test at any
    candidate; its changes pass at none. Among the candidates whose changes pass the M4 90% test
    (:func:`~lstmcast.forecast.scores.decomposition.is_seasonal`) in at least half of the series, the
    one with the highest median autocorrelation is kept (a daily cycle's changes correlate most at
    24 hours, and negatively at 12).

    Parameters
    ----------
    targets : list of numpy.ndarray
        Each series' training target (N,).
    look_back : int
        A season longer than the look-back cannot be read in one window and is not tried.
    """
    if len(targets) > DETECT_SERIES:
        targets = [targets[k] for k in np.linspace(0, len(targets) - 1, DETECT_SERIES).astype(int)]
    changes = [np.diff(np.asarray(x, dtype=np.float64)) for x in targets]
    best, best_score, best_count = None, 0.0, 0
    for season in CANDIDATE_SEASONS:
        if season > look_back:
            continue
        fits = [c for c in changes if c.size >= 3 * season]
        passing = sum(is_seasonal(c, season) for c in fits)
        if not fits or 2 * passing < len(changes):
            continue
        score = float(np.median([autocorrelations(c, season)[season - 1] for c in fits]))
        if score > best_score:
            best, best_score, best_count = season, score, passing
    if best is None:
        return None, f"no season: the changes of fewer than half of the {len(targets)} series tested pass the " \
                     f"90% seasonality test at any of {', '.join(map(str, CANDIDATE_SEASONS))}"
    return best, f"season {best}: detected, the changes of {best_count} of the {len(targets)} series tested pass " \
                 f"the 90% seasonality test there (median autocorrelation {best_score:.2f})"


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
    elif (season and season > 1 and fc.look_back % season == 0 and fc.look_back // season >= PATCH_FROM_SEASONS
          and fc.look_back >= PATCH_FROM_ROWS):
        patch = season
        sentences["patch"] = f"patch {season}: the look-back of {fc.look_back} read as {fc.look_back // season} " \
                             f"steps of one season"
    else:
        patch, sentences["patch"] = 1, "patch 1: one row per step"
    return DataChoices(season, patch, sentences)
