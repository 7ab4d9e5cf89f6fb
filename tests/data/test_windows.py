"""Sliding windows: every window takes exactly the rows a plain loop would take."""

import numpy as np
import pytest

from lstmcast.data.windows import last_window, make_windows


def naive_windows(values, look_back, horizon, target_col, stride):
    """The definition, one window at a time."""
    X, Y, origins = [], [], []
    for o in range(look_back, len(values) - horizon + 1, stride):
        X.append(values[o - look_back : o])
        Y.append(values[o : o + horizon, target_col])
        origins.append(o)
    return np.array(X), np.array(Y), np.array(origins)


@pytest.mark.parametrize(
    "n_rows, look_back, horizon, target_col, stride",
    [(20, 3, 2, 0, 1), (20, 5, 1, 2, 1), (31, 4, 6, 1, 3), (10, 7, 3, 0, 1), (10, 1, 1, 2, 4)],
)
def test_windows_match_a_plain_loop(n_rows, look_back, horizon, target_col, stride):
    rng = np.random.default_rng(0)
    values = rng.normal(size=(n_rows, 3))
    X, Y, origins = make_windows(values, look_back, horizon, target_col=target_col, stride=stride)
    X_ref, Y_ref, o_ref = naive_windows(values, look_back, horizon, target_col, stride)
    assert X.shape == (len(o_ref), look_back, 3)
    assert Y.shape == (len(o_ref), horizon)
    np.testing.assert_array_equal(origins, o_ref)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(Y, Y_ref)


def test_window_rows_are_those_before_and_after_the_origin():
    values = np.arange(12, dtype=np.float64).reshape(6, 2)  # row r holds (2r, 2r+1)
    X, Y, origins = make_windows(values, look_back=2, horizon=2)
    np.testing.assert_array_equal(origins, [2, 3, 4])
    np.testing.assert_array_equal(X[0], [[0, 1], [2, 3]])  # rows 0, 1
    np.testing.assert_array_equal(Y[0], [4, 6])  # rows 2, 3 of column 0
    np.testing.assert_array_equal(X[-1], [[4, 5], [6, 7]])  # rows 2, 3
    np.testing.assert_array_equal(Y[-1], [8, 10])  # rows 4, 5: the last row is used


def test_windows_are_contiguous_copies():
    values = np.arange(30, dtype=np.float64).reshape(10, 3)
    X, Y, _ = make_windows(values, 4, 2)
    assert X.flags.c_contiguous and Y.flags.c_contiguous
    assert not np.shares_memory(X, values) and not np.shares_memory(Y, values)
    X[0, 0, 0] = -1.0
    assert values[0, 0] == 0.0


def test_one_dimensional_values_are_one_column_and_dtypes():
    X, Y, _ = make_windows(np.arange(8), 3, 2)
    assert X.shape == (4, 3, 1) and X.dtype == np.float64
    X32, _, _ = make_windows(np.arange(8, dtype=np.float32), 3, 2)
    assert X32.dtype == np.float32


def test_exactly_one_window_when_rows_equal_look_back_plus_horizon():
    X, Y, origins = make_windows(np.arange(5.0), 3, 2)
    assert X.shape == (1, 3, 1)
    np.testing.assert_array_equal(origins, [3])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"look_back": 0, "horizon": 1}, "look_back"),
        ({"look_back": 2.0, "horizon": 1}, "look_back"),
        ({"look_back": True, "horizon": 1}, "look_back"),
        ({"look_back": 2, "horizon": 0}, "horizon"),
        ({"look_back": 2, "horizon": 1, "stride": 0}, "stride"),
        ({"look_back": 2, "horizon": 1, "target_col": 3}, "target_col"),
        ({"look_back": 8, "horizon": 3}, "look_back \\+ horizon = 11"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_windows(np.zeros((10, 3)), **kwargs)


def test_values_must_be_one_or_two_dimensional_numbers():
    with pytest.raises(ValueError, match="values must have shape"):
        make_windows(np.zeros((4, 3, 2)), 1, 1)
    with pytest.raises(ValueError, match="values must hold numbers"):
        make_windows(np.array(["a", "b", "c"]), 1, 1)


def test_last_window_is_the_final_rows():
    values = np.arange(20, dtype=np.float64).reshape(10, 2)
    window = last_window(values, 3)
    assert window.shape == (1, 3, 2)
    np.testing.assert_array_equal(window[0], values[7:])
    assert not np.shares_memory(window, values)
    with pytest.raises(ValueError, match="look_back"):
        last_window(values, 11)
    with pytest.raises(ValueError, match="look_back"):
        last_window(values, 0)


def test_windows_larger_than_the_available_memory_are_refused_with_both_figures(monkeypatch):
    from lstmcast.data import windows
    from lstmcast.data.errors import DataError

    monkeypatch.setattr(windows, "available_memory", lambda: 2 * 10**9)
    with pytest.raises(DataError, match=r"^big.csv: 30,000 windows of look_back = 30000 rows x 1 column\(s\) need "
                                        r"about 21.6 GB of memory, more than the 2.0 GB available; use a shorter "
                                        r"look_back or less data$"):
        windows.check_window_memory(30_000, 30_000, 1, "big.csv")
    windows.check_window_memory(1_000, 1_000, 1, "big.csv")  # 24 MB: fits


def test_small_windows_do_not_ask_the_system(monkeypatch):
    from lstmcast.data import windows

    def refuse():
        raise AssertionError("available_memory called for small windows")

    monkeypatch.setattr(windows, "available_memory", refuse)
    windows.check_window_memory(100, 50, 3, "data.csv")
    X, _, _ = make_windows(np.arange(200.0), 50, 2)
    assert X.shape == (149, 50, 1)


def test_make_windows_checks_its_own_allocation(monkeypatch):
    from lstmcast.data import windows
    from lstmcast.data.errors import DataError

    monkeypatch.setattr(windows, "CHECK_FROM", 0)
    monkeypatch.setattr(windows, "available_memory", lambda: 1000)
    with pytest.raises(DataError, match=r"^values: 149 windows of look_back = 50 rows x 1 column\(s\) need about "
                                        r"60 kB of memory, more than the 1 kB available"):
        make_windows(np.arange(200.0), 50, 2)


def test_available_memory_is_a_positive_number_of_bytes():
    from lstmcast.data.windows import available_memory

    memory = available_memory()
    assert memory is None or (isinstance(memory, int) and memory > 0)


def test_an_address_space_limit_counts_as_the_memory_available():
    """Under ``ulimit -v`` the windows are refused before allocating, not by 'out of memory' after."""
    import subprocess
    import sys

    code = ("import resource; resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, resource.RLIM_INFINITY))\n"
            "from lstmcast.data import windows\n"
            "print(windows.available_memory())\n"
            "windows.check_window_memory(30_000, 30_000, 1, 'big.csv')\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert int(run.stdout.split()[0]) < 3 * 2**30
    assert "DataError: big.csv: 30,000 windows" in run.stderr and "available" in run.stderr
