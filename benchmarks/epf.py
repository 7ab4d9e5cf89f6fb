"""Day-ahead electricity prices (epftoolbox's BE and DE markets): lstmcast with and without the day-ahead covariates.

The protocol (Lago et al. 2021, the epftoolbox benchmark, as NBEATSx reports it):

- the last 728 days are the test period (BE 2015-01-04 .. 2016-12-31, DE 2016-01-04 .. 2017-12-31);
- each test day's 24 hourly prices are forecast from its 00:00 origin, reading only the rows before it,
  with that day's two day-ahead forecasts (generation or load, and load or wind and solar) known;
- one fit on every row before the test period (``--refit-every N``: refit every N days instead);
- MAE, rMAE, sMAPE (percent) and RMSE over the 728 x 24 test hours. rMAE divides by the naive forecast
  that repeats the previous day for Tuesday to Friday and the previous week for Saturday to Monday.

The model is the library's ``Forecaster(look_back=168, horizon=24)`` with every other setting at its
default, through the public API: ``fit(train, target="Price", future_features=[...])``, then ``predict`` on
the whole table, which reads each origin's known values from the table's rows. The rows "without" read no
covariates; "with" reads the two day-ahead columns; ``--calendar`` adds hour and weekday.

Published rows (``shared/data/README.md``; ensembles with daily recalibration) are printed beside.
``--panel`` also fits one global model on both markets as a panel (the two covariates under common
names, a static ``market`` attribute), each market cut at its own test period.

Run by hand, never by the test suite::

    python benchmarks/epf.py                       # BE and DE, without and with the covariates
    python benchmarks/epf.py --markets BE --runs with
    python benchmarks/epf.py --runs with --panel   # and one global model on both markets as a panel
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from lstmcast import Forecaster  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
TEST_DAYS = 728
VALIDATION_DAYS = 364
"""``--validation``: the protocol on the year before the test period, fitted on the rows before that year
(what settings are chosen on; the test period is never read)."""
PUBLISHED = {  # MAE, sMAPE: cchallu/nbeatsx README at 8100420 (shared/data/README.md)
    "BE": {"AR": (7.20, 16.26), "ESRNN": (6.96, 15.84), "NBEATS": (6.84, 15.80), "ARX": (7.19, 16.11),
           "LEAR": (6.14, 14.55), "DNN": (5.87, 13.45), "NBEATSx-G": (5.96, 13.86), "NBEATSx-I": (6.11, 14.02)},
    "DE": {"AR": (5.74, 21.37), "ESRNN": (5.60, 20.97), "NBEATS": (5.31, 19.61), "ARX": (4.36, 17.73),
           "LEAR": (3.96, 15.75), "DNN": (3.41, 14.08), "NBEATSx-G": (3.31, 13.99), "NBEATSx-I": (3.29, 13.99)},
}


def read_market(market: str) -> pd.DataFrame:
    frame = pd.read_csv(DATA / f"EPF-{market}.csv", parse_dates=["Date"])
    if len(frame) % 24:
        raise SystemExit(f"EPF-{market}.csv: {len(frame)} rows, not whole days")
    return frame


def scores(actual: np.ndarray, forecast: np.ndarray, naive: np.ndarray) -> dict[str, float]:
    """MAE, rMAE, sMAPE (percent) and RMSE over (days, 24) arrays."""
    error = np.abs(actual - forecast)
    return {"MAE": error.mean(), "rMAE": error.mean() / np.abs(actual - naive).mean(),
            "sMAPE": 100 * np.mean(2 * error / (np.abs(actual) + np.abs(forecast))),
            "RMSE": np.sqrt(np.mean(error ** 2))}


def naive_forecast(prices: np.ndarray, days: pd.DatetimeIndex, first: int) -> np.ndarray:
    """(days, 24): the previous day for Tuesday-Friday, the previous week for Saturday-Monday."""
    daily = prices.reshape(-1, 24)  # (all days, 24)
    index = np.arange(first, first + len(days))
    lag = np.where(np.isin(days.dayofweek, [5, 6, 0]), 7, 1)
    return daily[index - lag]


def run(market: str, covariates: list[str], refit_every: int | None, seed: int, settings: dict,
        validation: bool = False) -> tuple[dict, float, str]:
    frame = read_market(market)
    if validation:  # the 364 days before the test period play its part: nothing of the test period is read
        frame = frame.iloc[: len(frame) - TEST_DAYS * 24].reset_index(drop=True)
    covariate_names = [c for c in frame.columns if c not in ("Date", "Price")]
    future = [*(covariate_names if "with" in covariates else []), *(["hour", "dayofweek"] if "calendar" in covariates else [])]
    n_days = len(frame) // 24
    test_days = VALIDATION_DAYS if validation else TEST_DAYS
    first_test = n_days - test_days
    prices = frame["Price"].to_numpy(np.float64)
    started = time.perf_counter()
    forecasts, plan = [], ""
    refit = refit_every or test_days
    for block in range(0, test_days, refit):
        cut = (first_test + block) * 24
        fc = Forecaster(**{"look_back": 168, "horizon": 24, "seed": seed, "verbose": False, **settings})
        fc.fit(frame.iloc[:cut], target="Price", date_column="Date", future_features=future or None)
        plan = fc.training_plan_
        days = min(refit, test_days - block)
        rows = frame.iloc[cut - 168 : cut + days * 24]  # the look-back before the block, and the block
        predicted = fc.predict(rows)  # one row per origin, indexed by its first forecast time
        at_midnight = predicted[predicted.index.hour == 0]
        forecasts.append(at_midnight.to_numpy()[:days])  # (days, 24)
    seconds = time.perf_counter() - started
    forecast = np.concatenate(forecasts)  # (test days, 24)
    actual = prices[first_test * 24 :].reshape(-1, 24)  # (test days, 24)
    days = pd.DatetimeIndex(frame["Date"].iloc[first_test * 24 :: 24])
    return scores(actual, forecast, naive_forecast(prices, days, first_test)), seconds, plan


def run_panel(markets: list[str], seed: int, settings: dict, validation: bool = False) -> tuple[dict, float, str]:
    """One global model on the markets as a panel (their two covariates under common names, each market's
    static attribute its name), each series fitted on its rows before its own test period."""
    frames, cut_rows = [], {}
    for market in markets:
        frame = read_market(market)
        if validation:
            frame = frame.iloc[: len(frame) - TEST_DAYS * 24]
        names = [c for c in frame.columns if c not in ("Date", "Price")]
        frame = frame.rename(columns={names[0]: "day-ahead 1", names[1]: "day-ahead 2"})
        frame.insert(0, "market", market)
        frame.insert(0, "unique_id", market)
        frames.append(frame.rename(columns={"Date": "ds", "Price": "y"}))
        cut_rows[market] = len(frame) - (VALIDATION_DAYS if validation else TEST_DAYS) * 24
    started = time.perf_counter()
    train = pd.concat([f.iloc[: cut_rows[f["unique_id"].iloc[0]]] for f in frames], ignore_index=True)
    fc = Forecaster(**{"look_back": 168, "horizon": 24, "seed": seed, "verbose": False, **settings})
    fc.fit(train, future_features=["day-ahead 1", "day-ahead 2"], static_features=["market"])
    tests = pd.concat([f.iloc[cut_rows[f["unique_id"].iloc[0]] - 168 :] for f in frames], ignore_index=True)
    predicted = fc.predict(tests)
    seconds = time.perf_counter() - started
    results = {}
    for frame in frames:
        market = frame["unique_id"].iloc[0]
        rows = predicted[(predicted["unique_id"] == market) & (predicted["ds"].dt.hour == 0)]
        forecast = rows.filter(like="t+").to_numpy()  # (test days, 24)
        prices = frame["y"].to_numpy(np.float64)
        first = cut_rows[market] // 24
        actual = prices[first * 24 :].reshape(-1, 24)
        days = pd.DatetimeIndex(frame["ds"].iloc[first * 24 :: 24])
        results[market] = scores(actual, forecast[: len(actual)], naive_forecast(prices, days, first))
    return results, seconds, fc.training_plan_


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markets", nargs="+", default=["BE", "DE"], choices=["BE", "DE"])
    parser.add_argument("--runs", nargs="+", default=["without", "with"], choices=["without", "with", "calendar"],
                        help="without: no covariates; with: the two day-ahead columns; calendar: with, plus hour and weekday")
    parser.add_argument("--refit-every", type=int, default=None, help="days between refits (default: one fit)")
    parser.add_argument("--panel", action="store_true",
                        help="also fit one global model on the markets as a panel, with a static market attribute")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--validation", action="store_true",
                        help="score the 364 days before the test period instead, fitted on the rows before them")
    parser.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE",
                        help="Forecaster settings other than the defaults, e.g. loss=huber window_norm=none")
    parser.add_argument("--decoder", choices=["step", "horizon", "sequence"], default=None,
                        help="how the horizon's known values reach the output (lstmcast.forecast.training.network."
                        "DECODER): an MLP per step over its own (step) or over every step's (horizon), or an LSTM "
                        "over the steps (sequence); default: the library's")
    parser.add_argument("--static-state", choices=["on", "off"], default=None,
                        help="whether the panel's static market attribute also sets the encoder's initial state "
                        "(lstmcast.forecast.training.network.STATIC_STATE); default: the library's")
    parser.add_argument("--calendar-encoding", choices=["cyclic", "onehot"], default=None,
                        help="how calendar features are encoded (lstmcast.data.calendar.ENCODING): sine/cosine pairs, "
                        "or a 0/1 column per value (an embedding); default: the library's")
    args = parser.parse_args()
    if args.calendar_encoding is not None:
        from lstmcast.data import calendar

        calendar.ENCODING = args.calendar_encoding
    if args.decoder is not None:
        from lstmcast.forecast.training import network

        network.DECODER = args.decoder
    if args.static_state is not None:
        from lstmcast.forecast.training import network

        network.STATIC_STATE = args.static_state == "on"
    settings = {}
    for item in args.set:
        name, _, value = item.partition("=")
        settings[name] = int(value) if value.lstrip("-").isdigit() else float(value) if value.replace(".", "", 1).isdigit() else value
    print(f"epf.py on {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f} at the start")
    for market in args.markets:
        part = f"{VALIDATION_DAYS} validation days before the test period" if args.validation else f"{TEST_DAYS} test days"
        print(f"\n{market}: {part}, 24 hours each, from 00:00 origins{' ' + str(settings) if settings else ''}"
              f"{'' if args.refit_every is None else f', refit every {args.refit_every} days'}")
        print(f"{'model':<34} {'MAE':>7} {'rMAE':>6} {'sMAPE':>7} {'RMSE':>7} {'seconds':>8}")
        for name in args.runs:
            covariates = {"without": [], "with": ["with"], "calendar": ["with", "calendar"]}[name]
            result, seconds, plan = run(market, covariates, args.refit_every, args.seed, settings, args.validation)
            label = {"without": "lstmcast, no covariates", "with": "lstmcast, day-ahead covariates",
                     "calendar": "lstmcast, covariates + calendar"}[name]
            print(f"{label:<34} {result['MAE']:7.3f} {result['rMAE']:6.3f} {result['sMAPE']:7.2f} "
                  f"{result['RMSE']:7.3f} {seconds:8.0f}   ({plan})")
        for model, (mae, smape) in ({} if args.validation else PUBLISHED[market]).items():
            print(f"{'published ' + model:<34} {mae:7.2f} {'':>6} {smape:7.2f}")
    if args.panel:
        results, seconds, plan = run_panel(args.markets, args.seed, settings, args.validation)
        print(f"\none global model on {' and '.join(args.markets)} as a panel, day-ahead covariates and a static "
              f"market attribute ({seconds:.0f} s, {plan})")
        for market, result in results.items():
            print(f"{market:<34} {result['MAE']:7.3f} {result['rMAE']:6.3f} {result['sMAPE']:7.2f} {result['RMSE']:7.3f}")
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
