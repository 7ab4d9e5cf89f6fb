"""From scaled windows to the network's inputs and targets, and from its outputs back.

The Forecaster's steps between the scaler and the network::

    encode:  target -> log(target) for window_norm="log_mean_std" and "log_season_mean_std" (multiplicative
             swings become additive), then the target transform (changes instead of levels)
    windows (n, look_back, F) scaled --"season_*": minus the window's own seasonal profile
            (:mod:`~lstmcast.forecast.preparing.seasonal_profile`)--> --WindowNorm on the target column--> normalised
            --patch: look_back / patch steps of patch consecutive rows--> (n, look_back / patch, patch * F)
    network output (n, horizon) --WindowNorm.inverse, plus the profile--> scaled units --scaler, exp--> original units
    (a quantile model's (n, horizon, Q): each level mapped back alike; the maps are increasing, so
    the levels stay in order)

Statistics are taken in float64 and the result is cast to the model's dtype, so the
forecast is mapped back with exactly the statistics its inputs were divided by.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...data.errors import DataError
from ...data.scalers import Scaler
from ...data.transforms import decode_forecasts, encode_target, leading_rows
from ...data.window_index import WindowIndex
from ...data.windows import check_window_memory
from ...nn.window_norm import WindowNorm
from ..training.fitting import predict_network
from .seasonal_profile import has_profile, step_offsets, window_offsets, window_profiles

WINDOW_NORMS = ("mean_std", "log_mean_std", "last", "none", "season_mean_std", "log_season_mean_std")
"""Window normalisations a fit can use; ``Forecaster(window_norm="auto")`` chooses one of them."""

LAYER_KIND = {"mean_std": "mean_std", "log_mean_std": "mean_std", "last": "last", "none": "none",
              "season_mean_std": "mean_std", "log_season_mean_std": "mean_std"}
"""The :class:`~lstmcast.nn.window_norm.WindowNorm` each window normalisation ends with."""

TAKES_LOG = ("log_mean_std", "log_season_mean_std")
"""Window normalisations that read the log of the target (positive levels only)."""

SEASONAL = ("season_mean_std", "log_season_mean_std")
"""Window normalisations that take each window's own seasonal profile out (where the season fits twice)."""

KNOWN_WINDOW_NORM = True
"""With ``mean_std`` windows, a column of the data known in advance is read relative to its own window:
minus its window mean, in the window and at the forecast steps alike (not divided by the window's spread,
which is 0 for a flag such as a holiday; chosen on ``benchmarks/epf.py --validation``)."""


def check_window_norm(kind, target_transform: str, allow_auto: bool = True) -> str:
    """Return ``kind`` if it is valid with ``target_transform``, else raise ValueError naming it
    (``None`` and ``"auto"``, choices made by the fit, are valid when ``allow_auto``)."""
    allowed = WINDOW_NORMS + (("auto",) if allow_auto else ())
    if kind is None and allow_auto:
        return kind
    if kind not in allowed:
        raise ValueError(f"window_norm must be one of {', '.join(map(repr, allowed))}, got {kind!r}")
    if kind in TAKES_LOG + SEASONAL and target_transform != "none":
        raise ValueError(f"window_norm={kind!r} works on levels: use it with target_transform='none'")
    return kind


def effective_norm(kind: str, target_transform: str) -> str:
    """Window normalisation acts on levels only: with a target transform the windows already hold
    changes, which have no level to remove (subtracting a window's mean change and adding it back
    would forecast momentum into a random walk), so it is ``"none"`` there."""
    return "none" if target_transform != "none" else kind


def check_window_rows(table, look_back: int, after: int, target_transform: str, memory: bool = True) -> None:
    """Raise a DataError unless one window of a SeriesTable ``table`` and ``after`` rows past it fit in it,
    and (``memory``) all its windows at once fit in the memory available
    (:func:`~lstmcast.data.windows.check_window_memory`; a fit gathers its windows batch by batch
    and does not need them at once)."""
    skip = leading_rows(target_transform)
    need = look_back + after + skip
    if len(table) < need:
        terms = "look_back" + (" + horizon" if after else "") + (" + 1 (target_transform)" if skip else "")
        raise DataError(f"{table.source}: column {table.target!r} has {len(table)} rows; "
                        f"{terms} = {need} needs at least {need}")
    if memory:
        check_window_memory(len(table) - need + 1, look_back, len(table.columns), table.source)


