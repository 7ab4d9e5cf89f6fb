"""Hostile-input sweep: does lstmcast refuse every mistake cleanly and get every odd input right?

Run it as ``python benchmarks/hostile_sweep.py`` (its docstring says what clean means). The parts:

- ``core``: the limits, the patterns, the mechanisms, ``Case`` and the list ``CASES``;
- ``makers``: file makers, setups and forgers the cases are built from, and the fixture folder;
- ``checks``: the checks of a case that exited 0;
- ``harness``: running a case in its own folder under a timeout, judging it, building the fixtures;
- ``main``: the command line, the table and the JSON;
- ``cases_<kind>``: the cases of one kind (csv, dates, panels, folders, links, args, api, extremes,
  outputs), each module adding its own to ``CASES`` when imported.
"""
