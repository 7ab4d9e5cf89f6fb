"""Windows drawn by index from rows stored once equal the windows built all at once, bit for bit,
and a fit never needs them all at once."""

import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from lstmcast.data import Panel, read_panel
from lstmcast.data.panel_split import SeriesScalers, fit_series_scalers
from lstmcast.data.panel_windows import panel_windows
from lstmcast.data.split import split_rows
from lstmcast.data.window_index import window_indexes


def uneven_panel() -> Panel:
    rng = np.random.default_rng(4)
    frames = [pd.DataFrame({"unique_id": name, "ds": np.arange(n), "y": rng.normal(size=n) * (k + 1) + 10 * k,
                            "x": rng.normal(size=n)})
              for k, (name, n) in enumerate({"a": 40, "b": 17, "c": 9, "d": 63}.items())]
    return read_panel(pd.concat(frames, ignore_index=True), target="y", features=["x"])


@pytest.mark.parametrize("first_row", [0, 1])
def test_gathered_windows_equal_the_stacked_windows_for_every_part(first_row):
    panel = uneven_panel()
    splits = {name: split_rows(int(n), int(n) - max(3, int(n) // 5), int(n)) for name, n in panel.lengths.items()}
    scalers = fit_series_scalers(panel, splits, "standard")
    indexes = window_indexes(panel, 5, 3, splits, scalers, ("train", "val"), first_row=first_row)
    for part, index in indexes.items():
        eager = panel_windows(panel, 5, 3, splits, part, scalers, first_row=first_row)
        assert len(index) == len(eager) > 0
        shuffled = np.random.default_rng(0).permutation(len(index))  # any batch, in any order
        x, y, known = index.gather(shuffled)
        assert known is None
        np.testing.assert_array_equal(x, eager.X[shuffled])
        np.testing.assert_array_equal(y, eager.Y[shuffled])
        np.testing.assert_array_equal(index.series, eager.series)
        np.testing.assert_array_equal(index.origins, eager.origins)
        assert index.counts() == eager.counts()
    assert indexes["train"].rows is indexes["val"].rows  # every series scaled once, shared by the parts
    assert indexes["train"].counts()["c"] == 0  # 9 rows: no training window of 5 + 3 before its validation


def test_a_fit_runs_under_a_memory_limit_below_its_window_array(tmp_path):
    """200 series x 2,000 rows with look_back 500: every training window at once would be
    200 * ~1,100 * 500 float32 values (440 MB; 880 MB in float64 before the cast). The fit runs with
    the address space capped 300 MB above what the process holds before it (after a small fit has
    compiled the kernels and OpenBLAS has its buffers)."""
    script = textwrap.dedent("""
        import resource
        import numpy as np, pandas as pd
        from lstmcast import Forecaster

        rng = np.random.default_rng(0)
        t = np.arange(2000)
        frame = pd.concat([pd.DataFrame({"unique_id": f"s{k}", "ds": t,
                                         "y": 10 + np.sin(2 * np.pi * t / 50) + rng.normal(size=2000)})
                           for k in range(200)], ignore_index=True)
        fc = Forecaster(look_back=500, horizon=5, hidden_size=4, patch=50, max_steps=5, batch_size=16,
                        val_fraction=0.2, verbose=False, no_harm="none", combine="none")
        fc.fit(frame[frame.unique_id.isin(["s0", "s1"])], id_column="unique_id").forecast()  # compiled, BLAS ready
        size = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()  # bytes mapped now
        limit = size + 300 * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        fc.fit(frame, id_column="unique_id")
        out = fc.forecast()
        assert len(out) == 200 * 5 and np.isfinite(out["forecast"]).all()
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


def test_known_columns_are_the_rows_a_later_window_reads():
    panel = uneven_panel()
    splits = {name: split_rows(int(n), int(n) - max(3, int(n) // 5), int(n)) for name, n in panel.lengths.items()}
    index = window_indexes(panel, 5, 3, splits, fit_series_scalers(panel, splits, "standard"), ("train",),
                           known=(1,))["train"]
    x, _, known = index.gather(np.arange(len(index)))
    assert known.shape == (len(index), 3, 1)
    later = np.flatnonzero((index.series[3:] == index.series[:-3]) & (index.starts[3:] == index.starts[:-3] + 3))
    assert len(later) > 10
    # window w's forecast steps are the last 3 input rows of the window 3 rows later, in column "x"
    np.testing.assert_array_equal(known[later, :, 0], x[later + 3, -3:, 1])
