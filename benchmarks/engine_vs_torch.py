"""Speed and memory of the lstmcast engine against torch.nn.LSTM on the CPU.

Each (engine, config, dtype) runs in its own Python process, started from this
script with ``--worker``, so that memory is measured per run and neither engine
warms the other's caches or thread pools. The parent alternates the engines over
several rounds (lstmcast's compiled backend, its NumPy reference backend, torch x1
thread, torch x2 threads; the order reversed on every other round), pools the
per-step times of all rounds and prints a table of median ms/step, the ratio torch /
lstmcast for each backend (> 1 means lstmcast is faster, against torch's better
thread count) and the peak memory of each worker.

Before timing anything it checks, in float64 with weights copied from lstmcast into
torch, that one training step gives the same loss in both engines, so that the two
columns time the same mathematics.

Run by hand, never by the test suite::

    python benchmarks/engine_vs_torch.py                      # everything, 4-5 minutes on a quiet machine
    python benchmarks/engine_vs_torch.py --configs A,D --dtypes float32 --steps 50 --rounds 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

try:
    import lstmcast  # noqa: F401  (installed with pip install -e .)
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")
BACKENDS = ("numba", "numpy")  # lstmcast's two engines: compiled kernels and the NumPy reference
ENGINES = (*BACKENDS, "torch")
CHECK_TOLERANCE = 1e-9
MIN_STEPS = 5  # timed steps a worker takes even past its time budget


@dataclass(frozen=True)
class Config:
    """One benchmark workload."""

    name: str  # "A" .. "D"
    kind: str  # "regress" (MSE on a head over h_T), "char" (embedding, head at every step), "infer"
    batch: int  # B
    seq_len: int  # T
    input_size: int  # I (the embedding width for "char")
    hidden_size: int  # H
    num_layers: int  # L
    outputs: int  # head outputs (the vocabulary size for "char")
    steps: int  # timed steps per round by default
    warmup: int  # untimed steps before the timed ones
    description: str  # one line for the table


CONFIGS = {
    "A": Config("A", "regress", 64, 30, 1, 64, 1, 1, 200, 10,
                "train B=64 T=30 I=1 H=64 L=1 -> 1, MSE, Adam"),
    "B": Config("B", "regress", 64, 30, 8, 128, 2, 24, 200, 10,
                "train B=64 T=30 I=8 H=128 L=2 -> 24, MSE, Adam"),
    "C": Config("C", "char", 32, 64, 64, 256, 1, 65, 30, 3,
                "train chars B=32 T=64 V=65 E=64 H=256, CE at every step, Adam"),
    "D": Config("D", "infer", 1, 30, 1, 64, 1, 1, 200, 20,
                "inference B=1 T=30 I=1 H=64 -> 1, forward only"),
}

# (config, dtype, minimum ratio torch / lstmcast's compiled backend) from the issue
TARGETS = (("A", "float32", 1.5), ("A", "float64", 2.0), ("B", "float32", 1.2), ("C", "float32", 1.2),
           ("D", "float32", 4.0))


# ---------------------------------------------------------------------- data
def make_batch(cfg: Config, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The fixed batch every step of ``cfg`` reuses, from a seeded generator.

    Returns
    -------
    inputs : ndarray
        (B, T, I) float64 for "regress" / "infer", (B, T) int64 character ids for "char".
    targets : ndarray
        (B, outputs) float64 for "regress" / "infer", (B, T) int64 next characters for "char".
    """
    rng = np.random.default_rng(seed)
    if cfg.kind == "char":
        ids = rng.integers(0, cfg.outputs, size=(cfg.batch, cfg.seq_len + 1))  # (B, T+1)
        return ids[:, :-1], ids[:, 1:]
    inputs = rng.standard_normal((cfg.batch, cfg.seq_len, cfg.input_size))  # (B, T, I)
    targets = rng.standard_normal((cfg.batch, cfg.outputs))  # (B, O)
    return inputs, targets


