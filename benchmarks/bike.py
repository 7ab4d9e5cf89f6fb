"""Hourly bike rentals (UCI Bike Sharing, Washington DC): lstmcast with and without the inputs known in advance.

The protocol (ours; no published table uses it):

- target ``cnt``; the 165 missing hours are filled by interpolation (``fill="interpolate"``);
- the last 182 days (2012-07-03 .. 2012-12-31) are the test period; each test day's 24 hours are
  forecast from its 00:00 origin, reading only the rows before it; one fit on the rows before;
- known in advance: ``hr``, ``weekday``, ``holiday`` and ``workingday`` (the calendar of the data set) or
  lstmcast's own calendar names (``hour``, ``dayofweek``, ``holiday:US-DC``). ``casual`` and
  ``registered`` add up to the target and are never read; the weather columns are measurements, so
  reading their future values would be an oracle, and they are not read either;
- MAE, RMSE and sMAPE (percent) over the test hours, beside the seasonal naive (the same hour a week
  before) on the same hours.

The model is the defaults, ``Forecaster(look_back=168, horizon=24)``, through the public API.
``--validation`` scores the 182 days before the test period instead, fitted on the rows before them.

Run by hand, never by the test suite::

    python benchmarks/bike.py
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from lstmcast import Forecaster  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "bike-sharing-hour.csv"
TEST_DAYS = 182
RUNS = {
    "none": ("no inputs known in advance", None),
    "columns": ("hr, weekday, holiday, workingday", ["hr", "weekday", "holiday", "workingday"]),
    "calendar": ("hour, dayofweek, holiday:US-DC", ["hour", "dayofweek", "holiday:US-DC"]),
}


def read_rentals() -> pd.DataFrame:
    raw = pd.read_csv(DATA)
    raw["date"] = pd.to_datetime(raw["dteday"]) + pd.to_timedelta(raw["hr"], unit="h")
    hours = pd.date_range(raw["date"].min(), raw["date"].max(), freq="h")
    frame = raw.set_index("date").reindex(hours)
    frame.index.name = "date"
    frame["cnt"] = frame["cnt"].interpolate()
    frame["hr"] = frame.index.hour  # the calendar columns of the missing hours, from their dates
    frame["weekday"] = (frame.index.dayofweek + 1) % 7  # the data set's 0 = Sunday
    for name in ("holiday", "workingday"):
        frame[name] = frame[name].groupby(frame.index.normalize()).transform("max").ffill()
    return frame[["cnt", "hr", "weekday", "holiday", "workingday"]].reset_index()


def run(frame: pd.DataFrame, future, seed: int) -> tuple[dict, float]:
    first = len(frame) - TEST_DAYS * 24
    started = time.perf_counter()
    fc = Forecaster(look_back=168, horizon=24, seed=seed, verbose=False)
    fc.fit(frame.iloc[:first], target="cnt", date_column="date", future_features=future)
    predicted = fc.predict(frame.iloc[first - 168 :])
    midnight = predicted[predicted.index.hour == 0].to_numpy()[:TEST_DAYS]  # (days, 24)
    seconds = time.perf_counter() - started
    actual = frame["cnt"].to_numpy(np.float64)[first:].reshape(-1, 24)  # (days, 24)
    return scores(actual, midnight), seconds


def scores(actual: np.ndarray, forecast: np.ndarray) -> dict[str, float]:
    error = np.abs(actual - forecast)
    return {"MAE": error.mean(), "RMSE": np.sqrt(np.mean(error ** 2)),
            "sMAPE": 100 * np.mean(2 * error / np.maximum(np.abs(actual) + np.abs(forecast), 1e-9))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", nargs="+", default=list(RUNS), choices=list(RUNS))
    parser.add_argument("--validation", action="store_true", help="score the 182 days before the test period")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--calendar-encoding", choices=["cyclic", "onehot"], default=None,
                        help="how calendar features are encoded (lstmcast.data.calendar.ENCODING): sine/cosine pairs, "
                        "or a 0/1 column per value (an embedding); default: the library's")
    args = parser.parse_args()
    if args.calendar_encoding is not None:
        from lstmcast.data import calendar

        calendar.ENCODING = args.calendar_encoding
    frame = read_rentals()
    if args.validation:
        frame = frame.iloc[: len(frame) - TEST_DAYS * 24].reset_index(drop=True)
    print(f"bike.py: {len(frame)} hours, the last {TEST_DAYS} days scored"
          f"{' (validation: the test period unread)' if args.validation else ''}; "
          f"load average {os.getloadavg()[0]:.2f}")
    target = frame["cnt"].to_numpy(np.float64)
    first = len(frame) - TEST_DAYS * 24
    week_before = target[first - 168 : len(target) - 168].reshape(-1, 24)
    naive = scores(target[first:].reshape(-1, 24), week_before)
    print(f"{'run':<40} {'MAE':>8} {'RMSE':>8} {'sMAPE':>7} {'seconds':>8}")
    for name in args.runs:
        label, future = RUNS[name]
        result, seconds = run(frame, future, args.seed)
        print(f"{'lstmcast, ' + label:<40} {result['MAE']:8.2f} {result['RMSE']:8.2f} {result['sMAPE']:7.2f} "
              f"{seconds:8.0f}")
    print(f"{'seasonal naive (a week before)':<40} {naive['MAE']:8.2f} {naive['RMSE']:8.2f} {naive['sMAPE']:7.2f}")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
