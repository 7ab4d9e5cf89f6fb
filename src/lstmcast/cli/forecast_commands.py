"""``lstmcast demo | train | forecast | evaluate``: forecasting from the command line."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rich.text import Text


from ..data.datasets import load_dataset
from ..forecast.forecaster import Forecaster
from ..forecast.training.panel_fit import is_panel_input
from ..forecast.preparing.windowing import WINDOW_NORMS
from ..forecast.prediction.series_models import read_like_fitted
from ..plots.forecast import plot_forecast, plot_loss
from ..plots.panel import plot_panel_overview
from .data_options import add_csv_options, add_no_strong, csv_source
from .panel_options import add_panel_arguments, check_panel_flags, print_panel_evaluation, task_runner
from .panel_plots import check_series_flag, check_series_known, forecast_frames, history_rows, panel_history
from .output import console, is_standard_output, print_frame, print_metrics, write_csv
from .saving import check_out_folder, save_model
from .resuming import resume_epochs, say_if_interrupted
from .uncertainty_options import (add_uncertainty_arguments, check_coverage_flag, no_harm_of,
                                  print_evaluation_intervals)


def register(subparsers) -> None:
    """Add the forecasting commands."""
    demo = subparsers.add_parser(
        "demo", help="train on a bundled real dataset, compare with baselines, plot the forecast",
        description="Fit an LSTM to the monthly airline passengers (1949-1960), score it on the "
        "last two years against naive, seasonal-naive and drift forecasts, and write a plot "
        "of its 1960 forecast beside what happened.",
    )
    demo.add_argument("--out", default="lstmcast-demo", help="folder for the model and figures (default: %(default)s)")
    demo.add_argument("--epochs", type=int, default=None, help="maximum epochs (default: at least 1,000 Adam steps)")
    demo.add_argument("--quiet", action="store_true", help="no progress bar")
    demo.set_defaults(handler=run_demo)

    train = subparsers.add_parser(
        "train", help="fit a forecaster to a CSV and save it",
        description="Fit an LSTM forecaster to DATA.csv (a date column and numeric columns), report "
        "its accuracy on the held-out last part against naive baselines, and save a model folder.",
    )
    train.add_argument("data", metavar="DATA.csv", help="CSV file with a date column and the series")
    train.add_argument("--target", help="column to forecast (optional when there is only one)")
    train.add_argument("--features", default="", help="comma-separated extra input columns")
    train.add_argument("--future-features", default="", metavar="NAMES",
                       help="comma-separated inputs known in advance for every forecast step: columns (day-ahead "
                       "forecasts, planned prices) or calendar names (hour, dayofweek, dayofmonth, month, "
                       "weekofyear, dayofyear, holiday:CC)")
    train.add_argument("--static-features", default="", metavar="NAMES",
                       help="many series: comma-separated columns holding one value per series (a market, a "
                       "store, a category: numbers or labels)")
    train.add_argument("--date-column", help="column holding the dates (found automatically otherwise)")
    train.add_argument("--fill", choices=["ffill", "interpolate"],
                       help="repair missing values and missing dates instead of failing")
    add_csv_options(train)
    train.add_argument("--out", required=True, metavar="DIR", help="model folder to write")
    train.add_argument("--resume", action="store_true",
                       help="continue training the model in --out (after Ctrl-C, or for more epochs) until it "
                       "has trained --epochs epochs in all; the same numbers as one uninterrupted run")
    add_no_strong(train)
    _add_hyperparameters(train)
    add_panel_arguments(train)
    train.set_defaults(handler=run_train)

    fc = subparsers.add_parser(
        "forecast", help="forecast the next steps with a saved model",
        description="Forecast the `horizon` steps after the end of DATA.csv (or of the data the model "
        "was trained on), indexed by the future dates.",
    )
    fc.add_argument("model", metavar="DIR", help="model folder written by `lstmcast train`")
    fc.add_argument("data", metavar="DATA.csv", nargs="?", help="newer data with the same columns (optional)")
    fc.add_argument("--out", metavar="FILE.csv", help="write the forecast to a CSV file")
    fc.add_argument("--plot", metavar="FILE.png", help="write a figure of history and forecast (many series: the "
                    "best, the median and the worst by validation MASE, or the one --series names)")
    fc.add_argument("--series", metavar="ID", help="a model of many series: the series --plot draws")
    fc.add_argument("--future", metavar="FILE.csv",
                    help="a model trained with --future-features that are columns: their values for the next "
                    "horizon (a time column, those columns, and the id column for many series)")
    fc.add_argument("--coverage", type=float, metavar="P",
                    help="add lower and upper columns: an interval meant to hold the truth with probability P "
                    "(e.g. 0.9), calibrated on the model's errors")
    add_csv_options(fc)
    fc.set_defaults(handler=run_forecast)

    ev = subparsers.add_parser(
        "evaluate", help="score a saved model and the baselines on data",
        description="Metrics of the model and of naive, seasonal-naive and drift forecasts (and AutoETS, "
        "AutoARIMA, AutoTheta with lstmcast[baselines]) on exactly the same windows of DATA.csv, in the data's units.",
    )
    ev.add_argument("model", metavar="DIR", help="model folder written by `lstmcast train`")
    ev.add_argument("data", metavar="DATA.csv", help="data to score on (same columns as in training)")
    ev.add_argument("--start", help="score only windows from here: a date (the first forecast date at or after "
                    "it), a row number (of every series; negative counts from the end) or a share of the rows, e.g. 0.8")
    ev.add_argument("--coverage", type=float, metavar="P",
                    help="also score prediction intervals meant to hold the truth with probability P, e.g. 0.9")
    add_no_strong(ev)
    add_csv_options(ev)
    ev.set_defaults(handler=run_evaluate)


def _add_hyperparameters(parser: argparse.ArgumentParser) -> None:
    d = Forecaster().get_params()
    g = parser.add_argument_group("model and training")
    g.add_argument("--look-back", type=int, default=d["look_back"], help="past steps per forecast (default: %(default)s)")
    g.add_argument("--horizon", type=int, default=d["horizon"], help="steps forecast at once (default: %(default)s)")
    g.add_argument("--hidden", type=int, default=d["hidden_size"], help="LSTM units (default: %(default)s)")
    g.add_argument("--layers", type=int, default=d["num_layers"], help="stacked LSTM layers (default: %(default)s)")
    g.add_argument("--bidirectional", action="store_true", help="read each window in both directions")
    g.add_argument("--attention", action="store_true", help="attention pooling over all steps")
    g.add_argument("--dropout", type=float, default=d["dropout"], help="dropout rate (default: %(default)s)")
    g.add_argument("--scaler", choices=["standard", "minmax", "none"], default=d["scaler"], help="(default: %(default)s)")
    g.add_argument("--window-norm", choices=[*WINDOW_NORMS, "auto"],
                   default=d["window_norm"], help="each window by its own level and spread (default: mean_std, or "
                   "log_season_mean_std where it validates better on a positive seasonal series; auto on data "
                   "trained by a step budget)")
    g.add_argument("--patch", type=int, default=d["patch"],
                   help="rows per LSTM step (default: one season when the look-back holds 4 or more, else 1)")
    g.add_argument("--ensemble", type=int, default=d["ensemble"], help="networks averaged (default: %(default)s)")
    g.add_argument("--epochs", type=int,
                   help="maximum epochs in all (default: 200, more on small data to reach 1,000 Adam steps; "
                   "with --resume, the saved model's)")
    g.add_argument("--batch-size", type=int, default=d["batch_size"],
                   help="windows per step (default: 32 by epochs, 256 by a step budget)")
    g.add_argument("--lr", type=float, default=d["lr"], help="Adam learning rate (default: %(default)s)")
    g.add_argument("--patience", type=int, default=d["patience"], help="early-stopping patience in epochs (default: %(default)s)")
    g.add_argument("--val-fraction", type=float, default=d["val_fraction"], help="last share of rows held out (default: %(default)s)")
    g.add_argument("--seed", type=int, default=d["seed"], help="random seed (default: %(default)s)")
    g.add_argument("--target-transform", choices=["none", "diff", "log_return"], default=d["target_transform"],
                   help="model the target's changes or log returns instead of its levels (default: %(default)s)")
    g.add_argument("--quiet", action="store_true", help="no progress bar")
    add_uncertainty_arguments(parser)


def _forecaster_from(args) -> Forecaster:
    return Forecaster(
        look_back=args.look_back, horizon=args.horizon, hidden_size=args.hidden, num_layers=args.layers,
        bidirectional=args.bidirectional, attention=args.attention, dropout=args.dropout,
        scaler=args.scaler, epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, patience=args.patience,
        val_fraction=args.val_fraction, seed=args.seed, verbose=not args.quiet,
        target_transform=args.target_transform, window_norm=args.window_norm, patch=args.patch,
        ensemble=args.ensemble, loss=args.loss, quantiles=args.quantiles, interval_method=args.interval_method,
        interval_window=args.interval_window, mc_passes=args.mc_passes, no_harm=no_harm_of(args),
        mode=args.mode, season=args.season, combine=args.combine,
    )


def _report(table, title: str) -> None:
    print_metrics(table, f"{title} — {table.attrs['windows']} windows")
    console.print(table.attrs["verdict"])


def run_train(args) -> int:
    features = [f.strip() for f in args.features.split(",") if f.strip()] or None
    future = [f.strip() for f in args.future_features.split(",") if f.strip()] or None
    static = [f.strip() for f in args.static_features.split(",") if f.strip()] or None
    data = csv_source(args.data, args)
    many_series = is_panel_input(data, args.id_column)  # --id-column, or a unique_id column
    check_panel_flags(args, many_series)  # before the data are read: a flag that would do nothing
    started = time.perf_counter()
    if args.resume:
        fc = Forecaster.load(args.out)
        total = resume_epochs(fc, _forecaster_from(args), Forecaster(), args.epochs, args.out)
        fc.verbose = not args.quiet
        fc.fit(data, date_column=args.date_column, fill=args.fill, resume=True)
        fc.epochs = total
        if fc._on_panel:
            return _report_panel(fc, args, started)
    else:
        check_out_folder(args.out)  # before the training, not after
        fc = _forecaster_from(args)
        if many_series:
            return _train_panel(fc, data, features, future, static, args, started)
        fc.fit(data, target=args.target, features=features, date_column=args.date_column, fill=args.fill,
               future_features=future, static_features=static)
    history = fc.history_
    console.print(f"trained {history.epochs} epochs in {time.perf_counter() - started:.1f} s "
                  f"(best epoch {history.best_epoch})")
    _report_choices(fc)
    if fc.split_.sizes[1] > 0:
        _report(fc.evaluate(strong=args.strong), "validation part")
    path = save_model(fc, args.out)
    console.print(f"model saved to {path}")
    return say_if_interrupted(history, path, f"lstmcast train {args.data} --out {path} --resume",
                              kept_best=fc.patience is not None)


def _train_panel(fc: Forecaster, data, features, future, static, args, started: float) -> int:
    runner = task_runner(args, fc.verbose)
    try:
        fc.fit(data, target=args.target, features=features, date_column=args.date_column, fill=args.fill,
               id_column=args.id_column, skip_short=args.skip_short, client=runner, future_features=future,
               static_features=static)
    finally:
        if runner is not None:
            runner.close()
    return _report_panel(fc, args, started)


def _report_choices(fc: Forecaster) -> None:
    """How the fit trained and what it chose from the data, in one line each."""
    console.print(f"training: {fc.training_plan_}; {fc.choices_.get('season', '')}; {fc.choices_.get('patch', '')}")
    if fc.window_norm_scores_:
        console.print(fc.choices_["window_norm"])


def _report_panel(fc: Forecaster, args, started: float) -> int:
    """After a panel fit: what was trained, the validation part per series, the model folder."""
    kind = "one network for" if fc.mode_ == "global" else "one model per series,"
    history = fc.history_
    console.print(f"trained {kind} {len(fc.panel_)} series in {time.perf_counter() - started:.1f} s "
                  f"({history.epochs} rounds, best {history.best_epoch})")
    _report_choices(fc)
    if fc.val_fraction > 0:
        print_panel_evaluation(fc.evaluate(strong=args.strong), "validation part")
    path = save_model(fc, args.out)
    console.print(f"model saved to {path}")
    return say_if_interrupted(history, path, f"lstmcast train {args.data} --out {path} --resume",
                              kept_best=fc.patience is not None)


def run_forecast(args) -> int:
    fc = Forecaster.load(args.model)
    check_series_flag(args.series, args.plot, fc._on_panel, f"model folder {args.model} was fitted on one series")
    data = csv_source(args.data, args)
    result = fc.forecast(data, coverage=check_coverage_flag(args.coverage), future=args.future)
    if fc._on_panel:
        return _write_panel_forecast(fc, data, result, args)
    if args.out and is_standard_output(args.out):  # the CSV alone, for a pipe
        write_csv(result, args.out)
    else:
        print_frame(result, f"forecast of {fc.target_}, next {fc.horizon} steps")
        if args.out:
            console.print(f"wrote {write_csv(result, args.out)}")
    if args.plot:
        table = fc._read(data)
        history = table.frame[fc.target_].iloc[-history_rows(fc.look_back, fc.horizon):]
        console.print(f"wrote {plot_forecast(history, result, args.plot)}")
    return 0


def _write_panel_forecast(fc: Forecaster, data, result, args) -> int:
    id_column = fc.panel_.id_column
    series = None
    if args.series is not None:  # before anything is written
        series = check_series_known(args.series, result[id_column].astype(str).unique(),
                                    args.data or f"model folder {args.model}")
    table = result.set_index(id_column)  # the CSV's first column: the series id
    piped = bool(args.out and is_standard_output(args.out))
    if piped:
        write_csv(table, args.out)
    else:
        shown = result.head(2 * fc.horizon)
        print_frame(shown.set_index(id_column), f"forecast of {fc.target_}, next {fc.horizon} steps of "
                    f"{result.iloc[:, 0].nunique()} series" + (" (the first two shown)" if len(shown) < len(result) else ""))
        if args.out:
            console.print(f"wrote {write_csv(table, args.out)}")
    if args.plot:
        figure = _plot_panel_forecast(fc, data, result, args, series)
        if not piped:
            console.print(f"wrote {figure}")
    return 0


def _plot_panel_forecast(fc: Forecaster, data, result, args, series: str | None):
    """The figure of one series (``--series``), or the best, median and worst series by validation MASE."""
    fitted = fc.panel_
    panel = read_like_fitted(fc, data)  # (the calendar columns derived again)
    frames = forecast_frames(result, fitted.id_column, fitted.time_column, fc.target_)
    label = f"{args.coverage:.0%} prediction interval" if args.coverage is not None else "prediction interval"
    rows = history_rows(fc.look_back, fc.horizon)
    if series is not None:
        frame = frames[series]
        frame.attrs["interval_label"] = label
        return plot_forecast(panel_history(panel, series, rows), frame, args.plot,
                             title=f"{fc.target_} of {series}: {fc.horizon}-step forecast")
    scores = fc.evaluate(strong=False).attrs["per_series"]["MASE"]  # the fitted panel's validation windows
    histories = {name: panel_history(panel, name, rows) for name in frames}
    return plot_panel_overview(histories, frames, scores, args.plot, score_name="validation MASE",
                               interval_label=label,
                               title=f"{fc.target_}: {fc.horizon}-step forecasts of {len(frames)} series, the best, "
                               "median and worst by validation MASE")


def run_evaluate(args) -> int:
    fc = Forecaster.load(args.model)
    table = fc.evaluate(csv_source(args.data, args), start=args.start, strong=args.strong,
                        coverage=check_coverage_flag(args.coverage))
    if fc._on_panel:
        print_panel_evaluation(table, f"{Path(args.data).name}")
        return 0
    _report(table, f"{Path(args.data).name}")
    print_evaluation_intervals(table)
    return 0


def run_demo(args) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    df = load_dataset("airline")
    console.print(Text.assemble(("Monthly airline passengers, 1949–1960", "bold"), " (thousands; Box & Jenkins). "
                                "Training on 1949–1958, testing on 1959–1960."))
    fc = Forecaster(look_back=24, horizon=12, epochs=args.epochs, seed=0, verbose=not args.quiet)
    started = time.perf_counter()
    fc.fit(df.loc[:"1958-12"], target="Passengers")
    console.print(f"trained {fc.history_.epochs} epochs in {time.perf_counter() - started:.1f} s "
                  f"(best epoch {fc.history_.best_epoch})")
    _report(fc.evaluate(df, start="1959-01"), "test 1959–1960, 12-month forecasts from every origin")

    history = df.loc[:"1959-12", "Passengers"]
    forecast = fc.forecast(df.loc[:"1959-12"])
    actual = df.loc["1960", "Passengers"]
    seasonal = history.iloc[-12:].set_axis(forecast.index)
    figure = plot_forecast(history, forecast, out / "forecast.png", actual=actual,
                           title="Airline passengers: LSTM forecast of 1960 from data up to 1959",
                           baseline=seasonal, baseline_label="seasonal naive (1959 repeated)")
    plot_loss(fc.history_, out / "loss.png")
    model = save_model(fc, out / "model")
    console.print(f"wrote {figure}, {out / 'loss.png'} and the model folder {model}")
    console.print(f"next: lstmcast forecast {model} --plot forecast.png")
    return 0
