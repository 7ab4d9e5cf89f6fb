"""Hostile-input sweep: does lstmcast refuse every mistake cleanly and get every odd input right?

Each case runs in its own fresh temporary folder, as a subprocess (``python -m lstmcast ...``
with ``PYTHONPATH=<src>``, a ``bash -c`` line, or a Python snippet for the API), under a
timeout (a timeout is a hang, unclean). A case states what a demanding user expects:

- ``refuse``: a mistake. Clean when the command exits 2 (the API: raises a ``ValueError`` /
  ``TypeError`` / ``OSError`` of lstmcast's or Python's own, one line), the last stderr line is
  at most 300 characters, names what the case says (the file, column or flag: any of its
  ``names``) and advises no flag the command does not have; nothing it was asked to
  write is left behind, no temporary file is left beside it and, with ``early``, it refused
  before training.
- ``ok``: a valid input. Clean when every step exits 0 and the case's own check passes
  (finite bounds, the point forecast inside its interval, the right dates, ...).
- ``either``: valid but odd. A clean refusal (as above) or exit 0 with the check passing.
- ``warn``: an option the command would not use. A clean refusal, or exit 0 with a warning
  on stderr naming the option.

For every case: no ``Traceback``, no raw control characters (``\\x1b`` ...) on stdout or
stderr, no file planted outside the working folder changed (links planted at lock, temporary
and output names point there), no hang.

Usage::

    python benchmarks/hostile_sweep.py [--src PATH_TO_SRC] [--only KIND[,KIND]] [--match TEXT]
                                       [--list] [--json OUT.json] [--jobs N] [--timeout S]

``--src`` is the ``src`` folder of the checkout to measure (default: this checkout's). The
script prints kind, clean/total per kind, each unclean case with its reason, the total and
the load average, and always exits 0: it is a measurement. Training is tiny
(``--look-back 6 --horizon 3 --hidden 4 --epochs 2 --quiet --no-strong``); the model
folders the forging cases start from are trained once, before the cases.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import math
import os
import re
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
if not DATA.is_dir():
    DATA = Path("/work/shared/data")

TINY = "--look-back 6 --horizon 3 --hidden 4 --epochs 2 --quiet --no-strong"
"""Training settings of every case: seconds, not minutes."""

MAX_LINE = 320
"""Longest error line a person can read (about 300 characters)."""

MEMORY_LIMIT = 3 * 2**30
"""Address-space limit of every case's process (bytes): a size nobody checked cannot take the machine."""

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Characters that must never reach a terminal raw (escape sequences, bells, backspaces)."""

FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
TEMPORARY = re.compile(r"\.tmp-|\.old-")
COMMANDS = ("train", "forecast", "evaluate", "backtest", "info", "inspect", "tune")

MECHANISMS = {
    1: "writes follow links planted beside the target",
    2: "control characters reach the terminal raw",
    3: "forged model folders",
    4: "huge finite values",
    5: "unmapped exceptions",
    6: "advice naming flags the command does not have",
    7: "silent wrong results (exit 0)",
    8: "options silently ignored",
    9: "--start forms",
    10: "messages without their subject",
    11: "sizes not checked up front",
}
"""The mechanisms of the issue; each case names the one it probes (0: none known, a control)."""


# --------------------------------------------------------------------------- cases
@dataclass
class Case:
    """One hostile input: what to set up, what to run, what a demanding user expects."""

    kind: str
    name: str
    steps: list  # ("cli", argv) | ("sh", script) | ("py", code), run in order until one fails
    expect: str = "refuse"  # refuse | ok | either | warn
    setup: Callable[[Path], None] | None = None
    check: Callable[[Path, list], str | None] | None = None  # for exit 0: None when right, else why
    names: tuple[str, ...] = ()  # the error line (or the warning) names one of these
    mech: int = 0
    early: bool = False  # a refusal must come before training
    fixtures: tuple[str, ...] = ()  # fixture files and folders copied into the case folder
    timeout: float | None = None
    memory: int = MEMORY_LIMIT
    nodask: bool = False  # Dask made unimportable in the subprocess

    @property
    def key(self) -> str:
        return f"{self.kind}/{self.name}"


def cli(line: str, *extra: str) -> tuple[str, list[str]]:
    """A ``python -m lstmcast`` step: ``line`` split as a shell would, then ``extra`` verbatim."""
    return ("cli", shlex.split(line) + list(extra))


def sh(script: str) -> tuple[str, str]:
    """A ``bash -c`` step; ``$LSTMCAST`` runs the command line under test (``exec $LSTMCAST ...``)."""
    return ("sh", script)


def py(code: str) -> tuple[str, str]:
    """A Python step; an exception ends as ``APIERROR module.Type: message`` on stderr, exit 2."""
    return ("py", textwrap.dedent(code))


CASES: list[Case] = []


def case(kind, name, *steps, **options) -> None:
    CASES.append(Case(kind, name, list(steps), **options))


# ------------------------------------------------------------------ file makers
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
    shutil.copyfile(FIXTURES / "a.csv", path)
    return path


def edit_airline(folder: Path, change: Callable[[list[str]], list[str]], name="x.csv") -> None:
    """Write ``name``: the airline file's lines (header first) changed by ``change``."""
    lines = (FIXTURES / "a.csv").read_text().splitlines()
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


# ------------------------------------------------------------------- checks
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


# -------------------------------------------------------------------- running
@dataclass
class Step:
    label: str
    argv: list[str]
    rc: int | None
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool = False
    command: str | None = None  # the lstmcast sub-command, for its flags
    api: bool = False


API_HARNESS = """\
import sys
def _main(code):
    try:
        exec(compile(code, "<case>", "exec"), {"__name__": "__case__"})
    except SystemExit:
        raise
    except BaseException as error:
        kind = type(error)
        text = str(error).replace("\\n", "\\\\n")
        print(f"APIERROR {kind.__module__}.{kind.__qualname__}: {text}", file=sys.stderr)
        sys.exit(2)
_main(sys.argv[1])
"""

