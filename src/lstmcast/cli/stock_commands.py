"""``lstmcast backtest | tune | fetch``: walk-forward evaluation, window tuning, Yahoo prices."""

from __future__ import annotations

import argparse
import contextlib
import re
import time

from rich.table import Table

from ..data.fetch import fetch_prices, write_prices
from ..data.panel import read_panel
from ..data.features import describe_derived
from ..data.transforms import TARGET_TRANSFORMS
from ..forecast.forecaster import Forecaster
from ..forecast.training.panel_fit import is_panel_input
from ..forecast.training.tuning import TUNING_METRICS, tune
from .data_options import add_csv_options, add_no_strong, csv_source
from .panel_options import check_panel_flags, print_panel_evaluation, task_runner
from .panel_plots import backtest_overview_parts, check_series_flag, check_series_known, series_backtest
from .output import console, print_metrics, write_csv
from .uncertainty_options import add_uncertainty_arguments, no_harm_of, print_interval_report

# Cheaper defaults than `lstmcast train`: a backtest fits one model per refit.
DEFAULTS = dict(look_back=30, horizon=1, hidden_size=32, epochs=30, patience=5)
TUNE_EPOCHS = 10


def register(subparsers) -> None:
    """Add the ``backtest``, ``tune`` and ``fetch`` commands."""
    bt = subparsers.add_parser(
        "backtest", help="walk-forward test: forecasts only from data before each origin, against baselines",
        description="Fit on all rows before the first origin (and again every --refit-every rows), forecast "
        "each origin from the rows before it, and score the forecasts against naive, seasonal-naive and "
        "drift forecasts over all origins, with the coverage the prediction intervals reached.",
    )
    _add_data_arguments(bt)
    _add_walk_forward_arguments(bt)
    bt.add_argument("--coverage", type=float, default=0.9,
                    help="prediction-interval coverage to build and check; 0 for none (default: %(default)s)")
    _add_model_arguments(bt, tuning=False)
    bt.add_argument("--out", metavar="FILE.csv", help="write every forecast (origin, step, actual, interval)")
    bt.add_argument("--plot", metavar="FILE.png", help="write a figure of the forecasts against the actuals (many "
                    "series: the best, the median and the worst by MASE, or the one --series names)")
    add_no_strong(bt)
    g = bt.add_argument_group("many series (a long table: one row per series and time)")
    g.add_argument("--id-column", help="column naming each row's series: walks every series forward, --start "
                   "being a date, a row of every series, or a share of each series' rows")
    g.add_argument("--mode", choices=["global", "local"], default="global",
                   help="one network for all series, or one per series (default: %(default)s)")
    g.add_argument("--season", type=int, help="season length for seasonal naive, Naive2 and MASE (one series "
                   "too; default: from the dates' frequency)")
    g.add_argument("--series", metavar="ID", help="the series --plot draws (default: the best, median and worst)")
    g = bt.add_argument_group("where the fits run (pip install 'lstmcast[dask]')")
    g.add_argument("--workers", type=int, metavar="N", help="fit the refits of --refit-every (and a panel's "
                   "classical models) as tasks on a local Dask cluster of N processes")
    g.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="the same on this Dask cluster")
    bt.set_defaults(handler=run_backtest_command)

    tu = subparsers.add_parser(
        "tune", help="choose look-back and hidden size by walk-forward validation error",
        description="Backtest every combination of --look-back and --hidden on the same origins and print "
        "the trials, lowest error first marked. Tune on a period you do not report: pass --end here and "
        "the same date as --start to `lstmcast backtest`.",
    )
    _add_data_arguments(tu)
    _add_walk_forward_arguments(tu)
    tu.add_argument("--metric", choices=TUNING_METRICS, default="MAE", help="error to minimise (default: %(default)s)")
    _add_model_arguments(tu, tuning=True)
    tu.set_defaults(handler=run_tune_command)

    fe = subparsers.add_parser(
        "fetch", help="download daily prices from Yahoo Finance (needs lstmcast[yahoo])",
        description="Write TICKER's daily Open, High, Low, Close, Adj Close and Volume to a CSV, "
        "through the optional yfinance package (pip install 'lstmcast[yahoo]').",
    )
    fe.add_argument("ticker", metavar="TICKER", help="Yahoo symbol, e.g. AAPL or ^GSPC")
    fe.add_argument("--start", help="first day, e.g. 2018-01-01")
    fe.add_argument("--end", help="day after the last one (Yahoo's end is exclusive)")
    fe.add_argument("--out", required=True, metavar="FILE.csv", help="CSV file to write")
    fe.set_defaults(handler=run_fetch_command)


