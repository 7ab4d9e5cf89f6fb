"""A fitted forecaster's parts to and from a model directory (safetensors + JSON, never pickle).

``weights.safetensors`` holds the networks (``network.*`` for the first ensemble
member, ``member.K.*`` for member K >= 1), the fitted table (``data.values`` (N, F),
``data.dates`` as int64 nanoseconds, UTC when time-zone aware), the validation windows'
absolute errors (``intervals.residuals`` (n, horizon)) and the weight on the LSTM
against naive (``no_harm.weight`` (1,)), so a loaded model can forecast, give
intervals and evaluate without the CSV. ``config.json`` holds every
hyperparameter, the scaler, the window normalisation chosen, the columns, the
frequency and time zone; ``optimizer.safetensors``, ``training_state.json`` and
``resume.safetensors`` let ``fit(..., resume=True)`` continue exactly (the first
member's in those files, member K's under ``member.K.`` in ``training_state.json``
and ``resume.safetensors``).

These functions take and return plain parts; the estimator assembles itself from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from ...checkpoint import (CONFIG_FILE, WEIGHTS_FILE, CheckpointError, check_finite, check_shapes, load_checkpoint,
                          save_checkpoint, to_jsonable)
from ...checkpoint.entries import Entries, check_array, check_checkpoint_state, history_entries
from ...data.scalers import Scaler, scaler_from_dict
from ...data.split import Split
from ...data.panel_split import SeriesScalers
from ...data.series_panel import panel_of_series
from ...data.tables import SeriesTable
from ...training import History, resume_parts, resume_state
from ..preparing.known import FutureSpec
from .stored_values import stored_future
from .stored_values import date_unit, freq, one_split, scaler_state, stored_choices, time_zone
from ..training.fitting import Member, NetworkSpec, build_network, member_seed
from ..training.network import ForecastNet
from ..training.global_fit import PanelState
from ..preparing.scaling import PanelScaling
from ..preparing.windowing import WINDOW_NORMS

KIND = "forecaster"


def save_forecaster(path, params: dict, table: SeriesTable, split: Split, scaler: Scaler, window_norm: str,
                    members: list[Member], residuals: np.ndarray, naive_weight: float = 1.0,
                    choices: dict | None = None) -> Path:
    """Write a fitted forecaster's parts to the directory ``path``, atomically; returns the path."""
    first, rest = members[0], members[1:]
    config = {
        "params": params,
        "scaler": scaler.to_dict(),
        "window_norm": window_norm,
        "input_size": int(first.network.lstm.input_size),
        "target": table.target,
        "features": list(table.features),
        "freq": table.freq,
        "date_column": table.dates.name,
        "date_unit": table.dates.unit,
        "date_tz": None if table.dates.tz is None else str(table.dates.tz),
        "source": table.source,
        "split": {part: [s.start, s.stop] for part, s in
                  (("train", split.train), ("val", split.val), ("test", split.test))},
        "history": first.history.to_dict(),
        "member_histories": [m.history.to_dict() for m in rest],
    }
    if choices is not None:  # the season and patch the fit chose (training.choices)
        config["choices"] = choices
    weights = {"network." + k: v for k, v in first.network.state_dict().items()}
    for k, member in enumerate(rest, start=1):
        weights.update({f"member.{k}.{name}": v for name, v in member.network.state_dict().items()})
    weights["data.values"] = table.values  # (N, F)
    weights["data.dates"] = table.dates.as_unit("ns").asi8.copy()  # (N,) int64 ns (UTC when time-zone aware)
    weights["intervals.residuals"] = np.asarray(residuals, dtype=np.float64)  # (n_val, horizon)
    weights["no_harm.weight"] = np.array([naive_weight], dtype=np.float64)  # (1,)
    parts = resume_parts(first.training_state, first.resume_arrays)
    for k, member in enumerate(rest, start=1):
        member_parts = resume_parts(member.training_state, member.resume_arrays)
        optimizer_arrays, optimizer_meta = member_parts["optimizer"]
        parts["training_state"][f"member.{k}"] = {**member_parts["training_state"], "optimizer": optimizer_meta}
        parts["resume_arrays"].update({f"member.{k}.{name}": v for name, v in member_parts["resume_arrays"].items()})
        parts["resume_arrays"].update({f"member.{k}.optimizer.{name}": v for name, v in optimizer_arrays.items()})
    return save_checkpoint(path, kind=KIND, config=to_jsonable(config), weights=weights, **parts)