def encode_values(values: np.ndarray, window_norm: str, target_transform: str, source: str = "data",
                  target: str = "target") -> np.ndarray:
    """Levels (N, F) -> what the scaler sees (N, F): log of the target for :data:`TAKES_LOG`, then changes.

    Raises
    ------
    DataError
        A log with a target value that is not positive (naming the column and row).
    """
    data = np.array(values, dtype=np.float64)  # (N, F) copy
    if window_norm in TAKES_LOG:
        level = data[:, 0]
        bad = np.flatnonzero(~(level > 0))
        if len(bad):
            raise DataError(f"{source}: window_norm={window_norm!r} needs a positive {target!r}, found "
                            f"{float(level[bad[0]])} at row {int(bad[0])}; use window_norm="
                            f"{window_norm.removeprefix('log_')!r}")
        data[:, 0] = np.log(level)
    return encode_target(data, target_transform, source)


def decode_levels(y: np.ndarray, window_norm: str) -> np.ndarray:
    """Undo :func:`encode_values`'s log on forecasts (n, horizon) of the target."""
    return np.exp(y) if window_norm in TAKES_LOG else y


@dataclass
class NetworkWindows:
    """Windows as the network reads them, and the normalisation that maps its outputs back."""

    x: np.ndarray  # (n, look_back / patch, patch * F), model dtype
    y: np.ndarray | None  # (n, horizon) normalised targets, model dtype
    norm: WindowNorm  # holds each window's shift and scale (n, 1, 1), float64
    known: np.ndarray | None = None  # (n, horizon, K) scaled values known in advance, model dtype; None: none
    profile: np.ndarray | None = None  # (n, season) each window's seasonal profile, float64; None: none taken out

    def restore(self, y_network: np.ndarray) -> np.ndarray:
        """Network outputs (n, horizon) -> scaled units (n, horizon), float64."""
        y = self.norm.inverse(np.asarray(y_network, np.float64)[:, :, None])[:, :, 0]  # (n, horizon)
        return y if self.profile is None else y + step_offsets(self.profile, y.shape[1])  # (n, horizon)


