"""ETTh1, univariate OT, under the standard long-horizon protocol: lstmcast against naive and published rows.

The protocol (Informer, AAAI 2021; reused by Autoformer and LTSF-Linear):

- rows [0, 8640) train, [8640, 11520) validation, [11520, 14400) test; validation
  and test windows take their inputs from the ``look_back`` rows before their part;
  rows 14400 on are never used;
- target ``OT`` alone, z-scored with the mean and population std of the training
  rows (17.128262 and 9.176491, checked below);
- every test window at stride 1 (nothing dropped), MSE and MAE in the z-scored
  units, averaged over all windows and all horizon steps.

The model is the library's ``Forecaster``, through its public API only:
``Forecaster(look_back=336, horizon=H, patch=24, window_norm="last", ensemble=10,
...)`` fitted on rows [0, 11520) with ``val_fraction=0.25`` (so its scaler is the
protocol's z-scoring and its validation part is the protocol's), then
``predict`` on every test window. Each window minus its last value
(``window_norm="last"``, what NLinear does, so a zero output is the naive forecast);
early stopping on the validation MSE with the best epoch's weights; the
``look_back`` hours read as ``look_back / patch`` steps of ``patch`` consecutive
hours each (one day per step); the forecast is the mean of ``ensemble`` networks
trained with different seeds.

The defaults were chosen on the validation split only (validation MSE, mostly at
H = 96, checked at 24, 336 and 720): look_back 336 against 168 and 720 (720 was
clearly worse), segments of 24 h against 12 and 48, lr 3e-4 against 1e-3 and
1e-4, batch 32 against 128 with 10 members (better at 336 and 720, slightly worse
at 96); hidden 32 or 128, dropout and weight decay changed nothing beyond seed
noise (about 0.001), and averaging 10 members gained 0.001-0.003 over a single
network.  Each member early-stops after a few epochs (the validation MSE is best
after 1-16 of them), so a horizon takes about 1-2 minutes on 2 cores.

The naive row ("repeat the last observed value") is computed here on the same
windows and asserted against the reference values in shared/data/README.md.

Run by hand, never by the test suite::

    python benchmarks/etth1.py                                # every horizon
    python benchmarks/etth1.py --members 2 --horizons 24      # a quick check
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path

# One BLAS thread unless the caller says otherwise: the LSTM's GEMMs are small ((B, H) @ (H, 4H) per step),
# and OpenBLAS's thread hand-offs cost more than they save there (about 10x the CPU time measured on 2 shared cores).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402  (after the thread setting)
import pandas as pd  # noqa: E402

try:
    import lstmcast  # noqa: F401  (installed with pip install -e .)
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lstmcast import Forecaster

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ETTh1.csv"
TARGET = "OT"
TRAIN_END, VAL_END, TEST_END = 8640, 11520, 14400  # 12 / 4 / 4 months of 30 days
TRAIN_MEAN, TRAIN_STD = 17.128262, 9.176491  # OT over rows [0, 8640), population std
STATS_TOLERANCE = 5e-6
NAIVE_TOLERANCE = 5e-4

# Naive "repeat the last observed OT" under this protocol (shared/data/README.md): MSE, MAE.
NAIVE_REFERENCE = {
    24: (0.0343, 0.1394), 48: (0.0501, 0.1711), 96: (0.0693, 0.2033), 168: (0.0872, 0.2288),
    192: (0.0920, 0.2357), 336: (0.1133, 0.2652), 720: (0.1292, 0.2834),
}

# Published univariate ETTh1 results, MSE / MAE (copied in shared/data/published_tables.md).
# LTSF-Linear (Zeng et al., AAAI 2023): cure-lab/LTSF-Linear pics/Uni-results.png, commit 7f7a25b;
#   input length 336, test loader with drop_last=True at the time.
# Informer (Zhou et al., AAAI 2021), Table 1: zhouhaoyi/Informer2020 img/result_univariate.png,
#   commit 69be8fc (the AAAI numbers); test loader with drop_last=True.
PUBLISHED = {
    "NLinear": ("LTSF-Linear", {96: (0.053, 0.177), 192: (0.069, 0.204), 336: (0.081, 0.226),
                                720: (0.080, 0.226)}),
    "DLinear": ("LTSF-Linear", {96: (0.056, 0.180), 192: (0.071, 0.204), 336: (0.098, 0.244),
                                720: (0.189, 0.359)}),
    "Informer": ("Informer", {24: (0.098, 0.247), 48: (0.158, 0.319), 168: (0.183, 0.346),
                              336: (0.222, 0.387), 720: (0.269, 0.435)}),
    "LSTMa": ("Informer", {24: (0.114, 0.272), 48: (0.193, 0.358), 168: (0.236, 0.392),
                           336: (0.590, 0.698), 720: (0.683, 0.768)}),
}
PUBLISHED_SOURCES = {
    "LTSF-Linear": "Zeng et al., AAAI 2023, cure-lab/LTSF-Linear pics/Uni-results.png @ 7f7a25b (input 336)",
    "Informer": "Zhou et al., AAAI 2021, Table 1, zhouhaoyi/Informer2020 img/result_univariate.png @ 69be8fc",
}


@dataclass(frozen=True)
class Settings:
    """Everything that decides one horizon's model and training."""

    look_back: int  # input hours per window
    segment: int  # hours per LSTM step (Forecaster patch); look_back / segment steps
    hidden_size: int  # LSTM units
    num_layers: int  # stacked LSTM layers
    batch_size: int  # training windows per Adam step
    lr: float  # Adam learning rate
    weight_decay: float  # Adam L2 weight decay
    dropout: float  # dropout on the LSTM's last state before the head (and between layers)
    clip_norm: float  # gradient norm clip
    patience: int  # epochs without a validation improvement before stopping
    max_epochs: int  # upper bound on epochs per member
    dtype: str  # "float32" or "float64"
    members: int  # networks trained with different seeds; the forecast is their mean
    seed: int  # seeds every member's network and shuffling


