"""Forecaster(ensemble=, patch=, window_norm=): members, spread, patches and the normalisation chosen."""

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster, load_dataset

FAST = dict(look_back=12, horizon=6, hidden_size=8, epochs=4, batch_size=16, lr=1e-2, verbose=False)


@pytest.fixture(scope="module")
def airline():
    return load_dataset("airline")


@pytest.fixture(scope="module")
def single(airline):
    return Forecaster(**FAST).fit(airline, target="Passengers")


@pytest.fixture(scope="module")
def trio(airline):
    return Forecaster(**FAST, ensemble=3).fit(airline, target="Passengers")


def test_an_ensemble_of_one_is_the_single_model_bit_for_bit(single, trio, airline):
    for name, value in single.network_.state_dict().items():
        np.testing.assert_array_equal(trio.members_[0].network.state_dict()[name], value)
    spread = trio.forecast(spread=True)
    np.testing.assert_array_equal(spread["member_1"].to_numpy(), single.forecast()["Passengers"].to_numpy())
    plain = Forecaster(**FAST, ensemble=1).fit(airline, target="Passengers")
    pd.testing.assert_frame_equal(plain.forecast(), single.forecast())
    np.testing.assert_array_equal(plain.residuals_, single.residuals_)


def test_the_forecast_is_the_members_mean_and_the_spread_their_std(trio):
    out = trio.forecast(spread=True)
    members = out[["member_1", "member_2", "member_3"]].to_numpy()  # (horizon, 3)
    assert not np.allclose(members[:, 0], members[:, 1])  # different seeds, different networks
    np.testing.assert_allclose(out["Passengers"], members.mean(axis=1), rtol=1e-12)
    np.testing.assert_allclose(out["spread"], members.std(axis=1), rtol=1e-12)
    pd.testing.assert_series_equal(trio.forecast()["Passengers"], out["Passengers"])


def test_an_ensemble_saves_loads_and_resumes_exactly(trio, airline, tmp_path):
    loaded = Forecaster.load(trio.save(tmp_path / "trio"))
    pd.testing.assert_frame_equal(loaded.forecast(spread=True), trio.forecast(spread=True))
    params = dict(FAST, ensemble=2, patience=50)
    four = Forecaster(**dict(params, epochs=4)).fit(airline, target="Passengers")
    two = Forecaster(**dict(params, epochs=2)).fit(airline, target="Passengers")
    resumed = Forecaster.load(two.save(tmp_path / "two")).fit(airline, resume=True)
    pd.testing.assert_frame_equal(resumed.forecast(spread=True), four.forecast(spread=True))


def test_patches_shorten_the_recurrence(airline):
    fc = Forecaster(**dict(FAST, patch=4)).fit(airline, target="Passengers")
    assert fc.network_.lstm.input_size == 4
    ins = fc.inspect()
    assert ins.gates[(0, 0)]["h"].shape[0] == 3  # 12 months read as 3 steps of 4
    assert len(ins.labels) == len(ins.series) == 3
    np.testing.assert_array_equal(ins.series, airline["Passengers"].to_numpy()[-12:][3::4])  # each step's last month
    with pytest.raises(ValueError, match=r"look_back \(12\) must be a multiple of patch \(5\)"):
        Forecaster(**dict(FAST, patch=5)).fit(airline, target="Passengers")


def test_auto_keeps_the_normalisation_with_the_lowest_validation_error(airline):
    fc = Forecaster(**dict(FAST, window_norm="auto")).fit(airline, target="Passengers")
    scores = fc.window_norm_scores_
    assert set(scores) == {"mean_std", "log_mean_std", "last"}
    assert fc.window_norm_ == min(scores, key=scores.get)
    as_trained = fc._series_model().with_weight(1.0)  # the score is of the forecasts before no harm
    target = airline["Passengers"].to_numpy()
    scale = np.mean(np.abs(np.diff(target[: fc.split_.val.start])))  # scale-free: MAE over the mean training change
    assert float(np.mean(as_trained.residuals_)) / scale == pytest.approx(scores[fc.window_norm_], rel=1e-12)
    chosen = Forecaster(**dict(FAST, window_norm=fc.window_norm_)).fit(airline, target="Passengers")
    pd.testing.assert_frame_equal(chosen.forecast(), fc.forecast())


def test_auto_skips_the_log_for_a_series_that_is_not_positive(airline):
    shifted = airline - 200.0
    fc = Forecaster(**dict(FAST, window_norm="auto", epochs=1)).fit(shifted, target="Passengers")
    assert set(fc.window_norm_scores_) == {"mean_std", "last"}
    with pytest.raises(Exception, match="needs a positive 'Passengers'"):
        Forecaster(**dict(FAST, window_norm="log_mean_std")).fit(shifted, target="Passengers")


def test_log_mean_std_forecasts_in_the_data_units(airline):
    fc = Forecaster(**dict(FAST, window_norm="log_mean_std")).fit(airline, target="Passengers")
    out = fc.forecast()["Passengers"]
    assert (out > 100).all() and (out < 1500).all()


@pytest.mark.parametrize("window_norm", ["mean_std", "last", "auto"])
def test_changes_are_left_as_they_are(airline, window_norm):
    fc = Forecaster(**dict(FAST, window_norm=window_norm, target_transform="diff")).fit(airline, target="Passengers")
    plain = Forecaster(**dict(FAST, window_norm="none", target_transform="diff")).fit(airline, target="Passengers")
    assert fc.window_norm_ == "none"
    pd.testing.assert_frame_equal(fc.forecast(), plain.forecast())


def test_an_ensemble_of_quantile_models_averages_each_level(airline, tmp_path):
    from lstmcast.forecast.prediction.outputs import member_outputs

    levels = ["q0.1", "q0.5", "q0.9"]
    fc = Forecaster(**dict(FAST, ensemble=2, loss="quantile", quantiles=(0.1, 0.5, 0.9), no_harm="none"))
    fc.fit(airline, target="Passengers")
    out = fc.forecast(coverage=0.8, spread=True)
    recent = fc.table_.values[-fc.look_back:]  # (look_back, F)
    members = member_outputs(fc, recent, np.array([len(recent)]))[:, 0]  # (2, horizon, 3)
    assert not np.allclose(members[0], members[1])
    np.testing.assert_allclose(out[levels].to_numpy(), members.mean(axis=0), rtol=1e-12)
    assert (np.diff(out[levels].to_numpy(), axis=1) >= 0).all()  # means of ordered levels stay ordered
    np.testing.assert_array_equal(out["Passengers"].to_numpy(), out["q0.5"].to_numpy())  # the point is the median
    np.testing.assert_array_equal(out["member_2"].to_numpy(), members[1, :, 1])
    assert (out["lower"] <= out["upper"]).all()
    assert fc.evaluate().attrs["pinball"] > 0
    pd.testing.assert_frame_equal(Forecaster.load(fc.save(tmp_path / "q")).forecast(coverage=0.8, spread=True), out)


def test_mc_dropout_passes_reseed_every_member(airline):
    fc = Forecaster(**dict(FAST, ensemble=2, dropout=0.2, mc_passes=4, no_harm="none")).fit(airline, target="Passengers")
    first = fc.forecast(coverage=0.9)
    pd.testing.assert_frame_equal(fc.forecast(coverage=0.9), first)  # same spread on every call
    assert (first["lower"] < first["Passengers"]).all() and (first["Passengers"] < first["upper"]).all()
