"""The classical references: AutoETS, AutoARIMA, AutoTheta and MSTL from statsforecast, on the LSTM's windows.

Two ways, said in the suite's table:

- ``fit once, forward``: fitted once on the rows the LSTM was fitted on, then each origin's
  forecast filters the fitted model through the rows before it (statsforecast's ``forward``;
  AutoETS / AutoARIMA / AutoTheta through ``lstmcast.forecast.scores.strong``, MSTL the same way
  here);
- ``per series``: on a panel, every model fitted on each series' history and forecasting its
  held-out values.

The scores do not depend on lstmcast's settings, so :func:`cached` keeps them on disk under
``benchmarks/.cache/classical/``, one file per data set and protocol, keyed by everything that
decides them (origins, horizon, seasons, series, models).
"""

from __future__ import annotations

import hashlib
import json
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from lstmcast.forecast.scores.strong import statsforecast_installed, strong_forecasts

CACHE = Path(__file__).resolve().parents[1] / ".cache" / "classical"
MODELS = ("AutoETS", "AutoARIMA", "AutoTheta", "MSTL")
FIT_ONCE = "fit once, forward"
PER_SERIES = "per series"


@dataclass
class Classical:
    """Scores of the classical models on one protocol.

    Attributes
    ----------
    scores : dict of str to float
        Model name -> the protocol's score (lower is better).
    not_run : dict of str to str
        Model name -> why it has no score.
    how : str
        How they were fitted (:data:`FIT_ONCE` or :data:`PER_SERIES`, with details).
    seconds : float
        Wall time of computing them (when cached: of the run that computed them).
    cached : bool
        Whether they were read from the cache.
    """

    scores: dict = field(default_factory=dict)
    not_run: dict = field(default_factory=dict)
    how: str = FIT_ONCE
    seconds: float = 0.0
    cached: bool = False

    def best(self) -> tuple[str, float] | None:
        """The model with the lowest score and its score; None when none ran."""
        if not self.scores:
            return None
        name = min(self.scores, key=self.scores.get)
        return name, self.scores[name]


def _mstl(seasons):
    from statsforecast.models import MSTL

    return MSTL(season_length=list(seasons) if len(seasons) > 1 else seasons[0])


def fit_once(series, fit_end: int, origins, horizon: int, season: int, mstl_seasons,
             models=MODELS) -> tuple[dict, dict]:
    """Forecasts of each model fitted once on ``series[:fit_end]`` from every origin.

    Parameters
    ----------
    series : array_like, shape (N,)
    fit_end : int
    origins : array_like of int, shape (M,)
    horizon : int
    season : int
        Season of AutoETS / AutoARIMA / AutoTheta (1: none).
    mstl_seasons : sequence of int
        Seasons of MSTL.
    models : sequence of str
        Which of :data:`MODELS` to run.

    Returns
    -------
    forecasts : dict of str to numpy.ndarray (M, horizon)
    not_run : dict of str to str
    """
    values = np.asarray(series, dtype=np.float64)
    starts = np.asarray(origins, dtype=np.int64)
    strong = [name for name in models if name != "MSTL"]
    result = strong_forecasts(values, fit_end, starts, horizon, season, models=strong, run=True)
    forecasts, not_run = dict(result.forecasts), dict(result.not_run)
    if "MSTL" in models:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fitted = _mstl(mstl_seasons).fit(values[:fit_end])
                forecasts["MSTL"] = np.stack([fitted.forward(values[:o], h=horizon)["mean"] for o in starts])
        except Exception as err:  # noqa: BLE001 -- a third-party failure is reported, not raised
            not_run["MSTL"] = f"failed: {str(err).splitlines()[0][:120]}"
    return forecasts, not_run


def per_series(histories, horizon: int, season: int, mstl_seasons, models=MODELS) -> tuple[dict, dict]:
    """Forecasts of each model fitted on each history, ``horizon`` steps after its end.

    Parameters
    ----------
    histories : sequence of array_like
        Each series' fitting rows.
    horizon : int
    season : int
    mstl_seasons : sequence of int
    models : sequence of str

    Returns
    -------
    forecasts : dict of str to numpy.ndarray (S, horizon)
    not_run : dict of str to str
    """
    from statsforecast.models import AutoARIMA, AutoETS, AutoTheta

    makers = {"AutoETS": lambda: AutoETS(season_length=season), "AutoARIMA": lambda: AutoARIMA(season_length=season),
              "AutoTheta": lambda: AutoTheta(season_length=season), "MSTL": lambda: _mstl(mstl_seasons)}
    forecasts, not_run = {}, {}
    for name in models:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                rows = [makers[name]().forecast(np.asarray(x, dtype=np.float64), h=horizon)["mean"] for x in histories]
        except Exception as err:  # noqa: BLE001
            not_run[name] = f"failed: {str(err).splitlines()[0][:120]}"
            continue
        forecasts[name] = np.stack(rows)
    return forecasts, not_run


def cached(name: str, key: dict, compute: Callable[[], Classical], use_cache: bool = True) -> Classical:
    """The classical scores of protocol ``name``: read from the cache when ``key`` matches, else computed and kept.

    Parameters
    ----------
    name : str
        Data set and protocol, e.g. ``"airline-validation"`` (the file's name).
    key : dict
        Everything that decides the scores (JSON-serialisable).
    compute : callable
        Returns the :class:`Classical` scores when they are not cached.
    use_cache : bool
        False: compute them anyway (and overwrite the file).

    Returns
    -------
    Classical
    """
    if not statsforecast_installed():
        return Classical(not_run={model: "statsforecast is not installed" for model in MODELS})
    text = json.dumps(key, sort_keys=True, default=_plain)
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    path = CACHE / f"{name}-{digest}.json"
    if use_cache and path.exists():
        stored = json.loads(path.read_text())
        return Classical(**{**stored, "cached": True})
    started = time.perf_counter()
    result = compute()
    result.seconds = time.perf_counter() - started
    CACHE.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({**asdict(result), "cached": False}, indent=1))
    temporary.replace(path)
    return result


def _plain(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON: {type(value).__name__}")
