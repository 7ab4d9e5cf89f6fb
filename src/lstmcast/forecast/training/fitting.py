"""Train one ForecastNet on windows drawn batch by batch: Adam, early stopping, resumable state.

Training runs by epochs (every window once per epoch, shuffled) or by a step budget
(``max_steps`` optimiser steps, each on ``batch_size`` windows drawn uniformly over all
training windows, with replacement; the validation sample is scored every
:func:`check_every` steps and the best check's weights are kept). :func:`training_plan`
decides which from the settings and the number of windows, and says so. Windows come from
a :class:`WindowSource`: the training windows are gathered per batch, never all at once.

An ensemble is several calls with different seeds (:func:`member_seed`); member 0
uses the Forecaster's seed itself, so ``ensemble=1`` is the single model, bit for bit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ...nn.losses import huber_loss, mse_loss, pinball_loss
from ...nn.optim import Adam
from ...threads import blas_threads, threads_for_lstm
from ...training import History, Trainer, apply_gradients
from .network import ForecastNet
from ..intervals.quantiles import median_index

LOSSES = {"mse": mse_loss, "huber": huber_loss, "quantile": pinball_loss}
PREDICT_CHUNK = 512  # windows per forward pass when predicting (bounds memory)
AUTO_EPOCHS = 200
"""Epochs with ``epochs=None`` on data large enough for :data:`MIN_STEPS` of them."""
MIN_STEPS = 1000
"""With ``epochs=None``: at least this many Adam steps, and early stopping waits at least as long.

A series of 120 monthly values makes 2-3 batches an epoch: 20 epochs of patience are
40-60 steps, too few to leave the plateau the validation loss often sits on early
(chosen on the airline and temperatures validation years; see benchmarks/airline.py)."""
DRAWN_OVER = "windows"
"""A step's windows are drawn uniformly over all training windows, each window alike, not each series
alike (``"series"``, see :func:`batch_drawer`): on M4 Hourly's validation hours, where a series holds
about 310 to 515 training windows, the defaults score OWA 0.578 drawing over windows and 0.587 over
series (``benchmarks/README.md``, "How a step draws its windows")."""
STEP_MODE_WINDOWS = 50_000
"""With ``epochs=None`` and ``max_steps=None``: more training windows than this train by steps, not epochs."""
AUTO_MAX_STEPS = 8000
"""The step budget then (see :func:`training_plan`)."""
EPOCH_BATCH = 32
"""Windows per step with ``batch_size=None`` when training by epochs."""
STEP_BATCH = 256
"""Windows per step with ``batch_size=None`` when training by a step budget (on M4 Hourly's validation
hours 256 windows a step against 32 took OWA from 0.806 to 0.682 at 4,000 steps)."""


@dataclass(frozen=True)
class NetworkSpec:
    """What one member's network is and how it is trained (the Forecaster's settings)."""

    input_size: int  # features per network step: patch * F
    horizon: int  # outputs per window
    hidden_size: int  # LSTM units per layer
    num_layers: int  # stacked LSTM layers
    bidirectional: bool  # read windows both ways
    dropout: float  # between layers and before the head
    recurrent_dropout: float  # variational dropout on h_{t-1}
    attention: bool  # attention pooling instead of the last state
    dtype: str  # "float32" or "float64"
    loss: str  # "mse", "huber" or "quantile", in window-normalised units
    epochs: int | None  # epochs to train (this call); None: AUTO_EPOCHS, raised to reach MIN_STEPS
    batch_size: int | None  # windows per Adam step; None: EPOCH_BATCH by epochs, STEP_BATCH by steps
    lr: float  # Adam learning rate
    weight_decay: float  # Adam L2 weight decay
    clip_norm: float | None  # gradient norm clip; None: none
    patience: int | None  # early stopping patience in epochs; None: every epoch
    verbose: bool  # progress bar
    quantiles: tuple[float, ...] | None = None  # levels of a quantile model (loss="quantile"); None: a point model
    max_steps: int | None = None  # a step budget instead of epochs; None: decided by training_plan
    known_size: int = 0  # values known in advance per forecast step (future features), read by the decoder
    static_size: int = 0  # static attributes: the last columns of every row (network.STATIC_STATE)

    @property
    def outputs_per_step(self) -> int:
        """Outputs per forecast step: one per quantile level, or 1."""
        return 1 if self.quantiles is None else len(self.quantiles)

    @property
    def median(self) -> int:
        """Index of the point forecast among the outputs of a step."""
        return 0 if self.quantiles is None else median_index(self.quantiles)

    def loss_function(self):
        """``loss(pred, target) -> (value, dpred)`` of this spec."""
        if self.quantiles is None:
            return LOSSES[self.loss]
        levels = self.quantiles
        return lambda pred, target: pinball_loss(pred, target, levels)


@dataclass
class Member:
    """One trained network, its history and the state to resume its training."""

    network: ForecastNet
    history: History
    training_state: dict
    resume_arrays: dict[str, np.ndarray]
    plan: str = ""  # how it was trained, in words (training_plan)


class WindowSource(Protocol):
    """Training windows as the network reads them, gathered by index."""

    def __len__(self) -> int: ...

    def take(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Inputs (B, T, C), targets (B, horizon) and known values (B, horizon, K) or None of windows
        ``idx`` (B,), in the model's dtype."""


