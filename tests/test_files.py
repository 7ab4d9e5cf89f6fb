"""atomic_write: the file appears whole or not at all."""

import pytest

from lstmcast.files import atomic_write


def test_writes_and_replaces(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old")
    assert atomic_write(path, lambda tmp: tmp.write_text("new")) == path
    assert path.read_text() == "new" and [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old")

    def half_then_fail(tmp):
        tmp.write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(path, half_then_fail)
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_missing_folder_is_a_one_line_error(tmp_path):
    with pytest.raises(ValueError, match="cannot write .*: folder .* does not exist"):
        atomic_write(tmp_path / "nope" / "x.txt", lambda tmp: tmp.write_text("x"))
