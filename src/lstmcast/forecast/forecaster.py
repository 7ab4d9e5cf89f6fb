"""Forecaster: the estimator users hold — from a table to forecasts they can check.

Pipeline, for ``fit`` and every prediction alike::

    table (N, F) --target_transform: target column -> its changes (row 0 NaN)--> encoded (N, F)
      --scaler fitted on training rows--> scaled (N, F)
      --sliding windows--> X (n, look_back, F), Y (n, horizon)
      --window_norm="last" (levels only): subtract each window's last target value from X[..., 0] and Y-->
      ForecastNet --add the last value back, undo the scaler, rebuild levels from changes-->
      forecasts in original units

The hidden state starts from zero for every window. Validation windows come after
the training rows (their inputs may reach back ``look_back`` rows into training),
and the scaler never sees a validation row.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from ..data.errors import DataError
from ..data.features import read_with_features
from ..data.scalers import make_scaler
from ..data.split import chronological_split
from ..data.tables import SeriesTable, choose_target, row_position
from ..data.transforms import check_target_transform, decode_forecasts, encode_target, leading_rows
from ..data.windows import check_positive_int, make_windows
from ..nn.losses import huber_loss, mse_loss, pinball_loss
from ..nn.optim import Adam
from ..threads import blas_threads, threads_for_lstm
from ..training import Trainer, apply_gradients
from .baselines import baseline_forecasts, season_from_freq
from .insample import in_sample_note
from .intervals import check_coverage, conformal_quantile
from .metrics import compare_to_baseline, metrics_table
from .network import ForecastNet
from .no_harm import check_no_harm, fit_naive_weight, shrink_towards, weight_line
from .quantiles import check_quantiles, median_index
from .uncertainty import check_uncertainty_settings, evaluation_intervals, forecast_columns, quantile_loss

PREDICT_CHUNK = 512  # windows per forward pass when predicting (bounds memory)
WINDOW_NORMS = ("last", "none")
LOSSES = {"mse": mse_loss, "huber": huber_loss, "quantile": pinball_loss}


class Forecaster:
    """An LSTM forecaster with the scikit-learn estimator contract.

    Constructor arguments are stored unchanged and validated in :meth:`fit`; what is
    learned ends in ``_`` (``network_``, ``scaler_``, ``history_``, ``table_``).

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
    window_norm : {"last", "none"}
        ``"last"`` makes the network predict changes from each window's last target
        value (robust to level shifts; zero output = the naive forecast). It acts on
        level targets only: with a ``target_transform`` the windows already hold changes.
    target_transform : {"none", "diff", "log_return"}
        Model the target's step-to-step changes (``y_t - y_{t-1}``) or log returns
        (``log(y_t / y_{t-1})``) instead of its levels; forecasts are rebuilt as
        levels from the last observed value, and every metric is on levels.
    loss : {"mse", "huber", "quantile"}
        ``"quantile"``: pinball loss, one output per level in ``quantiles`` and step.
    epochs, batch_size, lr, weight_decay, clip_norm
        Adam training; gradients clipped to ``clip_norm`` (``None``: no clipping).
    patience : int or None
        Early stopping on the validation loss; the best epoch's weights are kept.
    val_fraction : float
        Share of the rows (the last ones) used for validation; 0 turns it off.
    season : int or None
        Season length for the seasonal-naive baseline and MASE; inferred from the
        frequency when ``None``.
    dtype : {"float32", "float64"}
    seed : int
        Same seed, same numbers, bit for bit.
    verbose : bool
        Show a progress bar while fitting.
    quantiles : sequence of float
        Levels forecast with ``loss="quantile"`` (kept in order; the one nearest 0.5
        is the point forecast). See :mod:`lstmcast.forecast.quantiles`.
    interval_method : {"aci", "rolling", "split"}
        How intervals follow the errors: adaptive conformal inference on a rolling
        window (default), the rolling window alone, or the validation errors only.
        See :mod:`lstmcast.forecast.conformal`.
    interval_window : int
        Recent errors per step kept by ``"aci"`` and ``"rolling"``.
    mc_passes : int
        With dropout: this many Monte-Carlo dropout passes give each forecast a spread,
        and intervals are conformal in units of that spread; 0 = off.
    no_harm : {"select", "shrink", "none"}
        ``"select"``: forecast naive (the last value) unless the LSTM beat it on the
        validation windows by more than noise; ``"shrink"``: move the forecasts
        towards naive by a weight fitted there; ``"none"``: the LSTM as trained.
        See :mod:`lstmcast.forecast.no_harm`.
    """

    def __init__(self, look_back: int = 24, horizon: int = 12, hidden_size: int = 64,
                 num_layers: int = 1, bidirectional: bool = False, attention: bool = False,
                 dropout: float = 0.0, recurrent_dropout: float = 0.0, scaler: str = "standard",
                 window_norm: str = "last", loss: str = "mse", epochs: int = 200,
                 batch_size: int = 32, lr: float = 1e-3, weight_decay: float = 0.0,
                 clip_norm: float | None = 1.0, patience: int | None = 20,
                 val_fraction: float = 0.2, season: int | None = None, dtype: str = "float32",
                 seed: int = 0, verbose: bool = True, target_transform: str = "none",
                 quantiles=(0.05, 0.5, 0.95), interval_method: str = "aci", interval_window: int = 250,
                 mc_passes: int = 0, no_harm: str = "select") -> None:
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
        self.quantiles = quantiles
        self.interval_method = interval_method
        self.interval_window = interval_window
        self.mc_passes = mc_passes
        self.no_harm = no_harm

    PARAMS = ("look_back", "horizon", "hidden_size", "num_layers", "bidirectional", "attention",
              "dropout", "recurrent_dropout", "scaler", "window_norm", "loss", "epochs",
              "batch_size", "lr", "weight_decay", "clip_norm", "patience", "val_fraction",
              "season", "dtype", "seed", "verbose", "target_transform", "quantiles", "interval_method",
              "interval_window", "mc_passes", "no_harm")

    def get_params(self) -> dict:
        """The constructor arguments, as given."""
        return {name: getattr(self, name) for name in self.PARAMS}

    def __repr__(self) -> str:
        defaults = Forecaster().get_params()
        changed = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items() if v != defaults[k])
        return f"Forecaster({changed})"

    # ------------------------------------------------------------------ checks
    def _validate(self) -> None:
        def positive_int(name):
            check_positive_int(getattr(self, name), name)

        for name in ("look_back", "horizon", "hidden_size", "num_layers", "epochs", "batch_size"):
            positive_int(name)
        for name in ("dropout", "recurrent_dropout"):
            if not 0 <= getattr(self, name) < 1:
                raise ValueError(f"{name} must be in [0, 1), got {getattr(self, name)!r}")
        if not 0 <= self.val_fraction < 1:
            raise ValueError(f"val_fraction must be in [0, 1), got {self.val_fraction!r}")
        if not (isinstance(self.lr, (int, float)) and self.lr > 0):
            raise ValueError(f"lr must be a positive number, got {self.lr!r}")
        if self.patience is not None:
            positive_int("patience")
        if self.season is not None:
            positive_int("season")
        if self.clip_norm is not None and not self.clip_norm > 0:
            raise ValueError(f"clip_norm must be positive or None, got {self.clip_norm!r}")
        if self.window_norm not in WINDOW_NORMS:
            raise ValueError(f"window_norm must be 'last' or 'none', got {self.window_norm!r}")
        if self.loss not in LOSSES:
            raise ValueError(f"loss must be 'mse', 'huber' or 'quantile', got {self.loss!r}")
        check_target_transform(self.target_transform)
        make_scaler(self.scaler)
        check_uncertainty_settings(self.quantiles, self.interval_method, self.interval_window, self.mc_passes,
                                   self.dropout or self.recurrent_dropout)
        check_no_harm(self.no_harm)

    def _check_fitted(self) -> None:
        if not hasattr(self, "network_"):
            raise ValueError("this Forecaster is not fitted yet: call fit(data, target=...) first")

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
            exactly where it stopped; the data must have the same columns.

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
            target, features = self.target_, list(self.features_)
        table = read_with_features(data, choose_target(data, target, date_column), features,
                                   date_column, fill, freq)
        self._check_length(table, self.horizon)
        split = chronological_split(len(table), self.val_fraction)
        skip = leading_rows(self.target_transform)  # rows without an encoded target
        encoded = encode_target(table.values, self.target_transform, table.source)  # (N, F)
        train = slice(skip, split.train.stop)
        if not resume:
            self.scaler_ = make_scaler(self.scaler).fit(encoded[train])
        scaled = self.scaler_.transform(encoded)  # (N, F)

        train_rows = scaled[train]
        if len(train_rows) < self.look_back + self.horizon:
            raise DataError(
                f"{table.source}: the training part has {len(train_rows)} rows, fewer than "
                f"look_back + horizon = {self.look_back + self.horizon}; use more data, a shorter "
                f"look_back or horizon, or a smaller val_fraction"
            )
        x_train, y_train = self._normalised(*make_windows(train_rows, self.look_back, self.horizon)[:2])
        validation = None
        if split.sizes[1] > 0:
            rows = split.window_rows("val", self.look_back)
            val_rows = scaled[max(rows.start, skip) : rows.stop]
            if len(val_rows) < self.look_back + self.horizon:
                raise DataError(
                    f"{table.source}: the validation part ({split.sizes[1]} rows) is shorter than "
                    f"horizon = {self.horizon}; raise val_fraction or set val_fraction=0"
                )
            validation = self._normalised(*make_windows(val_rows, self.look_back, self.horizon)[:2])

        if not resume:
            self.network_ = ForecastNet(
                table.values.shape[1], self.horizon, self.hidden_size, self.num_layers,
                self.bidirectional, self.dropout, self.recurrent_dropout, self.attention,
                dtype=self.dtype, seed=self.seed, quantiles=self._outputs_per_step, median=self._median,
            )
        optimizer = Adam(self.network_, lr=self.lr, weight_decay=self.weight_decay)
        trainer = Trainer(self.network_, optimizer, patience=self.patience if validation else None,
                          seed=self.seed, verbose=self.verbose, description=getattr(self, "_progress_label", "fit"),
                          blas_threads=threads_for_lstm(self.batch_size, self.hidden_size))
        if resume:
            trainer.load_state(self.training_state_, self.resume_arrays_)
        loss_fn = self._loss_function()
        net = self.network_

        def train_epoch(rng):
            total = 0.0
            for idx in trainer.batches(len(x_train), self.batch_size, rng):
                loss, dpred = loss_fn(net.forward(x_train[idx]), y_train[idx])
                net.backward(dpred)
                apply_gradients(net, optimizer, self.clip_norm)
                total += loss * len(idx)
            return total / len(x_train)

        def validate():
            x_val, y_val = validation
            return loss_fn(self._forward_chunked(x_val), y_val)[0]

        self.history_ = trainer.run(self.epochs, train_epoch, validate if validation else None)
        self.training_state_, self.resume_arrays_ = trainer.state()
        trainer.restore_best()
        self.network_.eval()
        self.table_ = table
        self.split_ = split
        self.target_, self.features_ = table.target, table.features
        self.naive_weight_ = 1.0  # the LSTM as trained, until validation says otherwise
        self.naive_weight_ = self._fit_naive_weight()
        self.residuals_ = self._validation_residuals()
        return self

    # ---------------------------------------------- quantiles, no harm (hooks)
    @property
    def _outputs_per_step(self) -> int:
        return len(check_quantiles(self.quantiles)) if self.loss == "quantile" else 1

    @property
    def _median(self) -> int:
        return median_index(self.quantiles) if self.loss == "quantile" else 0

    def _loss_function(self):
        if self.loss != "quantile":
            return LOSSES[self.loss]
        levels = check_quantiles(self.quantiles)
        return lambda pred, target: pinball_loss(pred, target, levels)

    def _fit_naive_weight(self) -> float:
        """The weight on the LSTM against naive, from the validation windows (see no_harm)."""
        origins = self._validation_origins()
        if not len(origins):
            return 1.0
        actual = self.table_.target_values[origins[:, None] + np.arange(self.horizon)]  # (n_val, horizon)
        forecast = self._forecast_at(self.table_.values, origins)  # (n_val, horizon)
        return fit_naive_weight(actual, forecast, self.table_.target_values[origins - 1], self.no_harm)

    # --------------------------------------------------------------- internals
    def _normalised(self, x: np.ndarray, y: np.ndarray | None = None):
        """Cast to the model dtype; with window_norm="last", subtract each window's last target value."""
        x = x.astype(self.dtype, copy=True)  # (n, look_back, F)
        if y is not None:
            y = y.astype(self.dtype, copy=True)  # (n, horizon)
        if self._norm_last:
            last = x[:, -1:, 0].copy()  # (n, 1)
            x[:, :, 0] -= last
            if y is not None:
                y -= last
        return x, y

    def _forward_chunked(self, x: np.ndarray, dropout: bool = False) -> np.ndarray:
        was_training = self.network_.training
        self.network_.train(dropout)  # dropout=True: Monte-Carlo dropout passes
        with blas_threads(threads_for_lstm(min(len(x), PREDICT_CHUNK), self.hidden_size)):
            parts = [self.network_.forward(x[i : i + PREDICT_CHUNK]) for i in range(0, len(x), PREDICT_CHUNK)]
        self.network_.train(was_training)
        return np.concatenate(parts)  # (n, horizon)

    @property
    def _norm_last(self) -> bool:
        return self.window_norm == "last" and self.target_transform == "none"

    def _predict_scaled_windows(self, x_scaled: np.ndarray, last_levels: np.ndarray,
                                dropout: bool = False) -> np.ndarray:
        """Scaled windows (n, look_back, F) and each window's last level (n,) -> forecasts in original
        units (n, horizon), or (n, horizon, Q) for a quantile model (each level decoded alike)."""
        x, _ = self._normalised(x_scaled)
        y = self._forward_chunked(x, dropout).astype(np.float64)  # (n, horizon) or (n, horizon, Q)
        if y.ndim == 3:
            return np.stack([self._decode(y[:, :, k], x_scaled, last_levels) for k in range(y.shape[2])], axis=2)
        return self._decode(y, x_scaled, last_levels)

    def _decode(self, y: np.ndarray, x_scaled: np.ndarray, last_levels: np.ndarray) -> np.ndarray:
        """Network outputs (n, horizon) -> forecasts in original units (n, horizon)."""
        if self._norm_last:
            y += x_scaled[:, -1:, 0]
        changes = self.scaler_.inverse_transform_target(y)  # (n, horizon)
        return decode_forecasts(changes, last_levels, self.target_transform)

    def _forecast_at(self, values: np.ndarray, origins: np.ndarray, source: str = "data") -> np.ndarray:
        """Forecasts (n, horizon) in original units from the rows of ``values`` (N, F) before each origin.

        Only rows ``origin - look_back - 1 .. origin - 1`` of each window are read.
        """
        outputs = self._outputs_at(values, origins, source)
        return outputs if outputs.ndim == 2 else outputs[:, :, self._median]  # (n, horizon)

    def _outputs_at(self, values: np.ndarray, origins: np.ndarray, source: str = "data",
                    dropout: bool = False) -> np.ndarray:
        """As :meth:`_forecast_at`, with every quantile (n, horizon, Q) for a quantile model."""
        scaled = self.scaler_.transform(encode_target(values, self.target_transform, source))  # (N, F)
        rows = origins[:, None] + np.arange(-self.look_back, 0)  # (n, look_back)
        last = values[origins - 1, 0]  # (n,)
        outputs = self._predict_scaled_windows(scaled[rows], last, dropout)  # scaled[rows]: (n, look_back, F)
        point = outputs if outputs.ndim == 2 else outputs[:, :, self._median]  # (n, horizon)
        return shrink_towards(outputs, point, last, getattr(self, "naive_weight_", 1.0))

    def _validation_origins(self) -> np.ndarray:
        """First-step rows of the validation windows (n_val,)."""
        val = self.split_.val
        first = max(val.start, self.look_back + leading_rows(self.target_transform))
        return np.arange(first, val.stop - self.horizon + 1)  # (n_val,)

    def _validation_residuals(self) -> np.ndarray:
        """|actual - forecast| (n_val, horizon) on the validation windows, original units."""
        origins = self._validation_origins()  # (n_val,)
        if len(origins) == 0:
            return np.zeros((0, self.horizon))
        actual = self.table_.target_values[origins[:, None] + np.arange(self.horizon)]  # (n_val, horizon)
        return np.abs(actual - self._forecast_at(self.table_.values, origins))

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
        self._check_fitted()
        table = self._read(data)
        origins = self._origins(table)
        y = self._forecast_at(table.values, origins, table.source)  # (n, horizon)
        return pd.DataFrame(y, index=table.dates[origins], columns=[f"t+{h}" for h in range(1, self.horizon + 1)])

    def forecast(self, data=None, coverage: float | None = None) -> pd.DataFrame:
        """The next ``horizon`` values after the end of ``data`` (default: the fitted data).

        No refitting: a newer table with the same columns moves the forecast forward.

        Parameters
        ----------
        data : path or DataFrame, optional
        coverage : float, optional
            Add ``lower`` and ``upper`` columns: a conformal interval meant to hold
            the truth with this probability (e.g. 0.9), from the errors on the
            validation windows and, as ``interval_method`` says, every error of
            ``data`` after the fitted rows (see :mod:`lstmcast.forecast.uncertainty`).

        Returns
        -------
        pandas.DataFrame
            Indexed by the future dates, one column named after the target, the
            quantile columns (``q0.05`` ...) of a quantile model, and ``lower``,
            ``upper`` with ``coverage``.
        """
        self._check_fitted()
        if coverage is not None:
            self._half_width(coverage)  # a clear error before any work when intervals cannot be built
        table = self._read(data)
        self._check_length(table, 0)
        recent = table.values[-(self.look_back + leading_rows(self.target_transform)) :]  # (rows, F)
        y = self._forecast_at(recent, np.array([len(recent)]), table.source)[0]  # (horizon,)
        out = pd.DataFrame({self.target_: y}, index=table.future_dates(self.horizon))
        for name, column in forecast_columns(self, table, recent, coverage).items():  # quantiles, intervals
            out[name] = column
        if coverage is not None:
            out.attrs["interval_label"] = f"{coverage:.0%} interval ({self.interval_method})"
        return out

    def _half_width(self, coverage: float) -> np.ndarray:
        """Conformal half-width per horizon step (horizon,) for ``coverage``."""
        coverage = check_coverage(coverage)
        if len(getattr(self, "residuals_", ())) == 0:
            raise ValueError("this model has no validation residuals for intervals: "
                             "fit it with val_fraction > 0 to use coverage=")
        return conformal_quantile(self.residuals_, coverage)

    def evaluate(self, data=None, start=None, coverage: float | None = None) -> pd.DataFrame:
        """Metrics of the LSTM and of the naive baselines on exactly the same windows.

        Parameters
        ----------
        data : path or DataFrame, optional
            Defaults to the fitted data.
        start : date-like, int, float or None
            Score only windows whose first forecast step is at or after ``start`` (a
            date, a row number or a fraction of the rows). Default: the validation part when ``data`` is
            omitted, every window otherwise.
        coverage : float, optional
            Also score intervals for this coverage: ``attrs["intervals"]`` (coverage, ACD,
            width, Winkler, MSIS) and ``attrs["by_step"]`` (coverage and width per step).
            On the validation part these are optimistic: it is also what they are calibrated on.
            (A quantile model always reports ``attrs["pinball"]``.)

        Returns
        -------
        pandas.DataFrame
            One row per model (``LSTM``, ``naive``, ``seasonal naive``, ``drift``),
            columns MAE, RMSE, MAPE, sMAPE, MASE, R2, DirAcc, in original units.
            ``attrs["verdict"]`` says in one line whether the LSTM beats naive and
            ``attrs["windows"]`` how many windows were scored, ``attrs["in_sample_windows"]``
            how many of them forecast dates the fit saw (training rows, or validation
            rows early stopping chose the epoch by); the verdict then says so.
        """
        self._check_fitted()
        table = self._read(data)
        if start is None and data is None:
            start = self.split_.val.start if self.split_.sizes[1] > 0 else 0
        origins = self._origins(table)
        origins = origins[origins >= (0 if start is None else row_position(table, start, "start"))]
        if not len(origins):
            raise DataError(f"{table.source}: no window starts at or after {start!r}; nothing to score")
        series = table.target_values
        y_true = series[origins[:, None] + np.arange(self.horizon)]  # (n, horizon)
        season = self.season or season_from_freq(table.freq)
        predictions = {"LSTM": self._forecast_at(table.values, origins, table.source)}
        predictions.update(baseline_forecasts(series, origins, self.horizon, season))
        train_target = self.table_.target_values[self.split_.train]
        table_out = metrics_table(y_true, predictions, train_target, season=season,
                                  last_values=series[origins - 1])
        verdicts = [compare_to_baseline(table_out, "LSTM", "naive")]
        strongest = table_out.drop(index="LSTM")["MAE"].idxmin()
        if strongest != "naive":
            verdicts.append(compare_to_baseline(table_out, "LSTM", strongest))
        verdicts.append(weight_line(getattr(self, "naive_weight_", 1.0), self.no_harm))
        seen, note = in_sample_note(table.dates, origins, self.table_, self.split_, self.patience is not None)
        verdicts += [note] if note else []
        table_out.attrs["verdict"] = "; ".join(verdicts)
        table_out.attrs["windows"] = int(len(origins))
        table_out.attrs["in_sample_windows"] = seen
        if coverage is not None:
            self._half_width(coverage)
            table_out.attrs["intervals"], table_out.attrs["by_step"] = evaluation_intervals(
                self, table, origins, coverage, train_target, season)
        if self.loss == "quantile":
            table_out.attrs["pinball"] = quantile_loss(self, table, origins)
        return table_out

    def backtest(self, data, target: str | None = None, features=None, start=None, end=None,
                 step: int = 1, refit_every: int | None = None, coverage: float | None = 0.9,
                 date_column: str | None = None, fill: str | None = None, freq: str | None = None):
        """Walk-forward evaluation: forecasts from each origin made only with data before it.

        Copies of this Forecaster (same parameters; ``self`` is left as it is) are
        fitted on all rows before an origin, again every ``refit_every`` rows.
        See :func:`lstmcast.forecast.backtest.run_backtest` for every argument.

        Returns
        -------
        BacktestResult
            ``forecasts`` (one row per origin and step), ``metrics`` (LSTM against
            naive, seasonal naive and drift over all origins), ``verdict`` and the
            interval ``coverage`` reached.
        """
        from .backtest import run_backtest

        return run_backtest(self, data, target=target, features=features, start=start, end=end, step=step,
                            refit_every=refit_every, coverage=coverage, date_column=date_column,
                            fill=fill, freq=freq)

    def inspect(self, data=None, window: int = -1):
        """Gate traces, attention and per-step gradient norms of one window.

        See :func:`lstmcast.inspection.inspect_window`; ``window=-1`` is the window
        :meth:`forecast` reads.
        """
        from ..inspection import inspect_window

        return inspect_window(self, data, window)

    # ------------------------------------------------------------- persistence
    def save(self, path) -> Path:
        """Write a model directory (config.json, weights.safetensors, resume state); returns its path."""
        from .persistence import save_forecaster

        self._check_fitted()
        return save_forecaster(self, path)

    @classmethod
    def load(cls, path) -> "Forecaster":
        """Read a model directory written by :meth:`save`."""
        from .persistence import load_forecaster

        return load_forecaster(path)
