"""What every part of the sweep shares: the limits, the patterns, the mechanisms, and the case list."""

from __future__ import annotations

import re
import shlex
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
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


def last_line(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return lines[-1].strip() if lines else ""
