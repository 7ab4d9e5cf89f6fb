"""Forecaster: the estimator users hold — from a table to forecasts they can check.

Pipeline, for ``fit`` and every prediction alike::

    table (N, F) --scaler fitted on training rows--> scaled (N, F)
      --sliding windows--> X (n, look_back, F), Y (n, horizon)
      --window_norm="last": subtract each window's last target value from X[..., 0] and Y-->
      ForecastNet --add the last value back, undo the scaler--> forecasts in original units

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
from ..data.scalers import make_scaler
from ..data.split import chronological_split
from ..data.tables import SeriesTable, check_length, read_series
from ..data.windows import make_windows
from ..nn.losses import huber_loss, mse_loss
from ..nn.optim import Adam
from ..training import Trainer, apply_gradients, minibatches
from .baselines import baseline_forecasts, season_from_freq
from .metrics import compare_to_baseline, metrics_table
from .network import ForecastNet

PREDICT_CHUNK = 512  # windows per forward pass when predicting (bounds memory)
WINDOW_NORMS = ("last", "none")
LOSSES = {"mse": mse_loss, "huber": huber_loss}


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
        value (robust to level shifts; zero output = the naive forecast).
    loss : {"mse", "huber"}
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
    """

    def __init__(self, look_back: int = 24, horizon: int = 12, hidden_size: int = 64,
                 num_layers: int = 1, bidirectional: bool = False, attention: bool = False,
                 dropout: float = 0.0, recurrent_dropout: float = 0.0, scaler: str = "standard",
                 window_norm: str = "last", loss: str = "mse", epochs: int = 200,
                 batch_size: int = 32, lr: float = 1e-3, weight_decay: float = 0.0,
                 clip_norm: float | None = 1.0, patience: int | None = 20,
                 val_fraction: float = 0.2, season: int | None = None, dtype: str = "float32",
                 seed: int = 0, verbose: bool = True) -> None:
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

    PARAMS = ("look_back", "horizon", "hidden_size", "num_layers", "bidirectional", "attention",
              "dropout", "recurrent_dropout", "scaler", "window_norm", "loss", "epochs",
              "batch_size", "lr", "weight_decay", "clip_norm", "patience", "val_fraction",
              "season", "dtype", "seed", "verbose")

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
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")

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
            raise ValueError(f"loss must be 'mse' or 'huber', got {self.loss!r}")
        make_scaler(self.scaler)

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
            Other columns used as inputs.
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
        table = read_series(data, _choose_target(data, target, date_column), features,
                            date_column, fill, freq)
        check_length(table, self.look_back, self.horizon)
        split = chronological_split(len(table), self.val_fraction)
        values = table.values  # (N, F)
        if not resume:
            self.scaler_ = make_scaler(self.scaler).fit(values[split.train])
        scaled = self.scaler_.transform(values)  # (N, F)

        train_rows = scaled[split.train]
        if len(train_rows) < self.look_back + self.horizon:
            raise DataError(
                f"{table.source}: the training part has {len(train_rows)} rows, fewer than "
                f"look_back + horizon = {self.look_back + self.horizon}; use more data, a shorter "
                f"look_back or horizon, or a smaller val_fraction"
            )
        x_train, y_train = self._normalised(*make_windows(train_rows, self.look_back, self.horizon)[:2])
        validation = None
        if split.sizes[1] > 0:
            val_rows = scaled[split.window_rows("val", self.look_back)]
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
                dtype=self.dtype, seed=self.seed,
            )
        optimizer = Adam(self.network_, lr=self.lr, weight_decay=self.weight_decay)
        trainer = Trainer(self.network_, optimizer, patience=self.patience if validation else None,
                          seed=self.seed, verbose=self.verbose, description="fit")
        if resume:
            trainer.load_state(self.training_state_, self.resume_arrays_)
        loss_fn = LOSSES[self.loss]
        net = self.network_

        def train_epoch(rng):
            total = 0.0
            for idx in minibatches(len(x_train), self.batch_size, rng):
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
        return self

    # --------------------------------------------------------------- internals
    def _normalised(self, x: np.ndarray, y: np.ndarray | None = None):
        """Cast to the model dtype; with window_norm="last", subtract each window's last target value."""
        x = x.astype(self.dtype, copy=True)  # (n, look_back, F)
        if y is not None:
            y = y.astype(self.dtype, copy=True)  # (n, horizon)
        if self.window_norm == "last":
            last = x[:, -1:, 0].copy()  # (n, 1)
            x[:, :, 0] -= last
            if y is not None:
                y -= last
        return x, y

    def _forward_chunked(self, x: np.ndarray) -> np.ndarray:
        self.network_.eval()
        parts = [self.network_.forward(x[i : i + PREDICT_CHUNK]) for i in range(0, len(x), PREDICT_CHUNK)]
        self.network_.train()
        return np.concatenate(parts)  # (n, horizon)

    def _predict_scaled_windows(self, x_scaled: np.ndarray) -> np.ndarray:
        """Scaled windows (n, look_back, F) -> forecasts in original units (n, horizon)."""
        x, _ = self._normalised(x_scaled)
        y = self._forward_chunked(x).astype(np.float64)  # (n, horizon)
        if self.window_norm == "last":
            y += x_scaled[:, -1:, 0]
        return self.scaler_.inverse_transform_target(y)

    def _read(self, data) -> SeriesTable:
        if data is None:
            return self.table_
        table = read_series(data, self.target_, list(self.features_))
        return table

    def _windows(self, table: SeriesTable):
        """All windows of ``table``: scaled inputs, true targets (original units), origins."""
        check_length(table, self.look_back, self.horizon)
        scaled = self.scaler_.transform(table.values)  # (N, F)
        x, _, origins = make_windows(scaled, self.look_back, self.horizon)
        _, y_true, _ = make_windows(table.values, self.look_back, self.horizon)
        return x, y_true, origins

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
        x, _, origins = self._windows(table)
        y = self._predict_scaled_windows(x)
        return pd.DataFrame(y, index=table.dates[origins],
                            columns=[f"t+{h}" for h in range(1, self.horizon + 1)])

    def forecast(self, data=None) -> pd.DataFrame:
        """The next ``horizon`` values after the end of ``data`` (default: the fitted data).

        No refitting: a newer table with the same columns moves the forecast forward.

        Returns
        -------
        pandas.DataFrame
            Indexed by the future dates, one column named after the target.
        """
        self._check_fitted()
        table = self._read(data)
        if len(table) < self.look_back:
            raise DataError(f"{table.source} has {len(table)} rows; look_back = {self.look_back} needs at least that many")
        scaled = self.scaler_.transform(table.values[-self.look_back :])  # (look_back, F)
        y = self._predict_scaled_windows(scaled[None])[0]  # (horizon,)
        return pd.DataFrame({self.target_: y}, index=table.future_dates(self.horizon))

    def evaluate(self, data=None, start=None) -> pd.DataFrame:
        """Metrics of the LSTM and of the naive baselines on exactly the same windows.

        Parameters
        ----------
        data : path or DataFrame, optional
            Defaults to the fitted data.
        start : date-like, int or None
            Score only windows whose first forecast step is at or after ``start`` (a
            date, or a row number). Default: the validation part when ``data`` is
            omitted, every window otherwise.

        Returns
        -------
        pandas.DataFrame
            One row per model (``LSTM``, ``naive``, ``seasonal naive``, ``drift``),
            columns MAE, RMSE, MAPE, sMAPE, MASE, R2, DirAcc, in original units.
            ``attrs["verdict"]`` says in one line whether the LSTM beats naive and
            ``attrs["windows"]`` how many windows were scored.
        """
        self._check_fitted()
        table = self._read(data)
        if start is None and data is None:
            start = self.split_.val.start if self.split_.sizes[1] > 0 else 0
        x, y_true, origins = self._windows(table)
        first = _start_row(table, start)
        keep = origins >= first
        if not keep.any():
            raise DataError(f"{table.source}: no window starts at or after {start!r}; nothing to score")
        x, y_true, origins = x[keep], y_true[keep], origins[keep]
        series = table.target_values
        season = self.season or season_from_freq(table.freq)
        predictions = {"LSTM": self._predict_scaled_windows(x)}
        predictions.update(baseline_forecasts(series, origins, self.horizon, season))
        train_target = self.table_.target_values[self.split_.train]
        table_out = metrics_table(y_true, predictions, train_target, season=season,
                                  last_values=series[origins - 1])
        verdicts = [compare_to_baseline(table_out, "LSTM", "naive")]
        strongest = table_out.drop(index="LSTM")["MAE"].idxmin()
        if strongest != "naive":
            verdicts.append(compare_to_baseline(table_out, "LSTM", strongest))
        table_out.attrs["verdict"] = "; ".join(verdicts)
        table_out.attrs["windows"] = int(len(origins))
        return table_out

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