# ------------------------------------------------------------------ arguments
def _add_data_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", metavar="DATA.csv", help="CSV file with a date column and the series")
    parser.add_argument("--target", help="column to forecast (optional when there is only one)")
    parser.add_argument("--features", default="",
                        help=f"comma-separated input columns; derived: {describe_derived()}")
    parser.add_argument("--date-column", help="column holding the dates (found automatically otherwise)")
    parser.add_argument("--fill", choices=["ffill", "interpolate"],
                        help="repair missing values and missing dates instead of failing")
    add_csv_options(parser)


def _add_walk_forward_arguments(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("walk forward")
    g.add_argument("--start", default="0.8",
                   help="first origin: a date, a row number or a fraction of the rows (default: %(default)s)")
    g.add_argument("--end", help="origins stop before this date / row / fraction (default: the end)")
    g.add_argument("--step", type=int, default=1, help="rows between origins (default: %(default)s)")
    g.add_argument("--refit-every", type=int, help="refit on all earlier rows every N rows (default: fit once)")


def _add_model_arguments(parser: argparse.ArgumentParser, tuning: bool) -> None:
    d = dict(Forecaster().get_params(), **DEFAULTS)
    g = parser.add_argument_group("model and training")
    if tuning:
        g.add_argument("--look-back", default="10,30,60", help="look-back values to try (default: %(default)s)")
        g.add_argument("--hidden", default="32,64", help="hidden sizes to try (default: %(default)s)")
    else:
        g.add_argument("--look-back", type=int, default=d["look_back"], help="past steps per forecast (default: %(default)s)")
        g.add_argument("--hidden", type=int, default=d["hidden_size"], help="LSTM units (default: %(default)s)")
    g.add_argument("--horizon", type=int, default=d["horizon"], help="steps forecast at once (default: %(default)s)")
    g.add_argument("--layers", type=int, default=d["num_layers"], help="stacked LSTM layers (default: %(default)s)")
    g.add_argument("--dropout", type=float, default=d["dropout"], help="dropout rate (default: %(default)s)")
    g.add_argument("--target-transform", choices=TARGET_TRANSFORMS, default=d["target_transform"],
                   help="model changes instead of levels (default: %(default)s)")
    g.add_argument("--epochs", type=int, default=TUNE_EPOCHS if tuning else d["epochs"],
                   help="maximum epochs per fit (default: %(default)s)")
    g.add_argument("--batch-size", type=int, default=d["batch_size"],
                   help="windows per step (default: 32 by epochs, 256 by a step budget)")
    g.add_argument("--lr", type=float, default=d["lr"], help="Adam learning rate (default: %(default)s)")
    g.add_argument("--patience", type=int, default=d["patience"], help="early-stopping patience (default: %(default)s)")
    g.add_argument("--val-fraction", type=float, default=d["val_fraction"],
                   help="last share of each fit's rows held out for early stopping and intervals (default: %(default)s)")
    g.add_argument("--seed", type=int, default=d["seed"], help="random seed (default: %(default)s)")
    g.add_argument("--quiet", action="store_true", help="no progress bars")
    add_uncertainty_arguments(parser)


def _forecaster(args, look_back: int, hidden_size: int) -> Forecaster:
    return Forecaster(look_back=look_back, horizon=args.horizon, hidden_size=hidden_size,
                      num_layers=args.layers, dropout=args.dropout, epochs=args.epochs,
                      batch_size=args.batch_size, lr=args.lr, patience=args.patience,
                      val_fraction=args.val_fraction, seed=args.seed, verbose=not args.quiet,
                      target_transform=args.target_transform, loss=args.loss, quantiles=args.quantiles,
                      interval_method=args.interval_method, interval_window=args.interval_window,
                      mc_passes=args.mc_passes, no_harm=no_harm_of(args), combine=args.combine)


def parse_int_list(text: str, name: str) -> list[int]:
    """``"10,30,60"`` -> ``[10, 30, 60]``; ValueError naming ``name`` otherwise."""
    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    if not parts or not all(re.fullmatch(r"\d+", p) for p in parts):
        raise ValueError(f"{name} must be comma-separated positive integers such as 10,30,60, got {text!r}")
    return [int(p) for p in parts]


def _features(args) -> list[str] | None:
    return [f.strip() for f in args.features.split(",") if f.strip()] or None


# ------------------------------------------------------------------- handlers
def run_backtest_command(args) -> int:
    """Walk forward through DATA.csv and print the metrics, the verdict and the coverage."""
    if not 0 <= args.coverage < 1:
        raise ValueError(f"--coverage must be in [0, 1) (0 = no intervals), got {args.coverage}")
    many_series = is_panel_input(csv_source(args.data, args), args.id_column)  # --id-column, or a unique_id column
    check_panel_flags(args, many_series)
    check_series_flag(args.series, args.plot, many_series, f"{args.data} is one series (no --id-column, no "
                      "unique_id column)")
    fc = _forecaster(args, args.look_back, args.hidden)
    fc.season = args.season  # one series or many
    if many_series:
        return _backtest_panel(fc, args)
    started = time.perf_counter()
    with _runner(args, fc) as runner:
        result = fc.backtest(csv_source(args.data, args), target=args.target, features=_features(args),
                             start=args.start, end=args.end, step=args.step,
                             refit_every=args.refit_every, coverage=args.coverage or None,
                             date_column=args.date_column, fill=args.fill, strong=args.strong, client=runner)
    first, last = result.forecasts["origin"].iloc[[0, -1]]
    ahead = "next-step" if result.horizon == 1 else f"{result.horizon}-step"
    print_metrics(result.metrics, f"walk-forward {ahead} forecasts of {result.target}: {result.n_origins} origins "
                                  f"{first:%Y-%m-%d} to {last:%Y-%m-%d}, {len(result.fits)} fit(s)")
    console.print(result.verdict)
    console.print(result.coverage_line())
    print_interval_report(result)
    console.print(f"done in {time.perf_counter() - started:.1f} s")
    if args.out:
        console.print(f"wrote {write_csv(result.forecasts, args.out)}")
    if args.plot:
        from ..plots.backtest import plot_backtest

        console.print(f"wrote {plot_backtest(result, args.plot)}")
        if result.coverage is not None:
            from ..plots.calibration import calibration_path, plot_calibration

            console.print(f"wrote {plot_calibration(result, calibration_path(args.plot))}")
    return 0


def _backtest_panel(fc: Forecaster, args) -> int:
    """Walk every series of a long table forward; print the means over series and the best, median, worst."""
    panel = series = None
    if args.plot:  # the data the figure draws, and --series checked, before the walk
        panel = read_panel(csv_source(args.data, args), args.target, args.id_column, args.date_column,
                           _features(args), args.fill)
        if args.series is not None:
            series = check_series_known(args.series, panel.ids, args.data)
    fc.mode = args.mode
    started = time.perf_counter()
    with _runner(args, fc) as runner:
        result = fc.backtest(csv_source(args.data, args), target=args.target, features=_features(args),
                             start=args.start, end=args.end, step=args.step,
                             refit_every=args.refit_every, coverage=args.coverage or None,
                             date_column=args.date_column, fill=args.fill, strong=args.strong,
                             id_column=args.id_column, client=runner)
    origins = result.forecasts.groupby(result.forecasts.columns[0], sort=False)["origin"].nunique().sum()
    print_panel_evaluation(result.metrics, f"walk-forward {fc.horizon}-step forecasts from {origins:,} origins, "
                           f"{len(result.fits)} fit(s)")
    console.print(f"done in {time.perf_counter() - started:.1f} s")
    if args.out:
        console.print(f"wrote {write_csv(result.forecasts, args.out)}")
    if args.plot:
        console.print(f"wrote {_plot_panel_backtest(result, panel, series, args)}")
    return 0


def _runner(args, fc: Forecaster):
    """The cluster of ``--workers`` / ``--scheduler``, closed after the backtest, or nothing (fits made here)."""
    runner = task_runner(args, fc.verbose)
    return runner if runner is not None else contextlib.nullcontext()


def _plot_panel_backtest(result, panel, series: str | None, args):
    """The one-series backtest figure of ``series``, or the best, median and worst series by MASE."""
    from ..plots.backtest import plot_backtest
    from ..plots.panel import plot_panel_overview

    if series is not None:
        return plot_backtest(series_backtest(result, panel, series, args.horizon), args.plot)
    histories, forecasts = backtest_overview_parts(result, panel, args.look_back, args.horizon)
    label = f"{100 * result.asked_coverage:.0f}% interval" if result.asked_coverage else "prediction interval"
    return plot_panel_overview(histories, forecasts, result.metrics.attrs["per_series"]["MASE"], args.plot,
                               score_name="MASE", interval_label=label,
                               title=f"{panel.target}: walk-forward next-step forecasts of {len(forecasts)} series, "
                               "the best, median and worst by MASE")


def run_tune_command(args) -> int:
    """Backtest every look-back and hidden size; print the trials and the winner."""
    look_backs = parse_int_list(args.look_back, "--look-back")
    hidden_sizes = parse_int_list(args.hidden, "--hidden")
    fc = _forecaster(args, look_backs[0], hidden_sizes[0])
    result = tune(fc, csv_source(args.data, args), look_backs, hidden_sizes, target=args.target, features=_features(args),
                  start=args.start, end=args.end, step=args.step,
                  refit_every=args.refit_every, metric=args.metric, date_column=args.date_column,
                  fill=args.fill)
    table = Table(title=f"{len(result.trials)} trials, walk-forward {result.metric} (lower is better; "
                        "best in bold)", title_justify="left")
    columns = {"look_back": "look-back", "hidden_size": "hidden", "MAE": "MAE", "RMSE": "RMSE", "MASE": "MASE",
               "DirAcc": "DirAcc", "naive MAE": "naive MAE", "seconds": "s"}
    for label in columns.values():
        table.add_column(label, justify="right", no_wrap=True)
    for _, row in result.trials.iterrows():
        best = (int(row["look_back"]), int(row["hidden_size"])) == (result.best["look_back"], result.best["hidden_size"])
        cells = [f"{int(row[c])}" if c in ("look_back", "hidden_size") else f"{row[c]:.1f}" if c == "seconds"
                 else f"{row[c]:.4g}" for c in columns]
        table.add_row(*cells, style="bold" if best else None)
    console.print(table)
    winner = result.best_row
    console.print(f"best: --look-back {result.best['look_back']} --hidden {result.best['hidden_size']} "
                  f"({result.metric} {winner[result.metric]:.4g}; naive MAE {winner['naive MAE']:.4g})")
    return 0


def run_fetch_command(args) -> int:
    """Download TICKER's daily prices and write them as a Yahoo-style CSV."""
    frame = fetch_prices(args.ticker, start=args.start, end=args.end)
    path = write_prices(frame, args.out)
    console.print(f"wrote {len(frame)} rows of {args.ticker} "
                  f"({frame.index[0]:%Y-%m-%d} to {frame.index[-1]:%Y-%m-%d}) to {path}")
    return 0