@dataclass
class Result:
    """One horizon's scores in z-scored units and its cost."""

    horizon: int
    mse: float
    mae: float
    naive_mse: float
    naive_mae: float
    val_mse: float
    val_naive_mse: float
    epochs: list[int]  # per ensemble member
    train_minutes: float


# ---------------------------------------------------------------------------- data
def load_ot(path: Path) -> pd.DataFrame:
    """Rows [0, 14400) of the date and OT columns, indexed by date."""
    table = pd.read_csv(path, usecols=["date", TARGET], parse_dates=["date"], index_col="date")
    if len(table) < TEST_END:
        raise SystemExit(f"{path}: {len(table)} rows, the protocol needs {TEST_END}")
    return table.iloc[:TEST_END]


def part_windows(frame: pd.DataFrame, forecasts: pd.DataFrame, first: int, stop: int, horizon: int):
    """Forecasts, actual values and last inputs (z-scored) of every window whose targets lie in rows [first, stop)."""
    origins = np.arange(first, stop - horizon + 1)  # (n,)
    series = (frame[TARGET].to_numpy(np.float64) - TRAIN_MEAN) / TRAIN_STD  # (14400,)
    predicted = (forecasts.loc[frame.index[origins]].to_numpy() - TRAIN_MEAN) / TRAIN_STD  # (n, horizon)
    actual = series[origins[:, None] + np.arange(horizon)]  # (n, horizon)
    return predicted, actual, series[origins - 1]


def errors(predicted: np.ndarray, actual: np.ndarray) -> tuple[float, float]:
    """MSE and MAE over every window and step."""
    error = predicted - actual  # (n, horizon)
    return float(np.mean(error * error)), float(np.mean(np.abs(error)))


# --------------------------------------------------------------------------- model
def fit_horizon(frame: pd.DataFrame, horizon: int, settings: Settings) -> Forecaster:
    """The Forecaster of ``settings`` fitted on the training and validation rows."""
    s = settings
    fc = Forecaster(look_back=s.look_back, horizon=horizon, patch=s.segment, hidden_size=s.hidden_size,
                    num_layers=s.num_layers, dropout=s.dropout, scaler="standard", window_norm="last",
                    epochs=s.max_epochs, batch_size=s.batch_size, lr=s.lr, weight_decay=s.weight_decay,
                    clip_norm=s.clip_norm, patience=s.patience, val_fraction=(VAL_END - TRAIN_END) / VAL_END,
                    dtype=s.dtype, seed=s.seed, ensemble=s.members, verbose=False, combine="none",
                    loss="mse")  # the loss these settings were chosen with (the default is huber)
    fc.fit(frame.iloc[:VAL_END], target=TARGET)
    mean, std = float(fc.scaler_.mean_[0]), float(fc.scaler_.std_[0])
    assert abs(mean - TRAIN_MEAN) < STATS_TOLERANCE, f"training mean {mean:.6f}, expected {TRAIN_MEAN}"
    assert abs(std - TRAIN_STD) < STATS_TOLERANCE, f"training std {std:.6f}, expected {TRAIN_STD}"
    return fc


