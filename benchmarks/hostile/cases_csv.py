"""Cases of kind csv: malformed files, encodings, separators, values, headers."""

from __future__ import annotations

from .checks import forecast_file
from .core import case, cli
from .makers import (TRAINED, air_lines, air_values, airline_with, data_file, fixture, replaced, series_csv,
                     set_value, train)


AIR_HEADER = '"Month","Passengers"'
for name, content, expect, names, extra, mech in [
    ("empty-file", b"", "refuse", ("x.csv",), "", 0),
    ("header-only", AIR_HEADER + "\n", "refuse", ("x.csv",), "", 0),
    ("one-row", AIR_HEADER + '\n"1949-01",112\n', "refuse", ("x.csv",), "", 0),
    ("binary-garbage", bytes(range(256)) * 40, "refuse", ("x.csv",), "", 0),
    ("gzip-named-csv", lambda: __import__("gzip").compress(fixture("a.csv").read_bytes()), "refuse", ("x.csv",), "", 0),
    ("html-page", "<!DOCTYPE html>\n<html><body>404 Not Found</body></html>\n", "refuse", ("x.csv",), "", 0),
    ("nul-bytes", lambda: fixture("a.csv").read_bytes().replace(b",118", b",1\x0018"), "refuse", ("x.csv",), "", 0),
    ("latin1-no-encoding", lambda: series_csv(60, header="Datum,Préis").encode("latin-1"), "refuse",
     ("x.csv", "--encoding"), "", 0),
    ("latin1-with-encoding", lambda: series_csv(60, header="Datum,Préis").encode("latin-1"), "ok", (),
     "--encoding latin-1", 0),
    ("utf8-bom", lambda: b"\xef\xbb\xbf" + fixture("a.csv").read_bytes(), "ok", (), "", 0),
    ("utf16", lambda: fixture("a.csv").read_text().encode("utf-16"), "either", ("x.csv", "--encoding"), "", 0),
    ("bad-encoding-name", lambda: fixture("a.csv").read_bytes(), "refuse", ("klingon", "--encoding"),
     "--encoding klingon", 0),
    ("semicolon-no-sep", lambda: series_csv(60, sep=";", header="date;value"), "refuse", ("--sep", "separator"), "", 0),
    ("semicolon-with-sep", lambda: series_csv(60, sep=";", header="date;value"), "ok", (), "--sep ';'", 0),
    ("tab-with-sep", lambda: series_csv(60, sep="\t", header="date\tvalue"), "ok", (), "--sep tab", 0),
    ("sep-multichar", lambda: fixture("a.csv").read_bytes(), "refuse", ("--sep",), "--sep '::'", 0),
    ("sep-wrong-for-file", lambda: fixture("a.csv").read_bytes(), "refuse", ("--sep", "separator", "x.csv"),
     "--sep ';'", 0),
    ("decimal-comma", lambda: series_csv(60, sep=";", header="date;value").replace(".", ","), "either", ("x.csv",),
     "--sep ';'", 0),
    ("crlf-lines", lambda: fixture("a.csv").read_text().replace("\n", "\r\n"), "ok", (), "", 0),
    ("comment-line-first", lambda: "# exported by a spreadsheet\n" + fixture("a.csv").read_text(), "either",
     ("x.csv",), "", 0),
    ("no-header-row", lambda: "\n".join(air_lines()[1:]) + "\n", "either", ("x.csv",), "", 0),
    ("quoted-newline-header", lambda: '"Month","Pass\nengers"\n' + "\n".join(air_lines()[1:]) + "\n", "either",
     ("x.csv",), "", 2),
    ("escape-in-header", lambda: '"Month","Pass\x1b[31mengers"\n' + "\n".join(air_lines()[1:]) + "\n", "either",
     ("x.csv",), "", 2),
    ("duplicate-header", lambda: '"Month","Passengers","Passengers"\n'
     + "\n".join(f"{ln},{ln.split(',')[1]}" for ln in air_lines()[1:]) + "\n", "either", ("x.csv", "Passengers"), "", 0),
    ("empty-value-header", lambda: '"Month",""\n' + "\n".join(air_lines()[1:]) + "\n", "either", ("x.csv",), "", 0),
    ("only-date-column", lambda: "\n".join(ln.split(",")[0] for ln in air_lines()) + "\n", "refuse", ("x.csv",), "", 0),
    ("no-date-column", lambda: "value\n" + "\n".join(air_values()) + "\n", "either", ("x.csv",), "", 0),
    ("wide-header-100001", lambda: "date," + ",".join(f"c{i}" for i in range(100_000)) + "\n"
     + "".join(f"2020-01-0{d}," + ",".join(["1"] * 100_000) + "\n" for d in (1, 2)), "refuse", ("x.csv",), "", 10),
    ("wide-header-with-target", lambda: "date," + ",".join(f"c{i}" for i in range(100_000)) + "\n"
     + "".join(f"2020-01-0{d}," + ",".join(["1"] * 100_000) + "\n" for d in (1, 2)), "refuse", ("x.csv",),
     "--target c5", 10),
    ("long-column-name", lambda: series_csv(60, header="date," + "v" * 20_000), "either", ("x.csv",), "", 10),
    ("huge-field", lambda: "\n".join(air_lines()[:5] + [f'"1949-05",{"7" * 1_000_000}'] + air_lines()[6:]) + "\n",
     "either", ("x.csv", "Passengers"), "", 4),
]:
    case("csv", name, train(extra), expect=expect, setup=data_file(content), names=names, mech=mech,
         check=TRAINED if expect != "refuse" else None)

