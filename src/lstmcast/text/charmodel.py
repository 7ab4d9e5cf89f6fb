"""CharModel: a character-level language model with the scikit-learn estimator contract.

Pipeline::

    text --Vocab (every character of the text)--> ids (N,)
      first 90%: training, read by ChunkStream in (B, seq_len) chunks, state carried (TBPTT)
      last 10%:  validation, scored with the state carried through the whole of it
    ids (B, T) --CharNet: Embedding -> LSTM -> Dense--> logits (B, T, V) --softmax cross-entropy

One epoch is one pass over the training text (or ``steps_per_epoch`` chunks, going on
through the text from where the last epoch stopped). Adam with gradient clipping;
the Trainer runs the epochs, early stopping, progress bar and the exact resume state.
"""

from __future__ import annotations

import hashlib
import math
import time
from pathlib import Path

import numpy as np

from ..estimator import Estimator
from ..nn.losses import cross_entropy
from ..nn.module import resolve_dtype
from ..nn.init import make_rng
from ..nn.optim import Adam
from ..threads import blas_threads
from ..training import Trainer, apply_gradients
from .batches import ChunkStream
from .network import CharNet
from .persistence import load_charmodel, save_charmodel
from .sampling import check_sampling, generate
from .scoring import TextScore, score_ids
from .vocab import Vocab

VAL_FRACTION = 0.1  # the last tenth of a text validates (nanoGPT's split: train = text[:int(0.9 N)])
# BLAS threads while training, scoring and sampling. The products inside the time loop are
# small ((B, H) @ (H, 4H)); measured here with other jobs running, a training step of a
# 2 x 256 LSTM (B=64, T=128) took 0.63 s with one OpenBLAS thread and 3.4-9.7 s with two.
BLAS_THREADS = 1


def split_point(length: int) -> int:
    """Index where validation starts in a text of ``length`` characters: ``int(0.9 * length)``."""
    return int(length * (1.0 - VAL_FRACTION))


def min_text_length(seq_len: int) -> int:
    """The shortest text that gives one training chunk (seq_len + 1 characters) and 2 to validate."""
    length = max(seq_len + 1, math.floor((seq_len + 1) / (1.0 - VAL_FRACTION)) - 2)  # just below the answer
    while split_point(length) < seq_len + 1 or length - split_point(length) < 2:
        length += 1
    return length


def check_text_length(text: str, seq_len: int, what: str = "text") -> None:
    """Raise ValueError unless ``text`` is long enough for one training chunk of ``seq_len``.

    Parameters
    ----------
    text : str
    seq_len : int
        Positive chunk length.
    what : str
        How the message names the text (a file name, say).
    """
    needed = min_text_length(seq_len)
    if len(text) < needed:
        raise ValueError(
            f"{what} has {len(text)} characters, too short for one training chunk: seq_len={seq_len} "
            f"needs at least {needed} (seq_len + 1 for training in the first 90%, 2 for validation "
            f"in the last 10%); use a longer text or a smaller seq_len"
        )


class _OutOfTime(Exception):
    """Raised at the start of an epoch once the time budget is spent; caught in fit."""