SHIM = """\
import sys
for _name in ("dask", "distributed", "dask.distributed"):
    sys.modules[_name] = None  # this run has no Dask
"""

CLEAN_API_ERRORS = ("builtins.ValueError", "builtins.TypeError", "builtins.FileNotFoundError",
                    "builtins.NotADirectoryError", "builtins.IsADirectoryError", "builtins.PermissionError",
                    "builtins.OSError", "builtins.FileExistsError", "builtins.RuntimeError")
"""Exceptions a caller can catch for a mistake; lstmcast's own (DataError, CheckpointError) count too."""


class Runner:
    def __init__(self, src: Path, python: str, timeout: float, shim: Path):
        self.src, self.python, self.timeout, self.shim = src, python, timeout, shim
        self.flags: dict[str, set[str]] = {}

    def environment(self, nodask: bool) -> dict:
        env = dict(os.environ)
        path = [str(self.shim)] if nodask else []
        env["PYTHONPATH"] = os.pathsep.join(path + [str(self.src)])
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "LSTMCAST_THREADS"):
            env[name] = "1"
        env["COLUMNS"] = "100"
        env["PY"] = self.python
        env["LSTMCAST"] = f"{shlex.quote(self.python)} -m lstmcast"
        env.pop("FORCE_COLOR", None)
        return env

    def run(self, argv, cwd: Path, env: dict, timeout: float, memory: int) -> tuple:
        def limits():
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

        started = time.monotonic()
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, start_new_session=True, preexec_fn=limits)
        try:
            out, err = process.communicate(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            out, err = process.communicate()
            timed_out = True
        return (process.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
                time.monotonic() - started, timed_out)

    def command_flags(self, command: str) -> set[str]:
        """The flags ``lstmcast COMMAND --help`` lists (what advice may name)."""
        if command not in self.flags:
            with tempfile.TemporaryDirectory() as folder:
                rc, out, err, _, _ = self.run([self.python, "-m", "lstmcast", command, "--help"], Path(folder),
                                              self.environment(False), 120, MEMORY_LIMIT)
            self.flags[command] = set(FLAG.findall(out)) | {"--help"}
        return self.flags[command]

    def step(self, kind: str, body, cwd: Path, env: dict, timeout: float, memory: int) -> Step:
        if kind == "cli":
            argv = [self.python, "-m", "lstmcast", *body]
            command = next((a for a in body if not a.startswith("-")), None)
            label = "lstmcast " + " ".join(shlex.quote(a) for a in body)
        elif kind == "sh":
            argv = ["bash", "-c", body]
            found = re.search(r"\$LSTMCAST\s+(\w+)", body)
            command = found.group(1) if found else None
            label = "bash -c " + shlex.quote(body)
        else:
            argv = [self.python, "-c", API_HARNESS, body]
            command = None
            label = "python: " + " ".join(body.split())[:80]
        rc, out, err, seconds, timed_out = self.run(argv, cwd, env, timeout, memory)
        return Step(label, argv, rc, out, err, seconds, timed_out, command, kind == "py")


def snapshot(folder: Path) -> dict:
    """Every file under ``folder`` (links not followed): content hash or link target."""
    state = {}
    if not folder.exists():
        return state
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            state[str(path)] = "link:" + os.readlink(path)
        elif path.is_file():
            state[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir():
            state[str(path)] = "dir"
        else:
            state[str(path)] = "special"
    return state


def listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")} if folder.exists() else set()


def out_paths(steps) -> list[str]:
    """The paths the steps were asked to write (``--out``, ``--plot``, ``--json``)."""
    paths = []
    for kind, body in steps:
        words = body if kind == "cli" else shlex.split(body) if kind == "sh" else []
        for i, word in enumerate(words[:-1]):
            if word in ("--out", "--plot", "--json"):
                paths.append(words[i + 1])
    return paths


def last_line(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return lines[-1].strip() if lines else ""


def short(text: str, limit: int = 110) -> str:
    text = CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def foreign_flags(runner: Runner, step: Step) -> list[str]:
    """Flags the step's messages advise that its command does not have."""
    if step.command not in COMMANDS:
        return []
    allowed = runner.command_flags(step.command) | set(FLAG.findall(" ".join(step.argv)))  # its own, quoted back
    foreign = []
    for line in step.stderr.splitlines():
        for flag in FLAG.findall(line):
            if flag in allowed:
                continue
            before = line[: line.find(flag)]
            if re.search(rf"\b({'|'.join(COMMANDS)})\b[^.;]*$", before):  # "lstmcast train ... --freq": another command's
                continue
            foreign.append(flag)
    return foreign


def judge(case: Case, runner: Runner, folder: Path, steps: list[Step], outside_before: dict,
          listed_before: set[str], outputs_before: dict) -> str | None:
    """None when the case is clean, otherwise why not (one line)."""
    for s in steps:
        if s.timed_out:
            return f"hang: no answer in {s.seconds:.0f} s ({short(s.label, 60)})"
    for s in steps:
        for stream, text in (("stdout", s.stdout), ("stderr", s.stderr)):
            found = CONTROL.search(text)
            if found:
                return f"raw control character \\x{ord(found.group(0)):02x} on {stream} ({short(s.label, 50)})"
    for s in steps:
        if "Traceback (most recent call last)" in s.stderr + s.stdout:
            return f"traceback: {short(last_line(s.stderr))}"
    outside_after = snapshot(folder.parent / "outside")
    for path, digest in outside_before.items():
        if outside_after.get(path) != digest:
            return f"planted file outside changed: {Path(path).name} ({'gone' if path not in outside_after else 'written'})"
    for path in outside_after.keys() - outside_before.keys():
        return f"file created outside through a planted link: {Path(path).name}"
    new = [p for p in listing(folder) - listed_before if TEMPORARY.search(Path(p).name)
           and not (folder / p).is_symlink() and not ((folder / p).is_dir() and not any((folder / p).iterdir()))]
    if new:
        return f"temporary left behind: {new[0]}"
    failed = next((s for s in steps if s.rc != 0), None)
    foreign = [f for s in steps for f in foreign_flags(runner, s)]
    if foreign:
        return f"advice names {foreign[0]}, which the command does not have"
    if failed is None:
        if case.expect == "refuse":
            said = last_line(steps[-1].stderr)
            return f"accepted (exit 0){': ' + short(said, 80) if said else ', no message'}"
        if case.expect == "warn":
            for line in "\n".join(s.stderr for s in steps).splitlines():
                if "warning" in line.lower() and any(n.lower() in line.lower() for n in case.names):
                    return None
            return f"ignored silently (exit 0, no warning naming {case.names[0]})"
        return case.check(folder, steps) if case.check else None
    line = last_line(failed.stderr)
    if case.expect == "ok":
        return f"refused a valid input (exit {failed.rc}): {short(line)}"
    if failed.rc != 2:
        return f"exit {failed.rc}, want 2: {short(line) or 'no message'}"
    if not line:
        return "exit 2 with no message"
    if failed.api:
        found = re.match(r"APIERROR ([\w.]+): (.*)", line)
        if not found:
            return f"snippet failed: {short(line)}"
        kind, line = found.groups()
        if not (kind.startswith("lstmcast.") or kind in CLEAN_API_ERRORS):
            return f"raw {kind}: {short(line)}"
        if "\\n" in line:
            return f"message of {line.count(chr(92) + 'n') + 1} lines: {short(line)}"
    if len(line) > MAX_LINE:
        return f"error line of {len(line):,} characters"
    if case.names and not any(n.lower() in line.lower() for n in case.names):
        return f"error does not name {case.names[0]}: {short(line)}"
    if case.early and any("trained " in s.stdout for s in steps):
        return f"refused only after training: {short(line)}"
    for path in out_paths(case.steps):
        if path in ("", ".", "-") or path.startswith("/dev/"):
            continue
        target = folder / path
        if os.path.lexists(target) and outputs_before.get(path) != snapshot_one(target):
            return f"refused but wrote {path}"
    return None


def snapshot_one(path: Path):
    if not os.path.lexists(path):
        return None
    if path.is_dir() and not path.is_symlink():
        return json.dumps(snapshot(path), sort_keys=True)
    return snapshot(path.parent).get(str(path))


def run_case(case: Case, runner: Runner, base: Path) -> dict:
    top = Path(tempfile.mkdtemp(prefix="case-", dir=base))
    folder = top / "work"
    folder.mkdir()
    started = time.monotonic()
    try:
        for name in case.fixtures:
            source = FIXTURES / name
            if source.is_dir():
                shutil.copytree(source, folder / name, symlinks=True)
            else:
                shutil.copyfile(source, folder / name)
        if case.setup:
            case.setup(folder)
        outside_before = snapshot(top / "outside")
        listed_before = listing(folder)
        outputs_before = {p: snapshot_one(folder / p) for p in out_paths(case.steps)
                          if p not in ("", ".", "-") and not p.startswith("/dev/")}
        env = runner.environment(case.nodask)
        steps = []
        for kind, body in case.steps:
            result = runner.step(kind, body, folder, env, case.timeout or runner.timeout, case.memory)
            steps.append(result)
            if result.rc != 0 or result.timed_out:
                break
        reason = judge(case, runner, folder, steps, outside_before, listed_before, outputs_before)
    except Exception as error:  # the sweep's own setup: reported, never fatal
        steps, reason = [], f"sweep setup failed: {type(error).__name__}: {error}"
    finally:
        subprocess.run(["chmod", "-R", "u+rwx", str(top)], capture_output=True)
        shutil.rmtree(top, ignore_errors=True)
    return {
        "kind": case.kind, "name": case.name, "mechanism": case.mech, "expect": case.expect,
        "clean": reason is None, "reason": reason, "seconds": round(time.monotonic() - started, 2),
        "steps": [{"command": s.label, "rc": s.rc, "seconds": round(s.seconds, 2), "timed_out": s.timed_out,
                   "stdout_tail": s.stdout[-600:], "stderr_tail": s.stderr[-600:]} for s in steps],
    }


# ------------------------------------------------------------------- fixtures
FIXTURES = Path()


def build_fixtures(runner: Runner, base: Path) -> None:
    """Data files and model folders the cases copy: trained once with the code under test."""
    global FIXTURES
    FIXTURES = base / "fixtures"
    FIXTURES.mkdir()
    shutil.copyfile(DATA / "airline-passengers.csv", FIXTURES / "a.csv")
    write(FIXTURES / "daily.csv", series_csv(120))
    write(FIXTURES / "monthly.csv", series_csv(40, freq="MS"))
    write(FIXTURES / "p.csv", panel_csv())
    env = runner.environment(False)
    for line in (f"train a.csv --out m {TINY}", f"train daily.csv --out md {TINY}",
                 f"train p.csv --id-column series --out pm {TINY}"):
        s = runner.step("cli", shlex.split(line), FIXTURES, env, 600, MEMORY_LIMIT)
        if s.rc != 0:
            sys.exit(f"hostile_sweep: the fixture `lstmcast {line}` failed (exit {s.rc}): {last_line(s.stderr)}")


# --------------------------------------------------------------------- report
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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
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



# =========================================================================== the cases
def train(extra: str = "", data: str = "x.csv", out: str = "m"):
    return cli(f"train {data} --out {out} {TINY} {extra}")


def air_lines() -> list[str]:
    return (FIXTURES / "a.csv").read_text().splitlines()


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


# ---- csv: malformed files, encodings, separators, values, headers
AIR_HEADER = '"Month","Passengers"'
for name, content, expect, names, extra, mech in [
    ("empty-file", b"", "refuse", ("x.csv",), "", 0),
    ("header-only", AIR_HEADER + "\n", "refuse", ("x.csv",), "", 0),
    ("one-row", AIR_HEADER + '\n"1949-01",112\n', "refuse", ("x.csv",), "", 0),
    ("binary-garbage", bytes(range(256)) * 40, "refuse", ("x.csv",), "", 0),
    ("gzip-named-csv", lambda: __import__("gzip").compress((FIXTURES / "a.csv").read_bytes()), "refuse", ("x.csv",), "", 0),
    ("html-page", "<!DOCTYPE html>\n<html><body>404 Not Found</body></html>\n", "refuse", ("x.csv",), "", 0),
    ("nul-bytes", lambda: (FIXTURES / "a.csv").read_bytes().replace(b",118", b",1\x0018"), "refuse", ("x.csv",), "", 0),
    ("latin1-no-encoding", lambda: series_csv(60, header="Datum,Préis").encode("latin-1"), "refuse",
     ("x.csv", "--encoding"), "", 0),
    ("latin1-with-encoding", lambda: series_csv(60, header="Datum,Préis").encode("latin-1"), "ok", (),
     "--encoding latin-1", 0),
    ("utf8-bom", lambda: b"\xef\xbb\xbf" + (FIXTURES / "a.csv").read_bytes(), "ok", (), "", 0),
    ("utf16", lambda: (FIXTURES / "a.csv").read_text().encode("utf-16"), "either", ("x.csv", "--encoding"), "", 0),
    ("bad-encoding-name", lambda: (FIXTURES / "a.csv").read_bytes(), "refuse", ("klingon", "--encoding"),
     "--encoding klingon", 0),
    ("semicolon-no-sep", lambda: series_csv(60, sep=";", header="date;value"), "refuse", ("--sep", "separator"), "", 0),
    ("semicolon-with-sep", lambda: series_csv(60, sep=";", header="date;value"), "ok", (), "--sep ';'", 0),
    ("tab-with-sep", lambda: series_csv(60, sep="\t", header="date\tvalue"), "ok", (), "--sep tab", 0),
    ("sep-multichar", lambda: (FIXTURES / "a.csv").read_bytes(), "refuse", ("--sep",), "--sep '::'", 0),
    ("sep-wrong-for-file", lambda: (FIXTURES / "a.csv").read_bytes(), "refuse", ("--sep", "separator", "x.csv"),
     "--sep ';'", 0),
    ("decimal-comma", lambda: series_csv(60, sep=";", header="date;value").replace(".", ","), "either", ("x.csv",),
     "--sep ';'", 0),
    ("crlf-lines", lambda: (FIXTURES / "a.csv").read_text().replace("\n", "\r\n"), "ok", (), "", 0),
    ("comment-line-first", lambda: "# exported by a spreadsheet\n" + (FIXTURES / "a.csv").read_text(), "either",
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


# ---- dates: day-first, ambiguous, zones, duplicates, order, gaps
def dated(n, start, freq, fmt, expect="either", shuffle=None, extra="", tz=""):
    dates = date_range(start, n, freq)
    lines = [f"{d.strftime(fmt)}{tz},{50 + 10 * math.sin(i / 3) + 0.3 * i:.4f}" for i, d in enumerate(dates)]
    if shuffle == "reverse":
        lines = lines[::-1]
    elif shuffle == "shuffle":
        lines = lines[1::2] + lines[0::2]
    return "date,value\n" + "\n".join(lines) + "\n"


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


# ---- panels
def panel(name="p.csv", **options):
    return data_file(lambda: panel_csv(**options), name)


PTRAIN = f"train p.csv --id-column series --out pm {TINY}"
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
     expect="ok", mech=7, setup=panel(), check=forecast_file(need_bounds=True))
case("panels", "no-harm-shrink-on-panel", cli(PTRAIN + " --no-harm shrink"), expect="warn", mech=8, setup=panel(),
     names=("--no-harm", "no_harm", "no harm"))
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


# ---- folders: forged and damaged model folders
def forged(change=None, raw=None, model="m", weights=None):
    def setup(folder):
        if change is not None:
            forge_config(folder, change, model, raw)
        if weights is not None:
            forge_weights(folder, weights, model)
    return setup


def params(name, value):
    def change(doc):
        doc["config"]["params"][name] = value
    return change


def cfg(path, value):
    """Set ``doc["config"][path...]``; ``path`` dotted."""
    def change(doc):
        node = doc["config"]
        keys = path.split(".")
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value
    return change


def tensor(name, value):
    def change(arrays):
        import numpy as np

        arrays[name] = np.asarray(value(arrays[name]) if callable(value) else value, dtype=arrays[name].dtype)
    return change


def fifo(relative):
    def setup(folder):
        path = folder / relative
        if os.path.lexists(path):
            path.unlink()
        os.mkfifo(path)
    return setup


def link_to(relative, target):
    def setup(folder):
        path = folder / relative
        path.unlink()
        path.symlink_to(target)
    return setup


FC = cli("forecast m")
for name, step, setup, expect, names, mech, timeout in [
    ("fifo-weights", FC, fifo("m/weights.safetensors"), "refuse", ("weights.safetensors",), 3, 15),
    ("fifo-training-state", FC, fifo("m/training_state.json"), "either", ("training_state.json",), 3, 15),
    ("fifo-config", FC, fifo("m/config.json"), "refuse", ("config.json",), 3, 15),
    ("fifo-weights-info", cli("info m"), fifo("m/weights.safetensors"), "either", ("weights.safetensors",), 3, 15),
    ("fifo-resume-state", cli(f"train a.csv --resume --out m {TINY}"), fifo("m/resume.safetensors"), "either",
     ("resume.safetensors",), 3, 30),
    ("weights-link-dev-zero", FC, link_to("m/weights.safetensors", "/dev/zero"), "refuse", ("weights.safetensors",),
     3, 30),
    ("config-link-dev-urandom", FC, link_to("m/config.json", "/dev/urandom"), "refuse", ("config.json",), 3, 30),
    ("std-1e999", FC, forged(cfg("scaler.std", ["@INF@"]), {"@INF@": "1e999"}), "refuse", ("std", "scaler", "config"),
     3, None),
    ("std-minus-1e999", FC, forged(cfg("scaler.std", ["@INF@"]), {"@INF@": "-1e999"}), "refuse",
     ("std", "scaler", "config"), 3, None),
    ("mean-NaN", FC, forged(cfg("scaler.mean", ["@NAN@"]), {"@NAN@": "NaN"}), "refuse", ("mean", "scaler", "config"),
     3, None),
    ("mean-string", FC, forged(cfg("scaler.mean", ["abc"])), "refuse", ("mean", "scaler", "config"), 3, None),
    ("std-negative", FC, forged(cfg("scaler.std", [-5.0])), "refuse", ("std", "scaler", "config"), 3, None),
    ("scaler-kind-unknown", FC, forged(cfg("scaler.kind", "magic")), "refuse", ("magic", "scaler", "config"), 3, None),
    ("split-beyond-data", FC, forged(cfg("split.train", [0, 5000])), "refuse", ("split", "config"), 3, None),
    ("split-negative", FC, forged(cfg("split.train", [-5, 115])), "refuse", ("split", "config"), 3, None),
    ("split-reversed", FC, forged(cfg("split.val", [144, 115])), "refuse", ("split", "config"), 3, None),
    ("split-forged-info", cli("info m"), forged(cfg("split.train", [0, 5000])), "either", ("split", "config"), 3, None),
    ("split-forged-evaluate", cli("evaluate m a.csv --no-strong"), forged(cfg("split.train", [0, 5000])), "either",
     ("split", "config"), 3, None),
    ("nested-config", FC, data_file("{\"a\":" * 100_000 + "1" + "}" * 100_000, "m/config.json"), "refuse",
     ("config.json",), 3, None),
    ("nested-params", FC, forged(params("look_back", "@DEEP@"), {"@DEEP@": "[" * 50_000 + "]" * 50_000}), "refuse",
     ("config.json", "look_back", "--look-back"), 3, None),
    ("freq-garbage", FC, forged(cfg("freq", "XYZ")), "refuse", ("freq", "config", "XYZ"), 3, None),
    ("freq-number", FC, forged(cfg("freq", 5)), "refuse", ("freq", "config"), 3, None),
    ("freq-null", FC, forged(cfg("freq", None)), "either", ("freq", "config"), 3, None),
    ("date-tz-garbage", FC, forged(cfg("date_tz", "Mars/Phobos")), "refuse", ("date_tz", "Mars", "config"), 3, None),
    ("date-unit-garbage", FC, forged(cfg("date_unit", "parsec")), "refuse", ("date_unit", "parsec", "config"), 3, None),
    ("look-back-negative", FC, forged(params("look_back", -1)), "refuse", ("look_back", "--look-back"), 3, None),
    ("look-back-huge", FC, forged(params("look_back", 10**9)), "refuse", ("look_back", "--look-back", "config"), 3,
     None),
    ("horizon-string", FC, forged(params("horizon", "abc")), "refuse", ("horizon",), 3, None),
    ("dtype-float16", FC, forged(params("dtype", "float16")), "refuse", ("dtype", "float16"), 3, None),
    ("quantiles-reversed", FC, forged(params("quantiles", [0.95, 0.5, 0.05])), "refuse", ("quantiles",), 3, None),
    ("param-missing", FC, forged(lambda d: d["config"]["params"].pop("horizon")), "either", ("horizon", "config"), 3,
     None),
    ("format-version-999", FC, forged(lambda d: d.update(format_version=999)), "refuse", ("version", "format"), 3,
     None),
    ("kind-unknown", FC, forged(lambda d: d.update(kind="toaster")), "refuse", ("toaster", "kind", "config"), 3, None),
    ("kind-text-model", FC, forged(lambda d: d.update(kind="char_model")), "refuse", ("m", "kind", "config"), 3, None),
    ("missing-weights", FC, lambda f: (f / "m/weights.safetensors").unlink(), "refuse", ("weights.safetensors",), 3,
     None),
    ("missing-config", FC, lambda f: (f / "m/config.json").unlink(), "refuse", ("config.json", "m"), 3, None),
    ("empty-config", FC, data_file("", "m/config.json"), "refuse", ("config.json",), 3, None),
    ("config-not-json", FC, data_file("{this is not json", "m/config.json"), "refuse", ("config.json",), 3, None),
    ("config-is-list", FC, data_file("[1, 2, 3]", "m/config.json"), "refuse", ("config.json",), 3, None),
    ("truncated-weights", FC, lambda f: (f / "m/weights.safetensors").write_bytes(
        (FIXTURES / "m/weights.safetensors").read_bytes()[:1500]), "refuse", ("weights.safetensors",), 3, None),
    ("garbage-weights", FC, data_file(bytes(range(256)) * 8, "m/weights.safetensors"), "refuse",
     ("weights.safetensors",), 3, None),
    ("weights-header-huge", FC, data_file((2**62).to_bytes(8, "little") + b"{}", "m/weights.safetensors"), "refuse",
     ("weights.safetensors",), 3, None),
    ("weights-offsets-beyond-file", FC, data_file(lambda: (lambda h: len(h).to_bytes(8, "little") + h)(
        b'{"no_harm.weight":{"dtype":"F64","shape":[1],"data_offsets":[0,8000000]}}'), "m/weights.safetensors"),
     "refuse", ("weights.safetensors",), 3, None),
    ("no-harm-weight-minus-50", FC, forged(weights=tensor("no_harm.weight", [-50.0])), "refuse",
     ("no_harm", "weight", "weights.safetensors"), 3, None),
    ("no-harm-weight-nan", FC, forged(weights=tensor("no_harm.weight", [math.nan])), "refuse",
     ("no_harm", "weight", "weights.safetensors"), 3, None),
    ("no-harm-weight-1e308", FC, forged(weights=tensor("no_harm.weight", [1e308])), "refuse",
     ("no_harm", "weight", "weights.safetensors"), 3, None),
    ("data-values-nan", FC, forged(weights=tensor("data.values", lambda a: a * math.nan)), "refuse",
     ("data", "weights.safetensors"), 3, None),
    ("network-weight-wrong-shape", FC, forged(weights=tensor("network.head.weight",
                                                             lambda a: __import__("numpy").zeros((3, 5)))), "refuse",
     ("head", "weights.safetensors", "shape"), 3, None),
    ("network-tensor-missing", FC, forged(weights=lambda a: a.pop("network.head.bias")), "refuse",
     ("head.bias", "weights.safetensors"), 3, None),
    ("network-tensor-extra", FC, forged(weights=tensor("network.extra", [1.0]) if False else
                                        (lambda a: a.update({"network.extra": a["no_harm.weight"].copy()}))),
     "either", ("network.extra", "weights.safetensors"), 3, None),
    ("training-state-garbage", FC, data_file("{garbage", "m/training_state.json"), "either",
     ("training_state.json",), 3, None),
    ("resume-with-garbage-state", cli(f"train a.csv --resume --out m {TINY}"),
     data_file("{garbage", "m/training_state.json"), "refuse", ("training_state.json",), 3, None),
    ("history-nan-info", cli("info m"), forged(cfg("history.val_loss", ["@NAN@", "@NAN@"]), {"@NAN@": "NaN"}),
     "either", ("history", "config"), 3, None),
    ("target-escape-forecast", FC, forged(cfg("target", "Pass\x1b[31mengers")), "either", ("target", "config"), 2,
     None),
    ("target-escape-info", cli("info m"), forged(cfg("target", "Pass\x1b[31mengers")), "either",
     ("target", "config"), 2, None),
    ("source-escape-info", cli("info m"), forged(cfg("source", "a\x1b]0;pwned\x07.csv")), "either",
     ("source", "config"), 2, None),
    ("date-column-escape-forecast", FC, forged(cfg("date_column", "Mo\x1b[2Jnth")), "either",
     ("date_column", "config"), 2, None),
    ("model-is-file", cli("forecast m2"), data_file("not a model\n", "m2"), "refuse", ("m2",), 0, None),
    ("model-missing", cli("forecast nope"), None, "refuse", ("nope",), 0, None),
    ("model-empty-folder", cli("forecast m2"), lambda f: (f / "m2").mkdir(), "refuse", ("m2",), 0, None),
    ("info-on-csv", cli("info a.csv"), None, "refuse", ("a.csv",), 0, None),
]:
    case("folders", name, step, expect=expect, setup=setup, names=names + (" m:", "m/", "'m'"), mech=mech,
         timeout=timeout,
         fixtures=("m", "a.csv"), check=None)

for name, setup, expect, names, command in [
    ("panel-ids-escape-info", forged(cfg("ids", ["a\x1b[2J", "b", "c"]), model="pm"), "either", ("ids", "config"),
     "info pm"),
    ("panel-ids-escape-forecast", forged(cfg("ids", ["a\x1b[2J", "b", "c"]), model="pm"), "either",
     ("ids", "config"), "forecast pm"),
    ("panel-ids-mismatch", forged(cfg("ids", ["a", "b", "zzz"]), model="pm"), "either", ("zzz", "ids", "config"),
     "forecast pm --out f.csv"),
    ("panel-std-1e999", forged(lambda d: d["config"]["states"][0]["scalers"]["a"].update(std=["@INF@"]),
                               {"@INF@": "1e999"}, model="pm"), "refuse", ("std", "scaler", "config", "a"),
     "forecast pm"),
    ("panel-states-empty", forged(cfg("states", []), model="pm"), "refuse", ("states", "config"), "forecast pm"),
    ("panel-freq-garbage", forged(cfg("freq", "XYZ"), model="pm"), "refuse", ("freq", "XYZ", "config"),
     "forecast pm"),
    ("panel-nested-config", data_file("[" * 100_000 + "]" * 100_000, "pm/config.json"), "refuse", ("config.json",),
     "forecast pm"),
    ("panel-fifo-weights", fifo("pm/weights.safetensors"), "refuse", ("weights.safetensors",), "forecast pm"),
]:
    case("folders", name, cli(command), expect=expect, setup=setup, names=names + (" pm:", "pm/", "'pm'"),
         mech=2 if "escape" in name else 3,
         fixtures=("pm",), timeout=15 if "fifo" in name else None,
         check=forecast_file() if "--out" in command else None)

case("folders", "residuals-inf-coverage", cli("forecast m --coverage 0.9 --out f.csv"), expect="either", mech=3,
     setup=forged(weights=tensor("intervals.residuals", lambda a: a * math.inf)), fixtures=("m",),
     names=("residuals", "weights.safetensors"), check=forecast_file(need_bounds=True))
case("folders", "residuals-negative-coverage", cli("forecast m --coverage 0.9 --out f.csv"), expect="either", mech=3,
     setup=forged(weights=tensor("intervals.residuals", lambda a: -a - 1)), fixtures=("m",),
     names=("residuals", "weights.safetensors"), check=forecast_file(need_bounds=True))
case("folders", "network-weights-nan", cli("forecast m --out f.csv"), expect="either", mech=3, fixtures=("m",),
     setup=forged(weights=tensor("network.lstm.weight_hh_l0", lambda a: a * math.nan)),
     names=("weights.safetensors", "network"), check=forecast_file())


# ---- links: planted symbolic links at lock, temporary and output names
def plant(name: str, target: str = "../outside/victim.txt", make_victim: bool = True):
    def setup(folder):
        if make_victim:
            victim(folder)
        else:
            (folder.parent / "outside").mkdir(exist_ok=True)
        (folder / name).symlink_to(target)
    return setup


for name, steps, fixtures, setup in [
    ("lock-link-forecast", [cli("forecast m")], ("m",), plant(".m.lock")),
    ("lock-link-forecast-missing-model", [cli("forecast m")], (), plant(".m.lock")),
    ("lock-link-forecast-after-killed-save", [cli("forecast m")], ("m",),
     both(plant(".m.lock"), lambda f: os.rename(f / "m", f / ".m.old-999999-deadbeef"))),
    ("lock-link-train-new", [cli(f"train a.csv --out m {TINY}")], ("a.csv",), plant(".m.lock")),
    ("lock-link-train-replace", [cli(f"train a.csv --out m {TINY}")], ("a.csv", "m"), plant(".m.lock")),
    ("lock-link-resume", [cli(f"train a.csv --resume --epochs 3 --out m {TINY.replace('--epochs 2 ', '')}")],
     ("a.csv", "m"), plant(".m.lock")),
    ("lock-link-evaluate", [cli("evaluate m a.csv --no-strong")], ("a.csv", "m"), plant(".m.lock")),
    ("lock-link-info", [cli("info m")], ("m",), plant(".m.lock")),
    ("lock-link-inspect", [cli("inspect m")], ("m",), plant(".m.lock")),
    ("lock-link-panel-forecast", [cli("forecast pm")], ("pm",), plant(".pm.lock")),
    ("lock-link-dangling", [cli("forecast m")], ("m",), plant(".m.lock", "../outside/new.txt", False)),
    ("tmp-link-forecast-out", [sh("ln -s ../outside/victim.txt .f.csv.tmp-$$; exec $LSTMCAST forecast m --out f.csv")],
     ("m",), lambda f: victim(f)),
    ("tmp-link-forecast-out-existing", [sh("echo old > f.csv; ln -s ../outside/victim.txt .f.csv.tmp-$$; "
                                           "exec $LSTMCAST forecast m --out f.csv")], ("m",), lambda f: victim(f)),
    ("tmp-link-backtest-out", [sh(f"ln -s ../outside/victim.txt .bt.csv.tmp-$$; exec $LSTMCAST backtest a.csv {TINY} "
                                  "--start 0.9 --out bt.csv")], ("a.csv",), lambda f: victim(f)),
    ("tmp-link-plot", [sh("ln -s ../outside/victim.txt .f.png.tmp-$$; exec $LSTMCAST forecast m --plot f.png")],
     ("m",), lambda f: victim(f)),
    ("tmp-link-inspect-json", [sh("ln -s ../outside/victim.txt .i.json.tmp-$$; exec $LSTMCAST inspect m --json i.json")],
     ("m",), lambda f: victim(f)),
    ("tmp-link-panel-forecast-out", [sh("ln -s ../outside/victim.txt .f.csv.tmp-$$; "
                                        "exec $LSTMCAST forecast pm --out f.csv")], ("pm",), lambda f: victim(f)),
    ("tmp-link-dangling", [sh("ln -s ../outside/new.csv .f.csv.tmp-$$; exec $LSTMCAST forecast m --out f.csv")],
     ("m",), lambda f: (f.parent / "outside").mkdir()),
    ("tmp-name-is-folder", [sh("mkdir .f.csv.tmp-$$; exec $LSTMCAST forecast m --out f.csv")], ("m",), None),
    ("out-hard-link", [cli("forecast m --out f.csv")], ("m",), lambda f: os.link(victim(f), f / "f.csv")),
    ("model-name-links-outside-folder", [cli(f"train a.csv --out m {TINY}")], ("a.csv",),
     lambda f: (victim(f, "notes.txt"), (f.parent / "outside" / "vdir").mkdir(),
                os.replace(f.parent / "outside" / "notes.txt", f.parent / "outside" / "vdir" / "notes.txt"),
                (f / "m").symlink_to("../outside/vdir"))),
    ("lock-fifo", [cli("forecast m")], ("m",), lambda f: os.mkfifo(f / ".m.lock")),
    ("lock-is-folder", [cli("forecast m")], ("m",), lambda f: (f / ".m.lock").mkdir()),
]:
    case("links", name, *steps, expect="either", setup=setup, fixtures=fixtures, mech=1, timeout=30,
         names=("m", "f.csv", "lock", "bt.csv", "f.png", "i.json", "pm"))


# ---- args: numbers, --start forms, outputs, seeds, coverage, quantiles, workers
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


# ---- api: the same mistakes through Forecaster
API = """\
from lstmcast import Forecaster
import numpy as np, pandas as pd
kw = dict(look_back=6, horizon=3, hidden_size=4, epochs=2, verbose=False)
"""
for name, code, expect, names, mech in [
    ("look-back-string", "Forecaster(**{**kw, 'look_back': '6'}).fit('a.csv')", "refuse", ("look_back",), 0),
    ("look-back-float", "Forecaster(**{**kw, 'look_back': 6.5}).fit('a.csv')", "refuse", ("look_back",), 0),
    ("hidden-negative", "Forecaster(**{**kw, 'hidden_size': -1}).fit('a.csv')", "refuse", ("hidden_size",), 0),
    ("quantiles-string", "Forecaster(**kw, loss='quantile', quantiles='0.5').fit('a.csv')", "refuse", ("quantiles",), 0),
    ("dtype-float16", "Forecaster(**kw, dtype='float16').fit('a.csv')", "refuse", ("dtype",), 0),
    ("seed-negative", "Forecaster(**kw, seed=-1).fit('a.csv')", "refuse", ("seed",), 10),
    ("data-integer", "Forecaster(**kw).fit(42)", "refuse", ("data",), 0),
    ("data-empty-frame", "Forecaster(**kw).fit(pd.DataFrame())", "refuse", ("data", "empty", "rows", "column"), 0),
    ("data-object-column", "df = pd.read_csv('a.csv'); df['Passengers'] = df['Passengers'].astype(str) + 'x'\n"
     "Forecaster(**kw).fit(df, date_column='Month')", "refuse", ("Passengers",), 0),
    ("data-inf", "df = pd.read_csv('a.csv'); df.loc[10, 'Passengers'] = np.inf\n"
     "Forecaster(**kw).fit(df, date_column='Month')", "refuse", ("Passengers",), 4),
    ("target-missing", "Forecaster(**kw).fit('a.csv', target='nope')", "refuse", ("nope",), 0),
    ("id-column-missing", "Forecaster(**kw).fit('a.csv', id_column='nope')", "refuse", ("nope",), 0),
    ("forecast-before-fit", "Forecaster(**kw).forecast()", "refuse", ("fit",), 0),
    ("coverage-2", "Forecaster.load('m').forecast(coverage=2)", "refuse", ("coverage",), 0),
    ("start-aware-on-naive", "Forecaster.load('m').evaluate('a.csv', start='1955-01-01T00:00+05:00', strong=False)",
     "refuse", ("start",), 5),
    ("start-timestamp-utc", "Forecaster.load('m').evaluate('a.csv', start=pd.Timestamp('1955-01-01', tz='UTC'), "
     "strong=False)", "refuse", ("start",), 5),
    ("load-missing", "Forecaster.load('nope')", "refuse", ("nope",), 0),
    ("predict-too-short", "Forecaster.load('m').predict(pd.read_csv('a.csv', index_col=0, parse_dates=True).iloc[:4])",
     "refuse", ("look_back", "rows", "short"), 0),
    ("forecast-other-columns", "df = pd.read_csv('a.csv', index_col=0, parse_dates=True).rename(columns="
     "{'Passengers': 'Other'})\nForecaster.load('m').forecast(df)", "refuse", ("Passengers",), 0),
    ("backtest-step-0", "Forecaster(**kw).backtest('a.csv', start=0.9, step=0, strong=False)", "refuse", ("step",), 0),
]:
    case("api", name, py(API + code), fixtures=("a.csv", "m"), expect=expect, names=names, mech=mech)

for name, code, expect, names, mech in [
    ("start-negative-vs-row", "fc = Forecaster.load('m')\n"
     "a = fc.evaluate('a.csv', start=-40, strong=False).attrs['windows']\n"
     "b = fc.evaluate('a.csv', start=104, strong=False).attrs['windows']\n"
     "assert a == b, f'start=-40 scores {a} windows, start=104 {b}'\nprint('OK')", "either", ("start",), 9),
    ("naive-start-on-aware-data", "df = pd.read_csv('a.csv', index_col=0, parse_dates=True)\n"
     "df.index = df.index.tz_localize('UTC')\nfc = Forecaster(**kw).fit(df)\n"
     "fc.evaluate(df, start='1959-01-01', strong=False)\nprint('OK')", "either", ("start",), 5),
    ("concurrent-forecasts", "import concurrent.futures as cf\nfc = Forecaster.load('m')\n"
     "with cf.ThreadPoolExecutor(4) as pool:\n"
     "    outs = list(pool.map(lambda _: fc.forecast(coverage=0.9), range(8)))\n"
     "assert all(o.equals(outs[0]) for o in outs), 'concurrent forecasts differ'\nprint('OK')", "ok", (), 0),
    ("concurrent-saves", "import concurrent.futures as cf\nfc = Forecaster.load('m')\n"
     "def save(_):\n    try:\n        fc.save('saved')\n    except ValueError as e:\n        return str(e)\n"
     "with cf.ThreadPoolExecutor(4) as pool:\n    said = list(pool.map(save, range(4)))\n"
     "back = Forecaster.load('saved').forecast()\nassert back.equals(fc.forecast()), 'saved model differs'\n"
     "print('OK')", "ok", (), 0),
    ("concurrent-fit-and-forecast", "import concurrent.futures as cf\nfc = Forecaster.load('m')\n"
     "ref = fc.forecast()\n"
     "with cf.ThreadPoolExecutor(2) as pool:\n"
     "    f1 = pool.submit(lambda: Forecaster(**kw).fit('a.csv').forecast())\n"
     "    f2 = pool.submit(lambda: [fc.forecast() for _ in range(5)])\n"
     "    f1.result(); outs = f2.result()\n"
     "assert all(o.equals(ref) for o in outs), 'forecast changed while another model trained'\nprint('OK')", "ok", (), 0),
    ("numpy-array-data", "Forecaster(**kw).fit(np.sin(np.arange(100) / 3.0))\nprint('OK')", "either", ("data",), 0),
    ("unique-id-frame", "rows = [(s, d, 10 * k + np.sin(i / 2)) for k, s in enumerate('abc', 1) "
     "for i, d in enumerate(pd.date_range('2020-01-01', periods=40))]\n"
     "df = pd.DataFrame(rows, columns=['unique_id', 'ds', 'y'])\n"
     "out = Forecaster(**kw).fit(df).forecast()\nassert out['unique_id'].nunique() == 3, out\nprint('OK')",
     "ok", (), 0),
    ("save-missing-parent", "Forecaster.load('m').save('nodir/sub/m2')\nForecaster.load('nodir/sub/m2')\nprint('OK')",
     "either", ("nodir",), 0),
    ("huge-value-1e308", "df = pd.read_csv('a.csv', index_col=0, parse_dates=True).astype(float)\n"
     "df.iloc[10, 0] = 1e308\n"
     "out = Forecaster(**kw).fit(df).forecast(coverage=0.9)\nassert np.isfinite(out.to_numpy()).all(), out\n"
     "print('OK')", "either", ("Passengers",), 4),
]:
    case("api", name, py(API + code), fixtures=("a.csv", "m"), expect=expect, names=names, mech=mech,
         check=api_result)


# ---- extremes: huge, tiny and subnormal values
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


# ---- outputs: valid inputs whose results must be right
AIR_NEXT = ["1961-01-01", "1961-02-01", "1961-03-01"]
for name, steps, fixtures, expect, check, mech in [
    ("airline-coverage-0.9", [cli("forecast m --coverage 0.9 --out f.csv")], ("m",), "ok",
     forecast_file(dates=AIR_NEXT, need_bounds=True), 0),
    ("coverage-0.999999", [cli("forecast m --coverage 0.9 --out a.csv"), cli("forecast m --coverage 0.999999 --out b.csv")],
     ("m",), "either", wider("a.csv", "b.csv"), 7),
    ("coverage-0.99-wider", [cli("forecast m --coverage 0.9 --out a.csv"), cli("forecast m --coverage 0.99 --out b.csv")],
     ("m",), "ok", wider("a.csv", "b.csv"), 7),
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


if __name__ == "__main__":
    sys.exit(main())
