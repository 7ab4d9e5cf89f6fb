"""The panel overview: the best, median and worst series by a score, written whole as a PNG."""

import os

import matplotlib.image
import numpy as np
import pandas as pd
import pytest

import lstmcast.plots
from lstmcast.plots import panel as panel_plots
from lstmcast.plots.panel import pick_series, plot_panel_overview

PNG = b"\x89PNG\r\n\x1a\n"


def _parts(ids):
    histories, forecasts = {}, {}
    for k, name in enumerate(ids):
        times = pd.date_range("2020-01-01", periods=30, freq="MS")
        histories[name] = pd.Series(np.arange(24.0) + k, index=times[:24], name="sales")
        forecasts[name] = pd.DataFrame({"sales": np.arange(24.0, 30.0) + k, "lower": np.arange(20.0, 26.0) + k,
                                        "upper": np.arange(28.0, 34.0) + k}, index=times[24:])
    return histories, forecasts


def test_best_is_the_lowest_worst_the_highest_median_the_middle():
    scores = pd.Series({"a": 3.0, "b": 0.5, "c": 9.0, "d": 1.2, "e": 2.0}, name="MASE")
    assert pick_series(scores) == [("best", "b"), ("median", "e"), ("worst", "c")]


def test_median_of_an_even_number_is_the_upper_middle_one():
    scores = pd.Series({"a": 4.0, "b": 1.0, "c": 3.0, "d": 2.0})
    assert pick_series(scores) == [("best", "b"), ("median", "c"), ("worst", "a")]


def test_ties_keep_the_order_of_the_scores():
    scores = pd.Series([1.0] * 7, index=[f"s{k}" for k in range(7)])
    assert pick_series(scores) == [("best", "s0"), ("median", "s3"), ("worst", "s6")]
    assert pick_series(scores[::-1]) == [("best", "s6"), ("median", "s3"), ("worst", "s0")]


def test_series_without_a_score_are_left_out():
    scores = pd.Series({"a": np.nan, "b": 2.0, "c": np.inf, "d": 1.0})
    assert pick_series(scores) == [("best", "d"), ("median", "b"), ("worst", "c")]


@pytest.mark.parametrize("scores, picked", [
    ({"a": 2.0, "b": 1.0}, [("best", "b"), ("worst", "a")]),
    ({"a": 2.0}, [("only", "a")]),
    ({}, []),
])
def test_fewer_than_three_series_give_what_there_is(scores, picked):
    assert pick_series(pd.Series(scores, dtype=float)) == picked


def test_overview_is_a_png_of_three_panels_titled_with_id_and_score(tmp_path, monkeypatch):
    histories, forecasts = _parts(["s0", "s1", "s2", "s3"])
    scores = pd.Series({"s0": 2.5, "s1": 0.75, "s2": 4.0, "s3": 1.5}, name="MASE")
    titles = []
    real = panel_plots.save_figure

    def spy(fig, path):
        titles.extend(ax.get_title(loc="left") for ax in fig.axes)
        return real(fig, path)

    monkeypatch.setattr(panel_plots, "save_figure", spy)
    path = plot_panel_overview(histories, forecasts, scores, tmp_path / "overview.png", title="stores")
    data = path.read_bytes()
    assert data[:8] == PNG and len(data) > 10_000
    assert matplotlib.image.imread(path).shape[0] > matplotlib.image.imread(path).shape[1] * 0.8  # three tall rows
    assert titles == ["best: s1 (MASE 0.75)", "median: s0 (MASE 2.5)", "worst: s2 (MASE 4)"]
    assert [p.name for p in tmp_path.iterdir()] == ["overview.png"]


def test_two_series_draw_two_panels(tmp_path, monkeypatch):
    histories, forecasts = _parts(["a", "b"])
    counted = []
    real = panel_plots.save_figure
    monkeypatch.setattr(panel_plots, "save_figure", lambda fig, path: (counted.append(len(fig.axes)),
                                                                          real(fig, path))[1])
    plot_panel_overview(histories, forecasts, pd.Series({"a": 1.0, "b": 2.0}), tmp_path / "two.png")
    assert counted == [2] and (tmp_path / "two.png").read_bytes()[:8] == PNG


def test_only_series_with_a_history_and_a_forecast_are_ranked(tmp_path):
    histories, forecasts = _parts(["a"])
    with pytest.raises(ValueError, match="no series has a MASE"):
        plot_panel_overview(histories, forecasts, pd.Series({"z": 1.0}, name="MASE"), tmp_path / "x.png")
    assert list(tmp_path.iterdir()) == []


def test_a_link_planted_beside_the_figure_is_not_written_through(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("precious")
    (tmp_path / f".overview.png.tmp-{os.getpid()}").symlink_to(victim)  # a temporary name once used
    histories, forecasts = _parts(["a", "b", "c"])
    plot_panel_overview(histories, forecasts, pd.Series({"a": 1.0, "b": 2.0, "c": 3.0}), tmp_path / "overview.png")
    assert victim.read_text() == "precious"
    assert not (tmp_path / "overview.png").is_symlink()
    assert (tmp_path / "overview.png").read_bytes()[:8] == PNG


def test_a_failed_save_leaves_nothing(tmp_path, monkeypatch):
    histories, forecasts = _parts(["a", "b", "c"])

    def broken(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(panel_plots.plt.Figure, "savefig", broken)
    with pytest.raises(OSError, match="disk full"):
        plot_panel_overview(histories, forecasts, pd.Series({"a": 1.0, "b": 2.0, "c": 3.0}), tmp_path / "o.png")
    assert list(tmp_path.iterdir()) == []


def test_exported_from_the_plots_package():
    assert lstmcast.plots.plot_panel_overview is plot_panel_overview
    assert lstmcast.plots.pick_series is pick_series
