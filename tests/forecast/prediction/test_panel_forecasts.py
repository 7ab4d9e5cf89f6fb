"""A Forecaster fitted on many series: global and local models, long forecasts, per-series evaluation,
saving, and the same numbers on a Dask cluster as here."""

import numpy as np
import pandas as pd
import pytest

from lstmcast.forecast.training.norm_choice import AUTO_CANDIDATES

from lstmcast import Forecaster
from lstmcast.data import DataError, DataWarning, read_panel
from lstmcast.data.panel_windows import panel_windows
from lstmcast.forecast.training.global_fit import panel_splits
from lstmcast.forecast.training.norm_choice import AUTO_CANDIDATES
from lstmcast.parallel import TaskRunner

from ...conftest import SEASON, seasonal_panel, small


def test_global_model_beats_naive_in_every_series(global_model):
    table = global_model.evaluate(strong=False)
    per = table.attrs["per_series"]
    assert len(per) == 6
    assert table.loc["LSTM", "MASE"] < 0.5 * table.loc["naive", "MASE"]
    assert (per["MASE"] < per["naive MASE"]).all()
    assert "beats" in table.attrs["verdict"]


def test_aggregate_is_the_mean_of_the_series(global_model):
    table = global_model.evaluate(strong=False)
    per = table.attrs["per_series"]
    for score in ("MAE", "sMAPE", "MASE"):
        assert table.loc["LSTM", score] == pytest.approx(per[score].mean())
    assert table.attrs["windows"] == per["windows"].sum()
    assert {"naive", "seasonal naive", "drift", "Naive2"} <= set(table.index)
    assert table.loc["Naive2", "OWA"] == pytest.approx(1.0)


def test_forecast_is_long_with_each_series_own_future_times(global_model, panel_frame):
    out = global_model.forecast(coverage=0.9)
    assert list(out.columns) == ["unique_id", "ds", "forecast", "lower", "upper"]
    assert len(out) == 6 * 6
    for name, rows in out.groupby("unique_id", sort=False):
        last = panel_frame.loc[panel_frame.unique_id == name, "ds"].max()
        expected = pd.date_range(last, periods=7, freq="MS")[1:]
        assert list(rows["ds"]) == list(expected)
        assert (rows["lower"] < rows["forecast"]).all() and (rows["forecast"] < rows["upper"]).all()
    # the level of every series is its own: within 30% of its last season's mean
    for name, rows in out.groupby("unique_id"):
        recent = panel_frame.loc[panel_frame.unique_id == name, "y"].iloc[-SEASON:].mean()
        assert abs(rows["forecast"].mean() / recent - 1) < 0.3


def test_integer_steps_forecast_the_next_steps():
    frame = seasonal_panel(n_series=3, dates=False, lengths=[150, 170, 190], starts=[0, 30, 7])
    out = small(epochs=2).fit(frame, id_column="unique_id").forecast()
    for name, rows in out.groupby("unique_id"):
        last = frame.loc[frame.unique_id == name, "ds"].max()
        assert list(rows["ds"]) == list(range(last + 1, last + 7))


def test_intervals_hold_near_nominal_on_later_data(panel_frame):
    model = small(val_fraction=0.3).fit(panel_frame.groupby("unique_id").head(150), id_column="unique_id")
    table = model.evaluate(panel_frame, start=150, coverage=0.9, strong=False)
    assert 0.8 <= table.attrs["intervals"]["coverage"] <= 0.99


@pytest.mark.parametrize("window_norm", ["mean_std", "log_season_mean_std"])  # (the default chooses on validation)
def test_series_scalers_see_no_validation_rows(panel_frame, window_norm):
    """Poison every series' validation rows: the scalers and the training windows must not move."""
    panel = read_panel(panel_frame)
    splits = panel_splits(panel, 0.2, 6)
    poisoned = panel_frame.copy()
    for name, split in splits.items():
        rows = poisoned.index[poisoned.unique_id == name][split.val]
        poisoned.loc[rows, "y"] = 1e9
    fits = [small(epochs=1, window_norm=window_norm).fit(frame, id_column="unique_id") for frame in (panel_frame, poisoned)]
    for name in panel.ids:
        a, b = (f.states_[name].scaling.scalers[name].to_dict() for f in fits)
        assert a == b
    clean = panel_windows(panel, 24, 6, splits, "train", fits[0].states_["s0"].scaling)
    dirty = panel_windows(read_panel(poisoned), 24, 6, splits, "train", fits[1].states_["s0"].scaling)
    np.testing.assert_array_equal(clean.X, dirty.X)
    np.testing.assert_array_equal(clean.Y, dirty.Y)


