"""Embedding: a lookup table of learned vectors, laid out as ``torch.nn.Embedding``."""

from __future__ import annotations

import numpy as np

from lstmcast.nn.init import make_rng
from lstmcast.nn.module import Module, resolve_dtype


class Embedding(Module):
    """Map integer indices to rows of ``weight`` (num_embeddings, embedding_dim).

    Parameters
    ----------
    num_embeddings : int
        Number of rows (the vocabulary size).
    embedding_dim : int
        Length of each vector.
    dtype : {"float32", "float64"}, default "float32"
        Dtype of the table.
    seed : int, Generator or None
        Seed for the initialiser; rows are drawn from N(0, 1) as in PyTorch.
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, dtype="float32", seed=None) -> None:
        super().__init__()
        if int(num_embeddings) != num_embeddings or num_embeddings < 1:
            raise ValueError(f"num_embeddings must be a positive int, got {num_embeddings!r}")
        if int(embedding_dim) != embedding_dim or embedding_dim < 1:
            raise ValueError(f"embedding_dim must be a positive int, got {embedding_dim!r}")
        self.num_embeddings = int(num_embeddings)
        self.embedding_dim = int(embedding_dim)
        self.dtype = resolve_dtype(dtype)
        self.seed = seed
        rng = make_rng(seed)
        table = rng.standard_normal((self.num_embeddings, self.embedding_dim)).astype(self.dtype)
        self.add_param("weight", table)
        self._cache: np.ndarray | None = None

    def forward(self, indices: np.ndarray) -> np.ndarray:
        """Return ``weight[indices]``, shape ``indices.shape + (embedding_dim,)``.

        Raises
        ------
        ValueError
            If ``indices`` is not an integer array or holds a value outside
            [0, num_embeddings).
        """
        indices = np.asarray(indices)
        if not np.issubdtype(indices.dtype, np.integer):
            raise ValueError(f"indices must be an integer array, got dtype {indices.dtype}")
        if indices.size and (indices.min() < 0 or indices.max() >= self.num_embeddings):
            raise ValueError(
                f"indices must lie in [0, {self.num_embeddings}), "
                f"got values in [{indices.min()}, {indices.max()}]"
            )
        self._cache = indices
        return self.params["weight"][indices]  # (..., E)   dy/dW[k] = 1 where indices == k

    def backward(self, dy: np.ndarray) -> None:
        """Add dL/dweight into ``grads`` (rows hit several times add up); return None.

        Raises
        ------
        ValueError
            If ``dy`` does not have the shape of the last output.
        """
        if self._cache is None:
            raise RuntimeError("backward called before forward")
        indices = self._cache
        expected = indices.shape + (self.embedding_dim,)
        dy = np.asarray(dy, dtype=self.dtype)
        if dy.shape != expected:
            raise ValueError(f"dy must have shape {expected}, got {dy.shape}")
        # dL/dW[k] = sum of dy over the positions where indices == k
        np.add.at(self.grads["weight"], indices.reshape(-1), dy.reshape(-1, self.embedding_dim))  # (N, E)
        return None