@dataclass
class LoadedParts:
    """What a model directory holds, ready for the estimator to take."""

    path: str
    params: dict
    table: SeriesTable
    split: Split
    scaler: Scaler
    window_norm: str
    input_size: int
    residuals: np.ndarray  # (n_val, horizon)
    naive_weight: float  # weight on the LSTM against naive (no_harm)
    weights: dict
    histories: list[History]
    resume: tuple[dict, dict]  # the first member's (json_state, arrays)
    choices: tuple = (None, 1, {}, "none", {}, "")  # the season, patch, sentences and combinations the fit chose
    future: FutureSpec = FutureSpec()  # the columns known in advance

    def restore(self, forecaster, spec: NetworkSpec) -> None:
        """Give an unfitted ``forecaster`` (built from ``params``) the learned attributes saved here:
        those of a fit on a panel of one series, as every one-series fit now is."""
        fc = forecaster
        members = self.members(spec)
        panel = panel_of_series(self.table)
        (name,) = panel.ids
        scaling = PanelScaling(self.window_norm, self.params["target_transform"], SeriesScalers({name: self.scaler}),
                               self.table.source)
        state = PanelState(members, scaling, self.window_norm, np.zeros((0, int(self.params["horizon"]))),
                           np.zeros(0), {name: self.split})
        fc.panel_, fc.mode_, fc.states_, fc.shape_, fc.table_ = panel, "global", {name: state}, "series", self.table
        fc.target_, fc.features_ = self.table.target, self.table.features
        fc.members_, fc.window_norm_, fc.history_ = members, self.window_norm, members[0].history
        fc.window_norm_scores_, fc.naive_weights_ = {}, {name: self.naive_weight}
        fc.season_, fc.patch_, fc.choices_, fc.combine_, fc.combinations_, fc.combine_note_ = self.choices

    def members(self, spec: NetworkSpec) -> list[Member]:
        """The ensemble's networks built from ``spec`` with the saved weights, in evaluation mode.

        Each member's stored shapes are checked against ``spec`` before its network is
        built, so a config cannot ask for more memory than the weights file holds.
        """
        weights_path = Path(self.path) / WEIGHTS_FILE
        expected = ForecastNet.state_shapes(spec.input_size, spec.horizon, spec.hidden_size, spec.num_layers,
                                            spec.bidirectional, spec.attention, spec.outputs_per_step,
                                            spec.known_size, spec.static_size)
        members = []
        for k, history in enumerate(self.histories):
            prefix = "network." if k == 0 else f"member.{k}."
            stored = {name[len(prefix):]: v for name, v in self.weights.items() if name.startswith(prefix)}
            check_shapes(weights_path, {name: v.shape for name, v in stored.items()}, expected)
            network = build_network(spec, member_seed(self.params["seed"], k))
            network.load_state_dict(stored)
            network.eval()
            members.append(Member(network, history, *self._member_resume(k)))
        return members

    def _member_resume(self, k: int) -> tuple[dict, dict]:
        state, arrays = self.resume
        if k == 0:
            return ({key: v for key, v in state.items() if not key.startswith("member.")},
                    {key: v for key, v in arrays.items() if not key.startswith("member.")})
        prefix = f"member.{k}."
        return dict(state.get(f"member.{k}", {})), {key[len(prefix):]: v for key, v in arrays.items()
                                                     if key.startswith(prefix)}


