"""One member's training: epochs or a step budget, how much patience small data gets, exact resumes."""

import dataclasses
from types import SimpleNamespace

import numpy as np

from lstmcast.forecast.training.fitting import (AUTO_EPOCHS, AUTO_MAX_STEPS, MIN_STEPS, STEP_MODE_WINDOWS,
                                               ArrayWindows, NetworkSpec, batch_drawer, epochs_and_patience,
                                               training_plan)

SPEC = NetworkSpec(input_size=1, horizon=12, hidden_size=8, num_layers=1, bidirectional=False, dropout=0.0,
                   recurrent_dropout=0.0, attention=False, dtype="float32", loss="mse", epochs=None,
                   batch_size=32, lr=1e-3, weight_decay=0.0, clip_norm=1.0, patience=20, verbose=False)


def test_small_data_gets_at_least_min_steps_and_the_patience_to_match():
    epochs, patience = epochs_and_patience(SPEC, 61)  # 2 batches an epoch
    assert epochs == patience == MIN_STEPS // 2
    assert epochs * 2 >= MIN_STEPS


def test_large_data_keeps_the_usual_epochs_and_patience():
    assert epochs_and_patience(SPEC, 32 * 100) == (AUTO_EPOCHS, 20)


def test_explicit_epochs_and_no_patience_are_kept():
    assert epochs_and_patience(dataclasses.replace(SPEC, epochs=4), 61) == (4, 20)
    assert epochs_and_patience(dataclasses.replace(SPEC, patience=None), 61) == (MIN_STEPS // 2, None)


def test_resuming_with_epochs_none_finishes_the_planned_run_bit_for_bit():
    import numpy as np
    import pytest

    from lstmcast.forecast.training.fitting import train_member as train

    def train_member(spec, x, y, *rest, **options):
        return train(spec, ArrayWindows(x, y), *rest, **options)

    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 5, 1)).astype(np.float32)  # (n, T, C)
    y = rng.normal(size=(40, 2)).astype(np.float32)  # (n, horizon)
    spec = dataclasses.replace(SPEC, horizon=2, hidden_size=3, batch_size=8, patience=None)  # 5 steps an epoch
    planned, _ = epochs_and_patience(spec, len(x))
    full = train_member(spec, x, y, None, 0)
    part = train_member(dataclasses.replace(spec, epochs=3), x, y, None, 0)
    rest = train_member(spec, x, y, None, 0, resume_from=part)
    assert rest.history.epochs == full.history.epochs == planned
    assert rest.history.train_loss == full.history.train_loss
    for name, value in full.network.state_dict().items():
        np.testing.assert_array_equal(rest.network.state_dict()[name], value)
    with pytest.raises(ValueError, match="all that the default plans for these 40 training windows"):
        train_member(spec, x, y, None, 0, resume_from=rest)


def test_the_plan_is_epochs_for_small_data_and_a_step_budget_for_large():
    assert not training_plan(SPEC, STEP_MODE_WINDOWS).by_steps
    large = training_plan(SPEC, STEP_MODE_WINDOWS + 1)
    assert large.by_steps and large.rounds * large.steps_per_round >= AUTO_MAX_STEPS
    assert f"more than {STEP_MODE_WINDOWS:,} windows" in large.words
    assert not training_plan(dataclasses.replace(SPEC, epochs=3), 10 * STEP_MODE_WINDOWS).by_steps
    auto = dataclasses.replace(SPEC, batch_size=None)
    assert training_plan(auto, 100).batch_size == 32 and training_plan(auto, STEP_MODE_WINDOWS + 1).batch_size == 256
    given = training_plan(dataclasses.replace(SPEC, max_steps=95), 100)
    assert given.by_steps and (given.rounds, given.steps_per_round) == (10, 10) and "95 steps" in given.words


def _windows(n=300, seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    return ArrayWindows(rng.normal(size=(n, 5, 1)).astype(np.float32), rng.normal(size=(n, 2)).astype(np.float32))


def test_a_step_budget_takes_that_many_steps_and_a_seed_gives_the_same_training_bit_for_bit():
    import numpy as np

    from lstmcast.forecast.training.fitting import train_member

    spec = dataclasses.replace(SPEC, horizon=2, hidden_size=3, batch_size=8, max_steps=40, patience=None)
    windows = _windows()
    taken = []

    class Counting(ArrayWindows):
        def take(self, idx):
            taken.append(np.array(idx))
            return super().take(idx)

    first = train_member(spec, Counting(windows.x, windows.y), (windows.x[:20], windows.y[:20], None), 3)
    assert len(taken) == 40 and all(len(idx) == 8 for idx in taken)
    assert first.history.epochs == 10  # a check every 4 steps
    again = train_member(spec, windows, (windows.x[:20], windows.y[:20], None), 3)
    assert again.history.train_loss == first.history.train_loss
    for name, value in first.network.state_dict().items():
        np.testing.assert_array_equal(again.network.state_dict()[name], value)
    other = train_member(spec, windows, (windows.x[:20], windows.y[:20], None), 4)
    assert other.history.train_loss != first.history.train_loss


def test_epochs_and_max_steps_together_are_refused():
    import pytest

    from lstmcast import Forecaster

    with pytest.raises(ValueError, match=r"^epochs=3 and max_steps=10: give one of them"):
        Forecaster(epochs=3, max_steps=10).fit([1.0] * 100)



@dataclasses.dataclass
class _Source:
    """A window source that knows each window's series (as LazyWindows does through its index)."""

    index: object

    def __len__(self) -> int:
        return len(self.index.series)


def test_a_step_draws_over_windows_or_over_series_first():
    series = np.repeat([0, 1, 2], [10, 0, 990])  # (1000,) series 1 has no window
    source = _Source(SimpleNamespace(series=series))
    idx = batch_drawer(source, "series")(np.random.default_rng(0), 20000)
    assert idx.min() >= 0 and idx.max() < 1000
    assert 0.48 < np.mean(idx < 10) < 0.52  # series 0: 1% of the windows, half of the draws
    assert len(np.unique(idx[idx < 10])) == 10  # every window of a series is drawn
    np.testing.assert_array_equal(batch_drawer(source, "windows")(np.random.default_rng(3), 64),
                                  np.random.default_rng(3).integers(0, 1000, 64))
