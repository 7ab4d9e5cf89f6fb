"""How long reading a long table of many hourly series takes, and how much memory it needs.

    python benchmarks/read_panel.py            # 1k, 10k and 100k series (100k: 24 M rows)
    python benchmarks/read_panel.py --quick    # 1k and 10k
    python benchmarks/read_panel.py --series 5000 --profile   # cProfile of one size, top 25 calls

Each size runs in a fresh process (``PYTHONPATH`` as given, else ``src/``). It builds a
DataFrame of ``--length`` (240) hourly values per series: ``unique_id`` text such as
``s000123``, ``ds`` starting at a different hour per series, ``y`` a daily cycle plus
noise at very different levels; the rows of the series are interleaved (shuffled by
time within blocks), as a table from a database would come. It then times
``read_panel(df)`` and ``Panel.values`` / ``Panel.target_values`` / ``Panel.times``
called for every series, as a forecaster does. "peak MB" is the process' peak
resident memory (``ru_maxrss``: building the input included), "input MB" the resident
memory once the input is built, "read peak MB" the peak while reading and accessing
(``VmHWM`` after a reset, the input included; Linux only).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

RUN = r'''
import resource, sys, time
import numpy as np, pandas as pd
from lstmcast.data import read_panel

n, length, profile = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
rng = np.random.default_rng(0)
ids = np.array([f"s{k:06d}" for k in range(n)], dtype=object)
starts = np.datetime64("2020-01-01T00", "h") + rng.integers(0, 24 * 365, n).astype("timedelta64[h]")  # (n,)
hours = np.arange(length)  # (L,)
times = (starts[:, None] + hours[None, :].astype("timedelta64[h]")).astype("datetime64[ns]")  # (n, L)
levels = 10.0 ** rng.uniform(-2, 6, n)  # (n,)
season = np.sin(2 * np.pi * (hours[None, :] + rng.integers(0, 24, n)[:, None]) / 24)  # (n, L)
y = levels[:, None] * (5 + season + 0.3 * rng.standard_normal((n, length)))  # (n, L)
order = np.argsort(np.repeat(np.arange(length), n) + rng.integers(0, 8, n * length), kind="stable")  # hour-major
frame = pd.DataFrame({"unique_id": np.tile(ids, length),
                      "ds": times.T.reshape(-1), "y": y.T.reshape(-1)}).iloc[order].reset_index(drop=True)
del times, y, order


def status_mb(field):
    """A field of /proc/self/status in MB (VmRSS now, VmHWM the peak since the last reset); 0 elsewhere."""
    try:
        with open("/proc/self/status") as lines:
            return next(int(line.split()[1]) for line in lines if line.startswith(field)) / 1024
    except (OSError, StopIteration):
        return 0.0


rss_in = status_mb("VmRSS")
try:
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # the peak from here on: building the DataFrame does not count
except OSError:
    pass
if profile:
    import cProfile, pstats
    cProfile.run("panel = read_panel(frame)", "/tmp/read_panel.prof")
    pstats.Stats("/tmp/read_panel.prof").sort_stats("cumulative").print_stats(25)
t0 = time.perf_counter()
panel = read_panel(frame)
t1 = time.perf_counter()
total = 0.0
for name in panel.ids:
    total += panel.values(name)[-1, 0] + panel.target_values(name)[0]
    panel.times(name)
t2 = time.perf_counter()
assert len(panel) == n and len(panel.frame) == n * length and panel.freq == "h"
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(n, len(frame), t1 - t0, t2 - t1, rss_in, status_mb("VmHWM"), peak)
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1k and 10k series only")
    parser.add_argument("--series", type=int, action="append", help="series counts (default 1k, 10k, 100k)")
    parser.add_argument("--length", type=int, default=240, help="hourly values per series")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of read_panel first")
    args = parser.parse_args()
    counts = args.series or ([1_000, 10_000] if args.quick else [1_000, 10_000, 100_000])
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = dict(os.environ, PYTHONPATH=os.environ.get("PYTHONPATH") or src)
    print(f"{'series':>8} {'rows':>11} {'read s':>8} {'access s':>9} {'input MB':>9} {'read peak MB':>12} "
          f"{'peak MB':>8} {'load':>5}")
    for n in counts:
        done = subprocess.run([sys.executable, "-c", RUN, str(n), str(args.length), "1" if args.profile else "0"],
                              env=env, capture_output=True, text=True)
        if done.returncode:
            print(done.stdout + done.stderr, file=sys.stderr)
            raise SystemExit(done.returncode)
        lines = done.stdout.strip().splitlines()
        if args.profile:
            print("\n".join(lines[:-1]))
        series, rows, read, access, rss_in, read_peak, peak = lines[-1].split()
        print(f"{int(series):>8} {int(rows):>11} {float(read):>8.2f} {float(access):>9.2f} {float(rss_in):>9.0f} "
              f"{float(read_peak):>12.0f} {float(peak):>8.0f} {os.getloadavg()[0]:>5.2f}")


if __name__ == "__main__":
    main()
