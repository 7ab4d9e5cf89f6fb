"""Small seasonal series under a fixed-origin protocol: lstmcast against the classical state of the art.

Each model is fitted **once** on the rows before the first origin, then forecasts
``horizon`` steps from every origin reading only the rows before it (the LSTM
through ``Forecaster.predict``, AutoETS / AutoARIMA / AutoTheta through
``lstmcast.forecast.scores.strong``: fitted parameters, state filtered through the newer
rows). Scored by MAE over every origin and step, in the data's units.

Protocols (``--dataset``):

- ``airline``: trained on 1949-1958, 13 monthly origins 1959-01 ... 1960-01, h = 12,
  ``Forecaster(look_back=24, horizon=12)`` with every other argument at its default.
- ``temperatures``: Melbourne daily minimum, trained on 1981-1988, 104 weekly
  origins from 1989-01-01, h = 7, ``Forecaster(horizon=7)``.

``--validation`` moves the whole protocol two years earlier (airline: trained on
1949-1956, origins 1957-01 ... 1958-01; temperatures: trained on 1981-1986, origins
from 1987-01-01) so that settings are chosen on the training years only, never on
the origins reported. ``--set name=value`` overrides a Forecaster argument (to
compare settings on the validation protocol).

The LSTM row is the median MAE over ``--seeds`` (each seed one fit); every seed's
MAE is printed. AutoARIMA refitted at every origin is printed too (``--refit``),
for reference: the issue's 17.4 on airline.

Run by hand, never by the test suite::

    python benchmarks/airline.py                              # airline, seeds 0-2
    python benchmarks/airline.py --dataset temperatures
    python benchmarks/airline.py --validation --set window_norm=last
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small per-step GEMMs: one BLAS thread is fastest

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

try:
    import lstmcast  # noqa: F401  (installed with pip install -e .)
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lstmcast import Forecaster, load_dataset  # noqa: E402
from lstmcast.forecast.scores.baselines import baseline_forecasts  # noqa: E402
from lstmcast.forecast.scores.metrics import mae  # noqa: E402
from lstmcast.forecast.scores.strong import statsforecast_installed, strong_forecasts  # noqa: E402


@dataclass(frozen=True)
class Protocol:
    """One fixed-origin protocol."""

    dataset: str  # bundled dataset name
    target: str  # column forecast
    first_origin: str  # date of the first origin; the models are fitted on the rows before it
    origins: int  # how many origins
    step: int  # rows between origins
    horizon: int  # steps forecast from each origin
    look_back: int  # Forecaster look_back
    season: int  # season of the seasonal baselines and the classical models


PROTOCOLS = {
    "airline": Protocol("airline", "Passengers", "1959-01-01", 13, 1, 12, 24, 12),
    "temperatures": Protocol("temperatures", "Temp", "1989-01-01", 104, 7, 7, 24, 7),
}
VALIDATION_FIRST_ORIGIN = {"airline": "1957-01-01", "temperatures": "1987-01-01"}


def protocol_rows(frame: pd.DataFrame, protocol: Protocol) -> tuple[np.ndarray, int]:
    """Origins (M,) as row numbers of ``frame``, and the row the models are fitted before."""
    first = int(frame.index.searchsorted(pd.Timestamp(protocol.first_origin)))
    origins = first + protocol.step * np.arange(protocol.origins)  # (M,)
    if origins[-1] + protocol.horizon > len(frame):
        raise SystemExit(f"{protocol.dataset}: the last origin has fewer than {protocol.horizon} rows after it")
    return origins, first


def lstm_mae(frame: pd.DataFrame, protocol: Protocol, origins: np.ndarray, fit_end: int, seed: int,
             overrides: dict) -> tuple[float, Forecaster, float]:
    """MAE of one seed's Forecaster over the protocol's origins, the fitted model and its seconds."""
    params = dict(look_back=protocol.look_back, horizon=protocol.horizon, seed=seed, verbose=False)
    params.update(overrides)
    started = time.perf_counter()
    fc = Forecaster(**params).fit(frame.iloc[:fit_end], target=protocol.target)
    seconds = time.perf_counter() - started
    forecasts = fc.predict(frame)  # one row per window, indexed by its first forecast date
    predicted = forecasts.loc[frame.index[origins]].to_numpy()  # (M, horizon)
    actual = frame[protocol.target].to_numpy()[origins[:, None] + np.arange(protocol.horizon)]  # (M, horizon)
    return mae(actual, predicted), fc, seconds


def refitted_arima(series: np.ndarray, origins: np.ndarray, horizon: int, season: int) -> np.ndarray:
    """AutoARIMA chosen and fitted anew on the rows before every origin (M, horizon)."""
    from statsforecast.models import AutoARIMA

    return np.stack([AutoARIMA(season_length=season).forecast(series[:o], h=horizon)["mean"] for o in origins])


def parse_value(text: str):
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return {"None": None, "True": True, "False": False}.get(text, text)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=sorted(PROTOCOLS), default="airline")
    parser.add_argument("--seeds", default="0,1,2", help="comma-separated (default: %(default)s)")
    parser.add_argument("--validation", action="store_true", help="the same protocol two years earlier")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a Forecaster argument, e.g. --set window_norm=last")
    parser.add_argument("--no-refit", dest="refit", action="store_false",
                        help="skip AutoARIMA refitted at every origin")
    args = parser.parse_args(argv)
    protocol = PROTOCOLS[args.dataset]
    if args.validation:
        protocol = Protocol(**{**protocol.__dict__, "first_origin": VALIDATION_FIRST_ORIGIN[args.dataset]})
    overrides = {}
    for item in args.set:
        name, _, value = item.partition("=")
        overrides[name] = parse_value(value)
    seeds = [int(s) for s in args.seeds.split(",")]

    frame = load_dataset(protocol.dataset)
    origins, fit_end = protocol_rows(frame, protocol)
    series = frame[protocol.target].to_numpy(np.float64)
    actual = series[origins[:, None] + np.arange(protocol.horizon)]  # (M, horizon)
    dates = frame.index
    print(f"{protocol.dataset}{' (validation years)' if args.validation else ''}: fitted on "
          f"{dates[0].date()} .. {dates[fit_end - 1].date()} ({fit_end} rows); {len(origins)} origins "
          f"{dates[origins[0]].date()} .. {dates[origins[-1]].date()} every {protocol.step} row(s); "
          f"h = {protocol.horizon}; MAE in the data's units")
    print(f"Forecaster(look_back={protocol.look_back}, horizon={protocol.horizon}"
          + "".join(f", {k}={v!r}" for k, v in overrides.items()) + "), seeds " + ", ".join(map(str, seeds)))

    rows = []
    per_seed = []
    for seed in seeds:
        score, fc, seconds = lstm_mae(frame, protocol, origins, fit_end, seed, overrides)
        per_seed.append(score)
        print(f"  seed {seed}: MAE {score:.3f} (window_norm {fc.window_norm_}, {fc.history_.epochs} epochs, "
              f"best {fc.history_.best_epoch}, {seconds:.0f} s)", flush=True)
    rows.append(("lstmcast (median over seeds)", float(np.median(per_seed))))
    for name, forecast in baseline_forecasts(series, origins, protocol.horizon, protocol.season).items():
        rows.append((name, mae(actual, forecast)))
    classical = strong_forecasts(series, fit_end, origins, protocol.horizon, protocol.season)
    for name, forecast in classical.forecasts.items():
        rows.append((f"{name} (fitted once)", mae(actual, forecast)))
    for name, why in classical.not_run.items():
        print(f"  {name} not run: {why}")
    if args.refit and statsforecast_installed():
        rows.append(("AutoARIMA (refitted at every origin)",
                     mae(actual, refitted_arima(series, origins, protocol.horizon, protocol.season))))

    width = max(len(name) for name, _ in rows)
    print()
    print(f"{'model'.ljust(width)} | MAE")
    print(f"{'-' * width}-+-------")
    best = min(score for _, score in rows)
    for name, score in rows:
        print(f"{name.ljust(width)} | {score:.3f}{'  <- lowest' if score == best else ''}")
    print()
    print("per-seed LSTM MAE: " + ", ".join(f"{s:.3f}" for s in per_seed))


if __name__ == "__main__":
    main()
