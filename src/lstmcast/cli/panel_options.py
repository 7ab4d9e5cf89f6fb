"""Many series from the command line: the flags of ``lstmcast train`` for a long table, where the
independent fits run, and the per-series report of ``train`` and ``evaluate``."""

from __future__ import annotations

import argparse

import pandas as pd

from ..parallel import TaskRunner, require_dask
from ..plots.panel import pick_series
from .output import console, print_frame, print_metrics


def add_panel_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--id-column``, ``--skip-short``, ``--mode``, ``--season``, ``--workers`` and ``--scheduler``."""
    g = parser.add_argument_group("many series (a long table: one row per series and time)")
    g.add_argument("--id-column", help="column naming each row's series: fits every series of DATA.csv "
                   "(the time column may hold dates or whole-number steps)")
    g.add_argument("--skip-short", action="store_true",
                   help="leave out series shorter than look-back + horizon (one warning each) instead of failing")
    g.add_argument("--mode", choices=["global", "local"], default="global",
                   help="one network for all series, or one per series (default: %(default)s)")
    g.add_argument("--season", type=int, help="season length for seasonal naive, Naive2 and MASE "
                   "(default: from the dates' frequency; 1 for integer steps)")
    g.add_argument("--workers", type=int, metavar="N",
                   help="run the per-series fits of --mode local on a local Dask cluster of N processes")
    g.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="run the per-series fits of --mode local on this Dask cluster")


def check_panel_flags(args, many_series: bool) -> None:
    """Refuse, before any data is read, a flag the command would ignore: the flags of many series
    without ``--id-column``, and ``--workers`` / ``--scheduler`` without ``--mode local`` (or without Dask;
    ``backtest`` runs its refits there, and a panel's classical rows).

    Parameters
    ----------
    args : argparse.Namespace
        A command's arguments; flags it does not have count as not given.
    many_series : bool
        Whether DATA.csv is read as many series (``--id-column``, or a ``unique_id`` column).

    Raises
    ------
    ValueError
        Naming the flag and why it would do nothing.
    DaskMissing
        ``--workers`` or ``--scheduler`` without Dask installed.
    """
    cluster = [flag for flag, name in (("--workers", "workers"), ("--scheduler", "scheduler"))
               if getattr(args, name, None) is not None]
    refits = hasattr(args, "refit_every")  # backtest: its refits (and a panel's classical rows) run there
    if cluster and refits and args.refit_every is None and not many_series:
        raise ValueError(f"{' and '.join(cluster)} run the fits of --refit-every as tasks; one fit of one "
                         "series has nothing to run there: add --refit-every N")
    if not many_series and not getattr(args, "resume", False):
        given = [flag for flag, on in (("--skip-short", getattr(args, "skip_short", False)),
                                       ("--mode local", getattr(args, "mode", None) == "local")) if on]
        given += [] if refits else cluster
        if given:
            raise ValueError(f"{' and '.join(given)}: for a table of many series, named by --id-column "
                             "(or a unique_id column); without it DATA.csv is one series")
    if cluster and getattr(args, "resume", False):
        raise ValueError(f"{' and '.join(cluster)}: --resume continues the fit here, not on a cluster")
    if cluster and getattr(args, "mode", None) != "local" and not refits:
        raise ValueError(f"{' and '.join(cluster)} run the per-series fits of --mode local; with --mode global "
                         "one network learns every series here: add --mode local")
    if cluster:
        require_dask(cluster[0])


def task_runner(args, verbose: bool) -> TaskRunner | None:
    """A runner on the cluster the flags ask for, or None (here, one fit after another)."""
    if args.workers is None and args.scheduler is None:
        return None
    return TaskRunner(workers=args.workers, scheduler=args.scheduler, progress=verbose)


def print_panel_evaluation(table: pd.DataFrame, title: str) -> None:
    """The aggregate over series beside the baselines, then the best, median and worst series by MASE."""
    print_metrics(table, f"{title} — {table.attrs['series']} series, {table.attrs['windows']} windows "
                  "(means over series)")
    per = table.attrs["per_series"]
    picks = pick_series(per["MASE"])  # the series the overview figure of --plot draws
    if len(picks) == 3:
        rows = pd.DataFrame([per.loc[name] for _, name in picks],
                            index=pd.Index([f"{label}: {name}" for label, name in picks], name="series"))
        columns = [c for c in rows.columns if c in ("MAE", "sMAPE", "MASE", "naive MASE", "seasonal naive MASE",
                                                    "coverage", "windows")]
        print_frame(rows[columns], "series by the LSTM's MASE")
    console.print(table.attrs["verdict"])
    if "intervals" in table.attrs:
        scores = table.attrs["intervals"]
        console.print(f"prediction intervals: coverage {scores['coverage']:.1%} (ACD {scores['ACD']:.3f}), "
                      f"mean MSIS {scores['MSIS']:.3f}")
