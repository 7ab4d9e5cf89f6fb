"""Small texts and models shared by the text tests (built once per run: keeps them fast)."""

from functools import lru_cache

from lstmcast.data import load_text
from lstmcast.text import CharModel

TINY = dict(hidden_size=24, num_layers=1, embedding_dim=8, seq_len=16, batch_size=8, lr=1e-2,
            epochs=3, patience=None, verbose=False, seed=0)


@lru_cache(maxsize=1)
def shakespeare_piece() -> str:
    """The first 12,000 characters of tiny Shakespeare."""
    return load_text("shakespeare")[:12_000]


@lru_cache(maxsize=1)
def fitted_model() -> CharModel:
    """A tiny model fitted for 3 epochs on :func:`shakespeare_piece` (tests must not refit it)."""
    return CharModel(**TINY).fit(shakespeare_piece())
