"""What the commands refuse about the data before training: one line, exit status 2, nothing written."""

import numpy as np
import pandas as pd

from lstmcast.cli import main

TINY = ["--look-back", "6", "--horizon", "3", "--hidden", "4", "--epochs", "2", "--quiet", "--no-strong"]


def one_line_error(capsys, argv, status=2):
    assert main([str(a) for a in argv]) == status
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def daily_file(path, n=60, values=None):
    dates = pd.date_range("2020-01-01", periods=n, freq="D").strftime("%Y-%m-%d")
    values = 10 + np.sin(np.arange(n) / 3) if values is None else values
    pd.DataFrame({"date": dates, "y": values}).to_csv(path, index=False)
    return path


def test_train_refuses_windows_beyond_the_available_memory(tmp_path, capsys, monkeypatch):
    from lstmcast.data import windows

    monkeypatch.setattr(windows, "available_memory", lambda: 10**6)
    monkeypatch.setattr(windows, "CHECK_FROM", 0)
    data = daily_file(tmp_path / "big.csv", n=3000)
    out = tmp_path / "model"
    err = one_line_error(capsys, ["train", data, "--out", out, "--look-back", "1000", "--horizon", "3", "--hidden", "4",
                                  "--epochs", "1", "--quiet", "--no-strong"])
    assert "big.csv: 1,998 windows of --look-back = 1000 rows x 1 column(s) need about 48.0 MB of memory, more " \
           "than the 1.0 MB available" in err
    assert not out.exists()


def test_train_refuses_a_huge_value_naming_the_line(tmp_path, capsys):
    values = 10 + np.sin(np.arange(60) / 3)
    values[30] = 1e308
    err = one_line_error(capsys, ["train", daily_file(tmp_path / "huge.csv", values=values), "--out",
                                  tmp_path / "m", *TINY])
    assert "huge.csv: column 'y' line 32 (2020-01-31): 1e+308 is too large to scale" in err
    assert not (tmp_path / "m").exists()


def test_train_reads_a_unique_id_ds_y_file_as_a_panel_without_id_column(tmp_path, capsys):
    from lstmcast import Forecaster

    rows = [(name, f"2020-01-{day:02d}", 10 + k + np.sin(day)) for k, name in enumerate("ab") for day in range(1, 31)]
    path = tmp_path / "long.csv"
    pd.DataFrame(rows, columns=["unique_id", "ds", "y"]).to_csv(path, index=False)
    assert main([str(a) for a in ["train", path, "--out", tmp_path / "m", *TINY]]) == 0
    assert "2 series" in capsys.readouterr().out
    assert Forecaster.load(tmp_path / "m").panel_.ids == ("a", "b")
