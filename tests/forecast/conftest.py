"""Fixtures the forecast tests share."""

import pytest

from lstmcast import Forecaster, load_dataset

FAST = dict(look_back=12, horizon=3, hidden_size=8, epochs=2, batch_size=32, seed=0, verbose=False)


@pytest.fixture(scope="session")
def saved(tmp_path_factory):
    """A small airline Forecaster's folder; tests copy it before forging anything in it."""
    path = tmp_path_factory.mktemp("fc") / "model"
    Forecaster(**FAST).fit(load_dataset("airline"), target="Passengers").save(path)
    return path
