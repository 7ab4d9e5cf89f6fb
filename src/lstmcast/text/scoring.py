"""How well a character model predicts a text: cross-entropy, perplexity, accuracy.

The text is read as one long sequence with the LSTM state carried from chunk to
chunk, so every character is predicted from everything before it.  For speed it is
cut into ``streams`` contiguous pieces read side by side (one batch row each); each
piece but the first is warmed up on the ``warmup`` characters before it (read, not
scored), so the result hardly depends on the number of streams.  The last few
characters that do not divide evenly are read by the last stream, continuing its
state.  Every character after the first is scored exactly once.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from lstmcast.nn.module import Module

EVAL_STREAMS = 32  # parallel pieces of the text
EVAL_CHUNK = 256  # steps per forward pass
EVAL_WARMUP = 256  # characters read before each piece to set its state


@dataclass(frozen=True)
class TextScore:
    """Next-character prediction quality over a text."""

    nats_per_char: float  # mean cross-entropy, natural log
    bits_per_char: float  # the same in bits: nats / ln 2
    perplexity: float  # exp(nats_per_char)
    accuracy: float  # share of characters that are the model's most likely one
    characters: int  # characters predicted (the text's length minus one)

    @classmethod
    def from_sums(cls, nll_sum: float, correct: int, count: int) -> "TextScore":
        """From the summed negative log-likelihood (nats), correct guesses and count."""
        nats = nll_sum / count
        return cls(nats, nats / math.log(2.0), math.exp(nats), correct / count, int(count))

    def to_dict(self) -> dict:
        """The fields as a plain dict."""
        return asdict(self)


def _add_scores(logits: np.ndarray, targets: np.ndarray, sums: list) -> None:
    """Add -log p(target) and argmax hits of ``logits`` (B, T, V) for ``targets`` (B, T)."""
    z = logits.astype(np.float64)  # (B, T, V)
    top = z.max(axis=-1, keepdims=True)  # (B, T, 1)
    log_norm = top[..., 0] + np.log(np.exp(z - top).sum(axis=-1))  # (B, T) logsumexp
    target_logit = np.take_along_axis(z, targets[..., None], axis=-1)[..., 0]  # (B, T)
    sums[0] += float((log_norm - target_logit).sum())  # -log softmax(z)[target]
    sums[1] += int((z.argmax(axis=-1) == targets).sum())
    sums[2] += targets.size


def _run(net: Module, inputs: np.ndarray, targets: np.ndarray | None, state, chunk: int, sums: list):
    """Forward (B, L) inputs chunk by chunk from ``state``; score if targets; return the final state."""
    for start in range(0, inputs.shape[1], chunk):
        cols = slice(start, start + chunk)
        logits, state = net.forward(inputs[:, cols], state)  # (B, t, V)
        if targets is not None:
            _add_scores(logits, targets[:, cols], sums)
    return state


def score_ids(net: Module, ids: np.ndarray, streams: int = EVAL_STREAMS, chunk: int = EVAL_CHUNK,
              warmup: int = EVAL_WARMUP) -> TextScore:
    """Score ``net`` (a CharNet, put in eval mode by the caller) on a text of indices.

    Parameters
    ----------
    net : CharNet
        ``forward(ids (B, T), state) -> (logits (B, T, V), state)``.
    ids : int ndarray, shape (N,), N >= 2
    streams, chunk, warmup : int
        Pieces read in parallel, steps per forward pass, warm-up characters per piece.

    Returns
    -------
    TextScore

    Raises
    ------
    ValueError
        If ``ids`` has fewer than two characters.
    """
    ids = np.asarray(ids)
    count = len(ids) - 1
    if count < 1:
        raise ValueError(f"text must have at least 2 characters to score, got {len(ids)}")
    pieces = max(1, min(streams, count // max(warmup, 1)))
    length = count // pieces  # characters predicted per piece
    inputs = ids[: pieces * length].reshape(pieces, length)  # (S, L)
    targets = ids[1 : pieces * length + 1].reshape(pieces, length)  # (S, L)
    sums = [0.0, 0, 0]
    state = None
    warm = min(warmup, length)
    if pieces > 1 and warm > 0:
        starts = np.arange(1, pieces) * length  # (S-1,) first input of pieces 1..S-1
        before = ids[(starts - warm)[:, None] + np.arange(warm)]  # (S-1, W)
        h_w, c_w = _run(net, before, None, None, chunk, sums)  # (L, S-1, H)
        zeros = np.zeros_like(h_w[:, :1])  # (L, 1, H) piece 0 starts the text
        state = (np.concatenate([zeros, h_w], axis=1), np.concatenate([zeros, c_w], axis=1))  # (L, S, H)
    h, c = _run(net, inputs, targets, state, chunk, sums)
    rest = count - pieces * length
    if rest:
        tail_in = ids[pieces * length : count][None, :]  # (1, rest)
        tail_out = ids[pieces * length + 1 :][None, :]  # (1, rest)
        _run(net, tail_in, tail_out, (h[:, -1:], c[:, -1:]), chunk, sums)
    return TextScore.from_sums(*sums)


def unigram_score(train_ids: np.ndarray, ids: np.ndarray, vocab_size: int) -> TextScore:
    """The baseline that ignores context: each character's training frequency.

    Add-one (Laplace) smoothing over the vocabulary, so a character unseen in
    training costs a finite amount.  Scores ``ids[1:]``, the characters a model
    predicts.
    """
    counts = np.bincount(np.asarray(train_ids), minlength=vocab_size).astype(np.float64) + 1.0  # (V,)
    logp = np.log(counts / counts.sum())  # (V,)
    targets = np.asarray(ids)[1:]
    if targets.size == 0:
        raise ValueError("text must have at least 2 characters to score")
    nll = float(-logp[targets].sum())
    correct = int((targets == int(np.argmax(counts))).sum())
    return TextScore.from_sums(nll, correct, targets.size)