def test_short_series_is_an_error_naming_it_or_skipped(panel_frame):
    short = pd.DataFrame({"unique_id": "tiny", "ds": pd.date_range("2010-01-01", periods=10, freq="MS"),
                          "y": np.arange(10.0)})
    frame = pd.concat([panel_frame, short], ignore_index=True)
    with pytest.raises(DataError, match="'tiny' has 10 rows"):
        small(epochs=1).fit(frame, id_column="unique_id")
    with pytest.warns(DataWarning, match="'tiny'"):
        model = small(epochs=1).fit(frame, id_column="unique_id", skip_short=True)
    assert "tiny" not in set(model.forecast()["unique_id"])


def test_save_and_load_give_the_same_forecasts(global_model, tmp_path):
    global_model.save(tmp_path / "m")
    loaded = Forecaster.load(tmp_path / "m")
    pd.testing.assert_frame_equal(loaded.forecast(coverage=0.8), global_model.forecast(coverage=0.8))
    assert loaded.get_params() == global_model.get_params()


def test_same_seed_same_numbers(panel_frame):
    a = small(epochs=3).fit(panel_frame, id_column="unique_id").forecast()
    b = small(epochs=3).fit(panel_frame, id_column="unique_id").forecast()
    pd.testing.assert_frame_equal(a, b)


def test_local_mode_fits_one_model_per_series(panel_frame):
    model = small(mode="local", epochs=20).fit(panel_frame, id_column="unique_id")
    states = [model.states_[name] for name in model.panel_.ids]
    assert len({id(s) for s in states}) == 6
    table = model.evaluate(strong=False)
    assert table.loc["LSTM", "MASE"] < table.loc["naive", "MASE"]


def test_a_failing_local_series_is_named_and_the_others_kept(panel_frame):
    bad = panel_frame.copy()
    bad.loc[bad.unique_id == "s2", "y"] *= -1  # log_mean_std needs positive levels: this series' fit fails
    with pytest.warns(DataWarning, match="series 's2' failed: DataError: .*positive"):
        model = small(mode="local", epochs=1, window_norm="log_mean_std").fit(bad, id_column="unique_id")
    assert set(model.forecast()["unique_id"]) == {"s0", "s1", "s3", "s4", "s5"}


def test_a_one_series_table_is_unchanged(panel_frame):
    one = panel_frame[panel_frame.unique_id == "s0"].drop(columns="unique_id").set_index("ds")
    model = small(epochs=2).fit(one, target="y")
    assert not model._on_panel
    assert list(model.forecast().columns) == ["y"]


def test_a_global_model_forecasts_series_it_was_not_fitted_on(global_model, panel_frame):
    s2 = panel_frame[panel_frame.unique_id == "s2"]
    new = seasonal_panel(n_series=1, seed=3).assign(unique_id="new")
    out = global_model.forecast(pd.concat([s2, s2.assign(unique_id="copy"), new]))
    by_id = {name: rows["forecast"].to_numpy() for name, rows in out.groupby("unique_id")}
    # mean_std windows remove any per-series scaling: a renamed copy gets the fitted series' forecast
    np.testing.assert_allclose(by_id["copy"], by_id["s2"], rtol=1e-4)
    a_season_before = new["y"].to_numpy()[-SEASON:][:6]  # the same months a year earlier
    assert np.all(np.abs(by_id["new"] / a_season_before - 1) < 0.2)


def test_a_new_series_is_scaled_on_nothing_after_its_first_origin(global_model):
    new = seasonal_panel(n_series=1, seed=3).assign(unique_id="new")
    before = global_model.predict(new)
    changed = new.copy()
    changed.loc[changed.index[150:], "y"] = 1e9  # rows from 150 on
    after = global_model.predict(changed)
    early = before["ds"] <= new["ds"].iloc[150]  # windows whose inputs end before row 150
    pd.testing.assert_frame_equal(after[early], before[early])
    assert not after[~early].equals(before[~early])


def test_per_series_models_refuse_a_new_series_naming_it(panel_frame):
    two = panel_frame[panel_frame.unique_id.isin(["s0", "s1"])]
    model = small(epochs=1, mode="local").fit(two, id_column="unique_id")
    other = seasonal_panel(n_series=1, seed=3).assign(unique_id="new")
    with pytest.raises(DataError, match="'new' was not in the panel these per-series models were fitted on.*"
                                        "mode='global'"):
        model.forecast(other)


