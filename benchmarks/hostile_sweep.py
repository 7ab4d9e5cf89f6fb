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

This script is the entry point; the sweep lives in ``benchmarks/hostile/``: the harness
(``core``, ``makers``, ``checks``, ``harness``, ``main``) and one module of cases per kind
(``cases_csv.py``, ``cases_dates.py``, ...), imported in the order the sweep runs them.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the hostile/ package beside this script, no install

from hostile.main import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
