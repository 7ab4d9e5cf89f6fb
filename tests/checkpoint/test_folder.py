"""Replacing a model folder: crash between the renames, concurrent savers, leftovers, permissions."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from lstmcast.checkpoint import CheckpointError, folder_lock, load_checkpoint, save_checkpoint


def save(directory, version):
    return save_checkpoint(directory, kind="forecaster", config={"version": version},
                           weights={"w": np.full(4, float(version))})


def run_python(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args],
                          capture_output=True, text=True, timeout=120)


KILLED_BETWEEN_RENAMES = """
    import os, sys
    import numpy as np
    from lstmcast.checkpoint import save_checkpoint
    real = os.rename
    def rename(source, destination):
        real(source, destination)
        if ".old-" in os.path.basename(destination):
            os._exit(9)  # killed right after moving the old model aside
    os.rename = rename
    save_checkpoint(sys.argv[1], kind="forecaster", config={"version": 2}, weights={"w": np.full(4, 2.0)})
"""


def test_a_save_killed_between_the_renames_is_read_by_the_next_load_which_writes_nothing(tmp_path):
    model = tmp_path / "model"
    save(model, 1)
    result = run_python(KILLED_BETWEEN_RENAMES, str(model))
    assert result.returncode == 9
    leftover = sorted(os.listdir(tmp_path))
    assert "model" not in leftover and any(name.startswith(".model.old-") for name in leftover)
    before = {name: os.lstat(tmp_path / name).st_mtime_ns for name in leftover}
    assert load_checkpoint(model).config == {"version": 1}  # the old model, read where it is
    assert {name: os.lstat(tmp_path / name).st_mtime_ns for name in os.listdir(tmp_path)} == before


def test_a_save_killed_between_the_renames_is_recovered_by_the_next_save(tmp_path):
    model = tmp_path / "model"
    save(model, 1)
    assert run_python(KILLED_BETWEEN_RENAMES, str(model)).returncode == 9
    save(model, 3)
    assert load_checkpoint(model).config == {"version": 3}
    assert sorted(os.listdir(tmp_path)) == ["model"]  # the killed save's temporaries are gone too


def test_a_second_writer_is_refused_while_the_first_holds_the_folder(tmp_path):
    model = tmp_path / "model"
    save(model, 1)
    with folder_lock(model):
        with pytest.raises(CheckpointError, match="being written by another lstmcast process .pid \\d+. right now"):
            save(model, 2)
    assert load_checkpoint(model).config == {"version": 1}
    save(model, 3)  # the lock is released and its file removed
    assert load_checkpoint(model).config == {"version": 3}
    assert sorted(os.listdir(tmp_path)) == ["model"]


HOLD_THE_LOCK = """
    import pathlib, sys
    from lstmcast.checkpoint import folder_lock
    with folder_lock(pathlib.Path(sys.argv[1])):
        print("locked", flush=True)
        sys.stdin.read()  # until the test closes our stdin