def test_window_norm_auto_reports_each_candidate(panel_frame):
    model = small(epochs=2, window_norm="auto").fit(panel_frame, id_column="unique_id")
    scores = model.states_["s0"].norm_scores
    assert list(scores) == list(AUTO_CANDIDATES)  # positive series, two seasons in the look-back
    assert model.window_norm_ == min(scores, key=scores.get)


def test_local_fits_on_a_dask_cluster_equal_serial_fits_bit_for_bit(panel_frame):
    pytest.importorskip("distributed")
    from lstmcast.parallel import TaskRunner

    frame = panel_frame[panel_frame.unique_id.isin(["s0", "s1", "s2"])]
    serial = small(mode="local", epochs=3).fit(frame, id_column="unique_id").forecast(coverage=0.9)
    with TaskRunner(workers=2, progress=False) as runner:
        on_cluster = small(mode="local", epochs=3).fit(frame, id_column="unique_id", client=runner)
        pd.testing.assert_frame_equal(on_cluster.forecast(coverage=0.9), serial, check_exact=True)


def test_each_series_is_forecast_as_if_it_were_alone(global_model, panel_frame, monkeypatch):
    """One path per series: a series' predictions in the panel equal those of a table holding it alone
    (its own scaler, the shared networks), also when the networks read the series in small chunks.
    Equal to float32 rounding, not bit for bit: with OPENBLAS_CORETYPE=Haswell on an AMD EPYC,
    OpenBLAS's sgemm gives a row results that depend on the matrix's size and the row's place in it."""
    import lstmcast.forecast.prediction.batched as batched

    whole = global_model.predict(panel_frame)
    alone = global_model.predict(panel_frame[panel_frame.unique_id == "s3"])
    pd.testing.assert_frame_equal(alone, whole[whole.unique_id == "s3"].reset_index(drop=True), check_exact=False,
                                  rtol=1e-6)
    monkeypatch.setattr(batched, "WINDOWS_PER_PASS", 50)  # a chunk per series, or less
    pd.testing.assert_frame_equal(global_model.predict(panel_frame), whole, check_exact=False, rtol=1e-6)
    assert list(whole.columns[:2]) == ["unique_id", "ds"] and len(whole) == sum(
        len(rows) - 24 - 6 + 1 for _, rows in panel_frame.groupby("unique_id"))


def test_intervals_are_wider_for_a_noisier_series():
    rng = np.random.default_rng(1)
    t = np.arange(200)
    shape = 100 * (1 + 0.3 * np.sin(2 * np.pi * t / SEASON))
    frame = pd.concat([pd.DataFrame({"unique_id": name, "ds": t, "y": shape * (1 + noise * rng.standard_normal(200))})
                       for name, noise in (("calm", 0.01), ("noisy", 0.08))], ignore_index=True)
    out = small(epochs=20).fit(frame, id_column="unique_id").forecast(coverage=0.9)
    width = (out["upper"] - out["lower"]).groupby(out["unique_id"]).mean()
    assert width["noisy"] > 2 * width["calm"]  # each from its own validation errors


def test_evaluate_from_a_date_a_row_or_a_share(global_model, panel_frame):
    by_date = global_model.evaluate(panel_frame, start="2010-01-01", strong=False).attrs["per_series"]["windows"]
    for name, rows in panel_frame.groupby("unique_id"):
        origins = np.arange(24, len(rows) - 6 + 1)
        assert by_date[name] == int(np.sum(rows["ds"].to_numpy()[origins] >= np.datetime64("2010-01-01")))
    by_row = global_model.evaluate(panel_frame, start=100, strong=False).attrs["per_series"]["windows"]
    assert all(by_row[name] == len(rows) - 6 + 1 - 100 for name, rows in panel_frame.groupby("unique_id"))
    by_share = global_model.evaluate(panel_frame, start=0.5, strong=False).attrs["per_series"]["windows"]
    assert all(by_share[name] == len(rows) - 6 + 1 - round(0.5 * len(rows))
               for name, rows in panel_frame.groupby("unique_id"))


