"""A forecaster folder's settings read back with the checks of :class:`~lstmcast.checkpoint.entries.Entries`.

One-series and panel folders store the same kinds of values (scalers, splits,
frequencies, histories, validation errors); these readers check each against what a
save writes, so a forged folder gets one line naming the file and the key instead of
a traceback or a forecast built on a nonsense number.
"""

from __future__ import annotations

import pandas as pd

from ...checkpoint.entries import Entries
from ...data.calendar import check_calendar_names
from ..preparing.known import FutureSpec
from ..preparing.static import StaticSpec
from ...data.frequency import check_freq
from ...data.split import Split, split_rows
from ..combining.pool import CLASSICAL_MODELS
from ..combining.weights import COMBINE, LSTM

DATE_UNITS = ("s", "ms", "us", "ns")
"""The units a saved table's dates may have."""


def scaler_state(entries: Entries, key, n_features: int) -> dict:
    """The scaler state under ``key`` for ``n_features`` columns, as ``Scaler.to_dict`` writes it.

    ``standard``: ``mean`` and ``std >= 0``; ``minmax``: ``data_min <= data_max``;
    ``none``: ``n_features``. Every list has one number per column.
    """
    state = entries.child(key)
    kind = state.text("kind", choices=("standard", "minmax", "none"))
    if kind == "standard":
        state.numbers("mean", length=n_features)
        state.numbers("std", low=0, length=n_features)
    elif kind == "minmax":
        low = state.numbers("data_min", length=n_features)
        high = state.numbers("data_max", length=n_features)
        for i, (a, b) in enumerate(zip(low, high)):
            if a > b:
                raise state.error("data_max", b, f"a number >= data_min[{i}] = {a} at [{i}]")
    else:
        state.integer("n_features", low=n_features, high=n_features)
    return state.mapping


def freq(entries: Entries, key, steps: bool = False):
    """A pandas frequency alias (``None`` when the dates follow none); an int step too when ``steps``."""
    value = entries.get(key)
    if value is None or (steps and type(value) is int and value >= 1):
        return value
    try:
        if not isinstance(value, str):
            raise ValueError
        check_freq(value)
    except ValueError:
        raise entries.error(key, value, "a pandas frequency such as 'D', 'B', 'MS' or 'h', or null") from None
    return value


def date_unit(entries: Entries, key) -> str:
    """The unit of the saved dates."""
    return entries.text(key, choices=DATE_UNITS, default="ns")


def time_zone(entries: Entries, key) -> str | None:
    """A time-zone name pandas knows, or ``None``."""
    value = entries.text(key, default=None, none=True)
    if value:
        try:
            pd.Timestamp(0, tz="UTC").tz_convert(value)
        except Exception:  # pytz, zoneinfo and dateutil each raise their own kind
            raise entries.error(key, value, "a time-zone name such as 'UTC' or 'Europe/Paris'") from None
    return value


def one_split(entries: Entries, key, n_rows: int) -> Split:
    """``{"train": [0, a], "val": [a, b], "test": [b, c]}`` with ``1 <= a <= b <= c <= n_rows``."""
    split = entries.child(key)
    bounds = {}
    for part in ("train", "val", "test"):
        value = split.get(part)
        if not (isinstance(value, list) and len(value) == 2 and all(type(v) is int for v in value)):
            raise split.error(part, value, "[start, stop], two integers")
        bounds[part] = value
    (t0, t1), (v0, v1), (s0, s1) = bounds["train"], bounds["val"], bounds["test"]
    if not (t0 == 0 and 1 <= t1 == v0 <= v1 == s0 <= s1 <= n_rows):
        raise entries.error(key, bounds, f"consecutive row ranges from 0, training not empty, within the "
                                         f"{n_rows} rows saved")
    return split_rows(n_rows, t1, v1, s1)


def series_split(entries: Entries, key, n_rows: int) -> Split:
    """A panel series' ``[train_end, val_end]`` with ``1 <= train_end <= val_end <= n_rows``."""
    value = entries.get(key)
    if not (isinstance(value, list) and len(value) == 2 and all(type(v) is int for v in value)
            and 1 <= value[0] <= value[1] <= n_rows):
        raise entries.error(key, value, f"[train_end, val_end] with 1 <= train_end <= val_end <= {n_rows}, "
                                        "the series' rows")
    return split_rows(n_rows, value[0], value[1])


def choices_entry(season: int | None, patch: int, sentences: dict, combine: str = "none",
                  combinations: dict | None = None, combine_note: str = "") -> dict:
    """What a fit chose from the data (:mod:`lstmcast.forecast.training.choices`) and its combinations
    with the classical models (:mod:`lstmcast.forecast.combining`), for ``config.json``."""
    entry = {"season": season, "patch": int(patch), "sentences": dict(sentences)}
    entry["combination"] = {"how": combine, "note": combine_note,
                            "weights": {name: dict(w) for name, w in (combinations or {}).items()}}
    return entry


