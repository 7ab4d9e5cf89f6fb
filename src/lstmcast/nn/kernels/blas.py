"""One thread for the BLAS that the compiled sweeps call.

Numba's ``np.dot`` calls SciPy's BLAS (``scipy.linalg.cython_blas``), a second
OpenBLAS beside NumPy's, loaded on first use and starting with one thread per core.
The sweeps already run one batch chunk per core, so a threaded BLAS underneath would
put two threads on every core and serialise on OpenBLAS's own lock.  ``pin_blas``
loads SciPy's BLAS and sets it to one thread; NumPy's own copy (used by the layers
outside the time loops) is left as the user set it.
"""

from __future__ import annotations

import os
from functools import lru_cache


@lru_cache(maxsize=1)
def pin_blas() -> int:
    """Pin SciPy's BLAS to one thread (once per process); returns how many libraries were pinned."""
    import scipy.linalg.cython_blas  # noqa: F401  (loads the library the kernels call)
    from threadpoolctl import ThreadpoolController

    pinned = 0
    for lib in ThreadpoolController().lib_controllers:
        # NumPy's wheels bring their own copy in numpy.libs; where NumPy and SciPy share one
        # system BLAS (conda, distributions), that one is pinned too.
        if lib.user_api == "blas" and os.path.basename(os.path.dirname(lib.filepath)) != "numpy.libs":
            lib.set_num_threads(1)
            pinned += 1
    return pinned
