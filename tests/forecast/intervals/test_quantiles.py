"""Quantile levels: 0.5 is required (it is the point forecast), and intervals start from a pair of
levels either side of it."""

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster
from lstmcast.forecast.intervals.quantiles import check_quantiles, interval_pair, median_index
from lstmcast.forecast.intervals.uncertainty import band_at

TINY = dict(look_back=6, horizon=3, hidden_size=4, epochs=2, verbose=False, loss="quantile")


def test_a_floating_point_tie_never_picks_a_pair_on_one_side_of_the_median():
    """0.5 - 0.1 and 0.9 - 0.5 are both 0.4 on paper; in floating point 0.9 + 0.5 - 1 came out a hair
    nearer 0 than 0.1 + 0.5 - 1 and the 20% interval started from (0.5, 0.9), wholly above the median."""
    assert interval_pair((0.1, 0.5, 0.9), 0.2) == (0, 2)
    assert interval_pair((0.05, 0.25, 0.5, 0.75, 0.95), 0.5) == (1, 3)
    assert interval_pair((0.05, 0.25, 0.5, 0.75, 0.95), 0.9) == (0, 4)
    assert interval_pair((0.1, 0.3, 0.5, 0.7, 0.9), 0.4) == (1, 3)  # the central one of (1,3), (0,2)...
    rng = np.random.default_rng(0)
    for _ in range(300):
        below = np.sort(rng.choice(np.arange(1, 50), size=rng.integers(1, 4), replace=False)) / 100
        above = np.sort(rng.choice(np.arange(51, 100), size=rng.integers(1, 4), replace=False)) / 100
        levels = check_quantiles((*below, 0.5, *above))
        lo, hi = interval_pair(levels, float(rng.uniform(0.01, 0.99)))
        assert lo < median_index(levels) < hi


@pytest.mark.parametrize("levels", [(0.1, 0.9), (0.05, 0.25, 0.75, 0.95), (0.5, 0.9), (0.1, 0.5)])
def test_levels_without_0_5_or_without_a_level_on_each_side_are_refused(levels):
    with pytest.raises(ValueError, match=r"^quantiles must include 0.5 \(the point forecast is the median\) and a "
                                         r"level on each side of it, such as 0.05,0.5,0.95, got \("):
        check_quantiles(levels)
    with pytest.raises(ValueError, match="quantiles must include 0.5"):  # was: the point forecast the 10% level
        Forecaster(**TINY, quantiles=levels).fit(pd.DataFrame({"y": np.sin(np.arange(60.0))},
                                                              index=pd.date_range("2020-01-01", periods=60)),
                                                 target="y")


def test_the_point_forecast_is_the_median_and_the_raw_band_holds_it():
    data = pd.DataFrame({"y": 10 + np.sin(np.arange(120.0)) + np.random.default_rng(1).normal(size=120)},
                        index=pd.date_range("2020-01-01", periods=120, freq="D"))
    model = Forecaster(**TINY, quantiles=(0.1, 0.5, 0.9)).fit(data, target="y")
    out = model.forecast(coverage=0.2)
    np.testing.assert_array_equal(out["y"], out["q0.5"])
    band = band_at(model, data.to_numpy(), np.arange(60, 110), 0.2)  # a 20% interval's raw band
    np.testing.assert_array_equal(band.point, band.quantiles[:, :, 1])
    assert (band.lower < band.point).all() and (band.point < band.upper).all()  # was (0.5, 0.9): lower = point


def small_panel() -> pd.DataFrame:
    rng = np.random.default_rng(2)
    return pd.concat([pd.DataFrame({"unique_id": name, "ds": np.arange(40),
                                    "y": 10 + np.sin(np.arange(40.0)) + rng.normal(size=40)}) for name in "ab"],
                     ignore_index=True)


@pytest.mark.parametrize("mode", ["global", "local"])
def test_panels_refuse_levels_without_0_5_and_forecast_the_median(mode):
    with pytest.raises(ValueError, match="quantiles must include 0.5"):
        Forecaster(**TINY, mode=mode, quantiles=(0.1, 0.9)).fit(small_panel(), id_column="unique_id")
    model = Forecaster(**TINY, mode=mode, quantiles=(0.1, 0.5, 0.9)).fit(small_panel(), id_column="unique_id")
    out = model.forecast(coverage=0.5)
    np.testing.assert_array_equal(out["forecast"], out["q0.5"])
    assert (out["q0.1"] < out["forecast"]).all() and (out["forecast"] < out["q0.9"]).all()
    assert (out["lower"] <= out["forecast"]).all() and (out["forecast"] <= out["upper"]).all()
