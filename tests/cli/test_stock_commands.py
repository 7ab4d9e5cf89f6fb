"""``lstmcast backtest | tune | fetch`` through the real dispatcher; the network is never reached."""

import sys
import types

import matplotlib.image
import numpy as np
import pandas as pd
import pytest

from lstmcast.cli import main
from lstmcast.cli.stock_commands import parse_int_list
from lstmcast.data import dataset_path, read_series
from lstmcast.data.positions import read_position
from lstmcast.forecast.forecaster import Forecaster
from lstmcast.plots.backtest import plot_backtest

TINY = ["--look-back", "8", "--hidden", "4", "--epochs", "2", "--quiet"]


@pytest.fixture(scope="module")
def apple_csv(tmp_path_factory):
    """The last 200 trading days of the bundled Apple CSV, as a user's file."""
    path = tmp_path_factory.mktemp("data") / "aapl.csv"
    frame = pd.read_csv(dataset_path("apple"))
    frame.iloc[-200:].to_csv(path, index=False)
    return path


def test_backtest_prints_the_report_and_writes_files(apple_csv, tmp_path, capsys):
    out, plot = tmp_path / "forecasts.csv", tmp_path / "backtest.png"
    code = main(["backtest", str(apple_csv), "--target", "Close", "--features", "Volume,HighLow",
                 "--start", "-30", "--refit-every", "15", "--coverage", "0.8",
                 "--out", str(out), "--plot", str(plot), *TINY])
    printed = capsys.readouterr().out
    assert code == 0
    assert "30 origins" in printed and "2 fit(s)" in printed
    for row in ("LSTM", "naive", "seasonal naive", "drift", "MASE", "DirAcc"):
        assert row in printed
    assert "80% intervals held" in printed and ("lower than naive" in printed or "NOT beat naive" in printed)
    forecasts = pd.read_csv(out)
    assert len(forecasts) == 30
    assert {"origin", "date", "step", "actual", "forecast", "lower", "upper", "naive", "fitted_until"} <= set(forecasts)
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    height, width = matplotlib.image.imread(plot).shape[:2]
    assert width > 1000 and height > 700
    assert (tmp_path / "backtest_calibration.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Winkler" in printed and "split" in printed  # the interval scores of the method used and of split
    # no temporary files
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backtest.png", "backtest_calibration.png", "forecasts.csv"]


def test_backtest_mistakes_exit_2_with_one_line(apple_csv, capsys):
    assert main(["backtest", str(apple_csv), "--target", "Close", "--features", "Sentiment", *TINY]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "no column 'Sentiment'" in err and "HighLow" in err
    assert main(["backtest", str(apple_csv), "--target", "Close", "--coverage", "1.5", *TINY]) == 2
    assert "--coverage must be in [0, 1)" in capsys.readouterr().err
    assert main(["backtest", str(apple_csv), "--target", "Close", "--start", "someday", *TINY]) == 2
    assert "start must be a row number, a fraction in (0, 1) or a date" in capsys.readouterr().err


def test_backtest_on_workers_runs_its_refits_there_and_one_fit_of_one_series_is_refused(apple_csv, tmp_path,
                                                                                        capsys):
    pytest.importorskip("distributed")
    assert main(["backtest", str(apple_csv), "--target", "Close", "--workers", "2", *TINY]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "--workers" in err and "--refit-every" in err
    here, there = tmp_path / "here.csv", tmp_path / "there.csv"
    for out, cluster in ((here, []), (there, ["--workers", "2"])):
        assert main(["backtest", str(apple_csv), "--target", "Close", "--start", "-20", "--refit-every", "10",
                     "--no-strong", "--out", str(out), *cluster, *TINY]) == 0
        assert "2 fit(s)" in capsys.readouterr().out
    # here the fits use every core, there one each: the same forecasts but for the last float bits
    np.testing.assert_allclose(pd.read_csv(here)["forecast"], pd.read_csv(there)["forecast"], rtol=1e-5)


def test_tune_prints_the_trials_and_the_winner(apple_csv, capsys):
    code = main(["tune", str(apple_csv), "--target", "Close", "--start", "-20", "--look-back", "5,10",
                 "--hidden", "3", "--epochs", "1", "--quiet"])
    printed = capsys.readouterr().out
    assert code == 0 and "2 trials" in printed
    best_line = next(line for line in printed.splitlines() if line.startswith("best: "))
    look_back = int(best_line.split("--look-back ")[1].split()[0])
    assert look_back in (5, 10) and "--hidden 3" in best_line
    assert main(["tune", str(apple_csv), "--target", "Close", "--look-back", "10,x"]) == 2
    assert "--look-back must be comma-separated positive integers" in capsys.readouterr().err


# ----------------------------------------------------------------------- fetch

def fake_yfinance(download):
    module = types.ModuleType("yfinance")
    module.download = download
    return module


def yahoo_frame():
    """What yfinance >= 0.2.5x returns: (field, ticker) columns, tz-naive dates."""
    dates = pd.DatetimeIndex(["2024-01-03", "2024-01-02", "2024-01-04"], name="Date")  # out of order
    fields = ["Adj Close", "Close", "High", "Low", "Open", "Volume"]
    values = np.arange(18, dtype=float).reshape(3, 6) + 10
    return pd.DataFrame(values, index=dates, columns=pd.MultiIndex.from_product([fields, ["AAPL"]]))


def test_fetch_writes_a_yahoo_csv(monkeypatch, tmp_path, capsys):
    calls = []

    def download(ticker, start, end, auto_adjust, actions, progress):
        calls.append((ticker, start, end, auto_adjust))
        return yahoo_frame()

    monkeypatch.setitem(sys.modules, "yfinance", fake_yfinance(download))
    out = tmp_path / "aapl.csv"
    assert main(["fetch", "AAPL", "--start", "2024-01-01", "--end", "2024-01-05", "--out", str(out)]) == 0
    assert calls == [("AAPL", "2024-01-01", "2024-01-05", False)]
    assert "wrote 3 rows of AAPL (2024-01-02 to 2024-01-04)" in capsys.readouterr().out
    lines = out.read_text().splitlines()
    assert lines[0] == "Date,Open,High,Low,Close,Adj Close,Volume"
    assert lines[1].startswith("2024-01-02,")
    table = read_series(out, "Close", ["Volume"])
    np.testing.assert_array_equal(table.target_values, yahoo_frame()[("Close", "AAPL")].sort_index().to_numpy())


@pytest.mark.parametrize("module, message", [
    (None, "needs the optional yfinance package: pip install 'lstmcast[yahoo]'"),
    (fake_yfinance(lambda *a, **k: (_ for _ in ()).throw(ConnectionError("Failed to resolve\nquery1.finance"))),
     "could not download AAPL from Yahoo Finance (offline?): Failed to resolve query1.finance"),
    (fake_yfinance(lambda *a, **k: pd.DataFrame()), "returned no rows for AAPL"),
])
def test_fetch_failures_exit_2_with_one_line(monkeypatch, tmp_path, capsys, module, message):
    monkeypatch.setitem(sys.modules, "yfinance", module)  # None: `import yfinance` raises ImportError
    out = tmp_path / "x.csv"
    assert main(["fetch", "AAPL", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and err.count("\n") == 0
    assert not out.exists()


def test_fetch_checks_its_arguments(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "yfinance", fake_yfinance(lambda *a, **k: yahoo_frame()))
    assert main(["fetch", "AAPL", "--start", "2024-02-01", "--end", "2024-01-01", "--out", str(tmp_path / "x.csv")]) == 2
    assert "end must be after start" in capsys.readouterr().err
    assert main(["fetch", "AA PL", "--out", str(tmp_path / "x.csv")]) == 2
    assert "ticker must be one symbol" in capsys.readouterr().err


# ---------------------------------------------------------------- small parts

def test_positions_and_lists():
    assert read_position("120") == 120 and read_position("-60") == -60
    assert read_position("0.8") == 0.8 and read_position("2022-02-10") == pd.Timestamp("2022-02-10")
    assert parse_int_list("10, 30,60", "--look-back") == [10, 30, 60]
    with pytest.raises(ValueError, match="--hidden must be comma-separated"):
        parse_int_list("", "--hidden")


def test_plot_step_is_checked(apple_csv, tmp_path):
    fc = Forecaster(look_back=8, horizon=2, hidden_size=4, epochs=1, verbose=False)
    result = fc.backtest(apple_csv, target="Close", start=-10, strong=False)
    with pytest.raises(ValueError, match=r"step must be an int in \[1, 2\], got 3"):
        plot_backtest(result, tmp_path / "x.png", step=3)
    assert plot_backtest(result, tmp_path / "step2.png", step=2).exists()
