"""The validation suite that chooses defaults: every data set, cut from its training part only.

Each data set has a validation protocol that never scores (nor passes to a model) a row of its
test part: the protocols are in ``benchmarks/protocols/`` and every cut is asserted
(``protocols/cuts.py``). On each, the **default** ``Forecaster`` (only ``look_back`` and
``horizon`` set by the protocol, and Apple's ``target_transform="diff"``) is fitted through the
public API, once per seed, beside AutoETS, AutoARIMA, AutoTheta and MSTL (statsforecast) on
exactly the same windows. One table: data set, protocol, lstmcast's score (median over seeds),
the best classical model and its score, the ratio lstmcast / best classical, and seconds; then
the geometric mean of the ratios, the load average and the core count.

``--set NAME=VALUE`` overrides a Forecaster argument on every data set (values read as Python
literals), which is how candidate defaults are compared. The classical scores do not depend on
lstmcast's settings and are cached under ``benchmarks/.cache/classical/``.

Run by hand, never by the test suite::

    python benchmarks/suite.py --quick                         # airline, Apple, M4 (40 series), synthetic
    python benchmarks/suite.py                                 # every data set
    python benchmarks/suite.py --only airline,apple --set window_norm="'last'" --seeds 0,1,2
    python benchmarks/suite.py --m4-series 100 --json suite.json
"""

from __future__ import annotations

import argparse
import ast
import json
import math
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small per-step GEMMs: one BLAS thread is fastest

try:
    import lstmcast  # noqa: F401  (installed with pip install -e .)
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lstmcast.forecast.settings import ForecasterSettings  # noqa: E402
from protocols.registry import CASES  # noqa: E402

QUICK_M4_SERIES = 40
FIXED = ("horizon", "seed", "verbose")  # set by the protocols and --seeds, never by --set


