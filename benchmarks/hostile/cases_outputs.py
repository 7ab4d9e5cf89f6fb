"""Cases of kind outputs: valid inputs whose results must be right."""

from __future__ import annotations

from .checks import forecast_file, no_text, point_between, wider
from .core import TINY, case, cli
from .makers import PTRAIN, next_dates, panel


AIR_NEXT = ["1961-01-01", "1961-02-01", "1961-03-01"]
for name, steps, fixtures, expect, check, mech in [
    ("airline-coverage-0.9", [cli("forecast m --coverage 0.9 --out f.csv")], ("m",), "ok",
     forecast_file(dates=AIR_NEXT, need_bounds=True), 0),
    ("coverage-0.999999", [cli("forecast m --coverage 0.9 --out a.csv"), cli("forecast m --coverage 0.999999 --out b.csv")],
     ("m",), "either", wider("a.csv", "b.csv"), 7),
    ("coverage-0.99-wider", [cli("forecast m --coverage 0.9 --out a.csv"), cli("forecast m --coverage 0.99 --out b.csv")],
     ("m",), "either", wider("a.csv", "b.csv"), 7),
    ("quantile-tie-coverage-0.2", [cli(f"train a.csv --out mq {TINY} --loss quantile --quantiles 0.1,0.5,0.9"),
                                   cli("forecast mq --coverage 0.2 --out f.csv")], ("a.csv",), "ok",
     forecast_file(point="Passengers", need_bounds=True), 7),
    ("quantiles-without-median", [cli(f"train a.csv --out mq {TINY} --loss quantile --quantiles 0.1,0.9"),
                                  cli("forecast mq --out f.csv")], ("a.csv",), "either",
     point_between("q0.1", "q0.9", "Passengers"), 7),
    ("quantiles-without-median-coverage", [cli(f"train a.csv --out mq {TINY} --loss quantile --quantiles 0.1,0.9"),
                                           cli("forecast mq --coverage 0.8 --out f.csv")], ("a.csv",), "either",
     forecast_file(point="Passengers", need_bounds=True), 7),
    ("daily-forecast-dates", [cli("forecast md --out f.csv")], ("md",), "ok",
     forecast_file(dates=next_dates("2020-01-01", 120, "D")), 0),
    ("panel-forecast-dates", [cli("forecast pm --coverage 0.9 --out f.csv")], ("pm",), "ok",
     forecast_file(dates=next_dates("2020-01-01", 40, "D"), need_bounds=True), 0),
    ("backtest-bounds", [cli(f"backtest a.csv {TINY} --start 0.9 --out bt.csv")], ("a.csv",), "ok",
     forecast_file("bt.csv", point="forecast", need_bounds=True), 0),
    ("evaluate-coverage", [cli("evaluate m a.csv --no-strong --coverage 0.9")], ("m", "a.csv"), "ok",
     no_text("inf", "nan"), 0),
    ("shrink-forecast", [cli(f"train a.csv --out m {TINY} --no-harm shrink"), cli("forecast m --coverage 0.9 --out f.csv")],
     ("a.csv",), "ok", forecast_file(dates=AIR_NEXT, need_bounds=True), 0),
    ("rolling-interval-method", [cli(f"train a.csv --out m {TINY} --interval-method rolling"),
                                 cli("forecast m --coverage 0.9 --out f.csv")], ("a.csv",), "ok",
     forecast_file(need_bounds=True), 0),
    ("local-one-validation-window", [cli(PTRAIN + " --mode local"), cli("forecast pm --coverage 0.9 --out f.csv")],
     ("p15.csv",), "either", forecast_file(need_bounds=True), 7),
    ("global-short-series-coverage", [cli(PTRAIN), cli("forecast pm --coverage 0.9 --out f.csv")],
     ("p15.csv",), "either", forecast_file(need_bounds=True), 7),
]:
    setup = None
    if "p15.csv" in fixtures:
        fixtures, setup = (), panel(n=15)
    case("outputs", name, *steps, fixtures=fixtures, expect=expect, check=check, mech=mech, setup=setup,
         names=("p.csv", "--coverage", "--quantiles", "validation"))
