"""CharModel: learning, scoring, the time budget, save/load and exact resume."""

import math

import numpy as np
import pytest

from lstmcast.checkpoint import CheckpointError
from lstmcast.text import CharModel, split_point
from lstmcast.text.network import CharNet

from . import TINY, fitted_model, shakespeare_piece


def _same_weights(a: CharModel, b: CharModel) -> bool:
    wa, wb = a.network_.state_dict(), b.network_.state_dict()
    return wa.keys() == wb.keys() and all(np.array_equal(wa[k], wb[k]) for k in wa)


def test_loss_on_a_repetitive_text_falls_near_zero():
    text = "to be or not to be, " * 30
    model = CharModel(**{**TINY, "epochs": 25, "hidden_size": 32}).fit(text)
    history = model.history_
    assert history.train_loss[0] > 1.5  # about log(vocab) at the start
    assert history.train_loss[-1] < 0.05
    assert model.evaluate(text[-200:]).nats_per_char < 0.05
    assert model.evaluate(text[-200:]).accuracy > 0.98


def test_scores_agree_and_the_best_epoch_is_kept():
    model = fitted_model()
    val = shakespeare_piece()[split_point(len(shakespeare_piece())):]
    score = model.evaluate(val)
    assert model.perplexity(val) == pytest.approx(math.exp(score.nats_per_char), rel=1e-12)
    assert score.bits_per_char == pytest.approx(score.nats_per_char / math.log(2), rel=1e-12)
    assert score.characters == len(val) - 1
    # validation during fit scored the same text the same way
    assert score.nats_per_char == pytest.approx(model.history_.val_loss[-1], rel=1e-6)
    assert score.nats_per_char < 0.85 * math.log(len(model.vocab_))  # it learned something


def test_early_stopping_keeps_the_weights_of_the_best_validation_epoch():
    model = CharModel(**{**TINY, "epochs": 6, "patience": 2, "lr": 0.08, "steps_per_epoch": 4}).fit(shakespeare_piece())
    history = model.history_
    best = history.best_epoch
    assert best == 1 + int(np.argmin(history.val_loss))
    val = shakespeare_piece()[split_point(len(shakespeare_piece())):]
    assert model.evaluate(val).nats_per_char == pytest.approx(history.val_loss[best - 1], rel=1e-6)


def test_the_state_is_carried_from_chunk_to_chunk_and_reset_each_epoch(monkeypatch):
    calls = []
    original = CharNet.forward

    def spy(self, ids, state=None):
        logits, new_state = original(self, ids, state)
        if self.training:
            calls.append((state, new_state))
        return logits, new_state

    monkeypatch.setattr(CharNet, "forward", spy)
    text = shakespeare_piece()[:3000]  # 2700 training characters: 8 rows of ~337, 20 or 21 chunks of 16
    CharModel(**{**TINY, "epochs": 2}).fit(text)
    starts = [i for i, (state_in, _) in enumerate(calls) if state_in is None]
    assert starts[0] == 0 and len(starts) == 2  # each of the 2 epochs starts from zeros
    assert starts[1] in (20, 21) and len(calls) - starts[1] in (20, 21)  # one pass per epoch
    for i in range(1, len(calls)):
        if i not in starts:
            assert calls[i][0] is calls[i - 1][1]  # each chunk starts where the last one ended


def test_same_seed_same_model():
    a = CharModel(**{**TINY, "epochs": 1}).fit(shakespeare_piece())
    b = CharModel(**{**TINY, "epochs": 1}).fit(shakespeare_piece())
    c = CharModel(**{**TINY, "epochs": 1, "seed": 1}).fit(shakespeare_piece())
    assert _same_weights(a, b) and not _same_weights(a, c)


RESUMABLE = {**TINY, "dropout": 0.2, "num_layers": 2, "steps_per_epoch": 5, "patience": 3, "lr_decay": 0.9}


