"""`lstmcast text train | generate | demo` and their one-line errors."""

import pytest

from lstmcast.cli import main

from . import shakespeare_piece

SMALL = ["--hidden", "16", "--layers", "1", "--embedding", "8", "--seq-len", "16", "--batch-size", "8",
         "--epochs", "2", "--quiet"]


def _error(capsys, argv) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("lstmcast: error: ") and err.count("\n") == 1 and "Traceback" not in err
    return err


def test_train_then_generate(tmp_path, capsys):
    data = tmp_path / "plays.txt"
    data.write_text(shakespeare_piece()[:6000], encoding="utf-8")
    assert main(["text", "train", str(data), "--out", str(tmp_path / "model"), *SMALL]) == 0
    out = capsys.readouterr().out
    assert "bits/char" in out and "unigram baseline" in out and "model saved to" in out
    assert (tmp_path / "model" / "config.json").is_file()

    argv = ["text", "generate", str(tmp_path / "model"), "--prime", "First", "--length", "50", "--seed", "4"]
    assert main(argv) == 0
    first = capsys.readouterr().out
    assert first.startswith("First") and len(first) == len("First") + 50 + 1  # prime, sample, newline
    assert main(argv) == 0
    assert capsys.readouterr().out == first  # same seed, same text
    assert main([*argv[:-1], "5"]) == 0
    assert capsys.readouterr().out != first

    assert main(["text", "generate", str(tmp_path / "model"), "--length", "20", "--temperature", "0"]) == 0
    assert len(capsys.readouterr().out) == 1 + 20 + 1  # default prime: a newline

    err = _error(capsys, ["text", "generate", str(tmp_path / "model"), "--prime", "Chloë"])
    assert "prime has characters that are not in the model's vocabulary: 'ë'" in err
    err = _error(capsys, ["text", "generate", str(tmp_path / "model"), "--temperature", "-2"])
    assert "temperature must be a finite number >= 0, got -2.0" in err


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such file"),
        (b"", "is empty"),
        (b"hello\x00world" * 20, "looks binary, not text: it holds a NUL byte at byte offset 5"),
        (b"caf\xe9 au lait " * 20, "is not valid UTF-8 text: byte 0xe9 at byte offset 3"),
        (b"too short", "has 9 characters, too short for one training chunk: --seq-len 16 needs at least"),
    ],
)
def test_train_refuses_bad_files(tmp_path, capsys, content, message):
    path = tmp_path / "input.txt"
    if content is not None:
        path.write_bytes(content)
    err = _error(capsys, ["text", "train", str(path), "--out", str(tmp_path / "m"), *SMALL])
    assert str(path) in err and message in err
    assert not (tmp_path / "m").exists()


def test_bad_options_and_missing_model(tmp_path, capsys):
    data = tmp_path / "plays.txt"
    data.write_text(shakespeare_piece()[:3000], encoding="utf-8")
    err = _error(capsys, ["text", "train", str(data), "--out", str(tmp_path / "m"), *SMALL, "--lr", "-1"])
    assert "lr must be a positive number, got -1.0" in err
    err = _error(capsys, ["text", "generate", str(tmp_path / "missing")])
    assert "does not exist" in err
    err = _error(capsys, ["text", "demo", "--minutes", "0"])
    assert "--minutes must be a positive number" in err
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("keep me")
    err = _error(capsys, ["text", "train", str(data), "--out", str(tmp_path / "notes"), *SMALL])
    assert "holds files that are not part of a model (todo.txt)" in err
    assert (tmp_path / "notes" / "todo.txt").read_text() == "keep me"


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["text", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert all(name in out for name in ("train", "generate", "demo"))
    with pytest.raises(SystemExit):
        main(["text", "train", "--help"])
    out = capsys.readouterr().out
    assert "--minutes" in out and "--seq-len" in out and "FILE.txt" in out


def test_demo_reports_against_the_unigram_baseline_and_samples(tmp_path, capsys):
    assert main(["text", "demo", "--minutes", "0.01", "--quiet", "--out", str(tmp_path / "demo")]) == 0
    out = capsys.readouterr().out
    assert "time budget reached" in out
    baseline_row = next(line for line in out.splitlines() if "unigram baseline" in line)
    assert "3.347" in baseline_row  # nats/char of character frequencies on the last 10%
    assert "\nROMEO:" in out
    assert (tmp_path / "demo" / "weights.safetensors").is_file()
