"""`lstmcast inspect`: the figure and the JSON written, the numbers those of inspect_window, clear errors."""

import json
import re

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster
from lstmcast.cli import main
from lstmcast.inspection import inspect_window

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A tiny two-layer model with attention, saved, and a CSV of newer data."""
    root = tmp_path_factory.mktemp("inspect")
    t = np.arange(72)
    df = pd.DataFrame({"y": 50 + 5 * np.sin(2 * np.pi * t / 12) + 0.5 * t},
                      index=pd.Index(pd.date_range("2001-01-01", periods=72, freq="MS"), name="date"))
    fc = Forecaster(look_back=12, horizon=4, hidden_size=4, num_layers=2, attention=True, epochs=2,
                    val_fraction=0.0, patience=None, verbose=False, seed=1).fit(df.iloc[:60])
    fc.save(root / "model")
    df.to_csv(root / "newer.csv")
    return root, df


def test_writes_the_figure_and_the_numbers(saved, capsys):
    root, _ = saved
    png, doc = root / "gates.png", root / "gates.json"
    assert main(["inspect", str(root / "model"), "--plot", str(png), "--json", str(doc)]) == 0
    assert png.read_bytes().startswith(PNG_SIGNATURE) and png.stat().st_size > 10_000
    numbers = json.loads(doc.read_text())
    expected = inspect_window(Forecaster.load(root / "model"), window=-1)
    assert numbers["window"] == 48 == expected.window  # 60 rows, look_back 12: windows 0 .. 48
    np.testing.assert_allclose(numbers["output"], expected.output)
    np.testing.assert_allclose(numbers["layers"][1]["grad_h_norm"], expected.grad_h_norm(1))
    np.testing.assert_allclose(numbers["attention"], expected.attention)
    out = capsys.readouterr().out
    assert "f forget" in out and "half-life" in out and "gates.png" in out


def test_reads_newer_data_and_a_chosen_window(saved, capsys):
    root, df = saved
    doc = root / "w0.json"
    assert main(["inspect", str(root / "model"), str(root / "newer.csv"), "--window", "0",
                 "--layer", "0", "--json", str(doc)]) == 0
    numbers = json.loads(doc.read_text())
    assert numbers["labels"][0] == "2001-01-01" and len(numbers["labels"]) == 12
    np.testing.assert_allclose(numbers["series"], df["y"].to_numpy()[:12])
    assert "gates of layer 0" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["--window", "61"], r"window must be an int in \[-61, 60\]"),
    (["--layer", "5"], r"layer must be an int in \[-2, 1\]"),
    (["--reverse"], "direction must be 0"),
    (["--plot", "/no/such/folder/g.png"], "does not exist"),
])
def test_mistakes_are_one_line_errors(saved, capsys, argv, message):
    root, _ = saved
    assert main(["inspect", str(root / "model"), str(root / "newer.csv"), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lstmcast: error:") and err.count("\n") == 1
    assert re.search(message, err)


def test_a_folder_without_a_model_is_an_error(tmp_path, capsys):
    assert main(["inspect", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith("lstmcast: error:")
