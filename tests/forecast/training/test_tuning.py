"""Tuning look-back and hidden size by walk-forward error."""

import numpy as np
import pytest

from lstmcast import Forecaster, load_dataset
from lstmcast.forecast.training.tuning import tune

BASE = dict(horizon=1, epochs=2, batch_size=32, lr=1e-2, verbose=False)
WALK = dict(target="Temp", start=-30, step=2)


@pytest.fixture(scope="module")
def temperatures():
    return load_dataset("temperatures").iloc[-300:]


@pytest.fixture(scope="module")
def result(temperatures):
    return tune(Forecaster(**BASE), temperatures, [5, 15], [4, 8], **WALK)


def test_every_combination_is_tried_in_order(result):
    trials = result.trials
    assert list(zip(trials["look_back"], trials["hidden_size"])) == [(5, 4), (5, 8), (15, 4), (15, 8)]
    assert {"MAE", "RMSE", "MASE", "sMAPE", "DirAcc", "naive MAE", "seconds"} <= set(trials.columns)
    assert trials["naive MAE"].nunique() == 1  # every trial is scored on the same origins


def test_the_lowest_error_wins_and_matches_its_own_backtest(result, temperatures):
    best = result.trials.iloc[int(np.argmin(result.trials["MAE"]))]
    assert result.best == {"look_back": int(best["look_back"]), "hidden_size": int(best["hidden_size"])}
    assert result.best_row["MAE"] == best["MAE"]
    again = Forecaster(**BASE, **result.best).backtest(temperatures, coverage=None, **WALK)
    assert again.metrics.loc["LSTM", "MAE"] == pytest.approx(best["MAE"], rel=1e-12)


def test_another_metric_can_decide(temperatures):
    by_rmse = tune(Forecaster(**BASE), temperatures, [5, 15], [4], metric="RMSE", **WALK)
    chosen = by_rmse.trials.iloc[int(np.argmin(by_rmse.trials["RMSE"]))]
    assert by_rmse.best["look_back"] == chosen["look_back"] and by_rmse.metric == "RMSE"


@pytest.mark.parametrize("kwargs, message", [
    (dict(look_backs=[]), "look_backs must be a non-empty list of positive integers"),
    (dict(look_backs=[5, 0]), "look_backs must be a non-empty list of positive integers"),
    (dict(hidden_sizes=[4, 4]), "hidden_sizes must not repeat a value"),
    (dict(metric="R2"), "metric must be one of MAE, RMSE, MASE, sMAPE"),
])
def test_bad_arguments_are_clear_errors(temperatures, kwargs, message):
    arguments = {"look_backs": [5], "hidden_sizes": [4], **kwargs}
    with pytest.raises(ValueError, match=message):
        tune(Forecaster(**BASE), temperatures, **arguments, **WALK)
