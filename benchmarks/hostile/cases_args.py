"""Cases of kind args: numbers, --start forms, outputs, seeds, coverage, quantiles, workers."""

from __future__ import annotations

import re

from .checks import exists, same_count
from .core import TINY, case, cli
from .makers import PTRAIN, TRAINED, airline_with, data_file, dated, replaced, series_csv, train


for flag, values in [
    ("--look-back", ["0", "-1", "abc"]), ("--horizon", ["0", "10000"]), ("--hidden", ["0"]), ("--layers", ["0"]),
    ("--epochs", ["0"]), ("--batch-size", ["0"]), ("--lr", ["-1", "nan"]), ("--dropout", ["1.5"]),
    ("--val-fraction", ["0", "1.5"]), ("--patience", ["-1"]), ("--seed", ["-1", "18446744073709551617"]),
    ("--ensemble", ["0"]), ("--patch", ["4"]), ("--interval-window", ["0"]), ("--mc-passes", ["5"]),
    ("--season", ["-1"]),
]:
    for value in values:
        tiny = " ".join(w for w in re.sub(rf"{flag} \S+", "", TINY).split())
        mech = 10 if flag == "--seed" else 0
        case("args", f"train{flag}={value}", cli(f"train a.csv --out m {tiny}", flag, value), fixtures=("a.csv",),
             names=(flag, flag[2:].replace("-", "_"), "--dropout") if flag == "--mc-passes"
             else (flag, flag[2:].replace("-", "_")), mech=mech, early=True)

for name, extra, names in [
    ("quantiles-above-one", "--loss quantile --quantiles 0.1,1.5", ("--quantiles",)),
    ("quantiles-garbage", "--loss quantile --quantiles abc", ("--quantiles",)),
    ("quantiles-repeated", "--loss quantile --quantiles 0.5,0.5", ("--quantiles",)),
    ("unknown-flag", "--bogus 3", ("--bogus",)),
    ("future-features-unknown", "--future-features weekday", ("--future-features", "'weekday'")),
    ("future-features-holiday-nowhere", "--future-features holiday:XX", ("holiday:XX",)),
    ("static-features-on-one-series", "--static-features value", ("--static-features",)),
]:
    case("args", name, cli(f"train a.csv --out m {TINY} {extra}"), fixtures=("a.csv",), names=names, early=True)

BIG = lambda: series_csv(60_000)
case("args", "look-back-30000-on-big-csv", cli("train big.csv --out m --look-back 30000 --horizon 3 --hidden 4 "
                                               "--epochs 1 --quiet --no-strong"),
     expect="either", setup=data_file(BIG, "big.csv"), names=("--look-back",), mech=11, early=True,
     memory=2 * 2**30, timeout=60, check=TRAINED)
case("args", "hidden-100000", cli("train a.csv --out m --look-back 6 --horizon 3 --hidden 100000 --epochs 1 "
                                  "--quiet --no-strong"), expect="either", fixtures=("a.csv",), names=("--hidden",),
     mech=11, early=True, memory=2 * 2**30, timeout=60, check=TRAINED)
case("args", "batch-size-huge", cli(f"train a.csv --out m {TINY} --batch-size 1000000000"), expect="either",
     fixtures=("a.csv",), names=("--batch-size",), check=TRAINED)
case("args", "out-empty", cli(f"train a.csv {TINY} --out", ""), fixtures=("a.csv",), names=("--out",), mech=10,
     early=True)
case("args", "out-dot", cli(f"train a.csv {TINY} --out ."), fixtures=("a.csv",), names=("--out", "'.'", ". exists", "folder"),
     mech=10, early=True)
case("args", "out-dev-full", cli(f"train a.csv {TINY} --out /dev/full"), fixtures=("a.csv",),
     names=("/dev/full",), mech=10)
case("args", "out-is-file", cli(f"train a.csv {TINY} --out m"), fixtures=("a.csv",), names=("m",),
     setup=data_file("keep me\n", "m"), early=True)
case("args", "out-non-model-folder", cli(f"train a.csv {TINY} --out m"), fixtures=("a.csv",), names=("m",),
     setup=lambda f: ((f / "m").mkdir(), (f / "m/notes.txt").write_text("mine\n")))
case("args", "out-missing-parent", cli(f"train a.csv {TINY} --out nodir/sub/m"), fixtures=("a.csv",),
     expect="either", names=("nodir",), check=exists("nodir/sub/m"))
case("args", "forecast-out-dev-full", cli("forecast m --out /dev/full"), fixtures=("m",), names=("/dev/full",),
     mech=10)
case("args", "forecast-future-missing-file", cli("forecast m --future nowhere.csv --out f.csv"), fixtures=("m",),
     names=("--future", "nowhere.csv"))
case("args", "forecast-future-on-a-model-without-them", cli("forecast m --future m/config.json --out f.csv"),
     fixtures=("m",), names=("--future", "future_features"))
case("args", "forecast-out-folder", cli("forecast m --out ."), fixtures=("m",), names=("--out", "folder", "'.'"))
case("args", "forecast-out-missing-folder", cli("forecast m --out nodir/f.csv"), fixtures=("m",), names=("nodir",))
case("args", "forecast-plot-missing-folder", cli("forecast m --plot nodir/f.png"), fixtures=("m",), names=("nodir",))
for value in ("0", "1", "1.5", "-0.1", "nan", "abc"):
    case("args", f"forecast--coverage={value}", cli("forecast m --coverage", value), fixtures=("m",),
         names=("--coverage",))
