"""--sep, --encoding, --fill from the command line, and messages in the flags' words."""

import pandas as pd
import pytest

from lstmcast.cli import main
from lstmcast.data.datasets import load_dataset

SMALL = ["--look-back", "12", "--horizon", "3", "--hidden", "4", "--epochs", "1", "--quiet"]


@pytest.fixture(scope="module")
def airline():
    return load_dataset("airline")


def test_semicolons_are_named_and_sep_reads_them(tmp_path, capsys, airline):
    path = tmp_path / "semi.csv"
    airline.to_csv(path, sep=";")
    assert main(["train", str(path), "--out", str(tmp_path / "m"), *SMALL]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "holds 1 semicolons: pass --sep ;" in err
    assert main(["train", str(path), "--sep", ";", "--out", str(tmp_path / "m"), *SMALL]) == 0
    assert (tmp_path / "m" / "weights.safetensors").exists()


def test_latin1_is_named_and_encoding_reads_it(tmp_path, capsys, airline):
    path = tmp_path / "latin.csv"
    airline.rename(columns={"Passengers": "Passagers été"}).to_csv(path, encoding="latin-1")
    assert main(["train", str(path), "--out", str(tmp_path / "m"), *SMALL]) == 2
    err = capsys.readouterr().err
    assert "latin.csv: not UTF-8 text: byte 0xe9 on line 1" in err and "pass --encoding latin-1" in err
    assert main(["train", str(path), "--encoding", "latin-1", "--out", str(tmp_path / "m"), *SMALL]) == 0


def test_a_wrong_date_column_is_about_the_date_column(tmp_path, capsys, airline):
    path = tmp_path / "a.csv"
    airline.to_csv(path)
    assert main(["train", str(path), "--date-column", "Datum", "--out", str(tmp_path / "m"), *SMALL]) == 2
    err = capsys.readouterr().err
    assert err == "lstmcast: error: a.csv: no column 'Datum' (--date-column); available columns: Month, Passengers\n"


def test_two_value_columns_ask_for_target_as_typed(tmp_path, capsys, airline):
    path = tmp_path / "two.csv"
    airline.assign(Other=1.0).to_csv(path)
    assert main(["train", str(path), "--out", str(tmp_path / "m"), *SMALL]) == 2
    assert "name the column to forecast with --target; columns: Passengers, Other" in capsys.readouterr().err


def test_missing_months_are_one_line_and_fill_repairs_them(tmp_path, capsys, airline):
    path = tmp_path / "gaps.csv"
    airline.drop(airline.index[3:140:4]).to_csv(path)
    assert main(["train", str(path), "--out", str(tmp_path / "m"), *SMALL]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "35 of 144 dates are missing" in err and "--fill ffill or --fill interpolate" in err
    assert main(["train", str(path), "--fill", "interpolate", "--out", str(tmp_path / "m"), *SMALL]) == 0
    assert main(["forecast", str(tmp_path / "m"), "--out", str(tmp_path / "f.csv")]) == 0
    dates = pd.read_csv(tmp_path / "f.csv", index_col=0, parse_dates=True).index
    assert list(dates) == list(pd.date_range("1961-01-01", periods=3, freq="MS"))


def test_a_few_missing_dates_are_a_one_line_warning(tmp_path, capsys, airline):
    path = tmp_path / "gap.csv"
    airline.drop(airline.index[[50]]).to_csv(path)
    assert main(["train", str(path), "--out", str(tmp_path / "m"), *SMALL]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and warnings[0].startswith("lstmcast: warning: gap.csv: 1 of 144 dates are missing")
    assert "--fill ffill" in warnings[0]


def test_evaluate_on_the_training_file_says_in_sample(tmp_path, capsys, airline):
    path = tmp_path / "a.csv"
    airline.to_csv(path)
    assert main(["train", str(path), "--out", str(tmp_path / "m"), *SMALL]) == 0
    capsys.readouterr()
    assert main(["evaluate", str(tmp_path / "m"), str(path)]) == 0
    assert "windows forecast rows the model was trained on" in " ".join(capsys.readouterr().out.split())
