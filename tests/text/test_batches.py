"""TBPTT chunk streams: contiguous rows, targets one step ahead, resumable positions."""

import numpy as np
import pytest

from lstmcast.text.batches import ChunkStream


def _read_pass(stream):
    xs, ys = [], []
    while not stream.exhausted:
        x, y = stream.next_chunk()
        xs.append(x)
        ys.append(y)
    return np.concatenate(xs, axis=1), np.concatenate(ys, axis=1)


def test_chunks_continue_each_row_and_targets_are_the_next_character():
    ids = np.arange(1000)
    stream = ChunkStream(ids, batch_size=4, seq_len=10)
    stream.start_pass(np.random.default_rng(3))
    o = stream.offset
    assert 0 <= o <= 9
    x, y = _read_pass(stream)  # (rows, chunks * seq_len)
    row_len = (len(ids) - 1 - o) // 4
    assert x.shape == (4, (row_len // 10) * 10)
    for r in range(4):
        start = o + r * row_len
        assert np.array_equal(x[r], ids[start : start + x.shape[1]])  # one contiguous piece per row
    assert np.array_equal(y, x + 1)  # every target is the character after its input


def test_offsets_vary_between_passes_and_state_resets():
    stream = ChunkStream(np.arange(500), batch_size=2, seq_len=20)
    rng = np.random.default_rng(0)
    offsets = set()
    for _ in range(10):
        stream.start_pass(rng)
        assert stream.state is None
        offsets.add(stream.offset)
        stream.state = "carried"
    assert len(offsets) > 1 and max(offsets) <= 19


def test_a_short_text_gets_fewer_rows_and_too_short_is_refused():
    stream = ChunkStream(np.arange(25), batch_size=8, seq_len=10)
    assert stream.rows == 2
    stream.start_pass(np.random.default_rng(0))
    assert stream.chars_per_pass == 20
    assert ChunkStream(np.arange(11), batch_size=8, seq_len=10).rows == 1
    with pytest.raises(ValueError, match="at least seq_len \\+ 1 = 11 entries"):
        ChunkStream(np.arange(10), batch_size=8, seq_len=10)


def test_position_round_trip_continues_with_the_same_chunks():
    ids = np.arange(400)
    a = ChunkStream(ids, batch_size=3, seq_len=7)
    a.start_pass(np.random.default_rng(5))
    a.next_chunk()
    a.next_chunk()
    b = ChunkStream(ids, batch_size=3, seq_len=7)
    b.set_position(a.position(), state=None)
    for _ in range(4):
        xa, ya = a.next_chunk()
        xb, yb = b.next_chunk()
        assert np.array_equal(xa, xb) and np.array_equal(ya, yb)
    with pytest.raises(ValueError, match="does not fit"):
        ChunkStream(np.arange(100), batch_size=3, seq_len=7).set_position(a.position(), None)
    with pytest.raises(ValueError, match="this stream has 2 rows of seq_len 7"):
        ChunkStream(ids, batch_size=2, seq_len=7).set_position(a.position(), None)
