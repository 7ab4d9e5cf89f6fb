"""One pipeline for one series and many: a one-series table is a panel of one, and every capability
(no harm, adaptive intervals, spread, Monte-Carlo dropout, quantiles) works per series on panels."""

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster, load_dataset

SMALL = dict(look_back=12, horizon=6, hidden_size=8, epochs=15, patience=None, batch_size=16, lr=1e-2,
             verbose=False, seed=0)


@pytest.fixture(scope="module")
def airline():
    return load_dataset("airline")


def test_a_series_as_a_table_and_as_a_long_table_of_one_series_forecast_the_same(airline):
    one = Forecaster(look_back=24, horizon=12, verbose=False).fit(airline, target="Passengers")
    long = pd.DataFrame({"unique_id": "air", "ds": airline.index, "y": airline["Passengers"].to_numpy()})
    many = Forecaster(look_back=24, horizon=12, verbose=False).fit(long, id_column="unique_id")
    a, b = one.forecast(coverage=0.9), many.forecast(coverage=0.9)
    np.testing.assert_allclose(b["forecast"], a["Passengers"], rtol=1e-6)
    np.testing.assert_allclose(b[["lower", "upper"]], a[["lower", "upper"]], rtol=1e-6)
    assert one.naive_weight_ == many.naive_weights_["air"]
    lstm = many.evaluate(strong=False).attrs["per_series"].loc["air", "MAE"]
    assert lstm == pytest.approx(one.evaluate(strong=False).loc["LSTM", "MAE"], rel=1e-6)


def random_walks(n_series: int, n: int = 240, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.concat([pd.DataFrame({"unique_id": f"w{k}", "ds": np.arange(n),
                                    "y": 100 + np.cumsum(rng.normal(scale=1 + k % 3, size=n))})
                      for k in range(n_series)], ignore_index=True)


def test_on_random_walks_a_global_backtest_is_within_one_percent_of_naive():
    walks = random_walks(12)
    fc = Forecaster(look_back=12, horizon=3, hidden_size=8, epochs=8, patience=None, verbose=False, seed=0)
    result = fc.backtest(walks, id_column="unique_id", start=0.75, step=3, coverage=None, strong=False)
    table = result.metrics
    assert table.loc["LSTM", "MAE"] <= 1.01 * table.loc["naive", "MAE"]
    assert "naive kept for" in result.verdict


def test_no_harm_is_decided_per_series_and_said_in_the_verdict():
    t = np.arange(300)
    rng = np.random.default_rng(0)
    seasonal = [pd.DataFrame({"unique_id": f"s{k}", "ds": t,
                              "y": 50 + 10 * np.sin(2 * np.pi * t / 12 + k) + rng.normal(scale=0.3, size=300)})
                for k in range(3)]
    frame = pd.concat(seasonal + [random_walks(2, n=300, seed=5)], ignore_index=True)
    fc = Forecaster(**dict(SMALL, epochs=30)).fit(frame, id_column="unique_id")
    assert set(fc.naive_weights_) == set(frame.unique_id)
    assert all(fc.naive_weights_[f"s{k}"] == 1.0 for k in range(3))  # the LSTM beats naive on seasons
    out = fc.forecast().set_index("unique_id")
    for name, weight in fc.naive_weights_.items():
        last = frame[frame.unique_id == name]["y"].iloc[-1]
        if weight == 0.0:  # naive kept for this series: its forecast is its last value
            np.testing.assert_allclose(out.loc[name, "forecast"], last)
    kept = sum(w == 0.0 for w in fc.naive_weights_.values())
    verdict = fc.evaluate(strong=False).attrs["verdict"]
    assert f"naive kept for {kept} of 5 series" in verdict
    none = Forecaster(**dict(SMALL, epochs=30, no_harm="none")).fit(frame, id_column="unique_id")
    assert set(none.naive_weights_.values()) == {1.0}


def test_per_series_weights_survive_a_model_folder(tmp_path):
    fc = Forecaster(**SMALL).fit(random_walks(3), id_column="unique_id")
    fc.naive_weights_ = {"w0": 0.0, "w1": 1.0, "w2": 0.5}
    loaded = Forecaster.load(fc.save(tmp_path / "m"))
    assert loaded.naive_weights_ == fc.naive_weights_
    pd.testing.assert_frame_equal(loaded.forecast(coverage=0.8), fc.forecast(coverage=0.8), check_exact=True)


def volatility_clusters(n_series: int = 6, n: int = 700, seed: int = 11) -> pd.DataFrame:
    """Seasonal series whose noise switches between calm and wild regimes of a few dozen steps."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    frames = []
    for k in range(n_series):
        regime = np.repeat(rng.choice([0.3, 2.0], size=n // 35 + 1), 35)[:n]  # calm or wild, 35 steps each
        y = 20 + 5 * np.sin(2 * np.pi * t / 24 + k) + regime * rng.standard_normal(n)
        frames.append(pd.DataFrame({"unique_id": f"v{k}", "ds": t, "y": y}))
    return pd.concat(frames, ignore_index=True)


def test_panel_aci_intervals_hold_their_coverage_through_volatility_clusters():
    frame = volatility_clusters()
    fitted_rows = frame[frame.ds < 400]
    fc = Forecaster(**dict(SMALL, look_back=24, horizon=4, epochs=10)).fit(fitted_rows, id_column="unique_id")
    scores = fc.evaluate(frame, start=400, coverage=0.9, strong=False).attrs["intervals"]
    assert abs(scores["coverage"] - 0.9) <= 0.03
    split = Forecaster(**dict(SMALL, look_back=24, horizon=4, epochs=10, interval_method="split"))
    held = split.fit(fitted_rows, id_column="unique_id").evaluate(frame, start=400, coverage=0.9, strong=False)
    assert abs(held.attrs["intervals"]["coverage"] - 0.9) > 0.05  # the validation errors alone do not hold
    assert scores["MSIS"] <= held.attrs["intervals"]["MSIS"]  # following the errors pays where they cluster


def test_spread_mc_dropout_and_quantiles_work_per_series_on_panels():
    frame = random_walks(3)
    pair = Forecaster(**dict(SMALL, ensemble=2, no_harm="none")).fit(frame, id_column="unique_id")
    out = pair.forecast(spread=True)
    members = out[["member_1", "member_2"]].to_numpy()  # (rows, 2)
    np.testing.assert_allclose(out["spread"], members.std(axis=1))
    np.testing.assert_allclose(out["forecast"], members.mean(axis=1), rtol=1e-12)
    dropout = Forecaster(**dict(SMALL, dropout=0.2, mc_passes=5, no_harm="none")).fit(frame, id_column="unique_id")
    first, again = dropout.forecast(coverage=0.8), dropout.forecast(coverage=0.8)
    pd.testing.assert_frame_equal(first, again, check_exact=True)  # the passes' masks come from the seed
    assert (first["upper"] > first["lower"]).all()
    quantile = Forecaster(**dict(SMALL, loss="quantile")).fit(frame, id_column="unique_id").forecast()
    assert (quantile["q0.05"] <= quantile["q0.5"]).all() and (quantile["q0.5"] <= quantile["q0.95"]).all()
