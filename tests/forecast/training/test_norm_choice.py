"""Which window normalisations a fit tries."""

from lstmcast.forecast.training.norm_choice import AUTO_CANDIDATES, candidate_norms


def test_auto_tries_the_log_only_on_positive_levels():
    assert candidate_norms("auto", "none", positive=True) == list(AUTO_CANDIDATES)
    assert candidate_norms("auto", "none", positive=False) == ["mean_std", "last"]


def test_one_kind_is_kept_and_changes_are_not_normalised():
    assert candidate_norms("last", "none", positive=True) == ["last"]
    assert candidate_norms("auto", "diff", positive=True) == ["none"]
