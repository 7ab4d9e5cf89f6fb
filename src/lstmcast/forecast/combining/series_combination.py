"""Combinations with the classical models, series by series (``combine="best"`` or ``"weights"``).

After a fit and its no-harm weights, every fitted series with validation windows has its
classical pool (:mod:`lstmcast.forecast.combining.pool`) fitted on its training rows, and its
forecast is combined with them by weights fitted on its validation windows
(:mod:`lstmcast.forecast.combining.weights`): the LSTM's forecasts there are those after no harm.
At most :data:`~lstmcast.forecast.combining.weights.COMBINE_WINDOWS` validation windows, evenly spaced and always with the last,
decide the weights, and the same windows give the combined forecast's validation errors, so
intervals are conformal on the combined forecast (each classical forecast costs a ``forward``
over the series' history). A series the model was not fitted on, or one without validation
windows, forecasts with the LSTM alone.

The pools are kept on the estimator (``_classical_pools``), fitted again from the training
rows when first needed after a model folder is loaded (the folder keeps only the weights).
Past :data:`COMBINE_SERIES_LIMIT` series or :data:`COMBINE_WORK_LIMIT` fitted rows in all, combining is
skipped and the verdict says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...parallel import TaskRunner
from ..scores.strong import INSTALL_HINT, statsforecast_installed
from .pool import ClassicalPool, fit_pool
from ..prediction.outputs import validation_origins
from .weights import DEFAULT_COMBINE, LSTM, combination_weights, thinned

__all__ = ["COMBINE_SERIES_LIMIT", "COMBINE_WORK_LIMIT", "fit_combinations", "resolved_combine"]

COMBINE_WORK_LIMIT = 5_000_000
"""Fitted rows over every series above which combining is skipped (ETTh1's 8,640 hourly rows take 17 s
to fit the pool on; about 10 minutes for this many on 2 cores)."""
COMBINE_SERIES_LIMIT = 2_000
"""Series above which combining is skipped: each costs about half a second of classical fits and
forwards on 2 cores (M4 Hourly's 414 series: about 3 minutes)."""


@dataclass(frozen=True)
class _PoolFit:
    """One series' pool, as a task (picklable for a cluster): fitted on ``target[:fit_end]``, then its
    forecasts from the validation origins."""

    season: int | None
    horizon: int

    def __call__(self, item, seed: int) -> tuple[ClassicalPool, dict]:
        target, fit_end, origins = item
        pool = fit_pool(target[:fit_end], self.season)
        return pool, pool.forecasts(target, origins, self.horizon)


def resolved_combine(combine: str | None) -> tuple[str, str]:
    """What ``combine`` does here, and the sentence that says why (``combine=None``: :data:`DEFAULT_COMBINE`
    where statsforecast is installed, else ``"none"``)."""
    if combine is not None:
        return combine, f"combine={combine!r} as given"
    if DEFAULT_COMBINE == "none":
        return "none", "combine='none': the default, chosen on the validation suite (combine='weights' combines)"
    if statsforecast_installed():
        return DEFAULT_COMBINE, (f"combine={DEFAULT_COMBINE!r}: the default where statsforecast is installed "
                                 "(chosen on the validation suite)")
    return "none", "combine='none': statsforecast is not installed (pip install 'lstmcast[baselines]' combines)"


def fit_combinations(fc, client=None) -> tuple[dict[str, dict[str, float]], str, str]:
    """Every fitted series' combination weights (model name -> weight, the LSTM first), by id, a note on
    what was skipped ("" when nothing), and what ``fc.combine`` came to (:func:`resolved_combine`);
    ``{}`` when that is ``"none"``.

    ``client``: a :class:`~lstmcast.parallel.TaskRunner` or ``dask.distributed.Client`` the
    per-series pool fits run on (default: here, one after another).

    Raises
    ------
    ValueError
        ``combine`` asks for a combination and statsforecast is not installed.
    """
    how, _ = resolved_combine(fc.combine)
    if how == "none":
        return {}, "", how
    if not statsforecast_installed():
        raise ValueError(f"combine={fc.combine!r} combines with the classical models: {INSTALL_HINT}")
    rows = int(np.sum(fc.panel_.lengths))
    if len(fc.panel_) > COMBINE_SERIES_LIMIT:
        return {}, (f"combine={how!r} skipped: {len(fc.panel_):,} series to fit the classical models in (the limit "
                    f"is {COMBINE_SERIES_LIMIT:,}): the LSTM alone"), how
    if rows > COMBINE_WORK_LIMIT:
        return {}, (f"combine={how!r} skipped: {len(fc.panel_)} series, {rows / 1e6:.1f} million rows to fit "
                    f"the classical models on (the limit is {COMBINE_WORK_LIMIT / 1e6:.0f} million)"), how
    models = {name: fc._series_model(name) for name in fc.panel_.ids}
    items, lstm = {}, {}
    for name, model in models.items():
        origins = thinned(validation_origins_of(model))
        if len(origins):
            target = model.table_.target_values
            items[name] = (target, model.split_.train.stop, origins)
            lstm[name] = model._forecast_at(model.table_.values, origins, model.table_.source)  # (n, horizon)
    runner = client if isinstance(client, TaskRunner) else TaskRunner(client=client, progress=fc.verbose)
    done = runner.run(_PoolFit(fc.season_, fc.horizon), items, seed=fc.seed, label="series")
    done.raise_failures()
    pools = fc.__dict__.setdefault("_classical_pools", {})
    combinations = {}
    for name, (target, _, origins) in items.items():
        pool, classical = done.results[name]
        pools[name] = pool
        actual = target[origins[:, None] + np.arange(fc.horizon)]  # (n, horizon)
        combinations[name] = combination_weights(actual, {LSTM: lstm[name], **classical}, how)
    return combinations, "", how


def validation_origins_of(model) -> np.ndarray:
    """A fitted series' validation origins (n_val,), all of them (none for a series not fitted on)."""
    if model.table_ is None or model.split_ is None:
        return np.zeros(0, dtype=np.int64)
    return validation_origins(model, model.split_)