def run_horizon(frame: pd.DataFrame, horizon: int, settings: Settings, log=print) -> Result:
    """Train one horizon and score it and the naive forecast on every test window."""
    started = time.perf_counter()
    fc = fit_horizon(frame, horizon, settings)
    minutes = (time.perf_counter() - started) / 60.0
    for k, member in enumerate(fc.members_, start=1):
        h = member.history
        log(f"  H={horizon} member {k}/{len(fc.members_)}: {h.epochs} epochs, best {h.best_epoch} "
            f"(train {h.train_loss[h.best_epoch - 1]:.4f}, val {min(h.val_loss):.4f})", flush=True)
    forecasts = fc.predict(frame)  # every window of rows [0, 14400)
    test_pred, test_actual, test_last = part_windows(frame, forecasts, VAL_END, TEST_END, horizon)
    assert len(test_pred) == TEST_END - VAL_END - horizon + 1  # stride 1, nothing dropped
    naive_mse, naive_mae = errors(np.repeat(test_last[:, None], horizon, axis=1), test_actual)
    if horizon in NAIVE_REFERENCE:
        ref_mse, ref_mae = NAIVE_REFERENCE[horizon]
        assert abs(naive_mse - ref_mse) < NAIVE_TOLERANCE, f"H={horizon}: naive MSE {naive_mse:.4f}, reference {ref_mse}"
        assert abs(naive_mae - ref_mae) < NAIVE_TOLERANCE, f"H={horizon}: naive MAE {naive_mae:.4f}, reference {ref_mae}"
    mse, mae = errors(test_pred, test_actual)
    val_pred, val_actual, val_last = part_windows(frame, forecasts, TRAIN_END, VAL_END, horizon)
    val_naive = errors(np.repeat(val_last[:, None], horizon, axis=1), val_actual)[0]
    return Result(horizon, mse, mae, naive_mse, naive_mae, errors(val_pred, val_actual)[0], val_naive,
                  [m.history.epochs for m in fc.members_], minutes)


# -------------------------------------------------------------------------- report
def published_cell(name: str, horizon: int) -> str:
    values = PUBLISHED[name][1].get(horizon)
    return "—" if values is None else f"{values[0]:.3f} / {values[1]:.3f}"


