"""Daily prices from Yahoo Finance through the optional ``yfinance`` package.

``pip install 'lstmcast[yahoo]'`` installs it; nothing else in lstmcast needs it or
the network. The table comes back in the Yahoo CSV layout the rest of the package
reads (``Date,Open,High,Low,Close,Adj Close,Volume``), so a fetched file works with
``lstmcast backtest FILE.csv --target Close --features Volume,HighLow``.

Without yfinance, offline, or for a ticker Yahoo does not know, a ``FetchError``
says so in one line.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pandas as pd

from lstmcast.data.errors import DataError
from lstmcast.files import atomic_write

YAHOO_COLUMNS = ("Open", "High", "Low", "Close", "Adj Close", "Volume")
"""Columns of a Yahoo daily price CSV after ``Date``."""

INSTALL_HINT = "pip install 'lstmcast[yahoo]'"


class FetchError(DataError):
    """Prices could not be fetched (no yfinance, no network, unknown ticker), in one line."""


def fetch_prices(ticker: str, start=None, end=None) -> pd.DataFrame:
    """Download daily prices of ``ticker`` from Yahoo Finance.

    Parameters
    ----------
    ticker : str
        A Yahoo symbol such as ``"AAPL"`` or ``"^GSPC"``.
    start, end : date-like, optional
        First day, and the day after the last (Yahoo's ``end`` is exclusive).

    Returns
    -------
    pandas.DataFrame
        Columns ``Open, High, Low, Close, Adj Close, Volume`` (those Yahoo gave),
        indexed by a ``DatetimeIndex`` named ``Date``, sorted.

    Raises
    ------
    ValueError
        A bad ``ticker``, ``start`` or ``end``.
    FetchError
        yfinance is not installed, the download failed, or it returned no rows.
    """
    if not isinstance(ticker, str) or not ticker.strip() or any(c.isspace() for c in ticker.strip()):
        raise ValueError(f"ticker must be one symbol such as 'AAPL', got {ticker!r}")
    ticker = ticker.strip()
    first, last = _date(start, "start"), _date(end, "end")
    if first is not None and last is not None and last <= first:
        raise ValueError(f"end must be after start, got start={start!r}, end={end!r}")
    try:
        yfinance = importlib.import_module("yfinance")
    except ImportError:
        raise FetchError(f"fetching prices needs the optional yfinance package: {INSTALL_HINT}") from None
    try:
        raw = yfinance.download(ticker, start=first, end=last, auto_adjust=False, actions=False,
                                progress=False)
    except Exception as err:  # yfinance raises many kinds of errors when offline
        message = " ".join(str(err).split()) or type(err).__name__
        raise FetchError(f"could not download {ticker} from Yahoo Finance (offline?): {message}") from None
    if raw is None or len(raw) == 0:
        raise FetchError(f"Yahoo Finance returned no rows for {ticker} between {start or 'the start'} "
                         f"and {end or 'today'} (offline, or an unknown ticker?)")
    return _yahoo_layout(raw, ticker)


def write_prices(frame: pd.DataFrame, path) -> Path:
    """Write ``frame`` as a Yahoo-style CSV through a temporary file; returns the path."""
    return atomic_write(path, lambda tmp: frame.to_csv(tmp, index_label="Date", date_format="%Y-%m-%d"))


def _yahoo_layout(raw: pd.DataFrame, ticker: str) -> pd.DataFrame:
    frame = raw.copy()
    if isinstance(frame.columns, pd.MultiIndex):  # newer yfinance: (field, ticker) columns
        frame.columns = frame.columns.get_level_values(0)
    columns = [c for c in YAHOO_COLUMNS if c in frame.columns]
    if "Close" not in columns:
        raise FetchError(f"Yahoo Finance gave no Close column for {ticker} (columns: {', '.join(map(str, frame.columns))})")
    frame = frame[columns]
    index = pd.DatetimeIndex(frame.index)
    if index.tz is not None:
        index = index.tz_localize(None)
    frame.index = index.normalize().rename("Date")
    frame = frame[~frame.index.duplicated(keep="last")].sort_index()
    return frame.dropna(how="all")


def _date(value, name: str):
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        stamp = None
    if stamp is None or pd.isna(stamp):
        raise ValueError(f"{name} must be a date such as 2018-01-31, got {value!r}")
    return stamp.strftime("%Y-%m-%d")
