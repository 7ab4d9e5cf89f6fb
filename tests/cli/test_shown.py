"""Text from data on the terminal: control characters escaped, markup never read, long lists cut."""

import pandas as pd
import pytest

from lstmcast.cli import main
from lstmcast.cli.shown import LINE_LIMIT, cap_lists, one_line, printable

from ..conftest import seasonal_panel

TINY = ["--look-back", "6", "--horizon", "3", "--hidden", "4", "--epochs", "2", "--quiet", "--no-strong"]
RED = "\x1b[31m"


def test_printable_escapes_control_and_direction_characters():
    assert printable("a\x1b[31mb\rc\u202ed") == "a\\x1b[31mb\\rc\\u202ed"
    assert printable("plain text, é and 日本") == "plain text, é and 日本"
    assert printable("two\nlines\tand\x07", keep="\n\t") == "two\nlines\tand\\x07"


def test_long_lists_are_cut_to_ten_names_and_the_line_to_its_limit():
    names = ", ".join(f"c{i}" for i in range(100_001))
    line = cap_lists(f"x.csv: no column 'y' (target); available columns: {names}; pass --target")
    assert line == ("x.csv: no column 'y' (target); available columns: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9 "
                    "and 99991 more; pass --target")
    assert cap_lists("a, b, c") == "a, b, c"
    assert len(cap_lists("x" * 10 * LINE_LIMIT)) < LINE_LIMIT + 50
    assert one_line(f"two\nlines {RED}") == "two lines \\x1b[31m"


@pytest.fixture(scope="module")
def forged(tmp_path_factory):
    """A one-series CSV whose target column is named with an escape sequence and rich markup."""
    path = tmp_path_factory.mktemp("shown") / "forged.csv"
    dates = pd.date_range("2020-01-01", periods=60, freq="D")
    pd.DataFrame({"date": dates, f"y{RED}[bold]": range(60)}).to_csv(path, index=False)
    return path


def test_a_forged_target_name_is_shown_escaped_and_written_as_it_is(forged, tmp_path, capsys):
    out = tmp_path / "m"
    assert main(["train", str(forged), "--out", str(out), *TINY]) == 0
    assert main(["info", str(out)]) == 0
    assert main(["forecast", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "\x1b" not in printed and "y\\x1b[31m[bold]" in printed  # the markup shown, not read
    assert main(["forecast", str(out), "--out", str(tmp_path / "f.csv")]) == 0
    assert (tmp_path / "f.csv").read_text().splitlines()[0] == f"date,y{RED}[bold]"  # the CSV keeps the name


def test_an_error_naming_a_forged_column_is_one_escaped_line(forged, tmp_path, capsys):
    assert main(["train", str(forged), "--target", f"q{RED}", "--out", str(tmp_path / "m"), *TINY]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err and "q\\x1b[31m" in err


def test_forged_series_ids_are_escaped_in_the_panel_report_and_table(tmp_path, capsys):
    frame = seasonal_panel(n_series=3, lengths=[40, 40, 40])
    frame["unique_id"] = frame["unique_id"].map({"s0": f"s0{RED}", "s1": "[red]s1", "s2": "s2"})
    path = tmp_path / "panel.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "m"
    assert main(["train", str(path), "--id-column", "unique_id", "--out", str(out), *TINY]) == 0
    assert main(["forecast", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "\x1b" not in printed and "s0\\x1b[31m" in printed and "[red]s1" in printed
