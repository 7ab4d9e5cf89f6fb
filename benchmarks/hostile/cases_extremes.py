"""Cases of kind extremes: huge, tiny and subnormal values."""

from __future__ import annotations

from .checks import forecast_file, no_text
from .core import case, cli
from .makers import (PTRAIN, airline_with, data_file, next_dates, panel, panel_csv, replaced, series_csv,
                     set_value, train)


for name, change, expect, names, mech in [
    ("one-1e308", set_value(10, "1e308"), "either", ("Passengers",), 4),
    ("many-1e308", replaced(lambda v: ["1e308" if i % 2 else x for i, x in enumerate(v)]), "either",
     ("Passengers",), 4),
    ("last-1e308", set_value(143, "1e308"), "either", ("Passengers",), 4),
    ("minus-1e308", set_value(10, "-1e308"), "either", ("Passengers",), 4),
    ("max-double", set_value(10, "1.7976931348623157e308"), "either", ("Passengers",), 4),
    ("all-near-1e300", replaced(lambda v: [f"{float(x)}e298" for x in v]), "either", ("Passengers",), 4),
    ("subnormal-values", replaced(lambda v: [f"{float(x)}e-312" for x in v]), "either", ("Passengers",), 4),
    ("tiny-and-one", replaced(lambda v: ["1e-300" if i % 3 else "1" for i, x in enumerate(v)]), "either",
     ("Passengers",), 4),
    ("large-1e15", replaced(lambda v: [f"{float(x)}e13" for x in v]), "ok", (), 0),
    ("1e308-with-diff", set_value(10, "1e308"), "either", ("Passengers",), 4),
    ("huge-range-log-return", replaced(lambda v: ["1e-300" if i % 2 else "1e300" for i, x in enumerate(v)]),
     "either", ("Passengers",), 4),
]:
    extra = "--target-transform diff" if "diff" in name else "--target-transform log_return" if "log" in name else ""
    case("extremes", name, train(extra), cli("forecast m --coverage 0.9 --out f.csv"), expect=expect, names=names,
         mech=mech, setup=airline_with(change), check=forecast_file(need_bounds=True))
case("extremes", "feature-1e308", train("--features Extra"), cli("forecast m --out f.csv"), expect="either",
     names=("Extra",), mech=4, check=forecast_file(),
     setup=data_file(lambda: "date,value,Extra\n" + "".join(
         f"{ln},{'1e308' if i % 5 == 0 else i}\n" for i, ln in enumerate(series_csv(60).splitlines()[1:]))))
case("extremes", "panel-5e300", cli(PTRAIN), cli("forecast pm --coverage 0.9 --out f.csv"), expect="either", mech=4,
     early=True, setup=panel(levels={"b": 5e300}), names=("b", "value"), check=forecast_file(need_bounds=True))
case("extremes", "panel-constant-series", cli(PTRAIN), cli("forecast pm --coverage 0.9 --out f.csv"), expect="either",
     setup=data_file(lambda: panel_csv(ids=("a", "b")) + "".join(f"c,{d},7.0\n" for d in next_dates("2019-12-31", 0, "D", 40)),
                     "p.csv"), names=("c",), check=forecast_file(need_bounds=True))
case("extremes", "evaluate-data-with-1e308", cli("evaluate m x.csv --no-strong"), fixtures=("m",), expect="either",
     mech=4, names=("Passengers", "x.csv"), setup=airline_with(set_value(140, "1e308")), check=no_text("inf", "nan"))
case("extremes", "forecast-new-data-1e308", cli("forecast m x.csv --coverage 0.9 --out f.csv"), fixtures=("m",),
     expect="either", mech=4, names=("Passengers", "x.csv"), setup=airline_with(set_value(142, "1e308")),
     check=forecast_file(need_bounds=True))
