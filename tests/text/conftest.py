"""Small texts and models shared by the text tests (fitted once per session: keeps them fast)."""

import pytest

from lstmcast.data import load_text
from lstmcast.text import CharModel

TINY = dict(hidden_size=24, num_layers=1, embedding_dim=8, seq_len=16, batch_size=8, lr=1e-2,
            epochs=3, patience=None, verbose=False, seed=0)


@pytest.fixture(scope="session")
def shakespeare_piece() -> str:
    return load_text("shakespeare")[:12_000]


@pytest.fixture(scope="session")
def fitted(shakespeare_piece) -> CharModel:
    """A tiny model fitted for 3 epochs on 12,000 characters (do not refit it in a test)."""
    return CharModel(**TINY).fit(shakespeare_piece)
