"""The command line: choosing the cases, running them in parallel, the table and the JSON."""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import __doc__ as PACKAGE_DOC

# each module adds its kind's cases to CASES as it is imported: this order is the order of the sweep
from . import cases_csv, cases_dates, cases_panels, cases_folders, cases_links  # noqa: F401
from . import cases_args, cases_api, cases_extremes, cases_outputs  # noqa: F401
from .core import CASES, MECHANISMS, ROOT
from .harness import SHIM, Runner, build_fixtures, run_case


def report(results: list[dict], seconds: float, src: Path) -> str:
    kinds = list(dict.fromkeys(r["kind"] for r in results))
    lines = [f"hostile sweep of {src}", "", f"{'kind':<10} {'clean':>6} {'total':>6}"]
    for kind in kinds:
        mine = [r for r in results if r["kind"] == kind]
        lines.append(f"{kind:<10} {sum(r['clean'] for r in mine):>6} {len(mine):>6}")
    unclean = [r for r in results if not r["clean"]]
    if unclean:
        lines += ["", "unclean cases (mechanism: see the issue):"]
        for r in unclean:
            lines.append(f"  [{r['mechanism'] or '-':>2}] {r['kind']}/{r['name']}: {r['reason']}")
        lines += ["", "unclean by mechanism:"]
        for mech in sorted({r["mechanism"] for r in unclean}):
            count = sum(r["mechanism"] == mech for r in unclean)
            lines.append(f"  {mech:>2} {MECHANISMS.get(mech, 'none named (a control case)'):<50} {count:>4}")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines += ["", f"clean {sum(r['clean'] for r in results)} of {len(results)}",
              f"{seconds:.0f} s, load average {load}"]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=PACKAGE_DOC.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="src folder of the checkout to measure")
    parser.add_argument("--only", help="comma-separated kinds to run")
    parser.add_argument("--match", help="run only cases whose kind/name contains this text")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    parser.add_argument("--json", type=Path, help="write every result here")
    parser.add_argument("--jobs", type=int, default=2, help="cases run at once (default: 2)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per step before it is a hang")
    parser.add_argument("--python", default=sys.executable, help="interpreter that runs lstmcast")
    args = parser.parse_args(argv)
    chosen = [c for c in CASES if (not args.only or c.kind in args.only.split(","))
              and (not args.match or args.match in c.key)]
    if args.list:
        for c in chosen:
            print(f"{c.key:<44} {c.expect:<7} mechanism {c.mech or '-'}")
        kinds = dict.fromkeys(c.kind for c in chosen)
        print(f"{len(chosen)} cases: " + ", ".join(f"{k} {sum(c.kind == k for c in chosen)}" for k in kinds))
        return 0
    src = args.src.resolve()
    base = Path(tempfile.mkdtemp(prefix="hostile-sweep-"))
    started = time.monotonic()
    try:
        shim = base / "nodask"
        shim.mkdir()
        (shim / "sitecustomize.py").write_text(SHIM)
        runner = Runner(src, args.python, args.timeout, shim)
        print(f"building fixtures with {src} ...", file=sys.stderr, flush=True)
        build_fixtures(runner, base)
        for command in ("train", "forecast", "evaluate", "backtest", "info", "inspect"):
            runner.command_flags(command)
        results = [None] * len(chosen)
        with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
            futures = {pool.submit(run_case, c, runner, base): i for i, c in enumerate(chosen)}
            for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
                i = futures[future]
                results[i] = future.result()
                mark = "ok " if results[i]["clean"] else "BAD"
                print(f"[{done:>3}/{len(chosen)}] {mark} {chosen[i].key}", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    seconds = time.monotonic() - started
    text = report(results, seconds, src)
    print(text)
    if args.json:
        kinds = dict.fromkeys(r["kind"] for r in results)
        args.json.write_text(json.dumps({
            "src": str(src), "python": args.python, "seconds": round(seconds, 1), "load_average": os.getloadavg(),
            "clean": sum(r["clean"] for r in results), "total": len(results),
            "kinds": {k: {"clean": sum(r["clean"] for r in results if r["kind"] == k),
                          "total": sum(r["kind"] == k for r in results)} for k in kinds},
            "cases": results,
        }, indent=1))
    return 0

