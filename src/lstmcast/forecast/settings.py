"""The Forecaster's constructor arguments: stored unchanged, listed, shown and checked (scikit-learn style).

:class:`~lstmcast.forecast.Forecaster` documents every argument; this base class only
holds them, so the estimator's file keeps to what it does with them.
"""

from __future__ import annotations

from ..estimator import Estimator
from .training.fitting import NetworkSpec
from .params import validate_params
from .intervals.quantiles import median_index


class ForecasterSettings(Estimator):
    """Keyword arguments stored as given; :meth:`get_params` lists them and :meth:`set_params` changes
    them (see :class:`~lstmcast.estimator.Estimator`), ``_validate`` checks them, and the network spec
    and quantile levels they imply."""

    def __init__(self, look_back: int = 24, horizon: int = 12, hidden_size: int = 64,
                 num_layers: int = 1, bidirectional: bool = False, attention: bool = False,
                 dropout: float = 0.0, recurrent_dropout: float = 0.0, scaler: str = "standard",
                 window_norm: str | None = None, loss: str = "huber", epochs: int | None = None,
                 batch_size: int | None = None, lr: float = 1e-3, weight_decay: float = 0.0,
                 clip_norm: float | None = 1.0, patience: int | None = 20,
                 val_fraction: float = 0.2, season: int | None = None, dtype: str = "float32",
                 seed: int = 0, verbose: bool = True, target_transform: str = "none",
                 patch: int | None = None, ensemble: int = 1, quantiles=(0.05, 0.5, 0.95), interval_method: str = "aci",
                 interval_window: int = 250, mc_passes: int = 0, no_harm: str = "select",
                 mode: str = "global", max_steps: int | None = None, combine: str | None = None) -> None:
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
        self.quantiles = quantiles
        self.interval_method = interval_method
        self.interval_window = interval_window
        self.mc_passes = mc_passes
        self.no_harm = no_harm
        self.mode = mode
        self.max_steps = max_steps
        self.combine = combine

    PARAMS = ("look_back", "horizon", "hidden_size", "num_layers", "bidirectional", "attention",
              "dropout", "recurrent_dropout", "scaler", "window_norm", "loss", "epochs",
              "batch_size", "lr", "weight_decay", "clip_norm", "patience", "val_fraction",
              "season", "dtype", "seed", "verbose", "target_transform", "patch", "ensemble", "quantiles",
              "interval_method", "interval_window", "mc_passes", "no_harm", "mode", "max_steps", "combine")

    def _validate(self) -> None:
        validate_params(self.get_params(deep=False))

    @property
    def _levels(self) -> tuple[float, ...] | None:
        """Quantile levels of a quantile model; None for a point model."""
        return tuple(float(q) for q in self.quantiles) if self.loss == "quantile" else None

    @property
    def _median(self) -> int:
        """Index of the point forecast among a quantile model's outputs (0 for a point model)."""
        return 0 if self._levels is None else median_index(self._levels)

    def _network_spec(self, input_size: int) -> NetworkSpec:
        return NetworkSpec(input_size, self.horizon, self.hidden_size, self.num_layers, self.bidirectional,
                           self.dropout, self.recurrent_dropout, self.attention, self.dtype, self.loss,
                           self.epochs, self.batch_size, self.lr, self.weight_decay, self.clip_norm,
                           self.patience, self.verbose, self._levels, self.max_steps, self._known_size,
                           self._static_size)

    @property
    def _static_size(self) -> int:
        """Static attributes among the inputs (``fit(static_features=...)``), 0 before a fit."""
        static = self.__dict__.get("static_")
        return 0 if static is None else len(static.columns)

    @property
    def _known_size(self) -> int:
        """Values known in advance per forecast step (``fit(future_features=..., static_features=...)``); 0
        before a fit."""
        future, static = self.__dict__.get("future_"), self.__dict__.get("static_")
        return (0 if future is None else len(future.names)) + (0 if static is None else len(static.columns))
