"""Running a case: its fresh folder, its subprocesses under a timeout, and the judgement clean or not."""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import makers
from .core import COMMANDS, CONTROL, DATA, FLAG, MAX_LINE, MEMORY_LIMIT, TEMPORARY, TINY, Case, last_line
from .makers import panel_csv, series_csv, write


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
    for path in out_paths([case.steps[steps.index(failed)]]):  # the refusing step's outputs only
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
            source = makers.fixture(name)
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
def build_fixtures(runner: Runner, base: Path) -> None:
    """Data files and model folders the cases copy: trained once with the code under test."""
    folder = makers.FIXTURES = base / "fixtures"
    folder.mkdir()
    shutil.copyfile(DATA / "airline-passengers.csv", folder / "a.csv")
    write(folder / "daily.csv", series_csv(120))
    write(folder / "monthly.csv", series_csv(40, freq="MS"))
    write(folder / "p.csv", panel_csv())
    env = runner.environment(False)
    for line in (f"train a.csv --out m {TINY}", f"train daily.csv --out md {TINY}",
                 f"train p.csv --id-column series --out pm {TINY}"):
        s = runner.step("cli", shlex.split(line), folder, env, 600, MEMORY_LIMIT)
        if s.rc != 0:
            sys.exit(f"hostile_sweep: the fixture `lstmcast {line}` failed (exit {s.rc}): {last_line(s.stderr)}")
