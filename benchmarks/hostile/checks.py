"""Checks of a case that exited 0: each returns None when the result is right, else why not."""

from __future__ import annotations

import math
import re
from pathlib import Path


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    import csv

    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan


def forecast_file(name: str = "f.csv", dates: list[str] | None = None, rows: int | None = None,
                  point: str | None = None, need_bounds: bool = False):
    """A check of a forecast CSV: every number finite, lower <= point <= upper, the dates if given."""
    def check(folder: Path, results) -> str | None:
        path = folder / name
        if not path.is_file():
            return f"{name} was not written"
        header, body = read_csv(path)
        if rows is not None and len(body) != rows:
            return f"{name} has {len(body)} rows, expected {rows}"
        if dates is not None:
            got = [r[header.index("date")] if "date" in header and header[0] in ("", "series", "unique_id")
                   else r[0] for r in body][: len(dates)]
            got = [g[:10] for g in got]
            if got != dates:
                return f"forecast dates {got} where {dates} follow the data"
        numeric = [c for c in header if c not in ("", "series", "date", "unique_id", "ds", "origin", "fitted_until")
                   and c != header[0]]
        for r in body:
            values = {c: number(r[header.index(c)]) for c in numeric}
            bad = [c for c, v in values.items() if not math.isfinite(v)]
            if bad:
                return f"non-finite {bad[0]} ({r[header.index(bad[0])]}) in {name}"
            if "lower" in values:
                p = values.get(point) if point else values.get("forecast", next(iter(values.values())))
                if not values["lower"] - 1e-9 * abs(p) <= p <= values["upper"] + 1e-9 * abs(p):
                    return f"point forecast {p:g} outside its interval [{values['lower']:g}, {values['upper']:g}]"
            elif need_bounds:
                return f"{name} has no lower/upper columns"
        return None
    return check


def all_checks(*checks):
    def check(folder, results):
        for one in checks:
            reason = one(folder, results)
            if reason:
                return reason
        return None
    return check


def exists(name: str):
    def check(folder, results):
        return None if (folder / name).exists() else f"{name} was not written"
    return check


def no_text(*words: str):
    """Stdout of every step free of these words (``inf``, ``nan`` in a report)."""
    def check(folder, results):
        for r in results:
            for word in words:
                if re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", r.stdout):
                    return f"'{word}' in the output of {r.label}"
        return None
    return check


def same_count(word: str = "windows"):
    """The first two steps report the same number of windows/origins (``--start`` forms that mean the same)."""
    pattern = re.compile(rf"(\d[\d,]*) {word}")

    def check(folder, results):
        counts = [pattern.findall(r.stdout)[:1] for r in results[:2]]
        if not all(counts):
            return f"no '{word}' count in the output"
        if counts[0] != counts[1]:
            return f"{results[0].label} scores {counts[0][0]} {word}, {results[1].label} {counts[1][0]}"
        return None
    return check


def wider(narrow: str, wide: str):
    """Every bound of ``wide`` is finite and at least as far out as ``narrow``'s."""
    def check(folder, results):
        a, b = read_csv(folder / narrow), read_csv(folder / wide)
        lo, hi = a[0].index("lower"), a[0].index("upper")
        for ra, rb in zip(a[1], b[1]):
            la, ua, lb, ub = (number(ra[lo]), number(ra[hi]), number(rb[lo]), number(rb[hi]))
            if not (math.isfinite(lb) and math.isfinite(ub)):
                return f"bounds [{rb[lo]}, {rb[hi]}] in {wide}"
            if lb > la + 1e-9 * abs(la) or ub < ua - 1e-9 * abs(ua):
                return f"the wider coverage gives [{lb:g}, {ub:g}], inside [{la:g}, {ua:g}]"
        return None
    return check


def point_between(low: str, high: str, point: str, name: str = "f.csv"):
    """The point forecast lies between two quantile columns and is not one of them (when they differ)."""
    def check(folder, results):
        header, body = read_csv(folder / name)
        missing = [c for c in (low, high, point) if c not in header]
        if missing:
            return f"{name} has no column {missing[0]}"
        for r in body:
            lo, hi, p = (number(r[header.index(c)]) for c in (low, high, point))
            if not lo <= p <= hi:
                return f"point {p:g} outside [{lo:g}, {hi:g}]"
            if lo < hi and p in (lo, hi):
                return f"the point forecast is the {low if p == lo else high} quantile ({p:g})"
        return None
    return check


def series_count(expected: int, name: str = "f.csv"):
    """The forecast CSV holds ``expected`` distinct series (its first column)."""
    def check(folder, results):
        header, body = read_csv(folder / name)
        ids = {r[0] for r in body}
        if len(ids) != expected:
            return f"{name} forecasts {len(ids)} series (column {header[0]!r}), the data hold {expected}"
        return None
    return check


def api_result(folder, results) -> str | None:
    """A Python step printed ``OK`` last (its own asserts passed)."""
    lines = [ln for ln in results[-1].stdout.splitlines() if ln.strip()]
    return None if lines and lines[-1].startswith("OK") else f"no OK from the snippet: {lines[-1:]}"
