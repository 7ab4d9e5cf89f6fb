"""The M4 Hourly benchmark: forecast 48 hours of each of 414 series, scored as the M4 Competition did.

Protocol (Makridakis, Spiliotis & Assimakopoulos, IJF 2020): every method sees only
``M4-Hourly-train.csv`` (700 to 960 hours per series) and forecasts the next 48 hours,
which are scored against ``M4-Hourly-test.csv``: sMAPE, MASE (scaled by the in-sample
seasonal naive error, m = 24), OWA relative to Naive2, and for 95% intervals MSIS and
ACD.  The table prints each method beside its published row from
``../shared/data/published_tables.md``, then the other published rows.

A method is a function ``(history: Panel, horizon, season) -> Forecasts`` registered in
``METHODS``; the benchmarks here forecast each series on its own and run as independent
tasks (``--workers N`` / ``--scheduler tcp://HOST:PORT`` put them on a Dask cluster).
A model trained across all series is added as one more entry.

    python benchmarks/m4.py                      # every method, all 414 series (a few seconds)
    python benchmarks/m4.py --series 50          # the first 50 series
    python benchmarks/m4.py --workers 2          # the per-series tasks on a 2-process LocalCluster
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lstmcast import Forecaster  # noqa: E402
from lstmcast.data import Panel, read_panel, read_wide_pair  # noqa: E402
from lstmcast.forecast.scores.baselines import naive, naive2, naive_bounds, seasonal_naive  # noqa: E402
from lstmcast.forecast.scores.m4 import M4_HORIZONS, M4_SEASONS, m4_table  # noqa: E402
from lstmcast.parallel import TaskRunner  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
COVERAGE = 0.95
LOOK_BACK = 168
EPOCHS = 40


@dataclass
class Forecasts:
    """A method's forecasts of every series (rows in the panel's order), with 95% bounds when it has them."""

    point: np.ndarray  # (S, H)
    lower: np.ndarray | None = None  # (S, H)
    upper: np.ndarray | None = None  # (S, H)


def per_series(forecast_one: Callable[[np.ndarray, int, int], tuple]) -> Callable[..., Forecasts]:
    """A panel method from a one-series function ``(history, horizon, season) -> (point, lower, upper)``."""

    def method(history: Panel, horizon: int, season: int, runner: TaskRunner) -> Forecasts:
        items = {name: history.target_values(name) for name in history.ids}
        done = runner.run(_Task(forecast_one, horizon, season), items, label="series")
        done.raise_failures()
        rows = [done.results[name] for name in history.ids]
        point = np.stack([r[0] for r in rows])  # (S, H)
        if rows[0][1] is None:
            return Forecasts(point)
        return Forecasts(point, np.stack([r[1] for r in rows]), np.stack([r[2] for r in rows]))  # (S, H) each

    return method


@dataclass(frozen=True)
class _Task:
    """One series' forecast as a task (a picklable callable for the cluster)."""

    forecast_one: Callable
    horizon: int
    season: int

    def __call__(self, values: np.ndarray, seed: int) -> tuple:
        return self.forecast_one(values, self.horizon, self.season)


def naive_one(x, horizon, season):
    end = np.array([len(x)])
    lower, upper = naive_bounds(x, end, horizon, COVERAGE)
    return naive(x, end, horizon)[0], lower[0], upper[0]


def snaive_one(x, horizon, season):
    return seasonal_naive(x, np.array([len(x)]), horizon, season)[0], None, None


def naive2_one(x, horizon, season):
    return naive2(x, np.array([len(x)]), horizon, season)[0], None, None


LSTM_SETTINGS = dict(look_back=LOOK_BACK, horizon=48, patch=24, hidden_size=128, epochs=EPOCHS, batch_size=256,
                     lr=1e-3, window_norm="log_mean_std", loss="huber", val_fraction=0.07, patience=None, season=24,
                     seed=0)
"""The global LSTM's settings, chosen on the validation protocol (``--validation``): the last 48
hours of every training series held out, the test file never read."""


