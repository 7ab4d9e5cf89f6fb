"""Metrics against hand-computed examples and independent plain-Python loops."""

import math

import numpy as np
import pandas as pd
import pytest

from lstmcast.forecast.scores.metrics import (
    METRICS,
    compare_to_baseline,
    copies_last_value,
    directional_accuracy,
    mae,
    mape,
    mase,
    metrics_table,
    mse,
    r2,
    rmse,
    smape,
)

Y_TRUE = np.array([[1.0, 2.0], [4.0, 4.0]])
Y_PRED = np.array([[2.0, 2.0], [1.0, 5.0]])
# errors e = y - ŷ: [[-1, 0], [3, -1]]


def _elements(a):
    return [float(v) for v in np.asarray(a, dtype=float).ravel()]


def _random_pair(seed, shape=(7, 5)):
    rng = np.random.default_rng(seed)
    y_true = rng.normal(10.0, 3.0, size=shape)
    y_pred = y_true + rng.normal(0.0, 1.0, size=shape)
    return y_true, y_pred


# ----- hand-computed examples ------------------------------------------------------


def test_mae_mse_rmse_by_hand():
    assert mae(Y_TRUE, Y_PRED) == pytest.approx((1 + 0 + 3 + 1) / 4)
    assert mse(Y_TRUE, Y_PRED) == pytest.approx((1 + 0 + 9 + 1) / 4)
    assert rmse(Y_TRUE, Y_PRED) == pytest.approx(math.sqrt(11 / 4))


def test_mape_by_hand():
    # |e| / |y| = 1/1, 0/2, 3/4, 1/4
    assert mape(Y_TRUE, Y_PRED) == pytest.approx(100 * (1 + 0 + 0.75 + 0.25) / 4)


def test_smape_by_hand():
    # 200 |e| / (|y| + |ŷ|) = 200/3, 0, 600/5, 200/9
    assert smape(Y_TRUE, Y_PRED) == pytest.approx((200 / 3 + 0 + 120 + 200 / 9) / 4)


def test_r2_by_hand():
    # mean 2.75; SST = 3.0625 + 0.5625 + 1.5625 + 1.5625 = 6.75; SSE = 11
    assert r2(Y_TRUE, Y_PRED) == pytest.approx(1 - 11 / 6.75)


def test_mase_by_hand():
    y_train = np.array([1.0, 3.0, 2.0, 6.0])
    # season 1: |3-1|, |2-3|, |6-2| -> mean 7/3; season 2: |2-1|, |6-3| -> mean 2
    assert mase(Y_TRUE, Y_PRED, y_train) == pytest.approx(1.25 / (7 / 3))
    assert mase(Y_TRUE, Y_PRED, y_train, season=2) == pytest.approx(1.25 / 2)


def test_directional_accuracy_by_hand():
    last = np.array([1.5, 3.0])
    # window 0: true moves -, +; predicted +, +  -> 1 of 2
    # window 1: true moves +, +; predicted -, +  -> 1 of 2
    assert directional_accuracy(Y_TRUE, Y_PRED, last) == pytest.approx(0.5)
    # every later step is compared with the last value, not the previous step
    assert directional_accuracy([[5.0, 4.0]], [[6.0, 7.0]], [3.0]) == 1.0