def format_table(results: list[Result]) -> str:
    header = (["H", "lstmcast MSE / MAE", "naive MSE / MAE", "beats naive"]
              + [f"{name} ({PUBLISHED[name][0]})" for name in PUBLISHED]
              + ["val MSE (naive)", "members x epochs", "train min"])
    rows = []
    for r in results:
        rows.append([
            str(r.horizon), f"{r.mse:.4f} / {r.mae:.4f}", f"{r.naive_mse:.4f} / {r.naive_mae:.4f}",
            "yes" if r.mse < r.naive_mse else "NO",
            *(published_cell(name, r.horizon) for name in PUBLISHED),
            f"{r.val_mse:.4f} ({r.val_naive_mse:.4f})", f"{len(r.epochs)} x " + (f"{min(r.epochs)}-{max(r.epochs)}" if min(r.epochs) < max(r.epochs) else f"{r.epochs[0]}"),
            f"{r.train_minutes:.1f}",
        ])
    widths = [max(len(line[i]) for line in [header] + rows) for i in range(len(header))]
    lines = [" | ".join(cell.ljust(w) for cell, w in zip(line, widths)) for line in [header] + rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="ETTh1.csv (default: %(default)s)")
    parser.add_argument("--horizons", default="24,48,96,168,336,720", help="comma-separated (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--look-back", type=int, default=336, help="input hours (default: %(default)s)")
    parser.add_argument("--segment", type=int, default=24, help="hours per LSTM step (default: %(default)s)")
    parser.add_argument("--hidden-size", type=int, default=64)
    parser.add_argument("--num-layers", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--weight-decay", type=float, default=0.0)
    parser.add_argument("--dropout", type=float, default=0.0)
    parser.add_argument("--clip-norm", type=float, default=1.0)
    parser.add_argument("--patience", type=int, default=10)
    parser.add_argument("--max-epochs", type=int, default=200)
    parser.add_argument("--members", type=int, default=10, help="networks averaged (default: %(default)s)")
    parser.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    args = parser.parse_args(argv)
    try:
        args.horizon_list = [int(h) for h in args.horizons.split(",") if h.strip()]
    except ValueError:
        parser.error(f"--horizons must be comma-separated integers, got {args.horizons!r}")
    if not args.horizon_list or any(h < 1 or h > VAL_END - TRAIN_END for h in args.horizon_list):
        parser.error(f"--horizons must be integers in [1, {VAL_END - TRAIN_END}], got {args.horizons!r}")
    if args.look_back < 1 or args.look_back > TRAIN_END // 2 or args.segment < 1 or args.look_back % args.segment:
        parser.error(f"--look-back must be a multiple of --segment in [1, {TRAIN_END // 2}], "
                     f"got {args.look_back} and {args.segment}")
    if args.members < 1:
        parser.error(f"--members must be a positive integer, got {args.members}")
    return args


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings(look_back=args.look_back, segment=args.segment, hidden_size=args.hidden_size,
                    num_layers=args.num_layers, batch_size=args.batch_size, lr=args.lr,
                    weight_decay=args.weight_decay, dropout=args.dropout,
                    clip_norm=args.clip_norm, patience=args.patience, max_epochs=args.max_epochs,
                    dtype=args.dtype, members=args.members, seed=args.seed)


def main(argv=None) -> None:
    args = parse_args(argv)
    settings = settings_from(args)
    threads = {v: os.environ.get(v, "unset") for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")}
    print("ETTh1 univariate (OT), standard protocol: train [0, 8640), val [8640, 11520), test [11520, 14400);")
    print("z-scored with training mean/std; every test window at stride 1; MSE / MAE in z-scored units.")
    print(f"data {args.data}")
    print(f"seed {settings.seed}; look_back {settings.look_back} h read as {settings.look_back // settings.segment} "
          f"LSTM steps of {settings.segment} h; hidden {settings.hidden_size} x {settings.num_layers} layer(s); "
          f"window_norm last; dropout {settings.dropout}; Adam lr {settings.lr}, weight decay {settings.weight_decay}, "
          f"batch {settings.batch_size}, clip {settings.clip_norm}; "
          f"early stopping on val MSE, patience {settings.patience}, best weights; mean of {settings.members} "
          f"member(s) (Forecaster ensemble, seed {settings.seed}); at most {settings.max_epochs} epochs per member; "
          f"{settings.dtype}")
    print(f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs, threads {threads}")
    print(flush=True)
    frame = load_ot(args.data)
    results = []
    for horizon in args.horizon_list:
        result = run_horizon(frame, horizon, settings)
        print(f"H={horizon}: test MSE {result.mse:.4f} MAE {result.mae:.4f} (naive {result.naive_mse:.4f} / "
              f"{result.naive_mae:.4f}), {result.train_minutes:.1f} min", flush=True)
        results.append(result)
    print()
    print(format_table(results))
    print()
    print("Published rows: " + "; ".join(f"{k}: {v}" for k, v in PUBLISHED_SOURCES.items()) + ".")
    print("They were measured with drop_last=True test loaders (up to 31 windows dropped; the naive scores move "
          "by at most 0.0005 with that). '—': not reported at that horizon.")
    missed = [r.horizon for r in results if not r.mse < r.naive_mse]
    print("Beats repeating the last value at every horizon." if not missed
          else f"Does NOT beat repeating the last value at H = {', '.join(map(str, missed))}.")
    nlinear = PUBLISHED["NLinear"][1]
    for r in results:
        if r.horizon in nlinear:
            published = nlinear[r.horizon][0]
            verdict = "at or below" if round(r.mse, 3) <= published else "ABOVE"
            print(f"H={r.horizon}: MSE {r.mse:.4f} is {verdict} NLinear's published {published:.3f}.")


if __name__ == "__main__":
    main()
