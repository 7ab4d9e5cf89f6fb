"""Scale-out: one LSTM per series for the first M4 Hourly series, here and on 1 and 2 Dask workers.

Each series is an independent task (``lstmcast.parallel``): a Forecaster fitted on the
series' training hours and its 48-hour forecast.  The script runs the same tasks
one after another in this process, then on a LocalCluster of 1 and of 2 worker
processes, and prints series per second for each and whether every forecast equals
the one made here, bit for bit (each task is seeded from its series id, and every task
runs the LSTM kernels on one thread wherever it runs).

Before timing, each runner does one small warm-up round, so that starting the cluster
and loading the compiled kernels in each worker are not counted.  Run it on a quiet
machine with at least as many cores as workers.

The single-series Forecaster takes dated data, so each series' integer steps are dated
hourly from 2000-01-01 00:00 (M4 gives no dates); only the values matter to the model.

    python benchmarks/scaleout.py                           # 100 series, 1 and 2 workers
    python benchmarks/scaleout.py --series 6 --epochs 2     # a quick check that the numbers agree
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lstmcast import Forecaster  # noqa: E402
from lstmcast.data import read_wide  # noqa: E402
from lstmcast.parallel import TaskRunner  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
HORIZON = 48


@dataclass(frozen=True)
class FitOne:
    """Fit one series and forecast it: the task each worker runs."""

    epochs: int
    hidden_size: int

    def __call__(self, values: np.ndarray, seed: int) -> np.ndarray:
        dates = pd.date_range("2000-01-01", periods=len(values), freq="h")
        frame = pd.DataFrame({"y": values}, index=dates)
        model = Forecaster(look_back=HORIZON, horizon=HORIZON, hidden_size=self.hidden_size, epochs=self.epochs,
                           patience=None, seed=seed, verbose=False)
        return model.fit(frame, target="y").forecast()["y"].to_numpy()  # (H,)


def timed(runner: TaskRunner, task: FitOne, items: dict, warmup: dict) -> tuple[dict, float]:
    runner.run(task, warmup, label="warm-up")
    start = time.perf_counter()
    done = runner.run(task, items, seed=0, label="series")
    seconds = time.perf_counter() - start
    done.raise_failures()
    return done.results, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="folder holding M4-Hourly-train.csv")
    parser.add_argument("--series", type=int, default=100, help="how many series, from the first")
    parser.add_argument("--epochs", type=int, default=20, help="epochs per series (no early stopping)")
    parser.add_argument("--hidden-size", type=int, default=32)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts to compare")
    args = parser.parse_args()
    history = read_wide(args.data / "M4-Hourly-train.csv")
    ids = history.ids[: args.series]
    items = {name: history.target_values(name) for name in ids}
    warmup = {name: items[name] for name in ids[:2]}
    task = FitOne(epochs=args.epochs, hidden_size=args.hidden_size)

    rows = []
    with TaskRunner(progress=True) as here:
        reference, seconds = timed(here, task, items, warmup)
    rows.append(("here (1 process)", seconds, True))
    for workers in (int(w) for w in args.workers.split(",")):
        with TaskRunner(workers=workers, progress=True) as runner:
            results, seconds = timed(runner, task, items, warmup)
        same = all(np.array_equal(results[name], reference[name]) for name in ids)
        rows.append((f"{workers} worker{'s' if workers > 1 else ''}", seconds, same))

    print(f"\nLocal models for {len(ids)} M4 Hourly series ({args.epochs} epochs, hidden {args.hidden_size}):\n")
    print(f"{'where':<18} {'seconds':>8} {'series/s':>9}  same forecasts as here")
    for where, seconds, same in rows:
        print(f"{where:<18} {seconds:8.1f} {len(ids) / seconds:9.2f}  {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