def _choose_target(data, target: str | None, date_column: str | None) -> str:
    """The target column: as given, or the only value column of the table."""
    if target is not None:
        return target
    if isinstance(data, pd.DataFrame):
        columns = [c for c in data.columns if c != date_column]
        source = "DataFrame"
    else:
        path = Path(data)
        try:
            columns = list(pd.read_csv(path, nrows=0).columns)
        except FileNotFoundError:
            raise DataError(f"{path}: no such file") from None
        except (pd.errors.EmptyDataError, UnicodeDecodeError):
            raise DataError(f"{path}: the file is empty or not a CSV table") from None
        source = path.name
        columns = columns[1:] if date_column is None else [c for c in columns if c != date_column]
    if len(columns) == 1:
        return str(columns[0])
    raise DataError(f"{source}: name the column to forecast with target=; columns: {', '.join(map(str, columns))}")


def _start_row(table: SeriesTable, start) -> int:
    if start is None:
        return 0
    if isinstance(start, (int, np.integer)) and not isinstance(start, bool):
        return int(start) if start >= 0 else len(table) + int(start)
    try:
        stamp = pd.Timestamp(start)
    except (ValueError, TypeError):
        raise ValueError(f"start must be a date or a row number, got {start!r}") from None
    return int(table.dates.searchsorted(stamp))
