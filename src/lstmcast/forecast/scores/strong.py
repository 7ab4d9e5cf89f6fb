"""The classical state of the art beside the LSTM: AutoETS, AutoARIMA, AutoTheta and MSTL from statsforecast.

Installed with the optional extra ``pip install 'lstmcast[baselines]'``. Each model
is fitted **once**, on ``series[:fit_end]`` (the rows the LSTM was fitted on), and
then forecasts from every origin ``o`` with the fitted parameters applied to
``series[:o]`` only (statsforecast's ``forward``: the state is filtered through
the newer rows, nothing is re-estimated) — the protocol the LSTM follows too. Nothing
at or after an origin is read.

Without statsforecast, or when a model cannot be fitted (too few rows for its
season, say), the result names what was not run and why, so a verdict never
pretends to have beaten models it never met.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from ..combining.pool import CLASSICAL_MODELS, classical_model, mstl_seasons

__all__ = ["INSTALL_HINT", "STRONG_MODELS", "WORK_LIMIT", "StrongForecasts", "strong_forecasts",
           "statsforecast_installed"]

STRONG_MODELS = CLASSICAL_MODELS
"""The classical models, by display name (their statsforecast class names). MSTL has the season, and
for hours (24) with four weeks of rows the week too; it needs a season (without one it is not run,
and the verdict says why)."""

INSTALL_HINT = "statsforecast is not installed: pip install 'lstmcast[baselines]'"

WORK_LIMIT = 3_000_000
"""Rows filtered in all (the sum of every origin's history) above which ``strong=None`` skips the
classical models: each forecast filters the whole history before its origin, and AutoTheta or a
seasonal AutoARIMA take 50-100 ms per 10,000 rows (2,856 hourly origins over 11,000 rows: over 3
minutes for AutoTheta alone). The verdict then says so, and ``strong=True`` runs them anyway."""


@dataclass(frozen=True)
class StrongForecasts:
    """What the classical models forecast, and which were not run.

    Attributes
    ----------
    forecasts : dict of str to numpy.ndarray
        Model name -> forecasts (M, horizon), float64, for the models that ran.
    not_run : dict of str to str
        Model name -> why it was not run.
    """

    forecasts: dict[str, np.ndarray] = field(default_factory=dict)
    not_run: dict[str, str] = field(default_factory=dict)


def statsforecast_installed() -> bool:
    """Whether the optional extra ``baselines`` (statsforecast) can be imported."""
    try:
        import statsforecast.models  # noqa: F401
    except ImportError:
        return False
    return True


def strong_forecasts(series, fit_end: int, origins, horizon: int, season: int | None = None,
                     models=STRONG_MODELS, run: bool | None = True) -> StrongForecasts:
    """Fit each classical model on ``series[:fit_end]`` and forecast ``horizon`` steps from every origin.

    Parameters
    ----------
    series : array_like, shape (N,)
        The target in original units.
    fit_end : int
        The models are fitted on the rows before it; every origin must be at or after it.
    origins : array_like of int, shape (M,)
        Row of the first forecast step of each window; the forecast reads ``series[:o]``.
    horizon : int
    season : int or None
        Season length in rows (``None`` or 1: no seasonal terms).
    models : sequence of str
        Which of :data:`STRONG_MODELS` to run.
    run : bool or None
        ``True``: run them; ``False``: none (and none is reported as not run); ``None``:
        run them unless the origins' histories add up to more than :data:`WORK_LIMIT` rows.

    Returns
    -------
    StrongForecasts
    """
    values = np.asarray(series, dtype=np.float64)  # (N,)
    starts = np.asarray(origins, dtype=np.int64)  # (M,)
    unknown = [name for name in models if name not in STRONG_MODELS]
    if unknown:
        raise ValueError(f"models must be among {', '.join(STRONG_MODELS)}, got {unknown}")
    if starts.size and (starts.min() < fit_end or starts.max() > len(values)):
        raise ValueError(f"origins must lie in [fit_end, len(series)] = [{fit_end}, {len(values)}]")
    if run is False:
        return StrongForecasts()
    if not statsforecast_installed():
        return StrongForecasts(not_run={name: INSTALL_HINT for name in models})
    work = int(starts.sum())  # rows filtered: every origin's whole history
    if run is None and work > WORK_LIMIT:
        why = (f"skipped: {len(starts)} origins over up to {int(starts.max())} rows, {work / 1e6:.0f} million rows "
               f"to filter (the default limit is {WORK_LIMIT / 1e6:.0f} million); strong=True runs them")
        return StrongForecasts(not_run={name: why for name in models})
    history = values[:fit_end]
    if not np.all(np.isfinite(history)):
        return StrongForecasts(not_run={name: "the fitting rows hold missing values" for name in models})
    result = StrongForecasts()
    for name in models:
        if name == "MSTL" and not mstl_seasons(season, len(history)):
            result.not_run[name] = "no season of two cycles in the fitting rows"
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # convergence chatter on short series
                fitted = classical_model(name, season, len(history)).fit(history)
                forecasts = np.stack([fitted.forward(values[:o], h=horizon)["mean"] for o in starts])  # (M, horizon)
        except Exception as err:  # noqa: BLE001 -- any failure of a third-party fit is reported, not raised
            result.not_run[name] = f"failed on {fit_end} rows: {str(err).splitlines()[0][:120]}"
            continue
        if not np.all(np.isfinite(forecasts)):
            result.not_run[name] = "its forecasts were not finite"
            continue
        result.forecasts[name] = forecasts.astype(np.float64).reshape(len(starts), horizon)
    return result
