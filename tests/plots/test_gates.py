"""Gate figure: written atomically as a valid PNG, shared colour scales where they belong."""

import numpy as np
import pytest
from matplotlib.image import imread

from lstmcast.inspection import Inspection
from lstmcast.plots import gates as gates_module
from lstmcast.plots.gates import plot_gates

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _inspection(T=10, H=4, layers=1, directions=1, attention=True, series=True, seed=0, text=None):
    rng = np.random.default_rng(seed)
    sig = lambda shape: 1 / (1 + np.exp(-rng.standard_normal(shape)))  # noqa: E731
    keys = [(layer, d) for layer in range(layers) for d in range(directions)]
    gates = {k: {"i": sig((T, H)), "f": sig((T, H)), "o": sig((T, H)), "g": np.tanh(rng.standard_normal((T, H))),
                 "c": 3 * rng.standard_normal((T, H)), "h": np.tanh(rng.standard_normal((T, H)))} for k in keys}
    att = rng.random(T)
    return Inspection(
        kind="forecast" if text is None else "text", window=0, gates=gates,
        labels=[f"2000-{m:02d}-01" for m in range(1, T + 1)] if text is None else list(text),
        grad_h={k: rng.standard_normal((T, H)) for k in keys}, grad_c={k: rng.standard_normal((T, H)) for k in keys},
        objective="sum of the 2 forecast outputs", output=np.zeros(2), output_labels=["a", "b"],
        attention=att / att.sum() if attention else None, series=rng.random(T) if series else None,
        series_name="y", grad_x=rng.standard_normal((T, 1)) if series else None,
    )


@pytest.fixture
def captured(monkeypatch):
    """The figure plot_gates builds, kept for inspection before it is saved."""
    figures = []
    original = gates_module.save_figure

    def keep(fig, path):
        figures.append(fig)
        return original(fig, path)

    monkeypatch.setattr(gates_module, "save_figure", keep)
    return figures


def test_writes_a_png_with_shared_colour_scales(tmp_path, captured):
    ins = _inspection()
    path = plot_gates(ins, tmp_path / "gates.png")
    data = path.read_bytes()
    assert path == tmp_path / "gates.png" and data.startswith(PNG_SIGNATURE) and len(data) > 10_000
    height, width, _ = imread(path).shape
    assert height > width * 0.7  # a tall figure: one row per panel
    assert [p.name for p in tmp_path.iterdir()] == ["gates.png"]  # no temporary file left behind

    fig = captured[0]
    images = [im for ax in fig.axes for im in ax.get_images()]
    assert len(images) == 5  # i, f, o, g, c
    limits = [im.get_clim() for im in images]
    assert limits[:3] == [(0.0, 1.0)] * 3  # the sigmoid gates share 0..1
    assert limits[3] == (-1.0, 1.0)  # g, tanh range
    c_max = np.abs(ins.gates[(0, 0)]["c"]).max()
    assert limits[4] == pytest.approx((-c_max, c_max))  # c, symmetric about zero
    colorbars = [ax for ax in fig.axes if hasattr(ax, "_colorbar")]
    assert len(colorbars) == 3  # one for i, f, o together, one for g, one for c
    heights = sorted(ax.get_position().height for ax in colorbars)
    assert heights[-1] > 2.5 * heights[0]  # the shared bar spans the three gate rows

    panels = [ax for ax in fig.axes if not hasattr(ax, "_colorbar")]
    assert len(panels) == 8  # series, 5 heatmaps, attention, gradients
    np.testing.assert_array_equal(panels[-2].patches[3].get_height(), ins.attention[3])
    assert panels[-1].get_yscale() == "log" and len(panels[-1].get_lines()) == 3  # h, c and input gradients
    np.testing.assert_allclose(panels[-1].get_lines()[0].get_ydata(), ins.grad_h_norm())
    bottom_labels = [t.get_text() for t in panels[-1].get_xticklabels()]
    assert bottom_labels[0] == "2000-01-01" and bottom_labels[-1] == "2000-10-01"


def test_plots_the_chosen_layer_and_direction_and_only_the_panels_it_has(tmp_path, captured):
    ins = _inspection(T=5, layers=2, directions=2, attention=False, series=False, text="a b\nc")
    plot_gates(ins, tmp_path / "r.png", layer=0, direction=1)
    fig = captured[0]
    panels = [ax for ax in fig.axes if not hasattr(ax, "_colorbar")]
    assert len(panels) == 6 and len(panels[-1].get_lines()) == 2  # no series, attention or input gradient
    np.testing.assert_array_equal(panels[0].get_images()[0].get_array(), ins.gates[(0, 1)]["i"].T)  # (H, T)
    np.testing.assert_allclose(panels[-1].get_lines()[1].get_ydata(), ins.grad_c_norm(0, 1))
    assert "layer 0, reverse direction" in fig._suptitle.get_text()
    assert [t.get_text() for t in panels[-1].get_xticklabels()] == ["a", "␣", "b", "↵", "c"]  # every character


def test_a_missing_layer_or_direction_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match=r"layer must be an int in \[-2, 1\]"):
        plot_gates(_inspection(layers=2), tmp_path / "x.png", layer=2)
    with pytest.raises(ValueError, match="direction must be 0"):
        plot_gates(_inspection(), tmp_path / "x.png", direction=1)
    assert not list(tmp_path.iterdir())
