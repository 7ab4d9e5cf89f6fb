"""Static attributes of many series (``fit(static_features=...)``): one value per series, numeric or
categorical, read from the long table's columns and encoded once for every series alike.

A numeric attribute becomes one column, standardised over the fitted series' values (its mean and
spread kept); a categorical one (any value that is not a number) becomes one column per category of
its vocabulary (0 or 1: the network's first weights on them are each category's learned vector, an
embedding). The encoded columns are constant within a series; they join the columns known in
advance, so the window and the decoder read them at every step, and the per-series scalers leave them
as they are (a per-series scaler would map a constant to 0). An unseen category at forecast time is a
one-line error naming the series, the column and the value.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ...data.csvfile import read_columns
from ...data.errors import DataError
from ...data.panel import Panel

__all__ = ["StaticSpec", "fit_static", "static_values", "with_static"]


@dataclass(frozen=True)
class StaticSpec:
    """How each static attribute is encoded: a vocabulary (categorical) or a centre and spread (numeric)."""

    names: tuple[str, ...] = ()
    vocabularies: dict = field(default_factory=dict)  # name -> tuple of categories (str), in column order
    centres: dict = field(default_factory=dict)  # name -> (mean, spread) of a numeric attribute

    @property
    def columns(self) -> tuple[str, ...]:
        """The encoded columns, in order: ``name`` for a numeric attribute, ``name=category`` for each category."""
        out = []
        for name in self.names:
            out.extend([f"{name}={c}" for c in self.vocabularies[name]] if name in self.vocabularies else [name])
        return tuple(out)

    def __bool__(self) -> bool:
        return bool(self.names)

    def encode(self, table: pd.DataFrame, source: str) -> np.ndarray:
        """Per-series values (S, len(names)) -> encoded (S, len(columns)); an unseen category is a DataError."""
        blocks = []
        for name in self.names:
            values = table[name]
            if name in self.vocabularies:
                vocabulary = self.vocabularies[name]
                text = values.astype(str)
                unseen = ~text.isin(vocabulary)
                if unseen.any():
                    series = table.index[np.argmax(unseen.to_numpy())]
                    raise DataError(f"{source}: series {series!r} has {name!r} = {text[series]!r}, a category the "
                                    f"model was not fitted on (it knows {', '.join(map(repr, vocabulary[:10]))})")
                blocks.append((text.to_numpy()[:, None] == np.array(vocabulary)[None, :]).astype(np.float64))
            else:
                mean, spread = self.centres[name]
                blocks.append(((_numbers(values, name, source) - mean) / spread)[:, None])
        return np.concatenate(blocks, axis=1)  # (S, columns)


def static_values(data, id_column: str | None, names: tuple[str, ...], source: str) -> pd.DataFrame:
    """One row per series (indexed by id, as str) holding its static attributes ``names`` from the long
    table ``data`` (a DataFrame or a CSV path).

    Raises
    ------
    DataError
        A missing column, or an attribute that changes within a series (naming both).
    """
    if isinstance(data, pd.DataFrame):
        frame = data
    else:
        header = read_columns(data)
        missing = [n for n in (id_column, *names) if n not in header]
        if missing:
            raise DataError(f"{source}: no column {missing[0]!r} (static_features)")
        frame = pd.read_csv(data, usecols=[id_column, *names], dtype={id_column: str}, skipinitialspace=True)
    missing = [n for n in (id_column, *names) if n not in frame.columns]
    if missing:
        raise DataError(f"{source}: no column {missing[0]!r} (static_features)")
    ids = frame[id_column].astype(str)
    groups = frame[list(names)].astype(str).groupby(ids, sort=False)
    changing = (groups.nunique() > 1).stack()  # (S * names,)
    if changing.any():
        series, name = changing[changing].index[0]
        raise DataError(f"{source}: static feature {name!r} changes within series {series!r}; a static feature "
                        "holds one value per series (use features= or future_features= for one that changes)")
    return frame[list(names)].groupby(ids, sort=False).first()


def fit_static(table: pd.DataFrame, names: tuple[str, ...], source: str) -> StaticSpec:
    """The encoding of ``names`` fitted on the per-series values ``table`` (:func:`static_values`): a
    column of numbers is numeric, any other categorical."""
    vocabularies, centres = {}, {}
    for name in names:
        numbers = pd.to_numeric(table[name], errors="coerce")
        if numbers.notna().all() and not pd.api.types.is_bool_dtype(table[name]):
            values = numbers.to_numpy(np.float64)
            spread = float(values.std())
            centres[name] = (float(values.mean()), spread if spread > 0 else 1.0)
        else:
            vocabularies[name] = tuple(sorted(table[name].astype(str).unique()))
    return StaticSpec(tuple(names), vocabularies, centres)


def with_static(panel: Panel, spec: StaticSpec, table: pd.DataFrame) -> Panel:
    """``panel`` with the encoded static columns added after its features, each series' rows holding its own."""
    if not spec:
        return panel
    missing = [name for name in panel.ids if name not in table.index]
    if missing:
        raise DataError(f"{panel.source}: series {missing[0]!r} has no static features")
    if all(name in panel.features for name in spec.columns):  # added already (a backtest's copies)
        return panel
    per_series = table.loc[list(panel.ids)]
    encoded = spec.encode(per_series, panel.source)  # (S, C)
    rows = np.repeat(np.arange(len(panel)), np.diff(panel.bounds))  # (rows,) each row's series
    frame = panel.frame.copy()
    for name in spec.names:  # the raw values too (not read by the networks): a copy fitted on this panel reads them
        if name not in frame.columns:
            frame[name] = per_series[name].to_numpy()[rows]
    for k, name in enumerate(spec.columns):
        frame[name] = encoded[rows, k]
    return replace(panel, frame=frame, features=(*panel.features, *spec.columns))


def _numbers(values: pd.Series, name: str, source: str) -> np.ndarray:
    numbers = pd.to_numeric(values, errors="coerce")
    if numbers.isna().any():
        series = values.index[np.argmax(numbers.isna().to_numpy())]
        raise DataError(f"{source}: static feature {name!r} of series {series!r} is {values[series]!r}, not a number")
    return numbers.to_numpy(np.float64)
