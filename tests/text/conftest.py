"""Fixtures the text tests share."""

import pytest

from lstmcast import CharModel


@pytest.fixture(scope="session")
def saved(tmp_path_factory):
    """A small character model's folder; tests copy it before forging anything in it."""
    path = tmp_path_factory.mktemp("cm") / "model"
    CharModel(hidden_size=8, embedding_dim=4, seq_len=8, batch_size=4, epochs=1, steps_per_epoch=3,
              verbose=False).fit("abcabcabd " * 40).save(path)
    return path
