"""Per-column scalers: ``scaled = (x - center_) / scale_``, fitted on training rows only.

Fit a scaler on the TRAINING rows and nothing else, then transform every split with
it: statistics taken from validation or test rows leak the future into training.

Each scaler has ``fit`` / ``transform`` / ``inverse_transform``, undoes one column
of any array with ``inverse_transform_target`` (forecasts of shape (B, horizon)),
and saves its fitted state as plain JSON values with ``to_dict`` (restored by
``scaler_from_dict``).  Fitted attributes end in ``_``.
"""

from __future__ import annotations

import operator

import numpy as np

SCALER_NAMES = ("minmax", "standard", "none")
"""Names accepted by ``make_scaler``; each scaler's ``kind``."""


class Scaler:
    """The base of every scaler: a per-column shift and divisor ``scale_``.

    Subclasses say how to fit the two from training rows and how to save them.
    """

    kind = ""

    def fit(self, values: np.ndarray) -> "Scaler":
        """Learn the per-column statistics from ``values`` (the training rows only).

        Parameters
        ----------
        values : array_like, shape (N, F)
            Finite numbers, N >= 1.

        Returns
        -------
        self
        """
        data = np.asarray(values, dtype=np.float64)
        if data.ndim != 2 or data.shape[0] < 1 or data.shape[1] < 1:
            raise ValueError(f"values must have shape (N, F) with N, F >= 1, got {data.shape}")
        if not np.isfinite(data).all():
            raise ValueError("values must be finite to fit a scaler (found NaN or inf)")
        self._fit_columns(data)
        self.n_features_ = data.shape[1]
        return self

    def transform(self, values: np.ndarray) -> np.ndarray:
        """Scale ``values`` (N, F) column by column; returns a new float64 array (N, F)."""
        data = self._check_input(values)  # (N, F)
        return (data - self._center()) / self.scale_  # (N, F)

    def leave_columns(self, columns) -> "Scaler":
        """Map ``columns`` (positions) to themselves from now on (a shift of 0, a divisor of 1): values already
        on a common scale, such as a panel's static attributes, which a per-series fit would map to 0."""
        columns = list(columns)
        if columns:
            self._check_fitted()
            self._leave(columns)
            self.scale_[columns] = 1.0
        return self

    def _leave(self, columns: list[int]) -> None:
        """Set the fitted statistics of ``columns`` to the identity (subclasses)."""

    def inverse_transform(self, values: np.ndarray) -> np.ndarray:
        """Undo ``transform`` for ``values`` (N, F); returns a new float64 array (N, F)."""
        data = self._check_input(values)  # (N, F)
        return data * self.scale_ + self._center()  # (N, F)

    def inverse_transform_target(self, y: np.ndarray, col: int = 0) -> np.ndarray:
        """Undo the scaling of column ``col`` for an array of any shape (e.g. (B, horizon)).

        Parameters
        ----------
        y : array_like
            Scaled values of one column, any shape.
        col : int
            The column whose scaling to undo; 0 is the target.

        Returns
        -------
        numpy.ndarray
            float64, the same shape as ``y``.
        """
        self._check_fitted()
        try:
            index = operator.index(col)
        except TypeError:
            raise ValueError(f"col must be an int, got {col!r}") from None
        if isinstance(col, bool) or not 0 <= index < self.n_features_:
            raise ValueError(f"col must be in [0, {self.n_features_}), got {col!r}")
        data = np.asarray(y, dtype=np.float64)
        return data * self.scale_[index] + self._center()[index]

    def to_dict(self) -> dict:
        """The fitted state as JSON values (str, int, lists of float), with a ``"kind"`` key."""
        self._check_fitted()
        return {"kind": self.kind, **self._state()}

    @classmethod
    def from_dict(cls, state: dict) -> "Scaler":
        """Rebuild a fitted scaler from ``to_dict()``'s output."""
        if not isinstance(state, dict) or state.get("kind") != cls.kind:
            kind = state.get("kind") if isinstance(state, dict) else state
            raise ValueError(f"state must be a dict with kind {cls.kind!r}, got kind {kind!r}")
        scaler = cls()
        scaler._load_state(state)
        return scaler

    # subclasses fill these in
    def _fit_columns(self, data: np.ndarray) -> None:
        raise NotImplementedError

    def _center(self) -> np.ndarray:
        raise NotImplementedError

    def _state(self) -> dict:
        raise NotImplementedError

    def _load_state(self, state: dict) -> None:
        raise NotImplementedError

    def _check_fitted(self) -> None:
        if not hasattr(self, "n_features_"):
            raise ValueError(f"this {type(self).__name__} is not fitted yet: call fit(values) first")

    def _check_input(self, values) -> np.ndarray:
        self._check_fitted()
        data = np.asarray(values, dtype=np.float64)
        if data.ndim != 2 or data.shape[1] != self.n_features_:
            raise ValueError(f"values must have shape (N, {self.n_features_}), got {data.shape}")
        return data

    def __repr__(self) -> str:
        fitted = f"n_features_={self.n_features_}" if hasattr(self, "n_features_") else "not fitted"
        return f"{type(self).__name__}({fitted})"


