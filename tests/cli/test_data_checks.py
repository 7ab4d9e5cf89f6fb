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


def test_ambiguous_dates_are_refused_with_the_flag_to_pass_and_read_with_it(tmp_path, capsys):
    path = tmp_path / "monthly.csv"
    dates = [f"01/{m:02d}/2020" for m in range(1, 13)]  # monthly day first, or daily month first
    pd.DataFrame({"date": dates, "y": np.arange(12.0) + 1}).to_csv(path, index=False)
    err = one_line_error(capsys, ["train", path, "--out", tmp_path / "m", *TINY])
    assert "pass --date-format %d/%m/%Y (day first) or --date-format %m/%d/%Y (month first)" in err
    assert not (tmp_path / "m").exists()
    argv = ["train", path, "--out", tmp_path / "m", *TINY, "--val-fraction", "0", "--date-format", "%d/%m/%Y"]
    assert main([str(a) for a in argv]) == 0
    capsys.readouterr()
    assert main(["forecast", str(tmp_path / "m"), str(path), "--date-format", "%d/%m/%Y", "--out", "-"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("2021-01-01")


def test_day_first_dates_are_read_day_first_when_the_spacing_says_so(tmp_path, capsys):
    path = tmp_path / "monthly.csv"
    dates = [f"01/{m:02d}/{y}" for y in (2019, 2020) for m in range(1, 13)]  # month first: no spacing
    pd.DataFrame({"date": dates, "y": np.arange(24.0) + 1}).to_csv(path, index=False)
    assert main([str(a) for a in ["train", path, "--out", tmp_path / "m", *TINY, "--val-fraction", "0"]]) == 0
    capsys.readouterr()
    assert main(["forecast", str(tmp_path / "m"), "--out", "-"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("2021-01-01")


def test_a_daily_model_refuses_monthly_data_naming_both_files(tmp_path, capsys):
    daily = daily_file(tmp_path / "daily.csv")
    assert main([str(a) for a in ["train", daily, "--out", tmp_path / "m", *TINY]]) == 0
    capsys.readouterr()
    monthly = tmp_path / "monthly.csv"
    pd.DataFrame({"date": pd.date_range("2015-01-01", periods=40, freq="MS").strftime("%Y-%m-%d"),
                  "y": np.arange(40.0)}).to_csv(monthly, index=False)
    for command in (["forecast", tmp_path / "m", monthly], ["evaluate", tmp_path / "m", monthly, "--no-strong"]):
        err = one_line_error(capsys, command)
        assert "monthly.csv: the dates are spaced 'MS', but the model was fitted on 'D' data (daily.csv)" in err


def test_resume_on_another_file_is_refused_naming_both(tmp_path, capsys):
    first = daily_file(tmp_path / "first.csv")
    second = daily_file(tmp_path / "second.csv", values=np.arange(60.0))
    assert main([str(a) for a in ["train", first, "--out", tmp_path / "m", *TINY]]) == 0
    capsys.readouterr()
    resume = ["--resume", "--epochs", "3", "--quiet", "--no-strong"]
    err = one_line_error(capsys, ["train", second, "--out", tmp_path / "m", *resume])
    assert "second.csv: resume continues the model fitted on first.csv, but column 'y' at 2020-01-01 holds 0, " \
           "not 10" in err
    assert main([str(a) for a in ["train", first, "--out", tmp_path / "m", *resume]]) == 0
