"""The one-series protocols: airline, temperatures, sunspots, Apple and ETTh1, each cut from its training part.

Every protocol fits one Forecaster per seed on rows ``[0, fit_end)``, calls ``predict`` on the
rows before ``test_start`` only (the test part is never even passed in), and scores the windows
starting at the cut's origins; the classical models are fitted once on the same rows and forecast
the same windows (:func:`~protocols.classical.fit_once`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

import airline
import etth1
from lstmcast import load_dataset
from lstmcast.forecast.scores.baselines import naive, seasonal_naive
from lstmcast.forecast.scores.metrics import mae, mse

from .classical import FIT_ONCE, MODELS, Classical, cached, fit_once
from .cuts import Cut
from .outcome import Outcome, forecaster, timed


@dataclass(frozen=True)
class SeriesProtocol:
    """One series, its cut, the Forecaster arguments the protocol sets, and its score.

    Attributes
    ----------
    load : callable
        Returns the frame (indexed by date) and the target column.
    cut : callable
        Frame -> :class:`~protocols.cuts.Cut`.
    params : dict
        Forecaster arguments the protocol sets (look_back, horizon; Apple its target_transform).
    season : int
        Season of the seasonal baselines, AutoETS, AutoARIMA and AutoTheta.
    mstl_seasons : tuple of int
        MSTL's seasons.
    metric : str
        ``"MAE"`` (the data's units) or ``"MSE z"`` (ETTh1: z-scored with the training rows' mean and std).
    models : tuple of str
        The classical models run.
    all_windows : callable or None
        Frame -> the origins of every window of the validation part, when the scored ones are a
        thinned subset (the LSTM's score on all of them is printed beside).
    """

    load: Callable
    cut: Callable
    params: dict
    season: int
    mstl_seasons: tuple
    metric: str = "MAE"
    models: tuple = MODELS
    all_windows: Callable | None = None
    baselines: tuple = field(default=("naive", "seasonal naive"))


def _score(metric: str, actual, predicted) -> float:
    if metric == "MSE z":
        return mse(actual / etth1.TRAIN_STD, predicted / etth1.TRAIN_STD)  # the z-score's shift cancels
    return mae(actual, predicted)


def _bundled(name: str, target: str) -> Callable:
    return lambda: (load_dataset(name)[[target]], target)


def _airline_cut(name: str) -> Callable:
    """airline.py's ``--validation`` protocol; the test part starts at the reported protocol's first origin."""

    def cut(frame: pd.DataFrame) -> Cut:
        reported = airline.PROTOCOLS[name]
        validation = airline.Protocol(**{**reported.__dict__, "first_origin": airline.VALIDATION_FIRST_ORIGIN[name]})
        origins, fit_end = airline.protocol_rows(frame, validation)
        test_start = int(frame.index.searchsorted(pd.Timestamp(reported.first_origin)))
        return Cut(fit_end, origins, reported.horizon, test_start)

    return cut


def _share_cut(fit_share: float, test_share: float, horizon: int, step: int) -> Callable:
    """Fit on the first ``fit_share`` of the rows, score origins up to ``test_share``, never the tail after it."""

    def cut(frame: pd.DataFrame) -> Cut:
        fit_end, test_start = int(fit_share * len(frame)), int(test_share * len(frame))
        return Cut(fit_end, np.arange(fit_end, test_start - horizon + 1, step), horizon, test_start)

    return cut


def _dated_cut(first_origin: str, test_start: str, horizon: int) -> Callable:
    """Walk-forward: every row from ``first_origin`` to the day before ``test_start`` an origin."""

    def cut(frame: pd.DataFrame) -> Cut:
        first = int(frame.index.searchsorted(pd.Timestamp(first_origin)))
        stop = int(frame.index.searchsorted(pd.Timestamp(test_start)))
        return Cut(first, np.arange(first, stop - horizon + 1), horizon, stop)

    return cut


ETT_STEP = 48  # hours between the scored ETTh1 origins: MSTL's forward re-decomposes ~11,000 rows (2 s) per origin


def _etth1_cut(horizon: int) -> Callable:
    """The benchmark's validation months: fitted on [0, 8640), windows inside [8640, 11520), every 48 h."""

    def cut(frame: pd.DataFrame) -> Cut:
        return Cut(etth1.TRAIN_END, np.arange(etth1.TRAIN_END, etth1.VAL_END - horizon + 1, ETT_STEP), horizon,
                   etth1.VAL_END)

    return cut


def _etth1_all(horizon: int) -> Callable:
    return lambda frame: np.arange(etth1.TRAIN_END, etth1.VAL_END - horizon + 1)


SERIES = {
    "airline": SeriesProtocol(_bundled("airline", "Passengers"), _airline_cut("airline"),
                              dict(look_back=24, horizon=12), 12, (12,)),
    "temperatures": SeriesProtocol(_bundled("temperatures", "Temp"), _airline_cut("temperatures"),
                                   dict(look_back=24, horizon=7), 7, (7, 365)),
    "sunspots": SeriesProtocol(_bundled("sunspots", "Sunspots"), _share_cut(0.6, 0.8, 12, 6),
                               dict(look_back=132, horizon=12), 12, (12, 132)),
    "apple": SeriesProtocol(_bundled("apple", "Close"), _dated_cut("2021-02-10", "2022-02-10", 1),
                            dict(look_back=24, horizon=1, target_transform="diff"), 5, (5,)),
    "etth1-24": SeriesProtocol(lambda: (etth1.load_ot(etth1.DEFAULT_DATA), etth1.TARGET), _etth1_cut(24),
                               dict(look_back=336, horizon=24), 24, (24, 168), "MSE z",
                               all_windows=_etth1_all(24)),
    "etth1-96": SeriesProtocol(lambda: (etth1.load_ot(etth1.DEFAULT_DATA), etth1.TARGET), _etth1_cut(96),
                               dict(look_back=336, horizon=96), 24, (24, 168), "MSE z",
                               all_windows=_etth1_all(96)),
}
"""Every one-series protocol, by data set name."""


def run_series(name: str, overrides: dict, seeds, use_cache: bool = True) -> Outcome:
    """Run the one-series protocol ``name``: every seed's Forecaster, the classical models, the baselines.

    Parameters
    ----------
    name : str
        A key of :data:`SERIES`.
    overrides : dict
        Forecaster arguments for every fit (``--set``).
    seeds : sequence of int
    use_cache : bool
        Read the classical scores from ``benchmarks/.cache/`` when there.

    Returns
    -------
    Outcome
    """
    protocol = SERIES[name]
    frame, target = protocol.load()
    cut = protocol.cut(frame)
    seen = frame.iloc[:cut.test_start]  # the test part is never passed to any model
    series = seen[target].to_numpy(np.float64)
    actual = series[cut.targets]  # (M, horizon)
    every = protocol.all_windows(frame) if protocol.all_windows else None

    def one(seed: int):
        fc = forecaster(protocol.params, overrides, seed).fit(seen.iloc[:cut.fit_end], target=target)
        forecasts = fc.predict(seen)  # one row per window, indexed by its first forecast date
        score = _score(protocol.metric, actual, forecasts.loc[seen.index[cut.origins]].to_numpy())
        if every is None:
            return score, None
        rows = every[:, None] + np.arange(cut.horizon)
        assert rows.max() < cut.test_start
        return score, _score(protocol.metric, series[rows], forecasts.loc[seen.index[every]].to_numpy())

    scores, seconds, results = timed(one, seeds)
    extra = {"naive": _score(protocol.metric, actual, naive(series, cut.origins, cut.horizon))}
    if "seasonal naive" in protocol.baselines and protocol.season > 1:
        extra["seasonal naive"] = _score(protocol.metric, actual,
                                         seasonal_naive(series, cut.origins, cut.horizon, protocol.season))
    if every is not None:
        extra["lstmcast, every window"] = float(np.median([r[1] for r in results]))

    def compute() -> Classical:
        forecasts, not_run = fit_once(series, cut.fit_end, cut.origins, cut.horizon, protocol.season,
                                      protocol.mstl_seasons, protocol.models)
        return Classical({model: _score(protocol.metric, actual, f) for model, f in forecasts.items()},
                         not_run, FIT_ONCE)

    key = dict(protocol=name, fit_end=cut.fit_end, origins=cut.origins, horizon=cut.horizon,
               test_start=cut.test_start, season=protocol.season, mstl=protocol.mstl_seasons,
               models=protocol.models, metric=protocol.metric, rows=len(frame))
    return Outcome(scores, seconds, cached(name, key, compute, use_cache), extra, cut.describe(frame.index))