def test_two_plus_two_epochs_equal_four_bit_for_bit(tmp_path):
    four = CharModel(**{**RESUMABLE, "epochs": 4}).fit(shakespeare_piece())
    two = CharModel(**{**RESUMABLE, "epochs": 2}).fit(shakespeare_piece())
    two.save(tmp_path / "two")
    in_memory = two.fit(shakespeare_piece(), resume=True)
    from_disk = CharModel.load(tmp_path / "two").fit(shakespeare_piece(), resume=True)
    for resumed in (in_memory, from_disk):
        assert resumed.history_.epochs == 4
        assert resumed.history_.val_loss == four.history_.val_loss
        assert resumed.history_.train_loss == four.history_.train_loss
        assert _same_weights(resumed, four)
        assert _same_resume_state(resumed, four)
    three = CharModel(**{**RESUMABLE, "epochs": 3}).fit(shakespeare_piece())
    assert not _same_resume_state(three, four)


def _same_resume_state(a: CharModel, b: CharModel) -> bool:
    """Last weights, best weights, optimiser, generators, early stopping, place in the text."""
    def without_times(state):
        return {**state, "history": {**state["history"], "seconds": None}}

    arrays_equal = a.resume_arrays_.keys() == b.resume_arrays_.keys() and all(
        np.array_equal(a.resume_arrays_[k], b.resume_arrays_[k]) for k in a.resume_arrays_
    )
    return arrays_equal and without_times(a.training_state_) == without_times(b.training_state_)


def test_saved_and_loaded_model_scores_and_samples_the_same(tmp_path):
    model = fitted_model()
    path = model.save(tmp_path / "model")
    loaded = CharModel.load(path)
    text = shakespeare_piece()[-3000:]
    assert loaded.perplexity(text) == model.perplexity(text)
    assert loaded.sample("First", 80, temperature=0.9, seed=3) == model.sample("First", 80, temperature=0.9, seed=3)
    assert loaded.get_params() == model.get_params()
    assert loaded.vocab_ == model.vocab_
    assert loaded.history_.val_loss == model.history_.val_loss


def test_time_budget_stops_training():
    model = CharModel(**{**TINY, "epochs": 500, "steps_per_epoch": 2, "max_minutes": 0.5 / 60}).fit(shakespeare_piece())
    assert model.stopped_by_time_
    assert 1 <= model.history_.epochs < 500
    assert sum(model.history_.seconds) < 10


def test_errors_name_the_problem(tmp_path):
    model = fitted_model()
    with pytest.raises(ValueError, match="hidden_size must be a positive integer, got 0"):
        CharModel(hidden_size=0).fit("x" * 500)
    with pytest.raises(ValueError, match=r"dropout must be in \[0, 1\), got 1.0"):
        CharModel(dropout=1.0).fit("x" * 500)
    with pytest.raises(ValueError, match=r"lr_decay must be in \(0, 1\], got 0"):
        CharModel(lr_decay=0).fit("x" * 500)
    with pytest.raises(ValueError, match="max_minutes must be a positive number or None, got -1"):
        CharModel(max_minutes=-1).fit("x" * 500)
    with pytest.raises(ValueError, match=r"text has 40 characters, too short for one training chunk: seq_len=64 needs at least 73"):
        CharModel(seq_len=64).fit("y" * 40)
    with pytest.raises(ValueError, match="not fitted yet"):
        CharModel().sample("a")
    with pytest.raises(ValueError, match="not fitted yet"):
        CharModel().fit("z" * 500, resume=True)
    with pytest.raises(ValueError, match="text has characters that are not in the model's vocabulary: '5', '€'"):
        model.evaluate("price: 5€")
    with pytest.raises(ValueError, match="at least 2 characters"):
        model.evaluate("a")
    with pytest.raises(CheckpointError, match="does not exist"):
        CharModel.load(tmp_path / "nothing")
    model.save(tmp_path / "m")
    with pytest.raises(CheckpointError, match="holds a charmodel, not a forecaster"):
        from lstmcast.checkpoint import load_checkpoint

        load_checkpoint(tmp_path / "m", kind="forecaster")
