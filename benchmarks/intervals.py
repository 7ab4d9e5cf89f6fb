"""Intervals you can bet on, and no harm on a random walk: the measurements behind the defaults.

Parts (``--part``, default all but ``etth1``):

``gamma``
    The ACI step size and window, chosen on walk-forward periods that no reported
    figure uses: Apple's close in three one-year backtests from Feb 2019 to Feb 2022,
    and Melbourne's temperatures over 1987-1988 (90% intervals).
``noharm``
    ``no_harm`` = none / select / shrink in walk-forward backtests of ten simulated
    random walks with drift (nothing to learn) and six AR(1) series (a real signal).
``readme``
    The README's Apple and temperature backtests with every interval method: split,
    rolling, aci (the default), Monte-Carlo dropout (dropout 0.2, 30 passes, raw
    Gaussian ± z·σ and conformal in units of σ) and quantile forecasts (raw 5%-95%
    band and conformalised).
``etth1``
    ETTh1 (OT, h = 24, the standard 12/4/4-month split): 95% intervals of the
    Forecaster and of the naive forecast, ACD and MSIS over every test window.

Run by hand, never by the test suite::

    python benchmarks/intervals.py                  # gamma, noharm, readme: about 10 minutes on 2 busy cores
    python benchmarks/intervals.py --part etth1     # about 2 minutes
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

try:
    import lstmcast  # noqa: F401
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lstmcast import Forecaster, load_dataset  # noqa: E402
from lstmcast.forecast.intervals import conformal  # noqa: E402
from lstmcast.forecast.intervals.conformal import IntervalCalibration, conformity_scores, online_thresholds  # noqa: E402
from lstmcast.forecast.intervals.interval_metrics import interval_table  # noqa: E402

ETTH1 = Path(__file__).resolve().parents[2] / "shared" / "data" / "ETTh1.csv"
CLI = dict(look_back=30, horizon=1, hidden_size=32, epochs=30, patience=5, verbose=False,  # `lstmcast backtest`
           combine="none")  # the LSTM's own intervals (combine=None would combine it with the classical models)
APPLE = dict(target="Close", features=["Volume", "HighLow"], refit_every=63)
NORMAL_Z = {0.9: 1.6448536, 0.95: 1.9599640}


def show(frame: pd.DataFrame, title: str) -> None:
    print(f"\n{title}\n{frame.to_string(float_format=lambda v: f'{v:.4g}')}", flush=True)


def part_gamma() -> None:
    apple, temps = load_dataset("apple"), load_dataset("temperatures")
    periods = [(f"Apple {y}", apple, dict(CLI, target_transform="diff"),
                dict(APPLE, start=f"{y}-02-10", end=f"{y + 1}-02-10")) for y in (2019, 2020, 2021)]
    periods.append(("temps 1987-88", temps, CLI, dict(target="Temp", start=0.6, end=0.8, refit_every=180)))
    rows = []
    defaults = IntervalCalibration.__init__.__defaults__
    try:
        for gamma in (0.005, 0.01, 0.02, 0.05):
            for window in (100, 250):
                IntervalCalibration.__init__.__defaults__ = ("aci", window, gamma)
                row = {"gamma": gamma, "window": window}
                for name, data, model, walk in periods:
                    result = Forecaster(**model, interval_window=window).backtest(data, **walk, coverage=0.9)
                    row[f"{name} cov"] = result.coverage
                    row[f"{name} Winkler"] = result.intervals.iloc[0]["Winkler"]
                rows.append(row)
    finally:
        IntervalCalibration.__init__.__defaults__ = defaults
    show(pd.DataFrame(rows), f"ACI step size and window, 90% intervals (default gamma {conformal.DEFAULT_GAMMA})")


def simulated(kind: str, seed: int, n: int = 1200) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    shocks = rng.standard_normal(n)
    if kind == "random walk":
        y = 100 + np.cumsum(0.05 + shocks)
    else:
        y = np.empty(n)
        y[0] = 0.0
        for t in range(1, n):
            y[t] = 0.6 * y[t - 1] + shocks[t]
        y += 50
    return pd.DataFrame({"y": y}, index=pd.date_range("2015-01-01", periods=n, freq="D"))


def part_noharm() -> None:
    rows = []
    for kind, seeds in (("random walk", range(10)), ("AR(1)", range(6))):
        for seed in seeds:
            row = {"series": kind, "seed": seed}
            for mode in ("none", "select", "shrink"):
                result = Forecaster(**CLI, no_harm=mode).backtest(simulated(kind, seed), target="y", start=-400,
                                                                  refit_every=100, coverage=None)
                row[mode] = result.metrics.loc["LSTM", "MAE"] / result.metrics.loc["naive", "MAE"]
            rows.append(row)
    table = pd.DataFrame(rows)
    show(table, "LSTM MAE / naive MAE, walk-forward, 400 origins, refit every 100 rows")
    show(table.groupby("series")[["none", "select", "shrink"]].agg(["mean", "max"]), "summary")


def raw_band(result, lower, upper) -> tuple[float, float]:
    f = result.forecasts
    inside = (lower <= f["actual"]) & (f["actual"] <= upper)
    return float(inside.mean()), float(np.mean(upper - lower))


def part_readme() -> None:
    """The README's two backtests with every interval method (the classical rows left out: they
    do not change the intervals, and on the temperatures they take minutes a run)."""
    runs = [("Apple", load_dataset("apple"), dict(CLI, target_transform="diff"), dict(APPLE, start="2022-02-10")),
            ("temperatures", load_dataset("temperatures"), CLI, dict(target="Temp", start=0.8, refit_every=180))]
    for name, data, model, walk in runs:
        rows = {}
        for method in ("split", "rolling", "aci"):
            result = Forecaster(**model, interval_method=method).backtest(data, **walk, coverage=0.9,
                                                                          strong=False)
            rows[method] = result.intervals.loc[method]
            mae = result.metrics["MAE"]
            print(f"{name} {method}: LSTM MAE {mae['LSTM']:.4f}, naive {mae['naive']:.4f}; {result.verdict}")
        mc = Forecaster(**dict(model, dropout=0.2), mc_passes=30, no_harm="none")
        result = mc.backtest(data, **walk, coverage=0.9, strong=False)
        rows["MC dropout + aci"] = result.intervals.loc["aci"]
        sigma = _mc_sigma(mc, data, walk, result)
        z = NORMAL_Z[0.9]
        f = result.forecasts
        cov, width = raw_band(result, f["forecast"] - z * sigma, f["forecast"] + z * sigma)
        rows["MC dropout raw ±1.645σ"] = pd.Series({"coverage": cov, "ACD": abs(cov - 0.9), "width": width})
        quant = Forecaster(**model, loss="quantile", quantiles=(0.05, 0.5, 0.95), no_harm="none")
        result = quant.backtest(data, **walk, coverage=0.9, strong=False)
        rows["quantile + aci (CQR)"] = result.intervals.loc["aci"]
        rows["quantile + split (CQR)"] = result.intervals.loc["split"]
        print(f"{name} quantile model: pinball {result.pinball:.4g}; MAE {result.metrics.loc['LSTM', 'MAE']:.4f}")
        show(pd.DataFrame(rows).T, f"{name}: 90% intervals over the README backtest")


def _mc_sigma(model, data, walk, result) -> np.ndarray:
    """The Monte-Carlo spread of each backtest forecast: refit as the backtest did and ask the band."""
    from lstmcast.data.features import read_with_features
    from lstmcast.forecast.intervals.uncertainty import band_at

    table = read_with_features(data, walk.get("target"), walk.get("features"), None, None, None)
    sigma = np.empty(len(result.forecasts))
    dates = table.dates
    origins = np.flatnonzero(dates.isin(result.forecasts["origin"]))
    for k, fit in result.fits.iterrows():
        rows = int(fit["rows"])
        fitted = Forecaster(**model.get_params()).fit(table.frame.iloc[:rows], target=table.target,
                                                      features=list(table.features), freq=table.freq)
        end = result.fits["rows"].iloc[k + 1] if k + 1 < len(result.fits) else np.inf
        served = (origins >= rows) & (origins < end)
        band = band_at(fitted, table.values, origins[served], 0.9)
        sigma[np.flatnonzero(served)] = band.scale[:, 0] if band.scale.ndim == 2 else band.scale
    return sigma


def part_etth1(epochs: int) -> None:
    frame = pd.read_csv(ETTH1, parse_dates=["date"], index_col="date")[["OT"]].iloc[:14400]
    started = time.perf_counter()
    fc = Forecaster(look_back=96, horizon=24, hidden_size=32, epochs=epochs, patience=5, batch_size=64,
                    val_fraction=0.25, verbose=False, combine="none")  # train [0, 8640), validation [8640, 11520)
    fc.fit(frame.iloc[:11520], target="OT")
    rows = {}
    for method in ("aci", "rolling", "split"):
        fc.interval_method = method
        table = fc.evaluate(frame, start=11520, coverage=0.95)
        rows[f"LSTM + {method}"] = table.attrs["intervals"].loc[method]
        if method == "aci":
            by_step = table.attrs["by_step"]
            print(table.to_string(float_format=lambda v: f"{v:.4g}"))
            print(table.attrs["verdict"], f"({fc.history_.epochs} epochs, {time.perf_counter() - started:.0f} s)")
    y = frame["OT"].to_numpy()
    val = np.arange(8640, 11520 - 23)
    test = np.arange(11520, 14400 - 23)
    steps = np.arange(24)
    naive_val, naive_test = y[val - 1, None] + 0 * steps, y[test - 1, None] + 0 * steps  # (n, 24)
    actual_val, actual_test = y[val[:, None] + steps], y[test[:, None] + steps]
    calibration = conformity_scores(actual_val, naive_val, naive_val)
    scores = conformity_scores(actual_test, naive_test, naive_test)
    for method in ("aci", "split"):
        thresholds, _ = online_thresholds(calibration, scores, test, IntervalCalibration(0.95, method))
        rows[f"naive + {method}"] = interval_table(actual_test, {method: (naive_test - thresholds,
                                                                          naive_test + thresholds)},
                                                   0.95, y[:8640], season=24).loc[method]
    show(pd.DataFrame(rows).T, "ETTh1 OT, h = 24, 95% intervals over every test window (MSIS scaled by the "
                               "training rows' seasonal (24 h) naive error)")
    show(by_step.T, "LSTM + aci: coverage and width by step")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=["gamma", "noharm", "readme", "etth1", "all"], action="append")
    parser.add_argument("--epochs", type=int, default=30, help="ETTh1: maximum epochs (default: %(default)s)")
    args = parser.parse_args()
    parts = args.part or ["gamma", "noharm", "readme"]
    if "all" in parts:
        parts = ["gamma", "noharm", "readme", "etth1"]
    for part in parts:
        started = time.perf_counter()
        {"gamma": part_gamma, "noharm": part_noharm, "readme": part_readme,
         "etth1": lambda: part_etth1(args.epochs)}[part]()
        print(f"[{part}: {time.perf_counter() - started:.0f} s]", flush=True)


if __name__ == "__main__":
    main()