def load_forecaster(path, check_params: Callable[[dict], object] | None = None) -> LoadedParts:
    """Read a directory written by :func:`save_forecaster`.

    ``check_params(params)`` raises ValueError or TypeError for hyperparameters the
    estimator refuses; it runs before anything is built from the config's sizes.
    """
    ckpt = load_checkpoint(path, kind=KIND)
    weights_path = Path(path) / WEIGHTS_FILE
    config = ckpt.config
    check_finite(weights_path, ckpt.weights)
    check_checkpoint_state(ckpt, path, nested=[key for key in ckpt.training_state or {} if key.startswith("member.")])
    entries = Entries(config, Path(path) / CONFIG_FILE)
    try:
        stored_params = entries.child("params")
        stored_params.integer("seed", low=0, none=True)  # the estimator takes any seed; a network's must be >= 0
        params = dict(stored_params.mapping)
        if "quantiles" in params:  # JSON has lists; the constructor was given a tuple
            params["quantiles"] = tuple(params["quantiles"])
        if check_params is not None:
            check_params(params)
        values = ckpt.weights["data.values"]
        columns = [entries.text("target"), *entries.texts("features")]
        if values.ndim != 2 or values.shape[1] != len(columns) or ckpt.weights["data.dates"].shape != values[:, 0].shape:
            raise CheckpointError(f"{weights_path}: data.values {values.shape} and data.dates do not fit the "
                                  f"{len(columns)} columns in config.json")
        check_array(weights_path, "data.dates", ckpt.weights["data.dates"], increasing=True)
        dates = pd.DatetimeIndex(ckpt.weights["data.dates"].astype("datetime64[ns]"), name=entries.text("date_column"))
        dates = dates.as_unit(date_unit(entries, "date_unit"))
        zone = time_zone(entries, "date_tz")
        if zone:
            dates = dates.tz_localize("UTC").tz_convert(zone)
        frame = pd.DataFrame(values, index=dates, columns=columns)
        stored_freq = freq(entries, "freq")
        if stored_freq is not None:
            try:
                frame.index.freq = stored_freq
            except ValueError:  # dates with gaps (trading days without holidays): as read_series leaves them
                pass
        table = SeriesTable(frame=frame, target=columns[0], features=tuple(columns[1:]),
                            freq=stored_freq, source=entries.text("source", none=True))
        # models saved before window_norm had more kinds, patches or ensembles used "last" on raw windows
        window_norm = (entries.text("window_norm", choices=WINDOW_NORMS) if "window_norm" in config
                       else params.get("window_norm", "last"))
        if params.get("target_transform", "none") != "none":
            window_norm = "none"
        others = entries.listed("member_histories", default=[])
        histories = [History.from_dict(history_entries(entries, "history")),
                     *(History.from_dict(history_entries(others, k)) for k in others.keys())]
        parts = LoadedParts(
            path=str(path), params=params, table=table,
            split=one_split(entries, "split", len(values)),
            scaler=scaler_from_dict(scaler_state(entries, "scaler", len(columns))), window_norm=window_norm,
            input_size=entries.integer("input_size", low=1, default=values.shape[1]),  # weights checked later
            # models saved before intervals existed have no residuals: forecast(coverage=...) then says so
            residuals=check_array(weights_path, "intervals.residuals",
                                  ckpt.weights.get("intervals.residuals", np.zeros((0, params["horizon"]))),
                                  low=0, shape=(None, params["horizon"])),
            # models saved before the naive weight existed forecast as trained
            naive_weight=float(check_array(weights_path, "no_harm.weight",
                                           ckpt.weights.get("no_harm.weight", np.ones(1)), low=0, high=1,
                                           shape=(1,))[0]),
            weights=ckpt.weights,
            histories=histories,
            resume=resume_state(ckpt),
            choices=stored_choices(entries, params),
            future=stored_future(entries, table.features),
        )
    except CheckpointError:
        raise
    except (KeyError, TypeError, ValueError) as err:
        raise CheckpointError(f"{Path(path) / 'config.json'} is missing or has a bad entry: {err}") from None
    return parts
