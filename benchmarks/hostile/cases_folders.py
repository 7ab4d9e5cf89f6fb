"""Cases of kind folders: forged and damaged model folders."""

from __future__ import annotations

import math
import os

from .checks import forecast_file
from .core import TINY, case, cli
from .makers import data_file, fixture, forge_config, forge_weights


def forged(change=None, raw=None, model="m", weights=None):
    def setup(folder):
        if change is not None:
            forge_config(folder, change, model, raw)
        if weights is not None:
            forge_weights(folder, weights, model)
    return setup


def params(name, value):
    def change(doc):
        doc["config"]["params"][name] = value
    return change


def cfg(path, value):
    """Set ``doc["config"][path...]``; ``path`` dotted."""
    def change(doc):
        node = doc["config"]
        keys = path.split(".")
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value
    return change


def tensor(name, value):
    def change(arrays):
        import numpy as np

        arrays[name] = np.asarray(value(arrays[name]) if callable(value) else value, dtype=arrays[name].dtype)
    return change


def fifo(relative):
    def setup(folder):
        path = folder / relative
        if os.path.lexists(path):
            path.unlink()
        os.mkfifo(path)
    return setup


def link_to(relative, target):
    def setup(folder):
        path = folder / relative
        path.unlink()
        path.symlink_to(target)
    return setup