@dataclass(frozen=True)
class ArrayWindows:
    """A :class:`WindowSource` over windows already built: ``x`` (n, T, C), ``y`` (n, horizon) and
    ``known`` (n, horizon, K) or None."""

    x: np.ndarray
    y: np.ndarray
    known: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.x)

    def take(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        return self.x[idx], self.y[idx], None if self.known is None else self.known[idx]


def batch_drawer(training: WindowSource, over: str):
    """``draw(rng, B)`` -> the indexes (B,) of a step's windows, drawn with replacement uniformly over every
    training window (``over="windows"``), or over the series first and then over that series' windows
    (``"series"``: each series alike, however long; for a source that knows its windows' series, which
    must come one series after another)."""
    series = getattr(getattr(training, "index", None), "series", None)
    if over == "windows" or series is None or not len(series):
        return lambda rng, size: rng.integers(0, len(training), size)
    counts = np.bincount(series)  # (S,) windows per series
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])  # (S,) each series' first window
    drawn = np.flatnonzero(counts)  # (S',) the series with windows

    def draw(rng, size):
        picked = drawn[rng.integers(0, len(drawn), size)]  # (B,)
        return offsets[picked] + (rng.random(size) * counts[picked]).astype(np.int64)  # (B,)

    return draw


@dataclass(frozen=True)
class TrainingPlan:
    """How a member trains: ``rounds`` rounds of training then validation, each an epoch or
    ``steps_per_round`` optimiser steps; ``patience`` in rounds."""

    by_steps: bool
    rounds: int
    steps_per_round: int | None
    patience: int | None
    words: str
    batch_size: int


def check_every(max_steps: int) -> int:
    """Steps between two validation checks of a step budget: a tenth of it, at most 250."""
    return max(1, min(250, math.ceil(max_steps / 10)))


def training_plan(spec: NetworkSpec, n_windows: int) -> TrainingPlan:
    """Epochs or a step budget, for ``n_windows`` training windows.

    ``spec.max_steps`` given: that many steps. ``spec.epochs`` given: that many epochs. Both
    None: by steps (:data:`AUTO_MAX_STEPS`) when there are more than :data:`STEP_MODE_WINDOWS`
    windows (an epoch of them costs more than the whole budget needs: M4 Hourly's 290,000
    windows made 9,000 steps an epoch), else by epochs (:func:`epochs_and_patience`).
    """
    if spec.max_steps is None and (spec.epochs is not None or n_windows <= STEP_MODE_WINDOWS):
        epochs, patience = epochs_and_patience(spec, n_windows)
        batch = spec.batch_size or EPOCH_BATCH
        return TrainingPlan(False, epochs, None, patience, f"{epochs} epochs at most of {n_windows:,} windows, "
                            f"{batch} a step", batch)
    steps = spec.max_steps if spec.max_steps is not None else AUTO_MAX_STEPS
    every = check_every(steps)
    batch = spec.batch_size or STEP_BATCH
    why = "" if spec.max_steps is not None else f" (more than {STEP_MODE_WINDOWS:,} windows: a step budget)"
    return TrainingPlan(True, math.ceil(steps / every), every, spec.patience,
                        f"{steps:,} steps of {batch} windows drawn from {n_windows:,}{why}", batch)


def member_seed(seed: int, index: int):
    """Seed of ensemble member ``index``: the seed itself for member 0, ``[seed, index]`` after."""
    return seed if index == 0 else [seed, index]


def epochs_and_patience(spec: NetworkSpec, n_windows: int) -> tuple[int, int | None]:
    """The epochs to run and the patience for ``n_windows`` training windows.

    An explicit ``spec.epochs`` is kept as it is. With ``None``: :data:`AUTO_EPOCHS`,
    raised so that training takes at least :data:`MIN_STEPS` Adam steps, and the
    patience raised to as many epochs as those steps need.
    """
    if spec.epochs is not None:
        return spec.epochs, spec.patience
    batches = math.ceil(n_windows / (spec.batch_size or EPOCH_BATCH))  # Adam steps per epoch
    floor = math.ceil(MIN_STEPS / batches)
    return max(AUTO_EPOCHS, floor), None if spec.patience is None else max(spec.patience, floor)