def test_a_resumed_global_fit_equals_one_uninterrupted_fit_also_through_a_folder(panel_frame, tmp_path):
    whole = small(epochs=4, patience=2).fit(panel_frame, id_column="unique_id")
    part = small(epochs=2, patience=2).fit(panel_frame, id_column="unique_id")
    part.save(tmp_path / "m")
    part.epochs = 2
    part.fit(panel_frame, resume=True)
    again = Forecaster.load(tmp_path / "m")
    again.epochs = 2
    again.fit(panel_frame, resume=True)
    expected = whole.forecast(coverage=0.9)
    for resumed in (part, again):
        assert resumed.history_.epochs == 4
        assert resumed.history_.val_loss == whole.history_.val_loss
        pd.testing.assert_frame_equal(resumed.forecast(coverage=0.9), expected)


def test_resume_needs_a_global_model_on_the_same_series(panel_frame):
    model = small(epochs=1).fit(panel_frame, id_column="unique_id")
    fewer = panel_frame[panel_frame.unique_id != "s5"]
    with pytest.raises(ValueError, match="resume: continuing a fit works for a global model on the series"):
        model.fit(fewer, resume=True)
    local = small(epochs=1, mode="local").fit(panel_frame[panel_frame.unique_id.isin(["s0", "s1"])],
                                              id_column="unique_id")
    with pytest.raises(ValueError, match="resume: continuing a fit works for a global model"):
        local.fit(None, resume=True)
    one = small(epochs=1).fit(panel_frame[panel_frame.unique_id == "s0"].drop(columns="unique_id").set_index("ds"),
                              target="y")
    with pytest.raises(ValueError, match="resume: this model was fitted on one series"):
        one.fit(panel_frame, id_column="unique_id", resume=True)


@pytest.mark.parametrize("settings, words", [({"target_transform": "log_return"}, "target_transform='log_return'"),
                                             ({"window_norm": "log_mean_std"}, "window_norm='log_mean_std'")])
def test_a_series_that_is_not_positive_is_named_before_global_training(settings, words, monkeypatch):
    import lstmcast.forecast.training.global_fit as panel_fitting

    monkeypatch.setattr(panel_fitting, "train_member", lambda *a, **k: pytest.fail("trained before the check"))
    frame = seasonal_panel(n_series=3, lengths=[60, 60, 60], starts=[0, 0, 0])
    frame.loc[frame.index[frame["unique_id"] == "s1"][5], "y"] = 0.0
    with pytest.raises(DataError, match=rf"^DataFrame: series 's1': {words} needs a positive 'y', found 0.0 at "
                                        r"2000-06-01; use"):
        small(**settings).fit(frame, id_column="unique_id")


def test_a_csv_file_with_a_unique_id_column_is_read_as_a_panel(tmp_path):
    from lstmcast.forecast.training.panel_fit import is_panel_input

    path = tmp_path / "long.csv"
    seasonal_panel(n_series=2, lengths=[40, 40], starts=[0, 0]).to_csv(path, index=False)
    assert is_panel_input(path, None) and is_panel_input(str(path), None)
    wide = tmp_path / "one.csv"
    wide.write_text("ds,y\n2020-01-01,1\n")
    assert not is_panel_input(wide, None)
    fc = small(look_back=6, horizon=3, hidden_size=4, epochs=1).fit(path)
    assert fc._on_panel and fc.panel_.ids == ("s0", "s1")


def test_a_panel_at_another_frequency_is_refused_naming_both(global_model, panel_frame):
    daily = panel_frame.copy()
    daily["ds"] = pd.date_range("2000-01-01", periods=len(daily), freq="D")  # every series daily (the model: monthly)
    with pytest.raises(DataError, match=r"^DataFrame: the dates are spaced 'D', but the model was fitted on 'MS' data"):
        global_model.forecast(daily)


def test_forecasts_made_as_cluster_tasks_equal_those_made_here(panel_frame, monkeypatch):
    """The series are forecast in the runs one pass reads here (6 series a task below), the model sent
    once, each task's kernels on as many threads as here: the numbers are the same bit for bit, in float32
    too (OpenBLAS's sgemm may round by the size of the block each thread gets: the blocks are the same)."""
    import lstmcast.forecast.prediction.batched as batched

    model = small(epochs=2).fit(panel_frame, id_column="unique_id")
    monkeypatch.setattr(batched, "WINDOWS_PER_PASS", 6)  # one window per series: 6 series a pass and a task
    here = model.forecast(coverage=0.8)
    with TaskRunner(workers=2, progress=False) as runner:
        there = model.forecast(coverage=0.8, client=runner)
    pd.testing.assert_frame_equal(there, here, check_exact=True)