def global_lstm(ensemble: int = 1) -> Callable[..., Forecasts]:
    """One LSTM (or the mean of ``ensemble``) trained on windows of all series (the log of each window
    minus its mean, over its spread), 95% intervals conformal in network units on every series' last
    validation windows."""

    def method(history: Panel, horizon: int, season: int, runner: TaskRunner) -> Forecasts:
        model = Forecaster(**{**LSTM_SETTINGS, "horizon": horizon, "season": season, "ensemble": ensemble,
                              "verbose": True})
        model.fit(history)
        out = model.forecast(coverage=COVERAGE)
        rows = {name: part for name, part in out.groupby(history.id_column, sort=False)}
        point, lower, upper = (np.stack([rows[name][column].to_numpy() for name in history.ids])  # (S, H)
                               for column in ("forecast", "lower", "upper"))
        return Forecasts(point, lower, upper)

    return method


DEFAULT_OVERRIDES: dict = {}
"""``--set NAME=VALUE`` settings added to the defaults' row (to compare candidate defaults)."""


def _mean_weights(combinations: dict) -> str:
    """' (mean weights LSTM 0.41, MSTL 0.32, ...)' of a fit's per-series combinations; '' without."""
    if not combinations:
        return ""
    names = list(next(iter(combinations.values())))
    means = {name: np.mean([w.get(name, 0.0) for w in combinations.values()]) for name in names}
    return " (mean weights " + ", ".join(f"{name} {w:.2f}" for name, w in means.items()) + ")"


def default_lstm(history: Panel, horizon: int, season: int, runner: TaskRunner) -> Forecasts:
    """``Forecaster(look_back=168, horizon=48)`` with nothing else set: what a user gets by default
    (plus ``--set`` overrides)."""
    started = time.perf_counter()
    model = Forecaster(**{"look_back": LOOK_BACK, "horizon": horizon, "verbose": True, **DEFAULT_OVERRIDES})
    model.fit(history)
    out = model.forecast(coverage=COVERAGE)
    print(f"LSTM (defaults): {model.training_plan_}; window_norm {model.window_norm_}; "
          f"naive kept for {sum(w == 0 for w in model.naive_weights_.values())} of {len(model.naive_weights_)} "
          f"series; combine {model.combine_}{_mean_weights(model.combinations_)}; "
          f"fit and forecast {time.perf_counter() - started:.0f} s")
    rows = {name: part for name, part in out.groupby(history.id_column, sort=False)}
    point, lower, upper = (np.stack([rows[name][column].to_numpy() for name in history.ids])  # (S, H)
                           for column in ("forecast", "lower", "upper"))
    return Forecasts(point, lower, upper)


METHODS = {
    "Naive2": per_series(naive2_one),  # the reference of OWA: keep it first
    "sNaive": per_series(snaive_one),
    "Naive": per_series(naive_one),
    "LSTM": global_lstm(),
    "LSTM (defaults)": default_lstm,
}
"""Every method the benchmark can run, by the name printed."""


def held_out(history: Panel, horizon: int) -> tuple[Panel, Panel]:
    """Every series without its last ``horizon`` values, and those values: a validation split of the training file."""
    frame = history.frame
    from_end = frame.groupby(history.id_column, sort=False).cumcount(ascending=False)  # 0 = the last row
    return read_panel(frame[from_end >= horizon]), read_panel(frame[from_end < horizon])