def build_network(spec: NetworkSpec, seed) -> ForecastNet:
    """An untrained ForecastNet of ``spec`` seeded by ``seed``."""
    return ForecastNet(spec.input_size, spec.horizon, spec.hidden_size, spec.num_layers, spec.bidirectional,
                       spec.dropout, spec.recurrent_dropout, spec.attention, dtype=spec.dtype, seed=seed,
                       quantiles=spec.outputs_per_step, median=spec.median, known_size=spec.known_size,
                       static_size=spec.static_size)


def predict_network(network: ForecastNet, x: np.ndarray, dropout=None, known: np.ndarray | None = None) -> np.ndarray:
    """Outputs (n, horizon), or (n, horizon, Q) for a quantile model, of ``network`` for windows ``x``
    (n, T, C) and their horizons' known values ``known`` (n, horizon, K) (a network with a decoder), in
    chunks, in evaluation mode; ``dropout`` (a seed: int or sequence of int): dropout
    on, its masks drawn from that seed, for Monte-Carlo passes.

    The passes run on a replica of ``network`` (see :meth:`lstmcast.nn.Module.replica`): the
    network itself is never changed, so calls may run at once and give what they give one by one."""
    net = network.replica(training=dropout is not None, seed=dropout)
    with blas_threads(threads_for_lstm(min(len(x), PREDICT_CHUNK), network.hidden_size)):
        parts = [net.forward(x[i : i + PREDICT_CHUNK], None if known is None else known[i : i + PREDICT_CHUNK])
                 for i in range(0, len(x), PREDICT_CHUNK)]
    return np.concatenate(parts)  # (n, horizon) or (n, horizon, Q)


def train_member(spec: NetworkSpec, training: WindowSource, validation: tuple | None, seed,
                 resume_from: Member | None = None, description: str = "fit") -> Member:
    """Train one network on ``training`` windows as :func:`training_plan` says.

    Parameters
    ----------
    spec : NetworkSpec
    training : WindowSource
        The training windows, gathered per batch (see :mod:`lstmcast.forecast.preparing.windowing`).
    validation : (x_val, y_val, known_val) or None
        Early stopping on their loss; the best round's weights are kept (``known_val``: None without
        known values).
    seed : int or list of int
        Seeds the network's weights and the batches.
    resume_from : Member, optional
        Continue this member's training exactly where it stopped: for ``spec.epochs`` more
        epochs (``spec.max_steps`` more steps), or with neither for what is left of the plan.
    description : str
        Label of the progress bar.
    """
    network = resume_from.network if resume_from is not None else build_network(spec, seed)
    n = len(training)
    plan = training_plan(spec, n)
    rounds = plan.rounds
    if resume_from is not None and spec.epochs is None and spec.max_steps is None:  # finish the planned run
        done = resume_from.history.epochs
        if rounds <= done:
            raise ValueError(f"the model has trained {done} rounds, all that the default plans for these "
                             f"{n} training windows ({plan.words}): set epochs= or max_steps= to train more")
        rounds -= done
    optimizer = Adam(network, lr=spec.lr, weight_decay=spec.weight_decay)
    trainer = Trainer(network, optimizer, patience=plan.patience if validation else None, seed=seed,
                      verbose=spec.verbose, description=description,
                      blas_threads=threads_for_lstm(plan.batch_size, spec.hidden_size),
                      unit=f"checks of {plan.steps_per_round} steps" if plan.by_steps else "epochs")
    if resume_from is not None:
        trainer.load_state(resume_from.training_state, resume_from.resume_arrays)
    loss_fn = spec.loss_function()

    def step(idx) -> float:
        x, y, known = training.take(idx)
        loss, dpred = loss_fn(network.forward(x, known), y)
        network.backward(dpred)
        apply_gradients(network, optimizer, spec.clip_norm)
        return loss * len(idx)

    def train_epoch(rng):
        return sum(step(idx) for idx in trainer.batches(n, plan.batch_size, rng)) / n

    draw = batch_drawer(training, DRAWN_OVER)

    def train_steps(rng):
        total = 0.0
        for k in range(plan.steps_per_round):
            total += step(draw(rng, plan.batch_size))
            trainer.tick(k + 1, plan.steps_per_round)
        return total / (plan.steps_per_round * plan.batch_size)

    def validate():
        x_val, y_val, known_val = validation
        return loss_fn(predict_network(network, x_val, known=known_val), y_val)[0]

    history = trainer.run(rounds, train_steps if plan.by_steps else train_epoch, validate if validation else None)
    training_state, resume_arrays = trainer.state()
    trainer.restore_best()
    network.eval()
    return Member(network, history, training_state, resume_arrays, plan.words)
