"""Cases of kind dates: day-first, ambiguous, zones, duplicates, order, gaps."""

from __future__ import annotations

from .checks import forecast_file
from .core import case, cli
from .makers import both, data_file, dated, next_dates, series_csv, train


for name, n, start, freq, fmt, expect, shuffle, tz, mech in [
    ("day-first-unambiguous", 60, "2020-01-13", "D", "%d/%m/%Y", "either", None, "", 7),
    ("day-first-ambiguous-start", 60, "2020-01-01", "D", "%d/%m/%Y", "either", None, "", 7),
    ("day-first-monthly", 40, "2018-01-01", "MS", "%d/%m/%Y", "either", None, "", 7),
    ("day-first-dotted", 60, "2020-01-01", "D", "%d.%m.%Y", "either", None, "", 7),
    ("day-first-dashes", 60, "2020-01-01", "D", "%d-%m-%Y", "either", None, "", 7),
    ("month-first-unambiguous", 60, "2020-01-13", "D", "%m/%d/%Y", "either", None, "", 0),
    ("iso-daily", 60, "2020-01-01", "D", "%Y-%m-%d", "ok", None, "", 0),
    ("iso-hourly", 80, "2020-01-01", "h", "%Y-%m-%d %H:%M", "ok", None, "", 0),
    ("weekly", 60, "2020-01-05", "W-SUN", "%Y-%m-%d", "either", None, "", 0),
    ("utc-offset-all", 60, "2020-01-01", "D", "%Y-%m-%dT00:00:00", "either", None, "+00:00", 0),
    ("utc-z-suffix", 60, "2020-01-01", "D", "%Y-%m-%dT00:00:00", "either", None, "Z", 0),
    ("unsorted-dates", 60, "2020-01-01", "D", "%Y-%m-%d", "either", "shuffle", "", 7),
    ("descending-dates", 60, "2020-01-01", "D", "%Y-%m-%d", "either", "reverse", "", 7),
    ("beyond-2262", 60, "2262-03-01", "D", "%Y-%m-%d", "either", None, "", 5),
    ("before-1677", 60, "1677-08-01", "D", "%Y-%m-%d", "either", None, "", 5),
]:
    case("dates", name, train(), cli("forecast m --out f.csv"), expect=expect, mech=mech, names=("x.csv", "date"),
         setup=data_file(lambda n=n, start=start, freq=freq, fmt=fmt, shuffle=shuffle, tz=tz:
                         dated(n, start, freq, fmt, shuffle=shuffle, tz=tz)),
         check=forecast_file(dates=next_dates(start, n, freq)))


def daily_lines(n=60, start="2020-01-01"):
    return series_csv(n, start).splitlines()


for name, make, expect, names, extra, mech in [
    ("mixed-offsets", lambda: "date,value\n" + "\n".join(
        f"{ln.split(',')[0]}T00:00:00{'+00:00' if i < 30 else '+02:00'},{ln.split(',')[1]}"
        for i, ln in enumerate(daily_lines()[1:])) + "\n", "either", ("date", "x.csv"), "", 5),
    ("aware-and-naive", lambda: "date,value\n" + "\n".join(
        f"{ln.split(',')[0]}T00:00:00{'+00:00' if i < 30 else ''},{ln.split(',')[1]}"
        for i, ln in enumerate(daily_lines()[1:])) + "\n", "refuse", ("date", "x.csv"), "", 5),
    ("duplicate-dates", lambda: "\n".join(daily_lines()[:31] + daily_lines()[30:]) + "\n", "refuse",
     ("date", "x.csv"), "", 0),
    ("gap-without-fill", lambda: "\n".join(daily_lines()[:20] + daily_lines()[24:]) + "\n", "warn",
     ("--fill", "gap"), "", 6),
    ("gap-with-fill", lambda: "\n".join(daily_lines()[:20] + daily_lines()[24:]) + "\n", "ok", (),
     "--fill interpolate", 0),
    ("irregular-dates", lambda: "date,value\n" + "\n".join(
        f"2020-{1 + i // 28:02d}-{1 + (i * 7) % 28:02d},{i}" for i in range(60)) + "\n", "refuse",
     ("date", "x.csv"), "", 6),
    ("invalid-calendar-date", lambda: "\n".join(daily_lines()[:31] + ["2020-02-30,55.0"] + daily_lines()[32:]) + "\n",
     "refuse", ("2020-02-30",), "", 0),
    ("empty-date-cell", lambda: "\n".join(daily_lines()[:11] + [",55.0"] + daily_lines()[12:]) + "\n", "refuse",
     ("date", "x.csv"), "", 0),
    ("mixed-resolution", lambda: "\n".join(daily_lines()[:11] + ["2020-01-11 00:00:00.5,55.0"] + daily_lines()[12:])
     + "\n", "either", ("date", "x.csv"), "", 0),
    ("years-as-integers", lambda: "year,value\n" + "".join(f"{1950 + i},{100 + 3 * i + (i % 4)}\n"
                                                           for i in range(60)), "either", ("year", "x.csv"), "", 0),
    ("epoch-seconds", lambda: "timestamp,value\n" + "".join(f"{1577836800 + 86400 * i},{50 + i % 7}\n"
                                                            for i in range(60)), "either", ("timestamp", "x.csv"), "", 0),
]:
    case("dates", name, train(extra), cli("forecast m --out f.csv"), expect=expect, names=names, mech=mech,
         setup=data_file(make), check=forecast_file(rows=3))

