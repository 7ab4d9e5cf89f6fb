"""A Forecaster to and from a model directory (safetensors + JSON, never pickle).

``weights.safetensors`` holds the network (``network.*``), the fitted table
(``data.values`` (N, F), ``data.dates`` as int64 nanoseconds) and the validation
windows' absolute errors (``intervals.residuals`` (n, horizon)) and the weight on
the LSTM against naive (``no_harm.weight`` (1,)), so a loaded model
can forecast, give intervals and evaluate without the CSV. ``config.json`` holds every
hyperparameter, the scaler, the columns and the frequency; ``optimizer.safetensors``,
``training_state.json`` and ``resume.safetensors`` let ``fit(..., resume=True)``
continue exactly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..checkpoint import (WEIGHTS_FILE, CheckpointError, check_finite, check_shapes, load_checkpoint, save_checkpoint,
                          to_jsonable)
from ..data.scalers import scaler_from_dict
from ..data.split import Split
from ..data.tables import SeriesTable
from ..training import History, resume_parts, resume_state
from .network import ForecastNet

KIND = "forecaster"


def save_forecaster(fc, path) -> Path:
    """Write ``fc`` (fitted) to the directory ``path``, atomically."""
    table = fc.table_
    config = {
        "params": fc.get_params(),
        "scaler": fc.scaler_.to_dict(),
        "target": table.target,
        "features": list(table.features),
        "freq": table.freq,
        "date_column": table.dates.name,
        "date_unit": table.dates.unit,
        "date_tz": None if table.dates.tz is None else str(table.dates.tz),
        "source": table.source,
        "split": {part: [s.start, s.stop] for part, s in
                  (("train", fc.split_.train), ("val", fc.split_.val), ("test", fc.split_.test))},
        "history": fc.history_.to_dict(),
    }
    weights = {"network." + k: v for k, v in fc.network_.state_dict().items()}
    weights["data.values"] = table.values  # (N, F)
    weights["data.dates"] = table.dates.as_unit("ns").asi8.copy()  # (N,) int64 ns (UTC when time-zone aware)
    weights["intervals.residuals"] = np.asarray(fc.residuals_, dtype=np.float64)  # (n_val, horizon)
    weights["no_harm.weight"] = np.array([fc.naive_weight_], dtype=np.float64)  # (1,)
    return save_checkpoint(path, kind=KIND, config=to_jsonable(config), weights=weights,
                           **resume_parts(fc.training_state_, fc.resume_arrays_))


def load_forecaster(path):
    """Rebuild a fitted Forecaster from a directory written by :func:`save_forecaster`."""
    from .forecaster import Forecaster

    ckpt = load_checkpoint(path, kind=KIND)
    weights_path = Path(path) / WEIGHTS_FILE
    config = ckpt.config
    try:
        params = dict(config["params"])
        if "quantiles" in params:  # JSON has lists; the constructor was given a tuple
            params["quantiles"] = tuple(params["quantiles"])
        fc = Forecaster(**params)
        fc._validate()
        values = ckpt.weights["data.values"]
        columns = [config["target"], *config["features"]]
        if values.ndim != 2 or values.shape[1] != len(columns) or ckpt.weights["data.dates"].shape != values[:, 0].shape:
            raise CheckpointError(f"{weights_path}: data.values {values.shape} and data.dates do not fit the "
                                  f"{len(columns)} columns in config.json")
        dates = pd.DatetimeIndex(ckpt.weights["data.dates"].astype("datetime64[ns]"), name=config["date_column"])
        dates = dates.as_unit(config.get("date_unit", "ns"))
        if config.get("date_tz"):
            dates = dates.tz_localize("UTC").tz_convert(config["date_tz"])
        frame = pd.DataFrame(values, index=dates, columns=columns)
        if config["freq"] is not None:
            try:
                frame.index.freq = config["freq"]
            except ValueError:  # dates with gaps (trading days without holidays): as read_series leaves them
                pass
        fc.table_ = SeriesTable(frame=frame, target=config["target"], features=tuple(config["features"]),
                                freq=config["freq"], source=config["source"])
        fc.target_, fc.features_ = fc.table_.target, fc.table_.features
        fc.scaler_ = scaler_from_dict(config["scaler"])
        fc.split_ = Split(**{part: slice(*bounds) for part, bounds in config["split"].items()})
        fc.history_ = History.from_dict(config["history"])
    except CheckpointError:
        raise
    except (KeyError, TypeError, ValueError) as err:
        raise CheckpointError(f"{Path(path) / 'config.json'} is missing or has a bad entry: {err}") from None
    check_finite(weights_path, ckpt.weights)
    net_weights = {k[len("network."):]: v for k, v in ckpt.weights.items() if k.startswith("network.")}
    check_shapes(weights_path, {k: v.shape for k, v in net_weights.items()},  # before building anything
                 ForecastNet.state_shapes(values.shape[1], fc.horizon, fc.hidden_size, fc.num_layers,
                                          fc.bidirectional, fc.attention, fc._outputs_per_step))
    fc.network_ = ForecastNet(values.shape[1], fc.horizon, fc.hidden_size, fc.num_layers, fc.bidirectional,
                              fc.dropout, fc.recurrent_dropout, fc.attention, dtype=fc.dtype, seed=fc.seed,
                              quantiles=fc._outputs_per_step, median=fc._median)
    fc.network_.load_state_dict(net_weights)
    fc.network_.eval()
    # models saved before intervals existed have no residuals: forecast(coverage=...) then says so
    fc.residuals_ = ckpt.weights.get("intervals.residuals", np.zeros((0, fc.horizon)))  # (n_val, horizon)
    # models saved before the naive weight existed forecast as trained
    fc.naive_weight_ = float(ckpt.weights.get("no_harm.weight", np.ones(1))[0])
    fc.training_state_, fc.resume_arrays_ = resume_state(ckpt)
    return fc

