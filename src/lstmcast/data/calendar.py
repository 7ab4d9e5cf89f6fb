"""Calendar inputs by name, computed from the dates alone, so they are known for any horizon.

==============  =========================  ===============================================
name            columns                    value at a date
==============  =========================  ===============================================
hour            hour_sin, hour_cos         the hour of the day on a circle of 24
dayofweek       dayofweek_sin, _cos        Monday 0 .. Sunday 6 on a circle of 7
dayofmonth      dayofmonth_sin, _cos       1 .. 31 on a circle of 31
month           month_sin, month_cos       1 .. 12 on a circle of 12
weekofyear      weekofyear_sin, _cos       ISO week 1 .. 53 on a circle of 53
dayofyear       dayofyear_sin, _cos        1 .. 366 on a circle of 365.25
holiday:CC      holiday:CC                 1 on a public holiday of country CC (``holiday:DE``),
                                           or of a subdivision (``holiday:US-CA``), else 0
==============  =========================  ===============================================

Each cyclic feature is a pair ``(sin(2 pi v / P), cos(2 pi v / P))``: the last hour of a day is
next to the first, as it is in time. Holidays come from the ``holidays`` package
(``pip install 'lstmcast[calendar]'``).

:data:`ENCODING` ``"onehot"`` gives each value of a cyclic feature a 0/1 column instead (``hour_0`` ..
``hour_23``): the first layer's weights on them are the value's learned vector, an embedding. The
encodings were compared on validation (``benchmarks/bike.py`` and ``benchmarks/epf.py``, ``--calendar-encoding``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lstmcast.data.errors import DataError

__all__ = ["CYCLES", "calendar_columns", "calendar_values", "check_calendar_names", "is_calendar_name"]

CYCLES = {"hour": 24.0, "dayofweek": 7.0, "dayofmonth": 31.0, "month": 12.0, "weekofyear": 53.0,
          "dayofyear": 365.25}
"""Cyclic calendar features and their periods."""

HOLIDAY = "holiday:"

ENCODINGS = ("cyclic", "onehot")
ENCODING = "cyclic"
"""How a cyclic feature is encoded: a sine/cosine pair, or one 0/1 column per value (see above)."""

FIRST_VALUE = {"hour": 0, "dayofweek": 0, "dayofmonth": 1, "month": 1, "weekofyear": 1, "dayofyear": 1}
"""The first value of each cyclic feature (its one-hot columns run from it over its period)."""


def _values_of(name: str) -> range:
    return range(FIRST_VALUE[name], FIRST_VALUE[name] + int(np.ceil(CYCLES[name])))


def is_calendar_name(name: str) -> bool:
    """Whether ``name`` is a calendar feature (see the table above)."""
    return name in CYCLES or (isinstance(name, str) and name.startswith(HOLIDAY))


def check_calendar_names(names) -> tuple[str, ...]:
    """``names`` as a tuple, each checked: a holiday's country code exists in the ``holidays`` package.

    Raises
    ------
    ValueError
        An unknown name, or ``holidays`` missing or without that country.
    """
    names = tuple(names)
    for name in names:
        if not is_calendar_name(name):
            raise ValueError(f"{name!r} is not a calendar feature; known: {', '.join(CYCLES)}, holiday:CC")
        if name.startswith(HOLIDAY):
            _holiday_calendar(name, [2000])
    return names


def calendar_columns(names) -> list[str]:
    """The columns calendar features ``names`` make, in order."""
    columns = []
    for name in names:
        if name.startswith(HOLIDAY):
            columns.append(name)
        elif ENCODING == "onehot":
            columns.extend(f"{name}_{value}" for value in _values_of(name))
        else:
            columns.extend([f"{name}_sin", f"{name}_cos"])
    return columns


def calendar_values(names, dates, source: str = "data") -> np.ndarray:
    """The calendar columns (N, C) of ``names`` at ``dates`` (N,), float64.

    Raises
    ------
    DataError
        ``dates`` are not dates (integer steps have no calendar), naming ``source``.
    """
    if not isinstance(dates, pd.DatetimeIndex):
        raise DataError(f"{source}: calendar features ({', '.join(names)}) need dates; its times are steps")
    blocks = []
    for name in names:
        if name.startswith(HOLIDAY):
            days = dates.tz_localize(None).normalize() if dates.tz is not None else dates.normalize()
            known = _holiday_calendar(name, sorted(set(days.year)))
            blocks.append(np.array([day.date() in known for day in days], dtype=np.float64)[:, None])  # (N, 1)
            continue
        value = _cycle_value(name, dates)  # (N,)
        if ENCODING == "onehot":
            blocks.append((value[:, None] == np.array(_values_of(name))[None, :]).astype(np.float64))  # (N, P)
            continue
        angle = 2.0 * np.pi * value / CYCLES[name]
        blocks.append(np.stack([np.sin(angle), np.cos(angle)], axis=1))  # (N, 2)
    return np.concatenate(blocks, axis=1) if blocks else np.zeros((len(dates), 0))  # (N, C)


def _cycle_value(name: str, dates: pd.DatetimeIndex) -> np.ndarray:
    if name == "weekofyear":
        return dates.isocalendar().week.to_numpy(dtype=np.float64)
    return np.asarray(getattr(dates, {"dayofmonth": "day"}.get(name, name)), dtype=np.float64)


def _holiday_calendar(name: str, years):
    """The holidays package's calendar for ``holiday:CC`` or ``holiday:CC-SUB`` over ``years``."""
    try:
        import holidays
    except ImportError:
        raise ValueError(f"{name!r} needs the holidays package: pip install 'lstmcast[calendar]'") from None
    code = name[len(HOLIDAY):]
    country, _, subdivision = code.partition("-")
    try:
        return holidays.country_holidays(country, subdiv=subdivision or None, years=list(years))
    except (NotImplementedError, KeyError):
        raise ValueError(f"{name!r}: the holidays package knows no country {country!r}"
                         + (f" with subdivision {subdivision!r}" if subdivision else "")) from None
