"""The header checks: separator, encoding, duplicate names; CsvFile reads other dialects."""

import numpy as np
import pandas as pd
import pytest

from lstmcast.data import CsvFile, DataError, read_series
from lstmcast.data.tables import choose_target


def test_a_semicolon_file_says_which_separator_it_found(tmp_path):
    path = tmp_path / "semi.csv"
    path.write_text("Month;Passengers\n1949-01;112\n1949-02;118\n1949-03;132\n")
    with pytest.raises(DataError, match=r"^semi\.csv: the header reads as one column 'Month;Passengers' with ',' "
                                        r"between fields, but it holds 1 semicolons: pass sep=';'$"):
        read_series(path, "Passengers")
    table = read_series(CsvFile(path, sep=";"), "Passengers")
    np.testing.assert_array_equal(table.target_values, [112, 118, 132])


def test_a_tab_file_says_tabs(tmp_path):
    path = tmp_path / "tabs.tsv"
    path.write_text("date\ty\tz\n2020-01-01\t1\t2\n")
    with pytest.raises(DataError, match=r"holds 2 tabs: pass sep='\\t'$"):
        read_series(path, "y")


def test_a_latin1_file_says_encoding_and_where(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("date,temp\n2020-01-01,1\n2020-01-02,2\n2020-01-03,3\n# caf\xe9\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"^latin\.csv: not UTF-8 text: byte 0xe9 on line 5 is not valid UTF-8; "
                                        r".*pass encoding='latin-1' or encoding='cp1252'$"):
        read_series(path, "temp")
    header = tmp_path / "header.csv"
    header.write_bytes("date,Température\n2020-01-01,1\n2020-01-02,2\n2020-01-03,3\n".encode("latin-1"))
    table = read_series(CsvFile(header, encoding="latin-1"), "Température")
    np.testing.assert_array_equal(table.target_values, [1, 2, 3])


def test_duplicate_column_names_are_refused_in_files_and_frames(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("date,y,x,y\n2020-01-01,1,2,3\n")
    with pytest.raises(DataError, match=r"^dup\.csv: column name 'y' appears twice \(columns 2 and 4\)"):
        read_series(path, "y")
    frame = pd.DataFrame([[1.0, 2.0]], columns=["y", "y"], index=pd.DatetimeIndex(["2020-01-01"], name="date"))
    with pytest.raises(DataError, match=r"^DataFrame: column name 'y' appears twice \(columns 1 and 2\)"):
        read_series(frame, "y")


def test_a_wrong_date_column_is_named_not_the_target(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("when,y\n2020-01-01,1\n")
    with pytest.raises(DataError, match=r"^two\.csv: no column 'Date' \(date_column\); available columns: when, y$"):
        choose_target(path, None, "Date")
    assert choose_target(path, None, "when") == "y"


def test_a_value_column_without_a_header_is_named_by_its_file(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text('"Month",""\n1949-01,112\n1949-02,118\n')
    with pytest.raises(DataError, match=r"^blank\.csv: the column to forecast has an empty header"):
        choose_target(path, None, None)


def test_bad_csv_settings_are_value_errors():
    with pytest.raises(ValueError, match="sep must be one character"):
        CsvFile("x.csv", sep=";;")
    with pytest.raises(ValueError, match="encoding='klingon' is not an encoding Python knows"):
        CsvFile("x.csv", encoding="klingon")
