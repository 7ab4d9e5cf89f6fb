"""blas_threads pins the BLAS thread count inside the block and restores it after."""

import numpy as np  # noqa: F401  (loads the BLAS)
import pytest

from lstmcast.threads import _blas_libraries, blas_threads, threads_for_lstm


def test_threads_are_limited_and_restored():
    libraries = _blas_libraries()
    if not libraries:
        pytest.skip("no BLAS library visible to threadpoolctl")
    before = [lib.get_num_threads() for lib in libraries]
    with blas_threads(1):
        assert all(lib.get_num_threads() == 1 for lib in libraries)
    assert [lib.get_num_threads() for lib in libraries] == before
    with pytest.raises(RuntimeError):
        with blas_threads(1):
            raise RuntimeError("boom")
    assert [lib.get_num_threads() for lib in libraries] == before


def test_policy_one_thread_for_small_products_only():
    assert threads_for_lstm(64, 64) == 1  # forecasting sizes
    assert threads_for_lstm(32, 256) is None  # a char model's products are worth threading
