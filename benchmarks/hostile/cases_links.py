"""Cases of kind links: planted symbolic links at lock, temporary and output names."""

from __future__ import annotations

import os

from .core import TINY, case, cli, sh
from .makers import both, victim


def plant(name: str, target: str = "../outside/victim.txt", make_victim: bool = True):
    def setup(folder):
        if make_victim:
            victim(folder)
        else:
            (folder.parent / "outside").mkdir(exist_ok=True)
        (folder / name).symlink_to(target)
    return setup


for name, steps, fixtures, setup in [
    ("lock-link-forecast", [cli("forecast m")], ("m",), plant(".m.lock")),
    ("lock-link-forecast-missing-model", [cli("forecast m")], (), plant(".m.lock")),
    ("lock-link-forecast-after-killed-save", [cli("forecast m")], ("m",),
     both(plant(".m.lock"), lambda f: os.rename(f / "m", f / ".m.old-999999-deadbeef"))),
    ("lock-link-train-new", [cli(f"train a.csv --out m {TINY}")], ("a.csv",), plant(".m.lock")),
    ("lock-link-train-replace", [cli(f"train a.csv --out m {TINY}")], ("a.csv", "m"), plant(".m.lock")),
    ("lock-link-resume", [cli(f"train a.csv --resume --epochs 3 --out m {TINY.replace('--epochs 2 ', '')}")],
     ("a.csv", "m"), plant(".m.lock")),
    ("lock-link-evaluate", [cli("evaluate m a.csv --no-strong")], ("a.csv", "m"), plant(".m.lock")),
    ("lock-link-info", [cli("info m")], ("m",), plant(".m.lock")),
    ("lock-link-inspect", [cli("inspect m")], ("m",), plant(".m.lock")),
    ("lock-link-panel-forecast", [cli("forecast pm")], ("pm",), plant(".pm.lock")),
    ("lock-link-dangling", [cli("forecast m")], ("m",), plant(".m.lock", "../outside/new.txt", False)),
    ("tmp-link-forecast-out", [sh("ln -s ../outside/victim.txt .f.csv.tmp-$$; exec $LSTMCAST forecast m --out f.csv")],
     ("m",), lambda f: victim(f)),
    ("tmp-link-forecast-out-existing", [sh("echo old > f.csv; ln -s ../outside/victim.txt .f.csv.tmp-$$; "
                                           "exec $LSTMCAST forecast m --out f.csv")], ("m",), lambda f: victim(f)),
    ("tmp-link-backtest-out", [sh(f"ln -s ../outside/victim.txt .bt.csv.tmp-$$; exec $LSTMCAST backtest a.csv {TINY} "
                                  "--start 0.9 --out bt.csv")], ("a.csv",), lambda f: victim(f)),
    ("tmp-link-plot", [sh("ln -s ../outside/victim.txt .f.png.tmp-$$; exec $LSTMCAST forecast m --plot f.png")],
     ("m",), lambda f: victim(f)),
    ("tmp-link-inspect-json", [sh("ln -s ../outside/victim.txt .i.json.tmp-$$; exec $LSTMCAST inspect m --json i.json")],
     ("m",), lambda f: victim(f)),
    ("tmp-link-panel-forecast-out", [sh("ln -s ../outside/victim.txt .f.csv.tmp-$$; "
                                        "exec $LSTMCAST forecast pm --out f.csv")], ("pm",), lambda f: victim(f)),
    ("tmp-link-dangling", [sh("ln -s ../outside/new.csv .f.csv.tmp-$$; exec $LSTMCAST forecast m --out f.csv")],
     ("m",), lambda f: (f.parent / "outside").mkdir()),
    ("tmp-name-is-folder", [sh("mkdir .f.csv.tmp-$$; exec $LSTMCAST forecast m --out f.csv")], ("m",), None),
    ("out-hard-link", [cli("forecast m --out f.csv")], ("m",), lambda f: os.link(victim(f), f / "f.csv")),
    ("model-name-links-outside-folder", [cli(f"train a.csv --out m {TINY}")], ("a.csv",),
     lambda f: (victim(f, "notes.txt"), (f.parent / "outside" / "vdir").mkdir(),
                os.replace(f.parent / "outside" / "notes.txt", f.parent / "outside" / "vdir" / "notes.txt"),
                (f / "m").symlink_to("../outside/vdir"))),
    ("lock-fifo", [cli("forecast m")], ("m",), lambda f: os.mkfifo(f / ".m.lock")),
    ("lock-is-folder", [cli("forecast m")], ("m",), lambda f: (f / ".m.lock").mkdir()),
]:
    case("links", name, *steps, expect="either", setup=setup, fixtures=fixtures, mech=1, timeout=30,
         names=("m", "f.csv", "lock", "bt.csv", "f.png", "i.json", "pm"))