for name, change, expect, names, extra in [
    ("ragged-row", set_value(10, "115,7"), "refuse", ("x.csv",), ""),
    ("short-row", lambda lines: lines[:11] + [lines[11].split(",")[0]] + lines[12:], "refuse", ("x.csv",), ""),
    ("empty-value", set_value(10, ""), "refuse", ("Passengers",), ""),
    ("empty-value-fill", set_value(10, ""), "ok", (), "--fill ffill"),
    ("inf-value", set_value(10, "inf"), "refuse", ("Passengers",), ""),
    ("nan-text", set_value(10, "nan"), "refuse", ("Passengers",), ""),
    ("text-value", set_value(10, "abc"), "refuse", ("Passengers",), ""),
    ("thousands-separator", set_value(10, '"1,150"'), "either", ("Passengers",), ""),
    ("bool-target", replaced(lambda v: ["True" if i % 2 else "False" for i in range(len(v))]), "either",
     ("Passengers",), ""),
    ("target-missing", lambda lines: lines, "refuse", ("Nope", "--target"), "--target Nope"),
    ("feature-missing", lambda lines: lines, "refuse", ("Nope",), "--features Nope"),
    ("feature-is-target", lambda lines: lines, "refuse", ("Passengers", "--features"), "--features Passengers"),
    ("date-column-missing", lambda lines: lines, "refuse", ("Nope",), "--date-column Nope"),
    ("date-column-is-target", lambda lines: lines, "refuse", ("Passengers", "--date-column"),
     "--date-column Passengers"),
    ("derived-feature-without-close", lambda lines: lines, "refuse", ("Return", "Close"), "--features Return"),
    ("negative-with-log-return", replaced(lambda v: [str(float(x) - 300) for x in v]), "refuse",
     ("Passengers", "log"), "--target-transform log_return"),
    ("zeros-with-log-window-norm", replaced(lambda v: ["0" if i % 7 == 0 else x for i, x in enumerate(v)]),
     "refuse", ("Passengers", "log"), "--window-norm log_mean_std"),
    ("constant-values", replaced(lambda v: ["100"] * len(v)), "either", ("Passengers",), ""),
    ("all-zero", replaced(lambda v: ["0"] * len(v)), "either", ("Passengers",), ""),
    ("overflowing-integer", set_value(10, "99999999999999999999999"), "either", ("Passengers",), ""),
]:
    steps = [train(extra)] + ([cli("forecast m --coverage 0.9 --out f.csv")] if expect != "refuse" else [])
    case("csv", name, *steps, expect=expect, setup=airline_with(change), names=names,
         check=forecast_file() if expect != "refuse" else None)

case("csv", "file-not-found", train(data="nope.csv"), names=("nope.csv",))
case("csv", "file-is-folder", train(), setup=lambda f: (f / "x.csv").mkdir(), names=("x.csv",))
case("csv", "feature-with-nan", train("--features Extra"), names=("Extra",),
     setup=data_file(lambda: "date,value,Extra\n" + "".join(
         f"{ln.split(',')[0]},{ln.split(',')[1]},{'' if i == 30 else i}\n"
         for i, ln in enumerate(series_csv(60).splitlines()[1:]))))
case("csv", "feature-constant", train("--features Extra"), cli("forecast m --out f.csv"), expect="either",
     names=("Extra",), check=forecast_file(),
     setup=data_file(lambda: "date,value,Extra\n" + "".join(
         f"{ln},1\n" for ln in series_csv(60).splitlines()[1:])))
