"""Panel intervals: a series whose own validation windows are too few for the coverage borrows the
scale-free scores of every series; a coverage even those cannot support is refused with one line, on a
global model and on per-series models alike, never answered with ±inf bounds."""

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster
from lstmcast.forecast.intervals.conformal_quantile import TooFewCalibrationErrors

TINY = dict(look_back=6, horizon=3, hidden_size=4, epochs=2, patience=None, verbose=False, seed=0)


def short_panel(lengths: dict) -> pd.DataFrame:
    """Noisy seasonal series of the given lengths: one of 14 rows keeps max(3, 0.2 * 14) = 3 rows,
    a single window of 3 steps, for validation."""
    rng = np.random.default_rng(0)
    return pd.concat([pd.DataFrame({"unique_id": name, "ds": np.arange(n),
                                    "y": 10 + np.sin(np.arange(n)) + rng.normal(size=n)})
                      for name, n in lengths.items()], ignore_index=True)


@pytest.fixture(scope="module")
def one_window_each():
    return short_panel({"a": 14, "b": 14, "c": 14})


@pytest.mark.parametrize("mode, where, largest", [
    ("local", "the validation windows of the 3 series give 3", "0.75"),
    ("global", "the validation windows of the 3 series give 3", "0.75"),
])
def test_too_few_validation_windows_refuse_the_coverage_in_forecast_and_evaluate(one_window_each, mode, where,
                                                                                 largest):
    model = Forecaster(**TINY, mode=mode).fit(one_window_each, id_column="unique_id")
    refusal = rf"^coverage=0.9 needs at least 9 calibration errors and {where}: the largest coverage they support " \
              rf"is {largest} \(a larger val_fraction keeps more\)$"
    with pytest.raises(TooFewCalibrationErrors, match=refusal):  # was lower = -inf, upper = inf on every row
        model.forecast(coverage=0.9)
    with pytest.raises(TooFewCalibrationErrors, match=refusal):  # was "coverage 100%, MSIS inf"
        model.evaluate(coverage=0.9, strong=False)
    out = model.forecast(coverage=float(largest))
    assert np.isfinite(out[["lower", "upper"]].to_numpy()).all()
    assert (out["lower"] <= out["forecast"]).all() and (out["forecast"] <= out["upper"]).all()
    scores = model.evaluate(coverage=float(largest), strong=False).attrs["intervals"]
    assert np.isfinite(scores["MSIS"])


def test_a_series_with_too_few_windows_of_its_own_borrows_the_pooled_scores():
    """'long' (4 windows) supports 0.8 on its own; 'short' (1 window) does not, and takes the 5 scores of
    both series, each over its series' scale, in its own units; 0.9 needs 9 and is refused, naming the pool."""
    model = Forecaster(**TINY, mode="local").fit(short_panel({"long": 30, "short": 14}), id_column="unique_id")
    out = model.forecast(coverage=0.8).set_index("unique_id")
    assert np.isfinite(out[["lower", "upper"]].to_numpy()).all()
    assert (out["lower"] <= out["forecast"]).all() and (out["forecast"] <= out["upper"]).all()
    assert (out.loc["short", "upper"] - out.loc["short", "lower"] > 0).all()
    with pytest.raises(TooFewCalibrationErrors, match=r"coverage=0.9 needs at least 9 calibration errors and the "
                                                      r"validation windows of the 2 series give 5: the largest "
                                                      r"coverage they support is 0.833 "):
        model.forecast(coverage=0.9)
