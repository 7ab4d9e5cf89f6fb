"""Forecaster: the estimator users hold — from a table to forecasts they can check.

Pipeline, for ``fit`` and every prediction alike::

    table (N, F) --log of the target (window_norm="log_mean_std"), target_transform--> encoded (N, F)
      --scaler fitted on training rows--> scaled (N, F)
      --sliding windows--> X (n, look_back, F), Y (n, horizon)
      --window_norm on the target column: minus its mean, over its std ("mean_std"), or minus its last
        value ("last"); Y with the same statistics--> --patch: look_back / patch steps of patch rows-->
      ``ensemble`` ForecastNets --each output mapped back, the scaler undone, levels rebuilt--> the mean
      of the members' forecasts in original units

The hidden state starts from zero for every window. Validation windows come after
the training rows (their inputs may reach back ``look_back`` rows into training),
and the scaler never sees a validation row. The steps live in
:mod:`~lstmcast.forecast.windowing` (windows) and :mod:`~lstmcast.forecast.fitting`
(one member's training); this class is the only one that knows them all.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..data.errors import DataError
from ..data.features import choose_target, read_with_features
from ..data.scalers import make_scaler
from ..data.split import chronological_split
from ..data.tables import SeriesTable
from ..data.transforms import leading_rows
from .backtest import run_backtest
from .evaluation import evaluate_forecaster, forecast_after, predict_windows
from .fitting import NetworkSpec, member_seed, train_member
from .params import validate_params
from .persistence import load_forecaster, save_forecaster
from .windowing import effective_norm, encode_values, member_forecasts, network_windows, training_windows

AUTO_CANDIDATES = ("mean_std", "log_mean_std", "last")
"""What ``window_norm="auto"`` compares on the validation windows, in this order (ties keep the first)."""


class Forecaster:
    """An LSTM forecaster with the scikit-learn estimator contract.

    Constructor arguments are stored unchanged and validated in :meth:`fit`; what is
    learned ends in ``_`` (``members_``, ``scaler_``, ``history_``, ``table_``,
    ``window_norm_``).

    Parameters
    ----------
    look_back : int
        Past steps each forecast reads.
    horizon : int
        Steps forecast at once.
    hidden_size, num_layers : int
        LSTM units per layer and stacked layers.
    bidirectional, attention : bool
        Read each window both ways; pool the outputs with attention instead of using
        the last state.
    dropout, recurrent_dropout : float
        Dropout between layers and on the head's input; variational dropout on h_{t-1}.
    scaler : {"standard", "minmax", "none"}
        Fitted on the training rows only, stored with the model.
    window_norm : {"mean_std", "log_mean_std", "last", "none", "auto"}
        How each window's target is normalised before the network reads it, and its
        forecast mapped back. ``"mean_std"`` (reversible instance normalisation):
        minus the window's mean, divided by its standard deviation, so the network
        sees every window at one level and spread. ``"log_mean_std"``: the same on
        the log of the target, for positive series whose swings grow with the level.
        ``"last"``: minus the window's last value (zero output = the naive forecast).
        ``"auto"``: fit with each of mean_std, log_mean_std (positive levels only) and
        last, keep the one with the lowest validation MAE; ``window_norm_`` says which.
        All act on levels: with a ``target_transform`` the windows hold changes and
        are left as they are (``window_norm_`` is ``"none"``).
    target_transform : {"none", "diff", "log_return"}
        Model the target's step-to-step changes (``y_t - y_{t-1}``) or log returns
        (``log(y_t / y_{t-1})``) instead of its levels; forecasts are rebuilt as
        levels from the last observed value, and every metric is on levels.
    loss : {"mse", "huber"}
        In window-normalised units.
    epochs : int or None
        Epochs to train (at most, with early stopping). ``None``: 200, raised on small
        data so that training takes at least 1,000 Adam steps, with the patience raised
        to match (a 120-row monthly series makes 2-3 steps an epoch).
    batch_size, lr, weight_decay, clip_norm
        Adam training; gradients clipped to ``clip_norm`` (``None``: no clipping).
    patience : int or None
        Early stopping on the validation loss, in epochs; the best epoch's weights are kept.
    val_fraction : float
        Share of the rows (the last ones) used for validation; 0 turns it off.
    season : int or None
        Season length for the seasonal-naive and classical baselines and MASE;
        inferred from the frequency when ``None``.
    dtype : {"float32", "float64"}
    seed : int
        Same seed, same numbers, bit for bit.
    verbose : bool
        Show a progress bar while fitting.
    patch : int
        Rows per LSTM step: the look-back is read as ``look_back / patch`` steps of
        ``patch`` consecutive rows each (e.g. ``patch=24`` reads hourly data a day per
        step: a shorter recurrence over a long look-back). ``look_back`` must be a multiple.
    ensemble : int
        Networks trained with different seeds (member 0 with ``seed`` itself, so
        ``ensemble=1`` is the single model); the forecast is their mean, and
        ``forecast(spread=True)`` gives the standard deviation between them.
    """

    def __init__(self, look_back: int = 24, horizon: int = 12, hidden_size: int = 64,
                 num_layers: int = 1, bidirectional: bool = False, attention: bool = False,
                 dropout: float = 0.0, recurrent_dropout: float = 0.0, scaler: str = "standard",
                 window_norm: str = "mean_std", loss: str = "mse", epochs: int | None = None,
                 batch_size: int = 32, lr: float = 1e-3, weight_decay: float = 0.0,
                 clip_norm: float | None = 1.0, patience: int | None = 20,
                 val_fraction: float = 0.2, season: int | None = None, dtype: str = "float32",
                 seed: int = 0, verbose: bool = True, target_transform: str = "none",
                 patch: int = 1, ensemble: int = 1) -> None:
        self.look_back = look_back
        self.horizon = horizon
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bidirectional = bidirectional
        self.attention = attention
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.scaler = scaler
        self.window_norm = window_norm
        self.loss = loss
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.weight_decay = weight_decay
        self.clip_norm = clip_norm
        self.patience = patience
        self.val_fraction = val_fraction
        self.season = season
        self.dtype = dtype
        self.seed = seed
        self.verbose = verbose
        self.target_transform = target_transform
        self.patch = patch
        self.ensemble = ensemble

    PARAMS = ("look_back", "horizon", "hidden_size", "num_layers", "bidirectional", "attention",
              "dropout", "recurrent_dropout", "scaler", "window_norm", "loss", "epochs",
              "batch_size", "lr", "weight_decay", "clip_norm", "patience", "val_fraction",
              "season", "dtype", "seed", "verbose", "target_transform", "patch", "ensemble")

    def get_params(self) -> dict:
        """The constructor arguments, as given."""
        return {name: getattr(self, name) for name in self.PARAMS}

    def __repr__(self) -> str:
        defaults = Forecaster().get_params()
        changed = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items() if v != defaults[k])
        return f"Forecaster({changed})"

    # ------------------------------------------------------------------ checks
    def _validate(self) -> None:
        validate_params(self.get_params())

    def _check_fitted(self) -> None:
        if not hasattr(self, "members_"):
            raise ValueError("this Forecaster is not fitted yet: call fit(data, target=...) first")

    @property
    def network_(self):
        """The first member's network (the only one when ``ensemble=1``)."""
        if "members_" not in self.__dict__:
            raise AttributeError("network_: this Forecaster is not fitted yet")
        return self.members_[0].network

    # --------------------------------------------------------------------- fit
    def fit(self, data, target: str | None = None, features=None, date_column: str | None = None,
            fill: str | None = None, freq: str | None = None, resume: bool = False) -> "Forecaster":
        """Train on ``data`` (a CSV path or a DataFrame); returns ``self``.

        Parameters
        ----------
        data : str, pathlib.Path or pandas.DataFrame
        target : str, optional
            Column to forecast; may be omitted when there is one value column.
        features : list of str, optional
            Other columns used as inputs, or derived price features computed from
            OHLCV columns: ``"HighLow"``, ``"Return"``, ``"LogVolume"`` (see
            :mod:`lstmcast.data.features`).
        date_column, fill, freq
            See :func:`lstmcast.data.read_series`.
        resume : bool
            Continue training a fitted (or loaded) model for ``epochs`` more epochs,
            exactly where it stopped; the data must have the same columns. Every
            member continues with the window normalisation it was fitted with.

        Raises
        ------
        DataError
            For problems with the data (one line naming the file, column and row).
        ValueError
            For bad arguments.
        """
        self._validate()
        if resume:
            self._check_fitted()
            if len(self.members_) != self.ensemble:
                raise ValueError(f"resume: the model has {len(self.members_)} member(s), ensemble={self.ensemble}")
            target, features = self.target_, list(self.features_)
        table = read_with_features(data, choose_target(data, target, date_column), features,
                                   date_column, fill, freq)
        self._check_length(table, self.horizon)
        split = chronological_split(len(table), self.val_fraction)
        if resume:
            candidates = [self.window_norm_]
        elif self.window_norm == "auto" and self.target_transform == "none":
            candidates = [k for k in AUTO_CANDIDATES
                          if k != "log_mean_std" or (self.target_transform == "none" and np.all(table.target_values > 0))]
        else:
            candidates = [effective_norm(self.window_norm, self.target_transform)]
        scores = {}
        for kind in candidates:
            fitted = self._fit_norm(table, split, kind, resume)
            if len(candidates) == 1:
                break
            scores[kind] = float(np.mean(fitted["residuals_"]))
            if kind == min(scores, key=scores.get):
                best = fitted
        else:
            fitted = best
        for name, value in fitted.items():
            setattr(self, name, value)
        self.table_ = table
        self.split_ = split
        self.target_, self.features_ = table.target, table.features
        self.window_norm_scores_ = scores  # validation MAE per candidate ("auto" only)
        return self

    def _fit_norm(self, table: SeriesTable, split, kind: str, resume: bool) -> dict:
        """Fit every member with window normalisation ``kind``; the learned attributes, by name."""
        encoded = encode_values(table.values, kind, self.target_transform, table.source, str(table.target))  # (N, F)
        scaler = self.scaler_ if resume else make_scaler(self.scaler)
        training, validation = training_windows(encoded, split, scaler, not resume, kind, self.look_back, self.horizon,
                                                self.patch, self.dtype, leading_rows(self.target_transform),
                                                table.source)
        spec = self._network_spec(training.x.shape[2])
        members = []
        for k in range(self.ensemble):
            label = "fit" if self.ensemble == 1 else f"fit {k + 1}/{self.ensemble}"
            members.append(train_member(spec, training.x, training.y, validation, member_seed(self.seed, k),
                                        self.members_[k] if resume else None, label))
        fitted = {"members_": members, "scaler_": scaler, "window_norm_": kind, "history_": members[0].history,
                  "training_state_": members[0].training_state, "resume_arrays_": members[0].resume_arrays}
        fitted["residuals_"] = self._validation_residuals(table, split, fitted)
        return fitted

    def _network_spec(self, input_size: int) -> NetworkSpec:
        return NetworkSpec(input_size, self.horizon, self.hidden_size, self.num_layers, self.bidirectional,
                           self.dropout, self.recurrent_dropout, self.attention, self.dtype, self.loss,
                           self.epochs, self.batch_size, self.lr, self.weight_decay, self.clip_norm,
                           self.patience, self.verbose)

    # --------------------------------------------------------------- internals
    def _member_forecasts(self, values: np.ndarray, origins: np.ndarray, source: str = "data",
                          fitted: dict | None = None) -> np.ndarray:
        """Each member's forecasts (members, n, horizon) in original units from the rows before each origin.

        Only rows ``origin - look_back - 1 .. origin - 1`` of each window are read.
        ``fitted`` holds the learned attributes while a fit is deciding (default: this model's).
        """
        state = fitted or {name: getattr(self, name) for name in ("members_", "scaler_", "window_norm_")}
        return member_forecasts(values, origins, [m.network for m in state["members_"]], state["scaler_"],
                                state["window_norm_"], self.target_transform, self.look_back, self.patch,
                                self.dtype, source, str(getattr(self, "target_", "target")))

    def _forecast_at(self, values: np.ndarray, origins: np.ndarray, source: str = "data") -> np.ndarray:
        """The members' mean forecast (n, horizon) in original units from the rows before each origin."""
        members = self._member_forecasts(values, origins, source)  # (members, n, horizon)
        return members[0] if len(members) == 1 else members.mean(axis=0)

    def _validation_residuals(self, table: SeriesTable, split, fitted: dict) -> np.ndarray:
        """|actual - forecast| (n_val, horizon) on the validation windows, original units."""
        val = split.val
        first = max(val.start, self.look_back + leading_rows(self.target_transform))
        origins = np.arange(first, val.stop - self.horizon + 1)  # (n_val,)
        if len(origins) == 0:
            return np.zeros((0, self.horizon))
        actual = table.target_values[origins[:, None] + np.arange(self.horizon)]  # (n_val, horizon)
        forecasts = self._member_forecasts(table.values, origins, table.source, fitted).mean(axis=0)
        return np.abs(actual - forecasts)

    def _read(self, data) -> SeriesTable:
        if data is None:
            return self.table_
        return read_with_features(data, self.target_, list(self.features_))

    def _check_length(self, table: SeriesTable, after: int) -> None:
        """Raise a DataError unless one window and ``after`` rows past it fit in ``table``."""
        skip = leading_rows(self.target_transform)
        need = self.look_back + after + skip
        if len(table) < need:
            terms = "look_back" + (" + horizon" if after else "") + (" + 1 (target_transform)" if skip else "")
            raise DataError(f"{table.source}: column {table.target!r} has {len(table)} rows; "
                            f"{terms} = {need} needs at least {need}")

    def _origins(self, table: SeriesTable) -> np.ndarray:
        """Row of the first forecast step of every window of ``table`` with ``horizon`` targets in it."""
        self._check_length(table, self.horizon)
        first = self.look_back + leading_rows(self.target_transform)
        return np.arange(first, len(table) - self.horizon + 1)  # (n,)

    # ------------------------------------------------------------- predictions
    def predict(self, data=None) -> pd.DataFrame:
        """One forecast per window of ``data`` (default: the fitted data).

        Returns
        -------
        pandas.DataFrame
            Indexed by each window's first forecast date, one column per step
            (``t+1`` ... ``t+horizon``), in the original units.
        """
        return predict_windows(self, data)

    def forecast(self, data=None, coverage: float | None = None, spread: bool = False) -> pd.DataFrame:
        """The next ``horizon`` values after the end of ``data`` (default: the fitted data).

        No refitting: a newer table with the same columns moves the forecast forward.

        Parameters
        ----------
        data : path or DataFrame, optional
        coverage : float, optional
            Add ``lower`` and ``upper`` columns: a split-conformal interval meant to
            hold the truth with this probability (e.g. 0.9), from the absolute
            errors on the validation windows (``residuals_``, saved with the model).
        spread : bool
            Add a ``spread`` column: the standard deviation of the ensemble members'
            forecasts (0 with ``ensemble=1``), and one column per member
            (``member_1`` ...).

        Returns
        -------
        pandas.DataFrame
            Indexed by the future dates, one column named after the target (and
            ``lower``, ``upper`` with ``coverage``; ``spread`` and the members with ``spread``).
        """
        return forecast_after(self, data, coverage, spread)

    def evaluate(self, data=None, start=None, strong: bool | None = None) -> pd.DataFrame:
        """Metrics of the LSTM and of the baselines on exactly the same windows.

        Parameters
        ----------
        data : path or DataFrame, optional
            Defaults to the fitted data.
        start : date-like, int, float or None
            Score only windows whose first forecast step is at or after ``start`` (a
            date, a row number or a fraction of the rows). Default: the validation part when ``data`` is
            omitted, every window otherwise.
        strong : bool or None
            Add AutoETS, AutoARIMA and AutoTheta when statsforecast is installed
            (``pip install 'lstmcast[baselines]'``): fitted once on the rows before the
            first scored window, each forecast reading only the rows before its origin
            (see :mod:`lstmcast.forecast.strong`). ``None``: unless the windows' histories
            add up to more than ``strong.WORK_LIMIT`` rows (the verdict then says they
            were skipped); ``True``: always; ``False``: never.

        Returns
        -------
        pandas.DataFrame
            One row per model (``LSTM``, ``naive``, ``seasonal naive``, ``drift``, and
            the classical models), columns MAE, RMSE, MAPE, sMAPE, MASE, R2, DirAcc, in
            original units. ``attrs["verdict"]`` says in one line whether the LSTM beats
            naive and the strongest of all (or which strong baselines were not run),
            ``attrs["windows"]`` how many windows were scored.
        """
        return evaluate_forecaster(self, data, start, strong)

    def backtest(self, data, target: str | None = None, features=None, start=None, end=None,
                 step: int = 1, refit_every: int | None = None, coverage: float | None = 0.9,
                 date_column: str | None = None, fill: str | None = None, freq: str | None = None,
                 strong: bool | None = None):
        """Walk-forward evaluation: forecasts from each origin made only with data before it.

        Copies of this Forecaster (same parameters; ``self`` is left as it is) are
        fitted on all rows before an origin, again every ``refit_every`` rows; with
        ``strong``, so are AutoETS, AutoARIMA and AutoTheta when statsforecast is installed.
        See :func:`lstmcast.forecast.backtest.run_backtest` for every argument.

        Returns
        -------
        BacktestResult
            ``forecasts`` (one row per origin and step), ``metrics`` (LSTM against
            the baselines over all origins), ``verdict`` and the interval ``coverage`` reached.
        """
        self._validate()
        if target is None and hasattr(self, "target_"):
            target, features = self.target_, list(self.features_)
        table = read_with_features(data, choose_target(data, target, date_column), features,
                                   date_column, fill, freq)

        def fit_copy(rows: pd.DataFrame) -> "Forecaster":
            return Forecaster(**self.get_params()).fit(rows, target=table.target, features=list(table.features),
                                                       freq=table.freq)

        return run_backtest(fit_copy, table, self.horizon, self.look_back, self.season, start=start, end=end,
                            step=step, refit_every=refit_every, coverage=coverage, strong=strong,
                            has_validation=self.val_fraction > 0)

    def inspect(self, data=None, window: int = -1):
        """Gate traces, attention and per-step gradient norms of one window (of the first member).

        See :func:`lstmcast.inspection.inspect_window`; ``window=-1`` is the window
        :meth:`forecast` reads.
        """
        from ..inspection import inspect_window

        return inspect_window(self, data, window)

    def network_inputs(self, x_scaled: np.ndarray):
        """Scaled windows (n, look_back, F) -> :class:`~lstmcast.forecast.windowing.NetworkWindows`
        as the networks read them (window-normalised, patched), with the map back to scaled units."""
        self._check_fitted()
        return network_windows(x_scaled, None, self.window_norm_, self.patch, self.dtype)

    def scaled(self, values: np.ndarray, source: str = "data") -> np.ndarray:
        """Rows (N, F) in original units -> what the windows are cut from (N, F): encoded and scaled."""
        self._check_fitted()
        return self.scaler_.transform(encode_values(values, self.window_norm_, self.target_transform, source,
                                                    str(self.target_)))

    # ------------------------------------------------------------- persistence
    def save(self, path) -> Path:
        """Write a model directory (config.json, weights.safetensors, resume state); returns its path."""
        self._check_fitted()
        return save_forecaster(path, self.get_params(), self.table_, self.split_, self.scaler_, self.window_norm_,
                               self.members_, self.residuals_)

    @classmethod
    def load(cls, path) -> "Forecaster":
        """Read a model directory written by :meth:`save`."""
        parts = load_forecaster(path)
        fc = cls(**parts.params)
        parts.restore(fc, fc._network_spec(parts.input_size))
        return fc
