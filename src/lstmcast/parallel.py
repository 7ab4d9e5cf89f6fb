"""Independent tasks (series, refits, trials, prediction chunks), run one after another or on a Dask cluster.

Fitting a local model per series, refitting a backtest's folds, tuning trials and
predicting many series in chunks are tasks that share nothing: each takes one item
and returns one result.  :func:`run_tasks` runs them

- here, one after another (the default);
- on a new ``LocalCluster`` of ``workers`` processes on this machine;
- on a running cluster, joined through its scheduler's address
  (``scheduler="tcp://HOST:8786"``), or through a ``dask.distributed.Client``.

The results are the same wherever the tasks run, bit for bit: each task gets a seed
made from the run's seed and the task's own key (:func:`task_seed`), never from the
order in which tasks happen to run, and each task runs the LSTM kernels on
``threads_per_task`` threads (1 by default, whether serial or on a cluster: the
kernels' sums depend on the thread count, and N one-thread workers on N cores do not
fight over them).  A task that raises does not stop the others: its error is kept as a
:class:`TaskFailure` naming the series or trial, and every other result is returned.
A rich progress bar counts finished tasks.

Dask is an optional extra (``pip install "lstmcast[dask]"``).  A script that starts a
``LocalCluster`` must guard its top level with ``if __name__ == "__main__":``, as every
program that starts worker processes must.
"""

from __future__ import annotations

import hashlib
import logging
import operator
import re
import traceback
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from lstmcast.dask_support import DaskMissing, require_dask
from lstmcast.threads import blas_threads

__all__ = ["DaskMissing", "TaskError", "TaskFailure", "TaskResults", "TaskRunner", "in_chunks", "require_dask",
           "run_tasks", "task_seed"]

CONNECT_TIMEOUT = "10s"
"""How long joining a running cluster may take before it is an error."""

_ADDRESS = re.compile(r"^(tcp|tls|ws|wss)://[^\s/:]+(:\d{1,5})?$")


def task_seed(seed: int, key) -> int:
    """The seed of the task ``key`` in a run seeded ``seed``: a number in [0, 2**32) from both alone.

    The same (seed, key) gives the same number in every process and on every
    machine (Python's own ``hash`` of text changes between processes; this does not).
    """
    try:
        number = None if isinstance(seed, bool) else operator.index(seed)  # numpy integers too
    except TypeError:
        number = None
    if number is None:
        raise ValueError(f"seed must be an int, got {seed!r}")
    digest = hashlib.sha256(f"{number}\x00{key}".encode()).digest()
    return int.from_bytes(digest[:4], "little")


@dataclass(frozen=True)
class TaskFailure:
    """A task that raised: which one, and what it raised.

    Attributes
    ----------
    key : str
        The task's key (a series id, a trial number, ...).
    label : str
        What a task is (``"series"``, ``"trial"``), for messages.
    error : str
        ``"ValueError: the message"``.
    traceback : str
        Where it was raised, as Python prints it.
    """

    key: str
    label: str
    error: str
    traceback: str

    def __str__(self) -> str:
        return f"{self.label} {self.key!r} failed: {self.error}"


class TaskError(RuntimeError):
    """Some tasks failed; the message names the first and counts the rest."""


@dataclass
class TaskResults:
    """What a run gave back.

    Attributes
    ----------
    results : dict
        Key -> result of every task that finished, in the order the tasks were given.
    failures : dict of str to TaskFailure
        Key -> failure of every task that raised, in the same order.
    label : str
        What a task is, for messages.
    """

    results: dict = field(default_factory=dict)
    failures: dict = field(default_factory=dict)
    label: str = "task"

    @property
    def ok(self) -> bool:
        """True when no task failed."""
        return not self.failures

    def raise_failures(self) -> None:
        """Raise a one-line :class:`TaskError` naming the first failed task, if any failed."""
        if not self.failures:
            return
        first = next(iter(self.failures.values()))
        total = len(self.failures) + len(self.results)
        others = f" ({len(self.failures) - 1} more failed)" if len(self.failures) > 1 else ""
        raise TaskError(f"{len(self.failures)} of {total} {self.label} tasks failed; {first}{others}")


_NOTHING_SHARED = object()


def _run_one(function: Callable, item, seed: int, threads: int, shared=_NOTHING_SHARED):
    """Run one task with its seed on ``threads`` kernel threads; return (True, result) or (False, error, traceback).
    With ``shared``, the task is ``function(shared, item, seed)``."""
    from lstmcast.nn import set_threads

    previous = set_threads(threads)
    try:
        with blas_threads(1):
            if shared is _NOTHING_SHARED:
                return True, function(item, seed)
            return True, function(shared, item, seed)
    except Exception as err:  # noqa: BLE001 - a task's failure is reported, not raised, so the others survive
        return False, " ".join(f"{type(err).__name__}: {err}".split()), traceback.format_exc()
    finally:
        set_threads(previous)


