"""Independent tasks here and on a real 2-process Dask LocalCluster: the same results, failures named."""

import io
import os

import numpy as np
import pytest
from rich.console import Console

from lstmcast import nn
from lstmcast.parallel import TaskError, TaskRunner, in_chunks, run_tasks, task_seed

distributed = pytest.importorskip("dask.distributed", reason="Dask is an optional extra: pip install 'lstmcast[dask]'")


def fit_tiny_lstm(item, seed):
    """A few Adam steps of a small LSTM on data drawn from the task's seed: any change of seed or threads shows."""
    level = float(item)
    rng = np.random.default_rng(seed)
    x = level + rng.normal(size=(96, 12, 1)).astype(np.float32)  # (B, T, I): enough rows for several chunks
    y = x[:, -1, :].mean(axis=1, keepdims=True)  # (B, 1)
    lstm, head = nn.LSTM(1, 8, seed=seed), nn.Dense(8, 1, seed=seed + 1)
    lstm_opt, head_opt = nn.Adam(lstm, lr=1e-2), nn.Adam(head, lr=1e-2)
    for _ in range(3):
        out, _ = lstm.forward(x)  # (B, T, H)
        pred = head.forward(out[:, -1])  # (B, 1)
        loss, dpred = nn.mse_loss(pred, y)
        dlast = head.backward(dpred)  # (B, H)
        dout = np.zeros_like(out)
        dout[:, -1] = dlast
        lstm.backward(dout)
        lstm_opt.step(), head_opt.step()
        lstm_opt.zero_grad(), head_opt.zero_grad()
    return {name: value.copy() for name, value in lstm.params.items()}, nn.get_threads()


def fail_on_odd(item, seed):
    if item % 2:
        raise ValueError(f"item {item} is odd")
    return item * 10, seed


ITEMS = {"H1": 1.0, "H2": 5.0, "H3": -2.0, "H4": 30.0}


TRIM_BEFORE_ANY_CLUSTER = os.environ.get("MALLOC_TRIM_THRESHOLD_")  # read when the module is imported


def _trim_threshold():
    import os

    return os.environ.get("MALLOC_TRIM_THRESHOLD_")


def test_started_workers_keep_the_default_allocator(cluster):
    """Dask's MALLOC_TRIM_THRESHOLD_=65536 slows training 40%: workers this runner starts must not get it
    (nor this process, where Dask's nanny sets it before spawning)."""
    found = cluster.client.run(_trim_threshold)
    assert len(found) == 2 and set(found.values()) == {TRIM_BEFORE_ANY_CLUSTER}
    assert os.environ.get("MALLOC_TRIM_THRESHOLD_") == TRIM_BEFORE_ANY_CLUSTER


def test_cluster_results_equal_serial_results_bit_for_bit(cluster):
    serial = run_tasks(fit_tiny_lstm, ITEMS, seed=7, label="series", progress=False)
    on_cluster = cluster.run(fit_tiny_lstm, ITEMS, seed=7, label="series")
    assert serial.ok and on_cluster.ok and list(on_cluster.results) == list(ITEMS)
    for key in ITEMS:
        weights, threads = on_cluster.results[key]
        assert threads == 1 and serial.results[key][1] == 1  # one kernel thread per task, either way
        for name, value in serial.results[key][0].items():
            np.testing.assert_array_equal(weights[name], value)
    # the series differ from each other: a seed shared by every task would not show above
    assert not np.array_equal(serial.results["H1"][0]["weight_hh_l0"], serial.results["H2"][0]["weight_hh_l0"])