class MinMaxScaler(Scaler):
    """Map each column's training range to [0, 1]: ``(x - data_min_) / scale_``.

    ``scale_ = data_max_ - data_min_``, or 1 for a constant column (which then maps
    to 0).  Values outside the training range map outside [0, 1].
    """

    kind = "minmax"

    def _fit_columns(self, data: np.ndarray) -> None:
        self.data_min_ = data.min(axis=0)  # (F,)
        self.data_max_ = data.max(axis=0)  # (F,)
        self.scale_ = _nonzero(self.data_max_ - self.data_min_)  # (F,)

    def _center(self) -> np.ndarray:
        return self.data_min_

    def _leave(self, columns: list[int]) -> None:
        self.data_min_[columns], self.data_max_[columns] = 0.0, 1.0

    def _state(self) -> dict:
        return {"data_min": _floats(self.data_min_), "data_max": _floats(self.data_max_)}

    def _load_state(self, state: dict) -> None:
        self.data_min_, self.data_max_ = _arrays(state, "data_min", "data_max")
        self.scale_ = _nonzero(self.data_max_ - self.data_min_)
        self.n_features_ = len(self.data_min_)


class StandardScaler(Scaler):
    """Z-score each column: ``(x - mean_) / scale_`` with the population std (ddof=0).

    ``scale_ = std_``, or 1 for a constant column (which then maps to 0).
    """

    kind = "standard"

    def _fit_columns(self, data: np.ndarray) -> None:
        self.mean_ = data.mean(axis=0)  # (F,)
        self.std_ = data.std(axis=0, ddof=0)  # (F,)
        constant = data.max(axis=0) == data.min(axis=0)  # (F,) exact, so round-off cannot hide it
        self.std_[constant] = 0.0
        self.scale_ = _nonzero(self.std_)  # (F,)

    def _center(self) -> np.ndarray:
        return self.mean_

    def _leave(self, columns: list[int]) -> None:
        self.mean_[columns], self.std_[columns] = 0.0, 1.0

    def _state(self) -> dict:
        return {"mean": _floats(self.mean_), "std": _floats(self.std_)}

    def _load_state(self, state: dict) -> None:
        self.mean_, self.std_ = _arrays(state, "mean", "std")
        self.scale_ = _nonzero(self.std_)
        self.n_features_ = len(self.mean_)


class IdentityScaler(Scaler):
    """Leave values as they are (``scaler="none"``); still checks the column count."""

    kind = "none"

    def _fit_columns(self, data: np.ndarray) -> None:
        self.scale_ = np.ones(data.shape[1])  # (F,)

    def _center(self) -> np.ndarray:
        return np.zeros(self.n_features_)  # (F,)

    def _state(self) -> dict:
        return {"n_features": int(self.n_features_)}

    def _load_state(self, state: dict) -> None:
        n_features = state.get("n_features")
        if isinstance(n_features, bool) or not isinstance(n_features, int) or n_features < 1:
            raise ValueError(f"state['n_features'] must be a positive int, got {n_features!r}")
        self.n_features_ = n_features
        self.scale_ = np.ones(n_features)  # (F,)


SCALERS = {"minmax": MinMaxScaler, "standard": StandardScaler, "none": IdentityScaler}


def make_scaler(name: str | None) -> Scaler:
    """Return a new, unfitted scaler by name.

    Parameters
    ----------
    name : {"minmax", "standard", "none"} or None
        ``None`` means ``"none"``.

    Returns
    -------
    MinMaxScaler, StandardScaler or IdentityScaler

    Raises
    ------
    ValueError
        If ``name`` is anything else.
    """
    key = "none" if name is None else name
    if key not in SCALERS:
        raise ValueError(f"scaler must be one of 'minmax', 'standard', 'none', got {name!r}")
    return SCALERS[key]()


def scaler_from_dict(state: dict) -> Scaler:
    """Rebuild a fitted scaler from any scaler's ``to_dict()`` output, by its ``"kind"``.

    Raises
    ------
    ValueError
        If ``state`` is not such a dict.
    """
    kind = state.get("kind") if isinstance(state, dict) else None
    if kind not in SCALERS:
        raise ValueError(f"state['kind'] must be one of 'minmax', 'standard', 'none', got {kind!r}")
    return SCALERS[kind].from_dict(state)


def _nonzero(spread: np.ndarray) -> np.ndarray:
    """``spread`` with zeros replaced by 1, so constant columns divide by 1."""
    return np.where(spread == 0.0, 1.0, spread)  # (F,)


def _floats(array: np.ndarray) -> list[float]:
    return [float(v) for v in array]


def _arrays(state: dict, *keys: str) -> list[np.ndarray]:
    arrays = []
    for key in keys:
        value = state.get(key)
        if not isinstance(value, (list, tuple)) or len(value) == 0:
            raise ValueError(f"state[{key!r}] must be a non-empty list of numbers, got {value!r}")
        arrays.append(np.asarray(value, dtype=np.float64))  # (F,)
    if len({len(a) for a in arrays}) != 1:
        raise ValueError(f"state lists {', '.join(keys)} must have the same length")
    return arrays
