"""Scoring a text: the parallel streams give what one character at a time gives."""

import math

import numpy as np
import pytest

from lstmcast.nn.functional import log_softmax
from lstmcast.text.network import CharNet
from lstmcast.text.scoring import TextScore, score_ids, unigram_score


def _net(vocab=7, seed=0):
    net = CharNet(vocab, embedding_dim=5, hidden_size=6, num_layers=2, dropout=0.0, dtype="float64", seed=seed)
    return net.eval()


def _one_by_one(net, ids, state=None):
    """-log p and hits for ids[1:], feeding one character at a time from ``state``."""
    nll, hits = [], []
    for t in range(len(ids) - 1):
        logits, state = net.forward(np.array([[ids[t]]]), state)
        logp = log_softmax(logits[0, 0])
        nll.append(-logp[ids[t + 1]])
        hits.append(int(np.argmax(logits[0, 0]) == ids[t + 1]))
    return nll, hits, state


def test_one_stream_in_chunks_equals_one_character_at_a_time():
    net = _net()
    ids = np.random.default_rng(1).integers(0, 7, 203)
    nll, hits, _ = _one_by_one(net, ids)
    score = score_ids(net, ids, streams=1, chunk=17, warmup=0)
    assert score.characters == 202
    assert score.nats_per_char == pytest.approx(np.mean(nll), rel=1e-12)
    assert score.accuracy == pytest.approx(np.mean(hits))


@pytest.mark.parametrize("warmup", [0, 9])
def test_parallel_streams_score_every_character_once_from_the_right_state(warmup):
    net = _net(seed=2)
    ids = np.random.default_rng(3).integers(0, 7, 127)  # 126 targets: 4 pieces of 31, 2 left over
    pieces, length = 4, 31
    nll, hits = [], []
    state = None
    for s in range(pieces):
        start = s * length
        warm_state = None
        if s > 0 and warmup:  # read ids[start - warmup : start] first, unscored
            _, _, warm_state = _one_by_one(net, ids[start - warmup : start + 1])
        piece_nll, piece_hits, state = _one_by_one(net, ids[start : start + length + 1], warm_state)
        nll += piece_nll
        hits += piece_hits
    tail_nll, tail_hits, _ = _one_by_one(net, ids[pieces * length :], state)  # the last piece goes on
    nll += tail_nll
    hits += tail_hits
    assert len(nll) == 126
    score = score_ids(net, ids, streams=pieces, chunk=8, warmup=warmup)
    assert score.characters == 126
    assert score.nats_per_char == pytest.approx(np.mean(nll), rel=1e-12)
    assert score.accuracy == pytest.approx(np.mean(hits))


def test_score_fields_agree():
    score = TextScore.from_sums(nll_sum=150.0, correct=30, count=100)
    assert score.perplexity == pytest.approx(math.exp(1.5))
    assert score.bits_per_char == pytest.approx(1.5 / math.log(2))
    assert score.accuracy == 0.3 and score.to_dict()["characters"] == 100


def test_unigram_baseline_uses_smoothed_training_frequencies():
    train = np.array([0, 0, 0, 1])  # counts 3, 1, 0 -> smoothed 4, 2, 1 of 7
    ids = np.array([2, 0, 1, 2])  # predicts 0, 1, 2
    score = unigram_score(train, ids, vocab_size=3)
    expected = -(math.log(4 / 7) + math.log(2 / 7) + math.log(1 / 7)) / 3
    assert score.nats_per_char == pytest.approx(expected)
    assert score.accuracy == pytest.approx(1 / 3)  # always guessing character 0


def test_too_short_to_score():
    with pytest.raises(ValueError, match="at least 2 characters"):
        score_ids(_net(), np.array([1]))