"""


def test_two_processes_saving_to_one_folder_one_is_told(tmp_path):
    model = tmp_path / "model"
    save(model, 1)
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(HOLD_THE_LOCK), str(model)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(CheckpointError, match=f"pid {holder.pid}"):
            save(model, 2)
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    assert load_checkpoint(model).config == {"version": 1}
    save(model, 2)
    assert load_checkpoint(model).config == {"version": 2}


def test_stale_temporaries_are_cleaned_and_live_ones_kept(tmp_path):
    model = tmp_path / "model"
    save(model, 1)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    stale_tmp = tmp_path / f".model.tmp-{dead}-0a0b0c0d"
    stale_old = tmp_path / f".model.old-{dead}-0a0b0c0d"
    live_tmp = tmp_path / ".model.tmp-1-0a0b0c0d"  # pid 1 always runs: a save in progress
    for folder in (stale_tmp, stale_old, live_tmp):
        folder.mkdir()
        (folder / "config.json").write_text("{}")
    save(model, 2)
    assert sorted(os.listdir(tmp_path)) == [live_tmp.name, "model"]


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_array_files_get_the_permissions_of_the_json(tmp_path, umask):
    previous = os.umask(umask)
    try:
        model = save_checkpoint(tmp_path / "model", kind="forecaster", config={},
                                weights={"w": np.zeros(2)}, optimizer=({"m": np.zeros(2)}, {}),
                                training_state={}, resume_arrays={"r": np.zeros(2)})
    finally:
        os.umask(previous)
    modes = {path.name: path.stat().st_mode & 0o777 for path in model.iterdir()}
    assert set(modes.values()) == {0o666 & ~umask}, modes


def test_unreadable_weights_say_permission_denied(tmp_path, monkeypatch):
    model = save(tmp_path / "model", 1)
    (model / "weights.safetensors").chmod(0)
    if os.geteuid() == 0:  # root reads every file: make open() refuse as it would anyone else
        real_open = os.open

        def refusing_open(file, *args, **kwargs):
            if str(file).endswith("weights.safetensors"):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(os, "open", refusing_open)
    with pytest.raises(CheckpointError, match="weights.safetensors cannot be read: Permission denied"):
        load_checkpoint(model)


def test_a_link_planted_at_the_lock_name_is_refused_and_its_target_untouched(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / ".model.lock").symlink_to(victim)
    with pytest.raises(CheckpointError, match=r"\.model\.lock is not a lock file lstmcast wrote \(it is a symbolic link\)"):
        save(tmp_path / "model", 1)
    assert victim.read_text() == "precious" and not (tmp_path / "model").exists()


def test_a_fifo_planted_at_the_lock_name_is_refused_without_hanging(tmp_path):
    os.mkfifo(tmp_path / ".model.lock")
    with pytest.raises(CheckpointError, match="is not a lock file lstmcast wrote .it is not a regular file."):
        save(tmp_path / "model", 1)


def test_a_lock_left_by_a_killed_save_is_replaced_not_written_into(tmp_path):
    other_name = tmp_path / "notes.txt"  # a hard link: what is written into the lock shows here
    other_name.write_text("999999")
    os.link(other_name, tmp_path / ".model.lock")
    save(tmp_path / "model", 1)
    assert load_checkpoint(tmp_path / "model").config == {"version": 1}
    assert other_name.read_text() == "999999"
    assert sorted(os.listdir(tmp_path)) == ["model", "notes.txt"]


def test_a_load_of_a_missing_model_never_writes_through_a_planted_lock(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / ".model.lock").symlink_to(victim)
    with pytest.raises(CheckpointError, match="model directory .*model does not exist"):
        load_checkpoint(tmp_path / "model")
    assert victim.read_text() == "precious"
    assert sorted(os.listdir(tmp_path)) == [".model.lock", "victim.txt"]


def test_a_load_waits_for_a_save_in_progress_reading_its_lock_only(tmp_path):
    model = tmp_path / "model"
    save(model, 1)
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(HOLD_THE_LOCK), str(tmp_path / "missing")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        lock = tmp_path / ".missing.lock"
        before = lock.read_text()
        import lstmcast.checkpoint.locking as folder

        waited = folder.LOCK_WAIT_SECONDS
        folder.LOCK_WAIT_SECONDS = 0.2
        try:
            with pytest.raises(CheckpointError, match="being written by another lstmcast process right now"):
                load_checkpoint(tmp_path / "missing")
        finally:
            folder.LOCK_WAIT_SECONDS = waited
        assert lock.read_text() == before == str(holder.pid)
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)


@pytest.mark.parametrize("given, message", [
    ("", "cannot save a model to an empty folder name"),
    (".", "cannot save a model to '.': give a folder name, such as 'model'"),
    ("..", "cannot save a model to '..': give a folder name"),
    ("sub/..", "cannot save a model to 'sub/..'"),
])
def test_a_path_with_no_folder_name_is_refused_before_any_work(tmp_path, monkeypatch, given, message):
    from lstmcast.checkpoint import check_writable

    monkeypatch.chdir(tmp_path)
    with pytest.raises(CheckpointError, match=message):
        check_writable(given)
    if given:
        with pytest.raises(CheckpointError, match=message.split(":")[0]):
            save(given, 1)
    assert os.listdir(tmp_path) == []


def test_train_out_dot_fails_at_once_not_after_training(tmp_path, monkeypatch, capsys):
    from lstmcast import Forecaster
    from lstmcast.cli import main
    from lstmcast.data.datasets import dataset_path

    def never(*args, **kwargs):
        raise AssertionError("trained before checking --out")

    monkeypatch.setattr(Forecaster, "fit", never)
    monkeypatch.chdir(tmp_path)
    assert main(["train", str(dataset_path("airline")), "--out", ".", "--look-back", "6", "--horizon", "3",
                 "--hidden", "4", "--epochs", "2", "--quiet", "--no-strong"]) == 2
    assert "cannot save a model to '.'" in capsys.readouterr().err
    assert os.listdir(tmp_path) == []


def test_a_planted_lock_link_is_refused_before_any_work(tmp_path):
    from lstmcast.checkpoint import check_writable

    (tmp_path / ".model.lock").symlink_to(tmp_path / "victim")
    with pytest.raises(CheckpointError, match=r"\.model\.lock is not a lock file lstmcast wrote \(it is a symbolic link\)"):
        check_writable(tmp_path / "model")
    assert not (tmp_path / "victim").exists()


def test_an_unreadable_existing_lock_says_why_naming_it(tmp_path, monkeypatch):
    (tmp_path / ".model.lock").write_text("1")
    real_open = os.open

    def refusing(path, flags, *args):
        if str(path).endswith(".model.lock") and not flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refusing)
    with pytest.raises(PermissionError) as caught:
        save(tmp_path / "model", 1)
    assert caught.value.filename == str(tmp_path / ".model.lock")