case("args", "evaluate--coverage=2", cli("evaluate m a.csv --no-strong --coverage 2"), fixtures=("m", "a.csv"),
     names=("--coverage",))
case("args", "forecast-csv-missing-target", cli("forecast m new.csv"), fixtures=("m",), names=("Passengers", "new.csv"),
     setup=data_file(lambda: series_csv(60, header="Month,Other", freq="MS"), "new.csv"))
case("args", "forecast-wrong-sep", cli("forecast m a.csv --sep ';'"), fixtures=("m", "a.csv"),
     names=("--sep", "a.csv", "separator"))
for value, expect, names, mech, check in [
    ("abc", "refuse", ("--start",), 9, None),
    ("2099-01-01", "refuse", ("--start", "2099"), 9, None),
    ("1955-01-01", "ok", (), 0, None),
    ("0.5", "ok", (), 9, None),
    ("100", "ok", (), 9, None),
    ("1e9", "refuse", ("--start",), 9, None),
    ("1955-01-01T00:00:00+05:00", "refuse", ("--start",), 5, None),
]:
    case("args", f"evaluate--start={value}", cli("evaluate m a.csv --no-strong --start", value),
         fixtures=("m", "a.csv"), expect=expect, names=names, mech=mech)
case("args", "evaluate--start=-40-vs-104", cli("evaluate m a.csv --no-strong --start -40"),
     cli("evaluate m a.csv --no-strong --start 104"), fixtures=("m", "a.csv"), expect="either", mech=9,
     names=("--start",), check=same_count("windows"))
case("args", "evaluate-naive-start-on-utc-data", train(), cli("evaluate m x.csv --no-strong --start 2020-02-01"),
     expect="either", mech=5, names=("--start",),
     setup=data_file(lambda: dated(60, "2020-01-01", "D", "%Y-%m-%dT00:00:00", tz="+00:00")))
case("args", "backtest--start=-10-vs-134", cli(f"backtest a.csv {TINY} --start -10"),
     cli(f"backtest a.csv {TINY} --start 134"), fixtures=("a.csv",), expect="either", mech=9, names=("--start",),
     check=same_count("origins"))
case("args", "backtest--start-aware-on-naive", cli(f"backtest a.csv {TINY} --start 1959-01-01T00:00:00+05:00"),
     fixtures=("a.csv",), mech=5, names=("--start",))
for name, extra, names in [
    ("start-1.5", "--start 1.5", ("--start",)), ("start-abc", "--start abc", ("--start",)),
    ("step-0", "--start 0.9 --step 0", ("--step",)), ("refit-every-0", "--start 0.9 --refit-every 0", ("--refit-every",)),
    ("end-before-start", "--start 0.9 --end 0.5", ("--end", "--start")),
    ("coverage-1.5", "--start 0.9 --coverage 1.5", ("--coverage",)),
]:
    case("args", f"backtest-{name}", cli(f"backtest a.csv {TINY} {extra}"), fixtures=("a.csv",), names=names,
         mech=9 if "start" in name else 0)
case("args", "workers-without-mode-local", cli(PTRAIN + " --workers 2"), fixtures=("p.csv",), expect="warn", mech=8,
     names=("--workers",))
case("args", "workers-on-one-series", cli(f"train a.csv --out m {TINY} --workers 2"), fixtures=("a.csv",),
     expect="warn", mech=8, names=("--workers",))
case("args", "workers-0", cli(PTRAIN + " --mode local --workers 0"), fixtures=("p.csv",), names=("--workers",))
case("args", "backtest-workers-one-fit-one-series", cli(f"backtest a.csv {TINY} --workers 2"), fixtures=("a.csv",),
     mech=8, names=("--workers", "--refit-every"), early=True)
case("args", "backtest-workers-0", cli(f"backtest a.csv {TINY} --refit-every 10 --workers 0"), fixtures=("a.csv",),
     names=("--workers",))
case("args", "workers-without-dask", cli(PTRAIN + " --mode local --workers 2"), fixtures=("p.csv",), nodask=True,
     mech=5, names=("dask", "Dask", "distributed"))
case("args", "scheduler-without-dask", cli(PTRAIN + " --mode local --scheduler tcp://127.0.0.1:9"),
     fixtures=("p.csv",), nodask=True, mech=5, names=("dask", "Dask", "distributed"))
case("args", "resume-on-different-csv", cli(f"train b.csv --resume --out m {TINY.replace('--epochs 2', '--epochs 3')}"),
     fixtures=("m", "a.csv"), mech=7, names=("b.csv", "--resume", "a.csv"),
     setup=airline_with(replaced(lambda v: [str(2 * float(x) + 7) for x in v]), "b.csv"))
case("args", "resume-different-columns", cli(f"train new.csv --resume --out m {TINY.replace('--epochs 2', '--epochs 3')}"),
     fixtures=("m",), names=("new.csv", "Passengers", "--resume"),
     setup=data_file(lambda: series_csv(144, header="Month,Other", freq="MS"), "new.csv"))
case("args", "resume-without-model", cli(f"train a.csv --resume --out nope {TINY}"), fixtures=("a.csv",),
     names=("nope", "--resume"))
case("args", "unknown-command", cli("frobnicate"), names=("frobnicate",))
case("args", "inspect-window-huge", cli("inspect m --window 100000"), fixtures=("m",), names=("--window",))
case("args", "inspect-series-on-one-series", cli("inspect m --series zz"), fixtures=("m",), expect="either",
     names=("--series", "zz"))
case("args", "season-huge", cli(f"train a.csv --out m {TINY} --season 1000000000"), fixtures=("a.csv",),
     expect="either", names=("--season",), check=TRAINED)
