"""Scale-out: one LSTM per series for the first M4 Hourly series, here and on 1 and 2 Dask workers.

Each series is an independent task: ``Forecaster(mode="local").fit(panel, client=...)``
fits one model per series (:mod:`lstmcast.parallel` runs the fits), and ``forecast()``
gives every series' next 48 hours.  The script fits the same panel one series after
another in this process, then on a LocalCluster of 1 and of 2 worker processes, and
prints series per second for each and whether every forecast equals the one made
here, bit for bit (each fit is seeded from its series id, and every fit runs the LSTM
kernels on one thread wherever it runs).

Before timing, each runner fits two series once, so that starting the cluster and
loading the compiled kernels in each worker are not counted.  Run it on a quiet
machine with at least as many cores as workers; the load average is printed.

    python benchmarks/scaleout.py                           # 100 series, 1 and 2 workers
    python benchmarks/scaleout.py --series 6 --epochs 2     # a quick check that the numbers agree
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lstmcast import Forecaster  # noqa: E402
from lstmcast.data import read_wide  # noqa: E402
from lstmcast.parallel import TaskRunner  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
HORIZON = 48


def fit_and_forecast(panel, runner: TaskRunner, epochs: int, hidden_size: int) -> tuple[pd.DataFrame, float]:
    """Fit one model per series on ``runner``; the long forecast and the seconds the fits took."""
    model = Forecaster(look_back=HORIZON, horizon=HORIZON, hidden_size=hidden_size, epochs=epochs, patience=None,
                       mode="local", season=24, verbose=False, seed=0, combine="none")
    started = time.perf_counter()
    model.fit(panel, client=runner)
    seconds = time.perf_counter() - started
    return model.forecast(), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="folder holding M4-Hourly-train.csv")
    parser.add_argument("--series", type=int, default=100, help="how many series, from the first")
    parser.add_argument("--epochs", type=int, default=20, help="epochs per series (no early stopping)")
    parser.add_argument("--hidden-size", type=int, default=32)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts to compare")
    args = parser.parse_args()
    history = read_wide(args.data / "M4-Hourly-train.csv")
    panel = history.select(history.ids[: args.series])
    warmup = history.select(history.ids[:2])

    rows = []
    with TaskRunner(progress=True) as here:
        fit_and_forecast(warmup, here, 1, args.hidden_size)
        reference, seconds = fit_and_forecast(panel, here, args.epochs, args.hidden_size)
    rows.append(("here (1 process)", seconds, True))
    for workers in (int(w) for w in args.workers.split(",")):
        with TaskRunner(workers=workers, progress=True) as runner:
            fit_and_forecast(warmup, runner, 1, args.hidden_size)
            forecast, seconds = fit_and_forecast(panel, runner, args.epochs, args.hidden_size)
        same = forecast.equals(reference)
        rows.append((f"{workers} worker{'s' if workers > 1 else ''}", seconds, same))

    print(f"\nLocal models for {len(panel)} M4 Hourly series ({args.epochs} epochs, hidden {args.hidden_size}, "
          f"look-back and horizon {HORIZON}):\n")
    print(f"{'where':<18} {'seconds':>8} {'series/s':>9}  same forecasts as here")
    for where, seconds, same in rows:
        print(f"{where:<18} {seconds:8.1f} {len(panel) / seconds:9.2f}  {'yes' if same else 'NO'}")
    print(f"\nload average {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
