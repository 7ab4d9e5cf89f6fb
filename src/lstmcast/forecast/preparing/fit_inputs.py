"""What ``fit`` reads before training: one series or many, the columns known in advance, and for one
series its table (derived price and calendar features), checked and taken as a panel of one."""

from __future__ import annotations

from dataclasses import dataclass

from ...data.features import columns_of, read_with_features
from ...data.panel import Panel
from ...data.series_panel import panel_of_series
from ...data.tables import SeriesTable, choose_target
from .known import FutureSpec, columns_read, future_spec, with_calendar
from .resume_data import check_same_data
from .windowing import check_window_rows

__all__ = ["FitInputs", "data_future", "fit_inputs", "static_names"]


def static_names(static_features, one_series: bool) -> tuple[str, ...]:
    """``static_features`` (None, a name or names) as a tuple; refused for one series."""
    names = () if static_features is None else (static_features,) if isinstance(static_features, str) \
        else tuple(static_features)
    if names and one_series:
        raise ValueError("static_features hold one value per series: they are for a long table of many series")
    if len(set(names)) != len(names):
        raise ValueError(f"static_features repeats a name: {list(names)!r}")
    return names


@dataclass(frozen=True)
class FitInputs:
    """The data a fit trains on: ``data`` (a Panel for one series, else as given), the table of a
    one-series fit (None for many), and the columns known in advance."""

    data: object
    table: SeriesTable | None
    future: FutureSpec
    features: list | None


def data_future(future_features, data, date_column: str | None) -> FutureSpec:
    """``future_features`` split against the columns of ``data`` (see
    :func:`~lstmcast.forecast.preparing.known.future_spec`)."""
    available = data.columns if isinstance(data, Panel) else columns_of(data, date_column) or ()
    return future_spec(future_features, available)


def fit_inputs(fc, data, one_series: bool, target, features, date_column, fill, freq, resume: bool,
               future_features) -> FitInputs:
    """Read what ``fc.fit`` trains on. One series: its table with the past features, the data columns
    known in advance and the calendar's (``resume``: the fitted table's columns, ``data`` checked to be
    the fitted data, or the fitted table itself when ``data`` is None), its length checked, as a panel of
    one. Many: ``data`` as given (the panel fit reads it).
    """
    if resume:
        future = fc.__dict__.get("future_") or FutureSpec()
    else:
        future = data_future(future_features, data, date_column)
    if not one_series:
        return FitInputs(data, None, future, features)
    if resume:
        target, features = fc.target_, columns_read(fc.features_, future.derived)
    else:
        features = [*((features,) if isinstance(features, str) else features or ()), *future.columns]
    table = fc.table_ if resume and data is None else with_calendar(read_with_features(
        data, choose_target(data, target, date_column), features, date_column, fill, freq), future.calendar)
    if resume:
        check_same_data(table, fc.table_)  # named by date, before any training
    check_window_rows(table, fc.look_back, fc.horizon, fc.target_transform)
    return FitInputs(panel_of_series(table), table, future, features)