class TaskRunner:
    """Where tasks run: here, or on a Dask cluster started, joined or handed over.

    Parameters
    ----------
    workers : int, optional
        Start a ``LocalCluster`` of this many worker processes (one thread each).
    scheduler : str, optional
        The address of a running scheduler to join, ``"tcp://HOST:PORT"``.
    client : dask.distributed.Client, optional
        A client of a cluster to use as it is (left open on :meth:`close`).
    threads_per_task : int
        Threads each task's LSTM kernels use (``lstmcast.nn.set_threads``).
    progress : bool
        Show a progress bar counting finished tasks.

    Give at most one of ``workers``, ``scheduler`` and ``client``; none runs the tasks
    here, one after another.  The cluster starts on the first :meth:`run` and, when this
    runner started or joined it, stops on :meth:`close` (or at the end of a ``with`` block).
    """

    def __init__(self, workers: int | None = None, scheduler: str | None = None, client=None,
                 threads_per_task: int = 1, progress: bool = True) -> None:
        given = [name for name, value in (("workers", workers), ("scheduler", scheduler), ("client", client))
                 if value is not None]
        if len(given) > 1:
            raise ValueError(f"give at most one of workers, scheduler and client, got {' and '.join(given)}")
        if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
            raise ValueError(f"workers must be a positive whole number, got {workers!r}")
        if scheduler is not None and (not isinstance(scheduler, str) or not _ADDRESS.match(scheduler)):
            raise ValueError(f"scheduler must be a Dask scheduler address such as 'tcp://10.0.0.5:8786', "
                             f"got {scheduler!r}")
        if isinstance(threads_per_task, bool) or not isinstance(threads_per_task, int) or threads_per_task < 1:
            raise ValueError(f"threads_per_task must be a positive whole number, got {threads_per_task!r}")
        self.workers = workers
        self.scheduler = scheduler
        self.threads_per_task = threads_per_task
        self.progress = progress
        self._client = client
        self._owned: list = []  # what this runner started and must close: client, cluster

    @property
    def distributed(self) -> bool:
        """True when the tasks run on a Dask cluster."""
        return self._client is not None or self.workers is not None or self.scheduler is not None

    @property
    def client(self):
        """The Dask client (started on first use), or None when tasks run here."""
        if self._client is None and self.distributed:
            self._client = self._connect()
        return self._client

    def _connect(self):
        asked = f"workers={self.workers}" if self.workers else f"scheduler={self.scheduler!r}"
        distributed = require_dask(asked)
        if self.workers is not None:
            import dask

            # Dask sets MALLOC_TRIM_THRESHOLD_=65536 in the workers it spawns, which also freezes glibc's
            # mmap threshold: every array of the training loop is then mapped and unmapped afresh, and a
            # fit runs 40% slower than in this process (measured). The workers keep the default instead.
            with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
                cluster = distributed.LocalCluster(
                    n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=None,
                    silence_logs=logging.ERROR, env={"LSTMCAST_THREADS": str(self.threads_per_task)})
            self._owned.append(cluster)
            client = distributed.Client(cluster)
        else:
            try:
                client = distributed.Client(self.scheduler, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as err:
                raise ConnectionError(f"cannot reach the Dask scheduler at {self.scheduler!r} within "
                                      f"{CONNECT_TIMEOUT}: {' '.join(str(err).split())}") from None
        self._owned.insert(0, client)
        return client

    def run(self, function: Callable[..., Any], items: Mapping, seed: int = 0,
            label: str = "task", shared=_NOTHING_SHARED, threads: int | None = None) -> TaskResults:
        """Run ``function(item, seed)`` for every item; collect results and failures by key.

        Parameters
        ----------
        function : callable
            ``function(item, seed) -> result``; on a cluster it and its results must
            pickle (a module-level function does).
        items : mapping
            Key -> item; keys name the tasks (series ids, trial numbers).
        seed : int
            The run's seed; task ``key`` gets ``task_seed(seed, key)``.
        label : str
            What a task is (``"series"``, ``"trial"``, ``"chunk"``), for messages and the bar.
        shared : object, optional
            Something every task reads (a fitted model): sent to each worker once (scattered),
            and the tasks are ``function(shared, item, seed)``.
        threads : int, optional
            Kernel threads of this run's tasks instead of ``threads_per_task`` (forecasts made as
            tasks take the caller's count, so that each pass is cut over threads as it is here).

        Returns
        -------
        TaskResults
        """
        if not isinstance(items, Mapping):
            raise ValueError(f"items must be a mapping of task key -> item, got {type(items).__name__}")
        if not callable(function):
            raise ValueError(f"function must be callable, got {function!r}")
        seeds = {key: task_seed(seed, key) for key in items}
        threads = self.threads_per_task if threads is None else threads
        outcomes: dict = {}
        with _Bar(self.progress, label, len(items)) as bar:
            if self.client is None:
                for key, item in items.items():
                    outcomes[key] = _run_one(function, item, seeds[key], threads, shared)
                    bar.advance(outcomes[key][0])
            else:
                self._run_on_cluster(function, items, seeds, outcomes, bar, shared, threads)
        done = TaskResults(label=label)
        for key in items:
            outcome = outcomes[key]
            if outcome[0]:
                done.results[key] = outcome[1]
            else:
                done.failures[key] = TaskFailure(key=str(key), label=label, error=outcome[1], traceback=outcome[2])
        return done

    def _run_on_cluster(self, function, items: Mapping, seeds: dict, outcomes: dict, bar: "_Bar",
                        shared=_NOTHING_SHARED, threads: int = 1) -> None:
        distributed = require_dask("a cluster")
        run = uuid.uuid4().hex[:12]
        extra = () if shared is _NOTHING_SHARED else (self.client.scatter(shared, broadcast=True),)  # sent once
        futures = {}
        for position, (key, item) in enumerate(items.items()):
            future = self.client.submit(_run_one, function, item, seeds[key], threads, *extra,
                                        key=f"lstmcast-{run}-{position}", pure=False)
            futures[future.key] = (key, future)
        try:
            for future in distributed.as_completed([f for _, f in futures.values()]):
                key = futures[future.key][0]
                try:
                    outcomes[key] = future.result()
                except Exception as err:  # noqa: BLE001 - the worker died or the result would not unpickle
                    outcomes[key] = (False, " ".join(f"{type(err).__name__}: {err}".split()), "")
                bar.advance(outcomes[key][0])
        finally:
            self.client.cancel([f for _, f in futures.values() if not f.done()])

    def close(self) -> None:
        """Stop the client and cluster this runner started; a client handed over stays open."""
        for thing in self._owned:
            thing.close()
        if self._owned:
            self._client = None
        self._owned = []

    def __enter__(self) -> "TaskRunner":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def run_tasks(function: Callable[[Any, int], Any], items: Mapping, seed: int = 0, label: str = "task",
              workers: int | None = None, scheduler: str | None = None, client=None,
              threads_per_task: int = 1, progress: bool = True) -> TaskResults:
    """Run ``function(item, seed)`` for every item, here or on a Dask cluster (see :class:`TaskRunner`).

    Parameters
    ----------
    function, items, seed, label
        As :meth:`TaskRunner.run`.
    workers, scheduler, client, threads_per_task, progress
        As :class:`TaskRunner`; a cluster started here is stopped before returning.

    Returns
    -------
    TaskResults
    """
    with TaskRunner(workers=workers, scheduler=scheduler, client=client, threads_per_task=threads_per_task,
                    progress=progress) as runner:
        return runner.run(function, items, seed=seed, label=label)


def in_chunks(items: Mapping, size: int) -> dict[str, dict]:
    """``items`` cut into consecutive chunks of ``size`` (the last may be smaller), for tasks too small alone.

    Predicting one series is too little work to ship to a worker; a chunk of many is
    one task.  Each chunk is keyed by its first and last keys (``"H1..H50"``), so a
    failing chunk names the series it held.

    Parameters
    ----------
    items : mapping
        Key -> item, in order.
    size : int
        Items per chunk, at least 1.

    Returns
    -------
    dict of str to dict
        Chunk key -> the chunk's items, in order.
    """
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"size must be a positive whole number, got {size!r}")
    keys = list(items)
    chunks = {}
    for start in range(0, len(keys), size):
        part = keys[start:start + size]
        name = str(part[0]) if len(part) == 1 else f"{part[0]}..{part[-1]}"
        chunks[name] = {key: items[key] for key in part}
    return chunks


class _Bar:
    """A rich progress bar of finished tasks (or nothing)."""

    def __init__(self, show: bool, label: str, total: int) -> None:
        self.show, self.label, self.total = show, label, total
        self.failed = 0
        self._progress = None

    def __enter__(self) -> "_Bar":
        if self.show:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TextColumn("{task.fields[failed]}"), TimeRemainingColumn())
            self._progress.__enter__()
            self._task = self._progress.add_task(self.label, total=self.total, failed="")
        return self

    def advance(self, succeeded: bool) -> None:
        self.failed += not succeeded
        if self._progress is not None:
            self._progress.update(self._task, advance=1, failed=f"{self.failed} failed" if self.failed else "")

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)
