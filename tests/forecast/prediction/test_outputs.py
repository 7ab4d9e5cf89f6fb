"""From members to forecasts: the members' mean, moved towards naive by the naive weight."""

import numpy as np
import pytest

from lstmcast import Forecaster, load_dataset
from lstmcast.forecast.prediction.outputs import member_outputs, outputs_at, validation_origins, validation_residuals

FAST = dict(look_back=12, horizon=6, hidden_size=4, epochs=2, batch_size=16, lr=1e-2, verbose=False)


@pytest.fixture(scope="module")
def pair():
    return Forecaster(**FAST, ensemble=2, no_harm="none").fit(load_dataset("airline"), target="Passengers")


def test_the_forecast_is_naive_plus_the_weight_times_the_members_mean_minus_naive(pair):
    values = pair.table_.values  # (N, F)
    origins = np.array([30, 60, 90])
    mean = member_outputs(pair, values, origins).mean(axis=0)  # (3, horizon)
    np.testing.assert_allclose(outputs_at(pair, values, origins), mean, rtol=1e-12)
    naive = values[origins - 1, 0][:, None]  # (3, 1)
    pair.naive_weight_ = 0.25
    try:
        np.testing.assert_allclose(outputs_at(pair, values, origins), naive + 0.25 * (mean - naive), rtol=1e-12)
    finally:
        pair.naive_weight_ = 1.0


def test_validation_windows_start_in_the_validation_rows_and_end_inside_them(pair):
    origins = validation_origins(pair)
    val = pair.split_.val
    assert origins[0] == val.start and origins[-1] + pair.horizon == val.stop
    actual = pair.table_.target_values[origins[:, None] + np.arange(pair.horizon)]  # (n_val, horizon)
    forecast = outputs_at(pair, pair.table_.values, origins)  # (n_val, horizon)
    np.testing.assert_allclose(validation_residuals(pair, pair.table_, pair.split_), np.abs(actual - forecast))
