"""The many-series protocols: M4 Hourly (validation on the training file) and synthetic panels.

Each series' last ``horizon`` values of its training part are held out and scored; one global
Forecaster per seed is fitted on the rest of every series, and the classical models are fitted on
each series' same rows (:func:`~protocols.classical.per_series`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import m4
from lstmcast.data import Panel, read_panel, read_wide
from lstmcast.forecast.scores.baselines import naive2, seasonal_naive
from lstmcast.forecast.scores.m4 import M4_HORIZONS, M4_SEASONS, m4_table
from lstmcast.forecast.scores.metrics import mase

from .classical import MODELS, PER_SERIES, Classical, cached, per_series
from .cuts import check_held_out
from .outcome import Outcome, forecaster, timed

M4_LOOK_BACK = m4.LOOK_BACK
M4_SAMPLE_SEED = 0
M4_ARIMA = "AutoARIMA left out: a seasonal (m=24) fit takes 20-60 s a series here"
SYNTHETIC_SEASON, SYNTHETIC_HORIZON, SYNTHETIC_LENGTH, SYNTHETIC_TAIL = 12, 12, 240, 24


def _panel_forecasts(panel: Panel, params: dict, overrides: dict, seed: int) -> np.ndarray:
    """One global Forecaster fitted on ``panel``: the next ``horizon`` values of every series (S, H)."""
    model = forecaster(params, overrides, seed).fit(panel)
    out = model.forecast()
    rows = {name: part for name, part in out.groupby(panel.id_column, sort=False)}
    return np.stack([rows[name]["forecast"].to_numpy() for name in panel.ids])


def m4_sample(count: int | None) -> tuple[Panel, list]:
    """The M4 Hourly training file, or a fixed seeded sample of ``count`` of its series (in file order)."""
    train = read_wide(m4.DATA / "M4-Hourly-train.csv")  # the test file is never read
    ids = list(train.ids)
    if count is not None and count < len(ids):
        chosen = np.random.default_rng(M4_SAMPLE_SEED).choice(len(ids), size=count, replace=False)
        ids = [ids[i] for i in sorted(chosen)]
        train = train.select(ids)
    return train, ids


def run_m4(overrides: dict, seeds, count: int | None, use_cache: bool = True) -> Outcome:
    """OWA (against Naive2) on the last 48 hours of each training series, fitted on the hours before.

    Parameters
    ----------
    overrides : dict
    seeds : sequence of int
    count : int or None
        How many series (a fixed seeded sample); None: all 414.
    use_cache : bool

    Returns
    -------
    Outcome
    """
    train, ids = m4_sample(count)
    horizon, season = M4_HORIZONS["Hourly"], M4_SEASONS["Hourly"]
    history, future = m4.held_out(train, horizon)
    histories = [history.target_values(name) for name in ids]
    actual = np.stack([future.target_values(name) for name in ids])  # (S, 48)
    check_held_out([len(x) for x in histories], horizon, [len(train.target_values(name)) for name in ids])
    reference = np.stack([naive2(x, np.array([len(x)]), horizon, season)[0] for x in histories])

    def owa_of(forecasts: dict) -> dict:
        table = m4_table(actual, {"Naive2": reference, **forecasts}, histories, season)
        return {name: float(table.loc[name, "OWA"]) for name in forecasts}

    params = dict(look_back=M4_LOOK_BACK, horizon=horizon)
    scores, seconds, _ = timed(lambda seed: (owa_of({"lstm": _panel_forecasts(history, params, overrides,
                                                                               seed)})["lstm"],), seeds)
    snaive = np.stack([seasonal_naive(x, np.array([len(x)]), horizon, season)[0] for x in histories])
    extra = {"sNaive": owa_of({"sNaive": snaive})["sNaive"]}
    models = tuple(name for name in MODELS if name != "AutoARIMA")

    def compute() -> Classical:
        forecasts, not_run = per_series(histories, horizon, season, (24, 168), models)
        return Classical(owa_of(forecasts), {**not_run, "AutoARIMA": M4_ARIMA}, PER_SERIES)

    key = dict(protocol="m4-validation", ids=ids, horizon=horizon, season=season, models=models)
    name = f"m4-{len(ids)}"
    return Outcome(scores, seconds, cached(name, key, compute, use_cache), extra)


def synthetic_panel(seed: int = 0) -> tuple[pd.DataFrame, int]:
    """50 seasonal series of levels from 1 to 10,000 and noise from 1% to 30% of the level, and 10 random walks.

    Returns the long table (``unique_id``, ``ds``, ``y``; ``ds`` counts steps) of every series'
    training part, ``SYNTHETIC_LENGTH`` rows each (a further ``SYNTHETIC_TAIL`` rows are drawn and
    dropped: the never-scored test part), and the number of series.
    """
    rng = np.random.default_rng(seed)
    total = SYNTHETIC_LENGTH + SYNTHETIC_TAIL
    t = np.arange(total)
    rows = []
    for k in range(50):
        level = 10 ** rng.uniform(0, 4)
        shape = np.sin(2 * np.pi * (t / SYNTHETIC_SEASON + rng.uniform()))
        trend = rng.normal(0, 0.002) * t
        noise = rng.uniform(0.01, 0.3) * rng.standard_normal(total)
        rows.append((f"s{k}", level * (1 + trend + rng.uniform(0.1, 0.5) * shape + noise)))
    for k in range(10):
        rows.append((f"rw{k}", 10 ** rng.uniform(0, 3) * (1 + 0.02 * np.cumsum(rng.standard_normal(total)))
                     + 10 ** 3.5))
    frame = pd.concat([pd.DataFrame({"unique_id": name, "ds": t[:SYNTHETIC_LENGTH], "y": y[:SYNTHETIC_LENGTH]})
                       for name, y in rows], ignore_index=True)
    return frame, len(rows)


def run_synthetic(overrides: dict, seeds, use_cache: bool = True) -> Outcome:
    """Mean MASE (m = 12) on the last 12 rows of each synthetic series' training part.

    Parameters
    ----------
    overrides : dict
    seeds : sequence of int
    use_cache : bool

    Returns
    -------
    Outcome
    """
    frame, _ = synthetic_panel()
    train = read_panel(frame)
    horizon, season = SYNTHETIC_HORIZON, SYNTHETIC_SEASON
    history, future = m4.held_out(train, horizon)
    ids = list(train.ids)
    histories = [history.target_values(name) for name in ids]
    actual = np.stack([future.target_values(name) for name in ids])
    check_held_out([len(x) for x in histories], horizon, [len(train.target_values(name)) for name in ids])

    def mean_mase(forecast: np.ndarray) -> float:
        return float(np.mean([mase(a, f, x, season) for a, f, x in zip(actual, forecast, histories)]))

    params = dict(look_back=24, horizon=horizon)
    scores, seconds, _ = timed(lambda seed: (mean_mase(_panel_forecasts(history, params, overrides, seed)),), seeds)
    snaive = np.stack([seasonal_naive(x, np.array([len(x)]), horizon, season)[0] for x in histories])
    extra = {"seasonal naive": mean_mase(snaive)}

    def compute() -> Classical:
        forecasts, not_run = per_series(histories, horizon, season, (season,), MODELS)
        return Classical({name: mean_mase(f) for name, f in forecasts.items()}, not_run, PER_SERIES)

    key = dict(protocol="synthetic", data=frame["y"].to_numpy(), horizon=horizon, season=season, models=MODELS)
    return Outcome(scores, seconds, cached("synthetic", key, compute, use_cache), extra)
