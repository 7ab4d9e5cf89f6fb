"""A fitted forecaster's parts to and from a model directory (safetensors + JSON, never pickle).

``weights.safetensors`` holds the networks (``network.*`` for the first ensemble
member, ``member.K.*`` for member K >= 1), the fitted table (``data.values`` (N, F),
``data.dates`` as int64 nanoseconds) and the validation windows' absolute errors
(``intervals.residuals`` (n, horizon)), so a loaded model can forecast, give
intervals and evaluate without the CSV. ``config.json`` holds every
hyperparameter, the scaler, the window normalisation chosen, the columns and the
frequency; ``optimizer.safetensors``, ``training_state.json`` and
``resume.safetensors`` let ``fit(..., resume=True)`` continue exactly (the first
member's in those files, member K's under ``member.K.`` in ``training_state.json``
and ``resume.safetensors``).

These functions take and return plain parts; the estimator assembles itself from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..checkpoint import CheckpointError, load_checkpoint, save_checkpoint, to_jsonable
from ..data.scalers import Scaler, scaler_from_dict
from ..data.split import Split
from ..data.tables import SeriesTable
from ..training import History, resume_parts, resume_state
from .fitting import Member, NetworkSpec, build_network, member_seed

KIND = "forecaster"


def save_forecaster(path, params: dict, table: SeriesTable, split: Split, scaler: Scaler, window_norm: str,
                    members: list[Member], residuals: np.ndarray) -> Path:
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
        "source": table.source,
        "split": {part: [s.start, s.stop] for part, s in
                  (("train", split.train), ("val", split.val), ("test", split.test))},
        "history": first.history.to_dict(),
        "member_histories": [m.history.to_dict() for m in rest],
    }
    weights = {"network." + k: v for k, v in first.network.state_dict().items()}
    for k, member in enumerate(rest, start=1):
        weights.update({f"member.{k}.{name}": v for name, v in member.network.state_dict().items()})
    weights["data.values"] = table.values  # (N, F)
    weights["data.dates"] = table.dates.as_unit("ns").asi8.copy()  # (N,) int64 ns
    weights["intervals.residuals"] = np.asarray(residuals, dtype=np.float64)  # (n_val, horizon)
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
    weights: dict
    histories: list[History]
    resume: tuple[dict, dict]  # the first member's (json_state, arrays)

    def restore(self, forecaster, spec: NetworkSpec) -> None:
        """Give an unfitted ``forecaster`` (built from ``params``) the learned attributes saved here."""
        fc = forecaster
        fc.table_, fc.split_, fc.scaler_ = self.table, self.split, self.scaler
        fc.target_, fc.features_ = self.table.target, self.table.features
        fc.window_norm_, fc.residuals_, fc.window_norm_scores_ = self.window_norm, self.residuals, {}
        fc.members_ = self.members(spec)
        first = fc.members_[0]
        fc.history_, fc.training_state_, fc.resume_arrays_ = first.history, first.training_state, first.resume_arrays

    def members(self, spec: NetworkSpec) -> list[Member]:
        """The ensemble's networks built from ``spec`` with the saved weights, in evaluation mode."""
        members = []
        for k, history in enumerate(self.histories):
            prefix = "network." if k == 0 else f"member.{k}."
            network = build_network(spec, member_seed(self.params["seed"], k))
            try:
                network.load_state_dict({name[len(prefix):]: v for name, v in self.weights.items()
                                         if name.startswith(prefix)})
            except ValueError as err:
                raise CheckpointError(f"{self.path}/weights.safetensors does not fit the configured "
                                      f"network: {err}") from None
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


def load_forecaster(path) -> LoadedParts:
    """Read a directory written by :func:`save_forecaster`."""
    ckpt = load_checkpoint(path, kind=KIND)
    config = ckpt.config
    try:
        values = ckpt.weights["data.values"]
        dates = pd.DatetimeIndex(ckpt.weights["data.dates"].astype("datetime64[ns]"), name=config["date_column"])
        dates = dates.as_unit(config.get("date_unit", "ns"))
        columns = [config["target"], *config["features"]]
        frame = pd.DataFrame(values, index=dates, columns=columns)
        if config["freq"] is not None:
            try:
                frame.index.freq = config["freq"]
            except ValueError:  # dates with gaps (trading days without holidays): as read_series leaves them
                pass
        params = dict(config["params"])
        table = SeriesTable(frame=frame, target=config["target"], features=tuple(config["features"]),
                            freq=config["freq"], source=config["source"])
        # models saved before window_norm had more kinds, patches or ensembles used "last" on raw windows
        window_norm = config.get("window_norm", params.get("window_norm", "last"))
        if params.get("target_transform", "none") != "none":
            window_norm = "none"
        parts = LoadedParts(
            path=str(path), params=params, table=table,
            split=Split(**{part: slice(*bounds) for part, bounds in config["split"].items()}),
            scaler=scaler_from_dict(config["scaler"]), window_norm=window_norm,
            input_size=int(config.get("input_size", values.shape[1])),
            # models saved before intervals existed have no residuals: forecast(coverage=...) then says so
            residuals=ckpt.weights.get("intervals.residuals", np.zeros((0, params["horizon"]))),
            weights=ckpt.weights,
            histories=[History.from_dict(h) for h in [config["history"], *config.get("member_histories", [])]],
            resume=resume_state(ckpt),
        )
    except (KeyError, TypeError) as err:
        raise CheckpointError(f"{path}: config.json is missing or has a bad entry {err}") from None
    return parts
