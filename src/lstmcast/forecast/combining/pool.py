"""The classical models a series' forecast is combined with, fitted once on its training rows.

statsforecast's AutoETS, AutoTheta, MSTL and AutoARIMA (the optional extra
``pip install 'lstmcast[baselines]'``). Each is fitted **once**, on the rows the LSTM was
fitted on, and then forecasts from any origin ``o`` with its fitted parameters applied to
``target[:o]`` only (statsforecast's ``forward``: the state is filtered through the newer
rows, nothing is estimated again), the protocol :mod:`lstmcast.forecast.scores.strong` follows
for ``evaluate``. Nothing at or after an origin is read.

What each costs decides the pool (measured on M4 Hourly's 700-row series, 2 cores): a fit
of AutoETS with season 24 takes 0.1-0.4 s and its ``forward`` under 1 ms; AutoTheta 0.05 s and
1 ms; MSTL with one season 0.06 s and 13 ms, with the seasons 24 and 168 0.3 s and 140 ms (so
the pool's MSTL has one season, and ``evaluate``'s row both); a seasonal AutoARIMA 20-60 s,
so AutoARIMA joins the pool only for seasons up to :data:`ARIMA_MAX_SEASON`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

__all__ = ["ARIMA_MAX_SEASON", "CLASSICAL_MODELS", "ClassicalPool", "classical_model", "fit_pool", "mstl_seasons",
           "pool_names"]

CLASSICAL_MODELS = ("AutoETS", "AutoARIMA", "AutoTheta", "MSTL")
"""Every classical model lstmcast knows, by display name (their statsforecast class names)."""

ARIMA_MAX_SEASON = 12
"""The longest season a pool's AutoARIMA is fitted with (monthly data; hourly and daily seasons are
too slow for a default)."""


def mstl_seasons(season: int | None, n_rows: int, weekly: bool = True) -> list[int]:
    """MSTL's seasons: ``season``, and for a daily cycle of hours (24) with four weeks of rows, the
    week (168) too when ``weekly``; [] without a season (MSTL needs one)."""
    if not season or season < 2 or n_rows < 2 * season:
        return []
    if weekly and season == 24 and n_rows >= 4 * 168:
        return [24, 168]
    return [int(season)]


def classical_model(name: str, season: int | None, n_rows: int, weekly_mstl: bool = True):
    """An unfitted statsforecast model ``name`` for a series of ``n_rows`` fitting rows."""
    from statsforecast.models import MSTL, AutoARIMA, AutoETS, AutoTheta

    period = int(season) if season and season > 1 else 1
    if name == "MSTL":
        seasons = mstl_seasons(season, n_rows, weekly_mstl)
        if not seasons:
            raise ValueError("MSTL needs a season and two of them in the fitting rows")
        return MSTL(season_length=seasons if len(seasons) > 1 else seasons[0])
    makers = {"AutoETS": AutoETS, "AutoARIMA": AutoARIMA, "AutoTheta": AutoTheta}
    if name not in makers:
        raise ValueError(f"classical models are {', '.join(CLASSICAL_MODELS)}, got {name!r}")
    return makers[name](season_length=period)


def pool_names(season: int | None) -> tuple[str, ...]:
    """The models a series with this season is combined with (see the module's costs)."""
    names = ["AutoETS", "AutoTheta"]
    if season and season > 1:
        names.append("MSTL")
    if not season or season <= ARIMA_MAX_SEASON:
        names.append("AutoARIMA")
    return tuple(names)


@dataclass
class ClassicalPool:
    """Classical models fitted on one series' training rows.

    Attributes
    ----------
    fitted : dict of str to object
        Model name -> the fitted statsforecast model.
    not_run : dict of str to str
        Model name -> why it is not in the pool.
    """

    fitted: dict = field(default_factory=dict)
    not_run: dict = field(default_factory=dict)

    def forecasts(self, target: np.ndarray, origins: np.ndarray, horizon: int, names=None) -> dict[str, np.ndarray]:
        """Each model's forecasts (n, horizon) from the rows of ``target`` (N,) before each origin; NaN
        where a model cannot forecast from so few rows (an origin early in the fitted rows)."""
        values = np.asarray(target, dtype=np.float64)  # (N,)
        starts = np.asarray(origins, dtype=np.int64)  # (n,)
        out = {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence chatter on short series
            for name in names or self.fitted:
                rows = np.full((len(starts), horizon), np.nan)  # (n, horizon)
                for k, origin in enumerate(starts):
                    rows[k] = _forward(self.fitted[name], values[:origin], horizon)
                out[name] = rows
        return out


def _forward(model, history: np.ndarray, horizon: int) -> np.ndarray:
    """``model`` filtered through ``history`` (N,), its next ``horizon`` values; NaN when it cannot be."""
    try:
        return np.asarray(model.forward(history, h=horizon)["mean"], dtype=np.float64)
    except Exception:  # noqa: BLE001 -- statsforecast's refusals of short histories vary by model
        return np.full(horizon, np.nan)


def fit_pool(history: np.ndarray, season: int | None, names=None, weekly_mstl: bool = False) -> ClassicalPool:
    """Fit each of ``names`` (default :func:`pool_names`) on ``history`` (N,), the fitting rows.

    A model that cannot be fitted (too few rows for its season, say), or whose fitted values are
    not finite, is left out and named in ``not_run`` with the reason.
    """
    values = np.asarray(history, dtype=np.float64)  # (N,)
    pool = ClassicalPool()
    for name in names or pool_names(season):
        if not np.all(np.isfinite(values)):
            pool.not_run[name] = "the fitting rows hold missing values"
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fitted = classical_model(name, season, len(values), weekly_mstl).fit(values)
                check = fitted.forward(values, h=1)["mean"]
        except Exception as err:  # noqa: BLE001 -- any failure of a third-party fit is reported, not raised
            pool.not_run[name] = f"failed on {len(values)} rows: {str(err).splitlines()[0][:120]}"
            continue
        if not np.all(np.isfinite(check)):
            pool.not_run[name] = "its forecasts were not finite"
            continue
        pool.fitted[name] = fitted
    return pool
