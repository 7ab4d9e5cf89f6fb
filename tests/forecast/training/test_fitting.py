"""One member's training: how many epochs and how much patience small data gets."""

import dataclasses

from lstmcast.forecast.training.fitting import AUTO_EPOCHS, MIN_STEPS, NetworkSpec, epochs_and_patience

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

    from lstmcast.forecast.training.fitting import train_member

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
    with pytest.raises(ValueError, match="all that epochs=None plans for these 40 training windows"):
        train_member(spec, x, y, None, 0, resume_from=rest)
