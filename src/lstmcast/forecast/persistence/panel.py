"""A Forecaster fitted on many series to and from a model directory (safetensors + JSON, never pickle).

``weights.safetensors`` holds the fitted panel (``panel.values`` (R, F), ``panel.times``
(R,) as int64 nanoseconds (UTC when time-zone aware, the zone in ``config.json``) or steps, ``panel.bounds`` (S + 1,)), and for each fitted
state (one for a global model, one per series for a local one) its networks
(``state.J.member.K.*``) and its validation scores and their weights
(``state.J.interval_scores``, ``state.J.interval_weights``).
``config.json`` holds the hyperparameters, the panel's columns, ids and frequency,
and each state's series, scalers, splits, window normalisation and histories, so a
loaded model forecasts, evaluates and gives intervals for every series without the CSV.
To resume training exactly, each member's trainer state is kept too, as in a one-series
folder: its arrays (the last epoch's and the best weights, the optimiser's moments) in
``resume.safetensors`` as ``J.K.*``, its counters and random generators' states in
``training_state.json`` under ``"J.K"``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from ...checkpoint import CheckpointError, check_finite, check_shapes, load_checkpoint, save_checkpoint, to_jsonable
from ...checkpoint import CONFIG_FILE, WEIGHTS_FILE
from ...checkpoint.entries import Entries, check_array, check_checkpoint_state, history_entries
from ...data.panel import Panel
from ...data.panel_split import SeriesScalers
from ...data.transforms import TARGET_TRANSFORMS
from .stored_values import freq, scaler_state, series_split, stored_choices, stored_future, stored_static, time_zone
from ..preparing.static import StaticSpec
from ..preparing.known import FutureSpec
from ...training import History
from ..training.fitting import Member, NetworkSpec, build_network, member_seed
from ..training.network import ForecastNet
from ..training.global_fit import PanelState
from ..preparing.scaling import PanelScaling
from ..preparing.windowing import WINDOW_NORMS

KIND = "panel_forecaster"

__all__ = ["KIND", "LoadedPanel", "load_panel_forecaster", "save_panel_forecaster"]


def save_panel_forecaster(path, params: dict, panel: Panel, mode: str, states: dict[str, PanelState],
                          naive_weights: dict[str, float] | None = None, choices: dict | None = None) -> Path:
    """Write a panel fit to the directory ``path``, atomically; returns the path."""
    unique: list[PanelState] = []
    for state in states.values():
        if not any(state is seen for seen in unique):
            unique.append(state)
    times = panel.frame[panel.time_column]
    zone = str(times.dt.tz) if panel.has_dates and times.dt.tz is not None else None
    if zone is not None:
        times = times.dt.tz_convert("UTC").dt.tz_localize(None)  # stored in UTC, the zone in config.json
    weights = {
        "panel.values": panel.frame[list(panel.columns)].to_numpy(dtype=np.float64),  # (R, F)
        "panel.times": (times.astype("datetime64[ns]").to_numpy().view(np.int64) if panel.has_dates
                        else times.to_numpy(dtype=np.int64)),  # (R,)
        "panel.bounds": np.asarray(panel.bounds, dtype=np.int64),  # (S + 1,)
        "no_harm.weights": np.array([(naive_weights or {}).get(name, 1.0) for name in panel.ids],
                                    dtype=np.float64),  # (S,) each series' weight on the LSTM
    }
    config_states, training_state, resume_arrays = [], {}, {}
    for j, state in enumerate(unique):
        ids = [name for name in panel.ids if states[name] is state]
        config_states.append({
            "ids": ids,
            "window_norm": state.window_norm,
            "target_transform": state.scaling.target_transform,
            "scalers": {name: state.scaling.scalers[name].to_dict() for name in ids},
            "splits": {name: [state.splits[name].train.stop, state.splits[name].val.stop] for name in ids},
            "validation_error": None if math.isnan(state.validation_error) else state.validation_error,
            "norm_scores": state.norm_scores,
            "histories": [m.history.to_dict() for m in state.members],
            "input_size": int(state.members[0].network.lstm.input_size),
        })
        weights[f"state.{j}.interval_scores"] = np.asarray(state.interval_scores, dtype=np.float64)  # (n_val, H)
        weights[f"state.{j}.interval_weights"] = np.asarray(state.interval_weights, dtype=np.float64)  # (n_val,)
        for k, member in enumerate(state.members):
            weights.update({f"state.{j}.member.{k}.{name}": v for name, v in member.network.state_dict().items()})
            training_state[f"{j}.{k}"] = member.training_state
            resume_arrays.update({f"{j}.{k}.{name}": v for name, v in member.resume_arrays.items()})
    config = {"params": params, "mode": mode, "id_column": panel.id_column, "time_column": panel.time_column,
              "target": panel.target, "features": list(panel.features), "freq": panel.freq,
              "source": panel.source, "ids": list(panel.ids), "has_dates": panel.has_dates, "time_tz": zone,
              "states": config_states}
    if choices is not None:  # the season and patch the fit chose (training.choices)
        config["choices"] = choices
    return save_checkpoint(path, kind=KIND, config=to_jsonable(config), weights=weights,
                           training_state=to_jsonable(training_state), resume_arrays=resume_arrays)


@dataclass
class LoadedPanel:
    """What a panel model directory holds, ready for the estimator to take."""

    path: str
    params: dict
    mode: str
    panel: Panel
    config_states: Entries  # config['states'], read by index
    weights: dict
    training_state: dict  # "J.K" -> member K of state J's trainer state (empty without one)
    resume_arrays: dict  # "J.K.<name>" -> its arrays
    choices: tuple = (None, 1, {}, "none", {}, "")  # the season, patch, sentences and combinations the fit chose
    future: FutureSpec = FutureSpec()  # the columns known in advance
    static: StaticSpec = StaticSpec()  # the static attributes' encoding

    def restore(self, forecaster, spec_for: Callable[[int], NetworkSpec]) -> None:
        """Give an unfitted ``forecaster`` (built from ``params``) the learned attributes saved here;
        ``spec_for(input_size)`` gives the network spec to build each member from."""
        states = {}
        try:
            for j in self.config_states.keys():
                entry = self.config_states.child(j)
                ids = entry.texts("ids")
                if not set(ids) <= set(self.panel.ids) or set(ids) & set(states):
                    raise entry.error("ids", ids, "series of the panel, each in one state only")
                state = self._state(j, entry, spec_for(entry.integer("input_size", low=1)))
                states.update({name: state for name in ids})
            if set(states) != set(self.panel.ids):
                raise ValueError("its states do not cover every series of the panel")
        except CheckpointError:
            raise
        except (KeyError, TypeError, ValueError) as err:
            raise CheckpointError(f"{self.path}: the model folder is missing or has a bad entry ({err}); "
                                  "save it again with this version of lstmcast") from None
        first = states[self.panel.ids[0]]
        fc = forecaster
        fc.panel_, fc.mode_, fc.states_ = self.panel, self.mode, states
        fc.members_, fc.window_norm_, fc.history_ = first.members, first.window_norm, first.members[0].history
        fc.target_, fc.features_ = self.panel.target, self.panel.features
        fc.shape_, fc.window_norm_scores_ = "panel", first.norm_scores
        stored = self.weights.get("no_harm.weights")  # absent from folders saved before no harm was per series
        weights = np.ones(len(self.panel)) if stored is None else check_array(
            Path(self.path) / WEIGHTS_FILE, "no_harm.weights", stored, low=0, high=1, shape=(len(self.panel),))
        fc.naive_weights_ = {name: float(w) for name, w in zip(self.panel.ids, weights)}
        fc.season_, fc.patch_, fc.choices_, fc.combine_, fc.combinations_, fc.combine_note_ = self.choices

    def _state(self, j: int, entry: Entries, spec: NetworkSpec) -> PanelState:
        weights_path = Path(self.path) / WEIGHTS_FILE
        expected = ForecastNet.state_shapes(spec.input_size, spec.horizon, spec.hidden_size, spec.num_layers,
                                            spec.bidirectional, spec.attention, spec.outputs_per_step,
                                            spec.known_size, spec.static_size)
        members = []
        histories = entry.listed("histories")
        for k in histories.keys():
            prefix = f"state.{j}.member.{k}."
            stored = {name[len(prefix):]: v for name, v in self.weights.items() if name.startswith(prefix)}
            check_shapes(weights_path, {name: v.shape for name, v in stored.items()}, expected)
            network = build_network(spec, member_seed(self.params["seed"], k))
            network.load_state_dict(stored)
            network.eval()
            prefix = f"{j}.{k}."
            arrays = {name[len(prefix):]: v for name, v in self.resume_arrays.items() if name.startswith(prefix)}
            members.append(Member(network, History.from_dict(history_entries(histories, k)),
                                  self.training_state.get(f"{j}.{k}", {}), arrays))
        lengths, ids = self.panel.lengths, entry.texts("ids")
        for part in ("splits", "scalers"):
            if set(entry.child(part).keys()) != set(ids):
                raise entry.error(part, sorted(entry.child(part).keys()), f"one entry for each of its series {ids}")
        split_entries, scaler_entries = entry.child("splits"), entry.child("scalers")
        splits = {name: series_split(split_entries, name, int(lengths[name])) for name in ids}
        n_columns = len(self.panel.columns)
        scalers = SeriesScalers.from_dict({name: scaler_state(scaler_entries, name, n_columns) for name in ids})
        scores = check_array(weights_path, f"state.{j}.interval_scores", self.weights[f"state.{j}.interval_scores"],
                             low=0, shape=(None, spec.horizon))
        score_weights = check_array(weights_path, f"state.{j}.interval_weights",
                                    self.weights[f"state.{j}.interval_weights"], low=0, high=1, shape=(len(scores),))
        window_norm = entry.text("window_norm", choices=WINDOW_NORMS)
        norm_scores = entry.child("norm_scores")
        for name in norm_scores.keys():
            norm_scores.number(name, low=0)
        return PanelState(members, PanelScaling(window_norm, entry.text("target_transform", choices=TARGET_TRANSFORMS),
                                                scalers),
                          window_norm, scores, score_weights, splits,
                          _or_nan(entry.number("validation_error", low=0, none=True)), dict(norm_scores.mapping))


def _or_nan(value: float | None) -> float:
    return float("nan") if value is None else value


def load_panel_forecaster(path, check_params: Callable[[dict], object] | None = None) -> LoadedPanel:
    """Read a directory written by :func:`save_panel_forecaster`.

    ``check_params(params)`` raises ValueError for hyperparameters the estimator refuses,
    before anything is built from the config's sizes.
    """
    ckpt = load_checkpoint(path, kind=KIND)
    config, weights = ckpt.config, ckpt.weights
    weights_path = Path(path) / WEIGHTS_FILE
    check_finite(weights_path, weights)
    check_checkpoint_state(ckpt, path, nested=list(ckpt.training_state or {}))
    entries = Entries(config, Path(path) / CONFIG_FILE)
    try:
        stored_params = entries.child("params")
        stored_params.integer("seed", low=0, none=True)  # the estimator takes any seed; a network's must be >= 0
        params = dict(stored_params.mapping)
        params["quantiles"] = tuple(params["quantiles"])
        if check_params is not None:
            check_params(params)
        values, times, bounds = weights["panel.values"], weights["panel.times"], weights["panel.bounds"]
        ids = entries.texts("ids")
        if len(set(ids)) != len(ids) or not ids:
            raise entries.error("ids", ids, "series ids, each once")
        columns = [entries.text("target"), *entries.texts("features")]
        if values.ndim != 2 or values.shape[1] != len(columns) or times.shape != values[:, 0].shape \
                or bounds.shape != (len(ids) + 1,) or bounds[0] != 0 or bounds[-1] != len(values):
            raise CheckpointError(f"{weights_path}: panel.values {values.shape}, panel.times and "
                                  f"panel.bounds do not fit the {len(ids)} series in config.json")
        check_array(weights_path, "panel.bounds", bounds, increasing=True)
        steps = np.diff(times)
        steps[bounds[1:-1] - 1] = 1  # a new series may start at any time
        if (steps <= 0).any():
            raise CheckpointError(f"{weights_path}: array 'panel.times' is not increasing within each series, "
                                  "as a save writes it")
        has_dates = entries.flag("has_dates")
        frame = pd.DataFrame(values, columns=columns)
        time_column, id_column = entries.text("time_column"), entries.text("id_column")
        stamps = pd.Series(times.astype("datetime64[ns]")) if has_dates else times
        zone = time_zone(entries, "time_tz")
        if has_dates and zone:  # stored in UTC
            stamps = stamps.dt.tz_localize("UTC").dt.tz_convert(zone)
        frame.insert(0, time_column, stamps)
        frame.insert(0, id_column, np.repeat(np.array(ids, dtype=object), np.diff(bounds)))
        panel = Panel(frame=frame, id_column=id_column, time_column=time_column,
                      target=columns[0], features=tuple(columns[1:]), freq=freq(entries, "freq", steps=True),
                      source=entries.text("source", none=True), ids=tuple(ids), bounds=bounds.astype(np.int64))
        loaded = LoadedPanel(str(path), params, entries.text("mode", choices=("global", "local")), panel,
                             entries.listed("states"), weights,
                             dict(ckpt.training_state or {}), dict(ckpt.resume_arrays or {}),
                             stored_choices(entries, params), stored_future(entries, panel.features),
                             stored_static(entries, panel.features))
    except CheckpointError:
        raise
    except (KeyError, TypeError, ValueError) as err:
        raise CheckpointError(f"{Path(path) / 'config.json'} is missing or has a bad entry: {err}") from None
    return loaded
