"""Inspecting a model with values known in advance: the window and its steps' known values read as its
forecast reads them, the gradients through the decoder, and a clear refusal where those values are unknown."""

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster

from ..forecast.test_future_features import SETTINGS, driven_series

HORIZON = SETTINGS["horizon"]


@pytest.fixture(scope="module")
def fitted():
    frame = driven_series()
    return frame, Forecaster(**SETTINGS).fit(frame, target="y", future_features=["k", "hour"])


def test_a_window_inside_the_data_is_traced_with_its_steps_known_values(fitted):
    frame, fc = fitted
    window = -(HORIZON + 1)  # its six forecast steps are the data's last six rows
    traced = fc.inspect(window=window)
    origin = len(frame) - HORIZON
    predicted = fc.predict(frame).loc[frame["date"][origin]].to_numpy()
    np.testing.assert_allclose(traced.output, predicted, rtol=1e-6)
    assert traced.output_labels[0] == frame["date"][origin].strftime("%Y-%m-%d %H:%M")
    changed = frame.copy()
    changed.loc[origin + 2, "k"] += 2.0  # the known value of its third step
    moved = fc.inspect(changed, window=window)
    assert abs(moved.output[2] - traced.output[2]) > 0.1
    np.testing.assert_array_equal(moved.grad_x.shape, traced.grad_x.shape)


def test_the_gradients_flow_through_the_decoder(fitted):
    frame, fc = fitted
    from lstmcast.inspection.known_window import known_window

    window = -(HORIZON + 1)
    x, known, _ = known_window(fc._series_model(), fc.table_.values, len(frame) - HORIZON, fc.table_.future_dates,
                               "data", window)
    traced = fc.inspect(window=window)
    net = fc.network_
    net.eval()
    x = x.astype(np.float64)
    eps = 1e-3
    for step, column in [(-1, 0), (-3, 1), (-10, 2)]:  # the last rows matter most
        up, down = x.copy(), x.copy()
        up[0, step, column] += eps
        down[0, step, column] -= eps
        numeric = (net.forward(up.astype(np.float32), known).sum() - net.forward(down.astype(np.float32), known).sum())
        numeric /= 2 * eps
        assert traced.grad_x[step, column] == pytest.approx(numeric, rel=0.05, abs=2e-3)
    assert np.abs(traced.grad_x).max() > 0


def test_the_last_window_needs_its_data_columns_and_says_which_window_to_take(fitted):
    _, fc = fitted
    with pytest.raises(ValueError, match=r"window=-1: its forecast steps run 6 past.*'k'.*window=-7"):
        fc.inspect()


def test_a_calendar_only_model_is_traced_on_the_window_its_forecast_reads():
    frame = driven_series(n=360)
    fc = Forecaster(**{**SETTINGS, "epochs": 6}).fit(frame, target="y", future_features=["hour"])
    traced = fc.inspect()
    np.testing.assert_allclose(traced.output, fc.forecast()["y"].to_numpy(), rtol=1e-6)


def test_a_series_of_a_panel_is_traced_with_its_own_known_values():
    frames = []
    for k, name in enumerate(["a", "b"]):
        one = driven_series(n=300, seed=k).rename(columns={"date": "ds"})
        one.insert(0, "unique_id", name)
        one["y"] += 20 * k
        frames.append(one)
    panel = pd.concat(frames, ignore_index=True)
    fc = Forecaster(**{**SETTINGS, "epochs": 4}).fit(panel, future_features=["k"])
    traced = fc.inspect(series="b", window=-(HORIZON + 1))
    predicted = fc.predict(panel)
    row = predicted[(predicted.unique_id == "b")].iloc[-1]
    np.testing.assert_allclose(traced.output, row.filter(like="t+").to_numpy(dtype=float), rtol=1e-6)
    with pytest.raises(ValueError, match="series 'b'.*'k'"):
        fc.inspect(series="b")
