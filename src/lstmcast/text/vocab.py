"""The character vocabulary: every distinct character of the training text, sorted.

Index ``i`` is the ``i``-th character in code-point order, so the same text always
gives the same vocabulary.  It is saved with the model (as one JSON string); a
character it does not hold is an error, never silently replaced.
"""

from __future__ import annotations

import numpy as np

MAX_SHOWN = 5  # unknown characters named in an error message


class Vocab:
    """A fixed set of characters and their indices.

    Parameters
    ----------
    chars : str
        The characters, each once; they are stored sorted by code point.

    Raises
    ------
    ValueError
        If ``chars`` is empty, not a string, or holds a character twice.
    """

    def __init__(self, chars: str) -> None:
        if not isinstance(chars, str) or not chars:
            raise ValueError(f"chars must be a non-empty string, got {chars!r}")
        ordered = "".join(sorted(set(chars)))
        if len(ordered) != len(chars):
            raise ValueError("chars must hold each character once")
        self.chars = ordered
        self._codes = _code_points(ordered)  # (V,) sorted uint32

    @classmethod
    def from_text(cls, text: str) -> "Vocab":
        """The vocabulary of every distinct character in ``text``.

        Raises
        ------
        ValueError
            If ``text`` is empty or not a string.
        """
        if not isinstance(text, str) or not text:
            raise ValueError("text must be a non-empty string")
        codes = np.unique(_code_points(text))  # (V,) sorted
        return cls(codes.astype("<u4").tobytes().decode("utf-32-le", errors="surrogatepass"))

    def __len__(self) -> int:
        return len(self.chars)

    def __contains__(self, char: str) -> bool:
        return isinstance(char, str) and len(char) == 1 and char in self.chars

    def __eq__(self, other) -> bool:
        return isinstance(other, Vocab) and other.chars == self.chars

    def __repr__(self) -> str:
        return f"Vocab({len(self)} characters)"

    def encode(self, text: str, what: str = "text") -> np.ndarray:
        """Indices of the characters of ``text``, shape (len(text),), dtype intp.

        Parameters
        ----------
        text : str
        what : str
            How the error message names ``text`` (``"prime"``, ``"text"``...).

        Raises
        ------
        ValueError
            Naming the characters of ``text`` that are not in the vocabulary.
        """
        if not isinstance(text, str):
            raise ValueError(f"{what} must be a string, got {type(text).__name__}")
        codes = _code_points(text)  # (N,)
        ids = np.searchsorted(self._codes, codes)  # (N,)
        ids = np.minimum(ids, len(self._codes) - 1)
        unknown = self._codes[ids] != codes
        if unknown.any():
            missing = sorted(set(text[i] for i in np.flatnonzero(unknown)))
            shown = ", ".join(repr(c) for c in missing[:MAX_SHOWN])
            more = f" and {len(missing) - MAX_SHOWN} more" if len(missing) > MAX_SHOWN else ""
            raise ValueError(
                f"{what} has characters that are not in the model's vocabulary: {shown}{more} "
                f"(the vocabulary holds the {len(self)} characters of the training text)"
            )
        return ids.astype(np.intp, copy=False)

    def decode(self, ids) -> str:
        """The string of the characters at ``ids`` (any integer sequence).

        Raises
        ------
        ValueError
            If an index is outside [0, len(vocab)).
        """
        ids = np.asarray(ids)
        if ids.size == 0:
            return ""
        if not np.issubdtype(ids.dtype, np.integer) or ids.min() < 0 or ids.max() >= len(self):
            raise ValueError(f"ids must be integers in [0, {len(self)})")
        return self._codes[ids.reshape(-1)].astype("<u4").tobytes().decode("utf-32-le", errors="surrogatepass")

    def to_dict(self) -> dict:
        """JSON-ready state: ``{"chars": "..."}``."""
        return {"chars": self.chars}

    @classmethod
    def from_dict(cls, state: dict) -> "Vocab":
        """Inverse of :meth:`to_dict`."""
        return cls(state["chars"])


def _code_points(text: str) -> np.ndarray:
    """Unicode code points of ``text``, shape (len(text),), dtype uint32."""
    return np.frombuffer(text.encode("utf-32-le", errors="surrogatepass"), dtype="<u4")