def parse_value(text: str):
    """A ``--set`` value as a Python literal (``3``, ``1e-3``, ``None``, ``'last'``, ``(24, 168)``), else the text."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="only the quick data sets (under 5 minutes on 2 cores)")
    parser.add_argument("--only", default=None, metavar="NAME[,NAME]",
                        help="comma-separated, from " + ", ".join(case.name for case in CASES))
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a Forecaster argument on every data set (a Python literal)")
    parser.add_argument("--seeds", default="0", help="comma-separated; the score is their median (default: 0)")
    parser.add_argument("--m4-series", type=int, default=None, metavar="N",
                        help=f"a fixed seeded sample of N M4 series (default: all 414; --quick: {QUICK_M4_SERIES})")
    parser.add_argument("--no-cache", dest="use_cache", action="store_false",
                        help="recompute the classical scores instead of reading benchmarks/.cache/")
    parser.add_argument("--json", type=Path, default=None, metavar="OUT", help="also write every row to OUT")
    args = parser.parse_args(argv)
    names = [case.name for case in CASES]
    if args.only is not None:
        args.names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in args.names if n not in names]
        if unknown or not args.names:
            parser.error(f"--only: unknown data set {', '.join(unknown) or repr(args.only)}; "
                         f"choose from {', '.join(names)}")
    else:
        args.names = [case.name for case in CASES if case.quick or not args.quick]
    try:
        args.seed_list = [int(s) for s in args.seeds.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--seeds must be comma-separated integers, got {args.seeds!r}")
    if not args.seed_list:
        parser.error("--seeds names no seed")
    args.overrides = {}
    for item in args.set:
        name, equals, value = item.partition("=")
        if not equals or name not in ForecasterSettings.PARAMS or name in FIXED:
            parser.error(f"--set {item!r}: NAME=VALUE with NAME a Forecaster argument other than "
                         f"{', '.join(FIXED)}")
        args.overrides[name] = parse_value(value)
    if args.m4_series is None and args.quick:
        args.m4_series = QUICK_M4_SERIES
    if args.m4_series is not None and not 1 <= args.m4_series <= 414:
        parser.error(f"--m4-series must be in [1, 414], got {args.m4_series}")
    return args


def _cell(value, digits: int = 4) -> str:
    return "-" if value is None else f"{value:.{digits}g}" if abs(value) < 1e-3 else f"{value:.{digits}f}"


def table(rows: list[dict]) -> str:
    """The suite's table as text, one line per data set."""
    header = ["data set", "metric", "lstmcast", "best classical", "score", "ratio", "beside", "classical fit",
              "seconds (lstm / classical)", "protocol"]
    lines = [header]
    for r in rows:
        if r["status"] != "ok":
            lines.append([r["name"], r["metric"], "-", "-", "-", "-", "-", "-", "-",
                          f"{r['protocol']}  [{r['status']}]"])
            continue
        best = r["best"] or ("-", None)
        beside = ", ".join(f"{k} {_cell(v)}" for k, v in r["extra"].items())
        classical = r["how"] + (" (cached)" if r["cached"] else "")
        lines.append([r["name"], r["metric"], _cell(r["score"]), best[0], _cell(best[1]), _cell(r["ratio"], 3), beside,
                      classical, f"{r['seconds']:.0f} / {r['classical_seconds']:.0f}", r["protocol"]])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = [" | ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip() for line in lines]
    text.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(text)


def run_case(case, args) -> dict:
    """One data set's row (status ``ok``, ``skipped: ...`` or ``failed: ...``)."""
    row = dict(name=case.name, protocol=case.protocol, metric=case.metric)
    if case.run is None:
        return {**row, "status": f"skipped: {case.skipped}"}
    try:
        outcome = case.run(args.overrides, args.seed_list, args)
    except (ValueError, TypeError) as err:  # a --set value the Forecaster refuses
        return {**row, "status": f"failed: {type(err).__name__}: {str(err).splitlines()[0]}"}
    return {**row, "status": "ok", "score": outcome.score, "per_seed": outcome.lstm, "seconds": outcome.seconds,
            "best": outcome.classical.best(), "ratio": outcome.ratio, "classical": outcome.classical.scores,
            "not_run": outcome.classical.not_run, "how": outcome.classical.how, "cached": outcome.classical.cached,
            "classical_seconds": outcome.classical.seconds, "extra": outcome.extra, "cut": outcome.cut}


def main(argv=None) -> None:
    args = parse_args(argv)
    load_start = os.getloadavg()
    print(f"validation suite: {', '.join(args.names)}; seeds {', '.join(map(str, args.seed_list))}; "
          f"Forecaster defaults" + "".join(f", {k}={v!r}" for k, v in args.overrides.items())
          + (f"; M4 sample of {args.m4_series} series" if args.m4_series else ""))
    print(f"load average at start {load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f}, "
          f"{os.cpu_count()} cores", flush=True)
    started = time.perf_counter()
    rows = []
    for case in CASES:
        if case.name not in args.names:
            continue
        case_start = time.perf_counter()
        row = run_case(case, args)
        rows.append(row)
        if row["status"] == "ok":
            seeds = ", ".join(f"{s:.4f}" for s in row["per_seed"])
            print(f"  {case.name}: lstmcast {row['score']:.4f} (seeds {seeds}), ratio {_cell(row['ratio'], 3)}, "
                  f"{time.perf_counter() - case_start:.0f} s", flush=True)
            if row["cut"]:
                print(f"    {row['cut']}")
            for model, why in row["not_run"].items():
                print(f"    {model} not run: {why}")
        else:
            print(f"  {case.name}: {row['status']}", flush=True)
    print()
    print(table(rows))
    ratios = [r["ratio"] for r in rows if r["status"] == "ok" and r["ratio"] is not None]
    geomean = math.exp(sum(math.log(x) for x in ratios) / len(ratios)) if ratios else None
    print()
    print(f"geometric mean of the ratios (lstmcast / best classical; below 1: lstmcast better) over {len(ratios)} "
          f"data set(s): {_cell(geomean, 3)}")
    load_end = os.getloadavg()
    total = time.perf_counter() - started
    print(f"total {total:.0f} s; load average at the end {load_end[0]:.2f} {load_end[1]:.2f} {load_end[2]:.2f}, "
          f"{os.cpu_count()} cores")
    if args.json is not None:
        args.json.write_text(json.dumps(dict(rows=rows, geomean=geomean, seeds=args.seed_list,
                                             overrides={k: repr(v) for k, v in args.overrides.items()},
                                             m4_series=args.m4_series, seconds=total, load_start=load_start,
                                             load_end=load_end, cores=os.cpu_count()), indent=1, default=float))


if __name__ == "__main__":
    main()
