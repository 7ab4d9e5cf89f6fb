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


def test_a_link_planted_at_the_old_temporary_name_is_not_written_through(tmp_path):
    import os

    victim = tmp_path / "victim"
    victim.write_text("precious")
    (tmp_path / f".f.csv.tmp-{os.getpid()}").symlink_to(victim)  # the name it used to write to
    atomic_write(tmp_path / "f.csv", lambda tmp: tmp.write_text("forecast"))
    assert victim.read_text() == "precious"
    assert not (tmp_path / "f.csv").is_symlink() and (tmp_path / "f.csv").read_text() == "forecast"


def test_the_temporary_is_a_fresh_regular_file_with_an_unforeseeable_name(tmp_path):
    import os
    import stat

    seen = []

    def write(tmp):
        seen.append((tmp.name, os.lstat(tmp).st_mode))
        tmp.write_text("x")

    atomic_write(tmp_path / "out.txt", write)
    atomic_write(tmp_path / "out.txt", write)
    (first, mode), (second, _) = seen
    assert first != second and first.startswith(".out.txt.") and stat.S_ISREG(mode)
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_a_new_file_gets_the_permissions_the_umask_gives(tmp_path, umask):
    import os

    previous = os.umask(umask)
    try:
        atomic_write(tmp_path / "new.txt", lambda tmp: tmp.write_text("x"))
    finally:
        os.umask(previous)
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.parametrize("where, named", [("-", "standard output"), ("/dev/null", "/dev/null")])
def test_a_full_device_or_stdout_is_named_in_the_error(monkeypatch, where, named):
    import errno

    import lstmcast.files as files

    def full(source, sink):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.shutil, "copyfileobj", full)
    with pytest.raises(OSError, match="No space left on device") as caught:
        atomic_write(where, lambda tmp: tmp.write_text("x"))
    assert caught.value.filename == named


def test_an_empty_name_is_a_one_line_error():
    with pytest.raises(ValueError, match="cannot write to an empty file name"):
        atomic_write("", lambda tmp: tmp.write_text("x"))
