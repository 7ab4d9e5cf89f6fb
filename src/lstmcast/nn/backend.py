"""Which backend runs the LSTM's time loops when a layer does not say.

``"numba"`` (compiled kernels, the default) or ``"numpy"`` (the reference).  The
environment variable ``LSTMCAST_BACKEND`` sets the starting value for a whole
process, e.g. to run a workflow on the reference engine; :func:`set_backend`
changes it from Python.
"""

from __future__ import annotations

import os

BACKEND_NAMES = ("numba", "numpy")
ENV_VAR = "LSTMCAST_BACKEND"

_current: str | None = None


def check_backend(name, where: str) -> str:
    """Return ``name`` if it names a backend, else raise a one-line ValueError naming ``where``."""
    if name not in BACKEND_NAMES:
        raise ValueError(f"{where} must be one of {', '.join(map(repr, BACKEND_NAMES))}, got {name!r}")
    return name


def get_backend() -> str:
    """The backend used by layers built without ``backend=``."""
    global _current
    if _current is None:
        _current = check_backend(os.environ.get(ENV_VAR, "numba"), f"the environment variable {ENV_VAR}")
    return _current


def set_backend(name: str) -> str:
    """Make ``name`` (``"numba"`` or ``"numpy"``) the default backend; returns the previous one."""
    previous = get_backend()
    global _current
    _current = check_backend(name, "backend")
    return previous