# ----- independent formulas in plain loops -----------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_metrics_match_plain_loops(seed):
    y_true, y_pred = _random_pair(seed)
    pairs = list(zip(_elements(y_true), _elements(y_pred)))
    n = len(pairs)
    loop_mae = sum(abs(t - p) for t, p in pairs) / n
    loop_mse = sum((t - p) ** 2 for t, p in pairs) / n
    loop_mape = 100 * sum(abs(t - p) / abs(t) for t, p in pairs) / n
    loop_smape = sum(200 * abs(t - p) / (abs(t) + abs(p)) for t, p in pairs) / n
    mean = sum(t for t, _ in pairs) / n
    loop_r2 = 1 - sum((t - p) ** 2 for t, p in pairs) / sum((t - mean) ** 2 for t, _ in pairs)
    assert mae(y_true, y_pred) == pytest.approx(loop_mae, rel=1e-12)
    assert mse(y_true, y_pred) == pytest.approx(loop_mse, rel=1e-12)
    assert rmse(y_true, y_pred) == pytest.approx(math.sqrt(loop_mse), rel=1e-12)
    assert mape(y_true, y_pred) == pytest.approx(loop_mape, rel=1e-12)
    assert smape(y_true, y_pred) == pytest.approx(loop_smape, rel=1e-12)
    assert r2(y_true, y_pred) == pytest.approx(loop_r2, rel=1e-12)


@pytest.mark.parametrize("season", [1, 3, 12])
def test_mase_matches_a_plain_loop(season):
    y_true, y_pred = _random_pair(5)
    y_train = np.random.default_rng(6).normal(size=40).cumsum()
    steps = [abs(y_train[t] - y_train[t - season]) for t in range(season, len(y_train))]
    scale = sum(steps) / len(steps)
    loop_mae = sum(abs(t - p) for t, p in zip(_elements(y_true), _elements(y_pred))) / y_true.size
    assert mase(y_true, y_pred, y_train, season) == pytest.approx(loop_mae / scale, rel=1e-12)


def test_directional_accuracy_matches_a_plain_loop():
    rng = np.random.default_rng(7)
    y_true = rng.normal(size=(30, 4))
    y_pred = rng.normal(size=(30, 4))
    last = rng.normal(size=30)
    right = 0
    for i in range(30):
        for h in range(4):
            true_up = y_true[i, h] > last[i]
            pred_up = y_pred[i, h] > last[i]
            right += true_up == pred_up
    assert directional_accuracy(y_true, y_pred, last) == pytest.approx(right / 120, rel=1e-12)


# ----- properties ------------------------------------------------------------------


def test_a_perfect_forecast():
    y_true, _ = _random_pair(3)
    y_train = np.arange(10.0) ** 2
    assert mae(y_true, y_true) == 0.0
    assert rmse(y_true, y_true) == 0.0
    assert mape(y_true, y_true) == 0.0
    assert smape(y_true, y_true) == 0.0
    assert mase(y_true, y_true, y_train) == 0.0
    assert r2(y_true, y_true) == 1.0


def test_mase_of_in_sample_naive_on_a_random_walk_is_one():
    walk = np.random.default_rng(11).normal(size=300).cumsum()
    assert mase(walk[1:], walk[:-1], walk, season=1) == 1.0
    assert mase(walk[12:], walk[:-12], walk, season=12) == 1.0


def test_mase_is_scale_free():
    y_true, y_pred = _random_pair(4)
    y_train = np.random.default_rng(8).normal(size=50).cumsum()
    assert mase(1000 * y_true, 1000 * y_pred, 1000 * y_train) == pytest.approx(mase(y_true, y_pred, y_train))


def test_r2_of_the_mean_is_zero_and_worse_is_negative():
    y_true, _ = _random_pair(9)
    assert r2(y_true, np.full_like(y_true, y_true.mean())) == 0.0
    assert r2(y_true, np.full_like(y_true, y_true.mean() + 1.0)) < 0.0


def test_r2_of_a_constant_target():
    flat = np.full((3, 2), 5.0)
    assert r2(flat, flat) == 1.0
    assert r2(flat, flat + 1.0) == 0.0


def test_smape_is_symmetric_and_bounded():
    y_true, y_pred = _random_pair(10)
    assert smape(y_true, y_pred) == pytest.approx(smape(y_pred, y_true), rel=1e-14)
    assert smape([1.0, -2.0], [-1.0, 2.0]) == pytest.approx(200.0)
    assert smape([0.0, 1.0], [0.0, 1.0]) == 0.0  # 0/0 counts as 0, not NaN