FC = cli("forecast m")
for name, step, setup, expect, names, mech, timeout in [
    ("fifo-weights", FC, fifo("m/weights.safetensors"), "refuse", ("weights.safetensors",), 3, 15),
    ("fifo-training-state", FC, fifo("m/training_state.json"), "either", ("training_state.json",), 3, 15),
    ("fifo-config", FC, fifo("m/config.json"), "refuse", ("config.json",), 3, 15),
    ("fifo-weights-info", cli("info m"), fifo("m/weights.safetensors"), "either", ("weights.safetensors",), 3, 15),
    ("fifo-resume-state", cli(f"train a.csv --resume --out m {TINY}"), fifo("m/resume.safetensors"), "either",
     ("resume.safetensors",), 3, 30),
    ("weights-link-dev-zero", FC, link_to("m/weights.safetensors", "/dev/zero"), "refuse", ("weights.safetensors",),
     3, 30),
    ("config-link-dev-urandom", FC, link_to("m/config.json", "/dev/urandom"), "refuse", ("config.json",), 3, 30),
    ("std-1e999", FC, forged(cfg("scaler.std", ["@INF@"]), {"@INF@": "1e999"}), "refuse", ("std", "scaler", "config"),
     3, None),
    ("std-minus-1e999", FC, forged(cfg("scaler.std", ["@INF@"]), {"@INF@": "-1e999"}), "refuse",
     ("std", "scaler", "config"), 3, None),
    ("mean-NaN", FC, forged(cfg("scaler.mean", ["@NAN@"]), {"@NAN@": "NaN"}), "refuse", ("mean", "scaler", "config"),
     3, None),
    ("mean-string", FC, forged(cfg("scaler.mean", ["abc"])), "refuse", ("mean", "scaler", "config"), 3, None),
    ("std-negative", FC, forged(cfg("scaler.std", [-5.0])), "refuse", ("std", "scaler", "config"), 3, None),
    ("scaler-kind-unknown", FC, forged(cfg("scaler.kind", "magic")), "refuse", ("magic", "scaler", "config"), 3, None),
    ("split-beyond-data", FC, forged(cfg("split.train", [0, 5000])), "refuse", ("split", "config"), 3, None),
    ("split-negative", FC, forged(cfg("split.train", [-5, 115])), "refuse", ("split", "config"), 3, None),
    ("split-reversed", FC, forged(cfg("split.val", [144, 115])), "refuse", ("split", "config"), 3, None),
    ("split-forged-info", cli("info m"), forged(cfg("split.train", [0, 5000])), "either", ("split", "config"), 3, None),
    ("split-forged-evaluate", cli("evaluate m a.csv --no-strong"), forged(cfg("split.train", [0, 5000])), "either",
     ("split", "config"), 3, None),
    ("nested-config", FC, data_file("{\"a\":" * 100_000 + "1" + "}" * 100_000, "m/config.json"), "refuse",
     ("config.json",), 3, None),
    ("nested-params", FC, forged(params("look_back", "@DEEP@"), {"@DEEP@": "[" * 50_000 + "]" * 50_000}), "refuse",
     ("config.json", "look_back", "--look-back"), 3, None),
    ("freq-garbage", FC, forged(cfg("freq", "XYZ")), "refuse", ("freq", "config", "XYZ"), 3, None),
    ("freq-number", FC, forged(cfg("freq", 5)), "refuse", ("freq", "config"), 3, None),
    ("freq-null", FC, forged(cfg("freq", None)), "either", ("freq", "config"), 3, None),
    ("date-tz-garbage", FC, forged(cfg("date_tz", "Mars/Phobos")), "refuse", ("date_tz", "Mars", "config"), 3, None),
    ("date-unit-garbage", FC, forged(cfg("date_unit", "parsec")), "refuse", ("date_unit", "parsec", "config"), 3, None),
    ("look-back-negative", FC, forged(params("look_back", -1)), "refuse", ("look_back", "--look-back"), 3, None),
    ("look-back-huge", FC, forged(params("look_back", 10**9)), "refuse", ("look_back", "--look-back", "config"), 3,
     None),
    ("horizon-string", FC, forged(params("horizon", "abc")), "refuse", ("horizon",), 3, None),
    ("dtype-float16", FC, forged(params("dtype", "float16")), "refuse", ("dtype", "float16"), 3, None),
    ("quantiles-reversed", FC, forged(params("quantiles", [0.95, 0.5, 0.05])), "refuse", ("quantiles",), 3, None),
    ("param-missing", FC, forged(lambda d: d["config"]["params"].pop("horizon")), "either", ("horizon", "config"), 3,
     None),
    ("format-version-999", FC, forged(lambda d: d.update(format_version=999)), "refuse", ("version", "format"), 3,
     None),
    ("kind-unknown", FC, forged(lambda d: d.update(kind="toaster")), "refuse", ("toaster", "kind", "config"), 3, None),
    ("kind-text-model", FC, forged(lambda d: d.update(kind="char_model")), "refuse", ("m", "kind", "config"), 3, None),
    ("missing-weights", FC, lambda f: (f / "m/weights.safetensors").unlink(), "refuse", ("weights.safetensors",), 3,
     None),
    ("missing-config", FC, lambda f: (f / "m/config.json").unlink(), "refuse", ("config.json", "m"), 3, None),
    ("empty-config", FC, data_file("", "m/config.json"), "refuse", ("config.json",), 3, None),
    ("config-not-json", FC, data_file("{this is not json", "m/config.json"), "refuse", ("config.json",), 3, None),
    ("config-is-list", FC, data_file("[1, 2, 3]", "m/config.json"), "refuse", ("config.json",), 3, None),
    ("truncated-weights", FC, lambda f: (f / "m/weights.safetensors").write_bytes(
        fixture("m/weights.safetensors").read_bytes()[:1500]), "refuse", ("weights.safetensors",), 3, None),
    ("garbage-weights", FC, data_file(bytes(range(256)) * 8, "m/weights.safetensors"), "refuse",
     ("weights.safetensors",), 3, None),
    ("weights-header-huge", FC, data_file((2**62).to_bytes(8, "little") + b"{}", "m/weights.safetensors"), "refuse",
     ("weights.safetensors",), 3, None),
    ("weights-offsets-beyond-file", FC, data_file(lambda: (lambda h: len(h).to_bytes(8, "little") + h)(
        b'{"no_harm.weight":{"dtype":"F64","shape":[1],"data_offsets":[0,8000000]}}'), "m/weights.safetensors"),
     "refuse", ("weights.safetensors",), 3, None),
    ("no-harm-weight-minus-50", FC, forged(weights=tensor("no_harm.weight", [-50.0])), "refuse",
     ("no_harm", "weight", "weights.safetensors"), 3, None),
    ("no-harm-weight-nan", FC, forged(weights=tensor("no_harm.weight", [math.nan])), "refuse",
     ("no_harm", "weight", "weights.safetensors"), 3, None),
    ("no-harm-weight-1e308", FC, forged(weights=tensor("no_harm.weight", [1e308])), "refuse",
     ("no_harm", "weight", "weights.safetensors"), 3, None),
    ("data-values-nan", FC, forged(weights=tensor("data.values", lambda a: a * math.nan)), "refuse",
     ("data", "weights.safetensors"), 3, None),
    ("network-weight-wrong-shape", FC, forged(weights=tensor("network.head.weight",
                                                             lambda a: __import__("numpy").zeros((3, 5)))), "refuse",
     ("head", "weights.safetensors", "shape"), 3, None),
    ("network-tensor-missing", FC, forged(weights=lambda a: a.pop("network.head.bias")), "refuse",
     ("head.bias", "weights.safetensors"), 3, None),
    ("network-tensor-extra", FC, forged(weights=tensor("network.extra", [1.0]) if False else
                                        (lambda a: a.update({"network.extra": a["no_harm.weight"].copy()}))),
     "either", ("network.extra", "weights.safetensors"), 3, None),
    ("training-state-garbage", FC, data_file("{garbage", "m/training_state.json"), "either",
     ("training_state.json",), 3, None),
    ("resume-with-garbage-state", cli(f"train a.csv --resume --out m {TINY}"),
     data_file("{garbage", "m/training_state.json"), "refuse", ("training_state.json",), 3, None),
    ("history-nan-info", cli("info m"), forged(cfg("history.val_loss", ["@NAN@", "@NAN@"]), {"@NAN@": "NaN"}),
     "either", ("history", "config"), 3, None),
    ("target-escape-forecast", FC, forged(cfg("target", "Pass\x1b[31mengers")), "either", ("target", "config"), 2,
     None),
    ("target-escape-info", cli("info m"), forged(cfg("target", "Pass\x1b[31mengers")), "either",
     ("target", "config"), 2, None),
    ("source-escape-info", cli("info m"), forged(cfg("source", "a\x1b]0;pwned\x07.csv")), "either",
     ("source", "config"), 2, None),
    ("date-column-escape-forecast", FC, forged(cfg("date_column", "Mo\x1b[2Jnth")), "either",
     ("date_column", "config"), 2, None),
    ("model-is-file", cli("forecast m2"), data_file("not a model\n", "m2"), "refuse", ("m2",), 0, None),
    ("model-missing", cli("forecast nope"), None, "refuse", ("nope",), 0, None),
    ("model-empty-folder", cli("forecast m2"), lambda f: (f / "m2").mkdir(), "refuse", ("m2",), 0, None),
    ("info-on-csv", cli("info a.csv"), None, "refuse", ("a.csv",), 0, None),
]:
    case("folders", name, step, expect=expect, setup=setup, names=names + (" m:", "m/", "'m'"), mech=mech,
         timeout=timeout,
         fixtures=("m", "a.csv"), check=None)

