"""What the cases are built from: file makers, setups, forgers, and the fixture folder they copy from."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Callable

from .checks import exists
from .core import TINY, cli

FIXTURES = Path()
"""The folder of fixture files and trained model folders; set by :func:`harness.build_fixtures`."""


def fixture(name: str) -> Path:
    """A fixture file or folder (read when a case is set up, after the fixtures are built)."""
    return FIXTURES / name


def write(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.write_bytes(text.encode(encoding))


def series_csv(n: int = 60, start: str = "2020-01-01", freq: str = "D", values=None, header="date,value",
               fmt: str = "%Y-%m-%d", sep: str = ",") -> str:
    """A one-series CSV: ``n`` rows of dates and a gentle seasonal value."""
    import pandas as pd

    dates = pd.date_range(start, periods=n, freq=freq)
    if values is None:
        values = [round(50 + 10 * math.sin(i / 3.0) + 0.3 * i, 4) for i in range(n)]
    lines = [header] + [f"{d.strftime(fmt)}{sep}{v}" for d, v in zip(dates, values)]
    return "\n".join(lines) + "\n"


def panel_csv(ids=("a", "b", "c"), n=40, start="2020-01-01", freq="D", levels=None, header="series,date,value",
              lengths=None, tz="") -> str:
    """A long table: ``n`` rows per series (``lengths`` per series if given)."""
    import pandas as pd

    lines = [header]
    for k, sid in enumerate(ids):
        rows = (lengths or {}).get(sid, n)
        level = (levels or {}).get(sid, 10.0 * (k + 1))
        for i, d in enumerate(pd.date_range(start, periods=rows, freq=freq)):
            value = level + level * 0.1 * math.sin(i / 2.0) + 0.01 * level * i / max(rows, 1)
            lines.append(f"{sid},{d.strftime('%Y-%m-%d')}{tz},{value!r}")
    return "\n".join(lines) + "\n"


def airline(folder: Path, name: str = "a.csv") -> Path:
    path = folder / name
    shutil.copyfile(fixture("a.csv"), path)
    return path


def edit_airline(folder: Path, change: Callable[[list[str]], list[str]], name="x.csv") -> None:
    """Write ``name``: the airline file's lines (header first) changed by ``change``."""
    lines = fixture("a.csv").read_text().splitlines()
    write(folder / name, "\n".join(change(lines)) + "\n")


def set_value(row: int, value: str):
    """A change for :func:`edit_airline`: data row ``row`` (0-based) gets ``value``."""
    def change(lines):
        date = lines[row + 1].split(",")[0]
        lines[row + 1] = f"{date},{value}"
        return lines
    return change


def forge_config(folder: Path, change: Callable[[dict], None], model: str = "m", raw: dict | None = None) -> None:
    """Change ``model/config.json``; ``raw`` maps placeholder strings to literal JSON text (``1e999``)."""
    path = folder / model / "config.json"
    doc = json.loads(path.read_text())
    change(doc)
    text = json.dumps(doc, indent=1)
    for placeholder, literal in (raw or {}).items():
        text = text.replace(json.dumps(placeholder), literal)
    path.write_text(text)


def forge_weights(folder: Path, change: Callable[[dict], None], model: str = "m") -> None:
    """Change the arrays of ``model/weights.safetensors`` (a dict of NumPy arrays)."""
    from safetensors.numpy import load_file, save_file

    path = folder / model / "weights.safetensors"
    arrays = load_file(str(path))
    change(arrays)
    save_file(arrays, str(path))


def victim(folder: Path, name: str = "victim.txt") -> Path:
    """A file outside the working folder that no command may change."""
    outside = folder.parent / "outside"
    outside.mkdir(exist_ok=True)
    path = outside / name
    path.write_text("precious: nothing may write here\n")
    return path


# ------------------------------------------------------------------ setups
def train(extra: str = "", data: str = "x.csv", out: str = "m"):
    return cli(f"train {data} --out {out} {TINY} {extra}")


def air_lines() -> list[str]:
    return fixture("a.csv").read_text().splitlines()


def air_values() -> list[str]:
    return [ln.split(",")[1] for ln in air_lines()[1:]]


def data_file(text_or_bytes, name: str = "x.csv", encoding: str = "utf-8"):
    """A setup writing ``name``; the content may be a function of nothing (read at setup time)."""
    def setup(folder):
        content = text_or_bytes() if callable(text_or_bytes) else text_or_bytes
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            write(folder / name, content, encoding)
    return setup


def airline_with(change, name="x.csv"):
    return lambda folder: edit_airline(folder, change, name)


def replaced(values: Callable[[list[str]], list[str]]):
    """A change of every airline value at once."""
    def change(lines):
        new = values([ln.split(",")[1] for ln in lines[1:]])
        return [lines[0]] + [f"{ln.split(',')[0]},{v}" for ln, v in zip(lines[1:], new)]
    return change


def both(*setups):
    def setup(folder):
        for one in setups:
            one(folder)
    return setup


TRAINED = exists("m")
FORECAST = [cli("forecast m --coverage 0.9 --out f.csv")]


def date_range(start: str, n: int, freq: str) -> list:
    """``n`` dates from ``start``; days by the calendar (beyond pandas' 1677-2262 range too)."""
    if freq == "D":
        import datetime

        first = datetime.datetime.fromisoformat(start)
        return [first + datetime.timedelta(days=i) for i in range(n)]
    import pandas as pd

    return list(pd.date_range(start, periods=n, freq=freq))


def next_dates(start: str, n: int, freq: str, count: int = 3) -> list[str]:
    return [d.strftime("%Y-%m-%d") for d in date_range(start, n + count, freq)[n:]]


def dated(n, start, freq, fmt, expect="either", shuffle=None, extra="", tz=""):
    dates = date_range(start, n, freq)
    lines = [f"{d.strftime(fmt)}{tz},{50 + 10 * math.sin(i / 3) + 0.3 * i:.4f}" for i, d in enumerate(dates)]
    if shuffle == "reverse":
        lines = lines[::-1]
    elif shuffle == "shuffle":
        lines = lines[1::2] + lines[0::2]
    return "date,value\n" + "\n".join(lines) + "\n"


def panel(name="p.csv", **options):
    return data_file(lambda: panel_csv(**options), name)


PTRAIN = f"train p.csv --id-column series --out pm {TINY}"