def test_mape_is_not_symmetric():
    # the same miss of 1 costs 100% when over a target of 1 and 50% when under a target of 2
    assert mape([1.0], [2.0]) == pytest.approx(100.0)
    assert mape([2.0], [1.0]) == pytest.approx(50.0)


def test_mape_ignores_zero_targets():
    assert mape([0.0, 2.0, 4.0], [5.0, 1.0, 4.0]) == pytest.approx(100 * (0.5 + 0.0) / 2)
    assert math.isnan(mape([0.0, 0.0], [1.0, 2.0]))


def test_mase_with_a_constant_training_series():
    with np.errstate(all="raise"):
        assert mase([1.0, 2.0], [1.0, 3.0], np.ones(5)) == math.inf
        assert mase([1.0, 2.0], [1.0, 2.0], np.ones(5)) == 0.0


def test_mase_needs_enough_training_data():
    with pytest.raises(ValueError, match="y_train"):
        mase([1.0], [2.0], [1.0, 2.0, 3.0], season=3)
    with pytest.raises(ValueError, match="y_train"):
        mase([1.0], [2.0], np.ones((3, 2)))
    with pytest.raises(ValueError, match="season"):
        mase([1.0], [2.0], [1.0, 2.0, 3.0], season=0)


@pytest.mark.parametrize("metric", [mae, mse, rmse, mape, smape, r2])
def test_shape_mismatch_is_an_error(metric):
    with pytest.raises(ValueError, match="y_pred"):
        metric(np.ones((3, 2)), np.ones((2, 3)))
    with pytest.raises(ValueError, match="y_true"):
        metric(np.ones((0, 2)), np.ones((0, 2)))


def test_directional_accuracy_checks_last_values():
    with pytest.raises(ValueError, match="last_values"):
        directional_accuracy(Y_TRUE, Y_PRED, [1.0, 2.0, 3.0])


def test_directional_accuracy_of_flat_moves():
    # a flat actual move is right only when the prediction is flat too
    assert directional_accuracy([[3.0, 3.0]], [[3.0, 4.0]], [3.0]) == 0.5


# ----- copying the last value ------------------------------------------------------


def _walk_windows(seed, n=60, horizon=3):
    walk = np.random.default_rng(seed).normal(size=n + horizon).cumsum() + 50.0
    last = walk[: n]  # (n,)
    y_true = np.stack([walk[i + 1 : i + 1 + horizon] for i in range(n)])  # (n, horizon)
    return y_true, last


def test_copies_last_value_flags_the_naive_forecast_and_a_jittered_copy():
    y_true, last = _walk_windows(12)
    naive = np.repeat(last[:, None], y_true.shape[1], axis=1)
    jitter = np.random.default_rng(13).normal(scale=0.01, size=naive.shape)
    assert copies_last_value(naive, last)
    assert copies_last_value(naive + jitter, last)


def test_copies_last_value_clears_a_real_forecast():
    y_true, last = _walk_windows(14)
    assert not copies_last_value(y_true, last)


def test_copies_last_value_with_one_window():
    assert copies_last_value([[100.0, 100.5]], [100.0], rtol=0.01)
    assert not copies_last_value([[100.0, 120.0]], [100.0], rtol=0.01)


def test_copies_last_value_checks_arguments():
    with pytest.raises(ValueError, match="last_values"):
        copies_last_value(np.ones((3, 2)), np.ones(2))
    with pytest.raises(ValueError, match="rtol"):
        copies_last_value(np.ones((3, 2)), np.ones(3), rtol=-1.0)


# ----- the table and the verdict ---------------------------------------------------