def stored_choices(entries: Entries, params: dict) -> tuple[int | None, int, dict, str, dict, str]:
    """The season, patch, sentences, what ``combine`` came to, the combinations (series id -> model ->
    weight) and the combination note a folder's fit chose; a folder saved before fits chose them holds
    the season and patch in its parameters, and combined nothing."""
    if "choices" not in entries.keys():
        return params.get("season"), int(params.get("patch") or 1), {}, "none", {}, ""
    stored = entries.child("choices")
    season = stored.integer("season", low=1, none=True)
    patch = stored.integer("patch", low=1, high=int(params["look_back"]))
    if int(params["look_back"]) % patch:
        raise stored.error("patch", patch, f"a divisor of look_back = {params['look_back']}")
    sentences = stored.child("sentences")
    return (season, patch, {key: sentences.text(key) for key in sentences.keys()}, *stored_combinations(stored))


def future_entry(future) -> dict:
    """The columns known in advance of a fit (a :class:`~lstmcast.forecast.preparing.known.FutureSpec`), for
    ``config.json``'s choices."""
    return {"columns": list(future.columns), "calendar": list(future.calendar)}


def stored_future(entries: Entries, features) -> FutureSpec:
    """The columns known in advance a folder's fit read (none in a folder without them): each data column
    one of the saved ``features``, each calendar name one lstmcast derives, its columns saved too."""
    if "choices" not in entries.keys() or "future" not in entries.child("choices").keys():
        return FutureSpec()
    stored = entries.child("choices").child("future")
    columns, calendar = tuple(stored.texts("columns")), tuple(stored.texts("calendar"))
    for name in columns:
        if name not in features:
            raise stored.error("columns", name, f"columns among the saved features {list(features)!r}")
    try:
        spec = FutureSpec(columns, check_calendar_names(calendar))
    except ValueError as err:
        raise stored.error("calendar", list(calendar), f"calendar names ({err})") from None
    missing = [name for name in spec.derived if name not in features]
    if missing:
        raise stored.error("calendar", list(calendar), f"calendar columns saved among the features ({missing[0]!r})")
    return spec


def static_entry(static) -> dict:
    """A fit's static attributes (a :class:`~lstmcast.forecast.preparing.static.StaticSpec`) for ``config.json``:
    each one's vocabulary, or its centre and spread."""
    return {"names": list(static.names), "vocabularies": {n: list(v) for n, v in static.vocabularies.items()},
            "centres": {n: list(c) for n, c in static.centres.items()}}


def stored_static(entries: Entries, features) -> StaticSpec:
    """The static attributes a folder's fit read (none in a folder without them), each encoded column one of
    the saved ``features``."""
    if "choices" not in entries.keys() or "static" not in entries.child("choices").keys():
        return StaticSpec()
    stored = entries.child("choices").child("static")
    names = tuple(stored.texts("names"))
    vocabularies_entry, centres_entry = stored.child("vocabularies"), stored.child("centres")
    vocabularies = {name: tuple(vocabularies_entry.texts(name)) for name in vocabularies_entry.keys()}
    centres = {}
    for name in centres_entry.keys():
        mean, spread = centres_entry.numbers(name, length=2)
        if not spread > 0:
            raise centres_entry.error(name, [mean, spread], "[mean, spread] with a positive spread")
        centres[name] = (mean, spread)
    if set(vocabularies) | set(centres) != set(names) or set(vocabularies) & set(centres):
        raise stored.error("names", list(names), "each name with a vocabulary or a centre, not both")
    spec = StaticSpec(names, vocabularies, centres)
    missing = [name for name in spec.columns if name not in features]
    if missing:
        raise stored.error("names", list(names), f"encoded columns saved among the features ({missing[0]!r})")
    return spec


def stored_combinations(choices: Entries) -> tuple[str, dict, str]:
    """What ``combine`` came to, the combinations a fit chose (series id -> model name -> weight in [0, 1],
    adding up to one) and its note; none in a folder without them."""
    if "combination" not in choices.keys():
        return "none", {}, ""
    entry = choices.child("combination")
    weights = entry.child("weights")
    combinations = {}
    for series_id in weights.keys():
        series = weights.child(series_id)
        combination = {}
        for name in series.keys():
            if name not in (LSTM, *CLASSICAL_MODELS):
                raise series.error(name, name, f"one of {', '.join((LSTM, *CLASSICAL_MODELS))}")
            combination[name] = series.number(name, low=0, high=1)
        if abs(sum(combination.values()) - 1) > 1e-9:
            raise weights.error(series_id, combination, "weights adding up to 1")
        combinations[series_id] = combination
    return entry.text("how", choices=COMBINE), combinations, entry.text("note")
