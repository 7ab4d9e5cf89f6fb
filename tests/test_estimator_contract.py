"""The estimator contract of every estimator: scikit-learn's get_params / set_params / clone, and
in-memory copies (deepcopy, pickle) of fitted models that forecast (generate) the same, bit for bit."""

import copy
import pickle
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
import pytest

from lstmcast import CharModel, Forecaster, load_dataset

from .conftest import seasonal_panel
from .text import TINY, shakespeare_piece

SMALL = dict(look_back=12, horizon=3, hidden_size=8, epochs=3, patience=None, verbose=False, seed=0)


@dataclass(frozen=True)
class Case:
    """An estimator: how to build it, fit it and ask it for what it makes."""

    make: Callable
    fit: Callable
    output: Callable  # fitted model -> a DataFrame or a string


def _panel_output(model):
    return model.forecast(coverage=0.9)


CASES = {
    "forecaster": Case(lambda: Forecaster(**SMALL, dropout=0.2, mc_passes=3, no_harm="none"),
                       lambda m: m.fit(load_dataset("airline"), target="Passengers"),
                       lambda m: m.forecast(coverage=0.9, spread=True)),
    "panel-global": Case(lambda: Forecaster(**SMALL, season=12),
                         lambda m: m.fit(seasonal_panel(3), id_column="unique_id"), _panel_output),
    "panel-local": Case(lambda: Forecaster(**SMALL, season=12, mode="local"),
                        lambda m: m.fit(seasonal_panel(3), id_column="unique_id"), _panel_output),
    "charmodel": Case(lambda: CharModel(**{**TINY, "epochs": 1, "dropout": 0.1}),
                      lambda m: m.fit(shakespeare_piece()[:3000]),
                      lambda m: m.sample("ROMEO:", length=40, temperature=1.0, seed=3)),
}
_FITTED = {}


def fitted(name):
    """The case's model fitted once per run (tests must not change it)."""
    if name not in _FITTED:
        case = CASES[name]
        _FITTED[name] = case.fit(case.make())
    return _FITTED[name]


def assert_same(a, b):
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    else:
        assert a == b


@pytest.mark.parametrize("name", CASES)
def test_clone_gives_an_unfitted_copy_with_equal_params(name):
    clone = pytest.importorskip("sklearn.base").clone
    model = fitted(name)
    copied = clone(model)
    assert type(copied) is type(model) and copied is not model
    assert copied.get_params() == model.get_params()
    assert not [key for key in vars(copied) if key.endswith("_")]  # nothing learned
    with pytest.raises(ValueError, match="not fitted"):
        CASES[name].output(copied)


@pytest.mark.parametrize("name", CASES)
def test_set_params_round_trips_and_rejects_unknown_names(name):
    model = CASES[name].make()
    before = model.get_params()
    assert model.get_params(deep=False) == before  # no parameter is an estimator itself
    assert model.set_params(hidden_size=5, seed=11) is model
    assert model.get_params() == {**before, "hidden_size": 5, "seed": 11}
    model.set_params(**before)
    assert model.get_params() == before
    with pytest.raises(ValueError, match=r"set_params: \w+ has no parameter 'hiden_size' \(its parameters: "):
        model.set_params(hiden_size=5)
    with pytest.raises(ValueError, match="'seed__x': seed of .* is not an estimator"):
        model.set_params(seed__x=1)
    assert model.get_params() == before  # nothing changed by the refused calls
    assert type(model)(**model.set_params(hidden_size=7).get_params()).hidden_size == 7


@pytest.mark.parametrize("how", ["deepcopy", "pickle"])
@pytest.mark.parametrize("name", CASES)
def test_copies_of_a_fitted_model_give_the_same_output_bit_for_bit(name, how):
    model = fitted(name)
    expected = CASES[name].output(model)
    copied = copy.deepcopy(model) if how == "deepcopy" else pickle.loads(pickle.dumps(model))
    assert copied is not model
    assert_same(CASES[name].output(copied), expected)
    assert_same(CASES[name].output(model), expected)  # the original is left as it was


def _dropout_states(model):
    return [repr(m.rng.bit_generator.state) for member in model.members_
            for m in (member.network.lstm, member.network.drop) if m is not None]


def test_concurrent_mc_dropout_forecasts_equal_sequential_ones():
    """Each call draws its Monte-Carlo masks from the seed and the pass, on replicas of the networks."""
    temperatures = load_dataset("temperatures")
    model = Forecaster(**{**SMALL, "hidden_size": 16, "epochs": 2}, dropout=0.3, recurrent_dropout=0.2,
                       mc_passes=6, no_harm="none", ensemble=2).fit(temperatures.iloc[:700], target="Temp")
    ends = [700, 760, 820, 900] * 6  # (24,) calls on four tables, interleaved
    rngs_before = _dropout_states(model)
    sequential = [model.forecast(temperatures.iloc[:end], coverage=0.9) for end in ends]
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(lambda end: model.forecast(temperatures.iloc[:end], coverage=0.9), ends))
    for got, want in zip(concurrent, sequential):
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert _dropout_states(model) == rngs_before  # forecasting draws nothing from the model's generators
    assert not any(member.network.training for member in model.members_)


def test_concurrent_panel_forecasts_and_samples_equal_sequential_ones():
    """The networks' scratch buffers belong to each call's replica, not to the shared network."""
    model = fitted("panel-global")
    sequential = [model.forecast(coverage=0.9) for _ in range(12)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        concurrent = list(pool.map(lambda _: model.forecast(coverage=0.9), range(12)))
    for got, want in zip(concurrent, sequential):
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    text = fitted("charmodel")
    seeds = list(range(16))
    expected = [text.sample("ROMEO:", 300, seed=s) for s in seeds]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(lambda s: text.sample("ROMEO:", 300, seed=s), seeds)) == expected
