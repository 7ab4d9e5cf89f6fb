"""Shared test data: a panel of seasonal series with a known shape, a small Forecaster, and one
global model fitted on the panel (module-scoped fixtures)."""

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster

SEASON = 12


def seasonal_panel(n_series=6, dates=True, seed=0, lengths=None, starts=None):
    """Series with a known shape: a level (10 to 10,000) times a seasonal pattern of period 12, small noise.

    Each series has its own level, amplitude, phase, length and start (ragged starts and ends)."""
    rng = np.random.default_rng(seed)
    frames = []
    for k in range(n_series):
        n = lengths[k] if lengths else int(rng.integers(150, 220))
        start = starts[k] if starts else int(rng.integers(0, 40))
        level = 10.0 ** (1 + k % 4)
        t = np.arange(start, start + n)
        shape = 1 + 0.3 * np.sin(2 * np.pi * t / SEASON + k) + 0.1 * np.sin(4 * np.pi * t / SEASON)
        y = level * shape * (1 + 0.02 * rng.standard_normal(n))
        times = pd.date_range("2000-01-01", periods=300, freq="MS")[t] if dates else t
        frames.append(pd.DataFrame({"unique_id": f"s{k}", "ds": times, "y": y}))
    return pd.concat(frames, ignore_index=True)


def small(**changes):
    settings = dict(look_back=24, horizon=6, hidden_size=16, epochs=30, batch_size=32, patience=None,
                    verbose=False, season=SEASON, seed=0)
    settings.update(changes)
    return Forecaster(**settings)


@pytest.fixture(scope="module")
def panel_frame():
    return seasonal_panel()


@pytest.fixture(scope="module")
def global_model(panel_frame):
    return small().fit(panel_frame, id_column="unique_id")


@pytest.fixture(scope="module")
def cluster():
    """One 2-process Dask LocalCluster for the module, started through TaskRunner(workers=2)."""
    pytest.importorskip("distributed")
    from lstmcast.parallel import TaskRunner

    runner = TaskRunner(workers=2, progress=False)
    assert len(runner.client.scheduler_info()["workers"]) == 2
    yield runner
    runner.close()
