"""Which window normalisations a fit tries."""

from types import SimpleNamespace

import numpy as np

from lstmcast import Forecaster
from lstmcast.forecast.norm_choice import AUTO_CANDIDATES, candidate_norms

POSITIVE = SimpleNamespace(target_values=np.array([1.0, 2.0, 3.0]))
CROSSING = SimpleNamespace(target_values=np.array([1.0, -2.0, 3.0]))


def test_auto_tries_the_log_only_on_positive_levels():
    auto = Forecaster(window_norm="auto")
    assert candidate_norms(auto, POSITIVE, resume=False) == list(AUTO_CANDIDATES)
    assert candidate_norms(auto, CROSSING, resume=False) == ["mean_std", "last"]


def test_one_kind_is_kept_and_changes_are_not_normalised():
    assert candidate_norms(Forecaster(window_norm="last"), POSITIVE, resume=False) == ["last"]
    assert candidate_norms(Forecaster(window_norm="auto", target_transform="diff"), POSITIVE, resume=False) == ["none"]


def test_resuming_keeps_the_fitted_kind():
    fc = Forecaster(window_norm="auto")
    fc.window_norm_ = "log_mean_std"
    assert candidate_norms(fc, CROSSING, resume=True) == ["log_mean_std"]
