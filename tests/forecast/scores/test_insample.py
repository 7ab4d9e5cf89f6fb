"""evaluate marks the windows that forecast dates the fit saw."""

import numpy as np
import pytest

from lstmcast import Forecaster, load_dataset

FAST = dict(look_back=12, horizon=6, hidden_size=4, epochs=2, seed=0, verbose=False)


@pytest.fixture(scope="module")
def airline():
    return load_dataset("airline")


@pytest.fixture(scope="module")
def fitted(airline):
    return Forecaster(**FAST).fit(airline.loc[:"1957-12"], target="Passengers")


def test_windows_on_the_fitted_rows_are_marked_in_sample(fitted, airline):
    table = fitted.evaluate(airline)
    origins = np.arange(12, 144 - 6 + 1)
    first_forecast = airline.index[origins]
    trained = first_forecast <= airline.index[fitted.split_.train.stop - 1]
    validated = (first_forecast <= airline.index[fitted.split_.val.stop - 1]) & ~trained  # early stopping used them
    assert trained.sum() > 0 and validated.sum() > 0
    assert table.attrs["in_sample_windows"] == int(trained.sum() + validated.sum())
    end_train = airline.index[fitted.split_.train.stop - 1].strftime("%Y-%m-%d")
    assert (f"{int(trained.sum())} of {len(origins)} windows forecast rows the model was trained on "
            f"(up to {end_train}): in-sample, so optimistic") in table.attrs["verdict"]
    assert (f"{int(validated.sum())} of {len(origins)} windows forecast the validation rows early stopping chose "
            "the epoch on (up to 1957-12-01): slightly optimistic") in table.attrs["verdict"]


def test_windows_after_the_fitted_data_are_not(fitted, airline):
    table = fitted.evaluate(airline, start="1958-01")
    assert table.attrs["in_sample_windows"] == 0 and "in-sample" not in table.attrs["verdict"]


def test_without_early_stopping_only_training_rows_count(airline):
    fc = Forecaster(**FAST, patience=None).fit(airline.loc[:"1957-12"], target="Passengers")
    table = fc.evaluate(airline, start=fc.split_.val.start)
    assert table.attrs["in_sample_windows"] == 0  # validation rows chose nothing
