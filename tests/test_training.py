"""The shared epoch loop: batches, early stopping, exact resume."""

import math

import numpy as np
import pytest

from lstmcast.nn.dense import Dense
from lstmcast.nn.losses import mse_loss
from lstmcast.nn.optim import Adam
from lstmcast.training import Trainer, apply_gradients, minibatches


def test_minibatches_cover_every_row_once():
    rng = np.random.default_rng(0)
    batches = list(minibatches(10, 3, rng))
    assert [len(b) for b in batches] == [3, 3, 3, 1]
    assert sorted(np.concatenate(batches)) == list(range(10))
    assert np.concatenate(list(minibatches(5, 2, None))).tolist() == [0, 1, 2, 3, 4]


def _problem(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((64, 3))
    y = x @ np.array([[1.0], [-2.0], [0.5]]) + 0.1 * rng.standard_normal((64, 1))
    return x[:48], y[:48], x[48:], y[48:]


def _trainer(patience=None, lr=0.05):
    model = Dense(3, 1, dtype="float64", seed=1)
    opt = Adam(model, lr=lr)
    trainer = Trainer(model, opt, patience=patience, seed=2, verbose=False)
    x, y, xv, yv = _problem()

    def train_epoch(rng):
        losses = []
        for idx in minibatches(len(x), 8, rng):
            loss, dpred = mse_loss(model.forward(x[idx]), y[idx])
            model.backward(dpred)
            apply_gradients(model, opt, clip_norm=1.0)
            losses.append(loss)
        return float(np.mean(losses))

    def validate():
        return mse_loss(model.forward(xv), yv)[0]

    return trainer, model, train_epoch, validate


def test_loss_falls_and_history_is_kept():
    trainer, model, train_epoch, validate = _trainer()
    history = trainer.run(20, train_epoch, validate)
    assert history.epochs == 20 and len(history.val_loss) == 20
    assert history.train_loss[-1] < 0.1 * history.train_loss[0]
    assert history.best_epoch == 1 + int(np.argmin(history.val_loss))


def test_early_stopping_restores_the_best_weights():
    trainer, model, train_epoch, validate = _trainer(patience=2, lr=0.5)
    seen = []

    def noisy_validate():  # improves twice, then only gets worse
        seen.append(model.state_dict())
        return [3.0, 2.0, 1.0, 5.0, 6.0, 7.0, 8.0][len(seen) - 1]

    history = trainer.run(50, train_epoch, noisy_validate)
    assert history.stopped_early and history.epochs == 5 and history.best_epoch == 3
    trainer.restore_best()
    for name, value in seen[2].items():
        np.testing.assert_array_equal(model.state_dict()[name], value)


def test_two_plus_two_epochs_equal_four_bit_for_bit():
    trainer, model, train_epoch, validate = _trainer(patience=10)
    trainer.run(4, train_epoch, validate)
    trainer.restore_best()
    straight = model.state_dict()

    first, model_a, epoch_a, val_a = _trainer(patience=10)
    first.run(2, epoch_a, val_a)
    json_state, arrays = first.state()
    second, model_b, epoch_b, val_b = _trainer(patience=10)
    second.load_state(json_state, arrays)
    history = second.run(2, epoch_b, val_b)
    second.restore_best()
    assert history.epochs == 4
    for name, value in straight.items():
        np.testing.assert_array_equal(model_b.state_dict()[name], value)


def test_diverging_loss_and_bad_arguments_are_clear_errors():
    trainer, model, train_epoch, validate = _trainer()
    with pytest.raises(FloatingPointError, match="training loss became nan at epoch 1"):
        trainer.run(1, lambda rng: math.nan, None)
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        trainer.run(0, train_epoch, validate)
    with pytest.raises(ValueError, match="patience must be a positive integer or None"):
        Trainer(model, trainer.optimizer, patience=0, seed=0)


def test_history_without_validation_round_trips_through_json():
    import json

    from lstmcast.training import History

    history = History(train_loss=[1.0, 0.5], val_loss=[math.nan, math.nan], seconds=[0.1, 0.1])
    text = json.dumps(history.to_dict(), allow_nan=False)
    back = History.from_dict(json.loads(text))
    assert back.train_loss == [1.0, 0.5] and all(math.isnan(v) for v in back.val_loss)


# -- Ctrl-C and progress ----------------------------------------------------------


def _interruptible(interrupt_at_call, verbose=False, deadline=None):
    model = Dense(3, 1, dtype="float64", seed=1)
    opt = Adam(model, lr=0.05)
    trainer = Trainer(model, opt, patience=3, seed=2, verbose=verbose, deadline=deadline)
    x, y, xv, yv = _problem()
    calls, seen = [], []

    def train_epoch(rng):
        losses = []
        for idx in trainer.batches(len(x), 8, rng):
            calls.append(1)
            if len(calls) == interrupt_at_call:
                raise KeyboardInterrupt
            loss, dpred = mse_loss(model.forward(x[idx]), y[idx])
            model.backward(dpred)
            apply_gradients(model, opt, clip_norm=1.0)
            losses.append(loss)
            if trainer._progress._progress is not None:
                seen.append(trainer._progress._progress.tasks[0].completed)
        return float(np.mean(losses))

    def validate():
        return mse_loss(model.forward(xv), yv)[0]

    return model, trainer, train_epoch, validate, seen


def test_ctrl_c_rewinds_to_the_last_complete_epoch():
    model, trainer, train_epoch, validate, _ = _interruptible(interrupt_at_call=2 * 6 + 4)  # 6 batches an epoch
    history = trainer.run(10, train_epoch, validate)
    assert history.interrupted and history.epochs == 2 and not history.stopped_early
    ref_model, ref, ref_epoch, ref_validate, _ = _interruptible(interrupt_at_call=0)
    ref.run(2, ref_epoch, ref_validate)
    np.testing.assert_array_equal(model.params["weight"], ref_model.params["weight"])
    state, ref_state = trainer.state()[0], ref.state()[0]
    for key in ("train_loss", "val_loss", "best_epoch"):
        assert state["history"][key] == ref_state["history"][key]
    for key in ("best_loss", "bad_epochs", "optimizer", "rng_states"):
        assert state[key] == ref_state[key]  # optimiser meta, generators, early-stopping counters
    assert history.to_dict()["interrupted"] is True


def test_ctrl_c_before_any_complete_epoch_propagates():
    model, trainer, train_epoch, validate, _ = _interruptible(interrupt_at_call=3)
    before = model.params["weight"].copy()
    with pytest.raises(KeyboardInterrupt):
        trainer.run(10, train_epoch, validate)
    np.testing.assert_array_equal(model.params["weight"], before)  # put back as it was


def test_progress_moves_within_an_epoch():
    _, trainer, train_epoch, validate, seen = _interruptible(interrupt_at_call=0, verbose=True)
    trainer.run(2, train_epoch, validate)
    # read during each batch: the bar shows the batches finished before it
    assert seen[:6] == pytest.approx([k / 6 for k in range(6)])
    assert seen[6:12] == pytest.approx([1 + k / 6 for k in range(6)])


def test_time_left_respects_the_budget():
    from lstmcast.training import time_left

    assert time_left(3600.0, deadline=100.0, now=10.0) == 90.0  # an hour estimated, 90 s of budget left
    assert time_left(30.0, deadline=100.0, now=10.0) == 30.0
    assert time_left(None, deadline=100.0, now=10.0) == 90.0
    assert time_left(None, deadline=None, now=10.0) is None
    assert time_left(50.0, deadline=5.0, now=10.0) == 0.0
