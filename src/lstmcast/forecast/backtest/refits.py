"""The fits of a walk-forward backtest: here, one after another, or as tasks on a Dask cluster.

A backtest fits one copy of the estimator per refit, each on the rows before its first
origin. The copies share nothing, so with ``client=`` they run as tasks
(:class:`~lstmcast.parallel.TaskRunner`): each on one kernel thread, seeded by the
estimator's own ``seed`` (never by where or in which order it ran). A run on a cluster
therefore gives the fits of a serial ``TaskRunner()``, bit for bit, with any number of
workers. Without ``client`` the fits run in this process on all its threads, as
:meth:`~lstmcast.Forecaster.fit` does (the last bits of a fit depend on its thread count).
"""

from __future__ import annotations

import time
from typing import Iterator, Mapping

from ...parallel import TaskRunner

__all__ = ["FitCopy", "fitted_in_order"]


class FitCopy:
    """A task: a fresh copy of an estimator (its class and parameters) fitted on one item's data.

    Parameters
    ----------
    cls : type
        The estimator's class.
    params : dict
        Its ``get_params()``.
    fit_arguments : dict
        Keywords of every copy's ``fit`` besides the data (target, features, freq, ...).
    """

    def __init__(self, cls: type, params: dict, fit_arguments: dict) -> None:
        self.cls, self.params, self.fit_arguments = cls, dict(params), dict(fit_arguments)

    def __call__(self, item: tuple, seed: int) -> tuple:
        """Fit ``item = (data, label)``; ``label`` names the progress bar ("fit 2 of 5").
        ``seed`` is the task's and is not used: each copy keeps the estimator's own.
        Returns ``(fitted estimator, seconds)``."""
        data, label = item
        data = data() if callable(data) else data
        model = self.cls(**self.params)
        model._progress_label = label
        started = time.perf_counter()
        model.fit(data, **self.fit_arguments)
        return model, time.perf_counter() - started


def fitted_in_order(fit_copy: FitCopy, items: Mapping, client=None) -> Iterator[tuple]:
    """``(key, fitted estimator, seconds)`` for every item, in the items' order.

    Parameters
    ----------
    fit_copy : FitCopy
    items : mapping
        Key -> ``(data, label)``; ``data`` may be a function giving it, called only when that fit
        is made here (so that one cut of the data is held at a time) and before sending it to a cluster.
    client : TaskRunner, dask.distributed.Client or None
        None: each fit made here when the caller asks for it (an error stops the
        backtest there). Otherwise every fit runs as a task first; a failed one is a
        :class:`~lstmcast.parallel.TaskError` naming it.
    """
    if client is None:
        for key, item in items.items():
            yield (key, *fit_copy(item, 0))
        return
    quiet = FitCopy(fit_copy.cls, {**fit_copy.params, "verbose": False}, fit_copy.fit_arguments)
    runner = client if isinstance(client, TaskRunner) else TaskRunner(client=client,
                                                                      progress=fit_copy.params.get("verbose", False))
    items = {key: (data() if callable(data) else data, label) for key, (data, label) in items.items()}
    done = runner.run(quiet, items, seed=0, label="fit")
    done.raise_failures()
    for key in items:
        yield (key, *done.results[key])
