"""Floor 2, text: a character-level LSTM language model.

>>> from lstmcast.data import load_text
>>> from lstmcast.text import CharModel, split_point
>>> text = load_text("shakespeare")
>>> model = CharModel(hidden_size=128, num_layers=1, max_minutes=1).fit(text)
>>> model.evaluate(text[split_point(len(text)):]).bits_per_char   # the validation part
>>> model.sample("ROMEO:", 200, temperature=0.8, seed=0)
"""

from lstmcast.text.charmodel import VAL_FRACTION, CharModel, check_text_length, min_text_length, split_point
from lstmcast.text.scoring import TextScore, unigram_score
from lstmcast.text.textfile import read_text_file
from lstmcast.text.vocab import Vocab

__all__ = [
    "VAL_FRACTION",
    "CharModel",
    "TextScore",
    "Vocab",
    "check_text_length",
    "min_text_length",
    "read_text_file",
    "split_point",
    "unigram_score",
]
