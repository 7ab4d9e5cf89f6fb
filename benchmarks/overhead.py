"""What the checks on the way in cost a normal run: the same fit, scores and save in two source trees.

    python benchmarks/overhead.py --src OLD/src --src NEW/src [--runs 2]

Each run is a fresh process (``PYTHONPATH=SRC``) that fits the default
``Forecaster(look_back=24, horizon=12, seed=0)`` on airline 1949-1958, evaluates it on
1959-1960, forecasts with a 90% interval, saves and loads the model folder. The trees run
alternately, so load changes hit both; the table prints each run and the load average.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

RUN = r'''
import os, tempfile, time
from lstmcast import Forecaster, load_dataset
df = load_dataset("airline")
t0 = time.perf_counter()
fc = Forecaster(look_back=24, horizon=12, seed=0, combine="none").fit(df.loc[:"1958-12"], target="Passengers")
t1 = time.perf_counter()
mae = fc.evaluate(df, start="1959-01", strong=False).loc["LSTM", "MAE"]
fc.forecast(df, coverage=0.9)
folder = os.path.join(tempfile.mkdtemp(), "m")
fc.save(folder)
Forecaster.load(folder).forecast(df)
t2 = time.perf_counter()
print(t1 - t0, t2 - t1, mae)
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", action="append", required=True, help="a tree's src folder (give two or more)")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    print(f"{'tree':<40} {'run':>3} {'fit s':>7} {'rest s':>7} {'MAE':>8} {'load':>5}")
    for run in range(1, args.runs + 1):
        for src in args.src:
            env = {**os.environ, "PYTHONPATH": src}
            out = subprocess.run([sys.executable, "-c", RUN], env=env, capture_output=True, text=True, check=True)
            fit, rest, mae = map(float, out.stdout.split()[-3:])
            print(f"{src:<40} {run:>3} {fit:>7.2f} {rest:>7.2f} {mae:>8.3f} {os.getloadavg()[0]:>5.2f}")


if __name__ == "__main__":
    main()
