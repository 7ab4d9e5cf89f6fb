"""The epoch loop shared by the Forecaster and the character model.

The caller supplies what one epoch of training and one validation pass are; the
:class:`Trainer` runs the epochs, keeps the history, stops early when the
validation loss stops improving (restoring the best weights), shows a progress bar
and can hand over everything needed to resume bit for bit: the last weights, the
optimiser, every random generator and the early-stopping state.

Ctrl-C (``KeyboardInterrupt``) during an epoch does not lose the epochs before it:
the Trainer puts back the state at the end of the last complete epoch (weights,
optimiser, generators, history), sets ``history.interrupted`` and returns, so the
caller keeps the best weights so far and can save them; resuming from that state
gives the same numbers, bit for bit, as a run that was never interrupted. With no
complete epoch yet, the interrupt propagates.

The progress bar moves within an epoch (the caller reports its batches through
:meth:`Trainer.batches` or :meth:`Trainer.tick`), and its time estimate never
exceeds the time left before a ``deadline``.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator

import numpy as np

from .nn.init import make_rng
from .nn.module import Module
from .nn.optim import Optimizer, clip_grad_norm
from .threads import blas_threads


def minibatches(n: int, batch_size: int, rng: np.random.Generator | None) -> Iterator[np.ndarray]:
    """Yield index arrays covering ``range(n)`` in batches; shuffled when ``rng`` is given."""
    order = rng.permutation(n) if rng is not None else np.arange(n)
    for start in range(0, n, batch_size):
        yield order[start : start + batch_size]


def apply_gradients(module: Module, optimizer: Optimizer, clip_norm: float | None) -> float:
    """Clip the gradients (if ``clip_norm``), take one optimiser step, zero the gradients.

    Returns the gradient norm before clipping (``nan`` when not clipping).
    """
    norm = clip_grad_norm(module, clip_norm) if clip_norm else math.nan
    optimizer.step()
    optimizer.zero_grad()
    return norm


def module_rngs(module: Module, prefix: str = "") -> dict[str, np.random.Generator]:
    """Every random generator in a module tree (attribute ``rng``), keyed by dotted path."""
    found = {}
    rng = getattr(module, "rng", None)
    if isinstance(rng, np.random.Generator):
        found[prefix or "."] = rng
    for name, child in module._modules.items():
        found.update(module_rngs(child, prefix + name + "."))
    return found


@dataclass
class History:
    """Per-epoch record of a fit; ``best_epoch`` is 1-based, as printed."""

    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False
    interrupted: bool = False  # Ctrl-C ended the fit; the epochs recorded are all complete

    @property
    def epochs(self) -> int:
        return len(self.train_loss)

    def to_dict(self) -> dict:
        return {
            "train_loss": list(self.train_loss),
            "val_loss": [None if math.isnan(v) else v for v in self.val_loss],  # JSON has no NaN
            "seconds": list(self.seconds),
            "best_epoch": self.best_epoch,
            "stopped_early": self.stopped_early,
            "interrupted": self.interrupted,
        }

    @classmethod
    def from_dict(cls, d: dict) -> "History":
        return cls(
            train_loss=list(d["train_loss"]),
            val_loss=[math.nan if v is None else v for v in d["val_loss"]],
            seconds=list(d["seconds"]),
            best_epoch=d["best_epoch"],
            stopped_early=bool(d["stopped_early"]),
            interrupted=bool(d.get("interrupted", False)),
        )


class Trainer:
    """Epochs, early stopping, progress and resumable state around a caller's epoch function.

    Parameters
    ----------
    module : Module
        The network being trained (its weights are snapshotted for early stopping).
    optimizer : Optimizer
        Its optimiser.
    patience : int or None
        Stop after this many epochs without a validation improvement, and restore the
        best weights at the end of ``run``. ``None`` trains every epoch.
    seed : int, Generator or None
        Seeds the generator handed to ``train_epoch`` (for shuffling).
    verbose : bool
        Show a progress bar with epoch, train and validation loss and time left.
    description : str
        Label of the progress bar.
    blas_threads : int or None
        BLAS threads while training (see :mod:`lstmcast.threads`); ``None`` leaves them.
    deadline : float or None
        ``time.perf_counter()`` value by which the caller stops (a time budget): the
        progress bar's estimate never says more than the time left.
    epoch_state : (callable, callable) or None
        ``(get, put)`` for state of the caller's that moves with the epochs (the
        character model's place in the text): ``get()`` is kept with each complete
        epoch, and ``put(kept)`` puts it back when Ctrl-C rewinds to that epoch.
    unit : str
        What one round of ``train_epoch`` is, on the progress bar (``"epochs"``, or
        ``"checks of 250 steps"`` for a step budget).
    """

    def __init__(self, module: Module, optimizer: Optimizer, *, patience: int | None, seed,
                 verbose: bool = True, description: str = "training",
                 blas_threads: int | None = None, deadline: float | None = None,
                 epoch_state: tuple[Callable[[], object], Callable[[object], None]] | None = None,
                 unit: str = "epochs") -> None:
        if patience is not None and (not isinstance(patience, (int, np.integer)) or patience < 1):
            raise ValueError(f"patience must be a positive integer or None, got {patience!r}")
        self.module = module
        self.optimizer = optimizer
        self.patience = patience
        self.rng = make_rng(seed)
        self.verbose = verbose
        self.description = description
        self.blas_threads = blas_threads
        self.deadline = deadline
        self.epoch_state = epoch_state
        self.unit = unit
        self._progress = _progress(False, description, 1)
        self.history = History()
        self.best_loss = math.inf
        self.bad_epochs = 0
        self.best_weights: dict[str, np.ndarray] | None = None

    def run(self, epochs: int, train_epoch: Callable[[np.random.Generator], float],
            validate: Callable[[], float] | None) -> History:
        """Train ``epochs`` more epochs (or until early stopping).

        ``train_epoch(rng)`` trains one epoch and returns its mean loss;
        ``validate()`` returns the validation loss (or is ``None``: no early stopping).
        """
        if not isinstance(epochs, (int, np.integer)) or epochs < 1:
            raise ValueError(f"epochs must be a positive integer, got {epochs!r}")
        start_epoch = self.history.epochs
        self.history.interrupted = False
        complete = self._complete()  # the state after the last complete epoch, to fall back to on Ctrl-C
        with _progress(self.verbose, self.description, epochs, self.deadline, self.unit) as progress, \
                blas_threads(self.blas_threads):
            self._progress = progress
            try:
                for epoch in range(start_epoch + 1, start_epoch + epochs + 1):
                    stop = self._epoch(epoch, train_epoch, validate)
                    complete = self._complete()
                    progress.advance(self.history.train_loss[-1], self.history.val_loss[-1],
                                     self.history.best_epoch)
                    if stop:
                        self.history.stopped_early = True
                        break
            except KeyboardInterrupt:
                self.load_state(*complete[0])
                if self.epoch_state is not None:
                    self.epoch_state[1](complete[1])
                if self.history.epochs == 0:
                    raise
                self.history.interrupted = True
            finally:
                self._progress = _progress(False, self.description, 1)
        return self.history

    def _complete(self) -> tuple:
        """Everything a Ctrl-C rewinds to: :meth:`state` and the caller's ``epoch_state``."""
        return self.state(), None if self.epoch_state is None else self.epoch_state[0]()

    def _epoch(self, epoch: int, train_epoch, validate) -> bool:
        """Train and validate one epoch, record it; returns whether early stopping says stop."""
        started = time.perf_counter()
        self.module.train()
        train_loss = float(train_epoch(self.rng))
        val_loss = math.nan
        if validate is not None:
            self.module.eval()
            val_loss = float(validate())
        self.module.train()
        self.history.train_loss.append(train_loss)
        self.history.val_loss.append(val_loss)
        self.history.seconds.append(time.perf_counter() - started)
        if not math.isfinite(train_loss):
            raise FloatingPointError(
                f"training loss became {train_loss} at epoch {epoch}; try a lower lr or gradient clipping"
            )
        return self._early_stopping(epoch, val_loss) if validate is not None else False

    def batches(self, n: int, batch_size: int, rng: np.random.Generator | None) -> Iterator[np.ndarray]:
        """:func:`minibatches`, moving the progress bar after each batch."""
        total = -(-n // batch_size)
        for done, idx in enumerate(minibatches(n, batch_size, rng), start=1):
            yield idx
            self.tick(done, total)

    def tick(self, done: int, total: int) -> None:
        """Report that ``done`` of the epoch's ``total`` steps are finished (moves the bar)."""
        self._progress.within(done, total)

    def _early_stopping(self, epoch: int, val_loss: float) -> bool:
        if val_loss < self.best_loss:
            self.best_loss = val_loss
            self.bad_epochs = 0
            self.history.best_epoch = epoch
            self.best_weights = self.module.state_dict()
            return False
        self.bad_epochs += 1
        return self.patience is not None and self.bad_epochs >= self.patience

    def restore_best(self) -> None:
        """Load the best validation epoch's weights into the module (if any were kept)."""
        if self.best_weights is not None and self.patience is not None:
            self.module.load_state_dict(self.best_weights)

    # -- resumable state ------------------------------------------------------
    def state(self) -> tuple[dict, dict[str, np.ndarray]]:
        """``(json_state, arrays)`` to resume exactly: call *before* ``restore_best``.

        The arrays hold the last epoch's weights (``last.<name>``) and the best weights
        (``best.<name>``); the JSON holds the history, the early-stopping counters, the
        optimiser's meta and every random generator's state.
        """
        opt_arrays, opt_meta = self.optimizer.state_dict()
        arrays = {"last." + k: v for k, v in self.module.state_dict().items()}
        if self.best_weights is not None:
            arrays.update({"best." + k: v for k, v in self.best_weights.items()})
        arrays.update({"optimizer." + k: v for k, v in opt_arrays.items()})
        rngs = {"trainer": self.rng, **{"module:" + k: g for k, g in module_rngs(self.module).items()}}
        json_state = {
            "history": self.history.to_dict(),
            "best_loss": None if math.isinf(self.best_loss) else self.best_loss,
            "bad_epochs": self.bad_epochs,
            "optimizer": opt_meta,
            "rng_states": {name: g.bit_generator.state for name, g in rngs.items()},
        }
        return json_state, arrays

    def load_state(self, json_state: dict, arrays: dict[str, np.ndarray]) -> None:
        """Inverse of :meth:`state`: the module gets the last epoch's weights back."""
        def with_prefix(prefix):
            return {k[len(prefix):]: v for k, v in arrays.items() if k.startswith(prefix)}

        self.module.load_state_dict(with_prefix("last."))
        best = with_prefix("best.")
        self.best_weights = best or None
        self.optimizer.load_state_dict(with_prefix("optimizer."), json_state["optimizer"])
        self.history = History.from_dict(json_state["history"])
        self.best_loss = math.inf if json_state["best_loss"] is None else json_state["best_loss"]
        self.bad_epochs = json_state["bad_epochs"]
        rngs = {"trainer": self.rng, **{"module:" + k: g for k, g in module_rngs(self.module).items()}}
        for name, state in json_state["rng_states"].items():
            if name in rngs:
                rngs[name].bit_generator.state = state


def resume_parts(json_state: dict, arrays: dict[str, np.ndarray]) -> dict:
    """Split :meth:`Trainer.state` into ``save_checkpoint``'s ``optimizer``,
    ``training_state`` and ``resume_arrays`` keywords (optimizer.safetensors holds the
    optimiser's arrays and meta; the rest goes to training_state.json / resume.safetensors)."""
    rest = dict(arrays)
    optimizer_arrays = {k[len("optimizer."):]: rest.pop(k) for k in list(rest) if k.startswith("optimizer.")}
    state = dict(json_state)
    optimizer_meta = state.pop("optimizer")
    return {"optimizer": (optimizer_arrays, optimizer_meta), "training_state": state, "resume_arrays": rest}


def resume_state(checkpoint) -> tuple[dict, dict[str, np.ndarray]]:
    """Inverse of :func:`resume_parts`: a loaded checkpoint's ``(json_state, arrays)`` for
    :meth:`Trainer.load_state`."""
    state = dict(checkpoint.training_state or {})
    arrays = dict(checkpoint.resume_arrays or {})
    if checkpoint.optimizer is not None:
        optimizer_arrays, state["optimizer"] = checkpoint.optimizer
        arrays.update({"optimizer." + k: v for k, v in optimizer_arrays.items()})
    return state, arrays


def time_left(estimate: float | None, deadline: float | None, now: float) -> float | None:
    """Seconds left: the rate-based ``estimate``, never more than the time to ``deadline``."""
    if deadline is None:
        return estimate
    budget = max(0.0, deadline - now)
    return budget if estimate is None else min(estimate, budget)


class _progress:
    """A rich progress bar (or nothing when not verbose): whole epochs, and batches within one."""

    def __init__(self, verbose: bool, description: str, total: int, deadline: float | None = None,
                 unit: str = "epochs") -> None:
        self.verbose = verbose
        self.unit = unit
        self.description = description
        self.total = total
        self.deadline = deadline
        self.epochs_done = 0
        self._progress = None

    def __enter__(self) -> "_progress":
        if self.verbose:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn
            from rich.text import Text

            deadline = self.deadline

            class TimeLeft(ProgressColumn):
                """Time left from the rate so far, capped by the time budget."""

                def render(self, task) -> Text:
                    left = time_left(task.time_remaining, deadline, time.perf_counter())
                    if left is None:
                        return Text("-:--:--", style="progress.remaining")
                    minutes, seconds = divmod(int(math.ceil(left)), 60)
                    hours, minutes = divmod(minutes, 60)
                    return Text(f"{hours}:{minutes:02d}:{seconds:02d}", style="progress.remaining")

            self._progress = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn(self.unit + " {task.fields[batch]} {task.fields[losses]}"),
                TimeLeft(),
            )
            self._progress.__enter__()
            self._task = self._progress.add_task(self.description, total=self.total, losses="", batch="")
        return self

    def within(self, done: int, total: int) -> None:
        """Move to ``done / total`` of the current epoch."""
        if self._progress is None:
            return
        self._progress.update(self._task, completed=self.epochs_done + done / total,
                              batch=f"(step {done}/{total})" if done < total else "")

    def advance(self, train_loss: float, val_loss: float, best_epoch: int | None) -> None:
        self.epochs_done += 1
        if self._progress is None:
            return
        losses = f"train {train_loss:.4g}"
        if not math.isnan(val_loss):
            losses += f"  val {val_loss:.4g}  (best {best_epoch})"
        self._progress.update(self._task, completed=self.epochs_done, losses=losses, batch="")

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)
