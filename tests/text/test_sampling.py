"""Sampling: greedy at temperature 0, seeded, and drawing from softmax(z / T)."""

import numpy as np
import pytest

from lstmcast.nn.functional import softmax
from lstmcast.text.sampling import choose

from . import fitted_model


def _argmax_decode(model, prime, length):
    """Greedy decoding written out here: feed the prime, then always the most likely character."""
    net = model.network_
    logits, state = net.forward(model.vocab_.encode(prime)[None, :])
    out = []
    for _ in range(length):
        nxt = int(np.argmax(logits[0, -1]))
        out.append(model.vocab_.chars[nxt])
        logits, state = net.forward(np.array([[nxt]]), state)
    return "".join(out)


def test_temperature_zero_is_greedy_and_a_tiny_temperature_agrees():
    model = fitted_model()
    expected = _argmax_decode(model, "ROMEO:", 60)
    assert model.sample("ROMEO:", 60, temperature=0.0) == expected
    assert model.sample("ROMEO:", 60, temperature=0.0, seed=1) == expected
    assert model.sample("ROMEO:", 60, temperature=1e-4, seed=7) == expected
    assert model.sample("ROMEO:", 60, temperature=1.0, top_k=1, seed=7) == expected


def test_same_seed_same_sample():
    model = fitted_model()
    a = model.sample("The ", 120, temperature=1.0, seed=42)
    b = model.sample("The ", 120, temperature=1.0, seed=42)
    c = model.sample("The ", 120, temperature=1.0, seed=43)
    assert a == b and len(a) == 120
    assert a != c
    assert set(a) <= set(model.vocab_.chars)


def test_draws_follow_softmax_over_temperature_and_top_k():
    logits = np.array([0.0, 1.0, 2.0, -1.0])
    rng = np.random.default_rng(0)
    n = 40_000
    counts = np.bincount([choose(logits, 0.5, None, rng) for _ in range(n)], minlength=4)
    expected = softmax(logits / 0.5)
    assert np.abs(counts / n - expected).max() < 0.01  # ~4 standard errors at n = 40,000
    top2 = np.bincount([choose(logits, 1.0, 2, rng) for _ in range(n)], minlength=4)
    assert top2[0] == 0 and top2[3] == 0
    assert top2[2] / n == pytest.approx(np.exp(2) / (np.exp(1) + np.exp(2)), abs=0.01)


def test_sampling_errors():
    model = fitted_model()
    with pytest.raises(ValueError, match="prime has characters that are not in the model's vocabulary: '§'"):
        model.sample("ROMEO§", 10)
    with pytest.raises(ValueError, match="prime must be a non-empty string"):
        model.sample("", 10)
    with pytest.raises(ValueError, match="temperature must be a finite number >= 0, got -1"):
        model.sample("A", 10, temperature=-1)
    with pytest.raises(ValueError, match="length must be a non-negative integer, got -5"):
        model.sample("A", -5)
    with pytest.raises(ValueError, match="top_k must be a positive integer or None, got 0"):
        model.sample("A", 5, top_k=0)
    assert model.sample("A", 0) == ""
