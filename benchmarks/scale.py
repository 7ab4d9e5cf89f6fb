"""Scale: a global model on 1,000, 10,000 and 100,000 hourly series on one machine.

Each series has 240 hourly values: a daily cycle of its own phase and depth, noise, and a level
drawn over four orders of magnitude. The last 12 hours of every series are held out; the model
is fitted on the rest (look_back 48, horizon 12, hidden 32, 1,000 steps of 512 windows, season 24:
the settings of the issue that asked for this) and forecasts them. Printed per size: the seconds
to build the long DataFrame is left out; fit seconds (reading the table, training, the no-harm
weights), forecast seconds, the peak resident memory of the process so far, and the sMAPE of
the LSTM and of the seasonal naive forecast on the held-out hours. Run one size per process
(``--series N``) for a clean peak; the default runs 1k and 10k in this process.

    python benchmarks/scale.py                    # 1k and 10k series
    python benchmarks/scale.py --series 100000    # the 24-million-row case
    python benchmarks/scale.py --workers 1,2      # and the forecast step on local Dask clusters
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lstmcast import Forecaster  # noqa: E402
from lstmcast.forecast.scores.metrics import smape  # noqa: E402
from lstmcast.parallel import TaskRunner  # noqa: E402

HOURS, HORIZON, SEASON = 240, 12, 24
SETTINGS = dict(look_back=48, horizon=HORIZON, hidden_size=32, max_steps=1000, batch_size=512, season=SEASON,
                verbose=False, combine="none")  # the LSTM at scale (past 2,000 series combine=None skips combining)


def synthetic_panel(n_series: int, seed: int = 0) -> pd.DataFrame:
    """``n_series`` hourly series of :data:`HOURS` values as a long table (unique_id, ds, y)."""
    rng = np.random.default_rng(seed)
    t = np.arange(HOURS)
    level = 10.0 ** rng.uniform(0, 4, n_series)  # (S,) from 1 to 10,000
    depth = rng.uniform(0.1, 0.5, n_series)  # (S,)
    phase = rng.uniform(0, 2 * np.pi, n_series)  # (S,)
    noise = rng.uniform(0.02, 0.1, n_series)  # (S,)
    cycle = 1 + depth[:, None] * np.sin(2 * np.pi * t[None, :] / SEASON + phase[:, None])  # (S, T)
    y = level[:, None] * cycle * (1 + noise[:, None] * rng.standard_normal((n_series, HOURS)))  # (S, T)
    starts = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 24 * 30, n_series), unit="h")  # (S,)
    ds = (starts.to_numpy()[:, None] + (t * np.timedelta64(1, "h"))[None, :]).ravel()  # (S * T,)
    ids = np.repeat(np.array([f"s{k:06d}" for k in range(n_series)], dtype=object), HOURS)
    return pd.DataFrame({"unique_id": ids, "ds": ds, "y": np.abs(y).ravel()})


def peak_mb() -> float:
    """The process's peak resident memory so far, MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(n_series: int, workers: tuple[int, ...] = ()) -> dict:
    frame = synthetic_panel(n_series)
    hour = frame.groupby("unique_id", sort=False).cumcount()  # (rows,) 0 .. 239 within each series
    fitted, held = frame[hour < HOURS - HORIZON], frame[hour >= HOURS - HORIZON]
    started = time.perf_counter()
    model = Forecaster(**SETTINGS).fit(fitted)
    fit_s = time.perf_counter() - started
    started = time.perf_counter()
    out = model.forecast()
    forecast_s = time.perf_counter() - started
    actual = held["y"].to_numpy().reshape(n_series, HORIZON)  # (S, H)
    lstm = out["forecast"].to_numpy().reshape(n_series, HORIZON)  # (S, H)
    history = fitted["y"].to_numpy().reshape(n_series, HOURS - HORIZON)  # (S, T - H)
    seasonal = history[:, -SEASON:][:, :HORIZON]  # (S, H) the same hours a day earlier
    kept = sum(w == 0.0 for w in model.naive_weights_.values())
    on_cluster = {}
    for count in workers:  # the forecast step as tasks on a local Dask cluster of `count` processes
        with TaskRunner(workers=count, progress=False) as runner:
            started = time.perf_counter()
            there = model.forecast(client=runner)
            on_cluster[f"forecast s, {count} worker(s)"] = round(time.perf_counter() - started, 1)
            np.testing.assert_array_equal(there["forecast"], out["forecast"])  # the same passes: bit for bit
    return {"series": n_series, "rows": len(frame), "fit s": round(fit_s, 1), "forecast s": round(forecast_s, 1),
            "peak MB": round(peak_mb()), "sMAPE LSTM": round(smape(actual, lstm), 3),
            "sMAPE seasonal naive": round(smape(actual, seasonal), 3), "naive kept": kept,
            **on_cluster, "plan": model.training_plan_}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--series", type=int, action="append", help="panel size (repeatable; default 1000, 10000)")
    parser.add_argument("--workers", default="", help="also forecast on local Dask clusters of these sizes, e.g. 1,2")
    args = parser.parse_args()
    workers = tuple(int(w) for w in args.workers.split(",") if w.strip())
    rows = [run(n, workers) for n in (args.series or [1000, 10000])]
    print(pd.DataFrame(rows).to_string(index=False))
    print(f"load average {', '.join(f'{v:.2f}' for v in os.getloadavg())}, {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
