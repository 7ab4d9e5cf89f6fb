"""The threads the compiled sweeps cut a batch over, and running the chunks on them.

The chunks of a batch recur independently, so each runs as one call of a compiled
kernel that releases the GIL (``nogil=True``): the calling thread takes chunk 0 and a
small pool of plain Python threads takes the rest.  Plain threads rather than Numba's
``prange``: waiting threads sleep instead of spinning (OpenMP's default spin made a
training run 5x slower on a 2-core machine with anything else running), any number of
user threads may call in at once, and nothing depends on which OpenMP the machine has.

The thread count is ``LSTMCAST_THREADS`` from the environment if set, else the cores
this process may run on; :func:`set_threads` changes it (e.g. to 1 in each of several
worker processes sharing a machine).  Results depend only on the thread count: the
same count gives the same numbers, bit for bit.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

ENV_VAR = "LSTMCAST_THREADS"

_lock = threading.Lock()
_threads: int | None = None
_pool: ThreadPoolExecutor | None = None


def _available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def get_threads() -> int:
    """How many threads the compiled sweeps cut a batch over."""
    global _threads
    if _threads is None:
        value = os.environ.get(ENV_VAR)
        if value is None:
            _threads = _available_cores()
        elif value.isdigit() and int(value) >= 1:
            _threads = int(value)
        else:
            raise ValueError(f"the environment variable {ENV_VAR} must be a positive whole number, got {value!r}")
    return _threads


def set_threads(n: int) -> int:
    """Cut batches over ``n`` threads from now on; returns the previous count."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"threads must be a positive whole number, got {n!r}")
    global _threads
    previous = get_threads()
    _threads = n
    return previous


def run_chunks(kernel, chunks: int, *args) -> None:
    """``kernel(c, *args)`` for c in range(chunks): chunk 0 here, the others on the pool, all finished on return."""
    if chunks == 1:
        kernel(0, *args)
        return
    pool = _get_pool(chunks - 1)
    pending = [pool.submit(kernel, c, *args) for c in range(1, chunks)]
    kernel(0, *args)
    for future in pending:
        future.result()


def _get_pool(workers: int) -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None or _pool._max_workers < workers:
            _pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="lstmcast-sweep")
        return _pool
