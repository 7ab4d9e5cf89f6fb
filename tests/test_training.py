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