class CharModel(Estimator):
    """An LSTM that predicts the next character of a text.

    Constructor arguments are stored unchanged and validated in :meth:`fit` (``get_params``
    and ``set_params`` as scikit-learn defines them); what is learned ends in ``_``
    (``vocab_``, ``network_``, ``history_``).

    Parameters
    ----------
    hidden_size, num_layers : int
        LSTM units per layer and stacked layers.
    embedding_dim : int
        Length of each character's learned vector.
    dropout : float
        Dropout between LSTM layers and before the output layer (training only).
    seq_len : int
        Characters per training chunk: gradients flow back this far, the state further.
    batch_size : int
        Rows of the text read in parallel.
    lr : float
        Adam's learning rate in the first epoch.
    seed : int or None
        Same seed, same model and samples, bit for bit.
    epochs : int
        Epochs to train (more epochs with ``fit(text, resume=True)``).
    patience : int or None
        Stop when the validation loss has not improved for this many epochs and keep
        the best epoch's weights; ``None`` trains every epoch and keeps the last.
    clip_norm : float or None
        Clip the gradients' joint L2 norm to this (``None``: no clipping).
    lr_decay : float
        The learning rate of epoch e is ``lr * lr_decay ** (e - 1)``; in (0, 1].
    steps_per_epoch : int or None
        Chunks per epoch; ``None`` is one pass over the training text. Smaller epochs
        validate (and show progress) more often; each goes on where the last stopped.
    max_minutes : float or None
        Stop training after this many minutes (checked after every chunk); the epoch
        in progress ends there and is validated.
    dtype : {"float32", "float64"}
    verbose : bool
        Show a progress bar while fitting.
    """

    PARAMS = ("hidden_size", "num_layers", "embedding_dim", "dropout", "seq_len", "batch_size", "lr",
              "seed", "epochs", "patience", "clip_norm", "lr_decay", "steps_per_epoch", "max_minutes",
              "dtype", "verbose")

    def __init__(self, hidden_size: int = 256, num_layers: int = 2, embedding_dim: int = 64,
                 dropout: float = 0.0, seq_len: int = 128, batch_size: int = 32, lr: float = 2e-3,
                 seed: int | None = 0, epochs: int = 20, patience: int | None = 5,
                 clip_norm: float | None = 5.0, lr_decay: float = 1.0, steps_per_epoch: int | None = None,
                 max_minutes: float | None = None, dtype: str = "float32", verbose: bool = True) -> None:
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.embedding_dim = embedding_dim
        self.dropout = dropout
        self.seq_len = seq_len
        self.batch_size = batch_size
        self.lr = lr
        self.seed = seed
        self.epochs = epochs
        self.patience = patience
        self.clip_norm = clip_norm
        self.lr_decay = lr_decay
        self.steps_per_epoch = steps_per_epoch
        self.max_minutes = max_minutes
        self.dtype = dtype
        self.verbose = verbose

    # ------------------------------------------------------------------ checks
    def _validate(self) -> None:
        def positive_int(name, optional=False):
            value = getattr(self, name)
            if optional and value is None:
                return
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                extra = " or None" if optional else ""
                raise ValueError(f"{name} must be a positive integer{extra}, got {value!r}")

        def positive_number(name, optional=False):
            value = getattr(self, name)
            if optional and value is None:
                return
            if (isinstance(value, bool) or not isinstance(value, (int, float, np.number))
                    or not math.isfinite(value) or value <= 0):
                extra = " or None" if optional else ""
                raise ValueError(f"{name} must be a positive number{extra}, got {value!r}")

        for name in ("hidden_size", "num_layers", "embedding_dim", "seq_len", "batch_size", "epochs"):
            positive_int(name)
        positive_int("patience", optional=True)
        positive_int("steps_per_epoch", optional=True)
        positive_number("lr")
        positive_number("clip_norm", optional=True)
        positive_number("max_minutes", optional=True)
        if isinstance(self.dropout, bool) or not isinstance(self.dropout, (int, float)) or not 0 <= self.dropout < 1:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout!r}")
        if isinstance(self.lr_decay, bool) or not isinstance(self.lr_decay, (int, float)) or not 0 < self.lr_decay <= 1:
            raise ValueError(f"lr_decay must be in (0, 1], got {self.lr_decay!r}")
        if self.seed is not None and (isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer))):
            raise ValueError(f"seed must be an integer or None, got {self.seed!r}")
        resolve_dtype(self.dtype)

    def _check_fitted(self) -> None:
        if not hasattr(self, "history_"):  # set last by fit, so an interrupted fit is not "fitted"
            raise ValueError("this CharModel is not fitted yet: call fit(text) first")

    def _check_text(self, text) -> None:
        if not isinstance(text, str):
            raise ValueError(f"text must be a string, got {type(text).__name__}")
        check_text_length(text, self.seq_len)

    def _check_same_network(self) -> None:
        net = self.network_
        built = {"hidden_size": net.hidden_size, "num_layers": net.num_layers,
                 "embedding_dim": net.embedding.embedding_dim, "dtype": net.dtype}
        now = {"hidden_size": self.hidden_size, "num_layers": self.num_layers,
               "embedding_dim": self.embedding_dim, "dtype": resolve_dtype(self.dtype)}
        for name, value in built.items():
            if now[name] != value:
                raise ValueError(f"cannot resume: {name} is {now[name]!r} but the fitted network has {value!r}")

    # --------------------------------------------------------------------- fit
    def fit(self, text: str, resume: bool = False) -> "CharModel":
        """Learn to predict ``text`` one character at a time; returns ``self``.

        Parameters
        ----------
        text : str
            The whole text: the first 90% trains, the last 10% validates.
        resume : bool
            Continue training a fitted (or loaded) model for ``epochs`` more epochs
            exactly where it stopped (on the same text, in the same place): 2 epochs
            and then 2 more give the same weights, bit for bit, as 4.

        Raises
        ------
        ValueError
            For bad arguments, a text shorter than one chunk, or (resuming) characters
            the model's vocabulary does not hold.
        """
        self._validate()
        self._check_text(text)
        if resume:
            self._check_fitted()
            self._check_same_network()
            ids = self.vocab_.encode(text, "text")
        else:
            vocab = Vocab.from_text(text)
            ids = vocab.encode(text)
        split = split_point(len(text))
        train_ids, val_ids = ids[:split], ids[split:]
        if not resume:
            self.vocab_ = vocab
            self.network_ = CharNet(len(vocab), self.embedding_dim, self.hidden_size, self.num_layers,
                                    self.dropout, dtype=self.dtype, seed=self.seed)
        net = self.network_
        stream = ChunkStream(train_ids, self.batch_size, self.seq_len)
        optimizer = Adam(net, lr=self.lr)
        deadline = None if self.max_minutes is None else time.perf_counter() + 60.0 * self.max_minutes
        trainer = Trainer(net, optimizer, patience=self.patience, seed=self.seed, verbose=self.verbose,
                          description="fit", blas_threads=BLAS_THREADS, deadline=deadline,
                          epoch_state=(lambda: (stream.position(), stream.state),  # rewound with the epoch on Ctrl-C
                                       lambda saved: stream.set_position(*saved)))
        fingerprint = hashlib.sha256(text[:split].encode("utf-8", errors="surrogatepass")).hexdigest()
        if resume:
            trainer.load_state(self.training_state_, self.resume_arrays_)
            self._restore_stream(stream, fingerprint)

        def train_epoch(rng: np.random.Generator) -> float:
            if deadline is not None and time.perf_counter() >= deadline:
                raise _OutOfTime
            optimizer.lr = self.lr * self.lr_decay ** trainer.history.epochs
            if self.steps_per_epoch is None and stream.exhausted:
                stream.start_pass(rng)
            steps = self.steps_per_epoch or stream.chunks - stream.chunk
            total = 0.0
            for done in range(1, steps + 1):
                if stream.exhausted:
                    stream.start_pass(rng)
                inputs, targets = stream.next_chunk()  # (B, T) each
                logits, state = net.forward(inputs, stream.state)  # (B, T, V)
                loss, dlogits = cross_entropy(logits, targets)
                net.backward(dlogits)
                apply_gradients(net, optimizer, self.clip_norm)
                stream.state = state
                total += loss
                trainer.tick(done, steps)
                if deadline is not None and time.perf_counter() >= deadline:
                    break
            return total / done

        def validate() -> float:
            return score_ids(net, val_ids).nats_per_char

        self.stopped_by_time_ = False
        try:
            trainer.run(self.epochs, train_epoch, validate)
        except _OutOfTime:
            self.stopped_by_time_ = True
        self.history_ = trainer.history
        self.training_state_, self.resume_arrays_ = trainer.state()
        self.training_state_["stream"] = {**stream.position(), "text_sha256": fingerprint}
        if stream.state is not None:
            self.resume_arrays_["stream.h"], self.resume_arrays_["stream.c"] = stream.state
        trainer.restore_best()
        net.eval()
        return self

    def _restore_stream(self, stream: ChunkStream, fingerprint: str) -> None:
        """Put the stream where the last fit left it, if that fit read the same text the same way.

        Otherwise (another text, batch_size or seq_len) the next epoch starts a fresh pass.
        """
        saved = self.training_state_.get("stream")
        if not saved or saved.get("text_sha256") != fingerprint:
            return
        state = None
        if "stream.h" in self.resume_arrays_:
            state = (self.resume_arrays_["stream.h"], self.resume_arrays_["stream.c"])
        try:
            stream.set_position(saved, state)
        except (KeyError, ValueError):
            return

    # ----------------------------------------------------------------- scoring
    def evaluate(self, text: str) -> TextScore:
        """Cross-entropy (nats and bits per character), perplexity and next-character accuracy.

        The state is carried through the whole text (read as a few parallel streams,
        see :mod:`lstmcast.text.scoring`); every character after the first is predicted.

        Raises
        ------
        ValueError
            If the model is not fitted, ``text`` has fewer than 2 characters or has
            characters the vocabulary does not hold.
        """
        self._check_fitted()
        ids = self.vocab_.encode(text, "text")
        if len(ids) < 2:
            raise ValueError(f"text must have at least 2 characters to evaluate, got {len(ids)}")
        with blas_threads(BLAS_THREADS):  # on a replica in evaluation mode: calls may run at once
            return score_ids(self.network_.replica(), ids)

    def perplexity(self, text: str) -> float:
        """exp(cross-entropy in nats per character) over ``text``; see :meth:`evaluate`."""
        return self.evaluate(text).perplexity

    def sample(self, prime: str, length: int = 400, temperature: float = 1.0, top_k: int | None = None,
               seed: int | None = None) -> str:
        """Continue ``prime`` with ``length`` generated characters (the prime is not repeated).

        Parameters
        ----------
        prime : str
            At least one character, all in the vocabulary; read first to set the state.
        length : int
            Characters to generate.
        temperature : float
            0 picks the most likely character every time (greedy); below 1 is more
            conservative, above 1 more surprising.
        top_k : int or None
            Draw only among the ``top_k`` most likely next characters.
        seed : int or None
            Same seed, same text.

        Raises
        ------
        ValueError
            If the model is not fitted, ``prime`` is empty or has characters outside
            the vocabulary, or an argument is out of range.
        """
        self._check_fitted()
        check_sampling(length, temperature, top_k)
        if not isinstance(prime, str) or not prime:
            raise ValueError("prime must be a non-empty string: the text to continue")
        prime_ids = self.vocab_.encode(prime, "prime")
        with blas_threads(BLAS_THREADS):  # on a replica in evaluation mode: calls may run at once
            ids = generate(self.network_.replica(), prime_ids, int(length), float(temperature), top_k, make_rng(seed))
        return self.vocab_.decode(ids)

    # ------------------------------------------------------------- persistence
    def inspect(self, text: str):
        """Gate traces and per-step gradient norms over a passage, one step per character.

        See :func:`lstmcast.inspection.inspect_text`.
        """
        return self._inspect(text)

    def save(self, path) -> Path:
        """Write a model directory (config.json, weights.safetensors, resume state); returns its path."""
        self._check_fitted()
        return save_charmodel(self, path)

    @classmethod
    def load(cls, path) -> "CharModel":
        """Read a model directory written by :meth:`save`.

        Raises
        ------
        CheckpointError
            If the directory is missing, not a character model or damaged.
        """
        return load_charmodel(path, lambda params: cls(**params))
