"""Choices a fit makes from the data: the season and the patch."""

import numpy as np
import pandas as pd

from lstmcast import Forecaster
from lstmcast.forecast.training.choices import detect_season


def daily_cycles(n_series=5, hours=400, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(hours)
    return [100 + k + 10 * np.sin(2 * np.pi * t / 24 + k) + rng.normal(size=hours) for k in range(n_series)]


def test_a_daily_cycle_of_integer_steps_is_found_at_24_not_at_its_half_or_quarter():
    season, sentence = detect_season(daily_cycles(), look_back=168)
    assert season == 24 and "5 of the 5 series" in sentence


def test_random_walks_and_trends_have_no_season():
    rng = np.random.default_rng(1)
    walks = [np.cumsum(rng.normal(size=500)) for _ in range(5)] + [np.arange(500.0) + rng.normal(size=500)]
    season, sentence = detect_season(walks, look_back=168)
    assert season is None and sentence.startswith("no season")


def test_a_long_look_back_reads_a_season_a_step_and_a_short_one_a_row():
    t = np.arange(400)
    frame = pd.concat([pd.DataFrame({"unique_id": f"s{k}", "ds": t, "y": x}) for k, x in enumerate(daily_cycles())],
                      ignore_index=True)
    long = Forecaster(look_back=168, horizon=24, hidden_size=4, epochs=1, verbose=False).fit(frame)
    assert (long.season_, long.patch_) == (24, 24) and "7 steps of one season" in long.choices_["patch"]
    short = Forecaster(look_back=48, horizon=24, hidden_size=4, epochs=1, verbose=False).fit(frame)
    assert (short.season_, short.patch_) == (24, 1)
    given = Forecaster(look_back=168, horizon=24, hidden_size=4, epochs=1, patch=1, season=12, verbose=False)
    given.fit(frame)
    assert (given.season_, given.patch_) == (12, 1) and given.choices_["season"] == "season 12: given"