# ------------------------------------------------------------------ lstmcast
def build_lstmcast(cfg: Config, dtype: str, seed: int = 0, backend: str = "numba"):
    """The lstmcast network for ``cfg``: a Module with ``lstm``, ``head`` (and ``emb`` for "char")."""
    from lstmcast.nn.dense import Dense
    from lstmcast.nn.embedding import Embedding
    from lstmcast.nn.init import make_rng
    from lstmcast.nn.lstm import LSTM
    from lstmcast.nn.module import Module

    rng = make_rng(seed)
    net = Module()
    if cfg.kind == "char":
        net.emb = Embedding(cfg.outputs, cfg.input_size, dtype=dtype, seed=rng)
    net.lstm = LSTM(cfg.input_size, cfg.hidden_size, num_layers=cfg.num_layers, dtype=dtype, seed=rng,
                    backend=backend)
    net.head = Dense(cfg.hidden_size, cfg.outputs, dtype=dtype, seed=rng)
    return net


def lstmcast_step_fn(cfg: Config, net, inputs: np.ndarray, targets: np.ndarray):
    """A closure running one step: training (forward, loss, backward, Adam, zero_grad) or inference.

    Training steps return the loss as a float; inference returns the (1, outputs) prediction.
    """
    from lstmcast.nn.losses import cross_entropy, mse_loss
    from lstmcast.nn.optim import Adam

    lstm, head = net.lstm, net.head
    if cfg.kind == "infer":
        net.eval()

        def infer():
            _, (h_n, _) = lstm.forward(inputs)
            return head.forward(h_n[-1])  # (B, H) -> (B, O)

        return infer

    opt = Adam(net, lr=1e-3)
    if cfg.kind == "char":
        emb = net.emb

        def char_step():
            out, _ = lstm.forward(emb.forward(inputs))  # (B, T, H)
            logits = head.forward(out)  # (B, T, V)
            loss, dlogits = cross_entropy(logits, targets)
            emb.backward(lstm.backward(head.backward(dlogits)))
            opt.step()
            opt.zero_grad()
            return loss

        return char_step

    def regress_step():
        _, (h_n, _) = lstm.forward(inputs)  # h_n (L, B, H)
        pred = head.forward(h_n[-1])  # (B, O) from the top layer's h_T
        loss, dpred = mse_loss(pred, targets)
        dh_n = np.zeros_like(h_n)  # (L, B, H)
        dh_n[-1] = head.backward(dpred)
        lstm.backward(None, dh_n=dh_n)
        opt.step()
        opt.zero_grad()
        return loss

    return regress_step