NEW_GAP = lambda: "\n".join(series_csv(130).splitlines()[:100] + series_csv(130).splitlines()[104:]) + "\n"
case("dates", "forecast-new-data-gap", cli("forecast md new.csv"), fixtures=("md",), setup=data_file(NEW_GAP, "new.csv"),
     names=("new.csv",), mech=6)
case("dates", "evaluate-new-data-gap", cli("evaluate md new.csv --no-strong"), fixtures=("md",),
     setup=data_file(NEW_GAP, "new.csv"), names=("new.csv",), mech=6)
case("dates", "forecast-day-first-new-data", cli("forecast md new.csv --out f.csv"), fixtures=("md",),
     expect="either", mech=7, names=("new.csv", "date"),
     setup=data_file(lambda: dated(12, "2020-05-01", "D", "%d/%m/%Y"), "new.csv"),
     check=forecast_file(dates=next_dates("2020-05-01", 12, "D")))
case("dates", "forecast-month-first-new-data", cli("forecast md new.csv --out f.csv"), fixtures=("md",),
     expect="either", names=("new.csv", "date"),
     setup=data_file(lambda: dated(12, "2020-05-01", "D", "%m/%d/%Y"), "new.csv"),
     check=forecast_file(dates=next_dates("2020-05-01", 12, "D")))
case("dates", "forecast-monthly-on-daily-model", cli("forecast md monthly.csv"), fixtures=("md", "monthly.csv"),
     names=("freq", "frequen", "daily", "month", "MS"), mech=7)
case("dates", "evaluate-monthly-on-daily-model", cli("evaluate md monthly.csv --no-strong"),
     fixtures=("md", "monthly.csv"), names=("freq", "frequen", "daily", "month", "MS"), mech=7)
case("dates", "forecast-older-data", cli("forecast md new.csv --out f.csv"), fixtures=("md",), expect="either",
     setup=data_file(lambda: series_csv(80), "new.csv"), check=forecast_file(dates=next_dates("2020-01-01", 80, "D")))
case("dates", "forecast-newer-data", cli("forecast md new.csv --out f.csv"), fixtures=("md",), expect="ok",
     setup=data_file(lambda: series_csv(130), "new.csv"), check=forecast_file(dates=next_dates("2020-01-01", 130, "D")))
case("dates", "forecast-naive-data-on-utc-model", train(), cli("forecast m new.csv --out f.csv"), expect="either",
     mech=5, names=("new.csv", "date", "zone"),
     setup=both(data_file(lambda: dated(60, "2020-01-01", "D", "%Y-%m-%dT00:00:00", tz="+00:00")),
                data_file(lambda: series_csv(70), "new.csv")), check=forecast_file(rows=3))
