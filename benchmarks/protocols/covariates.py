"""The protocols with values known in advance: the two electricity markets and bike rentals.

Each is the validation protocol of its own benchmark, cut from the part before its test period:

- ``epf-be``, ``epf-de`` (``epf.py --validation``): the 364 days before the 728 test days, each forecast
  24 hours ahead from its 00:00 origin, fitted once on every row before them, the two day-ahead
  columns as ``future_features``;
- ``bike`` (``bike.py --validation``): the 182 days before the 182 test days, the same way, the data's
  ``hr``, ``weekday``, ``holiday`` and ``workingday`` as ``future_features``.

The classical references (AutoETS, AutoTheta, MSTL with seasons 24 and 168; AutoARIMA is too slow at
season 24 on these lengths) read the price or count alone. Each is fitted once on the last
:data:`CLASSICAL_WINDOW` rows before the fit's end and forecasts each origin from the same number of rows
before it (statsforecast's ``forward``): their whole histories (26,000 to 35,000 rows) would cost
MSTL about 5 s an origin.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

import bike
import epf
from lstmcast.forecast.scores.baselines import naive, seasonal_naive
from lstmcast.forecast.scores.metrics import mae

from .classical import Classical, cached
from .cuts import Cut
from .outcome import Outcome, forecaster, timed

CLASSICAL_WINDOW = 8 * 168
"""Rows (eight weeks of hours) each classical model is fitted on and forecasts from."""
MODELS = ("AutoETS", "AutoTheta", "MSTL")
LOOK_BACK, HORIZON = 168, 24


def _epf(market: str):
    frame = epf.read_market(market)
    seen = frame.iloc[: len(frame) - epf.TEST_DAYS * 24].reset_index(drop=True)  # the test period is never read
    future = [c for c in seen.columns if c not in ("Date", "Price")]
    return seen.set_index("Date"), "Price", future, epf.VALIDATION_DAYS, epf.TEST_DAYS


def _bike():
    frame = bike.read_rentals()
    seen = frame.iloc[: len(frame) - bike.TEST_DAYS * 24].reset_index(drop=True)
    return seen.set_index("date"), "cnt", list(bike.RUNS["columns"][1]), bike.TEST_DAYS, bike.TEST_DAYS


SOURCES = {"epf-be": lambda: _epf("BE"), "epf-de": lambda: _epf("DE"), "bike": _bike}
"""Each protocol's rows before its test period, its target, its columns known in advance, its scored days
(the last of those rows) and the test days that follow (never read)."""


def rolling_classical(series: np.ndarray, fit_end: int, origins: np.ndarray, horizon: int,
                      window: int = CLASSICAL_WINDOW) -> tuple[dict, dict]:
    """Forecasts (M, horizon) of each of :data:`MODELS`, fitted once on ``series[fit_end - window:fit_end]``
    and forecasting each origin from the ``window`` rows before it."""
    from statsforecast.models import MSTL, AutoETS, AutoTheta

    makers = {"AutoETS": lambda: AutoETS(season_length=24), "AutoTheta": lambda: AutoTheta(season_length=24),
              "MSTL": lambda: MSTL(season_length=[24, 168])}
    forecasts, not_run = {}, {}
    for name in MODELS:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fitted = makers[name]().fit(series[fit_end - window:fit_end])
                forecasts[name] = np.stack([fitted.forward(series[o - window:o], h=horizon)["mean"] for o in origins])
        except Exception as err:  # noqa: BLE001 -- a third-party failure is reported, not raised
            not_run[name] = f"failed: {str(err).splitlines()[0][:120]}"
    return forecasts, not_run


def run_covariates(name: str, overrides: dict, seeds, use_cache: bool = True) -> Outcome:
    """Run the protocol ``name`` (a key of :data:`SOURCES`): each seed's Forecaster with its columns known
    in advance, the classical references, naive and the seasonal naive of a day and of a week."""
    frame, target, future, days, _ = SOURCES[name]()
    fit_end = len(frame) - days * 24
    cut = Cut(fit_end, np.arange(fit_end, len(frame) - HORIZON + 1, 24), HORIZON, len(frame))
    assert (frame.index[cut.origins].hour == 0).all()
    series = frame[target].to_numpy(np.float64)
    actual = series[cut.targets]  # (days, 24)
    table = frame.reset_index()
    time_column = table.columns[0]

    def one(seed: int):
        fc = forecaster(dict(look_back=LOOK_BACK, horizon=HORIZON), overrides, seed)
        fc.fit(table.iloc[:fit_end], target=target, date_column=time_column, future_features=future)
        predicted = fc.predict(table.iloc[fit_end - LOOK_BACK:])  # one row per origin, by its first forecast time
        return (mae(actual, predicted.loc[frame.index[cut.origins]].to_numpy()),)

    scores, seconds, _ = timed(one, seeds)
    extra = {"naive": mae(actual, naive(series, cut.origins, HORIZON)),
             "seasonal naive (day)": mae(actual, seasonal_naive(series, cut.origins, HORIZON, 24)),
             "seasonal naive (week)": mae(actual, seasonal_naive(series, cut.origins, HORIZON, 168))}

    def compute() -> Classical:
        forecasts, not_run = rolling_classical(series, fit_end, cut.origins, HORIZON)
        return Classical({model: mae(actual, f) for model, f in forecasts.items()}, not_run,
                         f"fit once on the last {CLASSICAL_WINDOW} rows, forward from as many")

    key = dict(protocol=name, fit_end=fit_end, origins=cut.origins, horizon=HORIZON, rows=len(frame),
               window=CLASSICAL_WINDOW, models=MODELS, target=target)
    return Outcome(scores, seconds, cached(name, key, compute, use_cache), extra,
                   cut.describe(pd.DatetimeIndex(frame.index)))
