"""Fitting a panel: one global model over every series, or one model per series as independent tasks.

A fit sets ``panel_`` (the checked long table), ``mode_`` and ``states_``: a
``{series id: PanelState}`` where every series of a global model shares one state and each
series of a local model has its own. A one-series table arrives here as a panel of one.
The functions take the estimator as their first argument and return the learned attributes.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
import pandas as pd
from ...data.csvfile import CsvFile, read_columns
from ...data.errors import DataWarning
from ...data.panel import Panel, check_panel_length, read_panel
from ...data.panel_values import check_positive_target
from ...data.transforms import leading_rows
from ...parallel import TaskRunner
from .choices import DataChoices, data_choices
from .global_fit import PanelState, fit_global, panel_splits
from ..preparing.known import FutureSpec, with_calendar
from ..preparing.static import StaticSpec, fit_static, static_values, with_static
from ..preparing.resume_data import check_same_data
from ..prediction.series_models import read_like_fitted
from ..preparing.windowing import TAKES_LOG

__all__ = ["check_positive_levels", "fit_panel", "is_panel_input"]


def is_panel_input(data, id_column: str | None) -> bool:
    """True when ``fit`` should read ``data`` as many series: an ``id_column`` is given, ``data`` is a
    :class:`~lstmcast.data.Panel`, or a DataFrame or CSV file with a ``unique_id`` column."""
    if id_column is not None or isinstance(data, Panel):
        return True
    if isinstance(data, pd.DataFrame):
        return "unique_id" in data.columns
    if isinstance(data, (str, Path, CsvFile)):
        return "unique_id" in read_columns(data)  # the header line only
    return False


@dataclass(frozen=True)
class _LocalFit:
    """One series' own model, as a task (picklable for a cluster): the estimator's class (pickled by
    name, so a worker builds its own) and a copy of its settings."""

    estimator: type
    params: dict
    choices: DataChoices  # the panel's: every series' model reads its windows alike
    future: FutureSpec  # the columns known in advance
    static: StaticSpec  # the static attributes' encoding

    def __call__(self, panel: Panel, seed: int) -> PanelState:
        fc = self.estimator(**{**self.params, "seed": seed, "verbose": False})
        fc.future_, fc.static_, fc.target_, fc.features_ = self.future, self.static, panel.target, panel.features
        return fit_global(fc, panel, self.choices)


def check_positive_levels(fc, panel: Panel) -> None:
    """Before training: the target of every series positive where ``fc``'s settings take its log."""
    if fc.target_transform == "log_return":
        check_positive_target(panel, "target_transform='log_return'", "target_transform='diff'")
    elif fc.window_norm in TAKES_LOG:
        check_positive_target(panel, f"window_norm={fc.window_norm!r}",
                              f"window_norm={fc.window_norm.removeprefix('log_')!r}")


def fit_panel(fc, data, target, features, id_column, time_column, fill, freq, skip_short: bool,
              client, resume: bool = False, future: FutureSpec = FutureSpec(), static: tuple[str, ...] = ()) -> dict:
    """Read ``data`` as a panel and fit it; the learned attributes, by name.

    ``client``: a :class:`~lstmcast.parallel.TaskRunner`, a ``dask.distributed.Client``,
    or None (serial); local fits run on it as one task per series. A series whose fit
    fails is left out with a :class:`~lstmcast.data.DataWarning` naming it and the error
    (the others are kept); when every fit fails, a :class:`~lstmcast.parallel.TaskError`.
    ``resume``: continue a fitted global model's training on the same series. ``future``: the
    columns known in advance (``features`` holds the past ones), read after them, and the calendar
    columns added last; ``static``: the names of the static attributes, encoded after them
    (:mod:`lstmcast.forecast.preparing.static`); ``fc.future_``, ``fc.static_``, ``fc.target_`` and
    ``fc.features_`` are set before training.
    """
    if resume:
        panel = read_like_fitted(fc, data)
        if fc.mode_ != "global" or set(panel.ids) != set(fc.panel_.ids):
            raise ValueError("resume: continuing a fit works for a global model on the series it was fitted on "
                             f"({len(fc.panel_)}); fit it again otherwise")
        check_same_data(panel, fc.panel_)
        choices = DataChoices(fc.season_, fc.patch_, fc.choices_)
        state = fit_global(fc, panel, choices, resume=fc.states_[panel.ids[0]])
        states = {name: state for name in panel.ids}
        return _fitted(fc, panel, states, choices)
    raw = data.frame if isinstance(data, Panel) else data
    if not isinstance(data, Panel):
        data = read_panel(data, target, id_column, time_column, [*(features or ()), *future.columns], fill, freq)
    panel = with_calendar(data, future.calendar)
    spec = StaticSpec()
    if static:
        table = static_values(raw, panel.id_column, tuple(static), panel.source)
        spec = fit_static(table.loc[list(panel.ids)], tuple(static), panel.source)
        panel = with_static(panel, spec, table)
    fc.future_, fc.static_, fc.target_, fc.features_ = future, spec, panel.target, panel.features  # the inputs
    panel = check_panel_length(panel, fc.look_back + leading_rows(fc.target_transform), fc.horizon, skip_short)
    splits = panel_splits(panel, fc.val_fraction, fc.horizon)
    choices = data_choices(fc, panel.freq, panel.has_dates,
                           [panel.target_values(name)[splits[name].train] for name in panel.ids])
    if fc.mode == "global":  # (a local fit leaves a failing series out, naming it)
        check_positive_levels(fc, panel)
        state = fit_global(fc, panel, choices)
        states = {name: state for name in panel.ids}
    else:
        runner = client if isinstance(client, TaskRunner) else TaskRunner(client=client, progress=fc.verbose)
        items = {name: panel.select([name]) for name in panel.ids}
        done = runner.run(_LocalFit(type(fc), fc.get_params(deep=False), choices, future, spec), items, seed=fc.seed,
                          label="series")
        if not done.results:
            done.raise_failures()
        for failure in done.failures.values():  # the others' models are kept
            warnings.warn(DataWarning(f"{panel.source}: {failure}; left out"), stacklevel=3)
        if done.failures:
            panel = panel.select(list(done.results))
        states = {name: done.results[name] for name in panel.ids}
    return _fitted(fc, panel, states, choices)


def _fitted(fc, panel: Panel, states: dict[str, PanelState], choices: DataChoices) -> dict:
    """The estimator's learned attributes of a panel fit, by name."""
    first = states[panel.ids[0]]
    return {"panel_": panel, "mode_": fc.mode, "states_": states, "members_": first.members,
            "window_norm_": first.window_norm, "history_": first.members[0].history,
            "target_": panel.target, "features_": panel.features, "season_": choices.season,
            "patch_": choices.patch, "choices_": {**choices.sentences, "window_norm": _norm_sentence(fc, first)}}


def _norm_sentence(fc, state: PanelState) -> str:
    """How the window normalisation was decided, in one sentence (``choices_["window_norm"]``)."""
    if state.norm_scores:
        scores = ", ".join(f"{kind} {score:.4g}" for kind, score in state.norm_scores.items())
        return f"window_norm {state.window_norm}: the lowest scale-free validation error ({scores})"
    return f"window_norm {state.window_norm}: " + ("the default" if fc.window_norm is None else "given")