for name, setup, expect, names, command in [
    ("panel-ids-escape-info", forged(cfg("ids", ["a\x1b[2J", "b", "c"]), model="pm"), "either", ("ids", "config"),
     "info pm"),
    ("panel-ids-escape-forecast", forged(cfg("ids", ["a\x1b[2J", "b", "c"]), model="pm"), "either",
     ("ids", "config"), "forecast pm"),
    ("panel-ids-mismatch", forged(cfg("ids", ["a", "b", "zzz"]), model="pm"), "either", ("zzz", "ids", "config"),
     "forecast pm --out f.csv"),
    ("panel-std-1e999", forged(lambda d: d["config"]["states"][0]["scalers"]["a"].update(std=["@INF@"]),
                               {"@INF@": "1e999"}, model="pm"), "refuse", ("std", "scaler", "config", "a"),
     "forecast pm"),
    ("panel-states-empty", forged(cfg("states", []), model="pm"), "refuse", ("states", "config"), "forecast pm"),
    ("panel-freq-garbage", forged(cfg("freq", "XYZ"), model="pm"), "refuse", ("freq", "XYZ", "config"),
     "forecast pm"),
    ("panel-nested-config", data_file("[" * 100_000 + "]" * 100_000, "pm/config.json"), "refuse", ("config.json",),
     "forecast pm"),
    ("panel-fifo-weights", fifo("pm/weights.safetensors"), "refuse", ("weights.safetensors",), "forecast pm"),
]:
    case("folders", name, cli(command), expect=expect, setup=setup, names=names + (" pm:", "pm/", "'pm'"),
         mech=2 if "escape" in name else 3,
         fixtures=("pm",), timeout=15 if "fifo" in name else None,
         check=forecast_file() if "--out" in command else None)

case("folders", "residuals-inf-coverage", cli("forecast m --coverage 0.9 --out f.csv"), expect="either", mech=3,
     setup=forged(weights=tensor("intervals.residuals", lambda a: a * math.inf)), fixtures=("m",),
     names=("residuals", "weights.safetensors"), check=forecast_file(need_bounds=True))
case("folders", "residuals-negative-coverage", cli("forecast m --coverage 0.9 --out f.csv"), expect="either", mech=3,
     setup=forged(weights=tensor("intervals.residuals", lambda a: -a - 1)), fixtures=("m",),
     names=("residuals", "weights.safetensors"), check=forecast_file(need_bounds=True))
case("folders", "network-weights-nan", cli("forecast m --out f.csv"), expect="either", mech=3, fixtures=("m",),
     setup=forged(weights=tensor("network.lstm.weight_hh_l0", lambda a: a * math.nan)),
     names=("weights.safetensors", "network"), check=forecast_file())
