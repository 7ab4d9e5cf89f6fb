"""One BLAS thread for the many small matrix products of NumPy's BLAS.

This is NumPy's BLAS: the Dense heads, embeddings and attention, and the LSTM's time
loops on the NumPy reference backend.  (The compiled backend's loops call SciPy's
BLAS, which :mod:`lstmcast.nn.kernels.blas` keeps at one thread, and spread the batch
over the cores themselves.)

Inside the reference time loop every step multiplies a (B, H) state by a (H, 4H) matrix.  For
the sizes people train forecasters with, that product takes tens of microseconds,
and a multi-threaded BLAS spends more than that waking its threads — on a busy
machine, measured here, OpenBLAS with 2 threads took 6 ms for a 64x64 @ 64x256
product that one thread does in 67 µs.  ``blas_threads(1)`` pins the BLAS to one
thread for a block of code and restores it afterwards (a few microseconds);
:func:`threads_for_lstm` says when that pays.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache

SMALL_STEP_FLOPS = 8_000_000  # below this many flops per recurrent product, one thread wins


@lru_cache(maxsize=1)
def _blas_libraries() -> tuple:
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency
        return ()
    controller = ThreadpoolController()
    return tuple(lib for lib in controller.lib_controllers if lib.user_api == "blas")


@contextmanager
def blas_threads(n: int | None):
    """Run the block with ``n`` BLAS threads (``None``: leave the BLAS as it is)."""
    libraries = _blas_libraries() if n is not None else ()
    previous = [lib.get_num_threads() for lib in libraries]
    for lib in libraries:
        lib.set_num_threads(n)
    try:
        yield
    finally:
        for lib, count in zip(libraries, previous):
            lib.set_num_threads(count)


def threads_for_lstm(batch_size: int, hidden_size: int) -> int | None:
    """1 when the per-step product (B, H) @ (H, 4H) is small, else ``None`` (BLAS default)."""
    flops = 2 * batch_size * hidden_size * 4 * hidden_size
    return 1 if flops < SMALL_STEP_FLOPS else None
