"""Truncated backpropagation through time: one long text read by B rows in chunks.

A *pass* over the training indices starts at a small random offset ``o`` (so chunk
boundaries move from pass to pass), cuts ``ids[o:]`` into ``rows`` contiguous rows
of equal length and reads them left to right, ``seq_len`` steps at a time::

    row 0:  [chunk 0][chunk 1][chunk 2] ...      targets: the same, one character later
    row 1:  [chunk 0][chunk 1][chunk 2] ...
    ...

Chunk ``k`` of every row starts where chunk ``k - 1`` ended, so the LSTM state
after one chunk is the right initial state for the next (``state``, carried here);
gradients stop at the chunk boundary. A new pass starts from a zero state. The
chunks are views into the index array: nothing is copied.
"""

from __future__ import annotations

import numpy as np


class ChunkStream:
    """Chunks ``(inputs, targets)``, each (rows, seq_len), and the state carried between them.

    Parameters
    ----------
    ids : int ndarray, shape (N,)
        The training text as character indices.
    batch_size : int
        Rows read in parallel; fewer when the text has fewer than
        ``batch_size * seq_len + 1`` characters.
    seq_len : int
        Steps per chunk (how far back gradients flow).

    Raises
    ------
    ValueError
        If ``ids`` has fewer than ``seq_len + 1`` entries (not one whole chunk).
    """

    def __init__(self, ids: np.ndarray, batch_size: int, seq_len: int) -> None:
        ids = np.asarray(ids)
        if ids.ndim != 1 or len(ids) < seq_len + 1:
            raise ValueError(
                f"ids must have at least seq_len + 1 = {seq_len + 1} entries, got {len(ids)}"
            )
        self.ids = ids
        self.seq_len = int(seq_len)
        self.rows = min(int(batch_size), (len(ids) - 1) // self.seq_len)
        self.max_offset = min(self.seq_len - 1, len(ids) - 1 - self.rows * self.seq_len)
        self.offset = 0
        self.chunk = 0
        self.chunks = 0  # chunks in the current pass; 0 before the first pass
        self.state: tuple[np.ndarray, np.ndarray] | None = None  # (h, c) after the last chunk
        self._inputs = self._targets = None

    @property
    def exhausted(self) -> bool:
        """True before the first pass and after the last chunk of a pass."""
        return self.chunk >= self.chunks

    def start_pass(self, rng: np.random.Generator) -> None:
        """Begin a new pass at a random offset drawn from ``rng``; the state is reset."""
        self._layout(int(rng.integers(0, self.max_offset + 1)))
        self.chunk = 0
        self.state = None

    def _layout(self, offset: int) -> None:
        usable = len(self.ids) - 1 - offset
        row_len = usable // self.rows
        self.offset = offset
        self.chunks = row_len // self.seq_len
        span = self.rows * row_len
        self._inputs = self.ids[offset : offset + span].reshape(self.rows, row_len)  # (rows, row_len)
        self._targets = self.ids[offset + 1 : offset + 1 + span].reshape(self.rows, row_len)  # (rows, row_len)

    def next_chunk(self) -> tuple[np.ndarray, np.ndarray]:
        """The next ``(inputs, targets)``, each a (rows, seq_len) view.

        Raises
        ------
        ValueError
            If the pass is exhausted (call :meth:`start_pass` first).
        """
        if self.exhausted:
            raise ValueError("the pass is exhausted: call start_pass(rng) first")
        cols = slice(self.chunk * self.seq_len, (self.chunk + 1) * self.seq_len)
        self.chunk += 1
        return self._inputs[:, cols], self._targets[:, cols]

    @property
    def chars_per_pass(self) -> int:
        """Characters predicted in one full pass (after :meth:`start_pass`)."""
        return self.rows * self.chunks * self.seq_len

    def reset(self) -> None:
        """Back to before the first pass: the next epoch starts a fresh one."""
        self.offset, self.chunk, self.chunks, self.state = 0, 0, 0, None

    # -- resumable position ----------------------------------------------------
    def position(self) -> dict:
        """Where the stream is, as JSON: ``{"offset", "chunk", "chunks", "rows", "seq_len"}``."""
        return {"offset": self.offset, "chunk": self.chunk, "chunks": self.chunks, "rows": self.rows,
                "seq_len": self.seq_len}

    def set_position(self, position: dict, state: tuple[np.ndarray, np.ndarray] | None) -> None:
        """Continue from a :meth:`position` (and the state carried at that point).

        Raises
        ------
        ValueError
            If the position does not fit this text and layout.
        """
        if (position["rows"], position["seq_len"]) != (self.rows, self.seq_len):
            raise ValueError(
                f"position was for {position['rows']} rows of seq_len {position['seq_len']}, "
                f"this stream has {self.rows} rows of seq_len {self.seq_len}"
            )
        offset, chunk, chunks = int(position["offset"]), int(position["chunk"]), int(position["chunks"])
        if chunks == 0:
            self.reset()
            return
        if not 0 <= offset <= self.max_offset:
            raise ValueError(f"offset {offset} does not fit a text of {len(self.ids)} characters")
        self._layout(offset)
        if self.chunks != chunks or not 0 <= chunk <= chunks:
            self.reset()
            raise ValueError(f"position {position} does not fit a text of {len(self.ids)} characters")
        self.chunk = chunk
        self.state = state
