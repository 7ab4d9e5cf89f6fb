"""``start`` / ``end``: one reading of rows, shares and dates, for one series and many, API and CLI alike."""

import pandas as pd
import pytest

from lstmcast.data.positions import position_row, read_position

DATES = pd.date_range("2020-01-01", periods=60, freq="D")


@pytest.mark.parametrize("value, row", [(10, 10), ("10", 10), (-12, 48), (" -12 ", 48), (-100, 0), (0.5, 30),
                                        ("0.5", 30), ("2020-01-31", 30), (pd.Timestamp("2020-01-31"), 30)])
def test_rows_shares_and_dates_read_the_same_from_python_and_text(value, row):
    assert position_row(value, 60, DATES) == row


def test_a_naive_date_on_zoned_dates_is_read_in_their_zone_and_the_reverse_is_refused():
    zoned = DATES.tz_localize("Europe/Paris")
    assert position_row("2020-01-31", 60, zoned) == 30
    assert position_row("2020-01-31T00:00+01:00", 60, zoned) == 30
    with pytest.raises(ValueError, match=r"start='2020-01-31T00:00\+01:00' has a time zone but the dates have none"):
        position_row("2020-01-31T00:00+01:00", 60, DATES)


@pytest.mark.parametrize("value, message", [
    ("abc", "start must be a row number, a fraction in (0, 1) or a date, got 'abc'"),
    (True, "start must be a row number, a fraction in (0, 1) or a date, got True"),
    (1.5, "start must be a share of the rows in (0, 1), a row or a date, got 1.5"),
    (float("nan"), "start must be a share of the rows in (0, 1), a row or a date, got nan"),
])
def test_what_is_no_position_is_one_message_naming_the_argument(value, message):
    with pytest.raises(ValueError) as caught:
        read_position(value)
    assert str(caught.value) == message


def test_a_date_for_integer_steps_is_refused():
    with pytest.raises(ValueError, match="the series count integer steps"):
        position_row("2020-01-01", 60, None)
    assert position_row(-5, 60, None) == 55
