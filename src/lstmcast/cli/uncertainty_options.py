"""Command-line flags and printed tables for intervals, quantile forecasts and the no-harm weight."""

from __future__ import annotations

import argparse

from ..forecast.intervals.conformal import INTERVAL_METHODS
from ..forecast.forecaster import Forecaster
from ..forecast.scores.no_harm import NO_HARM
from ..forecast.combining.weights import COMBINE
from ..forecast.intervals.quantiles import check_quantiles
from .output import console, print_frame, print_metrics


def parse_quantiles(text: str) -> tuple[float, ...]:
    """``"0.05,0.5,0.95"`` -> ``(0.05, 0.5, 0.95)``; an argparse error naming --quantiles otherwise."""
    try:
        return check_quantiles(tuple(float(part) for part in text.split(",")))
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def add_uncertainty_arguments(parser: argparse.ArgumentParser) -> None:
    """Add --loss, --quantiles, --interval-method, --interval-window, --mc-passes, --no-harm and --combine."""
    d = Forecaster().get_params()
    g = parser.add_argument_group("intervals, no harm and combinations")
    g.add_argument("--loss", choices=["mse", "huber", "quantile"], default=d["loss"],
                   help="training loss; quantile = pinball loss on --quantiles (default: %(default)s)")
    g.add_argument("--quantiles", type=parse_quantiles, default=d["quantiles"], metavar="Q,Q,...",
                   help="levels forecast with --loss quantile (default: 0.05,0.5,0.95)")
    g.add_argument("--interval-method", choices=INTERVAL_METHODS, default=d["interval_method"],
                   help="aci: adaptive conformal inference on recent errors; rolling: recent errors; "
                        "split: validation errors only (default: %(default)s)")
    g.add_argument("--interval-window", type=int, default=d["interval_window"],
                   help="recent errors per step kept for intervals (default: %(default)s)")
    g.add_argument("--mc-passes", type=int, default=d["mc_passes"],
                   help="Monte-Carlo dropout passes shaping the intervals (needs --dropout; default: off)")
    g.add_argument("--no-harm", choices=NO_HARM, default=None,  # None: not given (see no_harm_of)
                   help="select: forecast naive unless the LSTM beat it on validation by more than noise "
                        "(the fallback); shrink: move forecasts towards naive by a weight fitted on "
                        "validation; none: the LSTM as trained (default: " + d["no_harm"] + "; per series on many)")
    g.add_argument("--combine", choices=COMBINE, default=d["combine"],
                   help="with lstmcast[baselines]: best = the best of the LSTM, AutoETS, AutoTheta, MSTL and "
                        "AutoARIMA on each series' validation windows; weights = their non-negative weights "
                        "fitted there (default: weights with lstmcast[baselines], else none)")


def no_harm_of(args) -> str:
    """``--no-harm`` as given, else the Forecaster's default."""
    return args.no_harm if args.no_harm is not None else Forecaster().no_harm


def print_interval_report(result) -> None:
    """The interval scores of a backtest (and the coverage per step when horizon > 1)."""
    if result.intervals is None:
        return
    print_metrics(result.intervals, f"{100 * result.asked_coverage:g}% intervals, same forecasts (ACD = |coverage - nominal|)")
    if result.pinball is not None:
        console.print(f"pinball loss of the quantile forecasts: {result.pinball:.4g}")
    if result.horizon > 1:
        print_frame(result.by_step, "coverage by forecast step")


def check_coverage_flag(coverage: float | None) -> float | None:
    """``--coverage`` as given (None when absent), or ValueError naming the flag."""
    if coverage is not None and not 0 < coverage < 1:
        raise ValueError(f"--coverage must be between 0 and 1 (e.g. 0.9), got {coverage}")
    return coverage


def print_evaluation_intervals(table) -> None:
    """The interval scores ``evaluate(coverage=...)`` put in ``table.attrs``, if any."""
    if "pinball" in table.attrs:
        console.print(f"pinball loss of the quantile forecasts: {table.attrs['pinball']:.4g}")
    if "intervals" not in table.attrs:
        return
    print_metrics(table.attrs["intervals"], "prediction intervals (ACD = |coverage - nominal|)")
    if len(table.attrs["by_step"]) > 1:
        print_frame(table.attrs["by_step"], "coverage by forecast step")