def published_rows(path: Path) -> pd.DataFrame:
    """The M4 Hourly rows of ``published_tables.md``: sMAPE, MASE, OWA, and MSIS / ACD where given."""
    text = path.read_text()
    section = text[text.index("## M4 Competition, Hourly"):]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"\d+\.\d+", cells[1]):
            rows[cells[0]] = {"sMAPE": float(cells[1]), "MASE": float(cells[2]), "OWA": float(cells[3])}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table["MSIS"] = np.nan
    table["ACD"] = np.nan
    intervals = section[section.index("95% prediction intervals"):]
    for name, score, acd in re.findall(r"(\w[\w ]*?) (\d+\.\d+) / (\d+\.\d+)", intervals):
        match = [row for row in table.index if row.split()[0].rstrip(",") == name.split()[-1]]
        key = match[0] if match else f"{name.split()[-1]} (intervals only)"
        table.loc[key, ["MSIS", "ACD"]] = float(score), float(acd)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="folder holding M4-Hourly-train.csv and -test.csv")
    parser.add_argument("--series", type=int, default=None, help="use the first N series only")
    parser.add_argument("--methods", default=",".join(METHODS), help=f"comma-separated, from {', '.join(METHODS)}")
    parser.add_argument("--workers", type=int, default=None,
                        help="run per-series tasks on a LocalCluster of N processes")
    parser.add_argument("--scheduler", default=None, help="run per-series tasks on the cluster at tcp://HOST:PORT")
    parser.add_argument("--ensemble", type=int, default=1, help="networks averaged in the global LSTM (default 1)")
    parser.add_argument("--validation", action="store_true",
                        help="the protocol settings are chosen on: hold out the last 48 hours of every training "
                        "series and score on them (the test file is not read)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a Forecaster setting for the defaults' row (a Python literal), repeatable")
    args = parser.parse_args()
    for item in args.set:
        name, _, value = item.partition("=")
        DEFAULT_OVERRIDES[name] = ast.literal_eval(value)
    methods = {**METHODS, "LSTM": global_lstm(args.ensemble)}
    names = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = [m for m in names if m not in METHODS]
    if unknown or "Naive2" not in names:
        parser.error(f"--methods must include Naive2 (OWA is relative to it) and name only {', '.join(METHODS)}")
    history, future = read_wide_pair(args.data / "M4-Hourly-train.csv", args.data / "M4-Hourly-test.csv")
    if args.series is not None:
        history, future = history.select(history.ids[: args.series]), future.select(history.ids[: args.series])
    if args.validation:
        history, future = held_out(history, M4_HORIZONS["Hourly"])
    horizon, season = M4_HORIZONS["Hourly"], M4_SEASONS["Hourly"]
    histories = [history.target_values(name) for name in history.ids]
    actual = np.stack([future.target_values(name)[:horizon] for name in history.ids])  # (S, H)

    results, seconds = {}, {}
    with TaskRunner(workers=args.workers, scheduler=args.scheduler, progress=True) as runner:
        for name in names:
            started = time.perf_counter()
            results[name] = methods[name](history, horizon, season, runner)
            seconds[name] = time.perf_counter() - started
    forecasts = {name: r.point for name, r in results.items()}
    bands = {name: (r.lower, r.upper) for name, r in results.items() if r.lower is not None}
    ours = m4_table(actual, forecasts, histories, season, bands=bands, coverage=COVERAGE)
    ours["seconds"] = pd.Series(seconds)

    published = published_rows(args.data / "published_tables.md")
    print(f"\nM4 Hourly: {len(history)} series, horizon {horizon}, m = {season}; "
          f"OWA relative to Naive2 on these series\n")
    shown = []
    for name, row in ours.iterrows():
        match = [p for p in published.index if p.split()[0] == name]
        shown.append(pd.Series(row, name=f"{name} (lstmcast)"))
        if match and args.series is None and not args.validation:
            shown.append(pd.Series(published.loc[match[0]], name=f"{name} (published)"))
    print(pd.DataFrame(shown).to_string(float_format=lambda v: f"{v:.3f}", na_rep="-"))
    if args.validation:
        print("\n(validation: the last 48 hours of each training series; published rows are on the test file)")
    elif args.series is None:
        print("\nOther published M4 Hourly rows:\n")
        others = [p for p in published.index if p.split()[0] not in ours.index]
        print(published.loc[others].to_string(float_format=lambda v: f"{v:.3f}", na_rep="-"))
    else:
        print("\n(published rows are over all 414 series: not shown beside a subset)")
    print(f"\nseconds: wall time of each method's fit and forecast; load average {os.getloadavg()[0]:.2f}, "
          f"{os.cpu_count()} cores")


if __name__ == "__main__":
    main()