def network_windows(x_scaled: np.ndarray, y_scaled: np.ndarray | None, window_norm: str, patch: int,
                    dtype: str, known_scaled: np.ndarray | None = None, known_norm: tuple[int, ...] = (),
                    season: int | None = None) -> NetworkWindows:
    """Scaled windows (n, look_back, F) and targets (n, horizon) -> what the network reads and learns.

    Parameters
    ----------
    x_scaled : numpy.ndarray, shape (n, look_back, F)
    y_scaled : numpy.ndarray, shape (n, horizon), or None when predicting
    window_norm : one of :data:`WINDOW_NORMS`
        Already resolved (not ``"auto"``); acts on the target column (column 0).
    patch : int
        Rows per network step; ``look_back`` must be a multiple of it.
    dtype : {"float32", "float64"}
    known_scaled : numpy.ndarray, shape (n, horizon, K), optional
        The scaled values known in advance at each window's forecast steps.
    known_norm : tuple of int
        For each of the K known values, its column in ``x_scaled`` (or -1): with ``"mean_std"`` windows
        (:data:`KNOWN_WINDOW_NORM`), that column minus its own window mean, in the window and at the
        forecast steps alike (calendar and static columns keep -1).
    season : int, optional
        The fitted season: with a :data:`SEASONAL` normalisation and at least two seasons in the window,
        each window's target loses its own seasonal profile first (and its targets theirs).
    """
    norm = WindowNorm(LAYER_KIND[window_norm])
    x = np.array(x_scaled, dtype=np.float64)  # (n, look_back, F) copy
    profile = None
    if window_norm in SEASONAL and has_profile(x.shape[1], season):
        profile = window_profiles(x[:, :, 0], season)  # (n, season)
        x[:, :, 0] -= window_offsets(profile, x.shape[1])  # (n, look_back)
    x[:, :, :1] = norm.forward(x[:, :, :1])  # (n, look_back, 1)
    y = None
    if y_scaled is not None:
        target = np.asarray(y_scaled, np.float64)  # (n, horizon)
        if profile is not None:
            target = target - step_offsets(profile, target.shape[1])  # (n, horizon)
        y = norm.apply(target[:, :, None])[:, :, 0].astype(dtype)  # (n, horizon)
    known = None
    if known_scaled is not None:
        known = np.array(known_scaled, dtype=np.float64)  # (n, horizon, K) copy
        if KNOWN_WINDOW_NORM and LAYER_KIND[window_norm] == "mean_std":
            for j, column in enumerate(known_norm):
                if column >= 0:
                    shift = x[:, :, column : column + 1].mean(axis=1, keepdims=True)  # (n, 1, 1)
                    x[:, :, column : column + 1] -= shift  # (n, look_back, 1)
                    known[:, :, j : j + 1] -= shift  # (n, horizon, 1)
        known = known.astype(dtype)
    n, look_back, features = x.shape
    x = x.reshape(n, look_back // patch, patch * features).astype(dtype)  # (n, look_back / patch, patch * F)
    return NetworkWindows(x, y, norm, known, profile)


@dataclass(frozen=True)
class LazyWindows:
    """Training windows as the network reads them, made batch by batch from a
    :class:`~lstmcast.data.window_index.WindowIndex` (a :class:`~lstmcast.forecast.training.fitting.WindowSource`):
    the same values, bit for bit, as :func:`network_windows` of every window at once, since each
    window is normalised on its own."""

    index: WindowIndex
    window_norm: str
    patch: int
    dtype: str
    known_norm: tuple[int, ...] = ()  # see network_windows
    season: int | None = None  # see network_windows

    def __len__(self) -> int:
        return len(self.index)

    def take(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        windows = self.windows(idx)
        return windows.x, windows.y, windows.known  # (B, look_back / patch, patch * F), (B, horizon), (B, horizon, K)

    def windows(self, idx: np.ndarray) -> NetworkWindows:
        """Windows ``idx`` with their normalisation (to map outputs back)."""
        x, y, known = self.index.gather(idx)
        return network_windows(x, y, self.window_norm, self.patch, self.dtype, known, self.known_norm, self.season)


def check_rows_fit_dtype(rows: np.ndarray, window_norm: str, dtype: str, source: str) -> None:
    """DataError (one line), before training, when the scaled rows (R, F) would overflow the model's
    ``dtype`` as the network reads them: their size itself (``"none"``), or the difference of two of
    them (``"last"``); ``"mean_std"`` divides every window by its own spread, which cannot overflow."""
    if window_norm not in ("none", "last") or not len(rows):
        return
    with np.errstate(invalid="ignore"):
        largest = float(np.nanmax(np.abs(rows)))  # NaN: the first row of each series under a target transform
    limit = float(np.finfo(dtype).max) / (2.0 if window_norm == "last" else 1.0)
    if not largest < limit:
        raise DataError(f"{source}: the training windows overflow the model's {dtype} (values of {largest:.3g} "
                        "after scaling); use scaler='standard' or window_norm='mean_std'")


@dataclass(frozen=True)
class KnownInputs:
    """What a network with a decoder reads of the values known in advance: the columns of ``values``
    (N, F) that hold them, the horizon, and the rows after ``values`` (m, F) that hold the known values
    of the steps past its end (``future``: None when every step forecast lies inside ``values``)."""

    columns: tuple[int, ...]
    horizon: int
    names: tuple[str, ...] = ()  # the columns' names, for messages
    future: np.ndarray | None = None
    normalised: tuple[int, ...] = ()  # per known value, its column normalised by window (-1: none)


def future_rows(values: np.ndarray, columns: tuple[int, ...], known: np.ndarray) -> np.ndarray:
    """Rows (m, F) to follow ``values`` (N, F): the first K' known columns from ``known`` (m, K'), every
    other column the last row's value (a static attribute's is the series' own; the others are never
    read: a window reads only rows before its origin, and only the known columns of its forecast steps;
    a repeated level keeps the encoding and scaling finite)."""
    rows = np.repeat(np.asarray(values, np.float64)[-1:], len(known), axis=0)  # (m, F)
    rows[:, list(columns[: known.shape[1]])] = known
    return rows


def forecast_windows(values: np.ndarray, origins: np.ndarray, scaler: Scaler, window_norm: str,
                     target_transform: str, look_back: int, patch: int, dtype: str, source: str = "data",
                     target: str = "target", known: KnownInputs | None = None, season: int | None = None
                     ) -> NetworkWindows:
    """The windows (as the network reads them) ending before each origin of ``values`` (N, F), levels
    with the target first: encoded, scaled, normalised and patched; only rows ``origin - look_back - 1
    .. origin - 1`` are read (the extra row when a target transform needs it), and with ``known`` the
    known columns of rows ``origin .. origin + horizon - 1`` (from ``known.future`` past the end);
    ``season``: see :func:`network_windows`.

    Raises
    ------
    DataError
        A forecast step past the rows given, for a network that reads its known values.
    """
    if known is not None and known.future is not None:
        values = np.concatenate([values, known.future])  # (N + m, F)
    scaled = scaler.transform(encode_values(values, window_norm, target_transform, source, target))  # (N, F)
    rows = origins[:, None] + np.arange(-look_back, 0)  # (n, look_back)
    steps = None
    if known is not None and len(origins):
        at = origins[:, None] + np.arange(known.horizon)  # (n, horizon)
        if int(at.max()) >= len(scaled):
            names = ", ".join(map(repr, known.names)) or "the known columns"
            raise DataError(f"{source}: the forecast from row {int(origins.max())} needs the values of {names} "
                            f"for its {known.horizon} steps, and the data ends at row {len(scaled) - 1}; "
                            "give them with future=")
        steps = scaled[at][:, :, list(known.columns)]  # (n, horizon, K)
    return network_windows(scaled[rows], None, window_norm, patch, dtype, steps,  # scaled[rows]: (n, look_back, F)
                           () if known is None else known.normalised, season)


def outputs_to_levels(y: np.ndarray, windows: NetworkWindows, scaler: Scaler, window_norm: str,
                      target_transform: str, last: np.ndarray) -> np.ndarray:
    """Network outputs (n, horizon) or (n, horizon, Q) of ``windows`` -> original units, rebuilt from the
    last levels ``last`` (n,) (each quantile level alike)."""

    def to_levels(y_network):  # (n, horizon) network outputs -> (n, horizon) original units
        restored = windows.restore(y_network)  # (n, horizon) scaled units
        changes = decode_levels(scaler.inverse_transform_target(restored), window_norm)  # (n, horizon)
        return decode_forecasts(changes, last, target_transform)

    if y.ndim == 3:
        return np.stack([to_levels(y[:, :, k]) for k in range(y.shape[2])], axis=2)  # (n, horizon, Q)
    return to_levels(y)


def member_forecasts(values: np.ndarray, origins: np.ndarray, networks: list, scaler: Scaler, window_norm: str,
                     target_transform: str, look_back: int, patch: int, dtype: str, source: str = "data",
                     target: str = "target", dropout=None, known: KnownInputs | None = None,
                     season: int | None = None) -> np.ndarray:
    """Each network's forecasts (members, n, horizon), or (members, n, horizon, Q) for quantile
    networks, in original units from the rows before each origin (:func:`forecast_windows`).

    ``dropout``: a seed (sequence of int) keeps dropout on (Monte-Carlo passes), member j's
    masks drawn from ``[*dropout, j]``; ``known``: what networks with a decoder read of the values
    known in advance; ``season``: see :func:`network_windows`.
    """
    windows = forecast_windows(values, origins, scaler, window_norm, target_transform, look_back, patch, dtype,
                               source, target, known, season)
    last = values[origins - 1, 0]  # (n,)
    out = []
    for j, network in enumerate(networks):
        seed = None if dropout is None else [*dropout, j]
        y = predict_network(network, windows.x, seed, windows.known)  # (n, horizon) or (n, horizon, Q)
        out.append(outputs_to_levels(y, windows, scaler, window_norm, target_transform, last))
    return np.stack(out)  # (members, n, horizon[, Q])
