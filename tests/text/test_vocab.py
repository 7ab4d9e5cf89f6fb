"""The character vocabulary: sorted, round trips, clear errors for unknown characters."""

import numpy as np
import pytest

from lstmcast.text.vocab import Vocab


def test_round_trip_including_non_ascii():
    text = "Wherefore art thou, Ромео? 😀 naïve\ttabs\nand lines"
    vocab = Vocab.from_text(text)
    ids = vocab.encode(text)
    assert ids.shape == (len(text),) and np.issubdtype(ids.dtype, np.integer)
    assert vocab.decode(ids) == text
    assert vocab.chars == "".join(sorted(set(text)))  # each character once, in code-point order
    assert [vocab.chars[i] for i in ids] == list(text)


def test_saved_state_gives_the_same_vocabulary():
    vocab = Vocab.from_text("the quick brown fox")
    again = Vocab.from_dict(vocab.to_dict())
    assert again == vocab and len(again) == len(set("the quick brown fox"))
    assert np.array_equal(again.encode("fox"), vocab.encode("fox"))


def test_unknown_characters_are_named():
    vocab = Vocab.from_text("abc")
    with pytest.raises(ValueError, match=r"prime has characters that are not in the model's vocabulary: 'x', 'z'"):
        vocab.encode("axbz", "prime")


def test_bad_indices_and_arguments():
    vocab = Vocab.from_text("abc")
    with pytest.raises(ValueError, match=r"ids must be integers in \[0, 3\)"):
        vocab.decode([0, 3])
    with pytest.raises(ValueError, match="text must be a non-empty string"):
        Vocab.from_text("")
    with pytest.raises(ValueError, match="each character once"):
        Vocab("aba")
    assert vocab.decode([]) == ""