def test_metrics_table_rows_columns_and_values():
    y_true, last = _walk_windows(15)
    y_train = np.random.default_rng(16).normal(size=80).cumsum()
    naive = np.repeat(last[:, None], 3, axis=1)
    good = y_true + 0.1
    table = metrics_table(y_true, {"LSTM": good, "naive": naive}, y_train, season=4, last_values=last)
    assert list(table.index) == ["LSTM", "naive"]
    assert list(table.columns) == list(METRICS)
    assert table.loc["LSTM", "MAE"] == pytest.approx(0.1)
    assert table.loc["naive", "RMSE"] == pytest.approx(rmse(y_true, naive))
    assert table.loc["naive", "MASE"] == pytest.approx(mase(y_true, naive, y_train, season=4))
    assert table.loc["LSTM", "DirAcc"] == pytest.approx(directional_accuracy(y_true, good, last))


def test_metrics_table_without_last_values_or_season():
    y_true, y_pred = _random_pair(17)
    y_train = np.random.default_rng(18).normal(size=30)
    table = metrics_table(y_true, {"b": y_pred, "a": y_true}, y_train)
    assert list(table.index) == ["b", "a"]
    assert list(table.columns) == ["MAE", "RMSE", "MAPE", "sMAPE", "MASE", "R2"]
    assert table.loc["b", "MASE"] == pytest.approx(mase(y_true, y_pred, y_train, season=1))


def test_metrics_table_rejects_bad_predictions():
    y_true, _ = _random_pair(19)
    with pytest.raises(ValueError, match="predictions"):
        metrics_table(y_true, {}, np.arange(5.0))
    with pytest.raises(ValueError, match="y_pred"):
        metrics_table(y_true, {"x": y_true[:, :2]}, np.arange(5.0))


def _table(lstm_mae, naive_mae):
    return pd.DataFrame({"MAE": [lstm_mae, naive_mae]}, index=["LSTM", "naive"])


def test_compare_to_baseline_verdicts():
    better = compare_to_baseline(_table(0.877, 1.0))
    assert better.startswith("LSTM MAE is 12.3% lower than naive")
    worse = compare_to_baseline(_table(1.051, 1.0))
    assert worse.startswith("LSTM does NOT beat naive: MAE 5.1% higher")
    tied = compare_to_baseline(_table(1.0, 1.0))
    assert "does NOT beat" in tied
    assert "does NOT beat" in compare_to_baseline(_table(0.9999, 1.0))
    assert "does NOT beat" in compare_to_baseline(_table(0.5, 0.0))
    assert "cannot be compared" in compare_to_baseline(_table(float("nan"), 1.0))


def test_compare_to_baseline_other_names():
    table = pd.DataFrame({"MAE": [2.0, 4.0]}, index=["net", "drift"])
    assert compare_to_baseline(table, model="net", baseline="drift").startswith("net MAE is 50.0% lower than drift")


def test_compare_to_baseline_unknown_rows():
    with pytest.raises(ValueError, match="model"):
        compare_to_baseline(_table(1.0, 1.0), model="GRU")
    with pytest.raises(ValueError, match="baseline"):
        compare_to_baseline(_table(1.0, 1.0), baseline="drift")
    with pytest.raises(ValueError, match="table"):
        compare_to_baseline(pd.DataFrame({"RMSE": [1.0]}, index=["LSTM"]))


def test_a_season_longer_than_the_history_leaves_mase_empty_and_the_rest_scored():
    y_train = np.arange(48.0)  # a weekly series of 48 training values, season 52
    y_true = np.array([[48.0, 49.0, 50.0]])
    table = metrics_table(y_true, {"LSTM": y_true + 1.0, "naive": np.full((1, 3), 47.0)}, y_train, season=52)
    assert table["MASE"].isna().all()
    assert table.loc["LSTM", "MAE"] == pytest.approx(1.0) and table.loc["naive", "MAE"] == pytest.approx(2.0)
    assert metrics_table(y_true, {"LSTM": y_true + 1.0}, y_train, season=12).loc["LSTM", "MASE"] == pytest.approx(1 / 12)