def test_each_task_is_seeded_by_its_key_not_by_its_turn():
    forward = run_tasks(fail_on_odd, {"a": 2, "b": 4, "c": 6}, seed=3, progress=False).results
    backward = run_tasks(fail_on_odd, {"c": 6, "b": 4, "a": 2}, seed=3, progress=False).results
    assert forward == backward and list(backward) == ["c", "b", "a"]
    assert forward["a"][1] == task_seed(3, "a") and len({s for _, s in forward.values()}) == 3
    assert task_seed(3, "a") != task_seed(4, "a")
    assert task_seed(0, 12) == task_seed(0, "12")  # keys are read as text, in any process
    assert task_seed(np.int64(3), "a") == task_seed(3, "a")
    with pytest.raises(ValueError, match="seed must be an int, got True"):
        task_seed(True, "a")


def test_a_failing_task_is_named_and_the_others_are_kept(cluster):
    items = {f"trial {k}": k for k in range(5)}
    for done in (cluster.run(fail_on_odd, items, label="trial"), run_tasks(fail_on_odd, items, progress=False,
                                                                           label="trial")):
        assert list(done.results) == ["trial 0", "trial 2", "trial 4"]
        assert done.results["trial 4"][0] == 40
        assert str(done.failures["trial 1"]) == "trial 'trial 1' failed: ValueError: item 1 is odd"
        assert "fail_on_odd" in done.failures["trial 3"].traceback
        with pytest.raises(TaskError, match=r"^2 of 5 trial tasks failed; trial 'trial 1' failed: ValueError: "
                                            r"item 1 is odd \(1 more failed\)$"):
            done.raise_failures()


def test_a_running_cluster_is_joined_by_address_or_by_client(cluster):
    address = cluster.client.scheduler.address
    joined = run_tasks(fail_on_odd, {"x": 2}, scheduler=address, progress=False)
    handed = TaskRunner(client=cluster.client, progress=False)
    with handed:
        assert handed.run(fail_on_odd, {"x": 2}).results == joined.results
    assert cluster.client.status == "running"  # a client handed over is left open


def sum_chunk(chunk, seed):
    return {key: value * 2 for key, value in chunk.items()}


def test_chunks_of_series_run_as_tasks_and_keep_every_series(cluster):
    items = {f"H{k}": k for k in range(1, 8)}
    chunks = in_chunks(items, 3)
    assert list(chunks) == ["H1..H3", "H4..H6", "H7"] and chunks["H7"] == {"H7": 7}
    done = cluster.run(sum_chunk, chunks, label="chunk")
    merged = {key: value for part in done.results.values() for key, value in part.items()}
    assert merged == {key: 2 * value for key, value in items.items()} and list(merged) == list(items)
    with pytest.raises(ValueError, match="size must be a positive whole number"):
        in_chunks(items, 0)


def test_the_progress_bar_counts_finished_and_failed_tasks(monkeypatch):
    screen = io.StringIO()
    monkeypatch.setattr("rich.progress.get_console", lambda: Console(file=screen, width=100))
    run_tasks(fail_on_odd, {k: k for k in range(6)}, label="series", progress=True)
    text = screen.getvalue()
    assert "series" in text and "6/6" in text and "3 failed" in text


def test_bad_arguments_and_an_unreachable_scheduler_are_one_line_errors(monkeypatch):
    with pytest.raises(ValueError,
                       match="give at most one of workers, scheduler and client, got workers and scheduler"):
        TaskRunner(workers=2, scheduler="tcp://localhost:8786")
    with pytest.raises(ValueError, match="workers must be a positive whole number, got 0"):
        TaskRunner(workers=0)
    with pytest.raises(ValueError, match="scheduler must be a Dask scheduler address"):
        TaskRunner(scheduler="localhost:8786")
    with pytest.raises(ValueError, match="items must be a mapping"):
        run_tasks(fail_on_odd, [1, 2], progress=False)
    monkeypatch.setattr("lstmcast.parallel.CONNECT_TIMEOUT", "1s")
    with pytest.raises(ConnectionError, match=r"^cannot reach the Dask scheduler at 'tcp://127.0.0.1:9' within 1s"):
        run_tasks(fail_on_odd, {"x": 2}, scheduler="tcp://127.0.0.1:9", progress=False)
