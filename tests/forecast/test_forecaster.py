"""Forecaster: the estimator contract, no leakage, honest baselines, save/load, exact resume."""

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster, load_dataset
from lstmcast.checkpoint import CheckpointError
from lstmcast.data.errors import DataError

FAST = dict(look_back=12, horizon=6, hidden_size=8, epochs=4, batch_size=16, lr=1e-2, verbose=False)


@pytest.fixture(scope="module")
def airline():
    return load_dataset("airline")


@pytest.fixture(scope="module")
def fitted(airline):
    return Forecaster(**FAST).fit(airline, target="Passengers")


def test_estimator_contract(airline):
    fc = Forecaster(**FAST)
    params = fc.get_params()
    assert params["look_back"] == 12 and params["verbose"] is False
    assert not hasattr(fc, "network_")
    assert fc.fit(airline, target="Passengers") is fc
    assert fc.get_params() == params  # arguments stored unchanged
    for name in ("network_", "scaler_", "history_", "table_", "split_"):
        assert hasattr(fc, name)
    assert fc.history_.epochs == 4 and len(fc.history_.val_loss) == 4
    assert "look_back=12" in repr(fc)


def test_target_is_found_when_there_is_one_column(airline):
    fc = Forecaster(**FAST).fit(airline)
    assert fc.target_ == "Passengers"


def test_scaler_never_sees_validation_rows(airline):
    fc = Forecaster(**FAST).fit(airline, target="Passengers")
    poisoned = airline.copy()
    val = fc.split_.val
    poisoned.iloc[val, 0] = 1e6  # every validation row replaced by nonsense
    fc2 = Forecaster(**FAST).fit(poisoned, target="Passengers")
    assert fc2.scaler_.to_dict() == fc.scaler_.to_dict()
    train = airline["Passengers"].to_numpy()[fc.split_.train]
    assert fc.scaler_.mean_ == pytest.approx([train.mean()])


def test_forecast_has_future_dates_and_moves_with_newer_data(fitted, airline):
    out = fitted.forecast()
    assert list(out.columns) == ["Passengers"] and len(out) == 6
    assert out.index[0] == pd.Timestamp("1961-01-01") and out.index[-1] == pd.Timestamp("1961-06-01")
    older = fitted.forecast(airline.iloc[:-12])
    assert older.index[0] == pd.Timestamp("1960-01-01")
    # predict's last window has its inputs end 6 rows before the end: the forecast from there
    pred = fitted.predict(airline)
    assert pred.index[-1] == airline.index[-6] and list(pred.columns) == [f"t+{h}" for h in range(1, 7)]
    np.testing.assert_allclose(pred.iloc[-1].to_numpy(), fitted.forecast(airline.iloc[:-6]).iloc[:, 0].to_numpy())
    assert np.isfinite(out.to_numpy()).all() and (out.to_numpy() > 0).all()


def test_evaluate_compares_with_baselines_on_the_same_windows(fitted, airline):
    table = fitted.evaluate(airline, start="1959-01", strong=False)
    assert list(table.index) == ["LSTM", "naive", "seasonal naive", "drift"]
    assert table.attrs["windows"] == 19  # origins 1959-01 .. 1960-07 with 6 steps left
    assert {"MAE", "RMSE", "MASE", "R2", "DirAcc"} <= set(table.columns)


def test_a_model_that_copies_the_last_value_is_shown_as_naive(airline):
    fc = Forecaster(**FAST, window_norm="last").fit(airline, target="Passengers")
    for p in fc.network_.head.params.values():
        p[...] = 0.0  # window_norm="last": a zero output means "repeat the last value"
    table = fc.evaluate(airline, start="1958-01", strong=False)
    np.testing.assert_allclose(table.loc["LSTM"].to_numpy(), table.loc["naive"].to_numpy(), rtol=1e-6)
    assert "does NOT beat naive" in table.attrs["verdict"]


def test_save_load_gives_the_same_forecasts(fitted, tmp_path):
    path = fitted.save(tmp_path / "model")
    assert {p.name for p in path.iterdir()} >= {"config.json", "weights.safetensors"}
    loaded = Forecaster.load(path)
    pd.testing.assert_frame_equal(loaded.forecast(), fitted.forecast())
    pd.testing.assert_frame_equal(loaded.evaluate(), fitted.evaluate())
    assert loaded.get_params() == fitted.get_params()


def test_two_plus_two_epochs_equal_four_bit_for_bit(airline, tmp_path):
    params = dict(FAST, dropout=0.1, patience=50)
    four = Forecaster(**dict(params, epochs=4)).fit(airline, target="Passengers")
    two = Forecaster(**dict(params, epochs=2)).fit(airline, target="Passengers")
    resumed = Forecaster.load(two.save(tmp_path / "m")).fit(airline, resume=True)
    assert resumed.history_.epochs == 4
    assert resumed.history_.train_loss == four.history_.train_loss
    for name, value in four.network_.state_dict().items():
        np.testing.assert_array_equal(resumed.network_.state_dict()[name], value)


def test_same_seed_same_numbers(airline):
    a = Forecaster(**FAST).fit(airline, target="Passengers").forecast()
    b = Forecaster(**FAST).fit(airline, target="Passengers").forecast()
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    c = Forecaster(**dict(FAST, seed=1)).fit(airline, target="Passengers").forecast()
    assert not np.array_equal(a.to_numpy(), c.to_numpy())


@pytest.mark.parametrize("options", [dict(bidirectional=True, attention=True, num_layers=2),
                                     dict(scaler="minmax", loss="huber", window_norm="none")])
def test_options_reach_the_engine(airline, options):
    fc = Forecaster(**FAST, **options).fit(airline, target="Passengers")
    assert np.isfinite(fc.forecast().to_numpy()).all()
    if options.get("attention"):
        assert fc.network_.attention is not None and fc.network_.lstm.num_directions == 2


def test_features_are_inputs():
    df = load_dataset("apple")
    fc = Forecaster(**FAST).fit(df.iloc[-300:], target="Close", features=["Volume"])
    assert fc.network_.lstm.input_size == 2
    assert len(fc.forecast()) == 6


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(look_back=0), "look_back must be a positive integer, got 0"),
        (dict(dropout=1.5), r"dropout must be in \[0, 1\)"),
        (dict(scaler="robust"), "scaler"),
        (dict(window_norm="mean"), "window_norm must be one of"),
        (dict(loss="mae"), "loss must be 'mse', 'huber' or 'quantile'"),
        (dict(val_fraction=1.0), r"val_fraction must be in \[0, 1\)"),
    ],
)
def test_bad_arguments_are_clear_errors(airline, kwargs, message):
    with pytest.raises(ValueError, match=message):
        Forecaster(**dict(FAST, **kwargs)).fit(airline, target="Passengers")


def test_bad_data_is_a_clear_error(airline, tmp_path):
    with pytest.raises(DataError, match="Passengers"):
        Forecaster(**FAST).fit(airline.iloc[:10], target="Passengers")
    with pytest.raises(DataError, match="no column 'Sales'"):
        Forecaster(**FAST).fit(airline, target="Sales")
    with pytest.raises(ValueError, match="not fitted yet"):
        Forecaster(**FAST).forecast()
    two = pd.DataFrame({"a": range(50), "b": range(50)}, index=pd.date_range("2020", periods=50, freq="D"))
    with pytest.raises(DataError, match="name the column to forecast with target=; columns: a, b"):
        Forecaster(**FAST).fit(two)
    with pytest.raises(CheckpointError):
        Forecaster.load(tmp_path / "nothing-here")
