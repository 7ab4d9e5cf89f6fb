"""Which window normalisations a fit tries."""

from lstmcast.forecast.training.norm_choice import AUTO_CANDIDATES, EPOCH_CANDIDATES, candidate_norms


def test_auto_tries_the_log_only_on_positive_levels_and_a_profile_only_where_two_seasons_fit():
    assert candidate_norms("auto", "none", positive=True, seasonal=True) == list(AUTO_CANDIDATES)
    assert candidate_norms("auto", "none", positive=False, seasonal=True) == ["mean_std", "last", "season_mean_std"]
    assert candidate_norms("auto", "none", positive=True) == ["mean_std", "log_mean_std", "last"]
    assert candidate_norms("auto", "none", positive=False) == ["mean_std", "last"]


def test_one_kind_is_kept_and_changes_are_not_normalised():
    assert candidate_norms("last", "none", positive=True) == ["last"]
    assert candidate_norms("auto", "diff", positive=True) == ["none"]


def test_none_compares_the_seasonal_log_by_epochs_and_chooses_among_all_by_a_step_budget():
    assert candidate_norms(None, "none", positive=True) == ["mean_std"]
    assert candidate_norms(None, "none", positive=True, seasonal=True) == list(EPOCH_CANDIDATES)
    assert candidate_norms(None, "none", positive=False, seasonal=True) == ["mean_std"]
    assert candidate_norms(None, "none", positive=True, by_steps=True, seasonal=True) == list(AUTO_CANDIDATES)
    assert candidate_norms(None, "diff", positive=True, by_steps=True) == ["none"]


def test_a_step_budget_ranks_the_normalisations_by_short_fits_then_fits_the_best_in_full(monkeypatch):
    import numpy as np
    import pandas as pd

    from lstmcast import Forecaster
    from lstmcast.forecast.training import global_fit

    budgets = []
    real = global_fit._fit_one_norm

    def counted(*args, **kwargs):
        budgets.append((args[4], kwargs.get("max_steps")))
        return real(*args, **kwargs)

    monkeypatch.setattr(global_fit, "_fit_one_norm", counted)
    rng = np.random.default_rng(0)
    t = np.arange(200)
    frame = pd.concat([pd.DataFrame({"unique_id": f"s{k}", "ds": t, "y": 50 + 10 * np.sin(t / 4 + k)
                                     + rng.normal(size=200)}) for k in range(4)], ignore_index=True)
    fc = Forecaster(look_back=12, horizon=3, hidden_size=4, max_steps=40, verbose=False).fit(frame)
    tried = candidate_norms(None, "none", True, True, fc.look_back >= 2 * fc.season_)
    assert list(fc.window_norm_scores_) == tried
    assert budgets[:len(tried)] == [(kind, 5) for kind in tried]  # an eighth of 40 steps each
    assert budgets[len(tried)] == (fc.window_norm_, None) and len(budgets) == len(tried) + 1
    assert fc.window_norm_ == min(fc.window_norm_scores_, key=fc.window_norm_scores_.get)
    assert fc.choices_["window_norm"].startswith(f"window_norm {fc.window_norm_}: the lowest scale-free validation")
    by_epochs = Forecaster(look_back=12, horizon=3, hidden_size=4, epochs=2, verbose=False).fit(frame)
    assert by_epochs.season_ <= 6  # two seasons in the look-back: the seasonal profile of the log competes
    assert list(by_epochs.window_norm_scores_) == ["mean_std", "log_season_mean_std"]
    assert by_epochs.window_norm_ == min(by_epochs.window_norm_scores_, key=by_epochs.window_norm_scores_.get)
    below_zero = frame.assign(y=frame.y - 60.0)
    by_epochs = Forecaster(look_back=12, horizon=3, hidden_size=4, epochs=2, verbose=False).fit(below_zero)
    assert by_epochs.window_norm_ == "mean_std" and by_epochs.window_norm_scores_ == {}
    assert by_epochs.choices_["window_norm"] == "window_norm mean_std: the default"
