"""``lstmcast inspect``: gate traces, attention and per-step gradients of one window."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from .data_options import add_csv_options, csv_source
from ..files import atomic_write
from ..forecast.forecaster import Forecaster
from ..inspection import inspect_window
from ..plots.gates import plot_gates
from .output import console, print_frame


def register(subparsers) -> None:
    """Add the ``inspect`` command."""
    cmd = subparsers.add_parser(
        "inspect", help="look inside a saved model: gates, cell states, attention, gradients over one window",
        description="Run a saved forecaster on one input window and report what its LSTM did at every "
        "step: the gates i, f, g, o, the cell state c, the attention weights, and the gradient of the "
        "forecast with respect to every h_t and c_t (how far back the model actually looks).",
    )
    cmd.add_argument("model", metavar="DIR", help="model folder written by `lstmcast train`")
    cmd.add_argument("data", metavar="DATA.csv", nargs="?",
                     help="data with the model's columns (default: the data stored in the model)")
    add_csv_options(cmd)
    cmd.add_argument("--window", type=int, default=-1,
                     help="which input window: 0 is the first, -1 (default) the one the forecast reads")
    cmd.add_argument("--series", help="a model fitted on many series: the id of the series to inspect")
    cmd.add_argument("--layer", type=int, default=-1, help="layer to summarise and plot; -1 (default) is the top one")
    cmd.add_argument("--reverse", action="store_true", help="the reverse direction of a bidirectional model")
    cmd.add_argument("--plot", metavar="FILE.png", help="write the gate heatmaps, attention and gradient norms")
    cmd.add_argument("--json", metavar="FILE", help="write every number (gates, states, gradients, statistics) as JSON")
    cmd.set_defaults(handler=run_inspect)


def run_inspect(args) -> int:
    fc = Forecaster.load(args.model)
    ins = inspect_window(fc, csv_source(args.data, args), args.window, args.series)
    key = ins.key(args.layer, 1 if args.reverse else 0)
    summary = ins.summary(*key)
    where = f"layer {key[0]}" + (" (reverse)" if key[1] else "")
    gates = pd.DataFrame(
        {"mean": [summary[g]["mean"] for g in "ifgo"], "saturated": [summary[g]["saturated"] for g in "ifgo"]},
        index=pd.Index(["i input", "f forget", "g candidate", "o output"], name="gate"),
    )
    of = f" of {args.series}" if args.series is not None else ""
    console.print(f"window {ins.window}{of}: {ins.labels[0]} to {ins.labels[-1]} ({ins.steps} steps)")
    print_frame(gates, f"gates of {where}")
    console.print(f"forget-gate half-life: median {summary['f']['median_half_life']:.3g} steps over "
                  f"{len(summary['f']['half_life'])} units")
    console.print(_reach(ins, key))
    if args.plot:
        console.print(f"wrote {plot_gates(ins, args.plot, *key)}")
    if args.json:
        console.print(f"wrote {write_json(ins.to_dict(), args.json)}")
    return 0


def _reach(ins, key) -> str:
    """One line on how far back the gradient of the forecast reaches."""
    norm = ins.grad_h_norm(*key)  # (T,)
    peak = int(np.argmax(norm))
    if norm[peak] == 0:
        return "the forecast does not depend on this layer's states"
    share = norm[0] / norm[peak]
    return (f"‖dL/dh_t‖ peaks at step {peak} ({ins.labels[peak]}); at the window's first step "
            f"({ins.labels[0]}) it is {share:.1%} of that")


def write_json(document: dict, path) -> Path:
    """Write ``document`` as JSON through a temporary file, so a failure leaves nothing half-written."""
    text = json.dumps(document, allow_nan=False)
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
