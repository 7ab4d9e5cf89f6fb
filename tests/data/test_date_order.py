"""Dates such as 01/02/2020: day first when the numbers or the spacing say so, refused when they cannot tell."""

import pandas as pd
import pytest

from lstmcast.data import DataError, read_panel
from lstmcast.data.csvfile import CsvFile
from lstmcast.data.date_order import check_date_format, day_first
from lstmcast.data.tables import read_series


def csv(tmp_path, dates, name="data.csv"):
    path = tmp_path / name
    path.write_text("date,y\n" + "".join(f"{d},{k + 1}\n" for k, d in enumerate(dates)))
    return path


def test_day_first_dates_up_to_the_12th_are_read_day_first_by_their_spacing(tmp_path):
    table = read_series(csv(tmp_path, [f"{d:02d}/02/2020" for d in range(1, 13)]), "y")
    assert table.dates[0] == pd.Timestamp("2020-02-01") and table.dates[-1] == pd.Timestamp("2020-02-12")
    assert table.freq == "D"
    assert table.future_dates(1)[0] == pd.Timestamp("2020-02-13")  # was 2021-01-02


def test_month_first_dates_are_read_month_first_by_their_spacing(tmp_path):
    table = read_series(csv(tmp_path, [f"02/{d:02d}/2020" for d in range(1, 13)]), "y")
    assert table.dates[0] == pd.Timestamp("2020-02-01") and table.freq == "D"


def test_a_number_above_12_decides_the_order(tmp_path):
    days = read_series(csv(tmp_path, ["13/01/2020", "14/01/2020", "15/01/2020"]), "y")
    assert list(days.dates.day) == [13, 14, 15] and list(days.dates.month) == [1, 1, 1]
    months = read_series(csv(tmp_path, ["01/13/2020", "01/14/2020", "01/15/2020"]), "y")
    assert list(months.dates.day) == [13, 14, 15]


def test_dates_that_read_regularly_both_ways_are_refused_with_both_formats(tmp_path):
    path = csv(tmp_path, [f"01/{m:02d}/2020" for m in range(1, 13)])
    with pytest.raises(DataError, match=r"^data.csv: column 'date': '01/02/2020' reads day first as 2020-02-01 or "
                                        r"month first as 2020-01-02, and the dates cannot tell which \(both follow a "
                                        r"spacing, 'MS' and 'D'\): pass date_format='%d/%m/%Y' \(day first\) or "
                                        r"date_format='%m/%d/%Y' \(month first\)$"):
        read_series(path, "y")
    table = read_series(path, "y", date_format="%d/%m/%Y")
    assert table.freq == "MS" and table.dates[-1] == pd.Timestamp("2020-12-01")
    assert read_series(CsvFile(path, date_format="%m/%d/%Y"), "y").freq == "D"


def test_dates_that_follow_no_spacing_either_way_are_refused(tmp_path):
    with pytest.raises(DataError, match=r"neither follows a regular spacing\): pass date_format='%d.%m.%y'"):
        read_series(csv(tmp_path, ["01.02.20", "03.01.20", "07.11.20", "02.05.20"]), "y")


def test_a_date_not_in_the_given_format_is_named(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("date,y\n01/01/2020,1\n2020-01-02,2\n")
    with pytest.raises(DataError, match=r"^data.csv: column 'date' line 3: '2020-01-02' is not a date in "
                                        r"date_format='%d/%m/%Y'$"):
        read_series(CsvFile(path, date_format="%d/%m/%Y"), "y")


def test_the_order_is_decided_once_for_a_whole_panel(tmp_path):
    path = tmp_path / "p.csv"
    rows = [f"{s},{d:02d}/03/2021,{d}" for s in "ab" for d in range(1, 13)] + ["c,13/03/2021,1", "c,14/03/2021,2"]
    path.write_text("unique_id,ds,y\n" + "\n".join(rows) + "\n")
    panel = read_panel(path)
    assert panel.times("a")[0] == pd.Timestamp("2021-03-01") and panel.freq == "D"
    assert list(panel.times("c").day) == [13, 14]


def test_iso_dates_and_other_forms_are_left_to_pandas():
    assert day_first(pd.Series(["2020-01-02", "2020-01-03"]), "x") is None
    assert day_first(pd.Series(["Jan 2 2020"]), "x") is None
    assert day_first(pd.Series(["01/01/2020", "02/02/2020"]), "x") is False  # both orders agree


def test_date_format_must_be_a_format():
    assert check_date_format(None) is None and check_date_format("%Y-%m") == "%Y-%m"
    for bad in ("dd/mm/yyyy", 3):
        with pytest.raises(ValueError, match="date_format must be a strftime format"):
            check_date_format(bad)
    with pytest.raises(ValueError, match="date_format must be a strftime format"):
        CsvFile("x.csv", date_format="dd/mm")
