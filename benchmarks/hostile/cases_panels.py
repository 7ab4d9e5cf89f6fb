"""Cases of kind panels: long tables of many series, their ids, lengths, levels and frequencies."""

from __future__ import annotations

import math
import re

from .checks import forecast_file, same_count, series_count
from .core import TINY, case, cli, sh
from .makers import PTRAIN, data_file, panel, panel_csv


for name, ids, follow in [
    ("escape-in-id-train", ("a\x1b[31mb", "b", "c"), None),
    ("escape-in-id-forecast", ("a\x1b[31mb", "b", "c"), "forecast pm"),
    ("escape-in-id-info", ("a\x1b[31mb", "b", "c"), "info pm"),
    ("title-escape-in-id", ("a\x1b]0;pwned\x07", "b", "c"), "forecast pm"),
]:
    first = sh(f"$LSTMCAST {PTRAIN} >/dev/null 2>&1") if follow else cli(PTRAIN)  # only the follow-up is judged
    case("panels", name, first, *([cli(follow)] if follow else []), expect="either", mech=2,
         setup=panel(ids=ids), names=("p.csv",))

LONG = lambda: panel_csv(header="unique_id,ds,y")
case("panels", "unique-id-ds-y-without-id-column", cli(f"train p.csv --out pm {TINY}"),
     cli("forecast pm --out f.csv"), expect="either", mech=7, setup=data_file(LONG, "p.csv"),
     names=("unique_id", "--id-column"), check=series_count(3))
case("panels", "unique-id-ds-y-target-y-without-id-column", cli(f"train p.csv --target y --out pm {TINY}"),
     cli("forecast pm --out f.csv"), expect="either", mech=7, setup=data_file(LONG, "p.csv"),
     names=("unique_id", "--id-column"), check=series_count(3))
case("panels", "unique-id-ds-y-with-id-column", cli(f"train p.csv --id-column unique_id --out pm {TINY}"),
     cli("forecast pm --out f.csv"), expect="ok", setup=data_file(LONG, "p.csv"), check=series_count(3))
case("panels", "short-series", cli(PTRAIN), setup=panel(lengths={"c": 5}), names=("--skip-short",))
case("panels", "short-series-skipped", cli(PTRAIN + " --skip-short"), cli("forecast pm --out f.csv"), expect="ok",
     setup=panel(lengths={"c": 5}), check=series_count(2))
case("panels", "all-short-skipped", cli(PTRAIN + " --skip-short"), setup=panel(n=5), names=("p.csv", "short"))
case("panels", "utc-offset-dates", cli(PTRAIN), cli("forecast pm --out f.csv"), expect="either", mech=5, early=True,
     setup=panel(tz="T00:00:00+00:00"), names=("p.csv", "date"), check=series_count(3))
case("panels", "one-series", cli(PTRAIN), cli("forecast pm --out f.csv"), expect="ok", setup=panel(ids=("a",)),
     check=series_count(1))
case("panels", "extreme-level-1e250", cli(PTRAIN), cli("forecast pm --out f.csv"), expect="either", mech=4,
     early=True, setup=panel(levels={"b": 1e250}), names=("b", "value"), check=forecast_file())
case("panels", "log-return-negative-series", cli(PTRAIN + " --target-transform log_return"), mech=10,
     setup=panel(ids=("a", "neg", "c"), levels={"neg": -20.0}), names=("neg",))
case("panels", "duplicate-id-time", cli(PTRAIN), names=("p.csv",),
     setup=data_file(lambda: panel_csv() + "a,2020-01-05,3.0\n", "p.csv"))
case("panels", "missing-value-in-series", cli(PTRAIN), names=("b",),
     setup=data_file(lambda: re.sub(r"\nb,2020-01-10,[^\n]*", "\nb,2020-01-10,", panel_csv()), "p.csv"))
case("panels", "id-column-missing", cli(f"train p.csv --id-column nope --out pm {TINY}"), setup=panel(),
     names=("nope",))
case("panels", "id-column-is-target", cli(f"train p.csv --id-column value --out pm {TINY}"), setup=panel(),
     names=("value", "--id-column"))
case("panels", "integer-steps", cli(PTRAIN), cli("forecast pm --out f.csv"), expect="ok", check=series_count(3),
     setup=data_file(lambda: "series,date,value\n" + "".join(f"{s},{t},{10 * k + math.sin(t / 2):.4f}\n"
                     for k, s in enumerate("abc", 1) for t in range(1, 41)), "p.csv"))
case("panels", "dates-and-integers-mixed", cli(PTRAIN), names=("p.csv", "date"),
     setup=data_file(lambda: panel_csv(ids=("a", "b")) + "".join(f"c,{t},{t}.5\n" for t in range(1, 41)), "p.csv"))
case("panels", "different-frequencies", cli(PTRAIN), cli("forecast pm --out f.csv"), expect="either", mech=6,
     names=("p.csv", "freq", "frequen"), check=series_count(2),
     setup=data_file(lambda: panel_csv(ids=("a",)) + panel_csv(ids=("b",), freq="MS").split("\n", 1)[1], "p.csv"))
case("panels", "local-mode", cli(PTRAIN + " --mode local"), cli("forecast pm --coverage 0.9 --out f.csv"),
     expect="either", mech=7, setup=panel(), check=forecast_file(need_bounds=True))
case("panels", "no-harm-shrink-on-panel", cli(PTRAIN + " --no-harm shrink"), cli("forecast pm --out f.csv"),
     expect="ok", setup=panel(), check=forecast_file())  # applied per series since the one pipeline (issue 18)
case("panels", "evaluate-start-abc", cli("evaluate pm p.csv --start abc --no-strong"), fixtures=("pm", "p.csv"),
     mech=9, names=("--start",))
case("panels", "evaluate-start-share", cli("evaluate pm p.csv --start 0.5 --no-strong"), fixtures=("pm", "p.csv"),
     expect="ok")
case("panels", "evaluate-start-negative", cli("evaluate pm p.csv --start -5 --no-strong"),
     cli("evaluate pm p.csv --start 35 --no-strong"), fixtures=("pm", "p.csv"), expect="either", mech=9,
     names=("--start",), check=same_count("windows"))
case("panels", "empty-id", cli(PTRAIN), cli("forecast pm --out f.csv"), expect="either", setup=panel(ids=("", "b", "c")),
     names=("p.csv", "series"), check=forecast_file())
case("panels", "ids-01-and-1", cli(PTRAIN), cli("forecast pm --out f.csv"), expect="either",
     setup=panel(ids=("01", "1", "c")), names=("p.csv",), check=series_count(3))
case("panels", "forecast-unknown-series", cli("forecast pm new.csv --out f.csv"), fixtures=("pm",), expect="ok",
     setup=panel(name="new.csv", ids=("a", "b", "c", "zz")), check=series_count(4))
case("panels", "forecast-missing-column", cli("forecast pm new.csv"), fixtures=("pm",), names=("value", "new.csv"),
     setup=data_file(lambda: panel_csv(header="series,date,other"), "new.csv"))
case("panels", "backtest-start-negative", cli(f"backtest p.csv --id-column series {TINY} --start -5"),
     cli(f"backtest p.csv --id-column series {TINY} --start 35"), setup=panel(), expect="either", mech=9,
     names=("--start",), check=same_count("origins"))
