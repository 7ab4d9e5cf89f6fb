"""``lstmcast info DIR``: what a model folder holds, without guessing from file names."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from rich.table import Table

from ..checkpoint import WEIGHTS_FILE, read_document, read_header
from ..forecast.forecaster import Forecaster
from ..text.charmodel import CharModel
from .output import console


def register(subparsers) -> None:
    """Add the ``info`` command."""
    info = subparsers.add_parser(
        "info", help="describe a saved model: data, date, settings, validation score, size",
        description="Describe a model folder: what it was trained on, when, its settings, how it "
        "trained, its validation score beside the naive forecast, and its size on disk.",
    )
    info.add_argument("model", metavar="DIR", help="model folder written by `lstmcast train` or `text train`")
    info.set_defaults(handler=run_info)


def run_info(args) -> int:
    rows = describe(args.model)
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
    return 0


def describe(folder) -> list[tuple[str, str]]:
    """``(label, text)`` rows describing the model folder ``folder``.

    Raises
    ------
    CheckpointError
        If ``folder`` is not a readable model folder.
    """
    root = Path(folder)
    document = read_document(root)
    header = read_header(root / WEIGHTS_FILE)
    kind, config = document["kind"], document["config"]
    rows = [("model folder", str(root)),
            ("kind", f"{kind} (lstmcast {document.get('lstmcast_version', '?')}, "
                     f"format {document['format_version']})"),
            ("saved", document.get("saved_at") or "not recorded (saved by an older lstmcast)")]
    if kind == "forecaster":
        rows += _forecaster_rows(root, config, header)
    elif kind == "charmodel":
        rows += _charmodel_rows(root, config, header)
    training = _training(config.get("history", {}))
    if kind == "panel_forecaster":
        rows += _panel_rows(config)
        states = config.get("states") or [{}]
        training = _training((states[0].get("histories") or [{}])[0])
        if len(states) > 1:
            training += " (the first series' model)"
    params = config.get("params", {})
    rows.append(("settings", ", ".join(f"{k}={v}" for k, v in params.items() if k != "verbose")))
    rows.append(("training", training))
    sizes = {path.name: path.stat().st_size for path in sorted(root.iterdir()) if path.is_file()}
    rows.append(("size on disk", f"{_bytes(sum(sizes.values()))} in {len(sizes)} files "
                                 f"({', '.join(f'{n} {_bytes(b)}' for n, b in sizes.items())})"))
    return rows


def _forecaster_rows(root: Path, config: dict, header) -> list[tuple[str, str]]:
    n_rows = header["data.dates"].shape[0] if "data.dates" in header else 0
    fc = Forecaster.load(root)  # sizes checked against the weights before anything is built
    dates = fc.table_.dates
    zone = f", time zone {dates.tz}" if dates.tz is not None else ""
    features = ", ".join(config.get("features", [])) or "none"
    split = fc.split_
    rows = [("trained on", f"{config.get('source')}: target {config.get('target')!r}, features {features}"),
            ("data", f"{n_rows} rows from {_date(dates[0])} to {_date(dates[-1])}, frequency "
                     f"{config.get('freq') or 'none'}{zone}"),
            ("split", f"train {split.sizes[0]} rows, validation {split.sizes[1]}, test {split.sizes[2]}"),
            ("parameters", f"{_parameters(header, 'network.')} in the network")]
    if split.sizes[1] > 0:
        scores = fc.evaluate(strong=False)  # only the LSTM and naive are shown
        lstm, naive = scores.loc["LSTM"], scores.loc["naive"]
        chose = " (early stopping chose the epoch on them)" if fc.patience is not None else ""
        rows.append(("validation", f"MAE {lstm['MAE']:.4g} (naive {naive['MAE']:.4g}), RMSE {lstm['RMSE']:.4g}, "
                                   f"MASE {lstm['MASE']:.3g} over {scores.attrs['windows']} windows{chose}"))
    return rows


def _charmodel_rows(root: Path, config: dict, header) -> list[tuple[str, str]]:
    model = CharModel.load(root)
    history = model.history_
    rows = [("vocabulary", f"{len(model.vocab_)} characters"),
            ("parameters", f"{_parameters(header, '')} in the network")]
    best = history.best_epoch
    if best and not math.isnan(history.val_loss[best - 1]):
        rows.append(("validation", f"{history.val_loss[best - 1] / math.log(2):.3f} bits per character "
                                   f"(epoch {best})"))
    return rows


def _panel_rows(config: dict) -> list[tuple[str, str]]:
    ids = config.get("ids", [])
    shown = ", ".join(map(str, ids[:5])) + (f" ... ({len(ids)} in all)" if len(ids) > 5 else "")
    mode = config.get("mode", "?")
    return [("series", f"{len(ids)}: {shown}"),
            ("columns", f"id {config.get('id_column')!r}, time {config.get('time_column')!r}, "
                        f"target {config.get('target')!r}" + (f", features {config['features']}"
                                                              if config.get("features") else "")),
            ("mode", "one network for every series" if mode == "global" else "one model per series")]


def _training(history: dict) -> str:
    epochs = len(history.get("train_loss", []))
    if not epochs:
        return "no epochs recorded"
    notes = [f"{epochs} epochs in {sum(history.get('seconds', [])):.1f} s"]
    if history.get("best_epoch"):
        notes.append(f"best epoch {history['best_epoch']}")
    if history.get("stopped_early"):
        notes.append("stopped early")
    if history.get("interrupted"):
        notes.append("interrupted (Ctrl-C): continue with --resume")
    return ", ".join(notes)


def _parameters(header, prefix: str) -> str:
    return f"{sum(math.prod(a.shape) for k, a in header.items() if k.startswith(prefix)):,}"


def _bytes(n: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n} bytes"  # pragma: no cover


def _date(stamp: pd.Timestamp) -> str:
    return stamp.strftime("%Y-%m-%d %H:%M").removesuffix(" 00:00")
