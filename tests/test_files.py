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


def test_a_symlink_is_followed_and_its_target_written(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    atomic_write(link, lambda tmp: tmp.write_text("new"))
    assert link.is_symlink() and real.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.csv", "real.csv"]


def test_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "made.csv")
    atomic_write(link, lambda tmp: tmp.write_text("x"))
    assert link.is_symlink() and (tmp_path / "made.csv").read_text() == "x"


def test_an_existing_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old")
    path.chmod(0o600)
    atomic_write(path, lambda tmp: tmp.write_text("new"))
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_fifo_is_written_into_not_replaced(tmp_path):
    import os
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(open(fifo, "rb").read()))
    reader.start()
    atomic_write(fifo, lambda tmp: tmp.write_bytes(b"through the pipe"))
    reader.join(timeout=10)
    assert received == [b"through the pipe"]
    assert fifo.is_fifo()


def test_dev_null_is_written_into_not_replaced():
    import os

    before = os.stat("/dev/null")
    atomic_write("/dev/null", lambda tmp: tmp.write_text("gone"))
    after = os.stat("/dev/null")
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_dash_writes_to_standard_output(capfdbinary):
    atomic_write("-", lambda tmp: tmp.write_bytes(b"a,b\n1,2\n"))
    assert capfdbinary.readouterr().out == b"a,b\n1,2\n"


def test_a_failed_write_to_a_fifo_sends_nothing(tmp_path):
    import os

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def fail(tmp):
        tmp.write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):  # would block opening the FIFO if it got that far
        atomic_write(fifo, fail)
    assert fifo.is_fifo()


def test_a_folder_is_a_one_line_error(tmp_path):
    with pytest.raises(ValueError, match="is a folder"):
        atomic_write(tmp_path, lambda tmp: tmp.write_text("x"))


def test_dev_stdout_through_a_pipe_is_written_and_the_link_kept():
    import os
    import subprocess
    import sys

    code = "from lstmcast.files import atomic_write; atomic_write('/dev/stdout', lambda tmp: tmp.write_text('a,b\\n'))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "a,b\n"
    assert os.path.islink("/dev/stdout")