# --------------------------------------------------------------------- torch
def build_torch(cfg: Config, dtype: str, seed: int = 0):
    """The same network in PyTorch, with the same parameter names as :func:`build_lstmcast`."""
    import torch
    from torch import nn

    torch.manual_seed(seed)

    class Regressor(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(cfg.input_size, cfg.hidden_size, cfg.num_layers, batch_first=True)
            self.head = nn.Linear(cfg.hidden_size, cfg.outputs)

        def forward(self, x):
            _, (h_n, _) = self.lstm(x)
            return self.head(h_n[-1])  # (B, O)

    class CharNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(cfg.outputs, cfg.input_size)
            self.lstm = nn.LSTM(cfg.input_size, cfg.hidden_size, cfg.num_layers, batch_first=True)
            self.head = nn.Linear(cfg.hidden_size, cfg.outputs)

        def forward(self, ids):
            out, _ = self.lstm(self.emb(ids))  # (B, T, H)
            return self.head(out)  # (B, T, V)

    net = CharNet() if cfg.kind == "char" else Regressor()
    return net.to(getattr(torch, dtype))


def torch_step_fn(cfg: Config, net, inputs: np.ndarray, targets: np.ndarray, dtype: str):
    """The PyTorch twin of :func:`lstmcast_step_fn`: same order, same loss, Adam(lr=1e-3).

    Training data become tensors once, as a DataLoader would hand them over; the
    inference closure converts its numpy input on every call and returns numpy.
    """
    import torch
    import torch.nn.functional as F

    if cfg.kind == "infer":
        net.eval()

        def infer():
            with torch.inference_mode():
                return net(torch.as_tensor(inputs, dtype=getattr(torch, dtype))).numpy()

        return infer

    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    if cfg.kind == "char":
        x, y = torch.as_tensor(inputs), torch.as_tensor(targets)

        def char_step():
            logits = net(x)  # (B, T, V)
            loss = F.cross_entropy(logits.reshape(-1, cfg.outputs), y.reshape(-1))  # (B*T, V)
            loss.backward()
            opt.step()
            opt.zero_grad()
            return loss.item()

        return char_step

    x = torch.as_tensor(inputs, dtype=getattr(torch, dtype))
    y = torch.as_tensor(targets, dtype=getattr(torch, dtype))

    def regress_step():
        loss = F.mse_loss(net(x), y)
        loss.backward()
        opt.step()
        opt.zero_grad()
        return loss.item()

    return regress_step


# -------------------------------------------------------------------- worker
def rss_mib(field: str = "VmRSS") -> float:
    """``VmRSS`` (resident now) or ``VmHWM`` (its peak) from /proc/self/status, in MiB.

    Where there is no /proc (macOS), both read the peak from ``getrusage``.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 2**10  # kB -> MiB
    except OSError:
        pass
    per_mib = 2**20 if sys.platform == "darwin" else 2**10  # ru_maxrss: bytes on macOS, KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / per_mib


def reset_peak_rss() -> bool:
    """Make the kernel forget this process's peak RSS so far (Linux: write 5 to clear_refs).

    Without it the peak left by importing torch would hide everything measured after.
    Returns whether the reset worked.
    """
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def run_worker(engine: str, name: str, dtype: str, steps: int, warmup: int, threads: int,
               budget_s: float) -> dict:
    """Time up to ``steps`` steps of one engine on one config after ``warmup`` untimed ones.

    Timing stops early once the timed steps have taken ``budget_s`` seconds (0: no
    limit), after at least ``MIN_STEPS``, so a slow config cannot stretch the run.

    Returns
    -------
    dict
        ``times_ms`` (one per timed step), ``peak_mib`` (peak RSS above the RSS right
        after imports and data), ``threads`` and ``peak_was_reset`` (False where the
        kernel's peak could not be reset, so ``peak_mib`` may read low).
    """
    cfg = CONFIGS[name]
    if engine == "torch":
        import torch

        torch.set_num_threads(threads)
    else:
        # so that the baseline below includes the engine's imports, as it does torch's
        import lstmcast.nn.dense, lstmcast.nn.embedding, lstmcast.nn.losses  # noqa: F401, E401
        import lstmcast.nn.lstm, lstmcast.nn.optim  # noqa: F401, E401
    inputs, targets = make_batch(cfg)
    peak_was_reset = reset_peak_rss()
    baseline = rss_mib("VmRSS")
    if engine == "torch":
        step = torch_step_fn(cfg, build_torch(cfg, dtype), inputs, targets, dtype)
    else:
        step = lstmcast_step_fn(cfg, build_lstmcast(cfg, dtype, backend=engine), inputs, targets)
    for _ in range(warmup):
        step()
    times = []
    clock = time.perf_counter
    spent = 0.0
    for _ in range(steps):
        start = clock()
        step()
        elapsed = clock() - start
        times.append(elapsed * 1e3)
        spent += elapsed
        if budget_s and spent >= budget_s and len(times) >= MIN_STEPS:
            break
    return {"times_ms": times, "peak_mib": rss_mib("VmHWM") - baseline, "threads": threads,
            "peak_was_reset": peak_was_reset}


# --------------------------------------------------------- same-math check
def check_same_math(names: list[str], steps: int = 2) -> list[str]:
    """In float64 with torch's weights copied from lstmcast, compare ``steps`` steps of each config.

    Training configs compare the loss of every step (the second one reflects the
    first step's gradients and Adam update); "infer" compares the prediction.

    Returns
    -------
    list of str
        One line per config with the largest difference seen.

    Raises
    ------
    SystemExit
        If any difference exceeds ``CHECK_TOLERANCE``.
    """
    import torch

    lines = []
    for name in names:
        cfg = CONFIGS[name]
        inputs, targets = make_batch(cfg)
        for backend in BACKENDS:
            net = build_lstmcast(cfg, "float64", backend=backend)
            tnet = build_torch(cfg, "float64")
            tnet.load_state_dict({key: torch.from_numpy(value) for key, value in net.state_dict().items()})
            ours = lstmcast_step_fn(cfg, net, inputs, targets)
            theirs = torch_step_fn(cfg, tnet, inputs, targets, "float64")
            worst = 0.0
            for _ in range(steps if cfg.kind != "infer" else 1):
                worst = max(worst, float(np.max(np.abs(np.asarray(ours()) - np.asarray(theirs())))))
            what = "prediction" if cfg.kind == "infer" else f"loss over {steps} steps"
            if not worst <= CHECK_TOLERANCE:
                raise SystemExit(f"config {name}: lstmcast ({backend}) and torch differ by {worst:.3g} in {what} "
                                 f"(float64, same weights); the comparison would not be fair")
            lines.append(f"{name} {backend}: max |lstmcast - torch| {what} = {worst:.1e}")
    return lines


# -------------------------------------------------------------------- parent
def worker_env(engine: str, threads: int, kernel_threads: int) -> dict:
    """The environment for a worker: every BLAS / OpenMP thread variable set to ``threads``,
    and for the compiled backend ``LSTMCAST_THREADS`` (the threads its kernels cut the batch over)."""
    env = dict(os.environ)
    for var in THREAD_VARS:
        env[var] = str(threads)
    if engine == "numba":
        env["LSTMCAST_THREADS"] = str(kernel_threads)
    return env


def spawn_worker(engine: str, name: str, dtype: str, steps: int, warmup: int, threads: int,
                 budget_s: float, kernel_threads: int) -> dict:
    """Run one worker process and return its result dict."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", engine, name, dtype,
           "--steps", str(steps), "--warmup", str(warmup), "--threads", str(threads),
           "--budget", str(budget_s)]
    proc = subprocess.run(cmd, env=worker_env(engine, threads, kernel_threads), capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"worker {engine} {name} {dtype} failed:\n{proc.stderr}")
    line = next(l for l in reversed(proc.stdout.splitlines()) if l.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo, or what ``platform`` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def blas_name() -> str:
    """The BLAS NumPy was built against, as far as ``numpy.show_config`` says."""
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas['name']} {blas.get('version', '')}".strip()
    except Exception:  # older NumPy: no mode="dicts"
        return "unknown"


def header_lines(args, torch_version: str) -> list[str]:
    """What a reader needs to judge the numbers: machine, versions, threads, load, counts."""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"CPU: {cpu_model()} ({os.cpu_count()} logical cores), load average at start {load}",
        f"Python {platform.python_version()}, numpy {np.__version__} ({blas_name()}), torch {torch_version}",
        f"Threads: {', '.join(THREAD_VARS)} = {args.numpy_threads} for lstmcast, whose compiled kernels "
        f"cut the batch over LSTMCAST_THREADS = {args.kernel_threads} threads; "
        f"for torch the same variables = N and torch.set_num_threads(N), "
        f"N in {', '.join(map(str, args.torch_threads))}",
        "Times: median ms per step over all timed steps of all rounds "
        f"({args.rounds} round(s); per worker and round up to "
        + ", ".join(f"{n} {args.steps or CONFIGS[n].steps}" for n in args.configs)
        + (f" steps or {args.budget:g} s of them" if args.budget else " steps")
        + ", after untimed warm-up steps; 'steps' column: samples pooled for lstmcast / torch).",
        "A/B/C step = forward + loss + backward + Adam + zero_grad (+ reading the loss); "
        "D = one forward call from a numpy array to a numpy prediction.",
        "Memory: peak RSS of the worker process (VmHWM, reset after imports) minus its RSS right "
        "after imports and data, MiB: model, optimiser state, activations, BLAS buffers, allocator slack "
        "and library code paged in on first use",
    ]


def collect(args) -> dict:
    """Run every worker, rounds alternating the engines; return pooled results per (config, dtype, runner)."""
    runners = [(backend, args.numpy_threads) for backend in args.backends] + [("torch", n) for n in args.torch_threads]
    results: dict = {}
    started = time.perf_counter()
    for rnd in range(args.rounds):
        order = runners if rnd % 2 == 0 else runners[::-1]
        for name in args.configs:
            cfg = CONFIGS[name]
            steps, warmup = args.steps or cfg.steps, cfg.warmup if args.warmup is None else args.warmup
            for dtype in args.dtypes:
                for engine, threads in order:
                    res = spawn_worker(engine, name, dtype, steps, warmup, threads, args.budget, args.kernel_threads)
                    slot = results.setdefault((name, dtype, engine, threads),
                                              {"times_ms": [], "peak_mib": [], "peak_was_reset": True})
                    slot["times_ms"] += res["times_ms"]
                    slot["peak_mib"].append(res["peak_mib"])
                    slot["peak_was_reset"] &= res["peak_was_reset"]
                    print(f"  round {rnd + 1}/{args.rounds}  {name} {dtype:7s} {engine:8s} x{threads}: "
                          f"{statistics.median(res['times_ms']):8.3f} ms/step  "
                          f"[{time.perf_counter() - started:5.0f} s]", file=sys.stderr, flush=True)
    return results


def summarise(args, results: dict) -> list[dict]:
    """One row per (config, dtype): medians per backend, torch's better thread count, the ratios and memory."""
    rows = []
    for name in args.configs:
        for dtype in args.dtypes:
            ours = {b: results[(name, dtype, b, args.numpy_threads)] for b in args.backends}
            ours_ms = {b: statistics.median(slot["times_ms"]) for b, slot in ours.items()}
            torch_ms = {n: statistics.median(results[(name, dtype, "torch", n)]["times_ms"])
                        for n in args.torch_threads}
            best = min(torch_ms, key=torch_ms.get)
            rows.append({
                "config": name, "dtype": dtype, "lstmcast_ms": ours_ms, "torch_ms": torch_ms,
                "best_threads": best, "ratio": {b: torch_ms[best] / ms for b, ms in ours_ms.items()},
                "samples": (len(ours[args.backends[0]]["times_ms"]),
                            len(results[(name, dtype, "torch", best)]["times_ms"])),
                "lstmcast_mib": {b: statistics.median(slot["peak_mib"]) for b, slot in ours.items()},
                "torch_mib": statistics.median(results[(name, dtype, "torch", best)]["peak_mib"]),
                "peak_was_reset": all(slot["peak_was_reset"] for (n, d, _, _), slot in results.items()
                                      if (n, d) == (name, dtype)),
            })
    return rows


def target_lines(rows: list[dict]) -> list[str]:
    """The issue's targets and whether the compiled backend's measured ratio meets each."""
    by_key = {(r["config"], r["dtype"]): r for r in rows}
    lines = ["Targets from the issue (ratio = torch's better time / lstmcast's compiled backend's time; "
             "memory: lstmcast's peak no higher than torch's):"]
    for name, dtype, minimum in TARGETS:
        row = by_key.get((name, dtype))
        if row is None or "numba" not in row["ratio"]:
            verdict = "not run"
        else:
            ratio, mib = row["ratio"]["numba"], row["lstmcast_mib"]["numba"]
            verdict = (f"measured {ratio:.2f}x  {'MET' if ratio >= minimum else 'NOT MET'}; "
                       f"memory {mib:.1f} vs {row['torch_mib']:.1f} MiB "
                       f"{'MET' if mib <= row['torch_mib'] else 'NOT MET'}")
        lines.append(f"  {name} {dtype:7s} lstmcast at least {minimum:g}x as fast as torch: {verdict}")
    return lines


def print_report(args, header: list[str], check: list[str], rows: list[dict]) -> None:
    """The header, the table (rich if installed, plain text otherwise) and the targets."""
    thread_cols = [f"torch x{n} ms" for n in args.torch_threads]
    columns = ["config", "dtype", *(f"{b} ms" for b in args.backends), *thread_cols,
               *(f"torch/{b}" for b in args.backends), *(f"{b} MiB" for b in args.backends), "torch MiB", "steps"]
    body = []
    for r in rows:
        torch_cells = [f"{r['torch_ms'][n]:.3f}" + ("*" if n == r["best_threads"] else "")
                       for n in args.torch_threads]
        body.append([r["config"], r["dtype"], *(f"{r['lstmcast_ms'][b]:.3f}" for b in args.backends), *torch_cells,
                     *(f"{r['ratio'][b]:.2f}x" for b in args.backends),
                     *(f"{r['lstmcast_mib'][b]:.1f}" for b in args.backends), f"{r['torch_mib']:.1f}",
                     "{} / {}".format(*r["samples"])])
    notes = ["* torch's better thread count, used for the ratios and torch's memory column; "
             "ratio > 1 means lstmcast is faster; numba = compiled kernels (the default), numpy = the reference"]
    if not all(r["peak_was_reset"] for r in rows):
        notes.append("Memory: the peak RSS could not be reset after imports here; the MiB columns may read low")
    notes += [f"{n}: {CONFIGS[n].description}" for n in args.configs]
    notes += ["Same-math check (float64, weights copied lstmcast -> torch):"] + [f"  {line}" for line in check]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    notes.append(f"Load average at the end: {load}")
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        print("\n".join(header))
        widths = [max(len(c), *(len(b[i]) for b in body)) for i, c in enumerate(columns)]
        print("  ".join(c.rjust(w) for c, w in zip(columns, widths)))
        for b in body:
            print("  ".join(c.rjust(w) for c, w in zip(b, widths)))
        print("\n".join(notes + target_lines(rows)))
        return
    console = Console(width=max(Console().width, 160))
    for line in header:
        console.print(line, highlight=False, markup=False)
    table = Table(title="lstmcast vs torch.nn.LSTM (CPU)")
    for i, col in enumerate(columns):
        table.add_column(col, justify="left" if i < 2 else "right")
    for b in body:
        table.add_row(*b)
    console.print(table)
    for line in notes + target_lines(rows):
        console.print(line, highlight=False, markup=False)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configs", default="A,B,C,D", help="comma-separated subset of A,B,C,D")
    parser.add_argument("--dtypes", default="float32,float64", help="comma-separated subset of float32,float64")
    parser.add_argument("--steps", type=int, default=None,
                        help="timed steps per round for every config (default: A/B/D 200, C 30)")
    parser.add_argument("--warmup", type=int, default=None,
                        help="untimed steps first (default: A/B 10, C 3, D 20)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of alternating engines")
    parser.add_argument("--budget", type=float, default=2.0,
                        help="seconds of timed steps per worker and round before it stops early "
                             f"(after at least {MIN_STEPS} steps); 0 for no limit")
    parser.add_argument("--torch-threads", default="1,2", help="torch thread counts; the better one is compared")
    parser.add_argument("--numpy-threads", type=int, default=1, help="BLAS threads for lstmcast")
    parser.add_argument("--kernel-threads", type=int, default=os.cpu_count() or 1,
                        help="threads the compiled kernels cut the batch over (LSTMCAST_THREADS)")
    parser.add_argument("--backends", default="numba,numpy",
                        help="lstmcast backends to time: numba (compiled, the default), numpy (the reference)")
    parser.add_argument("--worker", nargs=3, metavar=("ENGINE", "CONFIG", "DTYPE"), help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.configs = [c.strip().upper() for c in args.configs.split(",") if c.strip()]
    args.dtypes = [d.strip() for d in args.dtypes.split(",") if d.strip()]
    args.torch_threads = [int(n) for n in args.torch_threads.split(",") if n.strip()]
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if not args.backends or any(b not in BACKENDS for b in args.backends):
        parser.error(f"--backends must be a subset of {','.join(BACKENDS)}, got {args.backends}")
    bad = [c for c in args.configs if c not in CONFIGS]
    if bad or not args.configs:
        parser.error(f"--configs must be a subset of A,B,C,D, got {bad or 'nothing'}")
    if not args.dtypes or any(d not in ("float32", "float64") for d in args.dtypes):
        parser.error(f"--dtypes must be a subset of float32,float64, got {args.dtypes}")
    if not args.torch_threads or min(args.torch_threads) < 1 or args.numpy_threads < 1 or args.kernel_threads < 1:
        parser.error("--torch-threads, --numpy-threads and --kernel-threads must be positive")
    for flag, value in (("--steps", args.steps), ("--warmup", args.warmup)):
        if value is not None and value < (1 if flag == "--steps" else 0):
            parser.error(f"{flag} must be {'positive' if flag == '--steps' else '>= 0'}, got {value}")
    if args.budget < 0:
        parser.error(f"--budget must be >= 0, got {args.budget}")
    if args.rounds < 1:
        parser.error(f"--rounds must be positive, got {args.rounds}")
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.worker:
        engine, name, dtype = args.worker
        if engine not in ENGINES or name not in CONFIGS or dtype not in ("float32", "float64"):
            raise SystemExit(f"--worker wants ENGINE in {ENGINES}, CONFIG in A-D, DTYPE float32/float64, "
                             f"got {args.worker}")
        cfg = CONFIGS[name]
        warmup = cfg.warmup if args.warmup is None else args.warmup
        result = run_worker(engine, name, dtype, args.steps or cfg.steps, warmup, args.threads, args.budget)
        print("RESULT " + json.dumps(result))
        return
    try:
        import torch
    except ImportError:
        raise SystemExit("this benchmark needs torch (pip install torch) to compare against")
    check = check_same_math(sorted(set(args.configs) | {"A"}))
    header = header_lines(args, torch.__version__)
    print("\n".join(check), file=sys.stderr)
    rows = summarise(args, collect(args))
    print_report(args, header, check, rows)


if __name__ == "__main__":
    main()
