"""A panel's dates and numbers parsed once for the whole table; a bad series is still named."""

import numpy as np
import pandas as pd
import pytest

from lstmcast.data import DataError, read_panel


def long_file(tmp_path, n_series=5, rows=20):
    dates = pd.date_range("2021-01-01", periods=rows, freq="D").strftime("%Y-%m-%d")
    frame = pd.DataFrame({"unique_id": np.repeat([f"s{k}" for k in range(n_series)], rows),
                          "ds": np.tile(dates, n_series), "y": np.arange(n_series * rows, dtype=float) + 1.0})
    path = tmp_path / "long.csv"
    frame.sample(frac=1.0, random_state=0).to_csv(path, index=False)
    return path


def test_dates_are_parsed_once_for_every_series(tmp_path, monkeypatch):
    from lstmcast.data import dates

    calls = []
    parse = dates.parse_dates
    monkeypatch.setattr(dates, "parse_dates", lambda *a, **k: calls.append(1) or parse(*a, **k))
    panel = read_panel(long_file(tmp_path))
    assert len(calls) == 1 and len(panel) == 5


def test_the_whole_table_and_series_by_series_read_the_same(tmp_path, monkeypatch):
    import lstmcast.data.panel as panel_module

    path = long_file(tmp_path)
    fast = read_panel(path)
    monkeypatch.setattr(panel_module, "read_cells", lambda *a, **k: None)  # every series on its own
    slow = read_panel(path)
    pd.testing.assert_frame_equal(fast.frame, slow.frame, check_exact=True)
    assert fast.ids == slow.ids and fast.freq == slow.freq == "D"


def test_a_series_whose_values_barely_differ_is_named_though_the_column_spreads(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("unique_id,ds,y\na,2021-01-01,1\na,2021-01-02,2\nb,2021-01-01,1e-310\nb,2021-01-02,2e-310\n")
    with pytest.raises(DataError, match=r"^p.csv: series 'b': column 'y': its values differ by only 1e-310"):
        read_panel(path)
