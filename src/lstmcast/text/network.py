"""CharNet: the network of the character model, forward and backward only.

    ids (B, T) -> Embedding (B, T, E) -> LSTM (B, T, H) -> Dropout -> Dense (B, T, V) logits

It knows nothing of text, vocabularies or training; :class:`~lstmcast.text.charmodel.CharModel`
builds it once the vocabulary size is known and owns the fitting.
"""

from __future__ import annotations

import numpy as np

from lstmcast.nn.dense import Dense
from lstmcast.nn.dropout import Dropout
from lstmcast.nn.embedding import Embedding
from lstmcast.nn.init import make_rng
from lstmcast.nn.lstm import LSTM
from lstmcast.nn.module import Module
from lstmcast.nn.shapes import check_parameter_count, dense_shapes, embedding_shapes, lstm_shapes, prefixed


class CharNet(Module):
    """Embedding -> stacked LSTM -> dropout -> Dense head with one logit per character.

    Parameters
    ----------
    vocab_size : int
        V, the number of characters (rows of the embedding, outputs of the head).
    embedding_dim : int
        E, the length of each character's vector.
    hidden_size : int
        H, units per LSTM layer.
    num_layers : int
        Stacked LSTM layers.
    dropout : float
        Dropout between LSTM layers and before the head (training only).
    dtype : {"float32", "float64"}
        Parameter and computation dtype.
    seed : int, Generator or None
        One generator seeds every initialiser; the dropout layers get their own
        generators drawn from it, so the same seed gives the same network and masks.
    """

    def __init__(self, vocab_size: int, embedding_dim: int, hidden_size: int, num_layers: int,
                 dropout: float, dtype="float32", seed=None) -> None:
        super().__init__()
        check_parameter_count(
            self.state_shapes(vocab_size, embedding_dim, hidden_size, num_layers),
            f"vocab_size={vocab_size}, embedding_dim={embedding_dim}, hidden_size={hidden_size}, "
            f"num_layers={num_layers}",
        )
        rng = make_rng(seed)
        self.embedding = Embedding(vocab_size, embedding_dim, dtype=dtype, seed=rng)
        self.lstm = LSTM(embedding_dim, hidden_size, num_layers=num_layers, dropout=dropout,
                         dtype=dtype, seed=_child(rng), forget_bias=1.0)
        self.dropout = Dropout(dropout, seed=_child(rng))
        self.head = Dense(hidden_size, vocab_size, dtype=dtype, seed=rng)
        self.vocab_size = int(vocab_size)
        self.hidden_size = int(hidden_size)
        self.num_layers = int(num_layers)
        self.dtype = self.head.dtype

    @staticmethod
    def state_shapes(vocab_size: int, embedding_dim: int, hidden_size: int,
                     num_layers: int) -> dict[str, tuple[int, ...]]:
        """The ``state_dict`` shapes this network would have, computed without building it."""
        return {**prefixed("embedding", embedding_shapes(vocab_size, embedding_dim)),
                **prefixed("lstm", lstm_shapes(embedding_dim, hidden_size, num_layers)),
                **prefixed("head", dense_shapes(hidden_size, vocab_size))}

    def initial_state(self, batch: int) -> tuple[np.ndarray, np.ndarray]:
        """Zero ``(h, c)``, each (num_layers, batch, H)."""
        zeros = np.zeros((self.num_layers, batch, self.hidden_size), self.dtype)  # (L, B, H)
        return zeros, zeros.copy()

    def forward(self, ids: np.ndarray, state=None):
        """Logits for the next character at every position.

        Parameters
        ----------
        ids : int ndarray, shape (B, T)
            Character indices.
        state : tuple (h, c) of ndarrays (num_layers, B, H), optional
            The LSTM state after the previous chunk; zeros when omitted.

        Returns
        -------
        logits : ndarray, shape (B, T, V)
        (h_n, c_n) : ndarrays, shape (num_layers, B, H)
            The state to carry into the next chunk.
        """
        ids = np.asarray(ids)
        if ids.ndim != 2:
            raise ValueError(f"ids must have shape (batch, seq_len), got {ids.shape}")
        vectors = self.embedding.forward(ids)  # (B, T, E)
        hidden, state = self.lstm.forward(vectors, state)  # (B, T, H)
        logits = self.head.forward(self.dropout.forward(hidden))  # (B, T, V)
        return logits, state

    def backward(self, dlogits: np.ndarray) -> None:
        """Backpropagate dL/dlogits (B, T, V) through the chunk; grads accumulate.

        The carried-in state is treated as a constant (truncated BPTT), so nothing
        flows back into the previous chunk.
        """
        dhidden = self.dropout.backward(self.head.backward(dlogits))  # (B, T, H)
        dvectors = self.lstm.backward(dhidden)  # (B, T, E)
        self.embedding.backward(dvectors)


def _child(rng: np.random.Generator) -> np.random.Generator:
    """A new generator seeded from ``rng`` (its own stream, reproducible from the parent's seed)."""
    return np.random.default_rng(int(rng.integers(2**63)))
