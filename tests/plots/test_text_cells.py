"""Characters coloured by one cell: layout, colour values and ranges, errors."""

import numpy as np
import pytest

from lstmcast.plots import text_cells
from lstmcast.plots.text_cells import _layout, plot_cell_text
from tests.plots.test_gates import PNG_SIGNATURE, _inspection


@pytest.fixture
def captured(monkeypatch):
    figures = []
    original = text_cells.save_figure

    def keep(fig, path):
        figures.append(fig)
        return original(fig, path)

    monkeypatch.setattr(text_cells, "save_figure", keep)
    return figures


def _boxes(fig):
    return next(c for ax in fig.axes for c in ax.collections if c.get_array() is not None and len(c.get_paths()) > 1)


def test_layout_breaks_lines_and_wraps():
    assert _layout("ab\ncd", 80).tolist() == [[0, 0], [1, 0], [2, 0], [0, 1], [1, 1]]
    assert _layout("abcd", 2).tolist() == [[0, 0], [1, 0], [0, 1], [1, 1]]
    assert _layout("ab\nc", 2).tolist() == [[0, 0], [1, 0], [2, 0], [0, 1]]  # a newline may overhang


def test_colours_are_the_chosen_cells_values(tmp_path, captured):
    text = "hello, world\nab"
    ins = _inspection(T=len(text), H=3)
    path = plot_cell_text(ins, text, 2, tmp_path / "cell.png")
    assert path.read_bytes().startswith(PNG_SIGNATURE)
    boxes = _boxes(captured[0])
    np.testing.assert_allclose(boxes.get_array(), np.tanh(ins.gates[(0, 0)]["c"][:, 2]))  # c is shown as tanh(c)
    assert (boxes.norm.vmin, boxes.norm.vmax) == (-1.0, 1.0)
    shown = [t.get_text() for ax in captured[0].axes for t in ax.texts]
    assert shown[:len(text)] == list("hello, world") + ["↵", "a", "b"]

    plot_cell_text(ins, text, 0, tmp_path / "f.png", quantity="f")
    boxes = _boxes(captured[1])
    np.testing.assert_allclose(boxes.get_array(), ins.gates[(0, 0)]["f"][:, 0])
    assert (boxes.norm.vmin, boxes.norm.vmax) == (0.0, 1.0)


def test_bare_arrays_use_their_own_symmetric_range(tmp_path, captured):
    values = np.array([[0.5, -2.0], [1.0, 4.0], [0.0, -1.0]])
    plot_cell_text(values, "abc", 1, tmp_path / "a.png")
    boxes = _boxes(captured[0])
    np.testing.assert_array_equal(boxes.get_array(), [-2.0, 4.0, -1.0])
    assert (boxes.norm.vmin, boxes.norm.vmax) == (-4.0, 4.0)


def test_bad_arguments_are_clear_errors(tmp_path):
    ins = _inspection(T=3, H=2)
    with pytest.raises(ValueError, match=r"text must have one character per step \(3\)"):
        plot_cell_text(ins, "abcd", 0, tmp_path / "x.png")
    with pytest.raises(ValueError, match=r"cell must be an int in \[0, 1\]"):
        plot_cell_text(ins, "abc", 2, tmp_path / "x.png")
    with pytest.raises(ValueError, match="quantity"):
        plot_cell_text(ins, "abc", 0, tmp_path / "x.png", quantity="z")
    with pytest.raises(ValueError, match="width"):
        plot_cell_text(ins, "abc", 0, tmp_path / "x.png", width=0)
    with pytest.raises(ValueError, match="no 'h' array"):
        plot_cell_text({"c": np.zeros((3, 2))}, "abc", 0, tmp_path / "x.png", quantity="h")
